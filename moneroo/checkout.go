package moneroo

import (
	"context"
	"errors"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Options are Moneroo's own settings for a checkout. Pass them (value or
// pointer) in payments.CreateRequest.Options.
type Options struct {
	// Methods limits the checkout to these payment methods, by short code
	// ("mtn_bj", "wave_sn", "card_xof"; see PaymentMethods). Empty allows
	// every method the app has enabled for the currency.
	Methods []string
	// RestrictCountryCode limits the checkout to payers of one country, as
	// an ISO 3166-1 alpha-2 code ("BJ").
	RestrictCountryCode string
	// RestrictedPhone limits the checkout to one phone number. Moneroo takes
	// RestrictCountryCode or RestrictedPhone, never both.
	RestrictedPhone *RestrictedPhone
}

// Capabilities reports what Moneroo supports: webhooks signed with the
// webhook secret and a return URL; refunds, in full or in part, only with
// Config.RefundByPayout (Moneroo has no refund API: money goes back
// through a payout).
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund:         c.cfg.RefundByPayout,
		PartialRefund:  c.cfg.RefundByPayout,
		Webhooks:       true,
		SignedWebhooks: true,
		ReturnURL:      true,
		Currencies:     Currencies(),
	}
}

// Create opens a Moneroo hosted checkout for req and returns its id and
// checkout URL.
//
// Before sending anything it refuses, with ErrInvalidRequest naming the
// field: a currency Moneroo does not list, an amount with a fractional major
// part (Moneroo documents whole units: 10.50 USD is not sent, and never
// rounded, unless Config.DecimalAmounts is set), a customer without email,
// first or last name, a missing ReturnURL, a Description longer than
// MaxDescription characters (or, when it is empty, a "Order <Reference>"
// that would be), names, city, state or zip code longer than MaxName and an
// address longer than MaxAddress, both Options.RestrictCountryCode and
// Options.RestrictedPhone, a Metadata key ReferenceMetadataKey holding
// something other than Reference, and more Metadata than Moneroo takes:
// MaxMetadataEntries (10) entries, ReferenceMetadataKey included, so at most
// 9 of the merchant's own. An empty Description becomes "Order <Reference>".
// CancelURL and ErrorURL are not sent: Moneroo returns the payer to
// ReturnURL whatever the outcome.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	const op = "create checkout"
	fe, amount, opts := checkCreate(req, c.cfg.DecimalAmounts)
	if err := fe.Err(payments.Moneroo, op); err != nil {
		return nil, err
	}
	out, err := c.initialize(ctx, initializeRequest(req, amount, opts))
	if err != nil {
		mapFields(err, func(name string) string { return createField(name, &req) })
		return nil, withOp(err, op)
	}
	return &payments.Session{
		Provider:    payments.Moneroo,
		ID:          out.ID,
		RedirectURL: out.RedirectURL(),
		Status:      payments.StatusPending,
		Raw:         out.Raw,
	}, nil
}

// RedirectURL returns the checkout URL of a payment the payer has not
// finished, read from Moneroo (GET /v1/payments/{id}). A payment that
// already succeeded, failed or was cancelled has nothing left to pay: that
// is an ErrConflict error. An answer without a usable checkout URL is an
// ErrMalformedResponse error: keep Session.RedirectURL from Create.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	t, err := c.RetrievePayment(ctx, paymentID)
	if err != nil {
		return "", withOp(err, op)
	}
	if st := mapStatus(t.Status); st.Final() {
		return "", &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict, Raw: t.Raw,
			Message: "payment " + paymentID + " is already " + t.Status + ": there is nothing left to pay"}
	}
	u := t.CheckoutURL
	if u == "" {
		u = t.Link
	}
	msg := "Moneroo did not return the checkout URL of payment " + paymentID
	if u != "" {
		msg = check.URL(u, false)
	}
	if msg != "" {
		return "", &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse, Raw: t.Raw,
			Message: "the checkout URL of payment " + paymentID + " is unusable: " + msg + "; keep Session.RedirectURL from Create"}
	}
	return u, nil
}

// Verify asks Moneroo for the payment's state (GET /v1/payments/{id}/verify)
// and returns it with the amount in minor units, Reference from the
// metadata Create stored it in, and the raw answer. With a Production
// config, a payment Moneroo reports as made in its sandbox is an
// ErrIntegrity error: a test key is in use where real money was expected.
//
// With Config.RefundByPayout, a paid payment's refunds come from the refund
// ledger, after those whose payouts are on their way are settled (each
// payout is read: GET /v1/payouts/{id}/verify): RefundedAmount is what
// reached the payer, PendingRefundAmount what is reserved or on its way,
// and the status is refunded once both cover the payment, partially
// refunded before. A ledger that cannot be read fails Verify
// (ErrUnavailable): a payment whose refunds are unknown must not ship.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	const op = "verify"
	v, raw, err := readPayment[verified](ctx, c, opVerify, paymentID, "/verify", routeVerify)
	if err != nil {
		return nil, withOp(err, op)
	}
	p, err := v.payment(raw)
	if err != nil {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse,
			Message: err.Error(), Raw: raw}
	}
	if c.cfg.Environment == payments.Production && strings.EqualFold(v.Environment, "sandbox") {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, Raw: raw,
			Message: "payment " + paymentID + " was made in Moneroo's sandbox, but the client is configured for Production: is a sandbox key in use?"}
	}
	if c.ledger != nil && v.Status == "success" {
		if err := c.addRefunds(ctx, op, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// withOp names the provider-neutral operation on an error from the typed
// API, keeping the provider's own operation in the message.
func withOp(err error, op string) error {
	var perr *payments.Error
	if errors.As(err, &perr) && perr.Op != op {
		perr.Op = op + " (" + perr.Op + ")"
	}
	return err
}

// metadataEntries is how many metadata entries Create sends: the merchant's
// and ReferenceMetadataKey, unless the merchant gave that key (own) already.
func metadataEntries(m map[string]string, own bool) int {
	if own {
		return len(m)
	}
	return len(m) + 1
}
