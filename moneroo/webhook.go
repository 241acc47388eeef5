package moneroo

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// ParseWebhook checks a Moneroo webhook delivery and decodes it. The
// X-Moneroo-Signature header must be the lowercase hex HMAC-SHA256 of the
// raw body keyed with Config.WebhookSecret (compared in constant time);
// anything else, or no WebhookSecret, is ErrInvalidSignature. Pass the body
// exactly as received: re-encoded JSON does not match.
//
// Event.Type is Moneroo's event ("payment.success", "payout.failed", …) and
// Event.Status the state it claims, a hint only: Moneroo's payload is
// partial, so call Verify. Moneroo sends no event id: Event.ID is
// "<event>:<data.id>:<data.status>", the same for every redelivery of one
// notification.
//
// PaymentID is the payment for payment.* events. For payout.* events it is
// the payment a refund's payout pays back, when known: with
// Config.RefundByPayout, ParseWebhook reads the payout
// (GET /v1/payouts/{id}/verify), moves the refund its metadata names (or
// the ledger links to it) to the payout's state, and returns the payout's
// state as Status; a refund that stayed reserved is settled this way. A
// payout that pays no refund of the ledger comes out with the PaymentID
// its metadata names, if any; one Moneroo does not know (404), without. When the payout cannot be read or the ledger
// cannot be written, the delivery is refused (an ErrUnavailable error), so
// that Moneroo delivers it again.
func (c *Client) ParseWebhook(header http.Header, body []byte) (*payments.Event, error) {
	const op = "parse webhook"
	if c.cfg.WebhookSecret == "" {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "no Config.WebhookSecret: cannot check the signature"}
	}
	got := strings.TrimSpace(header.Get(SignatureHeader))
	if got == "" {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "no " + SignatureHeader + " header"}
	}
	// The docs show bare hex; a "sha256=" prefix, as other providers send,
	// is tolerated.
	got = strings.TrimPrefix(got, "sha256=")
	if !hmac.Equal([]byte(got), []byte(sign(c.cfg.WebhookSecret, body))) {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "the " + SignatureHeader + " header does not match the body"}
	}

	var ev webhookEvent
	if !ev.readEvent(body) { // answer.go: one pass, or encoding/json
		ev = webhookEvent{}
		if err := json.Unmarshal(body, &ev); err != nil {
			return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidRequest,
				Message: "the body is not a Moneroo event: " + err.Error(), Err: err}
		}
	}
	id, status := string(ev.Data.ID), string(ev.Data.Status)
	if ev.Event == "" || id == "" {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the event has no event name or no data.id"}
	}
	claimed := status
	if claimed == "" {
		// payment.success without data.status still says success.
		_, claimed, _ = strings.Cut(ev.Event, ".")
	}
	out := &payments.Event{
		Provider: payments.Moneroo,
		ID:       ev.Event + ":" + id + ":" + status,
		Type:     ev.Event,
		Status:   mapStatus(claimed),
		Verified: true,
		Raw:      json.RawMessage(body),
	}
	switch {
	case strings.HasPrefix(ev.Event, "payment."):
		out.PaymentID = id
	case strings.HasPrefix(ev.Event, "payout."):
		// Moneroo's example carries no metadata; a delivery that does
		// names the payment a refund's payout pays back.
		var md Metadata
		if md.UnmarshalJSON(ev.Data.Metadata) == nil {
			out.PaymentID = md[PaymentMetadataKey]
		}
		if c.ledger == nil {
			break
		}
		// Settle the refund the payout pays, from the payout as Moneroo
		// reports it (the delivery is partial), within Moneroo's 3 seconds.
		ctx, cancel := context.WithTimeout(context.Background(), payoutWebhookTimeout)
		defer cancel()
		pid, p, err := c.settlePayout(ctx, op, id)
		if errors.Is(err, payments.ErrNotFound) {
			break // a payout Moneroo does not know (another app's, or gone): no refund of ours
		}
		if err != nil {
			var perr *payments.Error
			if errors.As(err, &perr) {
				if errors.Is(err, payments.ErrUnavailable) || errors.Is(err, payments.ErrRateLimited) {
					perr.Message = "payout " + id + "'s refund could not be settled now; refused so that Moneroo delivers the event again: " + perr.Message
				} else {
					perr.Message = "payout " + id + "'s refund cannot be settled: " + perr.Message
				}
			}
			return nil, err
		}
		if pid != "" {
			out.PaymentID = pid
		}
		out.Status = p.PayoutStatus()
	}
	return out, nil
}

// payoutWebhookTimeout bounds what ParseWebhook spends reading a payout
// and settling its refund: Moneroo counts a delivery not answered 200
// within 3 seconds as failed.
const payoutWebhookTimeout = 2500 * time.Millisecond

// ParseReturn reads the query Moneroo adds to the ReturnURL. The docs name
// the parameters paymentId and paymentStatus in one edition and
// monerooPaymentId and monerooPaymentStatus in another; both are read, the
// moneroo* ones first. A missing id, or one that cannot be a payment id
// (see Verify), is an ErrInvalidRequest error naming the parameter. The
// status is a claim, never proof: call Verify.
func (c *Client) ParseReturn(q url.Values) (*payments.Return, error) {
	name, id := firstOf(q, "monerooPaymentId", "paymentId")
	if id == "" {
		return nil, check.InvalidRequest(payments.Moneroo, "parse return", payments.FieldError{
			Field: "paymentId", Message: "the return URL names no Moneroo payment (monerooPaymentId or paymentId)"})
	}
	var fe check.FieldErrors
	check.ID(&fe, name, id)
	if err := fe.Err(payments.Moneroo, "parse return"); err != nil {
		return nil, err
	}
	_, status := firstOf(q, "monerooPaymentStatus", "paymentStatus")
	return &payments.Return{
		Provider:      payments.Moneroo,
		PaymentID:     id,
		ClaimedStatus: mapStatus(status),
		Query:         q,
	}, nil
}

// firstOf returns the first of the named parameters that has a value, and
// that value.
func firstOf(q url.Values, names ...string) (name, value string) {
	for _, n := range names {
		if v := strings.TrimSpace(q.Get(n)); v != "" {
			return n, v
		}
	}
	return "", ""
}

// sign returns the lowercase hex HMAC-SHA256 of body keyed with secret.
func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// RefusalStatus is the status payments.WebhookHandler answers a delivery
// ParseWebhook refused with err: 403 for a missing or wrong signature, as
// Moneroo's webhook guide asks, 400 for anything else.
func (c *Client) RefusalStatus(err error) int {
	if errors.Is(err, payments.ErrInvalidSignature) {
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
