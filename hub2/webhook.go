package hub2

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// SignatureHeader is the header Hub2 signs webhook deliveries in:
// "s1=<hex>,s0=<hex>", s1 with the current secret and, for 24 hours after a
// rotation, s0 with the previous one.
const SignatureHeader = "Hub2-Signature"

// ParseWebhook checks a delivery's Hub2-Signature against the raw body and
// decodes the event. The signature is the lowercase hex HMAC-SHA256 of the
// body; a delivery passes when any of Config.WebhookSecrets matches s1 or s0,
// so that both sides of a secret rotation are accepted.
//
// Hub2 sends no event id, so Event.ID is derived from what identifies a state
// change: "<type>:<data.id>:<data.status>", such as
// "payment_intent.succeeded:pi_…:successful". Hub2 may deliver intermediate
// states (pending, action_required) more than once; WebhookHandler drops the
// repeats by this ID.
//
// Event.PaymentID is the intent id (what Verify takes): data.id for
// payment_intent.* events, data.intentId for payment.* events. A transfer.*
// event (a payout) names a payment only when the transfer is a refund's
// (Client.Refund, whose reference is "refund.<payment>.<refund>"): then
// PaymentID is the refunded payment, and Event.Status the transfer's status
// (StatusProcessing while created, pending or processing, StatusSucceeded,
// StatusFailed), not the payment's: Event.Type tells them apart. Pass such
// an event to SettleTransferEvent to record it in the refund ledger. Other
// transfers' events have no PaymentID; their id is in Event.ID and Raw.
func (c *Client) ParseWebhook(header http.Header, body []byte) (*payments.Event, error) {
	const op = "parse webhook"
	if len(c.webhookSecrets) == 0 {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "no webhook secret is configured (Config.WebhookSecrets)"}
	}
	if !c.signedBy(header.Get(SignatureHeader), body) {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidSignature,
			Message: "the " + SignatureHeader + " header is missing or matches no configured secret"}
	}
	var env webhookEnvelope
	if !env.readAnswer(body) { // readview.go: one pass, or encoding/json
		env.reset()
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidRequest,
				Message: "the body is not a Hub2 event: " + err.Error(), Err: err}
		}
	}
	family, _, _ := strings.Cut(env.Type, ".")
	if env.Data.ID == "" || !strings.Contains(env.Type, ".") ||
		family != "payment" && family != "payment_intent" && family != "transfer" {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the body is not a Hub2 payment, payment_intent or transfer event"}
	}
	ev := &payments.Event{
		Provider: payments.Hub2,
		ID:       env.Type + ":" + env.Data.ID + ":" + env.Data.Status,
		Type:     env.Type,
		Status:   intentStatus(env.Data.Status),
		Verified: true,
		Raw:      json.RawMessage(body),
	}
	switch family {
	case "payment_intent":
		ev.PaymentID = env.Data.ID
	case "payment":
		ev.PaymentID = env.Data.IntentID
	case "transfer":
		if paymentID, _, ok := parseRefundReference(env.Data.Reference); ok {
			ev.PaymentID = paymentID
		}
	}
	return ev, nil
}

// signedBy reports whether a value of the Hub2-Signature header holds a
// signature of body by one of the configured secrets.
func (c *Client) signedBy(header string, body []byte) bool {
	// Room for s1 and s0 without allocating; a header with more grows it.
	sigs := make([][sha256.Size]byte, 0, 2)
	for part := range strings.SplitSeq(header, ",") {
		name, value, ok := strings.Cut(part, "=")
		if name = strings.TrimSpace(name); !ok || (name != "s1" && name != "s0") {
			continue
		}
		if sig, ok := decodeSignature(strings.TrimSpace(value)); ok {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return false
	}
	for _, secret := range c.webhookSecrets {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		want := mac.Sum(nil)
		for i := range sigs {
			if hmac.Equal(sigs[i][:], want) {
				return true
			}
		}
	}
	return false
}

// decodeSignature reads a signature of the Hub2-Signature header: the hex
// of a SHA-256 HMAC, in either case, as hex.DecodeString would, but into an
// array rather than a new slice.
func decodeSignature(s string) (sig [sha256.Size]byte, ok bool) {
	if len(s) != hex.EncodedLen(sha256.Size) {
		return sig, false
	}
	for i := range sig {
		hi, ok1 := fromHex(s[2*i])
		lo, ok2 := fromHex(s[2*i+1])
		if !ok1 || !ok2 {
			return sig, false
		}
		sig[i] = hi<<4 | lo
	}
	return sig, true
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

// ParseReturn reads the query of the URL the customer's browser came back to
// after a redirection flow. Hub2 adds no parameters of its own, so the
// adapter puts them in the URLs it gives Hub2: hub2_intent (the intent id,
// Return.PaymentID) and hub2_outcome, the URL the customer came through.
// Wave's "success" claims StatusSucceeded and its "failed" StatusFailed; the
// other flows' "finish" claims StatusProcessing and "cancel"
// StatusCanceled. None is proof of anything (whether Hub2 has settled the
// payment when Wave sends the customer back is not documented): call Verify.
// An id that could not be an intent's ("..", "a/b", more than 128 bytes) is
// ErrInvalidRequest, naming hub2_intent.
func (c *Client) ParseReturn(q url.Values) (*payments.Return, error) {
	id := q.Get(ReturnIntentParam)
	if id == "" {
		return nil, check.InvalidRequest(payments.Hub2, "parse return",
			payments.FieldError{Field: ReturnIntentParam, Message: "is missing: the return URL does not come from a Hub2 checkout"})
	}
	// Whoever typed the URL chose the id: refuse one that could not be put
	// in Verify's path as it is.
	var fe check.FieldErrors
	check.ID(&fe, ReturnIntentParam, id)
	if err := fe.Err(payments.Hub2, "parse return"); err != nil {
		return nil, err
	}
	r := &payments.Return{Provider: payments.Hub2, PaymentID: id, ClaimedStatus: payments.StatusUnknown, Query: q}
	switch q.Get(ReturnOutcomeParam) {
	case outcomeSuccess:
		r.ClaimedStatus = payments.StatusSucceeded
	case outcomeFailed:
		r.ClaimedStatus = payments.StatusFailed
	case outcomeFinish:
		r.ClaimedStatus = payments.StatusProcessing
	case outcomeCancel:
		r.ClaimedStatus = payments.StatusCanceled
	}
	return r, nil
}
