package helloasso

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// EventDetails is what a HelloAsso notification says about the checkout it
// concerns, beyond what payments.Event carries. ReadEvent returns it.
//
// HelloAsso's Order notifications name the checkout intent; its Payment
// notifications may not (its own example has no order.checkoutIntentId):
// then Reference, which Create stored in the intent's metadata, or
// Client.ResolvePaymentID, which asks HelloAsso for the order, leads to the
// payment to verify.
type EventDetails struct {
	// EventType is EventOrder, EventPayment, EventForm or EventOrganization.
	EventType string
	// CheckoutIntentID is the checkout intent the notification names, as
	// Verify takes it (the event's PaymentID); empty when it names none.
	CheckoutIntentID string
	// Reference is the CreateRequest.Reference of the checkout: Create keeps
	// it in the intent's metadata under "reference", and HelloAsso sends
	// that metadata back with each notification about the checkout. Find
	// the order with this reference and verify the Session.ID stored with
	// it (each one, if the order had several checkouts). Empty when the
	// checkout was not created by this package.
	Reference string
	// Metadata is the rest of the checkout's metadata (CreateRequest.Metadata).
	Metadata map[string]string
	// OrderID is HelloAsso's order: an Order notification's data.id, a
	// Payment notification's data.order.id. Zero for other events.
	OrderID int64
	// HelloAssoPaymentID is HelloAsso's payment in a Payment notification
	// (data.id), as RefundOptions.PaymentID takes it. Zero otherwise.
	HelloAssoPaymentID int64
	// FormType is the order's form type: "Checkout" for a checkout intent's
	// order, another type for HelloAsso's own forms.
	FormType string
}

// ReadEvent returns what the HelloAsso notification ev (from ParseWebhook)
// says about its checkout. It reads ev.Raw and sends nothing.
func ReadEvent(ev *payments.Event) (*EventDetails, error) {
	const op = "read event"
	if ev == nil || ev.Provider != payments.HelloAsso {
		return nil, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "Event", Message: "is not a HelloAsso notification"})
	}
	d, _, err := readNotification[metadata](op, ev.Raw)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// readNotification decodes a notification body in one pass: what it says of
// its checkout, and the status its payments claim. M is how much of the
// metadata it reads: referenceOnly, or metadata for all of it. A body whose
// data is not an order or a payment is still a notification when its event
// type is another (Form, Organization, one HelloAsso adds): its details are
// then only the event type.
func readNotification[M referenceOnly | metadata](op string, body []byte) (EventDetails, payments.Status, error) {
	var n notificationIn[M]
	var err error
	if !n.readAnswer(body) { // readview.go: one pass, or encoding/json
		n = notificationIn[M]{}
		err = json.Unmarshal(body, &n)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field == "metadata" {
		// Metadata that is no object: not the adapter's, and no reason to
		// refuse the notification. Read it again, taking any metadata.
		var loose notificationIn[metadata]
		err = json.Unmarshal(body, &loose)
		n = notificationIn[M]{EventType: loose.EventType, Data: loose.Data}
	}
	if err != nil {
		// Maybe another event type, whose data has another shape.
		var loose Notification
		if lerr := json.Unmarshal(body, &loose); lerr != nil || loose.EventType == "" {
			return EventDetails{}, "", &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
				Message: "the body is not a HelloAsso notification", Err: err}
		}
		if loose.EventType == EventOrder || loose.EventType == EventPayment {
			return EventDetails{}, "", badData(op, loose.EventType, err)
		}
		return EventDetails{EventType: loose.EventType}, "", nil
	}
	if n.EventType == "" {
		return EventDetails{}, "", &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the body is not a HelloAsso notification: it has no eventType"}
	}
	d := EventDetails{EventType: n.EventType}
	var status payments.Status
	data := n.Data
	if data == nil && (n.EventType == EventOrder || n.EventType == EventPayment) {
		return EventDetails{}, "", badData(op, n.EventType, errors.New("the notification has no data"))
	}
	switch n.EventType {
	case EventOrder:
		d.CheckoutIntentID, d.OrderID, d.FormType = idText(data.CheckoutIntentID), data.ID, data.FormType
		status = summarize(data.Payments).status
	case EventPayment:
		d.HelloAssoPaymentID = data.ID
		if o := data.Order; o != nil {
			d.CheckoutIntentID, d.OrderID, d.FormType = idText(o.CheckoutIntentID), o.ID, o.FormType
		}
		one := [1]paymentView{{ID: data.ID, Amount: int64(data.Amount), InstallmentNumber: data.InstallmentNumber,
			State: data.State, RefundOperations: data.RefundOperations}}
		status = summarize(one[:]).status
	default:
		return d, "", nil
	}
	switch m := any(n.Metadata).(type) {
	case referenceOnly:
		d.Reference = m.reference()
	case metadata:
		d.Reference, d.Metadata = m.reference, m.rest
	}
	return d, status, nil
}

// ResolvePaymentID returns the payment (checkout intent) that notification
// ev concerns, as Verify takes it: the one it names, else the one HelloAsso
// records for the order it names (GET /v5/orders/{id}, which needs the
// AccessTransactions privilege organization clients have). It fails with
// ErrInvalidRequest for a notification that names no order (Form,
// Organization), and ErrNotFound when the order did not come from a checkout
// intent of this organization.
//
// The lookup is HelloAsso's answer, so an unsigned notification can make it
// ask about an order, never make it return another one. Verify the result
// before acting, as for any notification.
func (c *Client) ResolvePaymentID(ctx context.Context, ev *payments.Event) (string, error) {
	const op = "resolve payment id"
	d, err := ReadEvent(ev)
	if err != nil {
		return "", err
	}
	if d.CheckoutIntentID != "" {
		return d.CheckoutIntentID, nil
	}
	if d.OrderID <= 0 {
		return "", &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the " + d.EventType + " notification names no order: it is not about a checkout"}
	}
	o, err := c.checkoutOrder(ctx, op, d.OrderID)
	if err != nil {
		return "", err
	}
	id := intentID(o.CheckoutIntentID)
	if id == "" {
		return "", &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrNotFound, Raw: o.Raw,
			Message: fmt.Sprintf("order %d did not come from a checkout intent (form type %q)", o.ID, o.FormType)}
	}
	return id, nil
}

// checkoutOrder reads order id (GetOrder checks that the answer is that
// order) and checks that it is of this client's organization.
func (c *Client) checkoutOrder(ctx context.Context, op string, id int64) (*Order, error) {
	o, err := c.GetOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.OrganizationSlug != "" && !strings.EqualFold(o.OrganizationSlug, c.cfg.OrganizationSlug) {
		return nil, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrNotFound, Raw: o.Raw,
			Message: fmt.Sprintf("order %d belongs to organization %q, not %q", id, o.OrganizationSlug, c.cfg.OrganizationSlug)}
	}
	return o, nil
}
