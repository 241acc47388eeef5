package herofake_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herofake"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

var orderSeq atomic.Int64

// validRequest is a request Hero takes, as in hero's own tests: a business
// customer with a billing address.
func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-" + strconv.FormatInt(orderSeq.Add(1), 10),
		ReturnURL: "https://shop.example.com/hero/return?lang=fr",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000", Reference: "cust_42",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001", Country: "FR"},
		},
		Options: hero.Options{Type: hero.Pay1X},
	}
}

func with(f func(*payments.CreateRequest)) payments.CreateRequest {
	r := validRequest()
	f(&r)
	return r
}

func eur(cents int64) payments.Money { return payments.Money{Amount: cents, Currency: "EUR"} }

func TestPosedFakePassesTheContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		f := herofake.New()
		return suite.Harness{
			Checkout:   f,
			NewRequest: validRequest,
			Pay: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Pay(s.ID))
				return f.ReturnQuery(s.ID)
			},
			Decline: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Decline(s.ID))
				return f.ReturnQuery(s.ID)
			},
			Requests:  f.Payments,
			UnknownID: "payment_doesnotexist0000",
			// The adapter's own rules, which the Fake runs.
			Invalid: []suite.InvalidCase{
				{Name: "dollars", Field: "Amount.Currency", Request: with(func(r *payments.CreateRequest) { r.Amount.Currency = "USD" })},
				{Name: "no customer", Field: "Customer", Request: with(func(r *payments.CreateRequest) { r.Customer = nil })},
				{Name: "no phone", Field: "Customer.Phone", Request: with(func(r *payments.CreateRequest) { r.Customer.Phone = "" })},
				{Name: "no zip code", Field: "Customer.BillingAddress.ZipCode", Request: with(func(r *payments.CreateRequest) { r.Customer.BillingAddress.ZipCode = "" })},
				{Name: ".localhost return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "https://shop.localhost/return" })},
				{Name: "not a payment type", Field: "Options.Type", Request: with(func(r *payments.CreateRequest) { r.Options = &hero.Options{Type: "Pay 3X"} })},
				{Name: "bad SIREN", Field: "Options.Siren", Request: with(func(r *payments.CreateRequest) { r.Options = hero.Options{Siren: "88222138"} })},
			},
		}
	})
}

func TestRefusesAnotherProvidersOptions(t *testing.T) {
	f := herofake.New()
	for _, o := range []any{
		helloasso.Options{ItemName: "Adhésion"},
		&hub2.Options{Country: "CI"},
		paymentstest.FakeOptions{Note: "neutral"},
	} {
		_, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Options = o }))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%T", o)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, payments.Hero, perr.Provider)
		_, named := perr.Field("Options")
		assert.True(t, named, "%T: the error names Options: %v", o, perr.Fields)
	}
	assert.Zero(t, f.Payments())
}

func TestAcceptsItsOwnOptions(t *testing.T) {
	f := herofake.New()
	for _, o := range []any{nil, hero.Options{Type: hero.Pay3X, Siren: "882221380"}, &hero.Options{CompanyName: "Other Corp"}} {
		s, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Options = o }))
		require.NoError(t, err, "%T", o)
		assert.Equal(t, payments.Hero, s.Provider)
		assert.Equal(t, herofake.PageURL+s.ID, s.RedirectURL)
		assert.Regexp(t, `^payment_[0-9a-z]{20}$`, s.ID, "Hero's id shape")
	}
}

func TestTakesOnlyEurosAndNoWebhooks(t *testing.T) {
	f := herofake.New()
	real, err := hero.New(hero.Config{APIKey: "k"})
	require.NoError(t, err)
	assert.Equal(t, real.Capabilities(), f.Capabilities())
	for _, cur := range payments.Currencies() {
		amount, err := payments.FromMajor(50, cur)
		require.NoError(t, err)
		_, err = f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Amount = amount }))
		if cur == "EUR" {
			assert.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, payments.ErrInvalidRequest, cur)
	}
	s, err := f.Create(context.Background(), validRequest())
	require.NoError(t, err)
	_, _, err = f.Webhook(s.ID)
	assert.ErrorIs(t, err, payments.ErrUnsupported, "Hero documents no webhook")
	_, err = f.ParseWebhook(http.Header{}, []byte(`{}`))
	assert.ErrorIs(t, err, payments.ErrUnsupported)
}

func TestRefundRules(t *testing.T) {
	ctx := context.Background()
	f := herofake.New()
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrConflict, "nothing paid")
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 100, Currency: "USD"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "Hero refunds euros")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: helloasso.RefundOptions{}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "another provider's refund options")
	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(2000), Options: hero.RefundOptions{PaymentCheckoutID: "paycheckout-x"}})
	require.NoError(t, err)
	assert.Empty(t, r.ID, "Hero gives refunds no id")
	r, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, eur(3000), r.Amount, "what remains")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrConflict, "nothing left")
}

// unlimited lets the real client talk to the simulator without keeping to
// Hero's caps.
type unlimited struct{}

func (unlimited) Wait(context.Context, payments.Limit) error { return nil }

// TestReadsAsTheSimulator walks payments through Hero's page on the
// simulator, through the real adapter, and on the posed Fake, and compares
// what the merchant's code reads: Verify, the return URL, the refunds.
func TestReadsAsTheSimulator(t *testing.T) {
	ctx := context.Background()
	srv := herotest.NewServer()
	t.Cleanup(srv.Close)
	sim, err := hero.New(hero.Config{APIKey: herotest.APIKey, PaymentPageURL: srv.URL},
		payments.WithBaseURL(srv.URL), payments.WithRateLimiter(unlimited{}))
	require.NoError(t, err)
	f := herofake.New()

	for _, button := range []string{"pay", "decline"} {
		t.Run(button, func(t *testing.T) {
			req := validRequest()
			want, err := sim.Create(ctx, req)
			require.NoError(t, err)
			got, err := f.Create(ctx, req)
			require.NoError(t, err)
			assert.Equal(t, want.Status, got.Status)

			same := func(step string) {
				t.Helper()
				wp, err := sim.Verify(ctx, want.ID)
				require.NoError(t, err)
				gp, err := f.Verify(ctx, got.ID)
				require.NoError(t, err)
				assert.Equal(t, wp.Status, gp.Status, step)
				assert.Equal(t, wp.ProviderStatus, gp.ProviderStatus, step)
				assert.Equal(t, wp.Amount, gp.Amount, step)
				assert.Equal(t, wp.RefundedAmount, gp.RefundedAmount, step)
				assert.Equal(t, wp.PendingRefundAmount, gp.PendingRefundAmount, step)
				assert.Equal(t, wp.FailureCode, gp.FailureCode, step)
				assert.Equal(t, wp.FailureMessage, gp.FailureMessage, step)
				assert.Equal(t, wp.Reference, gp.Reference, step)
				assert.Equal(t, wp.Metadata, gp.Metadata, step)
				assert.Equal(t, wp.Method, gp.Method, step)
			}
			same("created")

			back, err := simkit.SubmitForm(ctx, want.RedirectURL+"/"+button, nil)
			require.NoError(t, err)
			if button == "pay" {
				require.NoError(t, f.Pay(got.ID))
			} else {
				require.NoError(t, f.Decline(got.ID))
			}
			same(button)
			q := f.ReturnQuery(got.ID)
			assert.Equal(t, back.Query(), q, "the query the browser brings back")
			wr, err := sim.ParseReturn(back.Query())
			require.NoError(t, err)
			gr, err := f.ParseReturn(q)
			require.NoError(t, err)
			assert.Equal(t, wr, gr)
			if button != "pay" {
				return
			}

			wf, err := sim.Refund(ctx, payments.RefundRequest{PaymentID: want.ID, Amount: eur(1000)})
			require.NoError(t, err)
			gf, err := f.Refund(ctx, payments.RefundRequest{PaymentID: got.ID, Amount: eur(1000)})
			require.NoError(t, err)
			assert.Equal(t, wf.Amount, gf.Amount)
			assert.Equal(t, wf.Status, gf.Status)
			assert.Equal(t, wf.ID, gf.ID)
			same("partly refunded")
			_, err = sim.Refund(ctx, payments.RefundRequest{PaymentID: want.ID})
			require.NoError(t, err)
			_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: got.ID})
			require.NoError(t, err)
			same("refunded")
		})
	}
}
