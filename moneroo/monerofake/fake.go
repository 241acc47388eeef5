// Package monerofake poses a paymentstest.Fake as Moneroo, for the unit
// tests of code written for package moneroo: code that passes
// moneroo.Options, expects a payer's email and names, handles Moneroo's
// webhooks or its return URL.
//
//	fake := monerofake.New()
//	shop := NewShop(fake) // takes a payments.Checkout: a *moneroo.Client in production
//	s, _ := shop.StartCheckout(ctx, order) // moneroo.Options{Methods: …} are accepted
//	fake.Pay(s.ID)
//	h, body, _ := fake.Webhook(s.ID) // what Moneroo would post
//	rec := httptest.NewRecorder()
//	shop.WebhookHandler().ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks/moneroo", h, body))
//
// The Fake reports payments.Moneroo and the moneroo.Client's capabilities:
// Moneroo's 15 currencies, webhooks and a return URL, no refunds (Refund is
// ErrUnsupported, as at Moneroo) unless it poses as a client configured
// with RefundByPayout (NewWith). Create refuses what moneroo.Client.Create
// refuses, because it runs the adapter's own checks (whole major units, a
// customer with email, first and last name, a ReturnURL, Moneroo's metadata
// cap, another provider's options…) on a client that sends nothing.
// Sessions carry a checkout URL on checkout.moneroo.io; Verify reports
// Moneroo's status words (initiated, pending, success, failed, cancelled)
// in ProviderStatus.
//
// Webhook signs, with WebhookSecret, Moneroo's payment.* event in the shape
// of Moneroo's docs, which a moneroo.Client configured with WebhookSecret
// accepts; a delivery with a bad signature is answered 403 by a
// payments.WebhookHandler, as Moneroo asks. ReturnQuery adds paymentId,
// paymentStatus, monerooPaymentId and monerooPaymentStatus to the
// ReturnURL's query, as Moneroo's two editions of the docs name them.
//
// # Refunds by payout
//
// NewWith(moneroo.Config{RefundByPayout: true}) poses as a client that
// refunds by payout: Capabilities report refunds in full and in part, and
// Refund refuses what the client refuses before sending (an amount with a
// fractional major part, a Reason longer than a payout's description,
// RefundOptions beyond Moneroo's metadata cap), a payment not paid
// (ErrConflict), a payment made with a method that has no payout
// counterpart (ErrUnsupported naming it: the method is Options.Methods[0],
// the one the Fake's payer uses; a payment created without Options.Methods
// is taken as paid with mobile money), and more than what remains
// (ErrInvalidRequest). An accepted refund comes back as the client's does:
// its ID a payout id, its Status pending; the Fake's payout then succeeds
// at once, so Verify reports the amount refunded, with Moneroo's own
// status ("success") in ProviderStatus. The Fake keeps its own account of
// refunds: Config.RefundLedger is not used, and no payout webhooks are
// sent (the simulator, package monerootest, sends them).
//
// For the HTTP exchanges themselves (retries, rate limits, Moneroo's error
// bodies), use the simulator, package monerootest.
package monerofake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/fakekit"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

// WebhookSecret is the Fake's webhook secret (Fake.WebhookSecret): give it
// to moneroo.Config.WebhookSecret to check the Fake's webhooks with a real
// client.
const WebhookSecret = "whsec_moneroo_fake"

// CheckoutURL prefixes the checkout URLs of the Fake's sessions, as
// Moneroo's own do.
const CheckoutURL = "https://checkout.moneroo.io/"

// New returns an empty paymentstest.Fake posing as Moneroo, its
// WebhookSecret set to WebhookSecret: a client with the default
// configuration, without refunds.
func New() *paymentstest.Fake { return NewWith(moneroo.Config{}) }

// NewWith returns an empty paymentstest.Fake posing as a moneroo.Client
// configured with cfg: RefundByPayout and DecimalAmounts apply as they do
// to the client; SecretKey and RefundLedger are not used. Its
// WebhookSecret is cfg.WebhookSecret, or WebhookSecret when empty.
func NewWith(cfg moneroo.Config) *paymentstest.Fake {
	p := PersonaWith(cfg)
	var f *paymentstest.Fake
	if cfg.RefundByPayout {
		// Which method paid is the Fake's to say: the check needs it.
		adapter := p.ValidateRefund
		p.ValidateRefund = func(req payments.RefundRequest) error {
			if err := adapter(req); err != nil {
				return err
			}
			if s, err := f.Snapshot(req.PaymentID); err == nil {
				return refundable(s)
			}
			return nil // the Fake answers an unknown payment itself
		}
	}
	f = paymentstest.NewFakeAs(p)
	f.WebhookSecret = webhookSecret(cfg)
	return f
}

// Persona returns Moneroo's persona, for paymentstest.NewFakeAs: change a
// field (Capabilities, Decline…) to play a case New does not.
func Persona() paymentstest.Persona { return PersonaWith(moneroo.Config{}) }

// PersonaWith returns the persona of a moneroo.Client configured with cfg
// (see NewWith). With cfg.RefundByPayout, its ValidateRefund runs the
// client's own checks, but cannot tell which method paid: NewWith adds
// that check, from the Fake's payments.
func PersonaWith(cfg moneroo.Config) paymentstest.Persona {
	checks, err := client(cfg, webhookSecret(cfg))
	if err != nil {
		// A configuration moneroo.New refuses (an unknown Environment…):
		// the test's own mistake, said at once.
		panic("monerofake: " + err.Error())
	}
	persona := paymentstest.Persona{
		Provider:     payments.Moneroo,
		Capabilities: checks.Capabilities(),
		Validate: func(req payments.CreateRequest) error {
			_, err := checks.Create(context.Background(), req)
			return fakekit.Checked(err)
		},
		ValidateRefund: func(req payments.RefundRequest) error {
			_, err := checks.Refund(context.Background(), req)
			return fakekit.Checked(err)
		},
		Open: func(n int, _ payments.CreateRequest) (payments.Session, paymentstest.Failure) {
			id := fmt.Sprintf("fk%010d", n) // Moneroo's ids: 12 lowercase letters and digits
			return payments.Session{ID: id, RedirectURL: CheckoutURL + id}, paymentstest.Failure{}
		},
		Payment: func(s paymentstest.Snapshot, p *payments.Payment) {
			p.ProviderStatus = status(s.Status)
			// The method the payer chose on the page: the first one allowed.
			if m := options(s.Request).Methods; len(m) > 0 && s.Status != payments.StatusPending {
				p.Method = m[0]
			}
		},
		Decline: paymentstest.Failure{Status: payments.StatusFailed, Code: "declined", Message: "Payment declined by the payer"},
		Webhook: func(secret string, s paymentstest.Snapshot) (http.Header, []byte, error) {
			body, err := webhookBody(s)
			if err != nil {
				return nil, nil, err
			}
			return paymentstest.SignMoneroo(secret, body), body, nil
		},
		ParseWebhook: func(secret string, h http.Header, body []byte) (*payments.Event, error) {
			c, err := client(moneroo.Config{}, secret) // the test may have changed Fake.WebhookSecret
			if err != nil {
				return nil, err
			}
			return c.ParseWebhook(h, body)
		},
		RefusalStatus: checks.RefusalStatus,
		ReturnQuery: func(s paymentstest.Snapshot) url.Values {
			st := status(s.Status)
			return fakekit.ReturnQuery(s.Request.ReturnURL, url.Values{
				"paymentId": {s.ID}, "paymentStatus": {st},
				"monerooPaymentId": {s.ID}, "monerooPaymentStatus": {st},
			})
		},
		ParseReturn: checks.ParseReturn,
	}
	if cfg.RefundByPayout {
		persona.UnpaidRefund = payments.ErrConflict // as the client: only a paid payment is refunded
		persona.Refund = func(s paymentstest.Snapshot, r *payments.Refund) {
			// The client returns the payout's id, and pending: the payout
			// completes later (the Fake's at once).
			r.ID = fmt.Sprintf("5f7b1b2c-0000-4000-8000-%06d%06d", s.Seq, s.Refunds)
			r.Status = payments.StatusPending
		}
	}
	return persona
}

// refundable refuses, as the client does, the refund of a paid payment
// whose method has no payout counterpart. The Fake's payer pays with
// Options.Methods[0]; without Options.Methods, with mobile money.
func refundable(s paymentstest.Snapshot) error {
	m := options(s.Request).Methods
	if !s.Status.Paid() || len(m) == 0 {
		return nil
	}
	if _, ok := moneroo.PayoutMethod(m[0]); !ok {
		return &payments.Error{Provider: payments.Moneroo, Op: "refund", Kind: payments.ErrUnsupported, NotSent: true,
			Message: "payment " + s.ID + " was paid with " + strconv.Quote(m[0]) +
				", which has no Moneroo payout method: it cannot be refunded by payout"}
	}
	return nil
}

// client returns a moneroo.Client configured as cfg that sends nothing,
// checking webhooks with secret (none: it refuses them all, as the adapter
// without Config.WebhookSecret does).
func client(cfg moneroo.Config, secret string) (*moneroo.Client, error) {
	cfg.SecretKey, cfg.WebhookSecret, cfg.RefundLedger = "pvk_sandbox_fake", secret, nil
	return moneroo.New(cfg, fakekit.Offline()...)
}

// webhookSecret is the Fake's webhook secret for cfg.
func webhookSecret(cfg moneroo.Config) string {
	if cfg.WebhookSecret != "" {
		return cfg.WebhookSecret
	}
	return WebhookSecret
}

func options(req payments.CreateRequest) moneroo.Options {
	switch o := req.Options.(type) {
	case moneroo.Options:
		return o
	case *moneroo.Options:
		if o != nil {
			return *o
		}
	}
	return moneroo.Options{}
}

// status is Moneroo's word for s, as its API and webhooks write it.
func status(s payments.Status) string {
	switch s {
	case payments.StatusPending:
		return "initiated"
	case payments.StatusProcessing, payments.StatusActionRequired:
		return "pending" // the payer started paying
	case payments.StatusSucceeded:
		return "success"
	case payments.StatusFailed:
		return "failed"
	case payments.StatusCanceled:
		return "cancelled"
	case payments.StatusRefunded, payments.StatusPartiallyRefunded:
		return "success" // Moneroo knows nothing of refunds by payout: the payment stays paid
	}
	return string(s)
}

// webhookBody is Moneroo's webhook about s, in the shape of the example in
// Moneroo's docs (testdata/moneroo/webhook_payment_success.json): the event
// "payment.<status>", and data with the id, the amount in major units, the
// currency, the status and the customer.
func webhookBody(s paymentstest.Snapshot) ([]byte, error) {
	major, err := s.Request.Amount.Major()
	if err != nil {
		return nil, fmt.Errorf("monerofake: %s is not in whole units, which Moneroo's webhooks carry: %w", s.Request.Amount, err)
	}
	c := s.Request.Customer
	if c == nil {
		c = &payments.Customer{}
	}
	var phone any
	if c.Phone != "" {
		phone = c.Phone
	}
	st := status(s.Status)
	return json.Marshal(map[string]any{
		"event": "payment." + st,
		"data": map[string]any{
			"id": s.ID, "amount": major, "currency": s.Request.Amount.Currency, "status": st,
			"customer": map[string]any{
				"id": fmt.Sprintf("cu%010d", s.Seq), "email": c.Email, "firstName": c.FirstName,
				"lastName": c.LastName, "phone": phone,
			},
		},
	})
}
