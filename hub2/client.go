package hub2

import (
	"context"
	"fmt"
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
// refused, 429), since Hub2 takes no idempotency key. An answer for another
// amount or currency than asked is ErrIntegrity: the intent is not shown to
// anyone.
func (c *Client) CreatePaymentIntent(ctx context.Context, req CreateIntentRequest) (*PaymentIntent, error) {
	pi := new(PaymentIntent)
	if err := c.createIntent(ctx, req, pi); err != nil {
		return nil, err
	}
	return pi, nil
}

// createIntent is CreatePaymentIntent, reading the answer into out (the
// whole PaymentIntent, or Create's view of it).
func (c *Client) createIntent(ctx context.Context, req CreateIntentRequest, out intentAnswer) error {
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
		fe.Addf("Currency", "%q is not a Hub2 currency (XOF, XAF, GNF)", check.Quote(req.Currency))
	}
	check.Text(&fe, "OverrideBusinessName", req.OverrideBusinessName, MaxBusinessName)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return err
	}
	_, err := c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: "/payment-intents", JSON: req,
		Check: func(resp *httpx.Response) error {
			if amount, currency := out.money(); amount != req.Amount || currency != req.Currency {
				id, _ := out.about()
				return c.api.Integrity(op, resp, fmt.Sprintf("asked for an intent of %d %s, Hub2 answered with intent %s of %d %s",
					req.Amount, req.Currency, id, amount, check.Quote(currency)))
			}
			return nil
		}}, "", out)
	return err
}

// AttemptPayment attempts a payment on an intent
// (POST /payment-intents/{id}/payments). When req.Token is empty, the intent's
// token is read from Hub2 first. The answer is the intent, now processing,
// whose newest payment may carry a NextAction (OTP, USSD, redirection).
//
// Each attempt creates a new payment at Hub2, so this request is never
// retried: on ErrUnavailable, read the intent to learn whether it arrived
// before attempting again. An answer about another intent is ErrIntegrity.
// The token sent is kept out of every log line, error and Raw field, even
// where Hub2 would quote it.
func (c *Client) AttemptPayment(ctx context.Context, intentID string, req AttemptRequest) (*PaymentIntent, error) {
	pi := new(PaymentIntent)
	if err := c.attemptPayment(ctx, intentID, req, pi); err != nil {
		return nil, err
	}
	return pi, nil
}

// attemptPayment is AttemptPayment, reading the answer into out (the
// whole PaymentIntent, or Create's view of it).
func (c *Client) attemptPayment(ctx context.Context, intentID string, req AttemptRequest, out intentAnswer) error {
	const op = "attempt payment"
	var fe check.FieldErrors
	check.ID(&fe, "intentID", intentID)
	checkAttempt(&fe, req)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return err
	}
	token, err := c.tokenFor(ctx, intentID, req.Token)
	if err != nil {
		return err
	}
	req.Token = token
	return c.sendingToken(ctx, token, &httpx.Request{Op: op, Method: http.MethodPost, Path: intentPath(intentID) + "/payments",
		Route: "/payment-intents/{intentId}/payments", JSON: req, NoRetry: true}, intentID, out)
}

// Authenticate sends the one-time code the customer entered for a payment
// whose NextAction is an OTP (POST /payment-intents/{id}/authentication).
// token is the intent's client JWT (Session.ClientToken); when empty it is
// read from Hub2 first. The answer is the intent as Hub2 returns it.
//
// The code is sent once, never retried: a provider counts wrong codes. An
// answer about another intent is ErrIntegrity. The token sent is kept out
// of every log line, error and Raw field, even where Hub2 would quote it.
func (c *Client) Authenticate(ctx context.Context, intentID, token, code string) (*PaymentIntent, error) {
	const op = opAuthenticate
	var fe check.FieldErrors
	check.ID(&fe, "intentID", intentID)
	checkToken(&fe, "token", token)
	if !digits(code, 1, 12) {
		fe.Add("code", "must be the digits the customer received (at most 12)")
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	token, err := c.tokenFor(ctx, intentID, token)
	if err != nil {
		return nil, err
	}
	pi := new(PaymentIntent)
	if err := c.sendingToken(ctx, token, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: intentPath(intentID) + "/authentication", NoRetry: true,
		Route: "/payment-intents/{intentId}/authentication",
		JSON:  authenticateRequest{Token: token, ConfirmationCode: code},
	}, intentID, pi); err != nil {
		return nil, err
	}
	return pi, nil
}

// GetPaymentIntent reads an intent with its payments
// (GET /payment-intents/{id}). Hub2 allows this once per 5 seconds per
// intent; to wait for an outcome, use WaitForFinal or webhooks. An answer
// about another intent is ErrIntegrity.
func (c *Client) GetPaymentIntent(ctx context.Context, intentID string) (*PaymentIntent, error) {
	pi := new(PaymentIntent)
	if err := c.readIntent(ctx, "get payment intent", "intentID", intentID, false, pi); err != nil {
		return nil, err
	}
	return pi, nil
}

// readIntent reads an intent into out for op, whose caller names the id
// field; once sends the request without retries.
func (c *Client) readIntent(ctx context.Context, op, field, intentID string, once bool, out intentAnswer) error {
	var fe check.FieldErrors
	check.ID(&fe, field, intentID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return err
	}
	_, err := c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID),
		Route: "/payment-intents/{intentId}", Query: c.readQuery(intentID), NoRetry: once}, intentID, out)
	return err
}

// PaymentIntentStatus reads only an intent's status
// (GET /payment-intents/{id}/status), which Hub2 limits less tightly than the
// intent itself (5 per 5 seconds per intent). An answer without a status is
// ErrMalformedResponse; one about another intent, ErrIntegrity.
func (c *Client) PaymentIntentStatus(ctx context.Context, intentID string) (*StatusResponse, error) {
	st, err := c.intentStatus(ctx, intentID, false)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// intentStatus reads an intent's status; once sends the request without
// retries. An answer without a status comes with an ErrMalformedResponse
// error, for the caller to judge (WaitForFinal reads the whole intent
// instead).
func (c *Client) intentStatus(ctx context.Context, intentID string, once bool) (*StatusResponse, error) {
	const op = "get payment intent status"
	var fe check.FieldErrors
	check.ID(&fe, "intentID", intentID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	req := &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID) + "/status",
		Route: "/payment-intents/{intentId}/status", Query: c.readQuery(intentID), NoRetry: once}
	return c.status(ctx, req, "intent", intentID)
}

// PaymentStatus reads one payment attempt's status
// (GET /payments/{id}/status), with a pay_… id. An answer without a status
// is ErrMalformedResponse; one about another payment, ErrIntegrity.
func (c *Client) PaymentStatus(ctx context.Context, paymentID string) (*StatusResponse, error) {
	const op = "get payment status"
	var fe check.FieldErrors
	check.ID(&fe, "paymentID", paymentID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	st, err := c.status(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: "/payments/" + url.PathEscape(paymentID) + "/status",
		Route: "/payments/{paymentId}/status"}, "payment", paymentID)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// status sends a read of a status endpoint and checks that the answer is
// about id. An answer without a status is returned (its status empty) with
// an ErrMalformedResponse error.
func (c *Client) status(ctx context.Context, req *httpx.Request, what, id string) (*StatusResponse, error) {
	var out StatusResponse
	noStatus := false
	req.Check = func(resp *httpx.Response) error {
		if out.ID != "" && out.ID != id {
			return c.api.Integrity(req.Op, resp, "asked for the status of "+what+" "+id+", Hub2 answered about "+check.Quote(out.ID))
		}
		if out.Status == "" {
			noStatus = true
			return c.api.Malformed(req.Op, resp, "the answer has no status", nil)
		}
		return nil
	}
	_, err := c.api.Do(ctx, req, &out)
	switch {
	case noStatus:
		return &out, err
	case err != nil:
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
	check.ID(&fe, "intentID", intentID)
	if q.Country == "" {
		fe.Add("Country", "is required")
	}
	if q.Provider == "" {
		fe.Add("Provider", "is required")
	}
	if q.PaymentMethod == "" {
		q.PaymentMethod = MobileMoney
	}
	checkCountry(&fe, "Country", q.Country)
	checkCode(&fe, "Provider", strings.ToLower(q.Provider))
	checkCode(&fe, "PaymentMethod", string(q.PaymentMethod))
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	query := url.Values{"country": {q.Country}, "provider": {strings.ToLower(q.Provider)}, "paymentMethod": {string(q.PaymentMethod)}}
	var out []Fee
	if _, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID) + "/payment-fees",
		Route: "/payment-intents/{intentId}/payment-fees", Query: query}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RegisterWebhook registers a URL for the given events (POST /webhooks), such
// as "payment_intent.succeeded" or "payment.failed". The answer's Secret signs
// the deliveries; Hub2 shows it only now: store it and add it to
// Config.WebhookSecrets. It is never logged. Like a create, the request is
// retried only when it surely never reached Hub2: registering twice makes
// two webhooks.
func (c *Client) RegisterWebhook(ctx context.Context, req WebhookRequest) (*Webhook, error) {
	const op = "register webhook"
	var fe check.FieldErrors
	checkWebhook(&fe, req)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	var out Webhook
	_, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: "/webhooks", JSON: req,
		Check: func(resp *httpx.Response) error {
			// Decode by hand so that the secret is learnt before anything
			// could report the body.
			if err := c.api.Decode(op, resp, &out); err != nil {
				return err
			}
			c.learn(out.Secret)
			if out.ID == "" {
				return c.api.Malformed(op, resp, "the answer has no webhook id", nil)
			}
			return nil
		}}, nil)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// intent sends req and reads the intent it answers into out (the whole
// PaymentIntent, or Verify's view). want is the id of the intent asked
// about ("" for a creation): an answer about another intent, or holding
// another intent's payment, is ErrIntegrity.
//
// The intent's token is not learnt by the redactor here: in every answer
// it sits under the "token" key, which the redactor scrubs wherever it is,
// valid JSON or not. A request that sends it guards it (sendingToken,
// readQuery). Learning every token read would cost each call a rebuild of
// the redactor's forms, slow every later scrub, and push out of the
// redactor's ring the tokens of the calls in flight.
func (c *Client) intent(ctx context.Context, req *httpx.Request, want string, out intentAnswer) (*httpx.Response, error) {
	also := req.Check // the caller's own checks, once these pass
	req.Check = func(resp *httpx.Response) error {
		if r, ok := out.(passReader); !ok || !r.readAnswer(resp.Body) { // readview.go
			if ok {
				r.reset()
			}
			if err := c.api.Decode(req.Op, resp, out); err != nil {
				return err
			}
		}
		id, _ := out.about()
		switch {
		case id == "":
			return c.api.Malformed(req.Op, resp, "the answer has no PaymentIntent id", nil)
		case want != "" && id != want:
			return c.api.Integrity(req.Op, resp, "asked about payment intent "+want+", Hub2 answered about "+check.Quote(id))
		}
		if pay, of, found := out.foreign(); found {
			return c.api.Integrity(req.Op, resp, "payment intent "+id+" holds payment "+check.Quote(pay)+" of intent "+check.Quote(of))
		}
		if also != nil {
			return also(resp)
		}
		return nil
	}
	resp, err := c.api.Do(ctx, req, nil)
	if err != nil {
		return resp, err
	}
	id, token := out.about()
	out.keep(c.api.Raw(resp))
	c.tokens.put(id, token)
	return resp, nil
}

// tokenFor returns token, or the intent's own token read from Hub2 when
// token is empty.
func (c *Client) tokenFor(ctx context.Context, intentID, token string) (string, error) {
	if token != "" {
		c.tokens.put(intentID, token)
		return token, nil
	}
	const op = "get payment intent"
	pi := new(PaymentIntent)
	_, err := c.intent(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: intentPath(intentID),
		Route: "/payment-intents/{intentId}", Query: c.readQuery(intentID),
		Check: func(resp *httpx.Response) error {
			if pi.Token == "" {
				return c.api.Malformed(op, resp, "the intent "+intentID+" came without its token", nil)
			}
			return nil
		}}, intentID, pi)
	if err != nil {
		return "", err
	}
	return pi.Token, nil
}

// opAuthenticate names Authenticate in errors, whose fields are named
// after its parameters.
const opAuthenticate = "authenticate payment"

func intentPath(id string) string { return "/payment-intents/" + url.PathEscape(id) }
