package hero

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/time/rate"

	"github.com/unipay/payments"
)

// Config holds a Hero merchant account's credentials and environment.
type Config struct {
	// APIKey is the account's API key, from Hero's dashboard. Staging and
	// production keys differ.
	APIKey string
	// Environment selects Hero's staging system (payments.Sandbox, the zero
	// value) or production.
	Environment payments.Environment
	// PaymentPageURL replaces the origin of Hero's hosted payment page, as
	// for a simulator ("http://127.0.0.1:8123"); the customer is sent to
	// {PaymentPageURL}/checkout/{payment id}. Empty means Hero's own page for
	// the Environment.
	PaymentPageURL string
}

// The origins of Hero's API and payment page. The API's GraphQL endpoint is
// at graphQLPath on the API origin; payments.WithBaseURL replaces the origin
// only.
const (
	productionAPI  = "https://api.hero.fr"
	stagingAPI     = "https://staging.api.hero.fr"
	productionPage = "https://pay.heropay.eu"
	stagingPage    = "https://staging.pay.heropay.eu"
	graphQLPath    = "/api/graphql"
)

// Hero's documented rate limits: 200 requests a second and 1,800 a minute.
const (
	maxPerSecond = 200
	maxPerMinute = 1800
)

// limiters keep the client under both of Hero's caps in every sliding
// window, not only on average: a token bucket allows its burst plus what
// refills during the window, so the per-second bucket holds 100 and refills
// 100 a second (at most 200 in any second), and the per-minute one holds 100
// and refills 1,700 a minute (at most 1,800 in any minute).
func limiters() []*rate.Limiter {
	const burst = 100
	return []*rate.Limiter{
		rate.NewLimiter(rate.Limit(maxPerSecond-burst), burst),
		rate.NewLimiter(rate.Every(time.Minute/(maxPerMinute-burst)), burst),
	}
}

// validate checks cfg and returns Hero's API and payment page origins.
func (cfg Config) validate() (api, page string, err error) {
	var fe payments.FieldErrors
	switch key := cfg.APIKey; {
	case strings.TrimSpace(key) == "":
		fe.Add("APIKey", "is required")
	case strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		fe.Add("APIKey", "must not contain spaces or control characters")
	}
	switch cfg.Environment {
	case payments.Sandbox:
		api, page = stagingAPI, stagingPage
	case payments.Production:
		api, page = productionAPI, productionPage
	default:
		fe.Addf("Environment", "%s is neither payments.Sandbox nor payments.Production", cfg.Environment)
	}
	if cfg.PaymentPageURL != "" {
		if msg := payments.CheckURL(cfg.PaymentPageURL, false); msg != "" {
			fe.Add("PaymentPageURL", msg)
		}
		page = strings.TrimSuffix(cfg.PaymentPageURL, "/")
	}
	return api, page, fe.Err(payments.Hero, "new client")
}
