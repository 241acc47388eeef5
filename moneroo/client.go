package moneroo

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// Client is a Moneroo client. It implements payments.Checkout,
// payments.WebhookParser and payments.ReturnParser, and offers Moneroo's own
// operations (InitializePayment, VerifyPayment, RetrievePayment,
// PaymentMethods, InitializePayout, VerifyPayout, RetrievePayout). A Client is safe for concurrent use; make one per Moneroo
// app and share it.
type Client struct {
	cfg  Config
	http *httpx.Client
	// ledger records refunds by payout; nil unless Config.RefundByPayout.
	ledger payments.RefundLedger
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
	c := &Client{cfg: cfg, http: hc}
	if cfg.RefundByPayout {
		c.ledger = cfg.RefundLedger
		if c.ledger == nil {
			c.ledger = &payments.MemoryRefundLedger{}
		}
	}
	return c, nil
}

// Provider returns payments.Moneroo.
func (c *Client) Provider() payments.ProviderName { return payments.Moneroo }

// InitializePayment opens a hosted checkout: POST /v1/payments/initialize.
// It sends in as it is (amount in major units); Create is the
// provider-neutral way to call it. Before sending, it refuses with
// ErrInvalidRequest what Moneroo requires and in lacks (currency, amount,
// description, return URL, the customer's email and names), text longer
// than MaxDescription, MaxName or MaxAddress characters, more than
// MaxMetadataEntries metadata entries, and a fractional amount unless
// Config.DecimalAmounts is set; fields are named by their Go path in
// InitializeRequest. Like every create, it is retried only when Moneroo
// surely did not receive it.
func (c *Client) InitializePayment(ctx context.Context, in *InitializeRequest) (*Initialized, error) {
	const op = "initialize payment"
	if in == nil {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidRequest, NotSent: true,
			Message: "no InitializeRequest"}
	}
	if err := in.check(c.cfg.DecimalAmounts).Err(payments.Moneroo, op); err != nil {
		return nil, err
	}
	out, err := c.initialize(ctx, in)
	if err != nil {
		mapFields(err, initializeField)
		return nil, err
	}
	return out, nil
}

// initialize sends a checked InitializeRequest and checks the answer: a
// payment id fit for a URL path, and an absolute http(s) checkout URL (the
// payer's browser goes there).
func (c *Client) initialize(ctx context.Context, in *InitializeRequest) (*Initialized, error) {
	const op = "initialize payment"
	var out envelope[Initialized]
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: pathInitialize, JSON: initializeBody{in},
		Check: func(resp *httpx.Response) error {
			if err := decode(c, op, resp, &out, &out.Data); err != nil {
				return err
			}
			switch d := &out.Data; {
			case d.ID == "":
				return c.http.Malformed(op, resp, "Moneroo answered without a payment id", nil)
			case check.PaymentID(payments.Moneroo, op, d.ID) != nil:
				return c.http.Malformed(op, resp, "Moneroo answered with a payment id that is not one: "+strconv.Quote(check.Quote(d.ID)), nil)
			}
			if msg := check.URL(out.Data.RedirectURL(), false); msg != "" {
				return c.http.Malformed(op, resp, "payment "+out.Data.ID+" was created, but its checkout URL is unusable: "+msg, nil)
			}
			return nil
		},
	}, nil) // decoded by Check
	if err != nil {
		return nil, err
	}
	out.Data.Raw = resp.Raw
	return &out.Data, nil
}

// VerifyPayment asks Moneroo for a payment's current state:
// GET /v1/payments/{id}/verify. An answer about another payment is an
// ErrIntegrity error; one without an id or a status, ErrMalformedResponse.
func (c *Client) VerifyPayment(ctx context.Context, paymentID string) (*Transaction, error) {
	t, raw, err := readPayment[Transaction](ctx, c, opVerify, paymentID, "/verify", routeVerify)
	if err != nil {
		return nil, err
	}
	t.Raw = raw
	return t, nil
}

// RetrievePayment reads a payment, checkout URL included:
// GET /v1/payments/{id}. An answer about another payment is an
// ErrIntegrity error; one without an id or a status, ErrMalformedResponse.
func (c *Client) RetrievePayment(ctx context.Context, paymentID string) (*Transaction, error) {
	t, raw, err := readPayment[Transaction](ctx, c, "retrieve payment", paymentID, "", routeRetrieve)
	if err != nil {
		return nil, err
	}
	t.Raw = raw
	return t, nil
}

// opVerify names the verify call in errors and logs.
const opVerify = "verify payment"

// The routes of the payment reads, for observers.
const (
	routeVerify   = pathPayments + "{paymentId}/verify"
	routeRetrieve = pathPayments + "{paymentId}"
)

// readPayment reads payment paymentID at path pathPayments+id+suffix into
// the data of a T (a Transaction, or the part of one Verify reads) and
// returns it with the scrubbed answer. It refuses, before sending, an id
// that cannot be one, and after: an answer about another payment
// (ErrIntegrity), or without an id or a status (ErrMalformedResponse).
func readPayment[T any, P interface {
	*T
	idStatus() (string, string)
}](ctx context.Context, c *Client, op, paymentID, suffix, route string) (P, []byte, error) {
	return read[T, P](ctx, c, op, "payment", pathPayments, paymentID, suffix, route)
}

// read reads the object what ("payment", "payout") with id at
// base+id+suffix, with readPayment's checks.
func read[T any, P interface {
	*T
	idStatus() (string, string)
}](ctx context.Context, c *Client, op, what, base, id, suffix, route string) (P, []byte, error) {
	var fe check.FieldErrors
	check.ID(&fe, idField[what], id)
	if err := fe.Err(payments.Moneroo, op); err != nil {
		return nil, nil, err
	}
	var out envelope[T]
	t := P(&out.Data)
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodGet, Path: base + id + suffix, Route: route,
		Check: func(resp *httpx.Response) error {
			if err := decode(c, op, resp, &out, t); err != nil {
				return err
			}
			switch got, status := t.idStatus(); {
			case got == "":
				return c.http.Malformed(op, resp, "the answer has no "+what+" id", nil)
			case got != id:
				return c.http.Integrity(op, resp, "asked for "+what+" "+id+", Moneroo answered about "+what+" "+strconv.Quote(check.Quote(got)))
			case status == "":
				return c.http.Malformed(op, resp, "the answer has no "+what+" status", nil)
			}
			return nil
		},
	}, nil) // decoded by Check
	if err != nil {
		return nil, nil, err
	}
	return t, resp.Raw, nil
}

// decode reads a successful answer into out, whose data is at data: in one
// pass if data is an answerReader that can (answer.go), else, from a zero
// out, through encoding/json as httpx reads any answer. It runs within the
// request's Check, so that an observer counts an unreadable answer as the
// failure it is, as it does when httpx decodes.
func decode[T any](c *Client, op string, resp *httpx.Response, out *envelope[T], data any) error {
	if r, ok := data.(answerReader); ok && r.readAnswer(resp.Body) {
		return nil
	}
	*out = envelope[T]{}
	return c.http.Decode(op, resp, out)
}

// idField names the id of each object in errors.
var idField = map[string]string{"payment": "PaymentID", "payout": "PayoutID"}

// PaymentMethods returns Moneroo's public catalogue of payment methods:
// GET /utils/payment/methods (no /v1, no credentials). Use the short codes in
// Options.Methods. An answer without a list, or with a method without a
// short code, is an ErrMalformedResponse error.
func (c *Client) PaymentMethods(ctx context.Context) ([]PaymentMethod, error) {
	const op = "list payment methods"
	var out envelope[[]PaymentMethod]
	_, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodGet, Path: pathMethods, NoAuth: true,
		Check: func(resp *httpx.Response) error {
			if out.Data == nil {
				return c.http.Malformed(op, resp, "the answer holds no list of payment methods", nil)
			}
			for i, m := range out.Data {
				if m.ShortCode == "" {
					return c.http.Malformed(op, resp, "payment method "+strconv.Itoa(i)+" has no short code", nil)
				}
			}
			return nil
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	return out.Data, nil
}

// decodeError reads Moneroo's error body, {"message", "data", "errors"},
// whatever the shape of "errors", into e.
func decodeError(resp *httpx.Response, e *payments.Error) {
	var body apiError
	if err := json.Unmarshal(resp.Body, &body); err == nil {
		e.Message = strings.TrimSpace(string(body.Message))
		e.Code = string(body.Code)
		e.Fields = fieldErrors(body.Errors) // named by Moneroo; the caller maps them
	}
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		// Moneroo documents the wait instead of sending it.
		e.RetryAfter = rateLimitWait
	}
}
