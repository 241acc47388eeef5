package main

import (
	"strconv"
	"strings"

	"github.com/unipay/payments"
)

// formatMoney shows an amount as a customer in France or West Africa reads
// it: "1 250,00 €", "5 000 F CFA". It works on the integer minor units, so
// nothing is ever rounded.
func formatMoney(m payments.Money) string {
	d, ok := payments.MinorUnits(m.Currency)
	if !ok {
		return m.String()
	}
	neg := m.Amount < 0
	digits := strings.TrimPrefix(strconv.FormatInt(m.Amount, 10), "-")
	for len(digits) <= d {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-d], digits[len(digits)-d:]
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString("\u202f") // narrow no-break space, the French thousands separator
		}
		b.WriteRune(c)
	}
	if d > 0 {
		b.WriteString(",")
		b.WriteString(frac)
	}
	switch m.Currency {
	case "EUR":
		b.WriteString("\u00a0€")
	case "XOF", "XAF":
		b.WriteString("\u00a0F\u00a0CFA")
	default:
		b.WriteString("\u00a0" + m.Currency)
	}
	return b.String()
}

// formatAmount writes m's amount as a customer types it in a form: "12,50"
// for euros, "15000" for francs CFA, with no separators and no currency.
func formatAmount(m payments.Money) string {
	d, ok := payments.MinorUnits(m.Currency)
	if !ok || d == 0 {
		return strconv.FormatInt(m.Amount, 10)
	}
	digits := strconv.FormatInt(m.Amount, 10)
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	for len(digits) <= d {
		digits = "0" + digits
	}
	s := digits[:len(digits)-d] + "," + digits[len(digits)-d:]
	if neg {
		s = "-" + s
	}
	return s
}

// statusLabel is what the shop calls a payment state.
func statusLabel(o Order) string {
	if o.NotStarted && o.PaymentID == "" {
		return "not started"
	}
	switch o.Status {
	case "":
		return "awaiting payment"
	case payments.StatusSucceeded:
		return "paid"
	case payments.StatusFailed:
		return "declined"
	case payments.StatusCanceled:
		return "cancelled"
	case payments.StatusPending:
		return "awaiting payment"
	case payments.StatusProcessing:
		return "processing"
	case payments.StatusActionRequired:
		return "action required"
	case payments.StatusRefunded:
		return "refunded"
	case payments.StatusPartiallyRefunded:
		return "partially refunded"
	}
	return "unknown (" + o.Raw + ")"
}
