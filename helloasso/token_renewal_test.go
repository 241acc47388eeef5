package helloasso_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest"
)

// TestTokenRenewedAMinuteBeforeExpiry moves the client's clock, not the
// simulator's: the client must renew on its own, before HelloAsso would
// answer 401, and with the refresh token.
func TestTokenRenewedAMinuteBeforeExpiry(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var skew atomic.Int64
	helloasso.SetTokenClock(c, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	ctx := context.Background()

	first, err := helloasso.CurrentToken(ctx, c)
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantClientCredentials))

	skew.Store(int64(28 * time.Minute)) // two minutes left: keep it
	again, err := helloasso.CurrentToken(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, again.AccessToken)
	assert.Equal(t, 1, srv.TokensIssued())

	skew.Store(int64(29*time.Minute + 30*time.Second)) // 30 s left: renew
	renewed, err := helloasso.CurrentToken(ctx, c)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, renewed.AccessToken)
	assert.NotEqual(t, first.RefreshToken, renewed.RefreshToken, "HelloAsso rotates the refresh token")
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantClientCredentials))
}

// TestRenewalKeepsTheOldTokenWhileHelloAssoFails: when the refresh fails
// for a reason other than a refusal (HelloAsso down), the access token that
// has not expired yet is still used.
func TestRenewalKeepsTheOldTokenWhileHelloAssoFails(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(srv.URL), payments.WithRetries(0))
	require.NoError(t, err)
	var skew atomic.Int64
	helloasso.SetTokenClock(c, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	first, err := helloasso.CurrentToken(context.Background(), c)
	require.NoError(t, err)

	skew.Store(int64(29*time.Minute + 30*time.Second))
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	kept, err := helloasso.CurrentToken(context.Background(), c)
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, kept.AccessToken)
	assert.Equal(t, 1, srv.TokensIssued())
}
