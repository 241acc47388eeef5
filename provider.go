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

// Settings holds the client settings an adapter's New received. Build it with
// NewSettings; merchants set it through the With… Options and never need to
// touch it directly.
type Settings struct {
	HTTPClient       *http.Client
	BaseURL          string
	Logger           *slog.Logger
	Retries          int
	Timeout          time.Duration
	UserAgent        string
	RateLimit        int           // requests per RatePeriod; 0 = no client-side limit
	RatePeriod       time.Duration // the period RateLimit counts over
	MaxResponseBytes int64
}

// NewSettings applies opts over the defaults.
func NewSettings(opts ...Option) Settings {
	s := Settings{
		Retries:          DefaultRetries,
		Timeout:          DefaultTimeout,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// Option changes a client setting. Pass Options to an adapter's New.
type Option func(*Settings)

// WithHTTPClient makes the client send its requests through hc, for a proxy,
// custom TLS or a test transport. The library wraps hc's Transport and never
// modifies hc itself.
func WithHTTPClient(hc *http.Client) Option { return func(s *Settings) { s.HTTPClient = hc } }

// WithBaseURL replaces the origin of the provider's API, such as
// "http://127.0.0.1:8123" for a simulator; the adapter appends the production
// paths. Plain http:// is refused except on loopback.
func WithBaseURL(u string) Option { return func(s *Settings) { s.BaseURL = u } }

// WithLogger logs each request and response through l: at Debug level with
// headers and bodies, secrets redacted; retries at Info; nothing by default.
func WithLogger(l *slog.Logger) Option { return func(s *Settings) { s.Logger = l } }

// WithRetries sets the most times a failed request is retried (0: never).
// Creates and refunds are retried only when the request surely never reached
// the provider, whatever n is. The default is DefaultRetries.
func WithRetries(n int) Option {
	return func(s *Settings) {
		if n < 0 {
			n = 0
		}
		s.Retries = n
	}
}

// WithTimeout bounds each HTTP attempt; the caller's context bounds the whole
// call, retries included. The default is DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(s *Settings) { s.Timeout = d } }

// WithUserAgent puts ua before the library's own User-Agent, so providers can
// tell which merchant application is calling.
func WithUserAgent(ua string) Option { return func(s *Settings) { s.UserAgent = ua } }

// WithRateLimit keeps the client to at most n requests per period, waiting
// (until the context ends) rather than sending more. It adds to any limit the
// adapter already keeps for the provider's documented caps.
func WithRateLimit(n int, per time.Duration) Option {
	return func(s *Settings) { s.RateLimit, s.RatePeriod = n, per }
}

// WithMaxResponseBytes caps how much of a response body is read; a larger
// body is an ErrMalformedResponse. The default is DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option { return func(s *Settings) { s.MaxResponseBytes = n } }
