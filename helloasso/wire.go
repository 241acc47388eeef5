package helloasso

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unipay/payments"
)

// This file declares HelloAsso's JSON shapes (API v5, amounts in euro cents)
// and converts them to and from the payments types. Enumerations (payment
// and operation states, means, form types) are plain strings: HelloAsso adds
// values without notice, and an unknown one must not break decoding.

// CheckoutIntentRequest is the body of
// POST /v5/organizations/{slug}/checkout-intents (InitCheckoutBody). The API
// refuses unknown keys, so it has exactly the documented ones.
type CheckoutIntentRequest struct {
	TotalAmount      int64           `json:"totalAmount"`   // cents; initialAmount + Σ terms
	InitialAmount    int64           `json:"initialAmount"` // cents paid now
	ItemName         string          `json:"itemName"`      // 1–250 characters, shown to the payer
	BackURL          string          `json:"backUrl"`
	ErrorURL         string          `json:"errorUrl"`
	ReturnURL        string          `json:"returnUrl"`
	ContainsDonation bool            `json:"containsDonation"`
	Terms            []CheckoutTerm  `json:"terms,omitempty"`
	Payer            *CheckoutPayer  `json:"payer,omitempty"`
	Metadata         json.RawMessage `json:"metadata,omitempty"` // any JSON, ≤ 20,000 characters
	PaymentOptions   *PaymentOptions `json:"paymentOptions,omitempty"`
}

// CheckoutTerm is a future instalment: cents, on a date "yyyy-mm-dd".
type CheckoutTerm struct {
	Amount int64  `json:"amount"`
	Date   string `json:"date"`
}

// CheckoutPayer pre-fills the payer's details on the checkout page.
// Country is ISO 3166-1 alpha-3 ("FRA"); DateOfBirth is "yyyy-mm-dd".
type CheckoutPayer struct {
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	Email       string `json:"email,omitempty"`
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	Address     string `json:"address,omitempty"`
	City        string `json:"city,omitempty"`
	ZipCode     string `json:"zipCode,omitempty"`
	Country     string `json:"country,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
}

// PaymentOptions are a checkout intent's payment means options.
type PaymentOptions struct {
	EnableSepa bool `json:"enableSepa"`
}

// CheckoutIntentCreated is the answer to a checkout-intent creation: where
// to send the payer (for 15 minutes).
type CheckoutIntentCreated struct {
	ID          int64           `json:"id"`
	RedirectURL string          `json:"redirectUrl"`
	Raw         json.RawMessage `json:"-"` // the response body
}

// CheckoutIntent is GET /v5/organizations/{slug}/checkout-intents/{id}:
// the intent, its metadata, and its order once the payer has paid (or tried
// to: a refused card also creates one).
type CheckoutIntent struct {
	ID          int64           `json:"id"`
	RedirectURL string          `json:"redirectUrl"`
	Metadata    json.RawMessage `json:"metadata"`
	Order       *Order          `json:"order"`
	Raw         json.RawMessage `json:"-"` // the response body
}

// Order is HelloAsso's OrderDetail: what was bought, by whom, and its
// payments (the first one now, one per future instalment).
type Order struct {
	ID               int64           `json:"id"`
	Date             Timestamp       `json:"date"`
	FormSlug         string          `json:"formSlug"`
	FormType         string          `json:"formType"`
	OrganizationName string          `json:"organizationName"`
	OrganizationSlug string          `json:"organizationSlug"`
	CheckoutIntentID *int64          `json:"checkoutIntentId"`
	Meta             *Meta           `json:"meta"`
	Payer            *Payer          `json:"payer"`
	Items            []OrderItem     `json:"items"`
	Payments         []OrderPayment  `json:"payments"`
	Amount           OrderAmount     `json:"amount"`
	Raw              json.RawMessage `json:"-"` // the response body, from GetOrder
}

// OrderAmount is an order's amounts in cents.
type OrderAmount struct {
	Total    int64 `json:"total"`
	Vat      int64 `json:"vat"`
	Discount int64 `json:"discount"`
}

// OrderItem is one line of an order.
type OrderItem struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
	Type   string `json:"type"`
	State  string `json:"state"`
}

// Meta holds a resource's creation and update times.
type Meta struct {
	CreatedAt Timestamp `json:"createdAt"`
	UpdatedAt Timestamp `json:"updatedAt"`
}

// Payer is the payer as HelloAsso returns it. Note Company, where the
// request says companyName.
type Payer struct {
	Email       string `json:"email"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Address     string `json:"address"`
	City        string `json:"city"`
	ZipCode     string `json:"zipCode"`
	Country     string `json:"country"`
	Company     string `json:"company"`
	DateOfBirth string `json:"dateOfBirth"`
}

// OrderPayment is one payment of an order. State is the PaymentState
// ("Authorized", "Refused", "Refunded"…); CashOutState is the payout to the
// association and says nothing about whether the payer paid.
type OrderPayment struct {
	ID                int64     `json:"id"`
	Amount            int64     `json:"amount"` // cents
	AmountTip         int64     `json:"amountTip"`
	Date              Timestamp `json:"date"`
	PaymentMeans      string    `json:"paymentMeans"`
	InstallmentNumber int       `json:"installmentNumber"`
	State             string    `json:"state"`
	Type              string    `json:"type"`
	CashOutState      string    `json:"cashOutState"`
	PaymentReceiptURL string    `json:"paymentReceiptUrl"`
	FiscalReceiptURL  string    `json:"fiscalReceiptUrl"`
	Meta              *Meta     `json:"meta"`
	// RefundOperations are the payment's refunds. HelloAsso lists those that
	// failed only when asked (withFailedRefundOperation).
	RefundOperations []RefundOperationLight `json:"refundOperations"`
}

// PaymentDetail is GET /v5/payments/{id} and a Payment notification's data:
// the payment with its order, which carries the checkout intent's id.
type PaymentDetail struct {
	OrderPayment
	Order *PaymentOrder   `json:"order"`
	Payer *Payer          `json:"payer"`
	Raw   json.RawMessage `json:"-"` // the response body
}

// PaymentOrder is the order a PaymentDetail belongs to.
type PaymentOrder struct {
	ID               int64     `json:"id"`
	Date             Timestamp `json:"date"`
	FormSlug         string    `json:"formSlug"`
	FormType         string    `json:"formType"`
	OrganizationSlug string    `json:"organizationSlug"`
	CheckoutIntentID *int64    `json:"checkoutIntentId"`
}

// RefundOperation is the answer to a refund (RefundOperationModel). State
// is its OperationState ("Init", "Processing", "Processed", "Refused"…).
type RefundOperation struct {
	ID             int64           `json:"id"`
	Amount         int64           `json:"amount"` // cents
	CancelOrder    bool            `json:"cancelOrder"`
	CreationDate   Timestamp       `json:"creationDate"`
	State          string          `json:"state"`
	SendRefundMail bool            `json:"sendRefundMail"`
	PaymentID      int64           `json:"paymentId"`
	Raw            json.RawMessage `json:"-"` // the response body, from RefundPayment
}

// RefundOperationLight is a refund as a payment lists it
// (RefundOperationLightModel, in OrderPayment.RefundOperations). Its
// OperationState is in Status, where the refund call's own answer
// (RefundOperation) says State; HelloAsso has been seen writing it in upper
// case ("PROCESSED"), so it is read without regard to case.
type RefundOperationLight struct {
	ID        int64  `json:"id"`
	Amount    int64  `json:"amount"` // cents; 0 means the whole payment
	AmountTip int64  `json:"amountTip"`
	Status    string `json:"status"`
	Meta      *Meta  `json:"meta"`
}

// Notification is the body HelloAsso POSTs to the notification URL.
// EventType is "Order", "Payment", "Form" or "Organization"; Data is an
// Order, a PaymentDetail, a form or a slug change accordingly.
type Notification struct {
	EventType string          `json:"eventType"`
	Data      json.RawMessage `json:"data"`
	Metadata  json.RawMessage `json:"metadata"`
}

// Timestamp reads HelloAsso's date-times ("2024-06-07T14:11:15.7442115+02:00",
// sometimes without an offset, sometimes a bare date) without ever failing
// the decoding of the whole answer: an unreadable value is left zero.
type Timestamp struct{ time.Time }

// timestampLayouts are tried in order; the first is RFC 3339 with any
// fraction, which covers HelloAsso's usual form.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02"}

// UnmarshalJSON implements json.Unmarshaler. A JSON string without
// escapes, HelloAsso's only form, is read in place.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return nil // null, or not a string: left zero
	}
	s := string(b[1 : len(b)-1])
	if strings.IndexByte(s, '\\') >= 0 {
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
	}
	t.Time = parseTimestamp(s)
	return nil
}

// parseTimestamp reads s as HelloAsso writes date-times, or returns the zero
// time. The usual form, with a numeric offset, is read without the
// allocation time.Parse makes for the offset's zone: zones are kept by
// offset.
func parseTimestamp(s string) time.Time {
	if n := len(s); n > 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' {
		h, m := twoDigits(s[n-5:n-3]), twoDigits(s[n-2:])
		if h >= 0 && h < 24 && m >= 0 && m < 60 {
			if v, err := time.ParseInLocation(localLayout, s[:n-6], time.UTC); err == nil {
				off := h*3600 + m*60
				if s[n-6] == '-' {
					off = -off
				}
				return v.Add(-time.Duration(off) * time.Second).In(zone(off))
			}
		}
	}
	for _, l := range timestampLayouts {
		if v, err := time.Parse(l, s); err == nil {
			return v
		}
	}
	return time.Time{}
}

// localLayout is a date-time without its offset, with any fraction.
const localLayout = "2006-01-02T15:04:05.999999999"

// twoDigits reads two decimal digits, or returns -1.
func twoDigits(s string) int {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

// zones holds a fixed zone per offset seen (in seconds), as time.Parse
// would make for it. Offsets are whole minutes within a day: at most a few
// thousand, in practice a handful.
var zones struct {
	sync.RWMutex
	byOffset map[int]*time.Location
}

func zone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	zones.RLock()
	z, ok := zones.byOffset[offset]
	zones.RUnlock()
	if ok {
		return z
	}
	zones.Lock()
	defer zones.Unlock()
	if z, ok := zones.byOffset[offset]; ok {
		return z
	}
	if zones.byOffset == nil {
		zones.byOffset = map[int]*time.Location{}
	}
	z = time.FixedZone("", offset)
	zones.byOffset[offset] = z
	return z
}

// MarshalJSON implements json.Marshaler: RFC 3339, or null when zero.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Format(time.RFC3339Nano))
}

// referenceKey is the metadata key under which the adapter keeps
// CreateRequest.Reference, so that Verify can return it.
const referenceKey = "reference"

// eur returns cents as Money.
func eur(cents int64) payments.Money { return payments.Money{Amount: cents, Currency: "EUR"} }

// paymentFromIntent converts a checkout intent to the payments view.
func paymentFromIntent(ci *intentView) *payments.Payment {
	p := &payments.Payment{
		Provider:  payments.HelloAsso,
		ID:        strconv.FormatInt(ci.ID, 10),
		Status:    payments.StatusPending,
		Reference: ci.Metadata[referenceKey],
		Raw:       ci.Raw,
	}
	if len(ci.Metadata) > 0 {
		delete(ci.Metadata, referenceKey)
		if len(ci.Metadata) > 0 {
			p.Metadata = ci.Metadata
		}
	}
	o := ci.Order
	if o == nil {
		// No order yet: the payer has not paid. The intent's GET carries no
		// amount, so Amount stays zero until HelloAsso creates the order.
		return p
	}
	v := summarize(o.Payments)
	p.Status, p.ProviderStatus = v.status, v.state
	p.Amount = eur(o.Amount.Total)
	p.RefundedAmount = eur(v.refunded)
	p.PendingRefundAmount = eur(v.pendingRefund)
	if v.lead != nil {
		p.Method = means(v.lead.PaymentMeans)
		if p.Status == payments.StatusFailed {
			p.FailureCode = v.lead.State
			p.FailureMessage = "HelloAsso reports the payment as " + v.lead.State
		}
	}
	p.CreatedAt = o.Date.Time
	if o.Meta != nil {
		if p.CreatedAt.IsZero() {
			p.CreatedAt = o.Meta.CreatedAt.Time
		}
		p.UpdatedAt = o.Meta.UpdatedAt.Time
	}
	return p
}

// means returns a payment means in lower case ("card"), as Payment.Method
// holds it: without an allocation for the means HelloAsso documents.
func means(m string) string {
	for _, known := range [...]string{"card", "sepa", "check", "cash", "banktransfer", "other", "none"} {
		if strings.EqualFold(m, known) {
			return known
		}
	}
	return strings.ToLower(m)
}

// refundFrom converts a refund operation to the payments view.
func refundFrom(intentID string, op *RefundOperation, amount int64) *payments.Refund {
	if op.Amount > 0 {
		amount = op.Amount
	}
	return &payments.Refund{
		Provider:  payments.HelloAsso,
		ID:        strconv.FormatInt(op.ID, 10),
		PaymentID: intentID,
		Amount:    eur(amount),
		Status:    operationStatus(op.State),
		Raw:       op.Raw,
	}
}
