// Package httpx is the only code in the module that does network I/O. An
// adapter describes each provider call as a Request and how to read the
// provider's error bodies; httpx sends it with the client settings
// (payments.Option), retries only where that cannot charge or refund twice,
// caps response bodies, decodes JSON, logs with every secret redacted, and
// turns every failure into a *payments.Error.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/unipay/payments"
)

// Config is what an adapter tells httpx about its provider.
type Config struct {
	Provider payments.ProviderName
	// BaseURL is the provider API's origin for the chosen environment, such as
	// "https://api.moneroo.io". payments.WithBaseURL replaces it.
	BaseURL  string
	Settings payments.Settings
	// Auth puts credentials on each request; nil sends none.
	Auth Auth
	// Header is sent on every request (Accept, a fixed Environment header…).
	Header http.Header
	// DecodeError reads an error response's body into e: the provider's
	// Code, Message, Fields, and a better Kind or RetryAfter where the body
	// says. httpx has already set Provider, Op, HTTPStatus, RequestID, Raw, a
	// Kind from the HTTP status, and RetryAfter from the Retry-After header.
	// It must not panic on any body.
	DecodeError func(resp *Response, e *payments.Error)
	// RequestIDHeader names the response header carrying the provider's
	// request id, if it sends one.
	RequestIDHeader string
	// Secrets are values that must never appear in a log line or an error:
	// API keys, webhook secrets. Credentials that Auth sets are added too.
	Secrets []string
	// SecretHeaders and SecretKeys name more headers and JSON or form keys
	// whose values are redacted in logs.
	SecretHeaders []string
	SecretKeys    []string
	// Limiters keep the client under the provider's documented rate limits.
	Limiters []*rate.Limiter
	// MaxRetryWait is the longest httpx waits before a retry, Retry-After
	// included; a longer wait returns the error instead. Default 60 s.
	MaxRetryWait time.Duration
}

// Client sends an adapter's requests. It is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL
	hc        *http.Client
	logger    *slog.Logger
	redactor  *Redactor
	limiters  []*rate.Limiter
	userAgent string
	// sleep waits between attempts; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
	// backoff returns the wait before retry number attempt (0-based).
	backoff func(attempt int) time.Duration
}

// New checks cfg and returns a Client. It does no I/O.
func New(cfg Config) (*Client, error) {
	s := cfg.Settings
	base := cfg.BaseURL
	if s.BaseURL != "" {
		base = s.BaseURL
	}
	u, msg := checkBaseURL(base)
	if msg != "" {
		return nil, payments.InvalidRequest(cfg.Provider, "new client", payments.FieldError{Field: "BaseURL", Message: msg})
	}
	if s.Timeout <= 0 {
		s.Timeout = payments.DefaultTimeout
	}
	if s.MaxResponseBytes <= 0 {
		s.MaxResponseBytes = payments.DefaultMaxResponseBytes
	}
	if s.Retries < 0 {
		s.Retries = 0
	}
	cfg.Settings = s
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = 60 * time.Second
	}

	// Copy the merchant's client rather than modify it: httpx never follows
	// redirects (a redirected POST would silently become a GET).
	hc := &http.Client{}
	if s.HTTPClient != nil {
		*hc = *s.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Timeout = 0 // httpx bounds each attempt itself, body read included

	logger := s.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	limiters := append([]*rate.Limiter(nil), cfg.Limiters...)
	if s.RateLimit > 0 && s.RatePeriod > 0 {
		limiters = append(limiters, rate.NewLimiter(rate.Every(s.RatePeriod/time.Duration(s.RateLimit)), s.RateLimit))
	}
	ua := "unipay-payments/" + payments.Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")
	if s.UserAgent != "" {
		ua = s.UserAgent + " " + ua
	}
	r := NewRedactor()
	r.AddHeaders(cfg.SecretHeaders...)
	r.AddKeys(cfg.SecretKeys...)
	r.Add(cfg.Secrets...)
	return &Client{
		cfg: cfg, base: u, hc: hc, logger: logger, redactor: r, limiters: limiters, userAgent: ua,
		sleep: Sleep, backoff: jitteredBackoff,
	}, nil
}

// Redactor returns the client's redactor, so that an adapter can register a
// secret it learns at run time (Hub2's client JWT, an OAuth token).
func (c *Client) Redactor() *Redactor { return c.redactor }

// Logger returns the logger the client writes to.
func (c *Client) Logger() *slog.Logger { return c.logger }

// BaseURL returns the origin requests go to.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Request describes one call to the provider.
type Request struct {
	Op     string // the operation, for errors and logs: "initialize payment"
	Method string
	Path   string // appended to the base URL; escape ids with url.PathEscape
	Query  url.Values
	Header http.Header
	JSON   any        // sent as a JSON body, if non-nil
	Form   url.Values // sent as a form body, if non-nil
	// Idempotent marks a request that has the same effect sent twice as once,
	// so it may be retried after a 5xx or a timeout. GET and HEAD always are.
	// A create or a refund must leave it false: it is then retried only when
	// it surely never reached the provider (connection refused, 429).
	Idempotent bool
	// NoRetry sends the request once, whatever happens: for a call that must
	// never be repeated even after a 429 (a mobile-money attempt, an OTP),
	// or whose caller paces its own retries (a polling loop).
	NoRetry bool
	// NoAuth sends the request without the client's credentials.
	NoAuth bool
}

// Response is a provider's answer, body read in full (up to the cap).
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Do sends req and, on a 2xx answer, decodes its JSON body into out (unless
// out is nil). Any other answer, and any failure, is a *payments.Error.
func (c *Client) Do(ctx context.Context, req *Request, out any) (*Response, error) {
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, p)
	if err != nil {
		return resp, err
	}
	if out != nil {
		if err := c.Decode(req.Op, resp, out); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// Decode reads resp's JSON body into out, or returns an ErrMalformedResponse
// error that keeps the body.
func (c *Client) Decode(op string, resp *Response, out any) error {
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return &payments.Error{
			Provider: c.cfg.Provider, Op: op, Kind: payments.ErrMalformedResponse,
			Message:    "cannot decode the response: " + err.Error(),
			HTTPStatus: resp.StatusCode, RequestID: c.requestID(resp.Header),
			Raw: c.redactor.Bytes(resp.Body), Err: err,
		}
	}
	return nil
}

// prepared is a request ready to send any number of times.
type prepared struct {
	op         string
	method     string
	url        string
	header     http.Header
	body       []byte
	idempotent bool
	noRetry    bool
	auth       bool
}

func (c *Client) prepare(req *Request) (*prepared, error) {
	u := c.URL(req.Path, req.Query)
	h := make(http.Header, len(req.Header)+len(c.cfg.Header)+3)
	for k, v := range c.cfg.Header {
		h[k] = v
	}
	for k, v := range req.Header {
		h[k] = v
	}
	var body []byte
	switch {
	case req.JSON != nil:
		b, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, &payments.Error{Provider: c.cfg.Provider, Op: req.Op, Kind: payments.ErrInvalidRequest, Message: "cannot encode the request: " + err.Error(), Err: err}
		}
		body = b
		h.Set("Content-Type", "application/json")
	case req.Form != nil:
		body = []byte(req.Form.Encode())
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	return &prepared{
		op: req.Op, method: method, url: u, header: h, body: body,
		idempotent: req.Idempotent || method == http.MethodGet || method == http.MethodHead,
		noRetry:    req.NoRetry,
		auth:       !req.NoAuth,
	}, nil
}

// URL joins path and query onto the base URL.
func (c *Client) URL(path string, q url.Values) string {
	var b strings.Builder
	b.WriteString(c.base.Scheme)
	b.WriteString("://")
	b.WriteString(c.base.Host)
	b.WriteString(strings.TrimSuffix(c.base.EscapedPath(), "/"))
	if path != "" && path[0] != '/' {
		b.WriteByte('/')
	}
	b.WriteString(path)
	if len(q) > 0 {
		b.WriteByte('?')
		b.WriteString(q.Encode())
	}
	return b.String()
}

func (c *Client) requestID(h http.Header) string {
	if c.cfg.RequestIDHeader == "" {
		return ""
	}
	return h.Get(c.cfg.RequestIDHeader)
}

// checkBaseURL parses u and refuses anything but https, or plain http on a
// loopback host (a simulator on 127.0.0.1).
func checkBaseURL(raw string) (*url.URL, string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, "must be an absolute URL such as https://api.example.com"
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, "must not have a query or fragment"
	}
	switch u.Scheme {
	case "https":
		return u, ""
	case "http":
		if isLoopback(u.Hostname()) {
			return u, ""
		}
		return nil, "must use https (plain http is allowed only on loopback, for simulators)"
	}
	return nil, "must use https"
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Sleep waits d, or until ctx ends, whichever comes first; it returns the
// context's error if the wait was cut short. Adapters that pace their own
// polling use it.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// jitteredBackoff waits 250 ms × 2^attempt, capped at 8 s, with the upper
// half jittered so that many clients do not retry in step.
func jitteredBackoff(attempt int) time.Duration {
	d := 250 * time.Millisecond << min(attempt, 5)
	d = min(d, 8*time.Second)
	return d/2 + rand.N(d/2+1)
}

// bodyReader returns a fresh reader over b, or nil for no body.
func bodyReader(b []byte) *bytes.Reader {
	if b == nil {
		return nil
	}
	return bytes.NewReader(b)
}
