package paymentstest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/unipay/payments"
)

// Persona is a provider a Fake poses as: its name, what it supports, the
// checks its adapter makes before sending anything, how its sessions look,
// and its webhooks and return URLs. Code that passes provider options (such
// as helloasso.Options) or reads a provider's next actions can then be unit
// tested against a Fake that behaves, on every point a merchant's code sees,
// as that provider's adapter does.
//
// Each adapter has its persona in a package of its own, which builds it from
// the adapter itself: moneroo/monerofake, hub2/hub2fake,
// helloasso/helloassofake and hero/herofake. Use those; build a Persona only
// for a provider of your own.
//
// Every field may be left zero: the Fake then behaves as the neutral fake
// (NewFake) does on that point.
type Persona struct {
	// Provider is the name the Fake reports, in its sessions, payments,
	// events, returns and errors. FakeProvider when empty.
	Provider payments.ProviderName
	// Capabilities is what the Fake reports and enforces: Create refuses a
	// currency outside Currencies (nil Currencies: every currency the
	// library knows); Refund returns ErrUnsupported without Refund, and
	// refuses an amount other than what remains without PartialRefund.
	Capabilities payments.Capabilities

	// Validate checks a create request as the provider's adapter does before
	// sending it, and returns the adapter's error (ErrInvalidRequest naming
	// each field, "Options" for another provider's options) or nil; the
	// library's generic checks (a positive amount, a Reference, absolute
	// URLs…) then apply to what it lets through. Nil: the neutral rules,
	// which take FakeOptions and refuse any other options.
	Validate func(req payments.CreateRequest) error
	// ValidateRefund checks a refund request as the adapter does before
	// sending it, or anything else it refuses without asking the provider
	// (ErrUnsupported for a provider without refunds). The Fake then applies
	// what the provider would: only a paid payment, never more than what
	// remains. Nil: the library's generic refund checks.
	ValidateRefund func(req payments.RefundRequest) error
	// UnpaidRefund is the Kind of the error for a refund of a payment that
	// has nothing to refund (unpaid, or refunded in full): ErrConflict for
	// the adapters that say so, ErrInvalidRequest when empty.
	UnpaidRefund payments.Kind

	// Open returns the session of the n-th payment the Fake creates (n
	// counts from 1): its ID in the provider's shape, and how the customer
	// pays (RedirectURL, NextAction, ClientToken, ExpiresAt), with the
	// payment's first Status, StatusPending when left empty; and, for an
	// attempt the provider refuses at once (Hub2's sandbox number without
	// funds), the failure code and message Verify reports. Provider is set
	// by the Fake. Nil: ids "<provider>_pay_<n>" and the Fake's PageURL.
	Open func(n int, req payments.CreateRequest) (payments.Session, Failure)
	// RedirectURL answers Fake.RedirectURL. Nil: the session's RedirectURL
	// while the payment is pending or waits for the customer, ErrConflict
	// once it is settled, ErrUnsupported when the session had none.
	RedirectURL func(s Snapshot) (string, error)
	// Payment adjusts the payment Verify returns, which the Fake fills from
	// the request and the state the test set: the provider's status words
	// (ProviderStatus), Method, what it leaves out (an amount before the
	// payer pays, a Reference it does not keep), Raw in its shape.
	Payment func(s Snapshot, p *payments.Payment)
	// Refund adjusts a refund Refund returns: its ID in the provider's
	// shape (or none), its Status.
	Refund func(s Snapshot, r *payments.Refund)
	// Decline is what Fake.Decline does: the status it leaves (StatusFailed
	// when empty; StatusPending where a refused attempt leaves the checkout
	// open) and the failure code and message Verify then reports.
	Decline Failure

	// Webhook returns the delivery (headers and body) the provider sends
	// about the payment in its current state, signed with secret (the
	// Fake's WebhookSecret), or an error when it sends none in that state.
	// Nil: the neutral fake's event, under FakeSignatureHeader.
	Webhook func(secret string, s Snapshot) (http.Header, []byte, error)
	// ParseWebhook checks and decodes a delivery as the provider's adapter
	// does, keyed with secret. Nil: the neutral fake's.
	ParseWebhook func(secret string, header http.Header, body []byte) (*payments.Event, error)
	// RefusalStatus is the HTTP status payments.WebhookHandler answers a
	// delivery ParseWebhook refused with err, where the provider asks for
	// one (Moneroo's 403). Nil: 400.
	RefusalStatus func(err error) int
	// ReturnQuery returns the query the customer's browser brings back to
	// the ReturnURL, in the provider's shape, the merchant's own parameters
	// included; nil when the flow has no return (a USSD confirmation). Nil:
	// the neutral fake's payment_id, status and reference.
	ReturnQuery func(s Snapshot) url.Values
	// ParseReturn reads a return query as the provider's adapter does.
	// Nil: the neutral fake's.
	ParseReturn func(q url.Values) (*payments.Return, error)
}

// Failure is how a payment did not succeed: the Status it is left in, and
// the provider's failure code and message, which Verify reports
// (Payment.FailureCode, FailureMessage) while the payment is failed or
// canceled.
type Failure struct {
	Status  payments.Status // failed or canceled
	Code    string          // the provider's failure code, as Payment.FailureCode
	Message string          // the provider's message, as Payment.FailureMessage
}

// Snapshot is one payment as a Fake holds it: what a Persona's hooks build
// their answers from, and what a persona package reads for operations of
// its provider's own (hub2fake's Authenticate).
type Snapshot struct {
	// Seq is the payment's number, from 1, in the order they were created.
	Seq int
	// ID is the payment's id, Session.ID.
	ID string
	// Request is the create request, as the merchant's code sent it.
	Request payments.CreateRequest
	// Session is the session Create returned.
	Session payments.Session
	// Status is the payment's state, as the test set it.
	Status payments.Status
	// Refunded is what was refunded so far, in minor units of the
	// payment's currency; Refunds counts the refunds.
	Refunded int64
	Refunds  int
	// Failure is the failure code and message of a failed payment.
	Failure Failure
	// Declined reports that the last attempt was declined (Decline), even
	// when the persona leaves the payment open after a refusal.
	Declined bool
	// Created and Updated are when the payment was created and last changed.
	Created time.Time
	Updated time.Time
}

// NewFakeAs returns an empty Fake posing as p. The persona packages
// (monerofake.New and the others) call it with their provider's persona.
func NewFakeAs(p Persona) *Fake {
	f := newFake()
	if p.Provider == "" {
		p.Provider = FakeProvider
	}
	if p.Capabilities.Currencies == nil {
		p.Capabilities.Currencies = payments.Currencies()
	}
	if p.Decline.Status == "" {
		p.Decline.Status = payments.StatusFailed
	}
	if p.Decline.Status == payments.StatusFailed && p.Decline.Code == "" {
		p.Decline.Code, p.Decline.Message = "declined", "the test declined the payment"
	}
	if p.UnpaidRefund == "" {
		p.UnpaidRefund = payments.ErrInvalidRequest
	}
	f.persona = p
	return f
}

// NewFake returns an empty neutral Fake: provider FakeProvider, every
// currency, refunds in full and in part, webhooks signed under
// FakeSignatureHeader, and FakeOptions as its provider options.
func NewFake() *Fake {
	return NewFakeAs(Persona{
		Capabilities: payments.Capabilities{
			Refund: true, PartialRefund: true, Webhooks: true, SignedWebhooks: true, ReturnURL: true,
		},
	})
}
