package hero

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"

	graphql "github.com/hasura/go-graphql-client"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// Client talks to Hero's GraphQL API. It implements payments.Checkout and
// payments.ReturnParser, and has a typed method for each Hero operation. It
// is safe for concurrent use; make one per API key and share it.
type Client struct {
	http *httpx.Client
	gql  *graphql.Client
	page string // the payment page's origin
}

var (
	_ payments.Checkout           = (*Client)(nil)
	_ payments.ReturnParser       = (*Client)(nil)
	_ payments.CapabilityReporter = (*Client)(nil)
)

// New returns a Client for the account in cfg. It checks cfg and does no
// network I/O. Requests carry "Authorization: Api-Key <key>" and stay under
// Hero's rate limits (200 a second, 1,800 a minute) on the client side.
func New(cfg Config, opts ...payments.Option) (*Client, error) {
	api, page, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	hc, err := httpx.New(httpx.Config{
		Provider:    payments.Hero,
		BaseURL:     api,
		Settings:    httpx.NewSettings(opts...),
		Auth:        httpx.HeaderAuth{"Authorization": {"Api-Key " + cfg.APIKey}},
		Header:      http.Header{"Accept": {"application/json"}},
		Secrets:     []string{cfg.APIKey},
		Limits:      limits(),
		DecodeError: decodeHTTPError,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{http: hc, page: page}
	// The GraphQL client sends through httpx: same auth, limits, retries,
	// logging and error mapping as every adapter. Its own retries stay off.
	c.gql = graphql.NewClient(hc.URL(graphQLPath, nil), recorder{hc.HTTPClient(true)})
	return c, nil
}

// Provider returns payments.Hero.
func (c *Client) Provider() payments.ProviderName { return payments.Hero }

// Capabilities reports what Hero supports: refunds, partial ones included,
// and the return to the redirect URI; no webhooks; EUR only.
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund: true, PartialRefund: true, ReturnURL: true,
		Currencies: []string{"EUR"},
	}
}

// CreatedPayment is what createPayment returns.
type CreatedPayment struct {
	ID  string          // the payment id: store it, Verify and the payment page take it
	Raw json.RawMessage // the response, as Hero sent it
}

// CreatePayment creates a payment at Hero (mutation createPayment) and
// returns its id. Nothing is charged until the customer pays on the page at
// PaymentPageURL. Hero takes no idempotency key, so the request is retried
// only when it surely never reached Hero. Most callers want Create instead,
// which validates a payments.CreateRequest and builds p from it.
func (c *Client) CreatePayment(ctx context.Context, p NewPayment) (*CreatedPayment, error) {
	const op = "createPayment"
	if err := checkInt(op, "amount", p.Amount); err != nil {
		return nil, err
	}
	var out createPaymentData
	raw, err := c.exec(ctx, op, createPaymentDoc, map[string]any{"payment": p}, false, &out)
	if err != nil {
		return nil, err
	}
	if out.CreatePayment == nil || out.CreatePayment.ID == "" {
		return nil, malformed(op, "createPayment returned no payment id", raw, nil)
	}
	return &CreatedPayment{ID: out.CreatePayment.ID, Raw: raw}, nil
}

// SetOrderID links the merchant's order id to a payment (mutation
// setOrderId). Setting the same value twice is harmless, so it is retried
// like a read.
func (c *Client) SetOrderID(ctx context.Context, paymentID, orderID string) error {
	const op = "setOrderId"
	var out setOrderIDData
	raw, err := c.exec(ctx, op, setOrderIDDoc, map[string]any{"paymentId": paymentID, "orderId": orderID}, true, &out)
	if err != nil {
		return err
	}
	if out.SetOrderID == nil || !*out.SetOrderID {
		return malformed(op, "setOrderId did not answer true", raw, nil)
	}
	return nil
}

// GetPaymentsInfos reads the state of one or more payments (query
// getPaymentsInfos). Hero answers only for the ids it knows: an unknown id is
// simply missing from the result. Hero asks for small batches; VerifyMany
// splits a long list for you.
func (c *Client) GetPaymentsInfos(ctx context.Context, paymentIDs []string) ([]PaymentInfo, error) {
	const op = "getPaymentsInfos"
	if len(paymentIDs) == 0 {
		return nil, check.InvalidRequest(payments.Hero, op, payments.FieldError{Field: "paymentIds", Message: "at least one payment id is required"})
	}
	var out getPaymentsInfosData
	raw, err := c.exec(ctx, op, getPaymentsInfosDoc, map[string]any{"paymentIds": paymentIDs}, true, &out)
	if err != nil {
		return nil, err
	}
	u := out.GetPaymentsInfos
	if u == nil {
		return nil, malformed(op, "getPaymentsInfos returned nothing", raw, nil)
	}
	switch u.member() {
	case typePaymentsInfosResult:
	case typeValidationErrors:
		return nil, validationErrors(op, u.ValidationErrors, raw)
	default:
		return nil, malformed(op, "getPaymentsInfos returned an unknown type "+u.Typename, raw, nil)
	}
	infos := make([]PaymentInfo, 0, len(u.Result))
	for _, r := range u.Result {
		var info PaymentInfo
		if err := json.Unmarshal(r, &info); err != nil {
			return nil, malformed(op, "cannot decode a payment: "+err.Error(), raw, err)
		}
		if info.PaymentID == "" {
			return nil, malformed(op, "a payment came without its paymentId", raw, nil)
		}
		info.Raw = r
		infos = append(infos, info)
	}
	return infos, nil
}

// RefundPaymentCheckoutInput is refundPaymentCheckout's input: which payment
// checkout to refund, and how much, in euro cents.
type RefundPaymentCheckoutInput struct {
	PaymentCheckoutID string
	Amount            int64
}

// RefundPaymentCheckoutOutput is Hero's answer to a refund it accepted.
type RefundPaymentCheckoutOutput struct {
	Success bool
	Raw     json.RawMessage // the response, as Hero sent it
}

// RefundPaymentCheckout refunds part or all of a paid payment (mutation
// refundPaymentCheckout). Hero's refusals come back as a *payments.Error
// whose Code is Hero's: AMOUNT_TOO_HIGH and INVALID_AMOUNT (ErrInvalidRequest),
// PAYMENT_NOT_STARTED (ErrConflict), INVALID_PAYMENT_CHECKOUT (ErrNotFound),
// UNAUTHORIZED (ErrPermission), balance problems (ErrDeclined), and
// technical errors (ErrUnavailable: the outcome is unknown, verify the
// refunded amount before trying again). It is never retried once it may
// have reached Hero.
func (c *Client) RefundPaymentCheckout(ctx context.Context, in RefundPaymentCheckoutInput) (*RefundPaymentCheckoutOutput, error) {
	const op = "refundPaymentCheckout"
	if err := checkInt(op, "amount", in.Amount); err != nil {
		return nil, err
	}
	var out refundPaymentCheckoutData
	vars := map[string]any{"paymentCheckoutId": in.PaymentCheckoutID, "amount": in.Amount}
	raw, err := c.exec(ctx, op, refundPaymentCheckoutDoc, vars, false, &out)
	if err != nil {
		return nil, err
	}
	u := out.RefundPaymentCheckout
	if u == nil {
		return nil, malformed(op, "refundPaymentCheckout returned nothing", raw, nil)
	}
	switch u.member() {
	case typeRefundCheckoutOutput:
		if u.Success == nil || !*u.Success {
			return nil, &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrDeclined,
				Message: "Hero did not report the refund a success", HTTPStatus: 200, Raw: raw}
		}
		return &RefundPaymentCheckoutOutput{Success: true, Raw: raw}, nil
	case typeGqlHeroError:
		code := ""
		if u.ErrorCode != nil {
			code = *u.ErrorCode
		}
		return nil, heroError(op, code, u.Message, raw)
	case typeValidationErrors:
		return nil, validationErrors(op, u.ValidationErrors, raw)
	}
	return nil, malformed(op, "refundPaymentCheckout returned an unknown type "+u.Typename, raw, nil)
}

// AvailablePaymentTypesInput asks which payment types Hero offers for an
// amount (euro cents) and a customer. Siren, the customer's SIREN or SIRET,
// is optional but helps Hero say yes.
type AvailablePaymentTypesInput struct {
	Amount            int64
	CustomerReference string
	Siren             string
}

// AvailablePaymentTypes returns the payment types Hero offers for in (query
// availablePaymentTypes). Hero's answer is final: pass one of them as
// Options.Type. Types this library does not name are kept as they are.
func (c *Client) AvailablePaymentTypes(ctx context.Context, in AvailablePaymentTypesInput) ([]PaymentType, error) {
	const op = "availablePaymentTypes"
	if err := checkInt(op, "amount", in.Amount); err != nil {
		return nil, err
	}
	vars := map[string]any{"amount": in.Amount, "customerReference": in.CustomerReference}
	if in.Siren != "" {
		vars["siren"] = in.Siren
	}
	var out availablePaymentTypesData
	raw, err := c.exec(ctx, op, availablePaymentTypesDoc, vars, true, &out)
	if err != nil {
		return nil, err
	}
	if out.AvailablePaymentTypes == nil {
		return nil, malformed(op, "availablePaymentTypes returned nothing", raw, nil)
	}
	return *out.AvailablePaymentTypes, nil
}

// exec sends one GraphQL operation, decodes its data into out and returns
// the response body (secrets redacted) for Raw fields. A query
// (idempotent) may be retried after a 5xx or a timeout; a mutation that
// creates or refunds only when it surely never reached Hero.
func (c *Client) exec(ctx context.Context, op, doc string, vars map[string]any, idempotent bool, out any) (json.RawMessage, error) {
	ctx = httpx.WithOp(ctx, op)
	if idempotent {
		ctx = httpx.WithIdempotent(ctx)
	}
	rec := new(recorded)
	ctx = context.WithValue(ctx, recordedKey{}, rec)
	data, err := c.gql.ExecRaw(ctx, doc, vars)
	if err != nil {
		return nil, c.execError(op, err, rec.body)
	}
	body := c.http.Redactor().Bytes(rec.body)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, malformed(op, "cannot decode the response: "+err.Error(), body, err)
	}
	return body, nil
}

// recorder keeps the body of each GraphQL response, so that an error can
// carry it (Error.Raw) even when the GraphQL client could not decode it.
type recorder struct{ hc *http.Client }

type recordedKey struct{}

type recorded struct{ body []byte }

// Do implements graphql.Doer.
func (r recorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if rec, ok := req.Context().Value(recordedKey{}).(*recorded); ok && resp.Body != nil {
		// httpx has read the body into memory already, within its size cap.
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		rec.body = body
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp, nil
}

// decodeHTTPError reads the body of a non-2xx answer (a 429, a 5xx, or a
// 400 some GraphQL servers send for an invalid document): a GraphQL errors
// array or a {"message": …} object.
func decodeHTTPError(resp *httpx.Response, e *payments.Error) {
	var body struct {
		Message string `json:"message"`
		Errors  []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(resp.Body, &body) != nil {
		return
	}
	msgs := make([]string, 0, len(body.Errors)+1)
	if body.Message != "" {
		msgs = append(msgs, body.Message)
	}
	for i, ge := range body.Errors {
		if i == 0 {
			e.Code = ge.Extensions.Code
		}
		if ge.Message != "" {
			msgs = append(msgs, ge.Message)
		}
	}
	e.Message = strings.Join(msgs, "; ")
}

// checkInt refuses an amount that GraphQL's Int (a signed 32-bit integer)
// cannot carry: 21,474,836.47 EUR at most.
func checkInt(op, field string, n int64) error {
	if n > math.MaxInt32 || n < math.MinInt32 {
		return check.InvalidRequest(payments.Hero, op, payments.FieldError{Field: field,
			Message: "exceeds GraphQL's Int (at most 2147483647 cents)"})
	}
	return nil
}
