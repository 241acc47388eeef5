package helloasso

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest"
)

// TestTokenRenewedAMinuteBeforeExpiry moves the client's clock, not the
// simulator's: the client must renew on its own, before HelloAsso would
// answer 401, and with the refresh token.
func TestTokenRenewedAMinuteBeforeExpiry(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := New(Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var skew atomic.Int64
	c.tokens.now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	ctx := context.Background()

	first, err := c.tokens.token(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantClientCredentials))

	skew.Store(int64(28 * time.Minute)) // two minutes left: keep it
	again, err := c.tokens.token(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, again.AccessToken)
	assert.Equal(t, 1, srv.TokensIssued())

	skew.Store(int64(29*time.Minute + 30*time.Second)) // 30 s left: renew
	renewed, err := c.tokens.token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, renewed.AccessToken)
	assert.NotEqual(t, first.RefreshToken, renewed.RefreshToken, "HelloAsso rotates the refresh token")
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantClientCredentials))
}

// TestShortLivedTokensAreKeptHalfTheirLife checks the margin for tokens
// living less than two minutes: renewing a minute early would renew them on
// every call.
func TestShortLivedTokensAreKeptHalfTheirLife(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := &tokenSource{now: func() time.Time { return now }}
	tok := &oauth2.Token{AccessToken: "a", ExpiresIn: 60, Expiry: now.Add(60 * time.Second)}
	assert.True(t, s.usable(tok))
	now = now.Add(29 * time.Second)
	assert.True(t, s.usable(tok))
	now = now.Add(2 * time.Second)
	assert.False(t, s.usable(tok))
	assert.True(t, s.usable(&oauth2.Token{AccessToken: "no expiry"}), "a token without expiry is used until a 401")
	s.rejected = "no expiry"
	assert.False(t, s.usable(&oauth2.Token{AccessToken: "no expiry"}), "a token HelloAsso refused is not")
}

// TestRenewalKeepsTheOldTokenWhileHelloAssoFails: when the refresh fails
// for a reason other than a refusal (HelloAsso down), the access token that
// has not expired yet is still used.
func TestRenewalKeepsTheOldTokenWhileHelloAssoFails(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := New(Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(srv.URL), payments.WithRetries(0))
	require.NoError(t, err)
	var skew atomic.Int64
	c.tokens.now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	first, err := c.tokens.token(context.Background())
	require.NoError(t, err)

	skew.Store(int64(29*time.Minute + 30*time.Second))
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	kept, err := c.tokens.token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, kept.AccessToken)
	assert.Equal(t, 1, srv.TokensIssued())
}
