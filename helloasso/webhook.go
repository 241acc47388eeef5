package helloasso

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"hash"
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
	if c.cfg.SignatureKey != "" {
		if err := c.checkSignature(op, header.Get(SignatureHeader), body); err != nil {
			return nil, err
		}
		verified = true
	}
	d, status, err := readNotification[referenceOnly](op, body)
	if err != nil {
		return nil, err
	}
	return &payments.Event{
		Provider:  payments.HelloAsso,
		Type:      d.EventType,
		PaymentID: d.CheckoutIntentID,
		Reference: d.Reference,
		Status:    status,
		Verified:  verified,
		Raw:       json.RawMessage(body),
	}, nil
}

// signer is an HMAC-SHA256 keyed with the signature key, and room for its
// sum: kept in a pool, so that checking a signature allocates nothing.
type signer struct {
	mac hash.Hash
	sum [sha256.Size]byte
}

// checkSignature checks that sig, an x-ha-signature header, is the hex
// HMAC-SHA256 of body under the signature key.
func (c *Client) checkSignature(op, sig string, body []byte) error {
	var want [sha256.Size]byte
	if !decodeHex(want[:], strings.TrimSpace(sig)) {
		return &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "missing or malformed " + SignatureHeader + " header"}
	}
	s := c.signers.Get().(*signer)
	defer c.signers.Put(s)
	s.mac.Reset()
	s.mac.Write(body)
	if !hmac.Equal(want[:], s.mac.Sum(s.sum[:0])) {
		return &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "the " + SignatureHeader + " signature does not match the body"}
	}
	return nil
}

// decodeHex decodes s, hex in either case, into dst, which it must fill
// exactly.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, ok1 := fromHex(s[2*i])
		lo, ok2 := fromHex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
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

// intentID returns a checkout intent id as Verify takes it, "" for none.
func intentID(id *int64) string {
	if id == nil {
		return ""
	}
	return idText(*id)
}

// idText returns a positive id as text, "" for any other.
func idText(id int64) string {
	if id <= 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
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
