package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/unipay/payments"
)

// Refunds take two steps: the Refund button opens a page that says what
// will be refunded, with the amount (all that remains, by default; less
// where the provider refunds in part), and only its Confirm button refunds.
// In a real shop both are for staff, behind their sign-in.

// refundable is what is left to refund of order o, as last verified: what
// was paid, less what was refunded and what is on its way.
func refundable(o Order) payments.Money {
	if !o.Status.Paid() || o.Status == payments.StatusRefunded {
		return payments.Money{Currency: o.Amount.Currency}
	}
	left := o.Amount.Amount
	for _, r := range []payments.Money{o.Refunded, o.PendingRefund} {
		if r.Currency == o.Amount.Currency {
			left -= r.Amount
		}
	}
	return payments.Money{Amount: max(left, 0), Currency: o.Amount.Currency}
}

// takenBack is what was refunded of order o or is on its way back, as last
// verified: the confirmation page sends it back, so that a refund made in
// between is seen (a refund on its way that arrives changes nothing).
func takenBack(o Order) int64 { return o.Refunded.Amount + o.PendingRefund.Amount }

// confirmRefund shows what a refund of the order would give back.
func (s *Shop) confirmRefund(w http.ResponseWriter, r *http.Request) {
	o, prov, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if !prov.Capabilities().Refund || refundable(o).Amount <= 0 {
		s.fail(w, http.StatusConflict, "This order has nothing left to refund.")
		return
	}
	s.renderRefund(w, http.StatusOK, o, prov, formatAmount(refundable(o)), "")
}

// refund gives back the amount the confirmation page sent, if it still
// makes sense: a positive amount, no more than what remains, all of it when
// the provider refunds only in full, and an order that did not change since
// the page was shown (another refund in between, or this one sent twice).
func (s *Shop) refund(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, prov, ok := s.lookup(w, r)
	if !ok {
		return
	}
	left := refundable(o)
	if !prov.Capabilities().Refund || left.Amount <= 0 {
		s.fail(w, http.StatusConflict, "This order has nothing left to refund.")
		return
	}
	typed := r.PostFormValue("amount")
	if r.PostFormValue("refunded") != strconv.FormatInt(takenBack(o), 10) {
		s.renderRefund(w, http.StatusConflict, o, prov, formatAmount(left),
			"This order changed since the page was opened: check the amount again.")
		return
	}
	amount, msg := parseAmount(typed, left)
	if msg == "" && amount != left && !prov.Capabilities().PartialRefund {
		msg = prov.Label + " refunds the whole amount only: " + formatMoney(left) + "."
	}
	if msg != "" {
		s.renderRefund(w, http.StatusUnprocessableEntity, o, prov, typed, msg)
		return
	}
	ref, err := prov.Checkout.Refund(ctx, payments.RefundRequest{PaymentID: o.PaymentID, Amount: amount,
		Reason: "refunded from the demo shop", Options: o.RefundOptions})
	if err != nil {
		s.logger.WarnContext(ctx, "refund failed", "order", o.ID, "provider", prov.Name, "amount", amount.String(),
			"maybe_sent", payments.MaybeSent(err), "error", err)
		s.verify(ctx, prov, o.ID)
		s.problem(o.ID, plainMessage(err, actRefund, prov.Label))
	} else {
		s.store.Update(o.ID, "refund of "+formatMoney(ref.Amount)+" accepted by "+prov.Label, nil)
		s.verify(ctx, prov, o.ID)
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

func (s *Shop) renderRefund(w http.ResponseWriter, status int, o Order, prov *Provider, amount, msg string) {
	s.render(w, status, "refund.html", map[string]any{
		"Order": o, "Provider": prov, "Left": refundable(o), "Amount": amount, "Message": msg,
		"Partial": prov.Capabilities().PartialRefund, "Refunded": strconv.FormatInt(takenBack(o), 10),
		"Providers": s.providers,
	})
}

// parseAmount reads an amount typed in major units, "12,50" or "12.50" (a
// space between thousands is fine), in left's currency, and checks that it
// is positive and no more than left. It returns what to tell the customer
// when it is not.
func parseAmount(typed string, left payments.Money) (payments.Money, string) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		case ',':
			return '.'
		}
		return r
	}, typed)
	m, err := payments.ParseMajor(clean, left.Currency)
	switch {
	case err != nil:
		d, _ := payments.MinorUnits(left.Currency)
		if d == 0 {
			return m, "Enter a whole amount, such as " + formatAmount(left) + "."
		}
		return m, "Enter an amount such as " + formatAmount(left) + "."
	case m.Amount <= 0:
		return m, "Enter an amount above zero."
	case m.Amount > left.Amount:
		return m, "At most " + formatMoney(left) + " can be refunded."
	}
	return m, ""
}
