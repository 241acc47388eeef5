package helloasso_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest"
)

// created opens a checkout on srv with a client of its own, so that the
// client under test starts cold.
func created(t *testing.T, srv *helloassotest.Server) *payments.Session {
	t.Helper()
	c := simClient(t, srv, nil)
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	return s
}

// simClient returns a new client of srv, sharing store if it is not nil.
func simClient(t *testing.T, srv *helloassotest.Server, store payments.TokenStore, opts ...payments.Option) *helloasso.Client {
	t.Helper()
	c, err := helloasso.New(helloasso.Config{
		ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug, TokenStore: store,
	}, append([]payments.Option{payments.WithBaseURL(srv.URL), payments.WithRetries(0)}, opts...)...)
	require.NoError(t, err)
	return c
}

// verifyAll runs n concurrent Verify calls and fails the test on any error.
func verifyAll(t *testing.T, c *helloasso.Client, id string, n int) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Verify(context.Background(), id)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "Verify #%d", i)
	}
}

func TestThousandConcurrentCallsOnAColdClientMakeOneTokenRequest(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	s := created(t, srv)
	before, requests := srv.TokensIssued(), srv.Requests()

	// A bounded connection pool: the calls still all want a token at once,
	// before any of them reaches the network.
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 32}}
	c := simClient(t, srv, nil, payments.WithHTTPClient(hc))
	verifyAll(t, c, s.ID, 1000)

	assert.Equal(t, 1, srv.TokensIssued()-before, "one token for the cold client")
	assert.Equal(t, 1001, srv.Requests()-requests, "one token request and 1,000 API calls")
}

// warm returns a simulator, a checkout on it, and a client that has its
// token already, with the client-credentials tokens issued so far.
func warm(t *testing.T) (*helloassotest.Server, *payments.Session, *helloasso.Client, int) {
	t.Helper()
	srv := helloassotest.NewServer()
	t.Cleanup(srv.Close)
	s := created(t, srv)
	c := simClient(t, srv, nil)
	_, err := c.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	return srv, s, c, srv.TokensIssuedBy(helloassotest.GrantClientCredentials)
}

func TestAnExpiredTokenIsRenewedWithTheRefreshToken(t *testing.T) {
	srv, s, c, cc := warm(t)

	srv.ExpireAccessTokens() // 30 minutes pass: the API answers 401
	verifyAll(t, c, s.ID, 50)

	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken), "the 401s renew once, with the refresh token")
	assert.Equal(t, cc, srv.TokensIssuedBy(helloassotest.GrantClientCredentials), "no new client-credentials token")
}

func TestARefusedRefreshTokenFallsBackToClientCredentials(t *testing.T) {
	srv, s, c, cc := warm(t)
	srv.ExpireAccessTokens()
	srv.RevokeRefreshTokens()
	_, err := c.Verify(context.Background(), s.ID)
	require.NoError(t, err)

	assert.Equal(t, 0, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))
	assert.Equal(t, cc+1, srv.TokensIssuedBy(helloassotest.GrantClientCredentials))
}

func TestReplicasShareTheTokenThroughTheStore(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	s := created(t, srv)
	before := srv.TokensIssued()
	store := &payments.MemoryTokenStore{}
	a, b := simClient(t, srv, store), simClient(t, srv, store)

	_, err := a.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	_, err = b.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokensIssued()-before, "the second replica uses the stored token")

	// The token expires: a renews it with the refresh token; b, answered
	// 401, finds a's token in the store instead of spending the refresh
	// token a already rotated.
	srv.ExpireAccessTokens()
	_, err = a.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	_, err = b.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokensIssued()-before)
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))
}

func TestTokenEndpointErrors(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()

	t.Run("wrong secret", func(t *testing.T) {
		const secret = "not-the-right-secret-1234"
		c, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: secret,
			OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(srv.URL))
		require.NoError(t, err)
		_, err = c.Verify(context.Background(), "30001")
		require.ErrorIs(t, err, payments.ErrAuthentication)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, "invalid_client", perr.Code)
		assert.Equal(t, payments.HelloAsso, perr.Provider)
		assert.Equal(t, "get access token", perr.Op)
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, string(perr.Raw), secret)
	})
	t.Run("token endpoint down", func(t *testing.T) {
		srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
		c := simClient(t, srv, nil)
		_, err := c.Verify(context.Background(), "30001")
		require.ErrorIs(t, err, payments.ErrUnavailable)
	})
	t.Run("HTML instead of JSON", func(t *testing.T) {
		srv.Faults.Add(paymentstest.Fault{Path: "/oauth2/token", Status: http.StatusOK, Body: "<html>maintenance</html>",
			Header: http.Header{"Content-Type": {"text/html"}}})
		c := simClient(t, srv, nil)
		_, err := c.Verify(context.Background(), "30001")
		require.ErrorIs(t, err, payments.ErrMalformedResponse)
	})
	t.Run("canceled before the token", func(t *testing.T) {
		c := simClient(t, srv, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Verify(ctx, "30001")
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestTokensAndSecretNeverReachTheLogs(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	s := created(t, srv)
	var logs bytes.Buffer
	c := simClient(t, srv, nil, payments.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	srv.ExpireAccessTokens()
	_, err = c.Verify(context.Background(), s.ID) // 401, refresh, retry
	require.NoError(t, err)
	tok, err := c.TokenSource().Token()
	require.NoError(t, err)

	out := logs.String()
	require.True(t, strings.Contains(out, "/oauth2/token"), "token requests are logged")
	assert.Contains(t, out, "grant_type=refresh_token")
	assert.NotContains(t, out, helloassotest.ClientSecret)
	assert.NotContains(t, out, tok.AccessToken)
	assert.NotContains(t, out, tok.RefreshToken)
	assert.NotContains(t, out, "sim_at_", "no access token, old or new")
	assert.NotContains(t, out, "sim_rt_", "no refresh token, old or new")
}

// Replicas renewing at the same moment take the store's renewal lock in
// turn: one asks HelloAsso, the others read its token.
func TestConcurrentReplicasRenewOnce(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	s := created(t, srv)
	store := &payments.MemoryTokenStore{}
	replicas := []*helloasso.Client{simClient(t, srv, store), simClient(t, srv, store), simClient(t, srv, store)}
	verifyAll := func() {
		var wg sync.WaitGroup
		for _, c := range replicas {
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Verify(context.Background(), s.ID)
					assert.NoError(t, err)
				}()
			}
		}
		wg.Wait()
	}
	before := srv.TokensIssued()
	verifyAll()
	assert.Equal(t, 1, srv.TokensIssued()-before, "3 cold replicas, 60 calls: one token")

	srv.ExpireAccessTokens()
	verifyAll()
	assert.Equal(t, 2, srv.TokensIssued()-before, "the expired token is renewed once for all")
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))
}

// brokenStore fails every call, as a shared store that is down.
type brokenStore struct{}

func (brokenStore) Load(context.Context, string) ([]byte, error) {
	return nil, errors.New("redis: connection refused")
}
func (brokenStore) Save(context.Context, string, []byte, time.Duration) error {
	return errors.New("redis: connection refused")
}
func (brokenStore) Lock(context.Context, string, time.Duration) (func(context.Context) error, error) {
	return nil, errors.New("redis: connection refused")
}

// A store that is down costs tokens, not calls: the client renews on its
// own and says so in the log.
func TestATokenStoreThatIsDownDoesNotFailCalls(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	s := created(t, srv)
	var logs bytes.Buffer
	c := simClient(t, srv, brokenStore{}, payments.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	_, err := c.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Contains(t, logs.String(), "token store failed")
	assert.Contains(t, logs.String(), "cannot save the access token")
}
