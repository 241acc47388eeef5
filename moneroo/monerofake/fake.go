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
// ErrUnsupported, as at Moneroo). Create refuses what moneroo.Client.Create
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
// For the HTTP exchanges themselves (retries, rate limits, Moneroo's error
// bodies), use the simulator, package monerootest.
package monerofake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

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
// WebhookSecret set to WebhookSecret.
func New() *paymentstest.Fake {
	f := paymentstest.NewFakeAs(Persona())
	f.WebhookSecret = WebhookSecret
	return f
}

// Persona returns Moneroo's persona, for paymentstest.NewFakeAs: change a
// field (Capabilities, Decline…) to play a case New does not.
func Persona() paymentstest.Persona {
	checks, err := client(WebhookSecret)
	if err != nil {
		// The configuration is this package's own: only a change to
		// moneroo.Config's rules can get here.
		panic("monerofake: " + err.Error())
	}
	return paymentstest.Persona{
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
			c, err := client(secret) // the test may have changed Fake.WebhookSecret
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
}

// client returns a moneroo.Client that sends nothing, checking webhooks
// with secret (none: it refuses them all, as the adapter without
// Config.WebhookSecret does).
func client(secret string) (*moneroo.Client, error) {
	return moneroo.New(moneroo.Config{SecretKey: "pvk_sandbox_fake", WebhookSecret: secret}, fakekit.Offline()...)
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
	}
	return string(s) // Moneroo has no refunds: a test that sets one gets its own word
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
