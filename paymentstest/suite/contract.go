// Package suite holds the conformance suites of the test kit, for the tests
// of whoever implements the library's interfaces: Contract, which every
// adapter passes against its simulator; Hostile, which every adapter passes
// against a provider that answers badly; and the suites every shared-state
// store passes (event logs, token stores, rate limiters).
//
// It uses testify; the rest of the test kit (paymentstest: the fake, the
// webhook signers) does not, so that a merchant's module need not require it.
package suite

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// Harness is what Contract needs to drive one adapter against its
// simulator (or the Fake).
type Harness struct {
	// Checkout is the adapter under test, pointed at the simulator.
	Checkout payments.Checkout
	// NewRequest returns a valid create request for this provider: its
	// currency, its options, the customer fields it requires, and a fresh
	// Reference each call.
	NewRequest func() payments.CreateRequest
	// Pay completes the payment as the customer would (the hosted page's Pay
	// button, an OTP…) and returns the query the browser brought back to the
	// ReturnURL, or nil when the flow has no return.
	Pay func(t *testing.T, s *payments.Session) url.Values
	// Decline makes the payment fail as a refusing customer or provider
	// would, and returns the return query, or nil.
	Decline func(t *testing.T, s *payments.Session) url.Values
	// Requests returns how many API requests the simulator has received, so
	// that the suite can check that bad input sends none.
	Requests func() int
	// Webhook returns a signed delivery telling of the payment's current
	// state; nil when the provider sends no webhooks.
	Webhook func(t *testing.T, paymentID string) (http.Header, []byte)
	// UnknownID is a well-formed payment id the simulator does not know.
	UnknownID string
	// Invalid lists requests this provider must refuse, beyond the ones every
	// provider refuses, each with the field the error must name.
	Invalid []InvalidCase
	// DeclineStaysOpen says that a declined attempt leaves the payment open
	// for another try (HelloAsso's checkout shows no refused order): after
	// Decline, the payment must be unpaid and not final, instead of failed
	// or cancelled.
	DeclineStaysOpen bool
	// RefundOptions is given as RefundRequest.Options to every refund the
	// suite makes, for adapters whose refunds need the provider's own
	// options (hub2.RefundOptions: the payer's number and name, which a
	// refund by transfer sends the money to); nil for the others.
	RefundOptions any
}

// InvalidCase is a create request an adapter must refuse before sending it.
type InvalidCase struct {
	Name    string                 // names the subtest
	Request payments.CreateRequest // the request the adapter must refuse
	Field   string                 // the FieldError.Field the refusal must contain
}

// foreignOptions stands for another provider's options in the contract.
type foreignOptions struct{ Plan string }

// Contract runs the conformance suite every adapter passes: create, then
// redirect, pay, verify and refund where supported; a declined payment; an
// unknown id; bad input refused with no request sent; a context cancelled;
// and the webhook round trip where the provider has webhooks. newHarness is
// called once per subtest, so each starts from a fresh simulator.
func Contract(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	t.Run("CreatePayVerify", func(t *testing.T) { testCreatePayVerify(t, newHarness(t)) })
	t.Run("Refund", func(t *testing.T) { testRefund(t, newHarness(t)) })
	t.Run("Decline", func(t *testing.T) { testDecline(t, newHarness(t)) })
	t.Run("UnknownID", func(t *testing.T) { testUnknownID(t, newHarness(t)) })
	t.Run("BadInputSendsNothing", func(t *testing.T) { testBadInput(t, newHarness(t)) })
	t.Run("ContextCanceled", func(t *testing.T) { testCanceled(t, newHarness(t)) })
	t.Run("ConcurrentVerify", func(t *testing.T) { testConcurrent(t, newHarness(t)) })
	t.Run("Webhook", func(t *testing.T) { testWebhook(t, newHarness(t)) })
}

func create(t *testing.T, h Harness) (payments.CreateRequest, *payments.Session) {
	t.Helper()
	req := h.NewRequest()
	s, err := h.Checkout.Create(context.Background(), req)
	require.NoError(t, err, "Create")
	require.NotNil(t, s)
	require.NotEmpty(t, s.ID, "Session.ID")
	assert.Equal(t, h.Checkout.Provider(), s.Provider, "Session.Provider")
	assert.False(t, s.Status.Paid(), "a new checkout must not be paid, got %s", s.Status)
	return req, s
}

func capabilities(c payments.Checkout) payments.Capabilities {
	if r, ok := c.(payments.CapabilityReporter); ok {
		return r.Capabilities()
	}
	return payments.Capabilities{}
}

func testCreatePayVerify(t *testing.T, h Harness) {
	ctx := context.Background()
	req, s := create(t, h)
	assert.True(t, s.RedirectURL != "" || s.NextAction != nil || s.ClientToken != "",
		"a session must tell the merchant how the customer pays: RedirectURL, NextAction or ClientToken")
	if s.RedirectURL != "" {
		u, err := url.Parse(s.RedirectURL)
		require.NoError(t, err)
		assert.True(t, u.IsAbs(), "RedirectURL %q must be absolute", s.RedirectURL)
		again, err := h.Checkout.RedirectURL(ctx, s.ID)
		require.NoError(t, err, "RedirectURL of a pending checkout")
		assert.Equal(t, s.RedirectURL, again, "RedirectURL must resume the same checkout")
	} else if _, err := h.Checkout.RedirectURL(ctx, s.ID); err != nil {
		assert.ErrorIs(t, err, payments.ErrUnsupported, "RedirectURL without a hosted page")
	}

	before, err := h.Checkout.Verify(ctx, s.ID)
	require.NoError(t, err, "Verify before paying")
	assert.Equal(t, s.ID, before.ID)
	assert.False(t, before.Status.Paid(), "unpaid checkout verified as %s", before.Status)
	_, err = payments.VerifyPaid(ctx, h.Checkout, s.ID, req.Amount)
	assert.ErrorIs(t, err, payments.ErrNotPaid, "VerifyPaid before paying")

	back := h.Pay(t, s)
	p, err := payments.VerifyPaid(ctx, h.Checkout, s.ID, req.Amount)
	require.NoError(t, err, "VerifyPaid after paying")
	assert.Equal(t, payments.StatusSucceeded, p.Status)
	assert.True(t, p.Status.Final())
	assert.Equal(t, req.Amount, p.Amount, "the verified amount must be the one asked")
	assert.Equal(t, h.Checkout.Provider(), p.Provider)
	assert.NotEmpty(t, p.ProviderStatus, "Payment.ProviderStatus keeps the provider's own state")

	more := req.Amount
	more.Amount++
	_, err = payments.VerifyPaid(ctx, h.Checkout, s.ID, more)
	assert.ErrorIs(t, err, payments.ErrIntegrity, "VerifyPaid with another amount")

	if rp, ok := h.Checkout.(payments.ReturnParser); ok && back != nil {
		r, err := rp.ParseReturn(back)
		require.NoError(t, err, "ParseReturn of the query the hosted page returned")
		assert.Equal(t, h.Checkout.Provider(), r.Provider)
		assert.True(t, r.PaymentID == s.ID || r.Reference == req.Reference,
			"ParseReturn must lead back to the payment (id %q, got %q) or the order (reference %q, got %q)",
			s.ID, r.PaymentID, req.Reference, r.Reference)
		_, err = rp.ParseReturn(url.Values{})
		assert.ErrorIs(t, err, payments.ErrInvalidRequest, "ParseReturn of an empty query")
	}
}

func testRefund(t *testing.T, h Harness) {
	ctx := context.Background()
	caps := capabilities(h.Checkout)
	req, s := create(t, h)
	opts := h.RefundOptions
	if !caps.Refund {
		h.Pay(t, s)
		_, err := h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: opts})
		require.ErrorIs(t, err, payments.ErrUnsupported, "a provider without refunds")
		return
	}

	_, err := h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: opts})
	require.Error(t, err, "refunding an unpaid payment must fail")

	h.Pay(t, s)
	total := req.Amount
	if caps.PartialRefund && total.Amount >= 2 {
		part := payments.Money{Amount: total.Amount / 2, Currency: total.Currency}
		r, err := h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: part, Reason: "contract: partial", Options: opts})
		require.NoError(t, err, "partial refund")
		assert.Equal(t, part, r.Amount)
		assert.Equal(t, s.ID, r.PaymentID)
		p, err := h.Checkout.Verify(ctx, s.ID)
		require.NoError(t, err)
		assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
		assert.Equal(t, part.Amount, p.RefundedAmount.Amount+p.PendingRefundAmount.Amount, "refunded so far")

		over := payments.Money{Amount: total.Amount, Currency: total.Currency}
		_, err = h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: over, Options: opts})
		require.Error(t, err, "a refund above what remains must fail")
		assert.True(t, errors.Is(err, payments.ErrInvalidRequest) || errors.Is(err, payments.ErrConflict) || errors.Is(err, payments.ErrDeclined),
			"a refund above what remains: got %v", err)
	}

	r, err := h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Reason: "contract: the rest", Options: opts})
	require.NoError(t, err, "refund of what remains")
	assert.Positive(t, r.Amount.Amount)
	p, err := h.Checkout.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	_, err = payments.VerifyPaid(ctx, h.Checkout, s.ID, req.Amount)
	assert.ErrorIs(t, err, payments.ErrNotPaid, "a refunded payment must not ship")

	_, err = h.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: opts})
	assert.Error(t, err, "nothing remains to refund")
}

func testDecline(t *testing.T, h Harness) {
	ctx := context.Background()
	req, s := create(t, h)
	back := h.Decline(t, s)
	p, err := h.Checkout.Verify(ctx, s.ID)
	require.NoError(t, err)
	if h.DeclineStaysOpen {
		assert.False(t, p.Status.Final(), "a declined attempt leaves the payment open: got %s", p.Status)
	} else {
		assert.Contains(t, []payments.Status{payments.StatusFailed, payments.StatusCanceled}, p.Status)
		assert.True(t, p.Status.Final())
	}
	assert.False(t, p.Status.Paid())
	_, err = payments.VerifyPaid(ctx, h.Checkout, s.ID, req.Amount)
	assert.ErrorIs(t, err, payments.ErrNotPaid)
	if rp, ok := h.Checkout.(payments.ReturnParser); ok && back != nil {
		r, err := rp.ParseReturn(back)
		require.NoError(t, err)
		assert.False(t, r.ClaimedStatus.Paid(), "a declined return claims %s", r.ClaimedStatus)
	}
}

func testUnknownID(t *testing.T, h Harness) {
	_, err := h.Checkout.Verify(context.Background(), h.UnknownID)
	require.ErrorIs(t, err, payments.ErrNotFound)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, h.Checkout.Provider(), perr.Provider)
}

func testBadInput(t *testing.T, h Harness) {
	cases := []InvalidCase{
		{Name: "zero amount", Field: "Amount", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.Amount.Amount = 0 })},
		{Name: "negative amount", Field: "Amount", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.Amount.Amount = -100 })},
		{Name: "unknown currency", Field: "Amount.Currency", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.Amount.Currency = "ZZZ" })},
		{Name: "no reference", Field: "Reference", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.Reference = "" })},
		{Name: "relative return URL", Field: "ReturnURL", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.ReturnURL = "/thanks" })},
		{Name: "another provider's options", Field: "Options", Request: with(h.NewRequest(), func(r *payments.CreateRequest) { r.Options = foreignOptions{Plan: "x"} })},
	}
	cases = append(cases, h.Invalid...)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			before := h.Requests()
			_, err := h.Checkout.Create(context.Background(), c.Request)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, h.Checkout.Provider(), perr.Provider)
			_, named := perr.Field(c.Field)
			assert.True(t, named, "the error must name field %q; it lists %v", c.Field, perr.Fields)
			assert.Equal(t, before, h.Requests(), "bad input must be refused before any request is sent")
		})
	}
}

func testCanceled(t *testing.T, h Harness) {
	_, s := create(t, h)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Checkout.Verify(ctx, s.ID)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}

func testConcurrent(t *testing.T, h Harness) {
	const n = 4
	sessions := make([]*payments.Session, n)
	for i := range sessions {
		_, sessions[i] = create(t, h)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = h.Checkout.Verify(context.Background(), s.ID)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "Verify #%d", i)
	}
}

func testWebhook(t *testing.T, h Harness) {
	wp, ok := h.Checkout.(payments.WebhookParser)
	if !ok || h.Webhook == nil {
		caps := capabilities(h.Checkout)
		assert.False(t, caps.SignedWebhooks, "an adapter with signed webhooks must implement WebhookParser and the harness Webhook")
		return
	}
	_, s := create(t, h)
	h.Pay(t, s)
	header, body := h.Webhook(t, s.ID)

	ev, err := wp.ParseWebhook(header, body)
	require.NoError(t, err, "a webhook the provider signed")
	assert.Equal(t, h.Checkout.Provider(), ev.Provider)
	assert.Equal(t, s.ID, ev.PaymentID)
	assert.True(t, ev.Verified)
	assert.Equal(t, string(body), string(ev.Raw))

	tampered := append([]byte(nil), body...)
	tampered[len(tampered)/2] ^= 0x01
	_, err = wp.ParseWebhook(header, tampered)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "a tampered body")
	_, err = wp.ParseWebhook(http.Header{"Content-Type": {"application/json"}}, body)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "no signature")

	var handled atomic.Int32
	hh := payments.WebhookHandler(wp, func(_ context.Context, ev *payments.Event) error {
		handled.Add(1)
		assert.Equal(t, s.ID, ev.PaymentID)
		return nil
	})
	for i := range 2 {
		rec := httptest.NewRecorder()
		hh.ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", header, body))
		assert.Equal(t, http.StatusOK, rec.Code, "delivery #"+strconv.Itoa(i+1))
	}
	assert.Equal(t, int32(1), handled.Load(), "a redelivered event is handled once")
	rec := httptest.NewRecorder()
	hh.ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", header, tampered))
	assert.True(t, rec.Code >= 400 && rec.Code < 500, "a tampered delivery is refused with a 4xx (400, or the provider's own status such as Moneroo's 403), got %d", rec.Code)
}

func with(r payments.CreateRequest, f func(*payments.CreateRequest)) payments.CreateRequest {
	f(&r)
	return r
}
