package helloasso_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest"
)

func eur(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }

func TestInvalidPayerNamesAreRefusedWithNoRequestWhenStrict(t *testing.T) {
	srv, c := newSim(t)
	for _, name := range []string{"Jean2", "J", "Test", "admin", "Brrr", "Bcd", "Loïc", "Иван", "Jean!", "Jean_Paul"} {
		for _, field := range []string{"Customer.FirstName", "Customer.LastName"} {
			req := validRequest()
			req.Options = helloasso.Options{StrictPayer: true}
			if field == "Customer.FirstName" {
				req.Customer.FirstName = name
			} else {
				req.Customer.LastName = name
			}
			_, err := c.Create(context.Background(), req)
			require.ErrorIs(t, err, payments.ErrInvalidRequest, "%s %q", field, name)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, named := perr.Field(field)
			assert.True(t, named, "%s %q: %v", field, name, perr.Fields)
		}
	}
	assert.Zero(t, srv.Requests(), "nothing sent, not even a token request")
}

// TestNamesHelloAssoRefusesAreLeftOutByDefault: "Loïc" and "Jérôme" are
// common French names HelloAsso refuses, though its payer fields are
// optional: the checkout is made without them, the report and an Info log
// line name the fields, never their values.
func TestNamesHelloAssoRefusesAreLeftOutByDefault(t *testing.T) {
	var logs bytes.Buffer
	srv, c := newSim(t, payments.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	ctx := context.Background()
	req := validRequest()
	req.Customer.FirstName, req.Customer.LastName = "Loïc", "Jérôme"

	r, err := c.CreateWithReport(ctx, req)
	require.NoError(t, err, "the simulator refuses these names as HelloAsso does: they were not sent")
	require.Len(t, r.LeftOut, 2)
	assert.Equal(t, payments.FieldError{Field: "Customer.FirstName", ProviderField: "payer.firstName",
		Message: "must not contain 'ï': HelloAsso allows letters, accented e, a and u, ç, the apostrophe and the hyphen"}, r.LeftOut[0])
	assert.Equal(t, "Customer.LastName", r.LeftOut[1].Field)
	assert.Equal(t, payments.StatusPending, r.Session.Status)

	require.NoError(t, srv.Pay(r.Session.ID))
	id, _ := strconv.ParseInt(r.Session.ID, 10, 64)
	ci, err := c.GetCheckoutIntent(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, ci.Order.Payer)
	assert.Empty(t, ci.Order.Payer.FirstName, "left out")
	assert.Empty(t, ci.Order.Payer.LastName, "left out")
	assert.Equal(t, req.Customer.Email, ci.Order.Payer.Email, "the rest of the payer is sent")

	line := logs.String()
	assert.Contains(t, line, `"level":"INFO"`)
	assert.Contains(t, line, `"fields":["Customer.FirstName","Customer.LastName"]`)
	assert.Contains(t, line, `"reference":"`+req.Reference+`"`)
	assert.NotContains(t, line, "Lo\\u00efc")
	for _, v := range []string{"Loïc", "Jérôme", "J\\u00e9r"} {
		assert.NotContains(t, line, v, "the payer's name is personal data")
	}

	// Create says nothing more, and takes the same request.
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	assert.NotEmpty(t, s.ID)

	// A merchant who prefers the refusal asks for it.
	req.Options = helloasso.Options{StrictPayer: true}
	before := srv.Requests()
	_, err = c.Create(ctx, req)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Customer.FirstName")
	assert.True(t, named)
	assert.Equal(t, before, srv.Requests(), "nothing sent")
}

func TestHTTPURLsAndInconsistentTermsAreRefusedWithNoRequest(t *testing.T) {
	srv, c := newSim(t)
	next := time.Now().AddDate(0, 1, 0)
	for _, tc := range []struct {
		field  string
		mutate func(*payments.CreateRequest)
	}{
		{"ReturnURL", func(r *payments.CreateRequest) { r.ReturnURL = "http://shop.example.org/return" }},
		{"CancelURL", func(r *payments.CreateRequest) { r.CancelURL = "http://shop.example.org/cart" }},
		{"ErrorURL", func(r *payments.CreateRequest) { r.ErrorURL = "http://shop.example.org/error" }},
		{"Options.InitialAmount", func(r *payments.CreateRequest) {
			r.Options = helloasso.Options{InitialAmount: eur(1000), Terms: []helloasso.Term{{Amount: eur(1000), Date: next}}}
		}},
		{"Options.Terms", func(r *payments.CreateRequest) {
			r.Options = helloasso.Options{Terms: []helloasso.Term{{Amount: eur(2000), Date: next}, {Amount: eur(1000), Date: next.AddDate(0, 1, 0)}}}
		}},
		{"Options.Terms[1].Date", func(r *payments.CreateRequest) {
			r.Options = helloasso.Options{Terms: []helloasso.Term{{Amount: eur(1000), Date: next}, {Amount: eur(1000), Date: next.AddDate(0, -1, 0)}}}
		}},
	} {
		req := validRequest()
		tc.mutate(&req)
		_, err := c.Create(context.Background(), req)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, tc.field)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field(tc.field)
		assert.True(t, named, "%s: %v", tc.field, perr.Fields)
	}
	assert.Zero(t, srv.Requests())
}

func TestPartialThenFullRefund(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	walk(t, srv, s, true)

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1000), Reason: "one seat cancelled"})
	require.NoError(t, err)
	assert.Equal(t, eur(1000), r.Amount)
	assert.Equal(t, payments.StatusSucceeded, r.Status)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, eur(1000), p.RefundedAmount)

	// Above what remains (2000): refused before anything is sent.
	before := srv.Requests()
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(2001)})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Amount")
	assert.True(t, named)
	assert.Equal(t, before+1, srv.Requests(), "only the read of the checkout intent")

	r, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, eur(2000), r.Amount, "the rest")
	p, err = c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, "Refunded", p.ProviderStatus)
	assert.Equal(t, eur(3000), p.RefundedAmount)

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1)})
	require.ErrorIs(t, err, payments.ErrConflict, "nothing left")
}

// TestSimulatorRefusesARefundAboveWhatRemains goes around the adapter's own
// check, with the typed API, to see HelloAsso's refusal.
func TestSimulatorRefusesARefundAboveWhatRemains(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	walk(t, srv, s, true)
	id, _ := strconv.ParseInt(s.ID, 10, 64)
	ci, err := c.GetCheckoutIntent(ctx, id)
	require.NoError(t, err)
	pay := ci.Order.Payments[0].ID

	_, err = c.RefundPayment(ctx, pay, helloasso.RefundParams{Amount: 2500})
	require.NoError(t, err)
	_, err = c.RefundPayment(ctx, pay, helloasso.RefundParams{Amount: 501})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, http.StatusBadRequest, perr.HTTPStatus)
	assert.Equal(t, "Error", perr.Code)

	op, err := c.RefundPayment(ctx, pay, helloasso.RefundParams{Amount: 500, SendRefundMail: true})
	require.NoError(t, err)
	assert.Equal(t, int64(500), op.Amount)
	assert.Equal(t, "Processed", op.State)
	assert.True(t, op.SendRefundMail)

	detail, err := c.GetPayment(ctx, pay)
	require.NoError(t, err)
	assert.Equal(t, "Refunded", detail.State)
	require.NotNil(t, detail.Order)
	assert.Equal(t, ci.Order.ID, detail.Order.ID)
	assert.Nil(t, detail.Order.CheckoutIntentID, "as in HelloAsso's example, the payment's order does not name the intent")
	require.Len(t, detail.RefundOperations, 2)
	assert.Equal(t, "Processed", detail.RefundOperations[1].Status)

	_, err = c.RefundPayment(ctx, pay, helloasso.RefundParams{})
	require.ErrorIs(t, err, payments.ErrConflict, "Code : 113, the payment is no longer authorized")
}

func TestRefundBeforePaymentOrAfterRefusal(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrConflict, "unpaid")
	walk(t, srv, s, false)
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrConflict, "refused")
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 100, Currency: "USD"}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: helloasso.Options{}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "checkout options are not refund options")
}

func TestInstalments(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	req := validRequest()
	req.Amount = eur(7000)
	next := time.Now().AddDate(0, 1, 0)
	req.Options = helloasso.Options{Terms: []helloasso.Term{{Amount: eur(2000), Date: next}, {Amount: eur(2000), Date: next.AddDate(0, 1, 0)}}}
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	walk(t, srv, s, true)

	p, err := payments.VerifyPaid(ctx, c, s.ID, eur(7000))
	require.NoError(t, err, "paid: the first instalment went through; Amount is the total")
	assert.Equal(t, "Authorized", p.ProviderStatus)

	id, _ := strconv.ParseInt(s.ID, 10, 64)
	ci, err := c.GetCheckoutIntent(ctx, id)
	require.NoError(t, err)
	require.Len(t, ci.Order.Payments, 3)
	assert.Equal(t, []string{"Authorized", "Pending", "Pending"}, states(ci.Order.Payments))
	assert.Equal(t, int64(3000), ci.Order.Payments[0].Amount)

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: helloasso.RefundOptions{CancelOrder: true}})
	require.NoError(t, err)
	assert.Equal(t, eur(3000), r.Amount, "what was paid")
	o, err := c.GetOrder(ctx, ci.Order.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"Refunded", "Canceled", "Canceled"}, states(o.Payments))
	p, err = c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
}

func states(ps []helloasso.OrderPayment) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.State
	}
	return out
}

func TestCancelOrderCancelsFutureInstalmentsOnly(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	req := validRequest()
	req.Options = helloasso.Options{InitialAmount: eur(2000), Terms: []helloasso.Term{{Amount: eur(1000), Date: time.Now().AddDate(0, 0, 7)}}}
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	walk(t, srv, s, true)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	id, _ := strconv.ParseInt(s.ID, 10, 64)
	ci, err := c.GetCheckoutIntent(ctx, id)
	require.NoError(t, err)
	require.NoError(t, c.CancelOrder(ctx, ci.Order.ID))
	o, err := c.GetOrder(ctx, ci.Order.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"Authorized", "Canceled"}, states(o.Payments))
	after, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Status, after.Status, "the first payment still stands")
	require.ErrorIs(t, c.CancelOrder(ctx, 1), payments.ErrNotFound)
}

func TestRedirectURLAndTheCheckoutPage(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(15*time.Minute), s.ExpiresAt, time.Minute)

	again, err := c.RedirectURL(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, s.RedirectURL, again)

	first := walk(t, srv, s, true)
	assert.Equal(t, s.ID, first.Get("checkoutIntentId"))
	assert.Equal(t, "succeeded", first.Get("code"))
	assert.NotEmpty(t, first.Get("orderId"))
	assert.Equal(t, "A42", first.Get("ref"), "the merchant's own parameters survive")
	assert.Equal(t, first, walk(t, srv, s, false), "a payer coming back twice gets the same answer")
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "the second submission changed nothing")

	_, err = c.RedirectURL(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrConflict, "nothing to resume once paid")
}

func TestAnExpiredCheckoutTakesNoPayment(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	require.NoError(t, srv.Expire(s.ID))
	_, err = srv.Walk(ctx, s, true)
	require.Error(t, err)
	require.ErrorIs(t, srv.Pay(s.ID), helloassotest.ErrCheckoutClosed)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, p.Status, "HelloAsso's intent says nothing of expiry")
}

func TestVerifyRefusesIDsThatAreNotHelloAssos(t *testing.T) {
	srv, c := newSim(t)
	for _, id := range []string{"", "abc", "-1", "0", "12 34", "cs_123"} {
		_, err := c.Verify(context.Background(), id)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%q", id)
		_, err = c.RedirectURL(context.Background(), id)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%q", id)
		_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: id})
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%q", id)
	}
	assert.Zero(t, srv.Requests())
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("a read is retried after a 503", func(t *testing.T) {
		srv, c := newSim(t, payments.WithRetries(2))
		s, err := c.Create(ctx, validRequest())
		require.NoError(t, err)
		srv.Faults.Add(paymentstest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Body: "{}"})
		_, err = c.Verify(ctx, s.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.Faults.Injected())
	})
	t.Run("a create is not retried after a 502", func(t *testing.T) {
		srv, c := newSim(t, payments.WithRetries(2))
		_, err := c.Create(ctx, validRequest()) // warms the token
		require.NoError(t, err)
		before := srv.Requests()
		srv.Faults.Add(paymentstest.HTMLError(http.StatusBadGateway))
		_, err = c.Create(ctx, validRequest())
		require.ErrorIs(t, err, payments.ErrUnavailable)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Contains(t, string(perr.Raw), "502 Bad Gateway", "the raw body is kept")
		assert.Equal(t, before+1, srv.Requests(), "sent once: a retry could open a second checkout")
	})
	t.Run("a truncated answer", func(t *testing.T) {
		srv, c := newSim(t)
		s, err := c.Create(ctx, validRequest())
		require.NoError(t, err)
		srv.Faults.Add(paymentstest.Fault{Method: http.MethodGet, Path: "/v5/", Truncate: true})
		_, err = c.Verify(ctx, s.ID)
		require.ErrorIs(t, err, payments.ErrMalformedResponse)
	})
	t.Run("a refund refused with 429 is retried", func(t *testing.T) {
		srv, c := newSim(t, payments.WithRetries(1))
		s, err := c.Create(ctx, validRequest())
		require.NoError(t, err)
		walk(t, srv, s, true)
		srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/v5/payments/", Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {"0"}}, Body: `{"message":"Too Many Requests"}`})
		r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
		require.NoError(t, err, "HelloAsso did not act on a 429: safe to send again")
		assert.Equal(t, eur(3000), r.Amount)
	})
	t.Run("an unknown organization", func(t *testing.T) {
		srv := helloassotest.NewServer()
		defer srv.Close()
		c, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret, OrganizationSlug: "someone-else"},
			payments.WithBaseURL(srv.URL))
		require.NoError(t, err)
		_, err = c.Create(ctx, validRequest())
		require.ErrorIs(t, err, payments.ErrPermission)
	})
}

// TestADeclinedCheckoutReadsPendingUntilTheReturnIsVerified follows
// HelloAsso's spec: the intent carries its order only once a payment is
// authorised. A refused card leaves the intent without an order, so Verify
// says pending (never paid); VerifyReturn reads the order the return URL
// names, once HelloAsso confirms it belongs to the checkout.
func TestADeclinedCheckoutReadsPendingUntilTheReturnIsVerified(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	req := validRequest()
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	back := walk(t, srv, s, false)

	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, p.Status, "the intent shows no order for a refused card")
	_, err = payments.VerifyPaid(ctx, c, s.ID, req.Amount)
	require.ErrorIs(t, err, payments.ErrNotPaid)

	ret, err := c.ParseReturn(back)
	require.NoError(t, err)
	p, err = c.VerifyReturn(ctx, ret)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, p.Status)
	assert.Equal(t, "Refused", p.FailureCode)
	assert.Equal(t, req.Reference, p.Reference, "the intent's metadata")
	assert.Equal(t, s.ID, p.ID)
	assert.Contains(t, string(p.Raw), `"state":"Refused"`, "the order's JSON")

	// A return naming another checkout's order changes nothing.
	other, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	walk(t, srv, other, false)
	forged, err := c.ParseReturn(url.Values{"checkoutIntentId": {other.ID}, "orderId": {back.Get("orderId")}})
	require.NoError(t, err)
	p, err = c.VerifyReturn(ctx, forged)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, p.Status, "order %s is not checkout %s's", back.Get("orderId"), other.ID)
	unknown, err := c.ParseReturn(url.Values{"checkoutIntentId": {s.ID}, "orderId": {"999999"}})
	require.NoError(t, err)
	p, err = c.VerifyReturn(ctx, unknown)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, p.Status, "an order that does not exist")

	// The page stays open after a refusal: the payer tries another card.
	again, err := c.RedirectURL(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, s.RedirectURL, again)
	paid := walk(t, srv, s, true)
	assert.Equal(t, "succeeded", paid.Get("code"))
	_, err = payments.VerifyPaid(ctx, c, s.ID, req.Amount)
	require.NoError(t, err)
	ret, err = c.ParseReturn(back)
	require.NoError(t, err)
	p, err = c.VerifyReturn(ctx, ret)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "the intent's own order wins over an older attempt")

	_, err = c.VerifyReturn(ctx, nil)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = c.VerifyReturn(ctx, &payments.Return{Provider: payments.Hub2, PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
}
