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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/unipay/payments"
)

// Config is what an adapter tells httpx about its provider.
type Config struct {
	Provider payments.ProviderName
	// BaseURL is the provider API's origin for the chosen environment, such as
	// "https://api.moneroo.io". payments.WithBaseURL replaces it.
	BaseURL  string
	Settings Settings
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
	// Limits are the provider's documented rate limits, each with a Name the
	// adapter documents (payments.WithProviderLimit replaces one by name).
	// httpx fills in their Key from Provider, Account and Name.
	Limits []payments.Limit
	// Account identifies the provider account for shared rate limits: a
	// digest of the credentials (Fingerprint), never the credentials.
	Account string
	// MaxRetryWait is the longest httpx waits before a retry, Retry-After
	// included; a longer wait returns the error instead. Default 60 s.
	MaxRetryWait time.Duration
}

// Client sends an adapter's requests. It is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL
	origin    string // base without its path's last slash: what URL joins paths to
	hc        *http.Client
	logger    *slog.Logger
	redactor  *Redactor
	limiter   payments.RateLimiter
	limits    []payments.Limit
	userAgent []string // the User-Agent header's value
	// trace is set when the transport is net/http's own, whose connection
	// events tell whether a failed request ever left.
	trace bool
	// sleep waits between attempts; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
	// backoff returns the wait before retry number attempt (0-based).
	backoff func(attempt int) time.Duration
	// fixedAuth is what a HeaderAuth or BearerAuth puts on every request,
	// made once; its values are secrets the redactor keeps for good.
	fixedAuth http.Header
	// selfRedacting is set when Auth learns its credentials itself.
	selfRedacting bool
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
		return nil, &payments.Error{Provider: cfg.Provider, Op: "new client", Kind: payments.ErrInvalidRequest, NotSent: true,
			Fields: []payments.FieldError{{Field: "BaseURL", Message: msg}}}
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
	limiter := s.RateLimiter
	if limiter == nil {
		limiter = payments.NewMemoryRateLimiter()
	}
	_, stdTransport := hc.Transport.(*http.Transport)
	ua := "unipay-payments/" + payments.Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")
	if s.UserAgent != "" {
		ua = s.UserAgent + " " + ua
	}
	r := NewRedactor()
	r.AddHeaders(cfg.SecretHeaders...)
	r.AddKeys(cfg.SecretKeys...)
	r.Add(cfg.Secrets...)
	var fixedAuth http.Header
	switch cfg.Auth.(type) {
	case HeaderAuth, BearerAuth:
		fixedAuth = http.Header{}
		_ = cfg.Auth.Apply(context.Background(), fixedAuth) // neither fails
		r.addAuth(fixedAuth)
	}
	c := &Client{
		cfg: cfg, base: u, origin: u.Scheme + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/"), hc: hc, logger: logger, redactor: r, userAgent: []string{ua},
		limiter: limiter, limits: limits(cfg, s),
		trace: hc.Transport == nil || stdTransport,
		sleep: Sleep, backoff: backoff(s.BackoffFirst, s.BackoffMax),
		fixedAuth: fixedAuth,
	}
	_, c.selfRedacting = cfg.Auth.(SelfRedacting)
	return c, nil
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
	// Route is Path as a template, ids replaced by names in braces
	// ("/v1/payments/{paymentId}"), for observers; Path when it holds no id.
	Route  string
	Query  url.Values
	Header http.Header
	JSON   any        // sent as a JSON body, if non-nil: json.Marshal's bytes, or a JSONAppender's
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
	// Check, if set, reads a successful answer once it is decoded into out:
	// what the provider says in a 2xx (a GraphQL error, an answer about
	// another payment) is then the call's error, and an observer counts the
	// operation as failed with its Kind.
	Check func(*Response) error
}

// Response is a provider's answer, body read in full (up to the cap).
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the body as received: decode it, never keep or log it.
	Body []byte
	// Raw is Body scrubbed of every secret the client knows: what may go in
	// a Raw field or an error.
	Raw []byte
}

// Do sends req and, on a 2xx answer, decodes its JSON body into out (unless
// out is nil). Any other answer, and any failure, is a *payments.Error.
func (c *Client) Do(ctx context.Context, req *Request, out any) (*Response, error) {
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, p, out)
}

// Decode reads resp's JSON body into out, or returns an ErrMalformedResponse
// error that keeps the body (scrubbed). A body that is not what out expects
// at its top (an object, or an array for a slice), such as null, an empty
// body or a bare string, is malformed too: json.Unmarshal would take null
// for an empty answer.
func (c *Client) Decode(op string, resp *Response, out any) error {
	if msg := topLevelMismatch(resp.Body, out); msg != "" {
		return c.Malformed(op, resp, msg, nil)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return c.Malformed(op, resp, "cannot decode the response: "+c.redactor.String(err.Error()), err)
	}
	return nil
}

// Malformed returns an ErrMalformedResponse error about resp (which may be
// nil): the provider answered something the adapter cannot use. It keeps the
// scrubbed body.
func (c *Client) Malformed(op string, resp *Response, msg string, cause error) *payments.Error {
	e := &payments.Error{Provider: c.cfg.Provider, Op: op, Kind: payments.ErrMalformedResponse, Message: msg, Err: cause}
	if resp != nil {
		e.HTTPStatus, e.RequestID, e.Raw = resp.StatusCode, c.requestID(resp.Header), c.raw(resp)
	}
	return e
}

// Integrity returns an ErrIntegrity error about resp: the provider answered
// about another payment than the one asked for, or with data that contradicts
// what the client sent. It keeps the scrubbed body.
func (c *Client) Integrity(op string, resp *Response, msg string) *payments.Error {
	e := &payments.Error{Provider: c.cfg.Provider, Op: op, Kind: payments.ErrIntegrity, Message: msg}
	if resp != nil {
		e.HTTPStatus, e.RequestID, e.Raw = resp.StatusCode, c.requestID(resp.Header), c.raw(resp)
	}
	return e
}

// raw returns resp's scrubbed body, scrubbing it if that was not done yet
// (a Response an adapter built itself).
func (c *Client) raw(resp *Response) []byte {
	if resp.Raw == nil && resp.Body != nil {
		resp.Raw = c.redactor.Bytes(resp.Body)
	}
	return resp.Raw
}

// Raw returns resp's body scrubbed of secrets, for a Raw field.
func (c *Client) Raw(resp *Response) []byte { return c.raw(resp) }

// topLevelMismatch says why body cannot be the JSON value out expects at its
// top, or "". A pointer to a slice expects an array, a pointer to anything
// else an object, unless out is a *json.RawMessage or an *any.
func topLevelMismatch(body []byte, out any) string {
	i := 0
	for i < len(body) && isSpace(body[i]) {
		i++
	}
	if i == len(body) {
		return "the response body is empty"
	}
	want := byte('{')
	switch out.(type) {
	case *json.RawMessage, *any:
		return ""
	case interface{ UnmarshalJSON([]byte) error }:
		if body[i] == '{' || body[i] == '[' {
			return "" // the type reads its own shapes
		}
	}
	if isSlicePointer(out) {
		want = '['
	}
	if body[i] == want {
		return ""
	}
	if bytes.HasPrefix(body[i:], []byte("null")) {
		return "the response is null"
	}
	if want == '[' {
		return "the response is not a JSON array"
	}
	return "the response is not a JSON object"
}

// prepared is a request ready to send any number of times.
type prepared struct {
	op     string
	method string
	url    string
	route  string
	// header is the request's own headers (Request.Header), sent over the
	// client's; contentType is the body's, sent over both. They are shared
	// with every attempt and never written.
	header      http.Header
	contentType []string
	// accept is set when neither header nor the client's sets Accept: httpx
	// then asks for JSON.
	accept     bool
	body       []byte
	idempotent bool
	noRetry    bool
	auth       bool
	check      func(*Response) error // Request.Check
	// budget is the call's retry budget, unless its context holds one
	// already (send): part of p rather than an allocation of its own.
	budget budget
}

// JSONAppender is a request body that writes its own JSON: the very bytes
// json.Marshal writes for it, without reflection (internal/jsonpass has the
// pieces). Adapters' create bodies implement it, each held to json.Marshal
// by a fuzz test. AppendJSON reports false when it cannot be sure of them
// (a field it does not write as encoding/json would): json.Marshal then
// writes the body.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, bool)
}

// Header values httpx sets, made once: a request's header shares them.
var (
	jsonValue = []string{"application/json"}
	formValue = []string{"application/x-www-form-urlencoded"}
)

func (c *Client) prepare(req *Request) (*prepared, error) {
	p := &prepared{op: req.Op, method: req.Method, url: c.URL(req.Path, req.Query), route: req.Route, header: req.Header,
		noRetry: req.NoRetry, auth: !req.NoAuth, check: req.Check}
	switch {
	case req.JSON != nil:
		var b []byte
		var err error
		if a, ok := req.JSON.(JSONAppender); ok {
			b, ok = a.AppendJSON(make([]byte, 0, 1024))
			if !ok {
				b, err = json.Marshal(req.JSON)
			}
		} else {
			b, err = json.Marshal(req.JSON)
		}
		if err != nil {
			return nil, &payments.Error{Provider: c.cfg.Provider, Op: req.Op, Kind: payments.ErrInvalidRequest, Message: "cannot encode the request: " + err.Error(), Err: err}
		}
		p.body, p.contentType = b, jsonValue
	case req.Form != nil:
		p.body, p.contentType = []byte(req.Form.Encode()), formValue
	}
	// As http.Header.Get would read the merged header: the request's value
	// of Accept if it has the key, else the client's.
	accept, ok := req.Header["Accept"]
	if !ok {
		accept = c.cfg.Header["Accept"]
	}
	p.accept = len(accept) == 0 || accept[0] == ""
	if p.method == "" {
		p.method = http.MethodGet
	}
	if p.route == "" {
		p.route = req.Path
	}
	p.idempotent = req.Idempotent || p.method == http.MethodGet || p.method == http.MethodHead
	return p, nil
}

// setHeader writes p's headers on h: the client's, the request's over
// them, then the body's type, Accept if none is set, and the User-Agent.
// Values are shared, not copied: nothing writes them.
func (c *Client) setHeader(p *prepared, h http.Header) {
	for k, v := range c.cfg.Header {
		h[k] = v
	}
	for k, v := range p.header {
		h[k] = v
	}
	if p.contentType != nil {
		h["Content-Type"] = p.contentType
	}
	if p.accept {
		h["Accept"] = jsonValue
	}
	h["User-Agent"] = c.userAgent
}

// URL joins path and query onto the base URL, in one allocation.
func (c *Client) URL(path string, q url.Values) string {
	sep := ""
	if path != "" && path[0] != '/' {
		sep = "/"
	}
	if len(q) == 0 {
		return c.origin + sep + path
	}
	return c.origin + sep + path + "?" + q.Encode()
}

func (c *Client) requestID(h http.Header) string {
	if c.cfg.RequestIDHeader == "" {
		return ""
	}
	id := h.Get(c.cfg.RequestIDHeader)
	if id == "" {
		return ""
	}
	return c.redactor.String(id) // a provider may echo anything in a header
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

// backoff returns a jittered exponential backoff: first × 2^attempt, capped
// at max, with the upper half jittered so that many clients do not retry in
// step. Zero first and max mean 250 ms and 8 s.
func backoff(first, max time.Duration) func(attempt int) time.Duration {
	if first <= 0 {
		first = 250 * time.Millisecond
	}
	if max <= 0 {
		max = 8 * time.Second
	}
	return func(attempt int) time.Duration {
		d := first << min(attempt, 16)
		if d <= 0 || d > max {
			d = max
		}
		return d/2 + rand.N(d/2+1)
	}
}

// jitteredBackoff is the default backoff.
var jitteredBackoff = backoff(0, 0)

// bodyReader returns a fresh reader over b, or nil for no body.
func bodyReader(b []byte) *bytes.Reader {
	if b == nil {
		return nil
	}
	return bytes.NewReader(b)
}

func isSlicePointer(v any) bool {
	t := reflect.TypeOf(v)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Slice
}

// limits returns the rate limits the client keeps: the adapter's, as
// payments.WithProviderLimit changed them, then the merchant's own
// (payments.WithRateLimit), each keyed by provider, account and name.
func limits(cfg Config, s Settings) []payments.Limit {
	var out []payments.Limit
	key := func(name string) string {
		k := string(cfg.Provider)
		if cfg.Account != "" {
			k += ":" + cfg.Account
		}
		return k + ":" + name
	}
	for _, l := range cfg.Limits {
		if o, ok := s.ProviderLimits[l.Name]; ok {
			l.Count, l.Per, l.Burst = o.Count, o.Per, 0
		}
		if l.Count <= 0 || l.Per <= 0 {
			continue
		}
		l.Key = key(l.Name)
		out = append(out, l)
	}
	if s.RateLimit > 0 && s.RatePeriod > 0 {
		out = append(out, payments.Limit{Name: "client", Key: key("client"), Count: s.RateLimit, Per: s.RatePeriod})
	}
	return out
}

// Fingerprint returns a short digest of a credential, to tell accounts
// apart (in rate-limit and token keys) without ever showing the credential.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte("unipay-payments:" + secret))
	return hex.EncodeToString(sum[:8])
}
