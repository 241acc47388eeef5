package helloasso

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// This file declares what the payments.Checkout side of the adapter reads of
// HelloAsso's answers and notifications: only the fields it uses, decoded in
// one pass. The typed API (wire.go) decodes everything HelloAsso documents;
// Verify, Refund and ParseWebhook need a fraction of it, and every string,
// date and nested object they skip is an allocation saved per call.

// intentView is what Verify, RedirectURL and Refund read of a checkout
// intent.
type intentView struct {
	ID          int64  `json:"id"`
	RedirectURL string `json:"redirectUrl"`
	// Metadata is what the adapter sends, strings; readIntent reads other
	// metadata again, as their JSON text.
	Metadata map[string]string `json:"metadata"`
	Order    *orderView        `json:"order"`
	Raw      []byte            `json:"-"` // the response body, scrubbed
}

// orderView is what the adapter reads of an order.
type orderView struct {
	ID               int64     `json:"id"`
	Date             Timestamp `json:"date"`
	CheckoutIntentID int64     `json:"checkoutIntentId"` // 0 when absent or null
	// Meta is a value, not a pointer: absent or null, it reads as zero
	// times, which is what the adapter makes of a missing meta, without an
	// allocation per read.
	Meta     Meta          `json:"meta"`
	Amount   OrderAmount   `json:"amount"`
	Payments []paymentView `json:"payments"`
}

// paymentView is what the adapter reads of a payment.
type paymentView struct {
	ID                int64        `json:"id"`
	Amount            int64        `json:"amount"` // cents
	PaymentMeans      string       `json:"paymentMeans"`
	InstallmentNumber int          `json:"installmentNumber"`
	State             string       `json:"state"`
	RefundOperations  []refundView `json:"refundOperations"`
}

// refundView is what the adapter reads of a refund listed in a payment.
type refundView struct {
	Amount int64  `json:"amount"` // cents; 0 means the whole payment
	Status string `json:"status"`
}

// viewOfOrder returns what the adapter reads of a full order (GetOrder's).
func viewOfOrder(o *Order) *orderView {
	var intent int64
	if o.CheckoutIntentID != nil {
		intent = *o.CheckoutIntentID
	}
	v := &orderView{ID: o.ID, Date: o.Date, CheckoutIntentID: intent, Amount: o.Amount, Payments: viewOfPayments(o.Payments)}
	if o.Meta != nil {
		v.Meta = *o.Meta
	}
	return v
}

// viewOfPayments returns what the adapter reads of full payments.
func viewOfPayments(ps []OrderPayment) []paymentView {
	if ps == nil {
		return nil
	}
	out := make([]paymentView, len(ps))
	for i, p := range ps {
		out[i] = paymentView{ID: p.ID, Amount: p.Amount, PaymentMeans: p.PaymentMeans, InstallmentNumber: p.InstallmentNumber, State: p.State}
		if p.RefundOperations != nil {
			out[i].RefundOperations = make([]refundView, len(p.RefundOperations))
			for j, r := range p.RefundOperations {
				out[i].RefundOperations[j] = refundView{Amount: r.Amount, Status: r.Status}
			}
		}
	}
	return out
}

// metadata is a checkout intent's metadata as the adapter sent it: the
// merchant's Reference under "reference", the rest as Metadata. It reads
// any JSON without failing: metadata set by other code may hold anything.
type metadata struct {
	reference string
	rest      map[string]string
}

// UnmarshalJSON implements json.Unmarshaler.
func (m *metadata) UnmarshalJSON(b []byte) error {
	m.reference, m.rest = splitMetadata(b)
	return nil
}

// splitMetadata reads the metadata the adapter sent: the merchant's
// Reference under "reference", the rest as Metadata. Values that are not
// strings (metadata set by other code) are kept as their JSON text.
func splitMetadata(raw []byte) (string, map[string]string) {
	if len(raw) == 0 || raw[0] != '{' {
		return "", nil
	}
	// What the adapter sends: an object of strings, read in one pass.
	var m map[string]string
	if json.Unmarshal(raw, &m) != nil {
		var loose map[string]json.RawMessage
		if json.Unmarshal(raw, &loose) != nil {
			return "", nil
		}
		m = make(map[string]string, len(loose))
		for k, v := range loose {
			m[k] = jsonText(v)
		}
	}
	ref := m[referenceKey]
	delete(m, referenceKey)
	if len(m) == 0 {
		m = nil
	}
	return ref, m
}

// jsonText returns a JSON string's value, or the JSON text of any other value.
func jsonText(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1])
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return string(v)
	}
	return s
}

// eventData is what the adapter reads of an Order or a Payment
// notification's data, both in one shape: the fields of an order (payments,
// checkoutIntentId) and of a payment (state, order) do not collide, but for
// amount (an object in an order, cents in a payment).
type eventData struct {
	ID                int64         `json:"id"`
	FormType          string        `json:"formType"`
	CheckoutIntentID  int64         `json:"checkoutIntentId"` // 0 when absent or null
	Payments          []paymentView `json:"payments"`
	Amount            cents         `json:"amount"`
	InstallmentNumber int           `json:"installmentNumber"`
	State             string        `json:"state"`
	RefundOperations  []refundView  `json:"refundOperations"`
	Order             *eventOrder   `json:"order"`
}

// eventOrder is what the adapter reads of a Payment notification's order.
type eventOrder struct {
	ID               int64  `json:"id"`
	FormType         string `json:"formType"`
	CheckoutIntentID int64  `json:"checkoutIntentId"`
}

// cents reads a payment's amount (a number of cents) and ignores an order's
// (an object): eventData holds both.
type cents int64

// UnmarshalJSON implements json.Unmarshaler.
func (c *cents) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] == '{' || b[0] == 'n' {
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errNotCents
	}
	*c = cents(n)
	return nil
}

var errNotCents = errors.New("helloasso: a payment's amount is not a number of cents")

// notificationIn is a notification as ParseWebhook and ReadEvent read it,
// in one pass; M is how much of the metadata they read.
type notificationIn[M referenceOnly | metadata] struct {
	EventType string     `json:"eventType"`
	Data      *eventData `json:"data"` // nil when absent or null
	Metadata  M          `json:"metadata"`
}

// referenceOnly is the part of the metadata ParseWebhook reads: the
// merchant's Reference, which Create keeps under "reference".
type referenceOnly struct {
	Reference json.RawMessage `json:"reference"`
}

// reference returns the Reference, as splitMetadata reads it.
func (r referenceOnly) reference() string {
	if len(r.Reference) == 0 {
		return ""
	}
	return jsonText(r.Reference)
}
