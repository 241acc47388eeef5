package httpx

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/unipay/payments"
)

// Settings holds the client settings an adapter's New received: what the
// payments.Options set, over the defaults.
type Settings struct {
	HTTPClient       *http.Client
	BaseURL          string
	Logger           *slog.Logger
	Retries          int
	BackoffFirst     time.Duration // 0: the default
	BackoffMax       time.Duration // 0: the default
	Timeout          time.Duration
	UserAgent        string
	RateLimit        int           // requests per RatePeriod; 0 = no client-side limit of the merchant's own
	RatePeriod       time.Duration // the period RateLimit counts over
	ProviderLimits   map[string]payments.Limit
	RateLimiter      payments.RateLimiter
	MaxResponseBytes int64
	Observer         payments.Observer
}

// NewSettings applies opts over the defaults.
func NewSettings(opts ...payments.Option) Settings {
	s := Settings{
		Retries:          payments.DefaultRetries,
		Timeout:          payments.DefaultTimeout,
		MaxResponseBytes: payments.DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// The setters below are what a payments.Option calls.

// SetHTTPClient implements a payments.Option.
func (s *Settings) SetHTTPClient(hc *http.Client) { s.HTTPClient = hc }

// SetBaseURL implements a payments.Option.
func (s *Settings) SetBaseURL(u string) { s.BaseURL = u }

// SetLogger implements a payments.Option.
func (s *Settings) SetLogger(l *slog.Logger) { s.Logger = l }

// SetRetries implements a payments.Option.
func (s *Settings) SetRetries(n int) { s.Retries = n }

// SetBackoff implements a payments.Option.
func (s *Settings) SetBackoff(first, max time.Duration) { s.BackoffFirst, s.BackoffMax = first, max }

// SetTimeout implements a payments.Option.
func (s *Settings) SetTimeout(d time.Duration) { s.Timeout = d }

// SetUserAgent implements a payments.Option.
func (s *Settings) SetUserAgent(ua string) { s.UserAgent = ua }

// SetRateLimiter implements a payments.Option.
func (s *Settings) SetRateLimiter(l payments.RateLimiter) { s.RateLimiter = l }

// SetMaxResponseBytes implements a payments.Option.
func (s *Settings) SetMaxResponseBytes(n int64) { s.MaxResponseBytes = n }

// SetObserver implements a payments.Option.
func (s *Settings) SetObserver(o payments.Observer) { s.Observer = o }

// SetRateLimit implements a payments.Option.
func (s *Settings) SetRateLimit(n int, per time.Duration) { s.RateLimit, s.RatePeriod = n, per }

// SetProviderLimit implements a payments.Option.
func (s *Settings) SetProviderLimit(name string, n int, per time.Duration) {
	if s.ProviderLimits == nil {
		s.ProviderLimits = map[string]payments.Limit{}
	}
	s.ProviderLimits[name] = payments.Limit{Name: name, Count: n, Per: per}
}
