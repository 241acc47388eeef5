package payments

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Version is the library's version, sent in the User-Agent header.
const Version = "0.1.0"

// ProviderName names a payment provider.
type ProviderName string

// The providers the library has adapters for.
const (
	Hero      ProviderName = "hero"
	Hub2      ProviderName = "hub2"
	HelloAsso ProviderName = "helloasso"
	Moneroo   ProviderName = "moneroo"
)

// Environment selects a provider's sandbox or its production system. The zero
// value is Sandbox, so that a forgotten setting never moves real money.
type Environment int

const (
	// Sandbox is the provider's test system: no real money moves.
	Sandbox Environment = iota
	// Production is the provider's live system.
	Production
)

// String returns "sandbox" or "production".
func (e Environment) String() string {
	switch e {
	case Sandbox:
		return "sandbox"
	case Production:
		return "production"
	}
	return "environment(" + strconv.Itoa(int(e)) + ")"
}

// Valid reports whether e is Sandbox or Production.
func (e Environment) Valid() bool { return e == Sandbox || e == Production }

// Capabilities says what a provider supports, so that generic code (a shop
// offering a refund button, a contract test) can ask rather than guess.
// Adapters return it from their Capabilities method.
type Capabilities struct {
	Refund         bool     // Refund gives money back
	PartialRefund  bool     // Refund takes an amount smaller than the payment
	Webhooks       bool     // the provider notifies payment changes
	SignedWebhooks bool     // those notifications are signed and verified
	ReturnURL      bool     // the customer's browser comes back to CreateRequest.ReturnURL
	Currencies     []string // the ISO 4217 codes the adapter accepts
}

// SupportsCurrency reports whether c is in Currencies.
func (c Capabilities) SupportsCurrency(currency string) bool {
	for _, x := range c.Currencies {
		if x == currency {
			return true
		}
	}
	return false
}

// CapabilityReporter is implemented by every adapter's Client.
type CapabilityReporter interface {
	Capabilities() Capabilities
}

// Default client settings, which the Options override.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultRetries          = 2
	DefaultMaxResponseBytes = 1 << 20 // 1 MiB
)

// Option changes a client setting. Pass Options to an adapter's New:
//
//	c, err := moneroo.New(cfg, payments.WithTimeout(10*time.Second), payments.WithLogger(logger))
type Option func(settings)

// settings is what an Option sets. The adapters' shared HTTP layer
// implements it; merchants never see it.
type settings interface {
	SetHTTPClient(*http.Client)
	SetBaseURL(string)
	SetLogger(*slog.Logger)
	SetRetries(int)
	SetBackoff(first, max time.Duration)
	SetTimeout(time.Duration)
	SetUserAgent(string)
	SetRateLimit(n int, per time.Duration)
	SetProviderLimit(name string, n int, per time.Duration)
	SetRateLimiter(RateLimiter)
	SetMaxResponseBytes(int64)
	SetObserver(Observer)
}

// WithHTTPClient makes the client send its requests through hc, for a proxy,
// custom TLS or a test transport. The library copies hc, never follows
// redirects (a redirect is an error), and never modifies hc itself.
func WithHTTPClient(hc *http.Client) Option { return func(s settings) { s.SetHTTPClient(hc) } }

// WithBaseURL replaces the origin of the provider's API, such as
// "http://127.0.0.1:8123" for a simulator; the adapter appends the production
// paths. Plain http:// is refused except on loopback.
func WithBaseURL(u string) Option { return func(s settings) { s.SetBaseURL(u) } }

// WithLogger logs each request and response through l: at Debug level with
// headers and bodies, secrets redacted; retries at Info; nothing by default.
func WithLogger(l *slog.Logger) Option { return func(s settings) { s.SetLogger(l) } }

// WithRetries sets the most times a failed call is retried (0: never). The
// budget covers the whole call, the requests it makes for credentials (an
// OAuth token) included. Creates and refunds are retried only when the
// request surely never reached the provider, whatever n is. The default is
// DefaultRetries.
func WithRetries(n int) Option {
	return func(s settings) { s.SetRetries(max(n, 0)) }
}

// WithBackoff sets how long the client waits between retries when the
// provider names no wait (a Retry-After header): about first before the
// first retry (between first/2 and first, jittered so that clients do not
// retry in step), twice as long before each next one, never more than max.
// The default is 250 ms, up to 8 s.
func WithBackoff(first, max time.Duration) Option {
	return func(s settings) { s.SetBackoff(first, max) }
}

// WithTimeout bounds each HTTP attempt; the caller's context bounds the whole
// call, retries included. The default is DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(s settings) { s.SetTimeout(d) } }

// WithUserAgent puts ua before the library's own User-Agent, so providers can
// tell which merchant application is calling.
func WithUserAgent(ua string) Option { return func(s settings) { s.SetUserAgent(ua) } }

// WithRateLimit keeps the client to at most n requests per period, waiting
// (until the context ends) rather than sending more. It adds to the limits
// the adapter keeps for its provider's documented caps.
func WithRateLimit(n int, per time.Duration) Option {
	return func(s settings) { s.SetRateLimit(n, per) }
}

// WithProviderLimit replaces one of the caps the adapter keeps for its
// provider, named as the adapter's documentation names it, by at most n
// requests in any window of per: for an account whose limit the provider
// raised. n of 0 or less removes the cap.
func WithProviderLimit(name string, n int, per time.Duration) Option {
	return func(s settings) { s.SetProviderLimit(name, n, per) }
}

// WithRateLimiter makes the client wait its turn under l instead of in its
// own memory: give the replicas of a service one limiter on a shared store
// (Redis, PostgreSQL) so that together they keep to the provider's caps.
// The limits themselves (the provider's, WithProviderLimit's and
// WithRateLimit's) are the same.
func WithRateLimiter(l RateLimiter) Option { return func(s settings) { s.SetRateLimiter(l) } }

// WithMaxResponseBytes caps how much of a response body is read; a larger
// body is an ErrMalformedResponse. The default is DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option { return func(s settings) { s.SetMaxResponseBytes(n) } }

// WithObserver reports each call to the provider and each of its HTTP
// attempts to o, for traces and metrics (see the otel module).
func WithObserver(o Observer) Option { return func(s settings) { s.SetObserver(o) } }
