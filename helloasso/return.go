package helloasso

import (
	"context"
	"errors"
	"strconv"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// VerifyReturn verifies the checkout a payer came back from, as Verify does,
// and when HelloAsso shows no order on the intent yet, also reads the order
// the return URL names (orderId): HelloAsso's intent carries its order only
// once a payment is authorised, so a refused card reads as pending on the
// intent, while the order of the attempt shows the refusal. That order is
// used only if HelloAsso says it belongs to this checkout intent; a return
// URL naming another order changes nothing. Payment.Raw is then the
// order's JSON.
func (c *Client) VerifyReturn(ctx context.Context, ret *payments.Return) (*payments.Payment, error) {
	const op = "verify return"
	if ret == nil || ret.Provider != payments.HelloAsso {
		return nil, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "Return", Message: "is not a HelloAsso return"})
	}
	id, err := parseID(op, "PaymentID", ret.PaymentID)
	if err != nil {
		return nil, err
	}
	ci, err := c.readIntent(ctx, id)
	if err != nil {
		return nil, err
	}
	orderID, perr := strconv.ParseInt(ret.Query.Get("orderId"), 10, 64)
	if ci.Order != nil || perr != nil || orderID <= 0 {
		return paymentFromIntent(ci), nil
	}
	o, err := c.checkoutOrder(ctx, op, orderID)
	if errors.Is(err, payments.ErrNotFound) {
		return paymentFromIntent(ci), nil // the URL named an order that is not there
	}
	if err != nil {
		return nil, err
	}
	if o.CheckoutIntentID == nil || *o.CheckoutIntentID != ci.ID {
		return paymentFromIntent(ci), nil // another checkout's order: ignored
	}
	withOrder := *ci
	withOrder.Order, withOrder.Raw = viewOfOrder(o), o.Raw
	return paymentFromIntent(&withOrder), nil
}
