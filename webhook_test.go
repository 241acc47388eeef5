package payments_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

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
			assert.Equal(t, http.StatusOK, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), n.Load())
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

func (failingLog) Claim(context.Context, string) (bool, error) { return false, errors.New("db down") }
func (failingLog) Release(context.Context, string) error       { return nil }

func TestWebhookHandlerEventLogFailureAsksForARetry(t *testing.T) {
	f, h, body := paidWebhook(t)
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { return nil }, payments.WithEventLog(failingLog{}))
	assert.Equal(t, http.StatusInternalServerError, serve(handler, paymentstest.WebhookRequest("/wh", h, body)))
}

func TestMemoryEventLogForgetsTheOldest(t *testing.T) {
	ctx := context.Background()
	l := payments.NewMemoryEventLog(2)
	for _, k := range []string{"a", "b", "c"} {
		ok, err := l.Claim(ctx, k)
		require.NoError(t, err)
		assert.True(t, ok, k)
	}
	ok, _ := l.Claim(ctx, "a")
	assert.True(t, ok, "a was forgotten when c came")
	ok, _ = l.Claim(ctx, "c")
	assert.False(t, ok, "c is remembered")

	require.NoError(t, l.Release(ctx, "c"))
	ok, _ = l.Claim(ctx, "c")
	assert.True(t, ok, "a released key can be claimed again")
}
