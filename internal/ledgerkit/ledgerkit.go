// Package ledgerkit holds what the stores' refund ledgers (stores/redis,
// stores/postgres) share: the checks they make before any round trip and
// the errors they return, so that every ledger refuses and reports alike.
package ledgerkit

import (
	"strings"
	"unicode/utf8"

	"github.com/unipay/payments"
)

// CheckEntry refuses, before any round trip, an entry no adapter would
// reserve: no id, no payment, an amount of nothing or less (the ledger's
// sums assume amounts above zero), or text a store cannot keep as it is
// (invalid UTF-8, NUL).
func CheckEntry(e payments.RefundEntry) error {
	var fields []payments.FieldError
	for _, f := range []struct{ name, v string }{
		{"ID", e.ID}, {"PaymentID", e.PaymentID}, {"Amount.Currency", e.Amount.Currency}, {"Reason", e.Reason},
	} {
		switch {
		case f.v == "" && (f.name == "ID" || f.name == "PaymentID"):
			fields = append(fields, payments.FieldError{Field: f.name, Message: "is empty"})
		case !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0):
			fields = append(fields, payments.FieldError{Field: f.name, Message: "must be valid UTF-8 without NUL"})
		}
	}
	if e.Amount.Amount <= 0 {
		fields = append(fields, payments.FieldError{Field: "Amount", Message: "must be above zero"})
	}
	if fields == nil {
		return nil
	}
	return &payments.Error{Op: "reserve refund", Kind: payments.ErrInvalidRequest, Message: "invalid refund entry", Fields: fields, NotSent: true}
}

// CheckState refuses a state that is not one of payments.RefundState's.
func CheckState(s payments.RefundState) error {
	switch s {
	case payments.RefundReserved, payments.RefundPending, payments.RefundSucceeded, payments.RefundFailed:
		return nil
	}
	return &payments.Error{Op: "update refund", Kind: payments.ErrInvalidRequest, Message: "invalid refund state",
		Fields: []payments.FieldError{{Field: "state", Message: "is not a payments.RefundState: " + string(s)}}, NotSent: true}
}

// Exceeds is the error of a reservation that does not fit: taken is what
// the payment's refunds that did not fail add up to.
func Exceeds(e payments.RefundEntry, limit payments.Money, taken int64) error {
	left := payments.Money{Amount: max(limit.Amount-taken, 0), Currency: limit.Currency}
	return &payments.Error{Op: "reserve refund", Kind: payments.ErrConflict,
		Message: "refunding " + e.Amount.String() + " of payment " + e.PaymentID + " would exceed what it paid: " + left.String() + " remains"}
}

// NotFound is the error of an update to a refund the payment does not have.
func NotFound(paymentID, id string) error {
	return &payments.Error{Op: "update refund", Kind: payments.ErrNotFound, Message: "no refund " + id + " for payment " + paymentID}
}

// NoPayout is the error of a lookup of a payout no refund has.
func NoPayout(payoutID string) error {
	return &payments.Error{Op: "find refund", Kind: payments.ErrNotFound, Message: "no refund with payout " + payoutID}
}
