package hub2_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

// payer is what the shop knows of the customer who paid with
// hub2test.TestMSISDN: the number as typed at checkout, and a name.
var payer = hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "Awa Diallo"}

// counter counts the requests a client sends, by method and path.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[r.Method+" "+r.URL.Path]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (c *counter) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[key]
}

// refundRig is a simulator and a client with refunds by transfer on.
type refundRig struct {
	srv    *hub2test.Server
	c      *hub2.Client
	ledger *payments.MemoryRefundLedger
	sent   *counter
}

// refundClient returns a client of srv with refunds by transfer on,
// recording in ledger, whose requests sent counts.
func refundClient(t *testing.T, srv *hub2test.Server, ledger payments.RefundLedger, sent *counter) *hub2.Client {
	t.Helper()
	cfg := srv.Config()
	cfg.RefundByTransfer, cfg.RefundLedger = true, ledger
	// No client-side rate limit: refunds really race, and tests run fast.
	c, err := hub2.New(cfg, payments.WithBaseURL(srv.URL), payments.WithHTTPClient(&http.Client{Transport: sent}),
		payments.WithBackoff(time.Millisecond, time.Millisecond), payments.WithProviderLimit("requests", 0, 0))
	require.NoError(t, err)
	return c
}

// paid creates a payment of amount XOF, paid by USSD (MTN) with
// hub2test.TestMSISDN, and returns its id.
func (r *refundRig) paid(t *testing.T, amount int64) string {
	t.Helper()
	req := order(hub2test.ProviderUSSD)
	req.Amount.Amount = amount
	s, err := r.c.Create(context.Background(), req)
	require.NoError(t, err)
	require.NoError(t, r.srv.Pay(s.ID))
	return s.ID
}

func (r *refundRig) transfersSent(t *testing.T) int {
	t.Helper()
	return r.sent.count("POST /transfers")
}

// rig builds a refundRig whose sends are counted.
func rig(t *testing.T) *refundRig {
	t.Helper()
	srv := hub2test.NewServer()
	t.Cleanup(srv.Close)
	sent := &counter{}
	ledger := &payments.MemoryRefundLedger{}
	return &refundRig{srv: srv, ledger: ledger, sent: sent, c: refundClient(t, srv, ledger, sent)}
}

func xof(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }

var refundRef = regexp.MustCompile(`^refund\.(pi_[a-z0-9]{21})\.(rf_[0-9a-f]{20})$`)

func TestContractRefundByTransfer(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		r := rig(t)
		return suite.Harness{
			Checkout:      r.c,
			NewRequest:    func() payments.CreateRequest { return order(hub2test.ProviderRedirect) },
			Pay:           func(t *testing.T, s *payments.Session) url.Values { return walk(t, r.srv, s, true) },
			Decline:       func(t *testing.T, s *payments.Session) url.Values { return walk(t, r.srv, s, false) },
			Requests:      r.srv.Requests,
			RefundOptions: payer,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, b, err := r.srv.Event(id)
				require.NoError(t, err)
				return h, b
			},
			UnknownID: "pi_000000000000000000000",
		}
	})
}

func TestRefundsByTransferAreOffByDefault(t *testing.T) {
	c, srv := newSim(t)
	assert.False(t, c.Capabilities().Refund)
	assert.False(t, c.Capabilities().PartialRefund)
	before := srv.Requests()
	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: "pi_000000000000000000000", Options: payer})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	assert.False(t, payments.MaybeSent(err))
	assert.Contains(t, err.Error(), "RefundByTransfer")
	assert.Equal(t, before, srv.Requests(), "nothing is sent")
	_, err = c.SettleRefunds(context.Background(), "pi_000000000000000000000")
	require.ErrorIs(t, err, payments.ErrUnsupported)

	on := rig(t)
	assert.True(t, on.c.Capabilities().Refund)
	assert.True(t, on.c.Capabilities().PartialRefund)
}

func TestRefundSendsTheTransferToThePayer(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)

	ref, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2000), Reason: "damaged parcel", Options: payer})
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, ref.Status, "a created transfer is on its way")
	assert.Equal(t, xof(2000), ref.Amount)
	assert.Equal(t, id, ref.PaymentID)
	assert.Equal(t, payments.Hub2, ref.Provider)

	sent := r.srv.Transfers()
	require.Len(t, sent, 1)
	tr := sent[0]
	assert.Equal(t, ref.ID, tr.ID, "Refund.ID is the transfer's")
	m := refundRef.FindStringSubmatch(tr.Reference)
	require.NotNil(t, m, "the reference names the payment and the refund: %q", tr.Reference)
	assert.Equal(t, id, m[1])
	assert.Equal(t, int64(2000), tr.Amount)
	assert.Equal(t, "XOF", tr.Currency)
	assert.Equal(t, "CI", tr.Country, "the payment's country")
	assert.Equal(t, "mtn", tr.Provider, "the payment's operator")
	assert.Equal(t, "+225"+hub2test.TestMSISDN, tr.MSISDN, "the local number in international form")
	assert.Equal(t, "Awa Diallo", tr.RecipientName)
	assert.Equal(t, "damaged parcel", tr.Description)
	assert.Equal(t, int64(hub2test.StartBalance-2000-hub2test.TransferFee), r.srv.Balance("XOF"), "amount and fee taken")
	assert.Contains(t, string(ref.Raw), tr.ID)

	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, m[2], entries[0].ID, "the ledger's refund id is the reference's")
	assert.Equal(t, payments.RefundPending, entries[0].State)
	assert.Equal(t, tr.ID, entries[0].PayoutID)
	assert.Equal(t, "damaged parcel", entries[0].Reason)

	p, err := r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, xof(0), p.RefundedAmount)
	assert.Equal(t, xof(2000), p.PendingRefundAmount)
	assert.Equal(t, "successful", p.ProviderStatus)

	require.NoError(t, r.srv.SettleTransfer(tr.ID))
	p, err = r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, xof(2000), p.RefundedAmount, "Verify read the transfer's status")
	assert.Equal(t, xof(0), p.PendingRefundAmount)
	assert.Equal(t, 2, r.sent.count("GET /transfers/"+tr.ID+"/status"), "one status read per Verify while pending")

	p, err = r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, r.sent.count("GET /transfers/"+tr.ID+"/status"), "a settled refund is not read again")
	assert.Equal(t, xof(2000), p.RefundedAmount)

	// What remains goes in a second refund, and the payment is refunded.
	ref, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.NoError(t, err)
	assert.Equal(t, xof(3000), ref.Amount, "a zero amount refunds what remains")
	p, err = payments.VerifyPaid(ctx, r.c, id, xof5000)
	require.ErrorIs(t, err, payments.ErrNotPaid, "a refunded payment must not ship")
	assert.Equal(t, payments.StatusRefunded, p.Status, "refunds on their way count")
	assert.Equal(t, xof(2000), p.RefundedAmount)
	assert.Equal(t, xof(3000), p.PendingRefundAmount)
	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.ErrorIs(t, err, payments.ErrConflict, "nothing left")
	assert.Equal(t, 2, r.transfersSent(t))
}

func TestRefundTakesTheInternationalForm(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	_, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(1000),
		Options: &hub2.RefundOptions{MSISDN: "+22500000001", RecipientName: "Awa Diallo", Country: "ci", Provider: "MTN"}})
	require.NoError(t, err, "a pointer, the international form, and the payment's own country and operator in any case")
	require.Len(t, r.srv.Transfers(), 1)
	assert.Equal(t, "+22500000001", r.srv.Transfers()[0].MSISDN)
}

func TestConcurrentRefundsCannotOverdraw(t *testing.T) {
	ctx := context.Background()
	srv := hub2test.NewServer()
	t.Cleanup(srv.Close)
	// Every refund reads the ledger before any of them reserves: each sees
	// the whole payment left, so that only the ledger's atomic reservation
	// stands between them and an overdraft.
	const n = 8
	ledger := &barrierLedger{RefundLedger: &payments.MemoryRefundLedger{}, n: n, all: make(chan struct{})}
	sent := &counter{}
	r := &refundRig{srv: srv, sent: sent, c: refundClient(t, srv, ledger, sent)}
	id := r.paid(t, 5000)
	// Two replicas on one ledger, each refunding half the payment four
	// times at once: only two refunds fit.
	other := refundClient(t, srv, ledger, sent)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := r.c
			if i%2 == 1 {
				c = other
			}
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2500), Options: payer})
			if err == nil {
				ok.Add(1)
				return
			}
			assert.Equal(t, payments.ErrConflict, kindOf(err), "%v", err)
			assert.Contains(t, err.Error(), "would exceed what it paid", "refused by the ledger's reservation")
			assert.False(t, payments.MaybeSent(err), "a refused refund sent no transfer")
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(2), ok.Load(), "exactly the payment's amount is refunded")
	assert.Len(t, srv.Transfers(), 2)
	assert.Equal(t, 2, r.transfersSent(t))
	entries, err := ledger.Refunds(ctx, id)
	require.NoError(t, err)
	refunded, pending := payments.RefundTotals(entries, "XOF")
	assert.Equal(t, int64(5000), refunded.Amount+pending.Amount)
}

// barrierLedger answers its first n reads of a payment's refunds with what
// the ledger held before any of them returned, so that n refunds check what
// remains before any reserves.
type barrierLedger struct {
	payments.RefundLedger
	n     int
	mu    sync.Mutex
	reads int
	all   chan struct{}
}

func (l *barrierLedger) Refunds(ctx context.Context, paymentID string) ([]payments.RefundEntry, error) {
	entries, err := l.RefundLedger.Refunds(ctx, paymentID) // read before any reservation
	l.mu.Lock()
	l.reads++
	first := l.reads <= l.n
	if l.reads == l.n {
		close(l.all)
	}
	l.mu.Unlock()
	if first {
		select {
		case <-l.all:
		case <-time.After(5 * time.Second):
		}
	}
	return entries, err
}

func kindOf(err error) payments.Kind {
	var perr *payments.Error
	if errors.As(err, &perr) {
		return perr.Kind
	}
	return ""
}

// httptestServer serves h on loopback for the test and returns its URL.
func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

func TestAmbiguousTransferIsNeverResentAndSettlesFromTheList(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	// Hub2 creates the transfer, and its answer arrives cut in half.
	r.srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/transfers", Truncate: true})

	_, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2500), Options: payer})
	require.ErrorIs(t, err, payments.ErrMalformedResponse)
	assert.True(t, payments.MaybeSent(err))
	assert.Contains(t, err.Error(), "stays reserved")
	assert.Contains(t, err.Error(), "never sent again")
	assert.Equal(t, 1, r.transfersSent(t), "sent once")
	require.Len(t, r.srv.Transfers(), 1, "Hub2 has the transfer")
	tr := r.srv.Transfers()[0]

	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, payments.RefundReserved, entries[0].State)
	assert.Empty(t, entries[0].PayoutID, "the answer was lost")

	// The reserved amount cannot be refunded again meanwhile.
	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(5000), Options: payer})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Equal(t, 1, r.transfersSent(t))

	// Verify finds the transfer by its reference and settles the refund.
	p, err := r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 1, r.sent.count("GET /transfers"), "one search by reference")
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, xof(2500), p.PendingRefundAmount)
	entries, err = r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundPending, entries[0].State)
	assert.Equal(t, tr.ID, entries[0].PayoutID, "the transfer found is recorded")

	require.NoError(t, r.srv.SettleTransfer(tr.ID))
	got, err := r.c.SettleRefunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, payments.RefundSucceeded, got[0].State)
	assert.Equal(t, 1, r.sent.count("GET /transfers"), "a known transfer is read by id, not searched")
	assert.Equal(t, 1, r.transfersSent(t), "nothing was ever sent again")
}

// A transfer whose answer was lost, and that Hub2 does not list, keeps its
// amount reserved however long it stays unfound: Hub2 does not publish how
// its list filters, so an absence proves nothing. Only the merchant, who
// can look at Hub2's dashboard, frees it.
func TestALostTransferStaysReservedUntilReleased(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	// A gateway answers 502: Hub2 never saw the transfer, but the client
	// cannot know it.
	r.srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/transfers", Status: http.StatusBadGateway,
		Body: "<html>502 Bad Gateway</html>", Header: http.Header{"Content-Type": {"text/html"}}})
	_, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(5000), Options: payer})
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Contains(t, err.Error(), "stays reserved")
	assert.Empty(t, r.srv.Transfers())

	later := time.Now().Add(hub2.SettleWindow + time.Hour)
	hub2.SetNow(r.c, func() time.Time { return later })
	p, err := r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status, "unfound is not failed: the amount stays taken")
	assert.Equal(t, xof(5000), p.PendingRefundAmount)
	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.ErrorIs(t, err, payments.ErrConflict, "nothing is left to refund while the lost one is reserved")

	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, payments.RefundReserved, entries[0].State)
	require.NoError(t, r.c.ReleaseRefund(ctx, id, entries[0].ID))
	require.ErrorIs(t, r.c.ReleaseRefund(ctx, id, entries[0].ID), payments.ErrConflict, "released once")
	require.ErrorIs(t, r.c.ReleaseRefund(ctx, id, "rf_unknown"), payments.ErrNotFound)

	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.NoError(t, err, "its amount is free again")
	assert.Equal(t, 2, r.transfersSent(t), "a new refund, not the lost one resent")
	entries, err = r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	require.ErrorIs(t, r.c.ReleaseRefund(ctx, id, entries[1].ID), payments.ErrConflict, "a refund whose transfer is known is not released")
}

func TestFailedTransferFreesItsAmount(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	ref, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.NoError(t, err)
	require.NoError(t, r.srv.FailTransfer(ref.ID, "invalid_destination"))
	assert.Equal(t, int64(hub2test.StartBalance), r.srv.Balance("XOF"), "Hub2 gave the amount and the fee back")

	p, err := payments.VerifyPaid(ctx, r.c, id, xof5000)
	require.NoError(t, err, "nothing went back: the order stands")
	assert.Zero(t, p.RefundedAmount.Amount+p.PendingRefundAmount.Amount)
	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundFailed, entries[0].State)

	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.NoError(t, err, "the failed refund's amount is free")
}

func TestHub2RefusalsFailTheRefund(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		setup func(r *refundRig)
		kind  payments.Kind
		says  string
		field string
	}{
		{name: "insufficient balance", kind: payments.ErrDeclined, says: "balance",
			setup: func(r *refundRig) { r.srv.SetBalance("XOF", 1000) }},
		{name: "no transfer permission", kind: payments.ErrPermission, says: "Api.transfer_create",
			setup: func(r *refundRig) { r.srv.SetPermission(hub2test.PermissionTransferCreate, false) }},
		{name: "number refused", kind: payments.ErrInvalidRequest, says: "valid phone number", field: "Options.MSISDN",
			setup: func(r *refundRig) {
				r.srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/transfers", Status: http.StatusBadRequest,
					Header: http.Header{"Content-Type": {"application/json"}},
					Body:   `{"status":400,"code":"Bad Request","message":"destination.msisdn must be a valid phone number","request_id":"req_x1"}`})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rig(t)
			id := r.paid(t, 5000)
			tc.setup(r)
			_, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(2500), Options: payer})
			require.ErrorIs(t, err, tc.kind)
			assert.Contains(t, err.Error(), tc.says)
			assert.NotContains(t, err.Error(), "stays reserved", "a refusal moved no money")
			if tc.field != "" {
				var perr *payments.Error
				require.ErrorAs(t, err, &perr)
				f, ok := perr.Field(tc.field)
				require.True(t, ok, "fields: %v", perr.Fields)
				assert.Equal(t, "destination.msisdn", f.ProviderField)
			}
			entries, err := r.ledger.Refunds(ctx, id)
			require.NoError(t, err)
			require.Len(t, entries, 1)
			assert.Equal(t, payments.RefundFailed, entries[0].State, "the refusal frees the amount")
			p, err := r.c.Verify(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, payments.StatusSucceeded, p.Status)
			assert.Equal(t, 1, r.transfersSent(t))
		})
	}
}

func TestRefundRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	cases := []struct {
		name  string
		req   payments.RefundRequest
		field string
		read  bool // the payment is read before the refusal
	}{
		{name: "no options", req: payments.RefundRequest{PaymentID: id}, field: "Options.MSISDN"},
		{name: "no name", req: payments.RefundRequest{PaymentID: id, Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN}}, field: "Options.RecipientName"},
		{name: "a name with a control character", req: payments.RefundRequest{PaymentID: id,
			Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "Awa\x00"}}, field: "Options.RecipientName"},
		{name: "another provider's options", req: payments.RefundRequest{PaymentID: id, Options: hub2.Options{MSISDN: hub2test.TestMSISDN}}, field: "Options"},
		{name: "a short number", req: payments.RefundRequest{PaymentID: id, Options: hub2.RefundOptions{MSISDN: "0701", RecipientName: "A"}}, field: "Options.MSISDN"},
		{name: "letters", req: payments.RefundRequest{PaymentID: id, Options: hub2.RefundOptions{MSISDN: "07AB0000", RecipientName: "A"}}, field: "Options.MSISDN"},
		{name: "an unknown country", req: payments.RefundRequest{PaymentID: id, Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "A", Country: "FR"}}, field: "Options.Country"},
		{name: "a payment id that cannot go in a reference", req: payments.RefundRequest{PaymentID: "pi.1", Options: payer}, field: "PaymentID"},
		{name: "a negative amount", req: payments.RefundRequest{PaymentID: id, Amount: xof(-5), Options: payer}, field: "Amount"},
		{name: "another country's calling code", read: true, req: payments.RefundRequest{PaymentID: id,
			Options: hub2.RefundOptions{MSISDN: "+22100000001", RecipientName: "A"}}, field: "Options.MSISDN"},
		{name: "not the payer's number", read: true, req: payments.RefundRequest{PaymentID: id,
			Options: hub2.RefundOptions{MSISDN: "00000099", RecipientName: "A"}}, field: "Options.MSISDN"},
		{name: "another operator than the payment's", read: true, req: payments.RefundRequest{PaymentID: id,
			Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "A", Provider: "orange"}}, field: "Options.Provider"},
		{name: "another country than the payment's", read: true, req: payments.RefundRequest{PaymentID: id,
			Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "A", Country: "SN"}}, field: "Options.Country"},
		{name: "not a multiple of 5", read: true, req: payments.RefundRequest{PaymentID: id, Amount: xof(2501), Options: payer}, field: "Amount"},
		{name: "below Hub2's minimum transfer", read: true, req: payments.RefundRequest{PaymentID: id, Amount: xof(95), Options: payer}, field: "Amount"},
		{name: "more than paid", read: true, req: payments.RefundRequest{PaymentID: id, Amount: xof(5005), Options: payer}, field: "Amount"},
		{name: "another currency", read: true, req: payments.RefundRequest{PaymentID: id,
			Amount: payments.Money{Amount: 100, Currency: "XAF"}, Options: payer}, field: "Amount.Currency"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := r.srv.Requests()
			_, err := r.c.Refund(ctx, tc.req)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, named := perr.Field(tc.field)
			assert.True(t, named, "the error names %s: %v", tc.field, perr.Fields)
			assert.False(t, payments.MaybeSent(err))
			reads := 0
			if tc.read {
				reads = 1
			}
			assert.Equal(t, before+reads, r.srv.Requests(), "no transfer sent")
		})
	}
	assert.Empty(t, r.srv.Transfers())
	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing reserved")

	// An unpaid payment, and a payment whose intent says no operator.
	s, err := r.c.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	_, err = r.c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: payer})
	require.ErrorIs(t, err, payments.ErrConflict)
	assert.Contains(t, err.Error(), "only a successful payment")
	assert.Empty(t, r.srv.Transfers())
}

func TestTransferWebhooksSettleRefunds(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	ref, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(1500), Options: payer})
	require.NoError(t, err)
	require.NoError(t, r.srv.SettleTransfer(ref.ID))
	h, body, err := r.srv.TransferEvent(ref.ID)
	require.NoError(t, err)

	ev, err := r.c.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.Equal(t, "transfer.succeeded", ev.Type)
	assert.Equal(t, id, ev.PaymentID, "the event names the payment refunded")
	assert.Equal(t, payments.StatusSucceeded, ev.Status, "the transfer's status")
	assert.Equal(t, "transfer.succeeded:"+ref.ID+":successful", ev.ID)

	before := r.srv.Requests()
	e, err := r.c.SettleTransferEvent(ctx, ev)
	require.NoError(t, err)
	require.NotNil(t, e)
	assert.Equal(t, payments.RefundSucceeded, e.State)
	assert.Equal(t, ref.ID, e.PayoutID)
	assert.Equal(t, before, r.srv.Requests(), "the webhook settles without asking Hub2")
	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundSucceeded, entries[0].State)

	// A repeat, a late intermediate state, a contradiction.
	e, err = r.c.SettleTransferEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundSucceeded, e.State)
	late := strings.Replace(string(body), `"status":"successful"`, `"status":"processing"`, 1)
	late = strings.Replace(late, `"type":"transfer.succeeded"`, `"type":"transfer.processing"`, 1)
	ev, err = r.c.ParseWebhook(paymentstest.SignHub2(hub2test.WebhookSecret, "", []byte(late)), []byte(late))
	require.NoError(t, err)
	e, err = r.c.SettleTransferEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundSucceeded, e.State, "a settled refund does not go back")
	failed := strings.Replace(late, `"status":"processing"`, `"status":"failed"`, 1)
	ev, err = r.c.ParseWebhook(paymentstest.SignHub2(hub2test.WebhookSecret, "", []byte(failed)), []byte(failed))
	require.NoError(t, err)
	_, err = r.c.SettleTransferEvent(ctx, ev)
	require.ErrorIs(t, err, payments.ErrConflict)

	// A transfer whose amount is not the refund's settles nothing.
	other, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Amount: xof(1000), Options: payer})
	require.NoError(t, err)
	_, body, err = r.srv.TransferEvent(other.ID)
	require.NoError(t, err)
	forged := strings.Replace(string(body), `"amount":1000`, `"amount":100`, 1)
	ev, err = r.c.ParseWebhook(paymentstest.SignHub2(hub2test.WebhookSecret, "", []byte(forged)), []byte(forged))
	require.NoError(t, err)
	_, err = r.c.SettleTransferEvent(ctx, ev)
	require.ErrorIs(t, err, payments.ErrIntegrity)

	// Unverified events, other events, and other transfers change nothing.
	unverified := *ev
	unverified.Verified = false
	_, err = r.c.SettleTransferEvent(ctx, &unverified)
	require.ErrorIs(t, err, payments.ErrInvalidSignature)
	ph, pbody, err := r.srv.Event(id)
	require.NoError(t, err)
	pev, err := r.c.ParseWebhook(ph, pbody)
	require.NoError(t, err)
	e, err = r.c.SettleTransferEvent(ctx, pev)
	require.NoError(t, err)
	assert.Nil(t, e)
	mine, err := r.c.CreateTransfer(ctx, hub2.TransferRequest{Reference: "salary 42", Amount: 1000, Currency: "XOF",
		Description: "salary", Destination: hub2.TransferDestination{Type: hub2.DestinationMobileMoney, Country: "CI",
			RecipientName: "Kofi", MSISDN: "+2250700000000", Provider: "orange"}})
	require.NoError(t, err)
	th, tbody, err := r.srv.TransferEvent(mine.ID)
	require.NoError(t, err)
	tev, err := r.c.ParseWebhook(th, tbody)
	require.NoError(t, err)
	assert.Empty(t, tev.PaymentID, "a transfer that is not a refund names no payment")
	e, err = r.c.SettleTransferEvent(ctx, tev)
	require.NoError(t, err)
	assert.Nil(t, e)
}

func TestWebhookBeforeTheAnswerIsRead(t *testing.T) {
	ctx := context.Background()
	r := rig(t)
	id := r.paid(t, 5000)
	var settled atomic.Int32
	hook := httptestServer(t, payments.WebhookHandler(r.c, func(ctx context.Context, ev *payments.Event) error {
		if _, err := r.c.SettleTransferEvent(ctx, ev); err != nil {
			return err
		}
		if ev.Type == "transfer.succeeded" {
			settled.Add(1)
		}
		return nil
	}))
	r.srv.SetWebhookURL(hook)
	// The transfer settles as soon as its answer has left: its webhooks
	// race with the client recording the answer.
	r.srv.AutoSettleTransfers(true)
	ref, err := r.c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: payer})
	require.NoError(t, err)
	assert.Contains(t, []payments.Status{payments.StatusPending, payments.StatusSucceeded}, ref.Status)
	require.Eventually(t, func() bool { return settled.Load() == 1 }, 5*time.Second, 10*time.Millisecond)
	entries, err := r.ledger.Refunds(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundSucceeded, entries[0].State, "whichever came first, the refund ends succeeded")
	assert.Equal(t, ref.ID, entries[0].PayoutID)
	p, err := r.c.Verify(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, xof(5000), p.RefundedAmount)
}
