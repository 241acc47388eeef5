package fakekit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/fakekit"
	"github.com/unipay/payments/moneroo"
)

func request() payments.CreateRequest {
	return payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "order-1", ReturnURL: "https://shop.example.com/r",
		Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	}
}

// TestOfflineSendsNothingAndWaitsForNothing points an Offline client at a
// server that counts requests: the adapter's checks run, nothing arrives,
// and a burst far beyond Moneroo's rate limit does not wait.
func TestOfflineSendsNothingAndWaitsForNothing(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	c, err := moneroo.New(moneroo.Config{SecretKey: "sk"}, append([]payments.Option{payments.WithBaseURL(srv.URL)}, fakekit.Offline()...)...)
	require.NoError(t, err)

	start := time.Now()
	for range 200 {
		_, err := c.Create(context.Background(), request())
		require.Error(t, err, "an Offline client never gets an answer")
		require.NoError(t, fakekit.Checked(err), "a valid request passes the adapter's checks")
	}
	assert.Less(t, time.Since(start), 5*time.Second, "Moneroo's limit (a burst of 20, then 100 a minute) would take over a minute")

	bad := request()
	bad.Customer = nil
	_, err = c.Create(context.Background(), bad)
	err = fakekit.Checked(err)
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "the adapter's own refusal comes back")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Customer.Email")
	assert.True(t, named)
	assert.Zero(t, hits.Load(), "nothing reached the network")
}

func TestChecked(t *testing.T) {
	assert.NoError(t, fakekit.Checked(nil))
	other := &payments.Error{Kind: payments.ErrUnavailable}
	assert.Same(t, other, fakekit.Checked(other), "an error that did not come from the Offline transport is the adapter's")
}

func TestReturnQuery(t *testing.T) {
	q := fakekit.ReturnQuery("https://shop.example.com/r?order=42&lang=fr", url.Values{"paymentId": {"p1"}})
	assert.Equal(t, url.Values{"order": {"42"}, "lang": {"fr"}, "paymentId": {"p1"}}, q)
	assert.Equal(t, url.Values{"paymentId": {"p1"}}, fakekit.ReturnQuery("", url.Values{"paymentId": {"p1"}}))
}
