package replicas

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/moneroo/monerootest"
)

// StoreDown checks what a service does when its shared store goes away
// (stop stops the store's server): webhook deliveries are answered 503, so
// the provider delivers again; HelloAsso's calls still work, each client
// renewing its token on its own as the helloasso package documents; and an
// API call under the shared rate limiter fails with a clear error before
// anything is sent. Nothing panics.
func StoreDown(t *testing.T, s Stores, stop func()) {
	ctx := context.Background()
	moneroo := monerootest.NewServer()
	t.Cleanup(moneroo.Close)
	pay := paidWebhooks(t, moneroo, 2)
	limited, err := moneroo.NewClient(payments.WithRateLimiter(s.RateLimiter), payments.WithRetries(0))
	require.NoError(t, err)
	var handled int
	hook := payments.WebhookHandler(limited, func(context.Context, *payments.Event) error { handled++; return nil },
		payments.WithEventLog(s.EventLog))
	deliverTo := func(d delivery) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/moneroo", bytes.NewReader(d.body))
		req.Header = d.header.Clone()
		hook.ServeHTTP(rec, req)
		return rec.Code
	}
	ha := helloassotest.NewServer()
	t.Cleanup(ha.Close)
	newHelloAsso := func() *helloasso.Client {
		c, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
			OrganizationSlug: helloassotest.OrganizationSlug, TokenStore: s.TokenStore}, payments.WithBaseURL(ha.URL))
		require.NoError(t, err)
		return c
	}
	intent, err := newHelloAsso().Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 1500, Currency: "EUR"}, Reference: "order-1", Description: "Adhésion",
		ReturnURL: "https://shop.example/return", Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	})
	require.NoError(t, err)

	// While the store is up.
	require.Equal(t, http.StatusOK, deliverTo(pay[0]))
	_, err = limited.Verify(ctx, pay[0].paymentID())
	require.NoError(t, err)

	stop()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	assert.Equal(t, http.StatusServiceUnavailable, deliverTo(pay[1]), "a new event: deliver again later")
	assert.Equal(t, http.StatusServiceUnavailable, deliverTo(pay[0]), "a handled one too: the log cannot tell")
	assert.Equal(t, 1, handled, "nothing handled without its claim")

	_, err = limited.Verify(ctx, pay[0].paymentID())
	var pe *payments.Error
	require.True(t, errors.As(err, &pe), "a *payments.Error: %v", err)
	assert.ErrorIs(t, err, payments.ErrUnavailable)
	assert.True(t, pe.NotSent, "nothing was sent")
	assert.True(t, pe.Retryable)
	assert.Contains(t, err.Error(), "rate limiter failed")
	t.Logf("an API call with the limiter's store down: %v", err)

	issued := ha.TokensIssued()
	_, err = newHelloAsso().Verify(ctx, intent.ID)
	require.NoError(t, err, "a cold HelloAsso client works without its token store")
	assert.Equal(t, issued+1, ha.TokensIssued(), "at the cost of a token of its own")
}

func (d delivery) paymentID() string {
	// "payment.success:<id>:success", as moneroo.ParseWebhook names it.
	rest := d.event[len("payment.success:"):]
	return rest[:len(rest)-len(":success")]
}
