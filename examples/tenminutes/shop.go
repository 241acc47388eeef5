// Package tenminutes is the integration the README's "Integrate in ten
// minutes" walks through: a checkout, a return page and a webhook endpoint
// that ship an order only once VerifyPaid says so, and refunds. It works with
// any provider's client; its test runs it against the fake.
package tenminutes

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/unipay/payments"
)

// Order is what the shop sells: an amount, and the payment that pays it.
type Order struct {
	ID        string
	Amount    payments.Money
	PaymentID string // Session.ID, stored when the checkout opens
	Paid      bool
}

// Shop takes payments for its orders through any provider.
type Shop struct {
	Checkout payments.Checkout
	ReturnTo string // this shop's return page, such as "https://shop.example.com/return"

	mu     sync.Mutex
	orders map[string]*Order // by order id
}

// StartCheckout opens a checkout for the order and returns where to send the
// customer.
func (s *Shop) StartCheckout(ctx context.Context, o *Order, customer *payments.Customer) (string, error) {
	session, err := s.Checkout.Create(ctx, payments.CreateRequest{
		Amount:    o.Amount,
		Reference: o.ID, // the provider gives it back on webhooks and returns
		ReturnURL: s.ReturnTo,
		Customer:  customer,
	})
	if err != nil {
		if payments.MaybeSent(err) {
			// The provider may have opened it anyway: do not open another one
			// blindly; look for it first, or let the customer try again later.
			return "", fmt.Errorf("order %s: the checkout may exist, check before retrying: %w", o.ID, err)
		}
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orders == nil {
		s.orders = map[string]*Order{}
	}
	o.PaymentID = session.ID
	s.orders[o.ID] = o
	return session.RedirectURL, nil
}

// ReturnPage is where the provider sends the customer back. The URL proves
// nothing: it only says which order to verify.
func (s *Shop) ReturnPage(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.Checkout.(payments.ReturnParser)
	if !ok {
		http.Error(w, "this provider sends no return parameters", http.StatusBadRequest)
		return
	}
	ret, err := rp.ParseReturn(r.URL.Query())
	if err != nil {
		http.Error(w, "unknown payment", http.StatusBadRequest)
		return
	}
	o := s.find(ret.PaymentID, ret.Reference)
	if o == nil {
		http.Error(w, "unknown order", http.StatusNotFound)
		return
	}
	switch err := s.confirm(r.Context(), o); {
	case err != nil:
		http.Error(w, "we could not check your payment yet; we will email you", http.StatusServiceUnavailable)
	case o.Paid:
		fmt.Fprintf(w, "Thank you: order %s is paid.\n", o.ID)
	default:
		fmt.Fprintf(w, "Order %s is not paid.\n", o.ID)
	}
}

// Webhooks is the provider's webhook endpoint: signatures checked,
// redeliveries handled once, and every event verified before it counts.
func (s *Shop) Webhooks() http.Handler {
	return payments.WebhookHandler(s.Checkout.(payments.WebhookParser), func(ctx context.Context, ev *payments.Event) error {
		o := s.find(ev.PaymentID, ev.Reference)
		if o == nil {
			return nil // not one of ours: acknowledge it
		}
		return s.confirm(ctx, o) // an error has the provider deliver again
	})
}

// Refund gives amount back for a paid order (zero: all of it). A real shop
// puts this behind staff authentication.
func (s *Shop) Refund(ctx context.Context, orderID string, amount payments.Money) error {
	o := s.find("", orderID)
	if o == nil || !o.Paid {
		return fmt.Errorf("order %s is not paid", orderID)
	}
	_, err := s.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: o.PaymentID, Amount: amount})
	return err
}

// confirm asks the provider whether the order is paid, for exactly its
// amount. Not paid yet is no error: the next webhook or return will tell.
func (s *Shop) confirm(ctx context.Context, o *Order) error {
	_, err := payments.VerifyPaid(ctx, s.Checkout, o.PaymentID, o.Amount)
	switch {
	case err == nil:
		s.mu.Lock()
		o.Paid = true // ship it, once
		s.mu.Unlock()
		return nil
	case errors.Is(err, payments.ErrNotPaid):
		return nil
	default:
		return err // ErrIntegrity: paid, but not this amount: investigate
	}
}

// find returns the order a payment id or an order id names.
func (s *Shop) find(paymentID, orderID string) *Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[orderID]; ok && orderID != "" {
		return o
	}
	for _, o := range s.orders {
		if paymentID != "" && o.PaymentID == paymentID {
			return o
		}
	}
	return nil
}
