package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unipay/payments"
)

// budgetKey keys the retry budget of a call in its context, so that the
// requests a call makes for its credentials (an OAuth token) spend the same
// budget as the call itself instead of multiplying it.
type budgetKey struct{}

type budget struct{ left atomic.Int64 }

// take spends one retry, if any is left.
func (b *budget) take() bool { return b.left.Add(-1) >= 0 }

// send runs p until it succeeds, fails for good, or runs out of retries,
// then decodes a 2xx answer's JSON body into out unless out is nil, and
// runs p's check. Both are part of the observed operation, so that an
// observer counts a 200 whose body is unusable, or says the call failed, as
// the failure it is.
func (c *Client) send(ctx context.Context, p *prepared, out any) (*Response, error) {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	if b == nil {
		b = &p.budget // made with p, which serves this call only
		b.left.Store(int64(c.cfg.Settings.Retries))
		switch c.cfg.Auth.(type) {
		case nil, HeaderAuth, BearerAuth: // fixed credentials make no request
		default:
			// Credentials that may need requests of their own (an OAuth
			// token) find the call's budget in its context.
			ctx = context.WithValue(ctx, budgetKey{}, b)
		}
	}
	obs := c.cfg.Settings.Observer
	if obs == nil {
		resp, err, _ := c.run(ctx, p, b, nil)
		return c.decode(p, resp, err, out)
	}
	start := time.Now()
	op := payments.Operation{Provider: c.cfg.Provider, Name: p.op, Method: p.method, Route: p.route, Host: c.base.Host}
	octx, end := obs.StartOperation(ctx, op)
	if octx == nil {
		octx = ctx
	}
	resp, err, st := c.run(octx, p, b, &op)
	resp, err = c.decode(p, resp, err, out)
	oe := payments.OperationEnd{Attempts: st.attempts, Duration: time.Since(start), RateLimitWait: st.limitWait, RetryWait: st.retryWait}
	if resp != nil {
		oe.StatusCode = resp.StatusCode
	}
	oe.Kind = kindOf(err)
	if end != nil {
		end(oe)
	}
	return resp, err
}

// decode reads a successful answer into out, if out is not nil, then
// through p's check, if any.
func (c *Client) decode(p *prepared, resp *Response, err error, out any) (*Response, error) {
	if err == nil && out != nil {
		err = c.Decode(p.op, resp, out)
	}
	if err == nil && p.check != nil {
		err = p.check(resp)
	}
	return resp, err
}

// runStats is what an operation's observer is told at its end.
type runStats struct {
	attempts             int
	limitWait, retryWait time.Duration
}

// run is send's loop: attempts, 401 renewal, retries within the call's
// budget b. op is nil when nobody observes.
func (c *Client) run(ctx context.Context, p *prepared, b *budget, op *payments.Operation) (*Response, error, runStats) {
	var st runStats
	renewed := false
	var wait time.Duration // before the next attempt
	for number := 0; ; number++ {
		resp, err := c.observedAttempt(ctx, p, op, number, wait, &st)
		if err == nil {
			return resp, nil, st
		}
		perr := err.(*payments.Error) // attempt returns nothing else
		// A 401 may mean the token expired under us: renew once, then retry.
		// The provider did not act on an unauthenticated request.
		if perr.HTTPStatus == http.StatusUnauthorized && p.auth && !renewed {
			if r, ok := c.cfg.Auth.(Renewer); ok {
				renewed = true
				rerr := r.Renew(ctx)
				if errors.Is(rerr, ErrCannotRenew) {
					return resp, err, st
				}
				if rerr != nil {
					return resp, c.authError(p.op, rerr), st
				}
				c.logger.InfoContext(ctx, "credentials renewed after 401; retrying", "provider", c.cfg.Provider, "op", p.op)
				wait = 0
				continue
			}
		}
		if !perr.Retryable || p.noRetry {
			return resp, err, st
		}
		wait = perr.RetryAfter
		if wait <= 0 {
			wait = c.backoff(number)
		}
		if wait > c.cfg.MaxRetryWait {
			return resp, err, st
		}
		if dl, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(dl) {
			// The caller would give up before the retry: say so now.
			return resp, err, st
		}
		if !b.take() {
			return resp, err, st
		}
		c.logger.InfoContext(ctx, "retrying", "provider", c.cfg.Provider, "op", p.op, "attempt", number+1, "wait", wait, "error", err.Error())
		if serr := c.sleep(ctx, wait); serr != nil {
			if perr.Err == nil {
				perr.Err = serr
			}
			perr.Retryable = false
			return resp, perr, st
		}
		st.retryWait += wait
	}
}

// observedAttempt runs one attempt, telling the observer if there is one.
func (c *Client) observedAttempt(ctx context.Context, p *prepared, op *payments.Operation, number int, retryWait time.Duration, st *runStats) (*Response, error) {
	st.attempts++
	if op == nil {
		resp, err, limitWait := c.attempt(ctx, p)
		st.limitWait += limitWait
		return resp, err
	}
	start := time.Now()
	actx, end := c.cfg.Settings.Observer.StartAttempt(ctx, payments.Attempt{Operation: *op, Number: number, RetryWait: retryWait})
	if actx == nil {
		actx = ctx
	}
	resp, err, limitWait := c.attempt(actx, p)
	st.limitWait += limitWait
	ae := payments.AttemptEnd{Duration: time.Since(start), RateLimitWait: limitWait, Kind: kindOf(err)}
	if resp != nil {
		ae.StatusCode = resp.StatusCode
	}
	if err != nil {
		perr := asError(err)
		ae.Retry = perr != nil && perr.Retryable && !p.noRetry
	}
	if end != nil {
		end(ae)
	}
	return resp, err
}

// kindOf classifies err for an observer: "" for none, the Kind of a
// *payments.Error, ErrUnavailable for anything else.
func kindOf(err error) payments.Kind {
	if err == nil {
		return ""
	}
	if perr := asError(err); perr != nil {
		return perr.Kind
	}
	return payments.ErrUnavailable
}

// asError returns the *payments.Error in err's chain, or nil. It tries a
// type assertion first, which answers for every error the client makes:
// errors.As takes its target's address, and the target then escapes to the
// heap, one allocation on every observed call and attempt, successful or
// not.
func asError(err error) *payments.Error {
	if perr, ok := err.(*payments.Error); ok {
		return perr
	}
	var perr *payments.Error
	if errors.As(err, &perr) {
		return perr
	}
	return nil
}

// attempt sends p once. Every error it returns is a *payments.Error whose
// Retryable field says whether p may be sent again, and whose NotSent field
// says whether it surely never reached the provider. It also returns how
// long it waited for the rate limiter.
func (c *Client) attempt(ctx context.Context, p *prepared) (*Response, error, time.Duration) {
	var limitWait time.Duration
	if len(c.limits) > 0 {
		start := time.Now()
		for _, l := range c.limits {
			if err := c.limiter.Wait(ctx, l); err != nil {
				return nil, c.limitError(ctx, p, l, err), time.Since(start)
			}
		}
		limitWait = time.Since(start)
	}
	resp, err := c.exchange(ctx, p)
	return resp, err, limitWait
}

// limitError explains why the rate limiter let no request go. Nothing was
// sent.
func (c *Client) limitError(ctx context.Context, p *prepared, l payments.Limit, err error) *payments.Error {
	e := &payments.Error{Provider: c.cfg.Provider, Op: p.op, NotSent: true, Err: err}
	switch {
	case ctx.Err() != nil:
		// The caller gave up while waiting its turn.
		e.Kind, e.Message, e.Err = payments.ErrUnavailable, "gave up waiting for the rate limit: "+ctx.Err().Error(), ctx.Err()
	case errors.Is(err, payments.ErrLimitWait):
		e.Kind, e.Message = payments.ErrRateLimited, "client-side rate limit "+l.Name+": the request's turn comes after the context's deadline"
	default:
		// A shared limiter whose store is down: no turn can be had.
		e.Kind, e.Message = payments.ErrUnavailable, "the rate limiter failed: "+c.redactor.String(err.Error())
		e.Retryable = true
	}
	return e
}

// exchange sends p once and reads the answer.
func (c *Client) exchange(ctx context.Context, p *prepared) (*Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Settings.Timeout)
	defer cancel()
	// Whether a create or a refund that failed ever left is worth knowing;
	// a read is retried anyway, so it goes without the tracing's cost.
	var rctx context.Context = actx
	var trace *connTrace
	if c.trace && !p.idempotent {
		trace = newConnTrace()
		rctx = httptrace.WithClientTrace(actx, &trace.ClientTrace)
	}
	hreq, err := http.NewRequestWithContext(rctx, p.method, p.url, nil)
	if err != nil {
		return nil, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrInvalidRequest, NotSent: true,
			Message: "cannot build the request", Err: err}
	}
	if p.body != nil {
		body := p.body
		hreq.Body = io.NopCloser(bodyReader(body))
		hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bodyReader(body)), nil }
		hreq.ContentLength = int64(len(body))
	}
	c.setHeader(p, hreq.Header)
	switch {
	case !p.auth || c.cfg.Auth == nil:
	case c.fixedAuth != nil:
		for k, v := range c.fixedAuth {
			hreq.Header[k] = v
		}
	default:
		if err := c.cfg.Auth.Apply(actx, hreq.Header); err != nil {
			return nil, c.authError(p.op, err)
		}
		if !c.selfRedacting {
			c.redactor.learnAuth(hreq.Header)
		}
	}
	if err := ctx.Err(); err != nil {
		// The caller gave up before the request left.
		return nil, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrUnavailable, NotSent: true,
			Message: "gave up before sending: " + err.Error(), Err: err}
	}

	debug := c.logger.Enabled(ctx, debugLevel)
	if debug {
		c.logRequest(ctx, p, hreq)
	}
	start := time.Now()
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, p, err, trace != nil && !trace.connected.Load())
	}
	body, readErr := readCapped(hresp.Body, hresp.ContentLength, c.cfg.Settings.MaxResponseBytes)
	hresp.Body.Close()
	resp := &Response{StatusCode: hresp.StatusCode, Header: hresp.Header, Body: body}
	resp.Raw = c.redactor.Bytes(body)
	if debug {
		c.logResponse(ctx, p, resp, time.Since(start))
	}
	if readErr != nil {
		if errors.Is(readErr, errTooLarge) {
			return resp, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrMalformedResponse,
				Message:    "response body exceeds " + strconv.FormatInt(c.cfg.Settings.MaxResponseBytes, 10) + " bytes",
				HTTPStatus: resp.StatusCode, RequestID: c.requestID(resp.Header), Raw: resp.Raw, Err: readErr}
		}
		e := c.transportError(ctx, p, readErr, false)
		e.HTTPStatus, e.RequestID, e.Raw = resp.StatusCode, c.requestID(resp.Header), resp.Raw
		return resp, e
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	return resp, c.statusError(p, resp)
}

// statusError turns a non-2xx answer into a *payments.Error.
func (c *Client) statusError(p *prepared, resp *Response) *payments.Error {
	e := &payments.Error{
		Provider: c.cfg.Provider, Op: p.op, Kind: KindForStatus(resp.StatusCode),
		HTTPStatus: resp.StatusCode, RequestID: c.requestID(resp.Header),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Raw:        resp.Body,
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Message = "unexpected redirect"
		if loc := resp.Header.Get("Location"); loc != "" {
			e.Message += " to " + loc
		}
	}
	if c.cfg.DecodeError != nil {
		decodeSafely(c.cfg.DecodeError, resp, e)
	}
	if e.Message == "" && len(e.Fields) == 0 {
		e.Message = http.StatusText(resp.StatusCode)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// The provider did not handle a rate-limited request: safe to resend.
		e.Retryable = true
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		// The provider may have acted before failing: only an idempotent
		// request can be sent again without risk of a double charge.
		e.Retryable = p.idempotent
	}
	e.Message = c.redactor.String(e.Message)
	e.Code = c.redactor.String(e.Code)
	for i := range e.Fields {
		e.Fields[i].Message = c.redactor.String(e.Fields[i].Message)
	}
	e.Raw = c.raw(resp)
	return e
}

// decodeSafely runs an adapter's DecodeError, which must not panic; if it
// does all the same, the error keeps what httpx knew.
func decodeSafely(decode func(*Response, *payments.Error), resp *Response, e *payments.Error) {
	saved := *e
	defer func() {
		if recover() != nil {
			*e = saved
		}
	}()
	decode(resp, e)
}

// transportError classifies a failure to get an answer. noConn is true
// when net/http's own transport reported no connection for the request.
func (c *Client) transportError(ctx context.Context, p *prepared, err error, noConn bool) *payments.Error {
	e := &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrUnavailable, Err: err}
	e.NotSent = noConn || neverSent(err)
	if cerr := ctx.Err(); cerr != nil {
		// The caller gave up: no retry, and errors.Is(err, context.Canceled).
		e.Err = cerr
		e.Message = "gave up: " + cerr.Error()
		if e.NotSent {
			e.Message = "gave up before the request left: " + cerr.Error()
		}
		return e
	}
	e.Message = c.redactor.String(err.Error())
	// Without an idempotent request, retry only when it surely never reached
	// the provider: the connection was never made.
	e.Retryable = p.idempotent || e.NotSent
	return e
}

func (c *Client) authError(op string, err error) *payments.Error {
	var perr *payments.Error
	if errors.As(err, &perr) {
		if perr.Provider == "" {
			perr.Provider = c.cfg.Provider
		}
		if perr.Op == "" {
			perr.Op = op
		}
		// The call itself was not sent: its credentials could not be had.
		perr.NotSent = true
		return perr
	}
	return &payments.Error{Provider: c.cfg.Provider, Op: op, Kind: payments.ErrAuthentication, NotSent: true,
		Message: "cannot get credentials: " + c.redactor.String(err.Error()), Err: err}
}

// neverSent reports whether err proves the request never left: the dial or
// the name lookup failed, so no connection to the provider existed.
func neverSent(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// KindForStatus classifies an HTTP status. Adapters refine it from the body.
func KindForStatus(status int) payments.Kind {
	switch {
	case status == http.StatusUnauthorized:
		return payments.ErrAuthentication
	case status == http.StatusPaymentRequired:
		return payments.ErrDeclined
	case status == http.StatusForbidden:
		return payments.ErrPermission
	case status == http.StatusNotFound, status == http.StatusGone:
		return payments.ErrNotFound
	case status == http.StatusConflict:
		return payments.ErrConflict
	case status == http.StatusTooManyRequests:
		return payments.ErrRateLimited
	case status == http.StatusRequestTimeout, status >= 500:
		return payments.ErrUnavailable
	case status >= 400:
		return payments.ErrInvalidRequest
	}
	return payments.ErrMalformedResponse
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// connTrace tells whether net/http got a connection for a request: its
// trace and the flag it sets, in one allocation.
type connTrace struct {
	httptrace.ClientTrace
	connected atomic.Bool
}

func newConnTrace() *connTrace {
	t := &connTrace{}
	t.GotConn = func(httptrace.GotConnInfo) { t.connected.Store(true) }
	return t
}

var errTooLarge = errors.New("response body too large")

// readCapped reads r to the end, or to max bytes and errTooLarge. size is
// the announced length (-1 if unknown, and 0 from transports that do not
// say): a buffer of that size is read into at once, rather than grown. A
// body of unknown length (chunked: most
// answers over a few KB) is read into a pooled buffer, then copied out at
// its size, instead of into buffers that double from 512 bytes, each left
// for the collector (63 KB allocated for a 20 KB answer).
func readCapped(r io.Reader, size, max int64) ([]byte, error) {
	if size > 0 && size <= max {
		return readInto(r, make([]byte, 0, size+1), max) // +1: room to see the end without growing
	}
	bp := readBuffers.Get().(*[]byte)
	b, err := readInto(r, (*bp)[:0], max)
	out := make([]byte, len(b))
	copy(out, b)
	if cap(b) <= maxPooledBuffer {
		*bp = b[:0]
		readBuffers.Put(bp)
	}
	return out, err
}

// readBuffers holds the buffers bodies of unknown length are read into.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledBuffer is the largest buffer kept for another body: a rare huge
// answer's is left to the collector.
const maxPooledBuffer = 1 << 20

// readInto reads r to the end into b, growing it as needed, or to max bytes
// and errTooLarge.
func readInto(r io.Reader, b []byte, max int64) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			return b[:max], errTooLarge
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
