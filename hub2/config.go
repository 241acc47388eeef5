package hub2

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// BaseURL is Hub2's API origin, the same for the sandbox and live: the
// Environment header selects which one a request goes to.
const BaseURL = "https://api.hub2.io"

// Config holds a merchant's Hub2 credentials.
type Config struct {
	// APIKey is the secret API key from the Hub2 dashboard. A key belongs to
	// one environment: a sandbox key with Environment Production is refused
	// by Hub2.
	APIKey string
	// MerchantID is the merchant id from the dashboard (a numeric string).
	MerchantID string
	// Environment selects Hub2's sandbox (the zero value) or live system; it
	// is sent as the Environment header on every request.
	Environment payments.Environment
	// WebhookSecrets are the secrets webhooks are signed with: the current
	// one first, then the previous one for the 24 hours after a rotation.
	// A delivery is accepted when any of them matches s1 or s0 of its
	// Hub2-Signature header. Only needed to parse webhooks.
	WebhookSecrets []string
	// ReadWithToken adds the intent's client JWT as ?token= to reads of an
	// intent (GET /payment-intents/{id} and its /status: Verify,
	// RedirectURL, WaitForFinal, GetPaymentIntent, PaymentIntentStatus),
	// next to the API headers, as Hub2's Postman collection sends them.
	// Hub2's reference makes the token optional there, and whether Hub2
	// ever requires it is not settled: turn this on if reads by headers
	// alone are refused. The client adds the token of the intents whose
	// token it has seen (created, attempted, authenticated or read), the
	// 1024 most recent, kept in memory only while this is on.
	ReadWithToken bool
	// RefundByTransfer turns on refunds by transfer, off by default: Hub2
	// cannot refund a pay-in, so Refund sends the money back to the payer
	// with a transfer (a payout from the merchant's Hub2 transfer account,
	// fees on top), recorded in RefundLedger against the payment before it
	// leaves, so that a payment is never refunded beyond what it paid and a
	// transfer is never sent twice. The API key then needs the
	// Api.transfer_create and Api.transfer_read permissions, and the
	// transfer account funds. Refund needs the payer's number and name in
	// RefundOptions: Hub2's intent keeps neither. See Client.Refund.
	RefundByTransfer bool
	// RefundLedger records the refunds by transfer (with RefundByTransfer);
	// nil uses a payments.MemoryRefundLedger of this client's own. Replicas
	// of a service must share one ledger (on Redis or PostgreSQL, from the
	// stores modules), else two of them could refund the same payment
	// twice, and a refund whose answer was lost on one would be unknown to
	// the others.
	RefundLedger payments.RefundLedger
}

// Client is a Hub2 client. It implements payments.Checkout and
// payments.WebhookParser, and has Hub2's own operations (Attempt,
// Authenticate, WaitForFinal, PaymentFees, RegisterWebhook, the transfers…).
// It is safe for concurrent use.
type Client struct {
	// api sends every request. Reads, and the intent's creation (only when
	// it surely never arrived), may be retried; payment attempts and OTPs,
	// which are not idempotent, and WaitForFinal's polls, which pace
	// themselves, are sent once (httpx.Request.NoRetry).
	api            *httpx.Client
	webhookSecrets []string
	// tokens holds the client JWTs of recent intents, for reads with
	// ?token= (Config.ReadWithToken); nil when that is off.
	tokens *tokenCache
	// sleep waits between polls; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
	// ledger records refunds by transfer; nil when they are off
	// (Config.RefundByTransfer).
	ledger payments.RefundLedger
	// now tells the time, for the settlement of refunds; tests replace it.
	now func() time.Time
	// refundID makes a new refund's id; tests replace it.
	refundID func() string
}

// Compile-time checks of what Client implements.
var (
	_ payments.Checkout           = (*Client)(nil)
	_ payments.CapabilityReporter = (*Client)(nil)
	_ payments.WebhookParser      = (*Client)(nil)
	_ payments.ReturnParser       = (*Client)(nil)
)

// requestLimit keeps a client under Hub2's documented caps across all its
// calls: 30 requests per 5 s, the stricter of the two published tables for
// creating intents and attempts (the other endpoints allow 50 per 5 s or
// more). Per-intent limits are paced by WaitForFinal.
const (
	requestLimit  = 30
	requestPeriod = 5 * time.Second
)

// New returns a Client for cfg. It checks the configuration and does no I/O.
// Options change the HTTP settings (payments.WithHTTPClient, WithLogger,
// WithBaseURL for the simulator…).
func New(cfg Config, opts ...payments.Option) (*Client, error) {
	var fe check.FieldErrors
	if strings.TrimSpace(cfg.APIKey) == "" {
		fe.Add("APIKey", "is required")
	}
	if strings.TrimSpace(cfg.MerchantID) == "" {
		fe.Add("MerchantID", "is required")
	}
	if !cfg.Environment.Valid() {
		fe.Addf("Environment", "%s is neither payments.Sandbox nor payments.Production", cfg.Environment)
	}
	var secrets []string
	for _, s := range cfg.WebhookSecrets {
		if s == "" {
			fe.Add("WebhookSecrets", "must not hold an empty secret")
			continue
		}
		secrets = append(secrets, s)
	}
	if err := fe.Err(payments.Hub2, "new client"); err != nil {
		return nil, err
	}

	env := "sandbox"
	if cfg.Environment == payments.Production {
		env = "live"
	}
	api, err := httpx.New(httpx.Config{
		Provider: payments.Hub2,
		BaseURL:  BaseURL,
		Settings: httpx.NewSettings(opts...),
		// The header names are sent as Hub2 documents them (HTTP header
		// names are case-insensitive; Hub2's own docs mix the cases).
		Auth:        httpx.HeaderAuth{"ApiKey": {cfg.APIKey}, "MerchantId": {cfg.MerchantID}},
		Header:      http.Header{"Environment": {env}},
		DecodeError: decodeError,
		Secrets:     append([]string{cfg.APIKey}, secrets...),
		SecretKeys:  []string{"confirmationCode", "otp"},
		Limits:      []payments.Limit{{Name: "requests", Count: requestLimit, Per: requestPeriod}},
		Account:     cfg.MerchantID,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{api: api, webhookSecrets: secrets, sleep: httpx.Sleep, now: time.Now, refundID: newRefundID}
	if cfg.RefundByTransfer {
		c.ledger = cfg.RefundLedger
		if c.ledger == nil {
			c.ledger = &payments.MemoryRefundLedger{}
		}
	}
	if cfg.ReadWithToken {
		c.tokens = newTokenCache(maxTokens)
	}
	return c, nil
}

// Provider returns payments.Hub2.
func (c *Client) Provider() payments.ProviderName { return payments.Hub2 }

// learn registers a secret met at run time (an intent's client JWT, a new
// webhook secret) so that it never reaches a log line or an error.
func (c *Client) learn(secret string) {
	c.api.Redactor().Learn(secret)
}

// decodeError reads Hub2's error body into e: its code, message and request
// id, and the fields its messages name (see fields.go).
func decodeError(resp *httpx.Response, e *payments.Error) {
	var body apiError
	if json.Unmarshal(resp.Body, &body) != nil {
		return
	}
	e.Code = body.Code
	if e.Code == "" {
		e.Code = body.Error
	}
	messages := messageList(body.Message)
	e.Message = strings.Join(messages, "; ")
	e.Fields = messageFields(e.Op, messages)
	if e.RequestID == "" && requestID(body.RequestID) {
		e.RequestID = body.RequestID
	}
}

// requestID reports whether id looks like Hub2's request ids (req_ and
// letters, digits, '-' or '_'): a body's request_id is kept only then,
// since httpx does not scrub it as it scrubs the message.
func requestID(id string) bool {
	if len(id) > 64 || !strings.HasPrefix(id, "req_") {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) < 0
}
