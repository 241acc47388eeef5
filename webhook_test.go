package payments_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// paidWebhook returns a Fake and a signed delivery for a paid payment.
func paidWebhook(t *testing.T) (*paymentstest.Fake, http.Header, []byte) {
	t.Helper()
	f := paymentstest.NewFake()
	s, err := f.Create(context.Background(), validRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	return f, h, body
}

func serve(h http.Handler, r *http.Request) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code
}

func TestWebhookHandlerHandlesAValidDeliveryOnce(t *testing.T) {
	f, h, body := paidWebhook(t)
	var got []*payments.Event
	handler := payments.WebhookHandler(f, func(_ context.Context, ev *payments.Event) error {
		got = append(got, ev)
		return nil
	})
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)), "a redelivery is acknowledged")
	require.Len(t, got, 1, "a redelivery must not run the handler again")
	assert.Equal(t, payments.StatusSucceeded, got[0].Status)
	assert.True(t, got[0].Verified)
}

func TestWebhookHandlerConcurrentDuplicatesHandledOnce(t *testing.T) {
	f, h, body := paidWebhook(t)
	var n atomic.Int32
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { n.Add(1); return nil })
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := serve(handler, paymentstest.WebhookRequest("/wh", h, body))
			assert.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, code,
				"handled, already handled, or being handled (delivered again later)")
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), n.Load())
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
	assert.Equal(t, int32(1), n.Load())
}

// A delivery that arrives while the same event is being handled must not be
// acknowledged: if the first handling then fails, the event would be lost.
func TestWebhookHandlerAsksForALaterDeliveryWhileTheEventIsBeingHandled(t *testing.T) {
	f, h, body := paidWebhook(t)
	inside, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error {
		if calls.Add(1) == 1 {
			close(inside)
			<-release
			return errors.New("the first handling fails")
		}
		return nil
	})
	first := make(chan int)
	go func() { first <- serve(handler, paymentstest.WebhookRequest("/wh", h, body)) }()
	<-inside
	assert.Equal(t, http.StatusServiceUnavailable, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
	close(release)
	assert.Equal(t, http.StatusInternalServerError, <-first)
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)), "the provider's next delivery is handled")
	assert.Equal(t, int32(2), calls.Load())
}

// A replica that dies mid-handler holds the event only until its lease ends.
func TestWebhookHandlerTakesOverAnExpiredLease(t *testing.T) {
	f, h, body := paidWebhook(t)
	log := payments.NewMemoryEventLog(0)
	ev, err := f.ParseWebhook(h, body)
	require.NoError(t, err)
	state, err := log.Claim(context.Background(), "fake:"+ev.ID, "a dead replica", 30*time.Millisecond)
	require.NoError(t, err)
	require.Equal(t, payments.Claimed, state)

	var calls atomic.Int32
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { calls.Add(1); return nil },
		payments.WithEventLog(log))
	assert.Equal(t, http.StatusServiceUnavailable, serve(handler, paymentstest.WebhookRequest("/wh", h, body)), "the lease is live")
	time.Sleep(40 * time.Millisecond)
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)), "the lease expired")
	assert.Equal(t, int32(1), calls.Load())
}

func TestWebhookHandlerReleasesTheEventWhenTheHandlerPanics(t *testing.T) {
	f, h, body := paidWebhook(t)
	panics := true
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error {
		if panics {
			panic("nil map")
		}
		return nil
	})
	assert.Equal(t, http.StatusInternalServerError, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
	panics = false
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
}

// refusing is a parser that asks for its own status on a bad delivery, as
// Moneroo's 403 for a bad signature.
type refusing struct {
	*paymentstest.Fake
	status int
}

func (r refusing) RefusalStatus(error) int { return r.status }

func TestWebhookHandlerAnswersTheProvidersRefusalStatus(t *testing.T) {
	f, h, body := paidWebhook(t)
	forged := bytes.Replace(body, []byte("succeeded"), []byte("xucceeded"), 1)
	noop := func(context.Context, *payments.Event) error { return nil }
	assert.Equal(t, http.StatusForbidden, serve(payments.WebhookHandler(refusing{f, 403}, noop), paymentstest.WebhookRequest("/wh", h, forged)))
	for _, never := range []int{200, 302, 500, 503, 0} {
		assert.Equal(t, http.StatusBadRequest, serve(payments.WebhookHandler(refusing{f, never}, noop), paymentstest.WebhookRequest("/wh", h, forged)),
			"%d is never a refusal status", never)
	}
}

func TestWebhookHandlerRefusesABadSignature(t *testing.T) {
	f, h, body := paidWebhook(t)
	called := false
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { called = true; return nil })

	forged := bytes.Replace(body, []byte("succeeded"), []byte("xucceeded"), 1)
	assert.Equal(t, http.StatusBadRequest, serve(handler, paymentstest.WebhookRequest("/wh", h, forged)))
	assert.Equal(t, http.StatusBadRequest, serve(handler, paymentstest.WebhookRequest("/wh", http.Header{}, body)))
	assert.False(t, called)
}

func TestWebhookHandlerAnswers500WhenTheHandlerFailsAndHandlesTheRedelivery(t *testing.T) {
	f, h, body := paidWebhook(t)
	fail := true
	calls := 0
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error {
		calls++
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", h, body))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.NotContains(t, rec.Body.String(), "database", "internal errors are not told to the caller")

	fail = false
	assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)), "the provider's retry is handled")
	assert.Equal(t, 2, calls)
}

func TestWebhookHandlerLimitsTheBody(t *testing.T) {
	f := paymentstest.NewFake()
	called := false
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { called = true; return nil })
	big := bytes.Repeat([]byte("a"), payments.DefaultMaxWebhookBytes+1)
	assert.Equal(t, http.StatusRequestEntityTooLarge, serve(handler, paymentstest.WebhookRequest("/wh", http.Header{}, big)))
	assert.False(t, called)

	small := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { return nil }, payments.WithMaxWebhookBytes(10))
	assert.Equal(t, http.StatusRequestEntityTooLarge, serve(small, paymentstest.WebhookRequest("/wh", http.Header{}, []byte("01234567890"))))
}

func TestWebhookHandlerOnlyTakesPOST(t *testing.T) {
	handler := payments.WebhookHandler(paymentstest.NewFake(), func(context.Context, *payments.Event) error { return nil })
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/wh", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "POST", rec.Header().Get("Allow"))
}

type failingLog struct{}

func (failingLog) Claim(context.Context, string, string, time.Duration) (payments.ClaimState, error) {
	return 0, errors.New("db down")
}
func (failingLog) Complete(context.Context, string, string, time.Duration) error { return nil }
func (failingLog) Release(context.Context, string, string) error                 { return nil }

func TestWebhookHandlerEventLogFailureAsksForARetry(t *testing.T) {
	f, h, body := paidWebhook(t)
	called := false
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { called = true; return nil }, payments.WithEventLog(failingLog{}))
	assert.Equal(t, http.StatusServiceUnavailable, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
	assert.False(t, called, "an event that cannot be claimed is not handled")
}

type deliveries struct {
	mu  sync.Mutex
	got []payments.WebhookDelivery
}

func (d *deliveries) StartOperation(ctx context.Context, _ payments.Operation) (context.Context, func(payments.OperationEnd)) {
	return ctx, func(payments.OperationEnd) {}
}
func (d *deliveries) StartAttempt(ctx context.Context, _ payments.Attempt) (context.Context, func(payments.AttemptEnd)) {
	return ctx, func(payments.AttemptEnd) {}
}
func (d *deliveries) WebhookDelivery(_ context.Context, w payments.WebhookDelivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.got = append(d.got, w)
}

func TestWebhookHandlerReportsEachOutcome(t *testing.T) {
	f, h, body := paidWebhook(t)
	obs := &deliveries{}
	fail := true
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error {
		if fail {
			return errors.New("boom")
		}
		return nil
	}, payments.WithWebhookObserver(obs))
	serve(handler, paymentstest.WebhookRequest("/wh", h, body))
	fail = false
	serve(handler, paymentstest.WebhookRequest("/wh", h, body))
	serve(handler, paymentstest.WebhookRequest("/wh", h, body))
	serve(handler, paymentstest.WebhookRequest("/wh", http.Header{}, body))
	var outcomes []string
	for _, d := range obs.got {
		outcomes = append(outcomes, d.Outcome+" "+strconv.Itoa(d.StatusCode))
		assert.Equal(t, paymentstest.FakeProvider, d.Provider)
	}
	assert.Equal(t, []string{"failed 500", "handled 200", "duplicate 200", "refused 400"}, outcomes)
	assert.Equal(t, "payment.succeeded", obs.got[1].EventType)
}

func TestMemoryEventLogForgetsTheOldest(t *testing.T) {
	ctx := context.Background()
	l := payments.NewMemoryEventLog(2)
	for _, k := range []string{"a", "b", "c"} {
		state, err := l.Claim(ctx, k, "me", time.Hour)
		require.NoError(t, err)
		assert.Equal(t, payments.Claimed, state, k)
		require.NoError(t, l.Complete(ctx, k, "me", time.Hour))
	}
	state, _ := l.Claim(ctx, "a", "me", time.Hour)
	assert.Equal(t, payments.Claimed, state, "a was forgotten when c came")
	state, _ = l.Claim(ctx, "c", "me", time.Hour)
	assert.Equal(t, payments.Done, state, "c is remembered")
}
