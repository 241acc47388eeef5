package hero

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/unipay/payments"
)

// PaymentType is how the customer pays Hero: in full, in instalments or
// later. Hero's enum may grow, so any value it sends is kept as it is.
type PaymentType string

// The payment types Hero documents. Hero Cash (card processing) takes only
// Pay1X; availablePaymentTypes says which ones an amount and customer may use.
const (
	Pay1X  PaymentType = "Pay1X"  // in full, now
	Pay3X  PaymentType = "Pay3X"  // three instalments
	Pay4X  PaymentType = "Pay4X"  // four instalments
	Pay15D PaymentType = "Pay15D" // in 15 days
	Pay30D PaymentType = "Pay30D" // in 30 days
	Pay45D PaymentType = "Pay45D" // in 45 days
	Pay60D PaymentType = "Pay60D" // in 60 days
)

// The GraphQL documents the client sends. Every input travels as a variable,
// never inside the document, so a quote in a company name cannot break a
// request. Variables are declared with the strictest type (String!, Int!,
// [String!]!): GraphQL accepts a non-null variable wherever the nullable type
// is expected, so they fit whichever nullability Hero's schema has. Unions
// always ask for __typename.
const (
	createPaymentDoc = `mutation createPayment($payment: NewPayment!) { createPayment(payment: $payment) { id } }`

	setOrderIDDoc = `mutation setOrderId($paymentId: String!, $orderId: String!) { setOrderId(paymentId: $paymentId, orderId: $orderId) }`

	getPaymentsInfosDoc = `query getPaymentsInfos($paymentIds: [String!]!) { getPaymentsInfos(paymentIds: $paymentIds) { __typename ` +
		`... on GetPaymentsInfosResult { result { paymentId isSuccess error reviewStatus reason initialPaymentAmount pendingRefundAmount refundedAmount } } ` +
		`... on ValidationErrors { validationErrors { path validationError } } } }`

	// The refund's input type name is not documented, so its two fields are
	// passed as scalar variables inside an object literal.
	refundPaymentCheckoutDoc = `mutation refundPaymentCheckout($paymentCheckoutId: String!, $amount: Int!) { ` +
		`refundPaymentCheckout(input: {paymentCheckoutId: $paymentCheckoutId, amount: $amount}) { __typename ` +
		`... on RefundPaymentCheckoutOutput { success } ` +
		`... on GqlHeroError { errorCode message } ` +
		`... on ValidationErrors { validationErrors { path validationError } } } }`

	availablePaymentTypesDoc = `query availablePaymentTypes($amount: Int!, $customerReference: String!, $siren: String) { ` +
		`availablePaymentTypes(amount: $amount, customerReference: $customerReference, siren: $siren) }`
)

// The operations, as errors and logs name them.
const (
	opCreatePayment         = "createPayment"
	opSetOrderID            = "setOrderId"
	opGetPaymentsInfos      = "getPaymentsInfos"
	opRefundPaymentCheckout = "refundPaymentCheckout"
	opAvailablePaymentTypes = "availablePaymentTypes"
)

// The variables of each document. Their fields are in the order
// encoding/json writes a map's keys (sorted), the order the requests in
// testdata/hero/requests have.
type (
	createPaymentVars struct {
		Payment NewPayment `json:"payment"`
	}
	setOrderIDVars struct {
		OrderID   string `json:"orderId"`
		PaymentID string `json:"paymentId"`
	}
	getPaymentsInfosVars struct {
		PaymentIDs []string `json:"paymentIds"`
	}
	refundVars struct {
		Amount            int64  `json:"amount"`
		PaymentCheckoutID string `json:"paymentCheckoutId"`
	}
	availablePaymentTypesVars struct {
		Amount            int64  `json:"amount"`
		CustomerReference string `json:"customerReference"`
		Siren             string `json:"siren,omitempty"`
	}
)

// NewPayment is createPayment's input, as Hero documents it. Hero publishes
// no length limits; CreatePayment applies the library's generous ones
// (names and address lines 1,024 bytes, zip codes 64, references 255,
// URIs 2,048), and refuses control characters and invalid UTF-8.
type NewPayment struct {
	// Amount is in euro cents: positive, at most 2,147,483,647 (GraphQL's
	// Int).
	Amount int64 `json:"amount"`
	// RedirectURI is where Hero sends the customer back, paid or not, and
	// "notifies" the merchant: an absolute http(s) URI, not on a .localhost
	// host. Required.
	RedirectURI string `json:"redirectUri"`
	// ComebackURI is where the page's "back to the merchant" button goes;
	// optional.
	ComebackURI string `json:"comebackUri,omitempty"`
	// Type is how the customer pays, such as Pay1X. Required.
	Type PaymentType `json:"type"`
	// Issuer is the customer, a business. Required.
	Issuer Issuer `json:"issuer"`
}

// Issuer is the customer, a business: its billing address, an optional
// delivery address, its company name and how to reach it.
type Issuer struct {
	// Address is the billing address. Required.
	Address Address `json:"address"`
	// DeliveryAddress is where the goods go, when it is not Address.
	DeliveryAddress *Address `json:"deliveryAddress,omitempty"`
	// Name is the company's name. Required.
	Name string `json:"name"`
	// ContactEmail is the customer's email address. Required.
	ContactEmail string `json:"contactEmail"`
	// ContactPhone is the customer's phone number, such as +33600000000.
	// Required.
	ContactPhone string `json:"contactPhone"`
	// CustomerReference is the merchant's id for the customer; optional.
	CustomerReference string `json:"customerReference,omitempty"`
}

// Address is a postal address in Hero's shape.
type Address struct {
	// Line1 is the street and number. Required.
	Line1 string `json:"line1"`
	// Line2 is the rest (building, floor); optional.
	Line2 string `json:"line2,omitempty"`
	// City is required.
	City string `json:"city"`
	// ZipCode is required.
	ZipCode string `json:"zipCode"`
}

// PaymentInfo is one entry of getPaymentsInfos: whether the payment was
// finalised and how much of it is refunded. Amounts are euro cents.
type PaymentInfo struct {
	// PaymentID is the payment's id, as createPayment returned it.
	PaymentID string `json:"paymentId"`
	// IsSuccess reports that the payment was finalised: the customer paid.
	IsSuccess bool `json:"isSuccess"`
	// Error says why the payment is not finalised, such as
	// PAYMENT_NOT_INITIATED; empty when Hero sent null.
	Error string `json:"error"`
	// ReviewStatus is the state of Hero's risk review (unused for card
	// processing), such as "ACCEPTED". Hero documents it as an integer but
	// sends a string; either is kept as text.
	ReviewStatus Text `json:"reviewStatus"`
	// Reason explains ReviewStatus, such as "None"; text or a number, like
	// ReviewStatus.
	Reason Text `json:"reason"`
	// InitialAmount is what the customer was asked to pay.
	InitialAmount int64 `json:"initialPaymentAmount"`
	// PendingRefundAmount is refunded but not yet paid back.
	PendingRefundAmount int64 `json:"pendingRefundAmount"`
	// RefundedAmount is paid back.
	RefundedAmount int64 `json:"refundedAmount"`
	// Raw is this entry of Hero's answer, as it came, secrets removed.
	Raw json.RawMessage `json:"-"`
}

// Text is a JSON value read as text whatever its type: a string as it is, a
// number or boolean as written, null as "". Hero's docs and examples
// disagree on some fields' types; Text accepts both.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 1 && b[0] == '"' && plainASCII(b[1:len(b)-1]):
		// The common case, "ACCEPTED": nothing to unescape.
		*t = Text(b[1 : len(b)-1])
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return errors.New("hero: expected a string, number or boolean, got " + string(b[:1]))
	default:
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*t = Text(b)
	}
	return nil
}

// plainASCII reports whether b, the inside of a JSON string, reads as it
// is: printable ASCII without escapes or quotes.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// ValidationError is one entry of Hero's ValidationErrors union member: the
// path of the input field at fault and what is wrong with it.
type ValidationError struct {
	// Path names the input field, one element per level: ["amount"],
	// ["paymentIds", "0"].
	Path []Text `json:"path"`
	// ValidationError is Hero's message, such as "Le montant doit être un
	// nombre positif".
	ValidationError string `json:"validationError"`
}

// Field joins Path with dots, as "amount" or "paymentIds.0": Hero's name
// for the field.
func (v ValidationError) Field() string {
	parts := make([]string, len(v.Path))
	for i, p := range v.Path {
		parts[i] = string(p)
	}
	return strings.Join(parts, ".")
}

// Response data shapes, one per operation.

type createPaymentData struct {
	CreatePayment *struct {
		ID string `json:"id"`
	} `json:"createPayment"`
}

type setOrderIDData struct {
	SetOrderID *bool `json:"setOrderId"`
}

type availablePaymentTypesData struct {
	AvailablePaymentTypes *[]PaymentType `json:"availablePaymentTypes"`
}

type getPaymentsInfosData struct {
	GetPaymentsInfos *unionResult `json:"getPaymentsInfos"`
}

type refundPaymentCheckoutData struct {
	RefundPaymentCheckout *unionResult `json:"refundPaymentCheckout"`
}

// unionResult holds every member of the unions Hero returns. Which one came
// is read from __typename, or, when a server leaves it out (Hero's own
// examples do), from the fields present.
type unionResult struct {
	Typename         string            `json:"__typename"`
	Result           []PaymentInfo     `json:"result"`
	Success          *bool             `json:"success"`
	ErrorCode        *string           `json:"errorCode"`
	Message          string            `json:"message"`
	ValidationErrors []ValidationError `json:"validationErrors"`
}

// The union members' type names.
const (
	typeValidationErrors     = "ValidationErrors"
	typeGqlHeroError         = "GqlHeroError"
	typePaymentsInfosResult  = "GetPaymentsInfosResult"
	typeRefundCheckoutOutput = "RefundPaymentCheckoutOutput"
)

// member returns which union member u is.
func (u *unionResult) member() string {
	switch {
	case u.Typename != "":
		return u.Typename
	case u.ValidationErrors != nil:
		return typeValidationErrors
	case u.ErrorCode != nil:
		return typeGqlHeroError
	case u.Result != nil:
		return typePaymentsInfosResult
	case u.Success != nil:
		return typeRefundCheckoutOutput
	}
	return ""
}

// payment converts p to a payments.Payment. Hero does not give back the
// order id, nor when the payment was made.
func (p *PaymentInfo) payment() *payments.Payment {
	out := new(payments.Payment)
	p.fill(out)
	return out
}

// fill writes p into out, as payment does.
func (p *PaymentInfo) fill(out *payments.Payment) {
	*out = payments.Payment{
		Provider:            payments.Hero,
		ID:                  p.PaymentID,
		Status:              status(p),
		ProviderStatus:      providerStatus(p),
		Amount:              euros(p.InitialAmount),
		RefundedAmount:      euros(p.RefundedAmount),
		PendingRefundAmount: euros(p.PendingRefundAmount),
		FailureCode:         p.Error,
		Raw:                 p.Raw,
	}
	if p.Error == CodePaymentNotInitiated {
		out.FailureMessage = "the customer has not paid (yet)"
	}
}

// euros returns n euro cents as Money.
func euros(n int64) payments.Money { return payments.Money{Amount: n, Currency: currency} }

// currency is the only one Hero takes.
const currency = "EUR"
