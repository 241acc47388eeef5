package helloasso

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// This file is HelloAsso's own API, one method per operation. Each hands
// its request to internal/httpx, which authenticates it, retries it where
// that is safe, and turns every failure into a *payments.Error.

// CreateCheckoutIntent opens a checkout intent:
// POST /v5/organizations/{slug}/checkout-intents. It sends body as it is;
// Create is the checked way in, which validates a payments.CreateRequest
// first. The intent's RedirectURL works for 15 minutes. An answer without
// an id or a redirect URL is ErrMalformedResponse.
func (c *Client) CreateCheckoutIntent(ctx context.Context, body *CheckoutIntentRequest) (*CheckoutIntentCreated, error) {
	const op = "create checkout intent"
	if body == nil {
		return nil, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "body", Message: "is required"})
	}
	var out CheckoutIntentCreated
	resp, err := c.do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: c.intentsPath,
		Route: "/v5/organizations/{organizationSlug}/checkout-intents", JSON: checkoutBody{body},
		Check: func(resp *httpx.Response) error {
			if !out.readAnswer(resp.Body) { // readview.go: one pass, or encoding/json
				out = CheckoutIntentCreated{}
				if err := c.http.Decode(op, resp, &out); err != nil {
					return err
				}
			}
			if out.ID <= 0 || out.RedirectURL == "" {
				return c.http.Malformed(op, resp, "the answer has no checkout intent id or redirect URL: the checkout may exist all the same", nil)
			}
			return nil
		},
	}, nil) // decoded by Check
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// GetCheckoutIntent reads a checkout intent, with its order once the payer
// has paid: GET /v5/organizations/{slug}/checkout-intents/{id}. An answer
// about another checkout intent, or whose order says it came from another,
// is ErrIntegrity; one without an id, ErrMalformedResponse.
func (c *Client) GetCheckoutIntent(ctx context.Context, id int64) (*CheckoutIntent, error) {
	if err := positive(opGetIntent, "id", id); err != nil {
		return nil, err
	}
	var out CheckoutIntent
	req := c.intentRequest(id)
	req.Check = func(resp *httpx.Response) error {
		var orderID, orderIntent int64
		if out.Order != nil && out.Order.CheckoutIntentID != nil {
			orderID, orderIntent = out.Order.ID, *out.Order.CheckoutIntentID
		}
		return c.checkIntent(resp, id, out.ID, orderID, orderIntent)
	}
	resp, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// opGetIntent names the reading of a checkout intent in errors and logs.
const opGetIntent = "get checkout intent"

// readIntent reads checkout intent id as Verify, RedirectURL and Refund
// need it (intentView), with GetCheckoutIntent's checks.
func (c *Client) readIntent(ctx context.Context, id int64) (*intentView, error) {
	var out intentView
	req := c.intentRequest(id)
	req.Check = func(resp *httpx.Response) error {
		if !out.readAnswer(resp.Body) { // readview.go: one pass, or encoding/json
			out = intentView{}
			if err := c.decodeIntent(resp, &out); err != nil {
				return err
			}
		}
		var orderID, orderIntent int64
		if out.Order != nil {
			orderID, orderIntent = out.Order.ID, out.Order.CheckoutIntentID
		}
		return c.checkIntent(resp, id, out.ID, orderID, orderIntent)
	}
	resp, err := c.do(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// decodeIntent reads an answer about a checkout intent into out, whatever
// its metadata: metadata that are not the adapter's strings (set by other
// code) make it read the answer again, taking any metadata.
func (c *Client) decodeIntent(resp *httpx.Response, out *intentView) error {
	err := c.http.Decode(opGetIntent, resp, out)
	if err == nil || !otherMetadata(err) {
		return err
	}
	var loose struct {
		intentView
		Metadata metadata `json:"metadata"`
	}
	if err := c.http.Decode(opGetIntent, resp, &loose); err != nil {
		return err
	}
	*out = loose.intentView
	out.Metadata = loose.Metadata.rest
	if loose.Metadata.reference != "" {
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
		out.Metadata[referenceKey] = loose.Metadata.reference
	}
	return nil
}

// otherMetadata reports whether err is the decoding of metadata that are not
// the adapter's strings. It is a function of its own so that the
// *json.UnmarshalTypeError errors.As fills is made only on that path: in
// readIntent it would be an allocation on every call.
func otherMetadata(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te) && strings.HasPrefix(te.Field, "metadata")
}

// intentRequest is the request that reads checkout intent id.
func (c *Client) intentRequest(id int64) *httpx.Request {
	return &httpx.Request{
		Op: opGetIntent, Path: c.intentPath(id),
		Route: "/v5/organizations/{organizationSlug}/checkout-intents/{checkoutIntentId}",
	}
}

// checkIntent checks that an answer to the read of checkout intent asked is
// about it: its id is got, its order (orderID, if any) says it came from
// orderIntent (0: says nothing).
func (c *Client) checkIntent(resp *httpx.Response, asked, got, orderID, orderIntent int64) error {
	switch {
	case got == 0:
		return c.http.Malformed(opGetIntent, resp, "the answer has no checkout intent id", nil)
	case got != asked:
		return c.http.Integrity(opGetIntent, resp, fmt.Sprintf("asked for checkout intent %d, HelloAsso answered about checkout intent %d", asked, got))
	case orderIntent != 0 && orderIntent != asked:
		return c.http.Integrity(opGetIntent, resp, fmt.Sprintf("checkout intent %d carries order %d, which HelloAsso says came from checkout intent %d",
			asked, orderID, orderIntent))
	}
	return nil
}

// GetOrder reads an order: GET /v5/orders/{id}. An answer about another
// order is ErrIntegrity; one without an id, ErrMalformedResponse.
func (c *Client) GetOrder(ctx context.Context, id int64) (*Order, error) {
	const op = "get order"
	if err := positive(op, "id", id); err != nil {
		return nil, err
	}
	var out Order
	resp, err := c.do(ctx, &httpx.Request{Op: op, Path: "/v5/orders/" + strconv.FormatInt(id, 10), Route: "/v5/orders/{orderId}",
		Check: func(resp *httpx.Response) error { return c.same(op, resp, "order", id, out.ID) }}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// GetPayment reads a payment: GET /v5/payments/{id}. An answer about
// another payment is ErrIntegrity; one without an id, ErrMalformedResponse.
func (c *Client) GetPayment(ctx context.Context, id int64) (*PaymentDetail, error) {
	const op = "get payment"
	if err := positive(op, "id", id); err != nil {
		return nil, err
	}
	var out PaymentDetail
	resp, err := c.do(ctx, &httpx.Request{Op: op, Path: "/v5/payments/" + strconv.FormatInt(id, 10), Route: "/v5/payments/{paymentId}",
		Check: func(resp *httpx.Response) error { return c.same(op, resp, "payment", id, out.ID) }}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// RefundParams are the parameters of a refund, sent in the query string.
type RefundParams struct {
	// Amount is the amount to refund in cents; 0 refunds the whole payment.
	// HelloAsso marks partial refunds as beta.
	Amount int64
	// Comment is the reason, kept with the refund (at most 1,024 bytes, the
	// library's bound: HelloAsso publishes none).
	Comment string
	// CancelOrder also cancels the order's future instalments.
	CancelOrder bool
	// SendRefundMail tells the payer by email. HelloAsso's default is true;
	// this is sent explicitly either way.
	SendRefundMail bool
}

// RefundPayment refunds a payment: POST /v5/payments/{id}/refund, with
// every parameter in the query string and no body. It needs the
// RefundManagement privilege, which organization clients lack by default.
// It is never retried once it may have reached HelloAsso. An answer without
// a refund id is ErrMalformedResponse, and one about another payment
// ErrIntegrity: the refund may have been made all the same, so read the
// payment before trying again.
func (c *Client) RefundPayment(ctx context.Context, paymentID int64, p RefundParams) (*RefundOperation, error) {
	const op = "refund payment"
	var fe check.FieldErrors
	if paymentID <= 0 {
		fe.Addf("paymentID", "%d is not a HelloAsso payment id", paymentID)
	}
	if p.Amount < 0 {
		fe.Addf("Amount", "must not be negative, got %d", p.Amount)
	}
	check.Prose(&fe, "Comment", p.Comment, check.MaxReason)
	if err := fe.Err(payments.HelloAsso, op); err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.Amount > 0 {
		q.Set("amount", strconv.FormatInt(p.Amount, 10))
	}
	if p.Comment != "" {
		q.Set("comment", p.Comment)
	}
	if p.CancelOrder {
		q.Set("cancelOrder", "true")
	}
	q.Set("sendRefundMail", strconv.FormatBool(p.SendRefundMail))
	var out RefundOperation
	resp, err := c.do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Route: "/v5/payments/{paymentId}/refund",
		Path: "/v5/payments/" + strconv.FormatInt(paymentID, 10) + "/refund", Query: q,
		Check: func(resp *httpx.Response) error {
			switch {
			case out.ID <= 0:
				return c.http.Malformed(op, resp, "the answer has no refund id: the refund may have been made; read the payment before trying again", nil)
			case out.PaymentID != 0 && out.PaymentID != paymentID:
				return c.http.Integrity(op, resp, fmt.Sprintf("refunded payment %d, HelloAsso answered about payment %d: read the payment before trying again",
					paymentID, out.PaymentID))
			}
			return nil
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Raw
	return &out, nil
}

// CancelOrder cancels an order's future instalments:
// POST /v5/orders/{id}/cancel. It refunds nothing.
func (c *Client) CancelOrder(ctx context.Context, orderID int64) error {
	const op = "cancel order"
	if err := positive(op, "orderID", orderID); err != nil {
		return err
	}
	_, err := c.do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Route: "/v5/orders/{orderId}/cancel",
		Path: "/v5/orders/" + strconv.FormatInt(orderID, 10) + "/cancel",
	}, nil)
	return err
}

// do sends req through the HTTP layer with a token slot in ctx, so that a
// 401 discards exactly the token this call sent.
func (c *Client) do(ctx context.Context, req *httpx.Request, out any) (*httpx.Response, error) {
	return c.http.Do(withTokenSlot(ctx), req, out)
}

// same checks that an answer about the resource what asked by id is about
// it: no id is a malformed answer, another id an integrity error.
func (c *Client) same(op string, resp *httpx.Response, what string, asked, got int64) error {
	switch {
	case got == 0:
		return c.http.Malformed(op, resp, "the answer has no "+what+" id", nil)
	case got != asked:
		return c.http.Integrity(op, resp, fmt.Sprintf("asked for %s %d, HelloAsso answered about %s %d", what, asked, what, got))
	}
	return nil
}

// positive refuses an id of the typed API that HelloAsso cannot have given
// (they are positive numbers), before anything is sent.
func positive(op, field string, id int64) error {
	if id > 0 {
		return nil
	}
	return check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: field, Message: fmt.Sprintf("%d is not a HelloAsso id", id)})
}

// intentPath returns the path of checkout intent id, in one allocation.
func (c *Client) intentPath(id int64) string {
	var b [128]byte
	p := append(append(b[:0], c.intentsPath...), '/')
	return string(strconv.AppendInt(p, id, 10))
}

// errorBody is every error shape HelloAsso is known to send: its own
// {"errors":[{"code","message"}]}, ASP.NET's validation problem
// {"title","errors":{"field":["…"]}}, plain {"message"}, and the token
// endpoint's OAuth {"error","error_description"}.
type errorBody struct {
	Errors           json.RawMessage `json:"errors"`
	Title            string          `json:"title"`
	Message          string          `json:"message"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// businessCode finds the numbered code in refund errors such as
// "Code : 113 - The transfer operation cannot be processed…".
var businessCode = regexp.MustCompile(`^\s*Code\s*:\s*(\d+)\s*-`)

// decodeError reads an error answer into e. It never fails: a body it
// cannot read leaves e as httpx made it (kind from the status, raw body).
func decodeError(resp *httpx.Response, e *payments.Error) {
	var b errorBody
	if json.Unmarshal(resp.Body, &b) != nil {
		return
	}
	var msgs []string
	var list []apiError
	var fields map[string][]string
	var plain []string
	switch {
	case json.Unmarshal(b.Errors, &list) == nil && len(list) > 0:
		for _, x := range list {
			if e.Code == "" {
				e.Code = x.Code
			}
			if x.Message != "" {
				msgs = append(msgs, x.Message)
			}
		}
	case json.Unmarshal(b.Errors, &fields) == nil && len(fields) > 0:
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			for _, m := range fields[f] {
				e.Fields = append(e.Fields, payments.FieldError{Field: goPath(f), ProviderField: f, Message: m})
			}
		}
	case json.Unmarshal(b.Errors, &plain) == nil:
		msgs = append(msgs, plain...)
	}
	if b.Error != "" {
		e.Code = b.Error
		e.Kind = oauthKind(b.Error)
		msgs = append(msgs, b.ErrorDescription)
	}
	if b.Message != "" {
		msgs = append(msgs, b.Message)
	}
	if len(msgs) == 0 && b.Title != "" {
		msgs = append(msgs, b.Title)
	}
	e.Message = strings.Join(nonEmpty(msgs), "; ")
	refineKind(e)
}

// goPaths maps HelloAsso's names for the checkout-intent fields
// (InitCheckoutBody, lower-cased, without the "$." some validators prefix)
// to the Go path of the field in the merchant's payments.CreateRequest.
var goPaths = map[string]string{
	"totalamount":               "Amount",
	"initialamount":             "Options.InitialAmount",
	"itemname":                  "Options.ItemName",
	"backurl":                   "CancelURL",
	"errorurl":                  "ErrorURL",
	"returnurl":                 "ReturnURL",
	"containsdonation":          "Options.ContainsDonation",
	"terms":                     "Options.Terms",
	"metadata":                  "Metadata",
	"payer":                     "Customer",
	"payer.firstname":           "Customer.FirstName",
	"payer.lastname":            "Customer.LastName",
	"payer.email":               "Customer.Email",
	"payer.dateofbirth":         "Customer.DateOfBirth",
	"payer.companyname":         "Customer.CompanyName",
	"paymentoptions":            "Options.EnableSepa",
	"paymentoptions.enablesepa": "Options.EnableSepa",
}

// payerAddress maps the payer's address fields to the Address field they
// come from; which address (billing or delivery) only Create knows.
var payerAddress = map[string]string{
	"payer.address": ".Line1", "payer.city": ".City", "payer.zipcode": ".ZipCode", "payer.country": ".Country",
}

// termField reads "terms[1].date" and the like.
var termField = regexp.MustCompile(`^terms\[(\d+)\]\.(amount|date)$`)

// goPath returns the Go path of the field HelloAsso names f, or f itself
// when it is not a field the library sets.
func goPath(f string) string {
	key := strings.ToLower(strings.TrimPrefix(f, "$."))
	if p, ok := goPaths[key]; ok {
		return p
	}
	if m := termField.FindStringSubmatch(key); m != nil {
		return "Options.Terms[" + m[1] + "]." + strings.ToUpper(m[2][:1]) + m[2][1:]
	}
	return f
}

// addressFields names the payer's address fields in err (a refused
// checkout intent) after the address Create took them from.
func addressFields(err error, cu *payments.Customer) {
	var perr *payments.Error
	if cu == nil || !errors.As(err, &perr) {
		return
	}
	field := "Customer.BillingAddress"
	if cu.BillingAddress == nil {
		field = "Customer.DeliveryAddress"
	}
	for i, f := range perr.Fields {
		if suffix, ok := payerAddress[strings.ToLower(strings.TrimPrefix(f.ProviderField, "$."))]; ok && f.Field == f.ProviderField {
			perr.Fields[i].Field = field + suffix
		}
	}
}

// refineKind adjusts the kind httpx derived from the status where
// HelloAsso's code says more.
func refineKind(e *payments.Error) {
	if strings.HasPrefix(e.Code, "AuthorizationErrors.") {
		// A refund needing multi-factor authentication (409), or a user
		// not enrolled in it.
		e.Kind = payments.ErrPermission
		return
	}
	if m := businessCode.FindStringSubmatch(e.Message); m != nil {
		switch m[1] {
		case "112", // an operation of the same type is being processed
			"113", // the payment is not authorised
			"119": // the operation is in a bad state
			e.Kind = payments.ErrConflict
		case "101": // payment not found
			e.Kind = payments.ErrNotFound
		}
	}
}

// oauthKind classifies the token endpoint's OAuth error codes (RFC 6749).
func oauthKind(code string) payments.Kind {
	switch code {
	case "invalid_client", "invalid_grant", "invalid_token":
		return payments.ErrAuthentication
	case "unauthorized_client", "access_denied", "invalid_scope", "insufficient_scope":
		return payments.ErrPermission
	case "temporarily_unavailable", "server_error":
		return payments.ErrUnavailable
	case "slow_down":
		return payments.ErrRateLimited
	}
	return payments.ErrInvalidRequest
}

func nonEmpty(s []string) []string {
	out := s[:0]
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}
