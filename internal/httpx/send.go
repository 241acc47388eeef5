package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/unipay/payments"
)

// send runs p until it succeeds, fails for good, or runs out of retries.
func (c *Client) send(ctx context.Context, p *prepared) (*Response, error) {
	renewed := false
	for attempt := 0; ; attempt++ {
		resp, err := c.attempt(ctx, p)
		if err == nil {
			return resp, nil
		}
		var perr *payments.Error
		if !errors.As(err, &perr) {
			return resp, err // cannot happen: attempt returns *payments.Error
		}
		// A 401 may mean the token expired under us: renew once, then retry.
		// The provider did not act on an unauthenticated request.
		if perr.HTTPStatus == http.StatusUnauthorized && p.auth && !renewed {
			if r, ok := c.cfg.Auth.(Renewer); ok {
				renewed = true
				rerr := r.Renew(ctx)
				if errors.Is(rerr, ErrCannotRenew) {
					return resp, err
				}
				if rerr != nil {
					return resp, c.authError(p.op, rerr)
				}
				c.logger.InfoContext(ctx, "credentials renewed after 401; retrying", "provider", c.cfg.Provider, "op", p.op)
				attempt--
				continue
			}
		}
		if !perr.Retryable || p.noRetry || attempt >= c.cfg.Settings.Retries {
			return resp, err
		}
		wait := perr.RetryAfter
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if wait > c.cfg.MaxRetryWait {
			return resp, err
		}
		c.logger.InfoContext(ctx, "retrying", "provider", c.cfg.Provider, "op", p.op, "attempt", attempt+1, "wait", wait, "error", err.Error())
		if serr := c.sleep(ctx, wait); serr != nil {
			if perr.Err == nil {
				perr.Err = serr
			}
			perr.Retryable = false
			return resp, perr
		}
	}
}

// attempt sends p once. Every error it returns is a *payments.Error whose
// Retryable field says whether p may be sent again.
func (c *Client) attempt(ctx context.Context, p *prepared) (*Response, error) {
	for _, l := range c.limiters {
		if err := l.Wait(ctx); err != nil {
			if cerr := ctx.Err(); cerr != nil {
				// The caller gave up while waiting its turn: nothing was sent.
				return nil, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrUnavailable,
					Message: "gave up: " + cerr.Error(), Err: cerr}
			}
			// The wait would outlast the caller's deadline.
			return nil, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrRateLimited,
				Message: "client-side rate limit: " + err.Error(), Err: err}
		}
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Settings.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, p.method, p.url, nil)
	if err != nil {
		return nil, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrInvalidRequest, Message: "cannot build the request", Err: err}
	}
	if p.body != nil {
		body := p.body
		hreq.Body = io.NopCloser(bodyReader(body))
		hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bodyReader(body)), nil }
		hreq.ContentLength = int64(len(body))
	}
	for k, v := range p.header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	if p.auth && c.cfg.Auth != nil {
		if err := c.cfg.Auth.Apply(actx, hreq.Header); err != nil {
			return nil, c.authError(p.op, err)
		}
		c.redactor.learnAuth(hreq.Header)
	}

	debug := c.logger.Enabled(ctx, debugLevel)
	if debug {
		c.logRequest(ctx, p, hreq)
	}
	start := time.Now()
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, p, err)
	}
	body, readErr := readCapped(hresp.Body, c.cfg.Settings.MaxResponseBytes)
	hresp.Body.Close()
	resp := &Response{StatusCode: hresp.StatusCode, Header: hresp.Header, Body: body}
	if debug {
		c.logResponse(ctx, p, resp, time.Since(start))
	}
	if readErr != nil {
		if errors.Is(readErr, errTooLarge) {
			return resp, &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrMalformedResponse,
				Message:    "response body exceeds " + strconv.FormatInt(c.cfg.Settings.MaxResponseBytes, 10) + " bytes",
				HTTPStatus: resp.StatusCode, RequestID: c.requestID(resp.Header), Raw: c.redactor.Bytes(body), Err: readErr}
		}
		return resp, c.transportError(ctx, p, readErr)
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
		c.cfg.DecodeError(resp, e)
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
	e.Raw = c.redactor.Bytes(e.Raw)
	return e
}

// transportError classifies a failure to get an answer.
func (c *Client) transportError(ctx context.Context, p *prepared, err error) *payments.Error {
	e := &payments.Error{Provider: c.cfg.Provider, Op: p.op, Kind: payments.ErrUnavailable, Err: err}
	if cerr := ctx.Err(); cerr != nil {
		// The caller gave up: no retry, and errors.Is(err, context.Canceled).
		e.Err = cerr
		e.Message = "gave up: " + cerr.Error()
		return e
	}
	e.Message = c.redactor.String(err.Error())
	// Without an idempotent request, retry only when it surely never reached
	// the provider: the connection was never made.
	e.Retryable = p.idempotent || neverSent(err)
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
		return perr
	}
	return &payments.Error{Provider: c.cfg.Provider, Op: op, Kind: payments.ErrAuthentication,
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

var errTooLarge = errors.New("response body too large")

// readCapped reads r to the end, or to max bytes and errTooLarge.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], errTooLarge
	}
	return b, nil
}
