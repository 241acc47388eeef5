package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/unipay/payments"
)

// server answers each request with the next of answers (the last repeats)
// and counts the requests.
type server struct {
	*httptest.Server
	mu      sync.Mutex
	answers []func(w http.ResponseWriter, r *http.Request)
	hits    atomic.Int32
	last    *http.Request
	body    []byte
}

func newServer(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *server {
	s := &server{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1)) - 1
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.last, s.body = r, b
		s.mu.Unlock()
		s.answers[min(n, len(s.answers)-1)](w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func status(code int, body string, header ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// sleeps records the waits between attempts instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func newClient(t *testing.T, base string, opts ...payments.Option) (*Client, *sleeps) {
	t.Helper()
	c, err := New(Config{
		Provider: payments.Moneroo,
		BaseURL:  "https://api.example.com",
		Settings: NewSettings(append([]payments.Option{payments.WithBaseURL(base)}, opts...)...),
	})
	require.NoError(t, err)
	sl := &sleeps{}
	c.sleep = sl.sleep
	c.backoff = func(attempt int) time.Duration { return time.Duration(attempt+1) * time.Millisecond }
	return c, sl
}

func TestGETRetriedOn503ThenSucceeds(t *testing.T) {
	srv := newServer(t, status(503, "busy"), status(200, `{"ok":true}`))
	c, sl := newClient(t, srv.URL)
	var out struct{ OK bool }
	_, err := c.Do(context.Background(), &Request{Op: "verify", Method: "GET", Path: "/v1/payments/p1/verify"}, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, int32(2), srv.hits.Load())
	assert.Len(t, sl.d, 1, "one wait between the two attempts")
}

func TestCreateNotRetriedOn503(t *testing.T) {
	srv := newServer(t, status(503, `{"message":"try later"}`), status(201, `{}`))
	c, _ := newClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Op: "initialize payment", Method: "POST", Path: "/v1/payments/initialize", JSON: map[string]int{"amount": 1}}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.False(t, perr.Retryable, "the provider may have charged: do not resend")
	assert.Equal(t, 503, perr.HTTPStatus)
	assert.Equal(t, int32(1), srv.hits.Load(), "a create must not be sent twice after a 5xx")
}

func TestNoRetrySendsOnceWhateverHappens(t *testing.T) {
	srv := newServer(t, status(429, `{}`, "Retry-After", "1"), status(200, `{}`))
	c, sl := newClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Op: "attempt payment", Method: "POST", Path: "/x", NoRetry: true}, nil)
	require.ErrorIs(t, err, payments.ErrRateLimited)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, time.Second, perr.RetryAfter, "the caller learns how long to wait")
	assert.Equal(t, int32(1), srv.hits.Load())
	assert.Empty(t, sl.d)

	srv = newServer(t, status(503, `{}`), status(200, `{}`))
	c, _ = newClient(t, srv.URL)
	_, err = c.Do(context.Background(), &Request{Op: "poll", Path: "/x", NoRetry: true}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, int32(1), srv.hits.Load(), "even a GET")
}

func TestIdempotentPOSTRetriedOn502(t *testing.T) {
	srv := newServer(t, status(502, "<html>bad gateway</html>"), status(200, `{}`))
	c, _ := newClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Op: "set order id", Method: "POST", Path: "/x", Idempotent: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(2), srv.hits.Load())
}

func TestRetryAfterOn429IsHonouredEvenForACreate(t *testing.T) {
	srv := newServer(t, status(429, `{"message":"slow down"}`, "Retry-After", "7"), status(201, `{"id":"p1"}`))
	c, sl := newClient(t, srv.URL)
	var out struct{ ID string }
	_, err := c.Do(context.Background(), &Request{Op: "initialize payment", Method: "POST", Path: "/v1/payments/initialize"}, &out)
	require.NoError(t, err, "a rate-limited request was not handled, so it is safe to resend")
	assert.Equal(t, "p1", out.ID)
	assert.Equal(t, []time.Duration{7 * time.Second}, sl.d, "wait exactly what Retry-After says")
}

func TestRetryAfterBeyondTheMaxReturnsAtOnce(t *testing.T) {
	srv := newServer(t, status(429, `{}`, "Retry-After", "3600"))
	c, sl := newClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrRateLimited)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, time.Hour, perr.RetryAfter)
	assert.True(t, perr.Retryable)
	assert.Empty(t, sl.d)
	assert.Equal(t, int32(1), srv.hits.Load())
}

func TestRetriesStopAtTheLimit(t *testing.T) {
	srv := newServer(t, status(500, "no"))
	c, _ := newClient(t, srv.URL, payments.WithRetries(3))
	_, err := c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, int32(4), srv.hits.Load(), "one attempt and three retries")

	srv = newServer(t, status(500, "no"))
	c, _ = newClient(t, srv.URL, payments.WithRetries(0))
	_, err = c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, nil)
	require.Error(t, err)
	assert.Equal(t, int32(1), srv.hits.Load())
}

func TestContextCancelledDuringBackoffReturnsAtOnce(t *testing.T) {
	srv := newServer(t, status(429, `{}`, "Retry-After", "30"))
	c, err := New(Config{Provider: payments.Moneroo, BaseURL: srv.URL, Settings: NewSettings()})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	backingOff := make(chan time.Duration, 1)
	c.sleep = func(ctx context.Context, d time.Duration) error {
		backingOff <- d
		return Sleep(ctx, d) // the real wait, which must end on cancel
	}
	go func() {
		<-backingOff
		cancel()
	}()
	start := time.Now()
	_, err = c.Do(ctx, &Request{Op: "verify", Path: "/x"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, payments.ErrRateLimited, "the provider's answer is kept")
	assert.Less(t, time.Since(start), 10*time.Second, "must not sit out the 30 s Retry-After")
	assert.Equal(t, int32(1), srv.hits.Load())
}

// flakyTransport fails the first request with err, then passes through.
type flakyTransport struct {
	err   error
	calls atomic.Int32
}

func (f *flakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.calls.Add(1) == 1 {
		return nil, f.err
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestCreateRetriedOnlyWhenItSurelyNeverArrived(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	srv := newServer(t, status(201, `{}`))
	ft := &flakyTransport{err: refused}
	c, _ := newClient(t, srv.URL, payments.WithHTTPClient(&http.Client{Transport: ft}))
	_, err := c.Do(context.Background(), &Request{Op: "create", Method: "POST", Path: "/x"}, nil)
	require.NoError(t, err, "a refused connection never reached the provider")
	assert.Equal(t, int32(1), srv.hits.Load())

	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	srv = newServer(t, status(201, `{}`))
	ft = &flakyTransport{err: reset}
	c, _ = newClient(t, srv.URL, payments.WithHTTPClient(&http.Client{Transport: ft}))
	_, err = c.Do(context.Background(), &Request{Op: "create", Method: "POST", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable, "a reset after sending may hide a charge")
	assert.Equal(t, int32(1), ft.calls.Load())
	assert.Equal(t, int32(0), srv.hits.Load())
}

func TestTimeoutPerAttempt(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	defer close(release)
	c, _ := newClient(t, srv.URL, payments.WithTimeout(20*time.Millisecond), payments.WithRetries(0))
	_, err := c.Do(context.Background(), &Request{Op: "create", Method: "POST", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestBodyCap(t *testing.T) {
	big := `{"data":"` + strings.Repeat("x", 2<<20) + `"}`
	srv := newServer(t, status(200, big))
	c, _ := newClient(t, srv.URL)
	var out map[string]any
	_, err := c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, &out)
	require.ErrorIs(t, err, payments.ErrMalformedResponse)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Len(t, perr.Raw, payments.DefaultMaxResponseBytes, "the first MiB is kept")
	assert.Contains(t, perr.Message, "exceeds 1048576 bytes")

	c, _ = newClient(t, srv.URL, payments.WithMaxResponseBytes(16))
	_, err = c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, &out)
	assert.ErrorIs(t, err, payments.ErrMalformedResponse)
}

func TestMalformedAndErrorBodiesKeepEverything(t *testing.T) {
	srv := newServer(t, status(200, `{"data":{"id":"p1"`, "Content-Type", "application/json"))
	c, _ := newClient(t, srv.URL)
	var out map[string]any
	_, err := c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, &out)
	require.ErrorIs(t, err, payments.ErrMalformedResponse, "truncated JSON")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, `{"data":{"id":"p1"`, string(perr.Raw))

	srv = newServer(t, status(502, "<html><body>Bad Gateway</body></html>", "Content-Type", "text/html"))
	c, _ = newClient(t, srv.URL, payments.WithRetries(0))
	_, err = c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, &out)
	require.ErrorIs(t, err, payments.ErrUnavailable, "an HTML error page")
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "<html><body>Bad Gateway</body></html>", string(perr.Raw))
	assert.Equal(t, "Bad Gateway", perr.Message)
}

func TestErrorKindsByStatus(t *testing.T) {
	cases := map[int]payments.Kind{
		400: payments.ErrInvalidRequest, 401: payments.ErrAuthentication, 402: payments.ErrDeclined,
		403: payments.ErrPermission, 404: payments.ErrNotFound, 409: payments.ErrConflict,
		422: payments.ErrInvalidRequest, 429: payments.ErrRateLimited, 500: payments.ErrUnavailable,
		503: payments.ErrUnavailable, 302: payments.ErrMalformedResponse,
	}
	for code, kind := range cases {
		srv := newServer(t, status(code, `{}`, "Location", "https://elsewhere.example.com/", "X-Request-Id", "req_9"))
		c, err := New(Config{Provider: payments.Hub2, BaseURL: srv.URL, RequestIDHeader: "X-Request-Id",
			Settings: NewSettings(payments.WithRetries(0))})
		require.NoError(t, err)
		_, err = c.Do(context.Background(), &Request{Op: "op", Method: "POST", Path: "/x"}, nil)
		require.ErrorIs(t, err, kind, "HTTP %d", code)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, code, perr.HTTPStatus)
		assert.Equal(t, "req_9", perr.RequestID)
		assert.Equal(t, payments.Hub2, perr.Provider)
		assert.Equal(t, int32(1), srv.hits.Load(), "HTTP %d: redirects are not followed", code)
	}
}

func TestDecodeErrorFillsTheProvidersDetails(t *testing.T) {
	srv := newServer(t, status(422, `{"message":"The given data was invalid.","errors":{"customer.email":["invalid"]}}`))
	c, err := New(Config{Provider: payments.Moneroo, BaseURL: srv.URL, Settings: NewSettings(),
		DecodeError: func(resp *Response, e *payments.Error) {
			var b struct {
				Message string
				Errors  map[string][]string
			}
			if json.Unmarshal(resp.Body, &b) == nil {
				e.Message = b.Message
				for f, ms := range b.Errors {
					e.Fields = append(e.Fields, payments.FieldError{Field: f, Message: strings.Join(ms, "; ")})
				}
			}
		}})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Op: "initialize payment", Method: "POST", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "The given data was invalid.", perr.Message)
	f, ok := perr.Field("customer.email")
	require.True(t, ok)
	assert.Equal(t, "invalid", f.Message)
}

func TestBaseURLMustBeHTTPSExceptLoopback(t *testing.T) {
	for _, ok := range []string{"https://api.moneroo.io", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://proxy.example.com/moneroo"} {
		_, err := New(Config{Provider: payments.Moneroo, BaseURL: ok, Settings: NewSettings()})
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://api.moneroo.io", "http://10.0.0.1", "ftp://api.moneroo.io", "api.moneroo.io", "https://api.moneroo.io?x=1", ""} {
		_, err := New(Config{Provider: payments.Moneroo, BaseURL: "https://api.moneroo.io", Settings: NewSettings(payments.WithBaseURL(bad))})
		if bad == "" {
			assert.NoError(t, err, "no override keeps the adapter's URL")
			continue
		}
		require.ErrorIs(t, err, payments.ErrInvalidRequest, bad)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field("BaseURL")
		assert.True(t, named, bad)
	}
}

func TestBaseURLPathIsKept(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	c, _ := newClient(t, srv.URL+"/proxy/")
	_, err := c.Do(context.Background(), &Request{Op: "x", Path: "/v1/payments/a%2Fb", Query: map[string][]string{"page": {"2"}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "/proxy/v1/payments/a%2Fb", srv.last.URL.EscapedPath())
	assert.Equal(t, "page=2", srv.last.URL.RawQuery)
}

func TestHeadersAuthAndUserAgent(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	c, err := New(Config{
		Provider: payments.Hub2, BaseURL: srv.URL,
		Settings: NewSettings(payments.WithUserAgent("shop/2.1")),
		Auth:     HeaderAuth{"Apikey": {"sk_live_abc"}, "Merchantid": {"m_1"}},
		Header:   map[string][]string{"Environment": {"sandbox"}},
	})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Op: "x", Method: "POST", Path: "/payment-intents", JSON: map[string]any{"amount": 500}}, nil)
	require.NoError(t, err)
	h := srv.last.Header
	assert.Equal(t, "sk_live_abc", h.Get("ApiKey"))
	assert.Equal(t, "m_1", h.Get("MerchantId"))
	assert.Equal(t, "sandbox", h.Get("Environment"))
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Regexp(t, `^shop/2\.1 unipay-payments/\d+\.\d+\.\d+ go/\d+\.\d+`, h.Get("User-Agent"))
	assert.JSONEq(t, `{"amount":500}`, string(srv.body))

	_, err = c.Do(context.Background(), &Request{Op: "x", Path: "/public", NoAuth: true}, nil)
	require.NoError(t, err)
	assert.Empty(t, srv.last.Header.Get("ApiKey"))
}

func TestTheRequestsHeadersGoOverTheClients(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	clientHeader := http.Header{"Accept": {"application/vnd.api+json"}, "X-Shop": {"client"}, "X-Client": {"c"}}
	c, err := New(Config{Provider: payments.Hub2, BaseURL: srv.URL, Settings: NewSettings(), Header: clientHeader})
	require.NoError(t, err)
	reqHeader := http.Header{"X-Shop": {"request"}, "Content-Type": {"text/plain"}}
	_, err = c.Do(context.Background(), &Request{Op: "x", Method: "POST", Path: "/x", Header: reqHeader, JSON: map[string]int{"a": 1}}, nil)
	require.NoError(t, err)
	h := srv.last.Header
	assert.Equal(t, "request", h.Get("X-Shop"), "the request's value wins")
	assert.Equal(t, "c", h.Get("X-Client"))
	assert.Equal(t, "application/json", h.Get("Content-Type"), "the body says its type")
	assert.Equal(t, "application/vnd.api+json", h.Get("Accept"), "the client's Accept is kept")

	_, err = c.Do(context.Background(), &Request{Op: "x", Path: "/x", Header: http.Header{"Accept": {"text/csv"}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "text/csv", srv.last.Header.Get("Accept"), "the request's Accept wins")
	_, err = c.Do(context.Background(), &Request{Op: "x", Path: "/x", Header: http.Header{"Accept": {""}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "application/json", srv.last.Header.Get("Accept"), "an empty Accept is none")
	assert.Empty(t, srv.last.Header.Get("Content-Type"), "no body, no type")

	// Values are shared with every request, never written.
	assert.Equal(t, http.Header{"Accept": {"application/vnd.api+json"}, "X-Shop": {"client"}, "X-Client": {"c"}}, clientHeader)
	assert.Equal(t, http.Header{"X-Shop": {"request"}, "Content-Type": {"text/plain"}}, reqHeader)
	assert.Equal(t, []string{"application/json"}, jsonValue)
}

func TestFixedCredentialsStayScrubbedHoweverManyTokensAreLearnt(t *testing.T) {
	const key = "sk_live_0123456789abcdef"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"message":"bad key `+r.Header.Get("Authorization")+`"}`)
	})
	c, err := New(Config{Provider: payments.Moneroo, BaseURL: srv.URL, Settings: NewSettings(payments.WithRetries(0)),
		Auth: BearerAuth(key)}) // the key is not among Secrets: httpx learns it from the header
	require.NoError(t, err)
	for i := range 2 * maxLearnt {
		c.Redactor().Learn("intent-token-" + strconv.Itoa(i) + "-abcdefghijkl")
	}
	_, err = c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.NotContains(t, string(perr.Raw), "0123456789abcdef")
	assert.Contains(t, string(perr.Raw), Redacted)
}

// countingSource hands out token-1 until invalidated, then token-2, and
// counts the invalidations.
type countingSource struct {
	mu  sync.Mutex
	inv int
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &oauth2.Token{AccessToken: "token-" + strconv.Itoa(s.inv+1), TokenType: "Bearer"}, nil
}

func (s *countingSource) Invalidate(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inv++
	return nil
}

func (s *countingSource) invalidations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inv
}

func TestA401RenewsTheTokenOnceAndRetries(t *testing.T) {
	src := &countingSource{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer token-2" {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(200)
	})
	c, err := New(Config{Provider: payments.HelloAsso, BaseURL: srv.URL, Settings: NewSettings(), Auth: TokenAuth{Source: src}})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Op: "create checkout intent", Method: "POST", Path: "/x"}, nil)
	require.NoError(t, err, "a 401 was not acted on, so even a create is resent after renewing")
	assert.Equal(t, 1, src.invalidations())
	assert.Equal(t, int32(2), srv.hits.Load())

	srv = newServer(t, status(401, `{"message":"nope"}`))
	src = &countingSource{}
	c, err = New(Config{Provider: payments.HelloAsso, BaseURL: srv.URL, Settings: NewSettings(), Auth: TokenAuth{Source: src}})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrAuthentication)
	assert.Equal(t, 1, src.invalidations(), "renew once, not forever")
	assert.Equal(t, int32(2), srv.hits.Load())
}

func TestClientSideRateLimitWaitsOnTheContext(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	c, _ := newClient(t, srv.URL, payments.WithRateLimit(1, time.Hour))
	_, err := c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = c.Do(ctx, &Request{Op: "x", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrRateLimited, "the wait would outlast the deadline")
	assert.Equal(t, int32(1), srv.hits.Load(), "the second request waits instead of being sent")

	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	_, err = c.Do(cancelled, &Request{Op: "x", Path: "/x"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, payments.ErrUnavailable, "a caller who gave up is not rate limited")
	assert.NotErrorIs(t, err, payments.ErrRateLimited)
}

func TestHTTPClientGoesThroughTheSameStack(t *testing.T) {
	srv := newServer(t, status(200, `{"data":{}}`), status(429, `{}`), status(500, `{"errors":[]}`))
	c, err := New(Config{Provider: payments.Hero, BaseURL: srv.URL, Settings: NewSettings(payments.WithRetries(0)),
		Auth: HeaderAuth{"Authorization": {"Api-Key k_secret"}}})
	require.NoError(t, err)
	hc := c.HTTPClient(true)

	resp, err := hc.Post(srv.URL+"/api/graphql", "application/json", strings.NewReader(`{"query":"{ version }"}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"data":{}}`, string(b))
	assert.Equal(t, "Api-Key k_secret", srv.last.Header.Get("Authorization"))
	assert.Equal(t, `{"query":"{ version }"}`, string(srv.body))

	_, err = hc.Post(srv.URL+"/api/graphql", "application/json", strings.NewReader(`{}`))
	assert.ErrorIs(t, err, payments.ErrRateLimited, "a non-2xx answer is a *payments.Error")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.Hero, perr.Provider)
	assert.Equal(t, "POST /api/graphql", perr.Op)

	ctx := WithOp(WithIdempotent(context.Background()), "get payments infos")
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/graphql", strings.NewReader(`{}`))
	_, err = c.HTTPClient(false).Do(req)
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "get payments infos", perr.Op)
	assert.True(t, perr.Retryable, "marked idempotent")
	assert.Empty(t, srv.last.Header.Get("Authorization"), "auth=false sends no credentials")
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	assert.Equal(t, 60*time.Second, parseRetryAfter("60", now))
	assert.Equal(t, 90*time.Second, parseRetryAfter("Sun, 22 Nov 2026 10:01:30 GMT", now))
	assert.Zero(t, parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now), "a date in the past")
	assert.Zero(t, parseRetryAfter("-5", now))
	assert.Zero(t, parseRetryAfter("soon", now))
	assert.Zero(t, parseRetryAfter("", now))
}

func TestJitteredBackoff(t *testing.T) {
	for attempt := range 10 {
		d := jitteredBackoff(attempt)
		hi := min(250*time.Millisecond<<min(attempt, 5), 8*time.Second)
		assert.GreaterOrEqual(t, d, hi/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, hi, "attempt %d", attempt)
	}
}

func TestWithBackoffSetsTheWaits(t *testing.T) {
	c, err := New(Config{Provider: payments.Moneroo, BaseURL: "https://api.example.com",
		Settings: NewSettings(payments.WithBackoff(2*time.Millisecond, 5*time.Millisecond))})
	require.NoError(t, err)
	for attempt, hi := range []time.Duration{2 * time.Millisecond, 4 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond} {
		d := c.backoff(attempt)
		assert.GreaterOrEqual(t, d, hi/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, hi, "attempt %d", attempt)
	}
}

// appender writes its own body, or leaves it to json.Marshal.
type appender struct {
	Name string `json:"name"`
	sure bool
}

func (a appender) AppendJSON(b []byte) ([]byte, bool) {
	if !a.sure {
		return append(b, "not this"...), false
	}
	return append(b, `{"name":"by hand"}`...), true
}

// A JSONAppender's bytes are the body; when it is not sure of them,
// json.Marshal's are.
func TestJSONAppenderWritesTheBody(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	c, _ := newClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Op: "x", Method: http.MethodPost, Path: "/x", JSON: appender{Name: "marshalled", sure: true}}, nil)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"by hand"}`, string(srv.body))
	assert.Equal(t, "application/json", srv.last.Header.Get("Content-Type"))
	_, err = c.Do(context.Background(), &Request{Op: "x", Method: http.MethodPost, Path: "/x", JSON: appender{Name: "marshalled"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"marshalled"}`, string(srv.body))
}
