package moneroo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// Client is a Moneroo client. It implements payments.Checkout,
// payments.WebhookParser and payments.ReturnParser, and offers Moneroo's own
// operations (InitializePayment, VerifyPayment, RetrievePayment,
// PaymentMethods). A Client is safe for concurrent use; make one per Moneroo
// app and share it.
type Client struct {
	cfg  Config
	http *httpx.Client
}

var (
	_ payments.Checkout           = (*Client)(nil)
	_ payments.CapabilityReporter = (*Client)(nil)
	_ payments.WebhookParser      = (*Client)(nil)
	_ payments.ReturnParser       = (*Client)(nil)
)

// New returns a Client for the Moneroo app whose credentials cfg holds. It
// checks cfg and does no network I/O. Besides any payments.WithRateLimit,
// the client keeps under Moneroo's documented 120 requests a minute.
func New(cfg Config, opts ...payments.Option) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	hc, err := httpx.New(httpx.Config{
		Provider:    payments.Moneroo,
		BaseURL:     BaseURL,
		Settings:    httpx.NewSettings(opts...),
		Auth:        httpx.BearerAuth(cfg.SecretKey),
		DecodeError: decodeError,
		Secrets:     []string{cfg.SecretKey, cfg.WebhookSecret},
		Limits:      limits(),
		Account:     httpx.Fingerprint(cfg.SecretKey),
	})
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, http: hc}, nil
}

// Provider returns payments.Moneroo.
func (c *Client) Provider() payments.ProviderName { return payments.Moneroo }

// InitializePayment opens a hosted checkout: POST /v1/payments/initialize.
// It sends in as it is (amount in whole major units); Create is the checked,
// provider-neutral way to call it. Like every create, it is retried only
// when Moneroo surely did not receive it.
func (c *Client) InitializePayment(ctx context.Context, in *InitializeRequest) (*Initialized, error) {
	var out envelope[Initialized]
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: "initialize payment", Method: http.MethodPost, Path: pathInitialize, JSON: in,
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Data.Raw = resp.Body
	return &out.Data, nil
}

// VerifyPayment asks Moneroo for a payment's current state:
// GET /v1/payments/{id}/verify.
func (c *Client) VerifyPayment(ctx context.Context, paymentID string) (*Transaction, error) {
	return c.transaction(ctx, "verify payment", paymentID, "/verify")
}

// RetrievePayment reads a payment, checkout URL included:
// GET /v1/payments/{id}.
func (c *Client) RetrievePayment(ctx context.Context, paymentID string) (*Transaction, error) {
	return c.transaction(ctx, "retrieve payment", paymentID, "")
}

func (c *Client) transaction(ctx context.Context, op, paymentID, suffix string) (*Transaction, error) {
	if err := checkID(op, paymentID); err != nil {
		return nil, err
	}
	var out envelope[Transaction]
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodGet, Path: pathPayments + url.PathEscape(paymentID) + suffix,
		Route: pathPayments + "{paymentId}" + suffix,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Data.ID != "" && out.Data.ID != paymentID {
		return nil, &payments.Error{
			Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, HTTPStatus: resp.StatusCode, Raw: resp.Body,
			Message: "asked for payment " + paymentID + ", Moneroo answered with payment " + out.Data.ID,
		}
	}
	if out.Data.ID == "" {
		return nil, c.malformed(op, resp, "the answer has no payment id")
	}
	out.Data.Raw = resp.Body
	return &out.Data, nil
}

// PaymentMethods returns Moneroo's public catalogue of payment methods:
// GET /utils/payment/methods (no /v1, no credentials). Use the short codes in
// Options.Methods.
func (c *Client) PaymentMethods(ctx context.Context) ([]PaymentMethod, error) {
	var out envelope[[]PaymentMethod]
	if _, err := c.http.Do(ctx, &httpx.Request{
		Op: "list payment methods", Method: http.MethodGet, Path: pathMethods, NoAuth: true,
	}, &out); err != nil {
		return nil, err
	}
	return out.Data, nil
}

// malformed returns an ErrMalformedResponse error about resp.
func (c *Client) malformed(op string, resp *httpx.Response, msg string) *payments.Error {
	e := &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse, Message: msg}
	if resp != nil {
		e.HTTPStatus = resp.StatusCode
		e.Raw = c.http.Redactor().Bytes(resp.Body)
	}
	return e
}

// decodeError reads Moneroo's error body, {"message", "data", "errors"},
// whatever the shape of "errors", into e.
func decodeError(resp *httpx.Response, e *payments.Error) {
	var body apiError
	if err := json.Unmarshal(resp.Body, &body); err == nil {
		e.Message = strings.TrimSpace(string(body.Message))
		e.Code = string(body.Code)
		e.Fields = fieldErrors(body.Errors)
	}
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		// Moneroo documents the wait instead of sending it.
		e.RetryAfter = rateLimitWait
	}
}

// checkID refuses an empty or unprintable payment id before any request.
func checkID(op, id string) error {
	var fe check.FieldErrors
	switch {
	case strings.TrimSpace(id) == "":
		fe.Add("PaymentID", "is required")
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		fe.Add("PaymentID", "must not contain control characters")
	}
	return fe.Err(payments.Moneroo, op)
}
