package hub2

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// This file is Hub2's own API, one method per operation. Each hands its
// request to internal/httpx; nothing else in the package does I/O.

// CreatePaymentIntent creates a PaymentIntent (POST /payment-intents): the
// amount to collect, in whole francs. The intent's Token is the client JWT
// that authorizes attempts on it: keep it server-side, or hand it to your own
// payment page, and never log it.
//
// The request is retried only when it surely never reached Hub2 (connection
// refused, 429), since Hub2 takes no idempotency key.
func (c *Client) CreatePaymentIntent(ctx context.Context, req CreateIntentRequest) (*PaymentIntent, error) {
	const op = "create payment intent"
	var fe check.FieldErrors
	for _, r := range []struct{ field, v string }{{"PurchaseReference", req.PurchaseReference}, {"CustomerReference", req.CustomerReference}} {
		if strings.TrimSpace(r.v) == "" {
			fe.Add(r.field, "is required")
		}
		checkReference(&fe, r.field, r.v)
	}
	if req.Amount <= 0 {
		fe.Add("Amount", "must be positive")
	}
	if _, ok := currencyCountries[req.Currency]; !ok {
		fe.Addf("Currency", "%q is not a Hub2 currency (XOF, XAF, GNF)", req.Currency)
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	return c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: "/payment-intents", JSON: req})
}

// AttemptPayment attempts a payment on an intent
// (POST /payment-intents/{id}/payments). When req.Token is empty, the intent's
// token is read from Hub2 first. The answer is the intent, now processing,
// whose newest payment may carry a NextAction (OTP, USSD, redirection).
//
// Each attempt creates a new payment at Hub2, so this request is never
// retried: on ErrUnavailable, read the intent to learn whether it arrived
// before attempting again.
func (c *Client) AttemptPayment(ctx context.Context, intentID string, req AttemptRequest) (*PaymentIntent, error) {
	const op = "attempt payment"
	if err := checkID(op, "intentID", intentID); err != nil {
		return nil, err
	}
	token, err := c.tokenFor(ctx, intentID, req.Token)
	if err != nil {
		return nil, err
	}
	req.Token = token
	return c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: intentPath(intentID) + "/payments", Route: intentRoute + "/payments", JSON: req, NoRetry: true})
}

// Authenticate sends the one-time code the customer entered for a payment
// whose NextAction is an OTP (POST /payment-intents/{id}/authentication).
// token is the intent's client JWT (Session.ClientToken); when empty it is
// read from Hub2 first. The answer is the intent as Hub2 returns it.
//
// The code is sent once, never retried: a provider counts wrong codes.
func (c *Client) Authenticate(ctx context.Context, intentID, token, code string) (*PaymentIntent, error) {
	const op = "authenticate payment"
	var fe check.FieldErrors
	if strings.TrimSpace(intentID) == "" {
		fe.Add("intentID", "is required")
	}
	if !digits(code, 1, 12) {
		fe.Add("code", "must be the digits the customer received")
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	token, err := c.tokenFor(ctx, intentID, token)
	if err != nil {
		return nil, err
	}
	return c.intent(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: intentPath(intentID) + "/authentication", Route: intentRoute + "/authentication", NoRetry: true,
		JSON: authenticateRequest{Token: token, ConfirmationCode: code},
	})
}

// GetPaymentIntent reads an intent with its payments
// (GET /payment-intents/{id}). Hub2 allows this once per 5 seconds per
// intent; to wait for an outcome, use WaitForFinal or webhooks.
func (c *Client) GetPaymentIntent(ctx context.Context, intentID string) (*PaymentIntent, error) {
	return c.getIntent(ctx, intentID, false)
}

// getIntent reads an intent; once sends the request without retries.
func (c *Client) getIntent(ctx context.Context, intentID string, once bool) (*PaymentIntent, error) {
	const op = "get payment intent"
	if err := checkID(op, "intentID", intentID); err != nil {
		return nil, err
	}
	return c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID), Route: intentRoute, Query: c.readQuery(intentID), NoRetry: once})
}

// PaymentIntentStatus reads only an intent's status
// (GET /payment-intents/{id}/status), which Hub2 limits less tightly than the
// intent itself (5 per 5 seconds per intent).
func (c *Client) PaymentIntentStatus(ctx context.Context, intentID string) (*StatusResponse, error) {
	return c.intentStatus(ctx, intentID, false)
}

// intentStatus reads an intent's status; once sends the request without
// retries.
func (c *Client) intentStatus(ctx context.Context, intentID string, once bool) (*StatusResponse, error) {
	const op = "get payment intent status"
	if err := checkID(op, "intentID", intentID); err != nil {
		return nil, err
	}
	var out StatusResponse
	req := &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID) + "/status", Route: intentRoute + "/status", Query: c.readQuery(intentID), NoRetry: once}
	if _, err := c.api.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PaymentStatus reads one payment attempt's status
// (GET /payments/{id}/status), with a pay_… id.
func (c *Client) PaymentStatus(ctx context.Context, paymentID string) (*StatusResponse, error) {
	const op = "get payment status"
	if err := checkID(op, "paymentID", paymentID); err != nil {
		return nil, err
	}
	var out StatusResponse
	if _, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: "/payments/" + url.PathEscape(paymentID) + "/status", Route: "/payments/{paymentId}/status"}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PaymentFees returns the fees Hub2 would charge for paying the intent with
// the given country, provider and method
// (GET /payment-intents/{id}/payment-fees).
func (c *Client) PaymentFees(ctx context.Context, intentID string, q FeesQuery) ([]Fee, error) {
	const op = "get payment fees"
	var fe check.FieldErrors
	if strings.TrimSpace(intentID) == "" {
		fe.Add("intentID", "is required")
	}
	if q.Country == "" {
		fe.Add("Country", "is required")
	}
	if q.Provider == "" {
		fe.Add("Provider", "is required")
	}
	if q.PaymentMethod == "" {
		q.PaymentMethod = MobileMoney
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	query := url.Values{"country": {q.Country}, "provider": {strings.ToLower(q.Provider)}, "paymentMethod": {string(q.PaymentMethod)}}
	var out []Fee
	if _, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID) + "/payment-fees", Route: intentRoute + "/payment-fees", Query: query}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RegisterWebhook registers a URL for the given events (POST /webhooks), such
// as "payment_intent.succeeded" or "payment.failed". The answer's Secret signs
// the deliveries; Hub2 shows it only now: store it and add it to
// Config.WebhookSecrets. It is never logged.
func (c *Client) RegisterWebhook(ctx context.Context, req WebhookRequest) (*Webhook, error) {
	const op = "register webhook"
	var fe check.FieldErrors
	if msg := check.URL(req.URL, false); msg != "" {
		fe.Add("URL", msg)
	}
	if len(req.Events) == 0 {
		fe.Add("Events", "name at least one event, such as payment_intent.succeeded")
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	var out Webhook
	resp, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: "/webhooks", JSON: req}, nil)
	if err != nil {
		return nil, err
	}
	// Decode by hand so that the secret is learnt before anything could
	// report the body.
	if err := c.api.Decode(op, resp, &out); err != nil {
		return nil, err
	}
	c.learn(out.Secret)
	return &out, nil
}

// intent sends req through hc and reads the PaymentIntent it answers,
// learning its token so that it never reaches a log.
func (c *Client) intent(ctx context.Context, req *httpx.Request) (*PaymentIntent, error) {
	resp, err := c.api.Do(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	var pi PaymentIntent
	if err := c.api.Decode(req.Op, resp, &pi); err != nil {
		return nil, err
	}
	c.learn(pi.Token)
	if pi.ID == "" {
		return nil, &payments.Error{Provider: payments.Hub2, Op: req.Op, Kind: payments.ErrMalformedResponse,
			Message: "the answer has no PaymentIntent id", HTTPStatus: resp.StatusCode, Raw: c.redact(resp.Body)}
	}
	pi.raw = c.redact(resp.Body)
	c.tokens.put(pi.ID, pi.Token)
	return &pi, nil
}

// tokenFor returns token, learnt as a secret, or the intent's own token
// read from Hub2 when token is empty.
func (c *Client) tokenFor(ctx context.Context, intentID, token string) (string, error) {
	if token != "" {
		c.learn(token)
		c.tokens.put(intentID, token)
		return token, nil
	}
	pi, err := c.GetPaymentIntent(ctx, intentID)
	if err != nil {
		return "", err
	}
	if pi.Token == "" {
		return "", &payments.Error{Provider: payments.Hub2, Op: "get payment intent", Kind: payments.ErrMalformedResponse,
			Message: "the intent " + intentID + " came without its token"}
	}
	return pi.Token, nil
}

func intentPath(id string) string { return "/payment-intents/" + url.PathEscape(id) }

// intentRoute is intentPath as a URL template, for observers: no id in it.
const intentRoute = "/payment-intents/{intentId}"

// checkID refuses an empty id before it makes a path such as
// /payment-intents//payments.
func checkID(op, field, id string) error {
	if strings.TrimSpace(id) == "" {
		return check.InvalidRequest(payments.Hub2, op, payments.FieldError{Field: field, Message: "is required"})
	}
	return nil
}
