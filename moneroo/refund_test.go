package moneroo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
)

// refundSim starts a simulator and a client for it with refunds by payout
// on (cfg's other settings kept), and opts.
func refundSim(t *testing.T, cfg moneroo.Config, opts ...payments.Option) (*monerootest.Server, *moneroo.Client) {
	t.Helper()
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	return srv, refundClient(t, srv, cfg, opts...)
}

// refundClient returns a client of srv with refunds by payout on.
func refundClient(t *testing.T, srv *monerootest.Server, cfg moneroo.Config, opts ...payments.Option) *moneroo.Client {
	t.Helper()
	cfg.SecretKey, cfg.WebhookSecret, cfg.RefundByPayout = monerootest.SecretKey, monerootest.WebhookSecret, true
	c, err := moneroo.New(cfg, append([]payments.Option{payments.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	return c
}

// paidWith creates req's checkout and pays it on the hosted page with
// phone, as the payer would; it returns the payment id.
func paidWith(t *testing.T, srv *monerootest.Server, c *moneroo.Client, req payments.CreateRequest, phone string) string {
	t.Helper()
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	_, err = srv.WalkWithPhone(context.Background(), s, phone)
	require.NoError(t, err)
	st, err := srv.Status(s.ID)
	require.NoError(t, err)
	require.Equal(t, "success", st)
	return s.ID
}

func xof(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }

var refundIDRE = regexp.MustCompile(`^rf_[0-9a-f]{24}$`)

func TestRefundSendsThePayoutTheDocsPaymentCalls(t *testing.T) {
	// The payment of the docs' verify example: paid 200 XOF with mtn_bj
	// from 22951345780 by John Doe. Its refund is a payout of the same
	// amount, to the same number, with the same method.
	m, c := newMock(t, moneroo.Config{RefundByPayout: true})
	m.on(http.MethodGet, verifyURL("k4su1ii7abdz"), http.StatusOK, fixture(t, "verify_success_xof.json"), nil)
	m.on(http.MethodPost, payoutInitializeURL, http.StatusCreated, fixture(t, "payout_initialize.json"), nil)

	r, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: "k4su1ii7abdz"})
	require.NoError(t, err)
	assert.Equal(t, &payments.Refund{Provider: payments.Moneroo, ID: "5f7b1b2c-1b2c-5f7b-0000-000000000000", PaymentID: "k4su1ii7abdz",
		Amount: xof(200), Status: payments.StatusPending, Raw: fixture(t, "payout_initialize.json")}, r)

	reqs := m.requests()
	require.Len(t, reqs, 2, "verify, then the payout")
	assert.Equal(t, payoutInitializeURL, reqs[1].URL)
	var sent struct{ Metadata map[string]string }
	require.NoError(t, json.Unmarshal(reqs[1].Body, &sent))
	refundID := sent.Metadata[moneroo.RefundMetadataKey]
	assert.Regexp(t, refundIDRE, refundID)
	assert.Equal(t, `{"amount":200,"currency":"XOF","description":"Refund of payment k4su1ii7abdz",`+
		`"customer":{"email":"john@example.com","first_name":"John","last_name":"Doe"},`+
		`"metadata":{"unipay_payment":"k4su1ii7abdz","unipay_refund":"`+refundID+`"},`+
		`"method":"mtn_bj","recipient":{"msisdn":"22951345780"}}`, string(reqs[1].Body))

	// Verify reads the payout (still pending at first, then paid) and
	// reports the refund.
	payout := func(status string) []byte {
		var v map[string]any
		require.NoError(t, json.Unmarshal(fixture(t, "payout_verify_success.json"), &v))
		d := v["data"].(map[string]any)
		d["id"], d["status"], d["amount"] = r.ID, status, 200
		d["currency"].(map[string]any)["code"] = "XOF"
		d["metadata"] = map[string]string{moneroo.PaymentMetadataKey: "k4su1ii7abdz", moneroo.RefundMetadataKey: refundID}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
	m.on(http.MethodGet, payoutURL(r.ID, "/verify"), http.StatusOK, payout("pending"), nil)
	p, err := c.Verify(context.Background(), "k4su1ii7abdz")
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status, "all of it is on its way")
	assert.Equal(t, xof(0), p.RefundedAmount)
	assert.Equal(t, xof(200), p.PendingRefundAmount)

	m.on(http.MethodGet, payoutURL(r.ID, "/verify"), http.StatusOK, payout("success"), nil)
	p, err = c.Verify(context.Background(), "k4su1ii7abdz")
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, xof(200), p.RefundedAmount)
	assert.Equal(t, xof(0), p.PendingRefundAmount)
	_, err = payments.VerifyPaid(context.Background(), c, "k4su1ii7abdz", xof(200))
	require.ErrorIs(t, err, payments.ErrNotPaid, "a refunded order must not ship")

	calls := m.GetTotalCallCount()
	_, err = c.Verify(context.Background(), "k4su1ii7abdz")
	require.NoError(t, err)
	assert.Equal(t, calls+1, m.GetTotalCallCount(), "a settled refund's payout is not read again")
}

func TestRefundByPayoutInPartsUpToWhatWasPaid(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	req := refundableRequest()
	id := paidWith(t, srv, c, req, "+229 51 34 57 80")

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000), Reason: "One bag arrived torn"})
	require.NoError(t, err)
	assert.Equal(t, xof(2000), r.Amount)
	assert.Equal(t, payments.StatusPending, r.Status)

	payouts := srv.Payouts()
	require.Len(t, payouts, 1)
	po := payouts[0]
	assert.Equal(t, r.ID, po.ID)
	assert.Equal(t, xof(2000), po.Amount)
	assert.Equal(t, "mtn_bj", po.Method)
	assert.Equal(t, "22951345780", po.MSISDN, "the number the payer paid with, without +")
	assert.Equal(t, "One bag arrived torn", po.Description)
	assert.Equal(t, "awa@example.com", po.Customer.Email)
	assert.Equal(t, "Awa", po.Customer.FirstName)
	assert.Equal(t, "Diallo", po.Customer.LastName)
	assert.Equal(t, id, po.Metadata[moneroo.PaymentMetadataKey])
	assert.Equal(t, req.Reference, po.Metadata[moneroo.ReferenceMetadataKey])
	assert.Regexp(t, refundIDRE, po.Metadata[moneroo.RefundMetadataKey])
	assert.Len(t, po.Metadata, 3)

	p, err := c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, xof(2000), p.RefundedAmount)
	assert.Equal(t, xof(0), p.PendingRefundAmount)

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(3001)})
	require.ErrorIs(t, err, payments.ErrConflict, "3000 remain")
	assert.Len(t, srv.Payouts(), 1, "nothing sent")

	r, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id})
	require.NoError(t, err)
	assert.Equal(t, xof(3000), r.Amount, "a zero amount refunds what remains")
	p, err = c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, xof(5000), p.RefundedAmount)

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id})
	require.ErrorIs(t, err, payments.ErrConflict, "nothing remains")
	assert.Len(t, srv.Payouts(), 2)

	entries, err := c.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 2)
	for _, e := range entries {
		assert.Equal(t, payments.RefundSucceeded, e.State)
		assert.NotEmpty(t, e.PayoutID)
	}
	assert.Equal(t, "One bag arrived torn", entries[0].Reason)
}

func TestRefundOfTheSandboxDemoPaymentPaysTheDemoAccount(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	req := validRequest()
	req.Amount = payments.Money{Amount: 5000, Currency: "USD"} // the simulator's USD payer uses moneroo_payment_demo
	id := paidWith(t, srv, c, req, "(414) 951-8161")
	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: payments.Money{Amount: 1000, Currency: "USD"}})
	require.NoError(t, err)
	po := srv.Payouts()[0]
	assert.Equal(t, moneroo.DemoPayoutMethod, po.Method)
	assert.Equal(t, monerootest.PayoutSuccess, po.AccountNumber)
	assert.Empty(t, po.MSISDN)
	assert.Equal(t, payments.Money{Amount: 1000, Currency: "USD"}, po.Amount, "10 USD")
	assert.Equal(t, "success", po.Status)
}

func TestTwoConcurrentRefundsCannotOverdraw(t *testing.T) {
	// Two replicas, each with its own client, share one ledger: of the
	// refunds racing for the same payment, only those within what was paid
	// leave.
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	ledger := &payments.MemoryRefundLedger{}
	replicas := []*moneroo.Client{
		refundClient(t, srv, moneroo.Config{RefundLedger: ledger}),
		refundClient(t, srv, moneroo.Config{RefundLedger: ledger}),
	}
	id := paidWith(t, srv, replicas[0], refundableRequest(), monerootest.PhoneSuccess)

	const n = 8
	var ok, conflict atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := replicas[i%2].Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: xof(3000)})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, payments.ErrConflict):
				conflict.Add(1)
			default:
				t.Errorf("refund: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int32(1), ok.Load(), "3000 of 5000: one refund only")
	assert.Equal(t, int32(n-1), conflict.Load())
	require.Len(t, srv.Payouts(), 1, "one payout left")
	p, err := replicas[1].Verify(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, xof(3000), p.RefundedAmount)
}

func TestTheRefundIsReservedBeforeThePayoutLeaves(t *testing.T) {
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	ledger := &payments.MemoryRefundLedger{}
	var seen []payments.RefundEntry
	spy := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/payouts/initialize" {
			var err error
			seen, err = ledger.Refunds(r.Context(), r.Header.Get("X-Test-Payment"))
			if err != nil {
				return nil, err
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := refundClient(t, srv, moneroo.Config{RefundLedger: ledger}, payments.WithHTTPClient(&http.Client{Transport: spy}))
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	spy.payment = id

	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: xof(1000)})
	require.NoError(t, err)
	require.Len(t, seen, 1, "the ledger held the refund when the payout left")
	assert.Equal(t, payments.RefundReserved, seen[0].State)
	assert.Empty(t, seen[0].PayoutID)
	assert.Equal(t, xof(1000), seen[0].Amount)
	after, err := ledger.Refunds(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundPending, after[0].State, "confirmed once Moneroo answered")
	assert.Equal(t, srv.Payouts()[0].ID, after[0].PayoutID)
}

// spyTransport sends each request through f, with the header
// X-Test-Payment naming the payment under test.
type spyTransport struct {
	f       func(*http.Request) (*http.Response, error)
	payment string
}

func roundTrip(f func(*http.Request) (*http.Response, error)) *spyTransport {
	return &spyTransport{f: f}
}

func (s *spyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Test-Payment", s.payment)
	return s.f(r)
}

func TestAnAmbiguousFailureStaysReservedAndIsNeverResent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault paymentstest.Fault
		made  bool // whether Moneroo made the payout
		kind  payments.Kind
	}{
		{"the answer cut in half", paymentstest.Truncated(), true, payments.ErrMalformedResponse},
		{"a 503", paymentstest.ServerError(503), false, payments.ErrUnavailable},
		{"an HTML 502 from a proxy", paymentstest.HTMLError(502), false, payments.ErrUnavailable},
		{"no answer in time", paymentstest.Slow(2 * time.Second), false, payments.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := refundSim(t, moneroo.Config{}, payments.WithRetries(3), payments.WithTimeout(300*time.Millisecond),
				payments.WithBackoff(time.Millisecond, time.Millisecond))
			ctx := context.Background()
			id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
			fault := tc.fault
			fault.Method, fault.Path = http.MethodPost, "/v1/payouts/initialize"
			srv.Faults.Add(fault)
			before := srv.Requests()

			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000)})
			require.ErrorIs(t, err, tc.kind)
			assert.True(t, payments.MaybeSent(err))
			var reserved *moneroo.ReservedRefund
			require.ErrorAs(t, err, &reserved)
			assert.Equal(t, id, reserved.PaymentID)
			assert.Equal(t, xof(2000), reserved.Amount)
			assert.Empty(t, reserved.PayoutID)
			assert.Contains(t, err.Error(), "stays reserved")
			assert.Contains(t, err.Error(), "SettleRefund")
			assert.Contains(t, err.Error(), reserved.RefundID)
			assert.Equal(t, 1, srv.Faults.Injected())
			assert.Equal(t, before+2, srv.Requests(), "verify, then the payout once: never sent again")
			if tc.made {
				require.Len(t, srv.Payouts(), 1, "Moneroo made it; the answer was lost")
			} else {
				assert.Empty(t, srv.Payouts())
			}

			// The reserved amount counts: Verify reports it on its way, and
			// another refund only takes what is left.
			p, err := c.Verify(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
			assert.Equal(t, xof(2000), p.PendingRefundAmount)
			r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id})
			require.NoError(t, err)
			assert.Equal(t, xof(3000), r.Amount, "the rest, not the reserved 2000 again")
			_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id})
			require.ErrorIs(t, err, payments.ErrConflict)
			entries, err := c.Refunds(ctx, id)
			require.NoError(t, err)
			require.Len(t, entries, 2)
			assert.Equal(t, payments.RefundReserved, entries[0].State, "still reserved: only finding the payout settles it")
		})
	}
}

func TestAReservedRefundIsSettledByItsPayout(t *testing.T) {
	// Moneroo made the payout, and the answer was lost.
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/v1/payouts/initialize", Truncate: true})
	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000)})
	var reserved *moneroo.ReservedRefund
	require.ErrorAs(t, err, &reserved)
	payout := srv.Payouts()[0]

	t.Run("by the merchant, with the payout's id from the dashboard", func(t *testing.T) {
		other := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
		_, err := c.SettleRefund(ctx, other, reserved.RefundID, payout.ID)
		require.ErrorIs(t, err, payments.ErrNotFound, "the refund belongs to its payment")
		otherRefund, err := c.Refund(ctx, payments.RefundRequest{PaymentID: other, Amount: xof(2000)})
		require.NoError(t, err)
		_, err = c.SettleRefund(ctx, id, reserved.RefundID, otherRefund.ID)
		require.ErrorIs(t, err, payments.ErrIntegrity, "a payout carrying another refund's id")
		require.ErrorIs(t, c.ReleaseRefund(ctx, other, mustRefundID(t, c, other)), payments.ErrConflict,
			"a refund with a payout is no refund to release")

		e, err := c.SettleRefund(ctx, id, reserved.RefundID, payout.ID)
		require.NoError(t, err)
		assert.Equal(t, payments.RefundSucceeded, e.State)
		assert.Equal(t, payout.ID, e.PayoutID)
		p, err := c.Verify(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, xof(2000), p.RefundedAmount)
		assert.Equal(t, xof(0), p.PendingRefundAmount)
		require.ErrorIs(t, c.ReleaseRefund(ctx, id, reserved.RefundID), payments.ErrConflict, "a settled refund stays settled")
	})
}

func mustRefundID(t *testing.T, c *moneroo.Client, paymentID string) string {
	t.Helper()
	entries, err := c.Refunds(context.Background(), paymentID)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	return entries[len(entries)-1].ID
}

func TestAReservedRefundIsSettledByAPayoutWebhook(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/v1/payouts/initialize", Truncate: true})
	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000)})
	var reserved *moneroo.ReservedRefund
	require.ErrorAs(t, err, &reserved)
	payout := srv.Payouts()[0]

	// Moneroo's payout.success names only the payout: the client reads it,
	// finds the refund in its metadata, and settles it.
	h, body, err := srv.PayoutWebhook(payout.ID)
	require.NoError(t, err)
	assert.NotContains(t, string(body), id, "the delivery does not name the payment")
	ev, err := c.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.Equal(t, "payout.success", ev.Type)
	assert.Equal(t, id, ev.PaymentID, "the event names the payment refunded")
	assert.Equal(t, payments.StatusSucceeded, ev.Status, "the payout's state")
	assert.True(t, ev.Verified)

	entries, err := c.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, payments.RefundSucceeded, entries[0].State)
	assert.Equal(t, payout.ID, entries[0].PayoutID)
	require.ErrorIs(t, c.ReleaseRefund(ctx, id, reserved.RefundID), payments.ErrConflict)
}

func TestPayoutWebhooksSettleRefundsAndNameThePayment(t *testing.T) {
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	c := refundClient(t, srv, moneroo.Config{})
	var mu sync.Mutex
	var events []payments.Event
	hook := httptest.NewServer(payments.WebhookHandler(c, func(_ context.Context, ev *payments.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, *ev)
		return nil
	}))
	t.Cleanup(hook.Close)
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.SetWebhookURL(hook.URL)
	srv.SetPayoutsPending(true)

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(1500)})
	require.NoError(t, err)
	require.NoError(t, srv.SettlePayout(r.ID, "failed"))
	r2, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(5000)})
	require.NoError(t, err, "the failed payout freed its 1500")
	require.NoError(t, srv.SettlePayout(r2.ID, "success"))

	for _, d := range srv.Deliveries() {
		if strings.HasPrefix(d.Event, "payout.") {
			assert.Equal(t, http.StatusOK, d.Status, "%s answered", d.Event)
		}
	}
	mu.Lock()
	var got []string
	for _, ev := range events {
		if strings.HasPrefix(ev.Type, "payout.") {
			assert.Equal(t, id, ev.PaymentID, ev.Type)
			got = append(got, ev.Type+" "+string(ev.Status))
		}
	}
	mu.Unlock()
	// Status is the payout's state as read when the event arrived: already
	// pending at Moneroo (processing) when payout.initiated comes.
	assert.Equal(t, []string{"payout.initiated processing", "payout.failed failed", "payout.initiated processing", "payout.success succeeded"}, got)

	entries, err := c.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 2)
	assert.Equal(t, payments.RefundFailed, entries[0].State)
	assert.Equal(t, payments.RefundSucceeded, entries[1].State)
	p, err := c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, xof(5000), p.RefundedAmount)
}

func TestAFailedPayoutFreesItsAmount(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	// A payer whose number's payout fails: the sandbox's …62 (which leaves
	// a payment pending: the operator then confirms it).
	s, err := c.Create(ctx, refundableRequest())
	require.NoError(t, err)
	_, err = srv.WalkWithPhone(ctx, s, monerootest.PayoutFailed)
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, xof(5000), r.Amount)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "the payout failed: nothing was refunded")
	assert.Equal(t, xof(0), p.RefundedAmount)
	assert.Equal(t, xof(0), p.PendingRefundAmount)

	r, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err, "its amount is free to refund again")
	assert.Equal(t, xof(5000), r.Amount)
	assert.Len(t, srv.Payouts(), 2)
}

func TestAPendingPayoutCountsUntilItEnds(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.SetPayoutsPending(true)
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(1000)})
	require.NoError(t, err)
	p, err := c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, xof(1000), p.PendingRefundAmount)
	assert.Equal(t, xof(0), p.RefundedAmount)
	require.NoError(t, srv.SettlePayout(r.ID, "success"))
	p, err = c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, xof(1000), p.RefundedAmount)
	assert.Equal(t, xof(0), p.PendingRefundAmount)
}

func TestInsufficientBalanceRefusesThePayoutAndFreesTheAmount(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.SetBalance(xof(1000))

	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000)})
	require.Error(t, err)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, http.StatusBadRequest, perr.HTTPStatus)
	assert.Contains(t, perr.Message, "Insufficient balance")
	var reserved *moneroo.ReservedRefund
	assert.False(t, errors.As(err, &reserved), "Moneroo refused it: no payout exists")
	assert.Empty(t, srv.Payouts())
	entries, err := c.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, payments.RefundFailed, entries[0].State)

	srv.SetBalance(xof(10000))
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id})
	require.NoError(t, err, "the whole amount is free again")
	b, _ := srv.Balance("XOF")
	assert.Equal(t, xof(5000), b, "debited the payout's amount, no fee")
}

func TestRefundsMonerooCannotPayBackAreUnsupported(t *testing.T) {
	for _, method := range []string{"card_xof", "crypto_xof", "airtel_ne", "wizall_sn"} {
		t.Run(method, func(t *testing.T) {
			srv, c := refundSim(t, moneroo.Config{})
			req := validRequest()
			req.Options = moneroo.Options{Methods: []string{method}}
			id := paidWith(t, srv, c, req, monerootest.PhoneSuccess)
			before := srv.Requests()
			_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id})
			require.ErrorIs(t, err, payments.ErrUnsupported)
			assert.Contains(t, err.Error(), `"`+method+`"`, "the error names the method")
			assert.False(t, payments.MaybeSent(err), "no refund left")
			assert.Equal(t, before+1, srv.Requests(), "the verify only")
			assert.Empty(t, srv.Payouts())
			entries, err := c.Refunds(context.Background(), id)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing reserved")
		})
	}
}

func TestRefundRefusesBadInputBeforeSendingAnything(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	usd := validRequest()
	usd.Amount = payments.Money{Amount: 5000, Currency: "USD"}
	id := paidWith(t, srv, c, usd, monerootest.PhoneSuccess)
	for _, tc := range []struct {
		name   string
		req    payments.RefundRequest
		fields []string
	}{
		{"10.50 USD", payments.RefundRequest{PaymentID: id, Amount: payments.Money{Amount: 1050, Currency: "USD"}}, []string{"Amount"}},
		{"one cent", payments.RefundRequest{PaymentID: id, Amount: payments.Money{Amount: 1, Currency: "USD"}}, []string{"Amount"}},
		{"a negative amount", payments.RefundRequest{PaymentID: id, Amount: payments.Money{Amount: -100, Currency: "USD"}}, []string{"Amount"}},
		{"no payment", payments.RefundRequest{}, []string{"PaymentID"}},
		{"a payment id that would change the path", payments.RefundRequest{PaymentID: "../payouts/x"}, []string{"PaymentID"}},
		{"a reason longer than a payout's description", payments.RefundRequest{PaymentID: id, Reason: strings.Repeat("a", moneroo.MaxDescription+1)}, []string{"Reason"}},
		{"another provider's options", payments.RefundRequest{PaymentID: id, Options: struct{ X int }{}}, []string{"Options"}},
		{"8 metadata entries of the merchant's", payments.RefundRequest{PaymentID: id, Options: moneroo.RefundOptions{Metadata: metadataEntries(8)}}, []string{"Options.Metadata"}},
		{"the library's metadata key", payments.RefundRequest{PaymentID: id, Options: &moneroo.RefundOptions{Metadata: map[string]string{moneroo.RefundMetadataKey: "x"}}}, []string{"Options.Metadata"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Requests()
			_, err := c.Refund(context.Background(), tc.req)
			requireFields(t, err, tc.fields...)
			assert.Equal(t, before, srv.Requests(), "refused before any request")
		})
	}
	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: xof(1000)})
	requireFields(t, err, "Amount.Currency")
	assert.Empty(t, srv.Payouts())

	// Seven of the merchant's entries fit beside the library's three.
	_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: payments.Money{Amount: 100, Currency: "USD"},
		Options: moneroo.RefundOptions{Metadata: metadataEntries(7)}})
	require.NoError(t, err)
	assert.Len(t, srv.Payouts()[0].Metadata, moneroo.MaxMetadataEntries)
}

func metadataEntries(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m["k"+string(rune('a'+i))] = "v"
	}
	return m
}

func TestRefundOfAnUnpaidPaymentIsAConflict(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	s, err := c.Create(context.Background(), refundableRequest())
	require.NoError(t, err)
	_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrConflict)
	assert.Contains(t, err.Error(), `"initiated"`)
	assert.Empty(t, srv.Payouts())
}

func TestRefundInProductionRefusesASandboxPayment(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{})
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	live := refundClient(t, srv, moneroo.Config{Environment: payments.Production})
	_, err := live.Refund(context.Background(), payments.RefundRequest{PaymentID: id})
	require.ErrorIs(t, err, payments.ErrIntegrity)
	assert.Empty(t, srv.Payouts())
}

// brokenLedger is a RefundLedger whose store is down.
type brokenLedger struct{}

var errStoreDown = errors.New("store down")

func (brokenLedger) Reserve(context.Context, payments.RefundEntry, payments.Money) error {
	return errStoreDown
}
func (brokenLedger) Update(context.Context, string, string, payments.RefundState, string) error {
	return errStoreDown
}
func (brokenLedger) Refunds(context.Context, string) ([]payments.RefundEntry, error) {
	return nil, errStoreDown
}
func (brokenLedger) Find(context.Context, string) (payments.RefundEntry, error) {
	return payments.RefundEntry{}, errStoreDown
}

func TestALedgerThatFailsStopsRefundsAndVerify(t *testing.T) {
	srv, c := refundSim(t, moneroo.Config{RefundLedger: brokenLedger{}})
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id})
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.ErrorIs(t, err, errStoreDown)
	assert.False(t, payments.MaybeSent(err))
	assert.Empty(t, srv.Payouts(), "no payout leaves unrecorded")
	_, err = c.Verify(context.Background(), id)
	require.ErrorIs(t, err, payments.ErrUnavailable, "a payment whose refunds are unknown must not ship")

	// A payout webhook is refused, so that Moneroo delivers it again.
	good := refundClient(t, srv, moneroo.Config{})
	r, err := good.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: xof(100)})
	require.NoError(t, err)
	h, body, err := srv.PayoutWebhook(r.ID)
	require.NoError(t, err)
	_, err = c.ParseWebhook(h, body)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Contains(t, err.Error(), "delivers the event again")
}

func TestRefundsByPayoutAreOffByDefault(t *testing.T) {
	_, err := moneroo.New(moneroo.Config{SecretKey: testKey, RefundLedger: &payments.MemoryRefundLedger{}})
	requireFields(t, err, "RefundLedger")

	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	off, err := srv.NewClient()
	require.NoError(t, err)
	assert.False(t, off.Capabilities().Refund)
	id := paidWith(t, srv, off, refundableRequest(), monerootest.PhoneSuccess)
	before := srv.Requests()
	_, err = off.Refund(context.Background(), payments.RefundRequest{PaymentID: id})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	assert.Contains(t, err.Error(), "RefundByPayout")
	_, err = off.Refunds(context.Background(), id)
	require.ErrorIs(t, err, payments.ErrUnsupported)
	assert.Equal(t, before, srv.Requests())

	on := refundClient(t, srv, moneroo.Config{})
	caps := on.Capabilities()
	assert.True(t, caps.Refund)
	assert.True(t, caps.PartialRefund)
}

func TestARefundWhoseAnswerIsLostAfterItsWebhooksIsKnown(t *testing.T) {
	// Moneroo's webhooks about the payout arrive (and settle the refund)
	// before the answer to the payout POST, which is then lost: Refund
	// reports the payout the webhooks found instead of a reserved refund.
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	c := refundClient(t, srv, moneroo.Config{})
	hook := httptest.NewServer(payments.WebhookHandler(c, func(context.Context, *payments.Event) error { return nil }))
	t.Cleanup(hook.Close)
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.SetWebhookURL(hook.URL)
	srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/v1/payouts/initialize", Truncate: true})

	r, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: id, Amount: xof(1000)})
	require.NoError(t, err)
	require.Len(t, srv.Payouts(), 1)
	assert.Equal(t, srv.Payouts()[0].ID, r.ID)
	assert.Equal(t, payments.StatusSucceeded, r.Status, "payout.success came first")
	assert.Equal(t, xof(1000), r.Amount)
}

func TestAReleasedRefundWhosePayoutTurnsUpIsFlagged(t *testing.T) {
	// The merchant released a reserved refund ("no payout was made"), and
	// its payout's webhook arrives: the payer may be paid twice. The
	// webhook is refused with a conflict naming the refund, not taken.
	srv, c := refundSim(t, moneroo.Config{})
	ctx := context.Background()
	id := paidWith(t, srv, c, refundableRequest(), monerootest.PhoneSuccess)
	srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/v1/payouts/initialize", Truncate: true})
	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000)})
	var reserved *moneroo.ReservedRefund
	require.ErrorAs(t, err, &reserved)
	require.NoError(t, c.ReleaseRefund(ctx, id, reserved.RefundID))
	p, err := c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "released: nothing counted")

	h, body, err := srv.PayoutWebhook(srv.Payouts()[0].ID)
	require.NoError(t, err)
	_, err = c.ParseWebhook(h, body)
	require.ErrorIs(t, err, payments.ErrConflict)
	assert.Contains(t, err.Error(), reserved.RefundID)
	assert.Contains(t, err.Error(), "by hand")
}
