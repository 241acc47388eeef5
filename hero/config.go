package hero

import (
	"strings"
	"time"
	"unicode"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
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

// limits keep the client under both of Hero's caps in every sliding window,
// not only on average: each allows a burst of 100 and refills the rest of
// its window's count, so that no second holds more than 200 requests and no
// minute more than 1,800. payments.WithProviderLimit replaces them by name:
// "second" and "minute".
func limits() []payments.Limit {
	const burst = 100
	return []payments.Limit{
		{Name: "second", Count: maxPerSecond, Per: time.Second, Burst: burst},
		{Name: "minute", Count: maxPerMinute, Per: time.Minute, Burst: burst},
	}
}

// validate checks cfg and returns Hero's API and payment page origins.
func (cfg Config) validate() (api, page string, err error) {
	var fe check.FieldErrors
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
		if msg := check.URL(cfg.PaymentPageURL, false); msg != "" {
			fe.Add("PaymentPageURL", msg)
		}
		page = strings.TrimSuffix(cfg.PaymentPageURL, "/")
	}
	return api, page, fe.Err(payments.Hero, "new client")
}
