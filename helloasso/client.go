package helloasso

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/httpx"
)

// This file is HelloAsso's own API, one method per operation. Each hands
// its request to internal/httpx, which authenticates it, retries it where
// that is safe, and turns every failure into a *payments.Error.

// CreateCheckoutIntent opens a checkout intent:
// POST /v5/organizations/{slug}/checkout-intents. It sends body as it is;
// Create is the checked way in, which validates a payments.CreateRequest
// first. The intent's RedirectURL works for 15 minutes.
func (c *Client) CreateCheckoutIntent(ctx context.Context, body *CheckoutIntentRequest) (*CheckoutIntentCreated, error) {
	var out CheckoutIntentCreated
	resp, err := c.do(ctx, &httpx.Request{
		Op: "create checkout intent", Method: http.MethodPost,
		Path: c.orgPath("/checkout-intents"), Route: orgRoute + "/checkout-intents", JSON: body,
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Body
	return &out, nil
}

// GetCheckoutIntent reads a checkout intent, with its order once the payer
// has paid: GET /v5/organizations/{slug}/checkout-intents/{id}.
func (c *Client) GetCheckoutIntent(ctx context.Context, id int64) (*CheckoutIntent, error) {
	var out CheckoutIntent
	resp, err := c.do(ctx, &httpx.Request{
		Op: "get checkout intent", Path: c.orgPath("/checkout-intents/" + strconv.FormatInt(id, 10)),
		Route: orgRoute + "/checkout-intents/{checkoutIntentId}",
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Body
	return &out, nil
}

// GetOrder reads an order: GET /v5/orders/{id}.
func (c *Client) GetOrder(ctx context.Context, id int64) (*Order, error) {
	var out Order
	resp, err := c.do(ctx, &httpx.Request{Op: "get order", Path: "/v5/orders/" + strconv.FormatInt(id, 10), Route: "/v5/orders/{orderId}"}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Body
	return &out, nil
}

// GetPayment reads a payment: GET /v5/payments/{id}.
func (c *Client) GetPayment(ctx context.Context, id int64) (*PaymentDetail, error) {
	var out PaymentDetail
	resp, err := c.do(ctx, &httpx.Request{Op: "get payment", Path: "/v5/payments/" + strconv.FormatInt(id, 10), Route: "/v5/payments/{paymentId}"}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Body
	return &out, nil
}

// RefundParams are the parameters of a refund, sent in the query string.
type RefundParams struct {
	// Amount is the amount to refund in cents; 0 refunds the whole payment.
	// HelloAsso marks partial refunds as beta.
	Amount int64
	// Comment is the reason, kept with the refund.
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
// It is never retried once it may have reached HelloAsso.
func (c *Client) RefundPayment(ctx context.Context, paymentID int64, p RefundParams) (*RefundOperation, error) {
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
		Op: "refund payment", Method: http.MethodPost,
		Path: "/v5/payments/" + strconv.FormatInt(paymentID, 10) + "/refund", Query: q,
		Route: "/v5/payments/{paymentId}/refund",
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = resp.Body
	return &out, nil
}

// CancelOrder cancels an order's future instalments:
// POST /v5/orders/{id}/cancel. It refunds nothing.
func (c *Client) CancelOrder(ctx context.Context, orderID int64) error {
	_, err := c.do(ctx, &httpx.Request{
		Op: "cancel order", Method: http.MethodPost,
		Path:  "/v5/orders/" + strconv.FormatInt(orderID, 10) + "/cancel",
		Route: "/v5/orders/{orderId}/cancel",
	}, nil)
	return err
}

// do sends req through the HTTP layer with a token slot in ctx, so that a
// 401 discards exactly the token this call sent.
func (c *Client) do(ctx context.Context, req *httpx.Request, out any) (*httpx.Response, error) {
	return c.http.Do(withTokenSlot(ctx), req, out)
}

// orgRoute is orgPath's prefix as a URL template, for observers: the
// organization's slug names the merchant, so it stays out of traces too.
const orgRoute = "/v5/organizations/{organizationSlug}"

// orgPath returns the path of an organization resource.
func (c *Client) orgPath(rest string) string {
	return "/v5/organizations/" + url.PathEscape(c.cfg.OrganizationSlug) + rest
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
				e.Fields = append(e.Fields, payments.FieldError{Field: f, Message: m})
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
