// Package payments is one Go API for four hosted-checkout providers: Hero
// (French B2B card and buy-now-pay-later), Hub2 (West African mobile money),
// HelloAsso (French associations) and Moneroo (pan-African orchestrator).
//
// Each provider has an adapter package (hero, hub2, helloasso, moneroo) whose
// Client implements Checkout: create a checkout, send the customer to its
// redirect URL, verify the payment's real state, refund it. Amounts are Money,
// always in the currency's minor unit. Errors are *Error, classified by Kind.
//
// The flow a merchant follows:
//
//  1. Create a checkout for an order and store Session.ID with the order.
//  2. Redirect the customer to Session.RedirectURL.
//  3. When the customer comes back (ReturnParser) or a webhook arrives
//     (WebhookParser, WebhookHandler), call VerifyPaid before fulfilling:
//     return URLs and webhooks are hints, the provider's answer is the truth.
//
// This package does no I/O; adapters send their requests through the shared
// HTTP layer. For tests, package paymentstest has an in-memory Checkout and
// each adapter has a simulator (hero/herotest, hub2/hub2test, …).
package payments

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Checkout is what every adapter implements: one checkout API over each
// provider's own. A Checkout is safe for concurrent use.
type Checkout interface {
	// Provider names the provider behind this Checkout.
	Provider() ProviderName
	// Create opens a checkout at the provider. Nothing is charged yet. Bad
	// input is refused with ErrInvalidRequest before any request is sent.
	Create(ctx context.Context, req CreateRequest) (*Session, error)
	// RedirectURL returns where to send the customer to pay an existing
	// payment (to resume a checkout), or ErrUnsupported.
	RedirectURL(ctx context.Context, paymentID string) (string, error)
	// Verify asks the provider for the payment's real state. Return URLs and
	// webhooks are only hints.
	Verify(ctx context.Context, paymentID string) (*Payment, error)
	// Refund gives money back; Amount zero means the whole refundable amount.
	// Providers without refunds return ErrUnsupported.
	Refund(ctx context.Context, req RefundRequest) (*Refund, error)
}

// Status is a payment's state, the same for every provider. Adapters map
// their provider's states onto it and keep the raw one in
// Payment.ProviderStatus.
type Status string

// The payment states.
const (
	StatusPending           Status = "pending"            // created, waiting for the customer
	StatusActionRequired    Status = "action_required"    // the customer must act: OTP, USSD, redirect
	StatusProcessing        Status = "processing"         // submitted, the provider is working on it
	StatusSucceeded         Status = "succeeded"          // paid
	StatusFailed            Status = "failed"             // declined or errored; no money moved
	StatusCanceled          Status = "canceled"           // abandoned, expired or cancelled; no money moved
	StatusRefunded          Status = "refunded"           // paid, then refunded in full
	StatusPartiallyRefunded Status = "partially_refunded" // paid, then refunded in part
	StatusUnknown           Status = "unknown"            // a provider state the library does not know
)

// Final reports whether the payment's outcome is settled: asking again will
// not change whether it was paid. A succeeded payment can still be refunded
// later. StatusUnknown is not final: ask again, or look at ProviderStatus.
func (s Status) Final() bool {
	switch s {
	case StatusSucceeded, StatusFailed, StatusCanceled, StatusRefunded, StatusPartiallyRefunded:
		return true
	}
	return false
}

// Paid reports whether money was received: succeeded, partially refunded or
// refunded. To decide whether to ship an order, use VerifyPaid instead, which
// also refuses refunded payments and checks the amount.
func (s Status) Paid() bool {
	switch s {
	case StatusSucceeded, StatusPartiallyRefunded, StatusRefunded:
		return true
	}
	return false
}

// Customer is who pays. Each provider needs a different subset; adapters say
// which fields they require and refuse a request that lacks them.
type Customer struct {
	// FirstName and LastName are the payer's names, as the provider shows
	// and checks them (some providers refuse names with digits or some
	// accents: see the adapter's documentation).
	FirstName string
	LastName  string
	// Email is a plain address ("awa@example.com", no display name).
	Email string
	// Phone is in E.164 form, such as "+22507000000".
	Phone string
	// CompanyName is the buyer's company, for business payments (Hero).
	CompanyName string
	// Reference is the merchant's own id for the customer.
	Reference string
	// DateOfBirth is the payer's birth date; only the date is used. Zero if
	// unknown.
	DateOfBirth time.Time
	// BillingAddress and DeliveryAddress are sent where the provider takes
	// them; nil if unknown.
	BillingAddress  *Address
	DeliveryAddress *Address
}

// Address is a postal address. Country is ISO 3166-1 alpha-2 ("FR", "CI");
// adapters convert it to the provider's form.
type Address struct {
	Line1   string // street and number
	Line2   string // building, floor, care of…
	City    string
	ZipCode string
	State   string // region or state, where the country has them
	Country string // ISO 3166-1 alpha-2, upper case: "FR", "CI"
}

// CreateRequest describes a checkout to open.
type CreateRequest struct {
	// Amount is what the customer pays, in the currency's minor unit.
	Amount Money
	// Reference is the merchant's order id; required. Adapters keep it at
	// the provider (in its reference field or metadata), so that Verify,
	// returns and webhooks give it back.
	Reference string
	// Description is what is bought, shown to the customer where the
	// provider shows it. It may span lines.
	Description string
	// Customer is who pays; each provider requires a different part of it
	// (see the adapter's documentation).
	Customer *Customer
	// ReturnURL is where the customer comes back after paying (an absolute
	// http or https URL); the provider adds its own query parameters.
	ReturnURL string
	// CancelURL is where the customer goes on "back" or cancel, where the
	// provider has one.
	CancelURL string
	// ErrorURL is where the customer goes on an error, where the provider
	// has one.
	ErrorURL string
	// Metadata is kept with the payment at the provider and returned by
	// Verify. At most 50 entries and 20,000 bytes in all; keys of at most
	// 64 bytes; providers cap it further (Moneroo: 10 entries, the library's
	// own key included).
	Metadata map[string]string
	// Options carries the provider's own typed options: hero.Options,
	// hub2.Options, helloasso.Options or moneroo.Options (value or pointer).
	// An adapter given another provider's options refuses the request.
	Options any
}

// NextActionType says what the customer must do to go on with a payment.
type NextActionType string

// The next actions.
const (
	NextActionRedirect NextActionType = "redirect" // open NextAction.URL
	NextActionOTP      NextActionType = "otp"      // enter a one-time code (see the adapter's Authenticate)
	NextActionUSSD     NextActionType = "ussd"     // follow the USSD instructions in NextAction.Message
)

// NextAction is what the customer must do next, for direct (non-hosted)
// flows such as Hub2's mobile money.
type NextAction struct {
	Type    NextActionType // what the customer must do
	Message string         // instructions to show the customer
	URL     string         // where to send the customer, for NextActionRedirect
}

// Session is a checkout the provider opened.
type Session struct {
	Provider ProviderName // which provider opened it
	// ID is what Verify, RedirectURL and Refund take: store it with the
	// order.
	ID string
	// RedirectURL is where to send the customer, if the flow has a hosted
	// page.
	RedirectURL string
	// NextAction is what the customer must do next in a direct flow
	// (Hub2's OTP, USSD or redirect); nil otherwise.
	NextAction *NextAction
	// ClientToken is a secret for the merchant's own payment page (Hub2):
	// never log it, never send it anywhere but that page.
	ClientToken string
	// ExpiresAt is when RedirectURL stops working, if the provider says;
	// zero otherwise.
	ExpiresAt time.Time
	// Status is the checkout's state: pending, or action_required.
	Status Status
	// Raw is the provider's answer, secrets removed.
	Raw json.RawMessage
}

// Payment is a payment's verified state.
type Payment struct {
	Provider ProviderName // which provider answered
	ID       string       // the payment's id, the one Verify was asked about
	// Reference is the merchant's order id (CreateRequest.Reference),
	// where the provider keeps it.
	Reference string
	// Status is the payment's state, the same for every provider.
	Status Status
	// ProviderStatus is the provider's own state, unmapped: what to look at
	// when Status is StatusUnknown.
	ProviderStatus string
	// Amount is what the payment is for, in the currency's minor unit.
	Amount Money
	// RefundedAmount is what was refunded and has left; PendingRefundAmount
	// what was asked for and is still on its way. Both are zero Money in
	// the payment's currency when nothing was refunded.
	RefundedAmount      Money
	PendingRefundAmount Money
	// Method is how the customer paid, such as "card" or "mtn_bj", where
	// the provider says.
	Method string
	// FailureCode and FailureMessage are the provider's reason for a failed
	// or declined payment, as it gives them: show FailureMessage to the
	// customer only if the provider meant it for customers.
	FailureCode    string
	FailureMessage string
	// CreatedAt and UpdatedAt are the provider's timestamps; zero if it
	// gives none.
	CreatedAt time.Time
	UpdatedAt time.Time
	// Metadata is what CreateRequest.Metadata stored, where the provider
	// returns it (the library's own keys removed).
	Metadata map[string]string
	// Raw is the provider's answer, secrets removed.
	Raw json.RawMessage
}

// RefundRequest asks to give money back for a payment. A zero Amount refunds
// the whole refundable amount; a smaller one is a partial refund where the
// provider supports it.
type RefundRequest struct {
	// PaymentID is the payment to refund: Session.ID.
	PaymentID string
	// Amount is how much to give back; zero Money refunds everything that
	// remains (what was paid, minus what was refunded or is on its way).
	Amount Money
	// Reason is why, sent where the provider keeps one (at most 1,024
	// bytes; it may span lines).
	Reason string
	// Options carries the provider's own refund options (such as
	// hero.RefundOptions), value or pointer, if it has any.
	Options any
}

// Refund is a refund the provider accepted. Status is StatusSucceeded when the
// money is on its way, StatusPending while the provider processes it.
type Refund struct {
	Provider  ProviderName // which provider accepted it
	ID        string       // the provider's id for the refund, if it gives one
	PaymentID string       // the payment refunded: RefundRequest.PaymentID
	Amount    Money        // how much goes back
	// Status is StatusSucceeded when the money is on its way, StatusPending
	// while the provider processes it.
	Status Status
	// Raw is the provider's answer, secrets removed.
	Raw json.RawMessage
}

// VerifyPaid is the one call to make before fulfilling an order. It asks the
// provider for the payment's state and returns it only if the payment
// succeeded for exactly want (amount and currency). Otherwise it returns an
// error of kind ErrNotPaid (pending, failed, cancelled or refunded: do not
// ship) or ErrIntegrity (paid, but not what the order costs, or the
// provider answered about another payment), with the payment as read, or
// the error Verify returned.
//
// A nil Checkout, an empty paymentID, or a want that is not a positive
// amount in a known currency is an ErrInvalidRequest error, before any
// request.
func VerifyPaid(ctx context.Context, c Checkout, paymentID string, want Money) (*Payment, error) {
	const op = "verify paid"
	var fields []FieldError
	if c == nil {
		fields = append(fields, FieldError{Field: "Checkout", Message: "is nil"})
	}
	if strings.TrimSpace(paymentID) == "" {
		fields = append(fields, FieldError{Field: "PaymentID", Message: "is required"})
	}
	if _, known := MinorUnits(want.Currency); !known {
		fields = append(fields, FieldError{Field: "Want.Currency", Message: "is not a supported ISO 4217 currency: say what the order costs"})
	}
	if want.Amount <= 0 {
		fields = append(fields, FieldError{Field: "Want", Message: "must be positive: say what the order costs"})
	}
	if len(fields) > 0 {
		var provider ProviderName
		if c != nil {
			provider = c.Provider()
		}
		return nil, &Error{Provider: provider, Op: op, Kind: ErrInvalidRequest, Fields: fields, NotSent: true}
	}
	p, err := c.Verify(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	switch {
	case p == nil:
		return nil, &Error{Provider: c.Provider(), Op: op, Kind: ErrMalformedResponse,
			Message: "Verify returned neither a payment nor an error"}
	case p.ID != paymentID:
		// Adapters check this themselves; a payment about another id must
		// never ship this order, whatever Checkout is in use.
		return p, &Error{Provider: c.Provider(), Op: op, Kind: ErrIntegrity, Raw: p.Raw,
			Message: "asked about payment " + paymentID + ", got payment " + p.ID}
	case p.Status != StatusSucceeded:
		return p, &Error{
			Provider: c.Provider(), Op: op, Kind: ErrNotPaid, Code: p.FailureCode,
			Message: "payment " + paymentID + " is " + string(p.Status) + statusDetail(p),
		}
	case p.Amount != want:
		return p, &Error{
			Provider: c.Provider(), Op: op, Kind: ErrIntegrity,
			Message: "payment " + paymentID + " is for " + p.Amount.String() + ", the order expects " + want.String(),
		}
	}
	return p, nil
}

func statusDetail(p *Payment) string {
	if p.ProviderStatus != "" && p.ProviderStatus != string(p.Status) {
		return " (provider status " + p.ProviderStatus + ")"
	}
	return ""
}
