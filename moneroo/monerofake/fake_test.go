package monerofake_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/internal/jsonshape"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerofake"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

var refs atomic.Int64

// validRequest is a create request Moneroo accepts, as in moneroo's own
// contract test: XOF in whole francs, a customer with email and names.
func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-" + strconv.FormatInt(refs.Add(1), 10),
		ReturnURL: "https://shop.example.com/return?order=42",
		Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com", Phone: "+22997000000"},
		Metadata:  map[string]string{"cart": "c-1"},
		Options:   moneroo.Options{Methods: []string{"mtn_bj"}},
	}
}

func with(f func(*payments.CreateRequest)) payments.CreateRequest {
	r := validRequest()
	f(&r)
	return r
}

// realClient is what the merchant runs in production, configured with the
// Fake's webhook secret.
func realClient(t *testing.T) *moneroo.Client {
	t.Helper()
	c, err := moneroo.New(moneroo.Config{SecretKey: "pvk_test", WebhookSecret: monerofake.WebhookSecret})
	require.NoError(t, err)
	return c
}

func TestPosedFakePassesTheContract(t *testing.T) {
	suite.Contract(t, contract(moneroo.Config{}))
}

// TestPosedFakeRefundingByPayoutPassesTheContract poses as a client with
// refunds by payout: the suite refunds in part and in full.
func TestPosedFakeRefundingByPayoutPassesTheContract(t *testing.T) {
	suite.Contract(t, contract(moneroo.Config{RefundByPayout: true}))
}

func contract(cfg moneroo.Config) func(t *testing.T) suite.Harness {
	return func(t *testing.T) suite.Harness {
		f := monerofake.NewWith(cfg)
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
			Requests: f.Payments,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, body, err := f.Webhook(id)
				require.NoError(t, err)
				return h, body
			},
			UnknownID: "zzzzzzzzzzzz",
			// The adapter's own rules, which the Fake runs.
			Invalid: []suite.InvalidCase{
				{Name: "no customer", Field: "Customer.Email", Request: with(func(r *payments.CreateRequest) { r.Customer = nil })},
				{Name: "no last name", Field: "Customer.LastName", Request: with(func(r *payments.CreateRequest) { r.Customer.LastName = "" })},
				{Name: "no return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "" })},
				{Name: "10.50 USD", Field: "Amount", Request: with(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 1050, Currency: "USD"} })},
				{Name: "both restrictions", Field: "Options.RestrictedPhone", Request: with(func(r *payments.CreateRequest) {
					r.Options = moneroo.Options{RestrictCountryCode: "BJ", RestrictedPhone: &moneroo.RestrictedPhone{Number: "22951345780", CountryCode: "BJ"}}
				})},
				{Name: "the reserved metadata key", Field: "Metadata", Request: with(func(r *payments.CreateRequest) {
					r.Metadata = map[string]string{moneroo.ReferenceMetadataKey: "something else"}
				})},
			},
		}
	}
}

func TestRefusesAnotherProvidersOptions(t *testing.T) {
	f := monerofake.New()
	for _, o := range []any{
		helloasso.Options{ItemName: "Adhésion"},
		&hub2.Options{Country: "CI", Provider: "mtn", MSISDN: "00000001"},
		paymentstest.FakeOptions{Note: "neutral"},
	} {
		_, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Options = o }))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%T", o)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, payments.Moneroo, perr.Provider)
		_, named := perr.Field("Options")
		assert.True(t, named, "%T: the error names Options: %v", o, perr.Fields)
		assert.True(t, perr.NotSent)
	}
	assert.Zero(t, f.Payments())
}

func TestAcceptsItsOwnOptions(t *testing.T) {
	ctx := context.Background()
	f := monerofake.New()
	for _, o := range []any{nil, moneroo.Options{Methods: []string{"mtn_bj"}}, &moneroo.Options{RestrictCountryCode: "BJ"}} {
		s, err := f.Create(ctx, with(func(r *payments.CreateRequest) { r.Options = o }))
		require.NoError(t, err, "%T", o)
		assert.Equal(t, payments.Moneroo, s.Provider)
		assert.Equal(t, monerofake.CheckoutURL+s.ID, s.RedirectURL)
		assert.Regexp(t, `^[a-z0-9]{12}$`, s.ID, "Moneroo's id shape")
	}
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, "success", p.ProviderStatus)
	assert.Equal(t, "mtn_bj", p.Method)
}

func TestTakesOnlyMonerosCurrencies(t *testing.T) {
	f := monerofake.New()
	real := realClient(t)
	assert.Equal(t, real.Capabilities(), f.Capabilities())
	for _, cur := range payments.Currencies() {
		amount, err := payments.FromMajor(100, cur)
		require.NoError(t, err)
		_, err = f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Amount = amount }))
		if moneroo.SupportsCurrency(cur) {
			assert.NoError(t, err, cur)
			continue
		}
		require.ErrorIs(t, err, payments.ErrInvalidRequest, cur)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field("Amount.Currency")
		assert.True(t, named, cur)
	}
}

func TestRefundIsUnsupported(t *testing.T) {
	ctx := context.Background()
	f := monerofake.New()
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.Moneroo, perr.Provider)
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "nothing was refunded")
}

func TestRefundsByPayoutAsTheClientConfiguredSo(t *testing.T) {
	ctx := context.Background()
	f := monerofake.NewWith(moneroo.Config{RefundByPayout: true})
	real, err := moneroo.New(moneroo.Config{SecretKey: "pvk_test", RefundByPayout: true})
	require.NoError(t, err)
	assert.Equal(t, real.Capabilities(), f.Capabilities())
	assert.True(t, f.Capabilities().PartialRefund)

	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrConflict, "unpaid, as the client says")
	require.NoError(t, f.Pay(s.ID))

	for name, req := range map[string]payments.RefundRequest{
		"a fractional amount": {PaymentID: s.ID, Amount: payments.Money{Amount: 1050, Currency: "USD"}},
		"a long reason":       {PaymentID: s.ID, Reason: strings.Repeat("x", moneroo.MaxDescription+1)},
	} {
		_, err := f.Refund(ctx, req)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, name)
	}
	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2000, Currency: "XOF"}})
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, r.ID, "a payout id")
	assert.Equal(t, payments.StatusPending, r.Status, "the payout completes later, as the client says")
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, payments.Money{Amount: 2000, Currency: "XOF"}, p.RefundedAmount)
	assert.Equal(t, "success", p.ProviderStatus, "Moneroo's payment stays paid")

	card, err := f.Create(ctx, with(func(r *payments.CreateRequest) { r.Options = moneroo.Options{Methods: []string{"card_xof"}} }))
	require.NoError(t, err)
	require.NoError(t, f.Pay(card.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: card.ID})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	assert.Contains(t, err.Error(), `"card_xof"`)

	hook := monerofake.NewWith(moneroo.Config{RefundByPayout: true, WebhookSecret: "whsec_mine"})
	assert.Equal(t, "whsec_mine", hook.WebhookSecret)
	assert.Panics(t, func() { monerofake.NewWith(moneroo.Config{Environment: 7}) }, "a configuration the client refuses")
}

func TestWebhooksTheRealAdapterAccepts(t *testing.T) {
	ctx := context.Background()
	f := monerofake.New()
	real := realClient(t)
	for _, c := range []struct {
		set   func(string) error
		event string
		want  payments.Status
	}{
		{func(string) error { return nil }, "payment.initiated", payments.StatusPending},
		{f.Pay, "payment.success", payments.StatusSucceeded},
		{f.Decline, "payment.failed", payments.StatusFailed},
		{func(id string) error { return f.SetStatus(id, payments.StatusCanceled) }, "payment.cancelled", payments.StatusCanceled},
	} {
		s, err := f.Create(ctx, validRequest())
		require.NoError(t, err)
		require.NoError(t, c.set(s.ID))
		h, body, err := f.Webhook(s.ID)
		require.NoError(t, err)

		ev, err := real.ParseWebhook(h, body)
		require.NoError(t, err, c.event)
		assert.Equal(t, s.ID, ev.PaymentID)
		assert.Equal(t, c.event, ev.Type)
		assert.Equal(t, c.want, ev.Status)
		assert.True(t, ev.Verified)
		same, err := f.ParseWebhook(h, body)
		require.NoError(t, err)
		assert.Equal(t, ev, same, "the Fake reads its webhooks as the adapter does")
	}
}

// TestWebhookHasTheShapeOfMonerosDocs compares the Fake's body with the
// example of Moneroo's docs, and checks what the adapter does not read:
// the amount in major units, the customer.
func TestWebhookHasTheShapeOfMonerosDocs(t *testing.T) {
	f := monerofake.New()
	s, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 10000, Currency: "USD"} }))
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	want, err := os.ReadFile("../../testdata/moneroo/webhook_payment_success.json")
	require.NoError(t, err)
	diff, err := jsonshape.Diff(want, body, jsonshape.Options{})
	require.NoError(t, err)
	assert.Empty(t, diff)

	var got struct {
		Data struct {
			Amount   json.Number `json:"amount"`
			Currency string      `json:"currency"`
			Customer struct {
				Email     string `json:"email"`
				FirstName string `json:"firstName"`
			} `json:"customer"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Equal(t, json.Number("100"), got.Data.Amount, "100.00 USD is 100 in Moneroo's major units")
	assert.Equal(t, "USD", got.Data.Currency)
	assert.Equal(t, "awa@example.com", got.Data.Customer.Email)
	assert.Equal(t, "Awa", got.Data.Customer.FirstName)
}

func TestABadSignatureIsAnswered403(t *testing.T) {
	f := monerofake.New()
	s, err := f.Create(context.Background(), validRequest())
	require.NoError(t, err)
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	h.Set(moneroo.SignatureHeader, "00"+h.Get(moneroo.SignatureHeader)[2:])
	rec := httptest.NewRecorder()
	payments.WebhookHandler(f, func(context.Context, *payments.Event) error { return nil }).
		ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", h, body))
	assert.Equal(t, http.StatusForbidden, rec.Code)
}

func TestReturnQueriesTheRealAdapterAccepts(t *testing.T) {
	ctx := context.Background()
	f := monerofake.New()
	real := realClient(t)
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Decline(s.ID))
	q := f.ReturnQuery(s.ID)
	assert.Equal(t, "42", q.Get("order"), "the ReturnURL's own query comes back")
	r, err := real.ParseReturn(q)
	require.NoError(t, err)
	assert.Equal(t, s.ID, r.PaymentID)
	assert.Equal(t, payments.StatusFailed, r.ClaimedStatus)
	assert.Equal(t, payments.Moneroo, r.Provider)
}

// TestReadsAsTheSimulator walks checkouts through Moneroo's page on the
// simulator, through the real adapter, and on the posed Fake, and compares
// what the merchant's code reads: Verify, the return URL, the webhook.
func TestReadsAsTheSimulator(t *testing.T) {
	ctx := context.Background()
	srv, sim := monerootest.Start(t)
	f := monerofake.New()
	for _, pay := range []bool{true, false} {
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
			assert.Equal(t, wp.Reference, gp.Reference, step)
			assert.Equal(t, wp.Metadata, gp.Metadata, step)
			assert.Equal(t, wp.Method, gp.Method, step)
		}
		same("created")

		var back *url.URL
		if pay {
			back, err = srv.WalkWithPhone(ctx, want, monerootest.PhoneSuccess)
			require.NoError(t, err)
			require.NoError(t, f.Pay(got.ID))
		} else {
			back, err = srv.Walk(ctx, want, false)
			require.NoError(t, err)
			require.NoError(t, f.Decline(got.ID))
		}
		same("settled")
		wq, gq := back.Query(), f.ReturnQuery(got.ID)
		for k := range wq {
			assert.True(t, gq.Has(k), "the return has %s", k)
		}
		assert.Equal(t, len(wq), len(gq))
		assert.Equal(t, wq.Get("paymentStatus"), gq.Get("paymentStatus"))
		wr, err := sim.ParseReturn(wq)
		require.NoError(t, err)
		gr, err := f.ParseReturn(gq)
		require.NoError(t, err)
		assert.Equal(t, wr.ClaimedStatus, gr.ClaimedStatus)

		wh, wb, err := srv.Webhook(want.ID)
		require.NoError(t, err)
		we, err := sim.ParseWebhook(wh, wb)
		require.NoError(t, err)
		gh, gb, err := f.Webhook(got.ID)
		require.NoError(t, err)
		ge, err := f.ParseWebhook(gh, gb)
		require.NoError(t, err)
		assert.Equal(t, we.Type, ge.Type)
		assert.Equal(t, we.Status, ge.Status)
		diff, err := jsonshape.Diff(wb, gb, jsonshape.Options{})
		require.NoError(t, err)
		assert.Empty(t, diff)
	}
}

func TestWebhookSecretIsTheFakes(t *testing.T) {
	f := monerofake.New()
	s, err := f.Create(context.Background(), validRequest())
	require.NoError(t, err)
	f.WebhookSecret = "whsec_rotated"
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	_, err = f.ParseWebhook(h, body)
	require.NoError(t, err, "signed and checked with the secret the test set")
	_, err = realClient(t).ParseWebhook(h, body)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "not with the old one")

	f.WebhookSecret = ""
	_, err = f.ParseWebhook(h, body)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "no secret: every delivery is refused, as by the adapter")
	f.WebhookSecret = "bad\x00secret"
	assert.NotPanics(t, func() { _, err = f.ParseWebhook(h, body) })
	assert.Error(t, err)
}
