package helloasso

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// SignatureHeader carries a notification's signature: the lowercase hex
// HMAC-SHA256 of the raw body, keyed with the partner's signature key.
const SignatureHeader = "X-Ha-Signature"

// The notification types.
const (
	EventOrder        = "Order"        // an order was made; data is an Order
	EventPayment      = "Payment"      // a payment was made, refunded or refused; data is a PaymentDetail
	EventForm         = "Form"         // a form was created
	EventOrganization = "Organization" // the organization's slug changed
)

// ParseWebhook implements payments.WebhookParser for HelloAsso's
// notifications. With a Config.SignatureKey it requires a valid
// x-ha-signature over the raw body and returns Verified events; without one
// (HelloAsso signs for partners only) it returns Verified false, and the
// event is only a hint to call Verify. Either way, verify before acting.
//
// For Order and Payment events, PaymentID is the checkout intent's id when
// the notification names it, and Status is what the event's payments say.
// HelloAsso's Order notifications name the checkout intent; its Payment
// notifications may not (its own example does not): PaymentID is then
// empty, and Reference is the CreateRequest.Reference that Create stored in
// the intent's metadata (ReadEvent gives the rest), while
// Client.ResolvePaymentID asks HelloAsso which checkout intent the order
// came from. HelloAsso sends no event id: ID is
// empty, and payments.WebhookHandler recognises redeliveries by their body.
func (c *Client) ParseWebhook(header http.Header, body []byte) (*payments.Event, error) {
	const op = "parse webhook"
	verified := false
	if key := c.cfg.SignatureKey; key != "" {
		got, err := hex.DecodeString(strings.TrimSpace(header.Get(SignatureHeader)))
		if err != nil || len(got) != sha256.Size {
			return nil, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidSignature,
				Message: "missing or malformed " + SignatureHeader + " header"}
		}
		mac := hmac.New(sha256.New, []byte(key))
		mac.Write(body)
		if !hmac.Equal(got, mac.Sum(nil)) {
			return nil, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidSignature,
				Message: "the " + SignatureHeader + " signature does not match the body"}
		}
		verified = true
	}
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil || n.EventType == "" {
		return nil, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the body is not a HelloAsso notification", Err: err}
	}
	d, status, err := readNotification(op, &n)
	if err != nil {
		return nil, err
	}
	return &payments.Event{
		Provider:  payments.HelloAsso,
		Type:      n.EventType,
		PaymentID: d.CheckoutIntentID,
		Reference: d.Reference,
		Status:    status,
		Verified:  verified,
		Raw:       json.RawMessage(body),
	}, nil
}

func badData(op, eventType string, err error) error {
	return &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
		Message: "the " + eventType + " notification's data is not " + article(eventType), Err: err}
}

func article(eventType string) string {
	if eventType == EventOrder {
		return "an order"
	}
	return "a payment"
}

func intentID(id *int64) string {
	if id == nil || *id <= 0 {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// ParseReturn implements payments.ReturnParser. HelloAsso sends the payer
// back to the return URL with checkoutIntentId, code (succeeded or refused)
// and orderId, or to the error URL with checkoutIntentId and, when it knows
// it, error. None of it is signed: PaymentID says which checkout to Verify,
// and ClaimedStatus is what the URL claims, nothing more.
func (c *Client) ParseReturn(q url.Values) (*payments.Return, error) {
	const op = "parse return"
	raw := q.Get("checkoutIntentId")
	if raw == "" {
		return nil, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "checkoutIntentId",
			Message: "is missing: this is not a HelloAsso return"})
	}
	id, err := parseID(op, "checkoutIntentId", raw)
	if err != nil {
		return nil, err
	}
	claimed := payments.StatusPending
	switch {
	case q.Has("error"):
		claimed = payments.StatusFailed
	case q.Get("code") == "succeeded":
		claimed = payments.StatusSucceeded
	case q.Get("code") == "refused":
		claimed = payments.StatusFailed
	case q.Get("code") != "":
		claimed = payments.StatusUnknown
	}
	return &payments.Return{
		Provider:      payments.HelloAsso,
		PaymentID:     strconv.FormatInt(id, 10),
		ClaimedStatus: claimed,
		Query:         q,
	}, nil
}
