package helloasso

import (
	"context"
	"encoding/json"
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
	var n Notification
	if err := json.Unmarshal(ev.Raw, &n); err != nil || n.EventType == "" {
		return nil, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrInvalidRequest,
			Message: "the event's body is not a HelloAsso notification", Err: err}
	}
	d, _, err := readNotification(op, &n)
	return d, err
}

// readNotification decodes n's data: what it says of its checkout, and the
// status its payments claim.
func readNotification(op string, n *Notification) (*EventDetails, payments.Status, error) {
	d := &EventDetails{EventType: n.EventType}
	var status payments.Status
	switch n.EventType {
	case EventOrder:
		var o Order
		if err := json.Unmarshal(n.Data, &o); err != nil {
			return nil, "", badData(op, n.EventType, err)
		}
		d.CheckoutIntentID, d.OrderID, d.FormType = intentID(o.CheckoutIntentID), o.ID, o.FormType
		status = summarize(o.Payments).status
	case EventPayment:
		var p PaymentDetail
		if err := json.Unmarshal(n.Data, &p); err != nil {
			return nil, "", badData(op, n.EventType, err)
		}
		d.HelloAssoPaymentID = p.ID
		if p.Order != nil {
			d.CheckoutIntentID, d.OrderID, d.FormType = intentID(p.Order.CheckoutIntentID), p.Order.ID, p.Order.FormType
		}
		status = summarize([]OrderPayment{p.OrderPayment}).status
	default:
		return d, "", nil
	}
	d.Reference, d.Metadata = splitMetadata(n.Metadata)
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
