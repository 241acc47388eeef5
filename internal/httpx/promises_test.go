package httpx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

func notSent(t *testing.T, err error) bool {
	t.Helper()
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, !perr.NotSent, payments.MaybeSent(err))
	return perr.NotSent
}

func TestNotSentSaysWhetherTheRequestLeft(t *testing.T) {
	create := &Request{Op: "create", Method: http.MethodPost, Path: "/x", JSON: map[string]int{"amount": 1}}

	t.Run("cancelled before sending", func(t *testing.T) {
		srv := newServer(t, status(201, `{}`))
		c, _ := newClient(t, srv.URL)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Do(ctx, create, nil)
		require.ErrorIs(t, err, context.Canceled)
		assert.True(t, notSent(t, err))
		assert.Zero(t, srv.hits.Load())
	})
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		l.Close()
		c, _ := newClient(t, "http://"+addr, payments.WithRetries(0))
		_, err = c.Do(context.Background(), create, nil)
		require.ErrorIs(t, err, payments.ErrUnavailable)
		assert.True(t, notSent(t, err))
	})
	t.Run("reset after sending", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		c, _ := newClient(t, srv.URL)
		_, err := c.Do(context.Background(), create, nil)
		require.ErrorIs(t, err, payments.ErrUnavailable)
		assert.False(t, notSent(t, err), "the provider may have acted")
		assert.Equal(t, int32(1), srv.hits.Load(), "never resent")
	})
	t.Run("cancelled while the provider works", func(t *testing.T) {
		release := make(chan struct{})
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-release })
		defer close(release)
		c, _ := newClient(t, srv.URL)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Do(ctx, create, nil)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.False(t, notSent(t, err))
	})
	t.Run("provider answered 500", func(t *testing.T) {
		srv := newServer(t, status(500, `{}`))
		c, _ := newClient(t, srv.URL)
		_, err := c.Do(context.Background(), create, nil)
		assert.False(t, notSent(t, err))
	})
}

func TestANonObjectAnswerIsMalformed(t *testing.T) {
	for _, body := range []string{"null", "", "  ", `"ok"`, `[]`, `42`, `true`} {
		srv := newServer(t, status(200, body))
		c, _ := newClient(t, srv.URL)
		var out struct{ ID string }
		_, err := c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, &out)
		require.ErrorIs(t, err, payments.ErrMalformedResponse, "body %q", body)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, body, string(perr.Raw), "Raw keeps the body")
		assert.Equal(t, 200, perr.HTTPStatus)
	}
	srv := newServer(t, status(200, `[{"ID":"a"}]`))
	c, _ := newClient(t, srv.URL)
	var list []struct{ ID string }
	_, err := c.Do(context.Background(), &Request{Op: "list", Path: "/x"}, &list)
	require.NoError(t, err, "an array is what a slice expects")
	srv = newServer(t, status(200, `{"ID":"a"}`))
	c, _ = newClient(t, srv.URL)
	_, err = c.Do(context.Background(), &Request{Op: "list", Path: "/x"}, &list)
	require.ErrorIs(t, err, payments.ErrMalformedResponse)
}

// tokenAuth fetches its "token" through the client's own HTTPClient, as
// HelloAsso's OAuth token source does, from a failing endpoint.
type tokenAuth struct {
	c    *Client
	host string
}

func (a *tokenAuth) Apply(ctx context.Context, h http.Header) error {
	req, _ := http.NewRequestWithContext(WithOp(ctx, "get token"), http.MethodPost, a.host+"/token", nil)
	resp, err := a.c.HTTPClient(false).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	h.Set("Authorization", "Bearer t")
	return nil
}

func TestOneRetryBudgetPerCallTokenRequestsIncluded(t *testing.T) {
	for _, retries := range []int{0, 1, 2} {
		srv := newServer(t, status(429, `{}`)) // retryable for any request
		auth := &tokenAuth{host: srv.URL}
		c, err := New(Config{Provider: payments.HelloAsso, BaseURL: srv.URL, Auth: auth,
			Settings: NewSettings(payments.WithRetries(retries))})
		require.NoError(t, err)
		c.sleep = func(ctx context.Context, d time.Duration) error { return nil }
		auth.c = c
		_, err = c.Do(context.Background(), &Request{Op: "verify", Path: "/x"}, nil)
		require.ErrorIs(t, err, payments.ErrRateLimited)
		assert.True(t, notSent(t, err), "the call itself never left without credentials")
		assert.Equal(t, int32(retries+1), srv.hits.Load(), "WithRetries(%d): token requests included", retries)
	}
}

func TestARetryThatWouldOutlastTheDeadlineIsNotWaitedFor(t *testing.T) {
	srv := newServer(t, status(429, `{}`, "Retry-After", "30"), status(200, `{}`))
	c, sl := newClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Op: "x", Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrRateLimited)
	assert.Empty(t, sl.d, "no wait that the caller would not see the end of")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, 30*time.Second, perr.RetryAfter)
}

type brokenLimiter struct{}

func (brokenLimiter) Wait(context.Context, payments.Limit) error {
	return errors.New("redis: connection refused")
}

func TestAFailingLimiterSendsNothing(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	c, _ := newClient(t, srv.URL, payments.WithRateLimiter(brokenLimiter{}), payments.WithRateLimit(10, time.Second), payments.WithRetries(0))
	_, err := c.Do(context.Background(), &Request{Op: "x", Method: http.MethodPost, Path: "/x"}, nil)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.True(t, notSent(t, err))
	assert.Contains(t, err.Error(), "rate limiter failed")
	assert.Zero(t, srv.hits.Load())
}

func TestProviderLimitsCanBeReplacedByName(t *testing.T) {
	cfg := Config{Provider: payments.Moneroo, Account: "acct", Limits: []payments.Limit{
		{Name: "requests", Count: 120, Per: time.Minute}, {Name: "second", Count: 5, Per: time.Second}}}
	got := limits(cfg, NewSettings(payments.WithProviderLimit("requests", 600, time.Minute),
		payments.WithProviderLimit("second", 0, time.Second), payments.WithRateLimit(3, time.Second)))
	require.Len(t, got, 2)
	assert.Equal(t, payments.Limit{Name: "requests", Key: "moneroo:acct:requests", Count: 600, Per: time.Minute}, got[0])
	assert.Equal(t, payments.Limit{Name: "client", Key: "moneroo:acct:client", Count: 3, Per: time.Second}, got[1])
}

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu       sync.Mutex
	ops      []payments.Operation
	opEnds   []payments.OperationEnd
	attempts []payments.Attempt
	ends     []payments.AttemptEnd
}

type ctxMark struct{}

func (r *recorder) StartOperation(ctx context.Context, op payments.Operation) (context.Context, func(payments.OperationEnd)) {
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
	return context.WithValue(ctx, ctxMark{}, op.Name), func(e payments.OperationEnd) {
		r.mu.Lock()
		r.opEnds = append(r.opEnds, e)
		r.mu.Unlock()
	}
}

func (r *recorder) StartAttempt(ctx context.Context, a payments.Attempt) (context.Context, func(payments.AttemptEnd)) {
	r.mu.Lock()
	r.attempts = append(r.attempts, a)
	r.mu.Unlock()
	if ctx.Value(ctxMark{}) != a.Name {
		panic("the attempt does not run in the operation's context")
	}
	return ctx, func(e payments.AttemptEnd) {
		r.mu.Lock()
		r.ends = append(r.ends, e)
		r.mu.Unlock()
	}
}

func (r *recorder) WebhookDelivery(context.Context, payments.WebhookDelivery) {}

func TestObserverSeesOperationsAndAttempts(t *testing.T) {
	srv := newServer(t, status(503, `{}`), status(200, `{"id":"py_1"}`))
	rec := &recorder{}
	c, _ := newClient(t, srv.URL, payments.WithObserver(rec))
	_, err := c.Do(context.Background(), &Request{Op: "verify payment", Path: "/v1/payments/py_1/verify",
		Route: "/v1/payments/{paymentId}/verify"}, &struct{}{})
	require.NoError(t, err)

	require.Len(t, rec.ops, 1)
	assert.Equal(t, payments.Operation{Provider: payments.Moneroo, Name: "verify payment", Method: "GET",
		Route: "/v1/payments/{paymentId}/verify", Host: srv.Listener.Addr().String()}, rec.ops[0])
	require.Len(t, rec.attempts, 2)
	assert.Equal(t, []int{0, 1}, []int{rec.attempts[0].Number, rec.attempts[1].Number})
	assert.Equal(t, time.Millisecond, rec.attempts[1].RetryWait)
	require.Len(t, rec.ends, 2)
	assert.Equal(t, 503, rec.ends[0].StatusCode)
	assert.Equal(t, payments.ErrUnavailable, rec.ends[0].Kind)
	assert.True(t, rec.ends[0].Retry)
	assert.Equal(t, 200, rec.ends[1].StatusCode)
	assert.Empty(t, rec.ends[1].Kind)
	require.Len(t, rec.opEnds, 1)
	assert.Equal(t, 2, rec.opEnds[0].Attempts)
	assert.Equal(t, 200, rec.opEnds[0].StatusCode)
	assert.Equal(t, time.Millisecond, rec.opEnds[0].RetryWait)
	for _, op := range rec.ops {
		assert.NotContains(t, op.Route, "py_1", "no id in the route")
	}
}

func TestObserverCountsAnUnreadableAnswerAsAFailedOperation(t *testing.T) {
	srv := newServer(t, status(200, `{"id":"py_1"`))
	rec := &recorder{}
	c, _ := newClient(t, srv.URL, payments.WithObserver(rec))
	_, err := c.Do(context.Background(), &Request{Op: "verify payment", Path: "/v1/payments/py_1/verify"}, &struct{}{})
	require.ErrorIs(t, err, payments.ErrMalformedResponse)

	require.Len(t, rec.ends, 1)
	assert.Equal(t, 200, rec.ends[0].StatusCode)
	assert.Empty(t, rec.ends[0].Kind, "the HTTP attempt itself succeeded")
	require.Len(t, rec.opEnds, 1)
	assert.Equal(t, payments.ErrMalformedResponse, rec.opEnds[0].Kind, "the operation did not")
	assert.Equal(t, 200, rec.opEnds[0].StatusCode)
}

func TestObserverCountsAnAnswerItsCheckRefusesAsAFailedOperation(t *testing.T) {
	srv := newServer(t, status(200, `{"id":"py_2"}`))
	rec := &recorder{}
	c, _ := newClient(t, srv.URL, payments.WithObserver(rec))
	var out struct{ ID string }
	_, err := c.Do(context.Background(), &Request{Op: "verify payment", Path: "/v1/payments/py_1/verify",
		Check: func(resp *Response) error {
			if out.ID != "py_1" { // decoded before the check runs
				return c.Integrity("verify payment", resp, "asked for py_1, answered about "+out.ID)
			}
			return nil
		}}, &out)
	require.ErrorIs(t, err, payments.ErrIntegrity)
	assert.Contains(t, err.Error(), "answered about py_2")

	require.Len(t, rec.ends, 1)
	assert.Empty(t, rec.ends[0].Kind, "the HTTP attempt itself succeeded")
	require.Len(t, rec.opEnds, 1)
	assert.Equal(t, payments.ErrIntegrity, rec.opEnds[0].Kind, "the operation did not")
}

// careless is an observer that returns contexts without the call's values,
// or none at all, and no end functions.
type careless struct{ nilContext bool }

func (o careless) StartOperation(context.Context, payments.Operation) (context.Context, func(payments.OperationEnd)) {
	if o.nilContext {
		return nil, nil
	}
	return context.Background(), nil
}

func (o careless) StartAttempt(context.Context, payments.Attempt) (context.Context, func(payments.AttemptEnd)) {
	if o.nilContext {
		return nil, nil
	}
	return context.Background(), nil
}

func (careless) WebhookDelivery(context.Context, payments.WebhookDelivery) {}

func TestACarelessObserverBreaksNoCall(t *testing.T) {
	for _, obs := range []careless{{nilContext: true}, {nilContext: false}} {
		srv := newServer(t, status(503, `{}`), status(503, `{}`), status(200, `{"id":"py_1"}`))
		c, _ := newClient(t, srv.URL, payments.WithObserver(obs), payments.WithRetries(1))
		_, err := c.Do(context.Background(), &Request{Op: "verify payment", Path: "/v1/payments/py_1/verify"}, &struct{}{})
		require.ErrorIs(t, err, payments.ErrUnavailable, "nil context %v", obs.nilContext)
		assert.Equal(t, int32(2), srv.hits.Load(), "the retry budget holds: one retry")
	}
}
