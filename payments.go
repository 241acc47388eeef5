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
	FirstName       string
	LastName        string
	Email           string
	Phone           string // E.164, such as "+22507000000"
	CompanyName     string
	Reference       string    // the merchant's customer id
	DateOfBirth     time.Time // only the date is used; zero if unknown
	BillingAddress  *Address
	DeliveryAddress *Address
}

// Address is a postal address. Country is ISO 3166-1 alpha-2 ("FR", "CI");
// adapters convert it to the provider's form.
type Address struct {
	Line1   string
	Line2   string
	City    string
	ZipCode string
	State   string
	Country string
}

// CreateRequest describes a checkout to open.
type CreateRequest struct {
	Amount      Money
	Reference   string // the merchant's order id; required
	Description string // what is bought, shown to the customer where the provider shows it
	Customer    *Customer
	ReturnURL   string // where the customer comes back after paying
	CancelURL   string // where the customer goes on "back" or cancel, where the provider has one
	ErrorURL    string // where the customer goes on an error, where the provider has one
	Metadata    map[string]string
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
	Type    NextActionType
	Message string // instructions to show the customer
	URL     string // for NextActionRedirect
}

// Session is a checkout the provider opened.
type Session struct {
	Provider    ProviderName
	ID          string // what Verify, RedirectURL and Refund take; store it with the order
	RedirectURL string // where to send the customer, if the flow has a hosted page
	NextAction  *NextAction
	ClientToken string    // a secret for the merchant's own page (Hub2); never log it
	ExpiresAt   time.Time // when RedirectURL stops working, if the provider says
	Status      Status
	Raw         json.RawMessage // the provider's response
}

// Payment is a payment's verified state.
type Payment struct {
	Provider            ProviderName
	ID                  string
	Reference           string // the merchant's order id, where the provider keeps it
	Status              Status
	ProviderStatus      string // the provider's own state, unmapped
	Amount              Money
	RefundedAmount      Money
	PendingRefundAmount Money
	Method              string // such as "card" or "mtn_bj", where known
	FailureCode         string
	FailureMessage      string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Metadata            map[string]string
	Raw                 json.RawMessage // the provider's response
}

// RefundRequest asks to give money back for a payment. A zero Amount refunds
// the whole refundable amount; a smaller one is a partial refund where the
// provider supports it.
type RefundRequest struct {
	PaymentID string
	Amount    Money
	Reason    string
	// Options carries the provider's own refund options, if it has any.
	Options any
}

// Refund is a refund the provider accepted. Status is StatusSucceeded when the
// money is on its way, StatusPending while the provider processes it.
type Refund struct {
	Provider  ProviderName
	ID        string
	PaymentID string
	Amount    Money
	Status    Status
	Raw       json.RawMessage
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
