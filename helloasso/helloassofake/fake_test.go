package helloassofake_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassofake"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/internal/jsonshape"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

var refs atomic.Int64

// validRequest is a request HelloAsso takes, as in helloasso's own
// contract test.
func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   fmt.Sprintf("A%d", refs.Add(1)),
		Description: "Adhésion 2025",
		Customer: &payments.Customer{
			FirstName: "Jean", LastName: "Dupont", Email: "jean.dupont@example.org",
			DateOfBirth:    time.Date(1986, 7, 6, 0, 0, 0, 0, time.UTC),
			BillingAddress: &payments.Address{Line1: "23 rue du Palmier", City: "Paris", ZipCode: "75000", Country: "FR"},
		},
		ReturnURL: "https://shop.example.org/helloasso/return?ref=A42",
		Metadata:  map[string]string{"cart": "c-981"},
		Options:   helloasso.Options{ContainsDonation: false},
	}
}

func with(f func(*payments.CreateRequest)) payments.CreateRequest {
	r := validRequest()
	f(&r)
	return r
}

// realClient is what the merchant runs in production, with the Fake's
// signature key.
func realClient(t *testing.T) *helloasso.Client {
	t.Helper()
	c, err := helloasso.New(helloasso.Config{ClientID: "id", ClientSecret: "secret", OrganizationSlug: "club", SignatureKey: helloassofake.WebhookSecret})
	require.NoError(t, err)
	return c
}

func TestPosedFakePassesTheContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		f := helloassofake.New()
		return suite.Harness{
			DeclineStaysOpen: true,
			Checkout:         f,
			NewRequest:       validRequest,
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
			UnknownID: "999999999",
			// The adapter's own rules, which the Fake runs.
			Invalid: []suite.InvalidCase{
				{Name: "dollars", Field: "Amount.Currency", Request: with(func(r *payments.CreateRequest) { r.Amount.Currency = "USD" })},
				{Name: "http return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "http://shop.example.org/return" })},
				{Name: "return URL using code", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "https://shop.example.org/r?code=1" })},
				{Name: "placeholder last name", Field: "Customer.LastName", Request: with(func(r *payments.CreateRequest) { r.Customer.LastName = "Test" })},
				{Name: "minor payer", Field: "Customer.DateOfBirth", Request: with(func(r *payments.CreateRequest) { r.Customer.DateOfBirth = time.Now().AddDate(-17, 0, 0) })},
				{Name: "no item name", Field: "Options.ItemName", Request: with(func(r *payments.CreateRequest) { r.Description = "" })},
				{Name: "term in the past", Field: "Options.Terms[0].Date", Request: with(func(r *payments.CreateRequest) {
					r.Options = helloasso.Options{Terms: []helloasso.Term{{Amount: payments.Money{Amount: 1000, Currency: "EUR"}, Date: time.Now().AddDate(0, 0, -1)}}}
				})},
			},
		}
	})
}

func TestRefusesAnotherProvidersOptions(t *testing.T) {
	f := helloassofake.New()
	for _, o := range []any{
		moneroo.Options{Methods: []string{"card_eur"}},
		&hero.Options{Type: hero.Pay3X},
		paymentstest.FakeOptions{Note: "neutral"},
	} {
		_, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Options = o }))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%T", o)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, payments.HelloAsso, perr.Provider)
		_, named := perr.Field("Options")
		assert.True(t, named, "%T: the error names Options: %v", o, perr.Fields)
	}
	assert.Zero(t, f.Payments())
}

func TestAcceptsItsOwnOptions(t *testing.T) {
	f := helloassofake.New()
	tomorrow := time.Now().AddDate(0, 0, 1)
	for _, o := range []any{
		nil,
		helloasso.Options{ItemName: "Cotisation", ContainsDonation: true},
		&helloasso.Options{Terms: []helloasso.Term{{Amount: payments.Money{Amount: 1000, Currency: "EUR"}, Date: tomorrow}}},
	} {
		s, err := f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Options = o }))
		require.NoError(t, err, "%T", o)
		assert.Equal(t, payments.HelloAsso, s.Provider)
		assert.Regexp(t, `^[1-9][0-9]*$`, s.ID, "HelloAsso numbers its checkout intents")
		assert.WithinDuration(t, time.Now().Add(helloasso.RedirectLifetime), s.ExpiresAt, time.Minute)
	}
}

func TestTakesOnlyEuros(t *testing.T) {
	f := helloassofake.New()
	assert.Equal(t, realClient(t).Capabilities(), f.Capabilities())
	for _, cur := range payments.Currencies() {
		amount, err := payments.FromMajor(30, cur)
		require.NoError(t, err)
		_, err = f.Create(context.Background(), with(func(r *payments.CreateRequest) { r.Amount = amount }))
		if cur == "EUR" {
			assert.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, payments.ErrInvalidRequest, cur)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field("Amount.Currency")
		assert.True(t, named, cur)
	}
}

func TestRefundRules(t *testing.T) {
	ctx := context.Background()
	f := helloassofake.New()
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)

	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrConflict, "nothing was paid: the adapter's ErrConflict")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: "not-a-number"})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "the adapter's check of the id")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: hero.RefundOptions{}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "another provider's refund options")

	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 100, Currency: "USD"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "HelloAsso refunds euros")
	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"},
		Options: helloasso.RefundOptions{NoRefundMail: true}})
	require.NoError(t, err, "a partial refund, with HelloAsso's own options")
	assert.Regexp(t, `^[1-9][0-9]*$`, r.ID)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2001, Currency: "EUR"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "above what remains")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err, "the rest")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrConflict, "nothing left")
}

// simulator is HelloAsso played by helloassotest, through the real adapter.
func simulator(t *testing.T) (*helloassotest.Server, *helloasso.Client) {
	t.Helper()
	srv := helloassotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := helloasso.New(helloasso.Config{
		ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug, SignatureKey: helloassotest.SignatureKey,
	}, payments.WithBaseURL(srv.URL), payments.WithRetries(0))
	require.NoError(t, err)
	return srv, c
}

// TestReadsAsTheSimulator walks one checkout through a refused card, a
// payment and two refunds on the simulator, through the real adapter, and
// on the posed Fake, and compares what the merchant's code reads at each
// step: Verify, the return URL, the notification, the refunds.
func TestReadsAsTheSimulator(t *testing.T) {
	ctx := context.Background()
	srv, sim := simulator(t)
	f := helloassofake.New()
	req := validRequest()
	want, err := sim.Create(ctx, req)
	require.NoError(t, err)
	got, err := f.Create(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, want.Status, got.Status)
	assert.InDelta(t, want.ExpiresAt.Unix(), got.ExpiresAt.Unix(), 60)

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
		assert.Equal(t, wp.Method, gp.Method, step)
		assert.Equal(t, wp.Reference, gp.Reference, step)
		assert.Equal(t, wp.Metadata, gp.Metadata, step)
		assert.Equal(t, wp.FailureCode, gp.FailureCode, step)
	}
	sameReturn := func(step string, back *url.URL) {
		t.Helper()
		wq, gq := back.Query(), f.ReturnQuery(got.ID)
		assert.Equal(t, keys(wq), keys(gq), step)
		assert.Equal(t, wq.Get("code"), gq.Get("code"), step)
		assert.Equal(t, wq.Get("ref"), gq.Get("ref"), step)
		wr, err := sim.ParseReturn(wq)
		require.NoError(t, err)
		gr, err := f.ParseReturn(gq)
		require.NoError(t, err)
		assert.Equal(t, got.ID, gr.PaymentID, step)
		assert.Equal(t, wr.ClaimedStatus, gr.ClaimedStatus, step)
	}
	sameNotification := func(step string) {
		t.Helper()
		wh, wb, err := srv.Notification(want.ID, helloasso.EventOrder)
		require.NoError(t, err)
		we, err := sim.ParseWebhook(wh, wb)
		require.NoError(t, err)
		gh, gb, err := f.Webhook(got.ID)
		require.NoError(t, err)
		ge, err := realClient(t).ParseWebhook(gh, gb)
		require.NoError(t, err)
		assert.Equal(t, got.ID, ge.PaymentID, step)
		assert.Equal(t, we.Type, ge.Type, step)
		assert.Equal(t, we.Status, ge.Status, step)
		assert.Equal(t, we.Reference, ge.Reference, step)
		assert.Equal(t, we.Verified, ge.Verified, step)
		// The simulator echoes every pre-filled payer field; HelloAsso's
		// own checkout orders show email, names and country, as the Fake.
		diff, err := jsonshape.Diff(wb, gb, jsonshape.Options{Ignore: []string{"data.payer"}})
		require.NoError(t, err)
		assert.Empty(t, diff, step)
	}

	same("created")
	_, _, err = f.Webhook(got.ID)
	assert.Error(t, err, "no order, no notification")
	_, _, err = srv.Notification(want.ID, helloasso.EventOrder)
	assert.Error(t, err, "no order, no notification")

	back, err := srv.SubmitPage(ctx, want.RedirectURL, false)
	require.NoError(t, err)
	require.NoError(t, f.Decline(got.ID))
	same("refused")
	sameReturn("refused", back)
	sameNotification("refused")

	back, err = srv.SubmitPage(ctx, want.RedirectURL, true)
	require.NoError(t, err)
	require.NoError(t, f.Pay(got.ID))
	same("paid")
	sameReturn("paid", back)
	sameNotification("paid")

	part := payments.RefundRequest{PaymentID: want.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}}
	wr, err := sim.Refund(ctx, part)
	require.NoError(t, err)
	part.PaymentID = got.ID
	gr, err := f.Refund(ctx, part)
	require.NoError(t, err)
	assert.Equal(t, wr.Amount, gr.Amount)
	assert.Equal(t, wr.Status, gr.Status)
	same("partly refunded")
	sameNotification("partly refunded")

	wr, err = sim.Refund(ctx, payments.RefundRequest{PaymentID: want.ID})
	require.NoError(t, err)
	gr, err = f.Refund(ctx, payments.RefundRequest{PaymentID: got.ID})
	require.NoError(t, err)
	assert.Equal(t, wr.Amount, gr.Amount)
	same("refunded")
	sameNotification("refunded")
}

func keys(q url.Values) []string {
	out := make([]string, 0, len(q))
	for k := range q {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestNotificationHasTheShapeOfHelloAssos(t *testing.T) {
	f := helloassofake.New()
	s, err := f.Create(context.Background(), validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	want, err := os.ReadFile("../../testdata/helloasso/notification-order.json")
	require.NoError(t, err)
	diff, err := jsonshape.Diff(want, body, jsonshape.Options{})
	require.NoError(t, err)
	assert.Empty(t, diff)
}

func TestNotificationsTheRealAdapterAccepts(t *testing.T) {
	ctx := context.Background()
	f := helloassofake.New()
	real := realClient(t)
	s, err := f.Create(ctx, validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	ev, err := real.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.Equal(t, s.ID, ev.PaymentID)
	assert.Equal(t, payments.StatusSucceeded, ev.Status)
	assert.True(t, ev.Verified)
	d, err := helloasso.ReadEvent(ev)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"cart": "c-981"}, d.Metadata)
	assert.Equal(t, "Checkout", d.FormType)

	// Without the partner's key, HelloAsso sends them unsigned, and the
	// adapter reads them unverified.
	f.WebhookSecret = ""
	h, body, err = f.Webhook(s.ID)
	require.NoError(t, err)
	assert.Empty(t, h.Get(helloasso.SignatureHeader))
	ev, err = f.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.False(t, ev.Verified)
	_, err = real.ParseWebhook(h, body)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "a client with a key refuses them")
}
