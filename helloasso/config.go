package helloasso

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// The API origins. Paths (/v5/…, /oauth2/token) are the same on both.
const (
	ProductionURL = "https://api.helloasso.com"
	SandboxURL    = "https://api.helloasso-sandbox.com"
)

// RedirectLifetime is how long a checkout intent's redirect URL works, as
// HelloAsso documents it; Session.ExpiresAt is creation plus this.
const RedirectLifetime = 15 * time.Minute

// Config is what New needs: the organization's API client and where it
// lives. Take the client id and secret from the organization's back office
// ("Mon compte > Intégrations et API"); sandbox credentials work only with
// Environment Sandbox (the zero value), production ones only with Production.
type Config struct {
	// ClientID is the API client's id (required).
	ClientID string
	// ClientSecret is the API client's secret (required). It is only ever
	// sent to the token endpoint, and never logged.
	ClientSecret string
	// OrganizationSlug is the organization's slug, as in its HelloAsso URL
	// (https://www.helloasso.com/associations/<slug>) (required).
	OrganizationSlug string
	// Environment is payments.Sandbox (the zero value,
	// api.helloasso-sandbox.com) or payments.Production (api.helloasso.com).
	Environment payments.Environment
	// SignatureKey is the key HelloAsso gives partners with their
	// notification URL. With it, ParseWebhook requires a valid
	// x-ha-signature; without it (plain associations get none), events come
	// back with Verified false.
	SignatureKey string
	// TokenStore keeps the OAuth2 token; nil keeps it in this process's
	// memory. Share one store between the replicas of a service (the Redis
	// and PostgreSQL stores of this repository) so that they use one token
	// and renew it one at a time: HelloAsso allows about 20 live tokens per
	// API key, and rotates the refresh token at each renewal. The token is
	// stored under a key derived from ClientID. Tokens are secrets: keep
	// the store where only the service can read it.
	TokenStore payments.TokenStore
}

// Client talks to HelloAsso's API for one organization. It implements
// payments.Checkout, payments.WebhookParser and payments.ReturnParser, and
// offers HelloAsso's own operations (CreateCheckoutIntent, GetOrder,
// RefundPayment…). It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *httpx.Client
	tokens *tokenSource
	// loopbackHTTP allows plain http return URLs on loopback hosts: the
	// client talks to a simulator on 127.0.0.1, and the shop being developed
	// runs on http://localhost.
	loopbackHTTP bool
	now          func() time.Time
	orgBase      string // "/v5/organizations/{slug}", the slug escaped
	intentsPath  string // orgBase + "/checkout-intents", where Create posts: made once
	// signers holds HMACs keyed with cfg.SignatureKey (*signer), so that
	// checking a notification's signature allocates nothing.
	signers sync.Pool
}

// Compile-time checks of what Client implements.
var (
	_ payments.Checkout           = (*Client)(nil)
	_ payments.CapabilityReporter = (*Client)(nil)
	_ payments.WebhookParser      = (*Client)(nil)
	_ payments.ReturnParser       = (*Client)(nil)
)

// New returns a Client for cfg. It checks cfg and does no network I/O: the
// first API call fetches the access token.
func New(cfg Config, opts ...payments.Option) (*Client, error) {
	var fe check.FieldErrors
	if strings.TrimSpace(cfg.ClientID) == "" {
		fe.Add("ClientID", "is required")
	}
	if cfg.ClientSecret == "" {
		fe.Add("ClientSecret", "is required")
	}
	switch slug := cfg.OrganizationSlug; {
	case strings.TrimSpace(slug) == "":
		fe.Add("OrganizationSlug", "is required")
	case strings.IndexFunc(slug, func(r rune) bool { return r == '/' || unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		fe.Addf("OrganizationSlug", "%q is not a slug: it has a slash, a space or a control character", slug)
	}
	if !cfg.Environment.Valid() {
		fe.Addf("Environment", "%v is neither payments.Sandbox nor payments.Production", cfg.Environment)
	}
	if err := fe.Err(payments.HelloAsso, "new client"); err != nil {
		return nil, err
	}
	base := SandboxURL
	if cfg.Environment == payments.Production {
		base = ProductionURL
	}
	store := cfg.TokenStore
	if store == nil {
		store = &payments.MemoryTokenStore{}
	}
	c := &Client{cfg: cfg, now: time.Now, orgBase: "/v5/organizations/" + url.PathEscape(cfg.OrganizationSlug)}
	c.intentsPath = c.orgBase + "/checkout-intents"
	c.signers.New = func() any { return &signer{mac: hmac.New(sha256.New, []byte(cfg.SignatureKey))} }
	c.tokens = newTokenSource(cfg.ClientID, cfg.ClientSecret, store)
	hc, err := httpx.New(httpx.Config{
		Provider:    payments.HelloAsso,
		BaseURL:     base,
		Settings:    httpx.NewSettings(opts...),
		Auth:        c.tokens,
		DecodeError: decodeError,
		Secrets:     []string{cfg.ClientSecret, cfg.SignatureKey},
		// x-ha-signature is not a secret (it is sent in the clear), but the
		// MFA headers of refunds are.
		SecretHeaders: []string{"x-mfa-access-authorization", "x-mfa-sms-access-authorization", "x-mfa-password-authorization"},
	})
	if err != nil {
		return nil, err
	}
	c.http = hc
	c.tokens.bind(hc)
	c.loopbackHTTP = hc.BaseURL().Scheme == "http"
	return c, nil
}

// Provider implements payments.Checkout.
func (c *Client) Provider() payments.ProviderName { return payments.HelloAsso }

// Capabilities implements payments.CapabilityReporter. Notifications are
// signed only for partners with a SignatureKey.
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund:         true,
		PartialRefund:  true,
		Webhooks:       true,
		SignedWebhooks: c.cfg.SignatureKey != "",
		ReturnURL:      true,
		Currencies:     []string{"EUR"},
	}
}
