// Package herofake poses a paymentstest.Fake as Hero, for the unit tests of
// code written for package hero: code that passes hero.Options, sends a
// business customer, finds its order from the return URL, or refunds.
//
//	fake := herofake.New()
//	shop := NewShop(fake) // a *hero.Client in production
//	s, _ := shop.StartCheckout(ctx, order) // hero.Options{Type: hero.Pay3X} are accepted
//	fake.Pay(s.ID)
//	ret, _ := fake.ParseReturn(fake.ReturnQuery(s.ID)) // ret.Reference is the order's
//
// The Fake reports payments.Hero and the hero.Client's capabilities: EUR
// only, refunds in full and in part, a return URL, no webhooks (Hero
// documents none: Webhook and ParseWebhook fail with ErrUnsupported).
// Create refuses what hero.Client.Create refuses, because it runs the
// adapter's own checks (a business customer with company name, email,
// phone and billing address, a ReturnURL off .localhost hosts, a payment
// type, a SIREN, another provider's options…) on a client that sends
// nothing; Refund likewise refuses what hero.Client.Refund refuses before
// asking Hero, and a refund of a payment with nothing paid or left is an
// ErrConflict, as Hero's PAYMENT_NOT_STARTED is.
//
// Verify reads as hero.Client.Verify reads Hero's getPaymentsInfos: no
// Reference (Hero does not give the order id back), ProviderStatus
// "isSuccess=… error=…", FailureCode PAYMENT_NOT_INITIATED while the
// customer has not paid. Hero has no status field: a payment the test puts
// in processing reads pending, and a cancelled one failed
// (PAYMENT_EXPIRED). Decline makes Hero report PAYMENT_DECLINED, as the
// simulator does. ReturnQuery adds hero_ref (the Reference) to the
// ReturnURL's query, as the adapter asks Hero to, and ParseReturn reads it
// back as hero.Client.ParseReturn does.
//
// For the GraphQL exchanges themselves, use the simulator, package
// herotest.
package herofake

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/internal/fakekit"
	"github.com/unipay/payments/paymentstest"
)

// PageURL prefixes the payment pages of the Fake's sessions: Hero's
// staging payment page.
const PageURL = "https://staging.pay.heropay.eu/checkout/"

// The errors getPaymentsInfos reports for a payment Hero declined or that
// expired. Hero documents no value for them; these are herotest's.
const (
	ErrDeclined = "PAYMENT_DECLINED"
	ErrExpired  = "PAYMENT_EXPIRED"
)

// New returns an empty paymentstest.Fake posing as Hero.
func New() *paymentstest.Fake { return paymentstest.NewFakeAs(Persona()) }

// Persona returns Hero's persona, for paymentstest.NewFakeAs: change a
// field (Capabilities, Decline…) to play a case New does not.
func Persona() paymentstest.Persona {
	checks, err := hero.New(hero.Config{APIKey: "hero_fake_api_key"}, fakekit.Offline()...)
	if err != nil {
		// The configuration is this package's own: only a change to
		// hero.Config's rules can get here.
		panic("herofake: " + err.Error())
	}
	return paymentstest.Persona{
		Provider:     payments.Hero,
		Capabilities: checks.Capabilities(),
		Validate: func(req payments.CreateRequest) error {
			_, err := checks.Create(context.Background(), req)
			return fakekit.Checked(err)
		},
		ValidateRefund: func(req payments.RefundRequest) error {
			_, err := checks.Refund(context.Background(), req)
			return fakekit.Checked(err)
		},
		UnpaidRefund: payments.ErrConflict,
		Open: func(n int, _ payments.CreateRequest) (payments.Session, paymentstest.Failure) {
			id := fmt.Sprintf("payment_fake%016d", n) // Hero's ids: "payment_" and 20 characters
			return payments.Session{ID: id, RedirectURL: PageURL + id}, paymentstest.Failure{}
		},
		Payment: payment,
		Refund: func(_ paymentstest.Snapshot, r *payments.Refund) {
			r.ID = "" // Hero gives refunds no id
		},
		Decline: paymentstest.Failure{Status: payments.StatusFailed, Code: ErrDeclined},
		ReturnQuery: func(s paymentstest.Snapshot) url.Values {
			if s.Status == payments.StatusPending && !s.Declined {
				return nil // the customer has not been through the page
			}
			return fakekit.ReturnQuery(s.Request.ReturnURL, url.Values{hero.ReturnReferenceParam: {s.Request.Reference}})
		},
		ParseReturn: checks.ParseReturn,
	}
}

// payment makes Verify read as hero.Client.Verify reads getPaymentsInfos:
// whether the payment was finalised, its error, its amounts, and nothing
// of the order.
func payment(s paymentstest.Snapshot, p *payments.Payment) {
	eur := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }
	p.Reference, p.Metadata, p.Method = "", nil, ""
	p.CreatedAt, p.UpdatedAt = time.Time{}, time.Time{} // Hero does not say when
	p.RefundedAmount, p.PendingRefundAmount = eur(0), eur(0)
	p.FailureCode, p.FailureMessage = "", ""
	switch s.Status {
	case payments.StatusSucceeded, payments.StatusPartiallyRefunded, payments.StatusRefunded:
		p.ProviderStatus = "isSuccess=true"
		p.RefundedAmount = eur(s.Refunded)
		if s.Status == payments.StatusRefunded {
			p.RefundedAmount = eur(s.Request.Amount.Amount)
		}
		return
	case payments.StatusFailed, payments.StatusCanceled:
		code := s.Failure.Code
		if s.Status == payments.StatusCanceled || code == "" {
			code = ErrExpired
		}
		p.Status, p.FailureCode = payments.StatusFailed, code
	default:
		// Hero says nothing of a payment under way: not finalised, not
		// initiated.
		p.Status, p.FailureCode = payments.StatusPending, hero.CodePaymentNotInitiated
		p.FailureMessage = "the customer has not paid (yet)"
	}
	p.ProviderStatus = "isSuccess=false error=" + p.FailureCode
}
