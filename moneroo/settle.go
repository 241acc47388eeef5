package moneroo

import (
	"context"
	"errors"
	"strconv"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// This file settles refunds by payout: it moves a ledger entry to the state
// of its payout, read from Moneroo, when Verify or Refund reads the
// payment's refunds, when a payout.* webhook arrives, or when the merchant
// names the payout of a refund that stayed reserved.

// refundState is the ledger state of a payout in Moneroo's state s, and
// whether s is one the library knows.
func refundState(s string) (payments.RefundState, bool) {
	switch s {
	case "initiated", "pending":
		return payments.RefundPending, true
	case "success":
		return payments.RefundSucceeded, true
	case "failed":
		return payments.RefundFailed, true
	}
	return "", false
}

// settle returns payment id's refunds from the ledger, after moving each
// one whose payout is known and not final to its payout's state. A payout
// that cannot be read now (Moneroo unreachable) or does not match its
// refund leaves the entry as it is: still counted as on its way.
func (c *Client) settle(ctx context.Context, op, id string) ([]payments.RefundEntry, error) {
	entries, err := c.ledger.Refunds(ctx, id)
	if err != nil {
		return nil, ledgerError(op, err)
	}
	changed := false
	for _, e := range entries {
		if e.State.Final() || e.PayoutID == "" {
			continue
		}
		p, err := c.VerifyPayout(ctx, e.PayoutID)
		if err != nil {
			if ctx.Err() != nil {
				return nil, withOp(err, op)
			}
			continue
		}
		st, known := refundState(p.Status)
		if !known || st == e.State || payoutMismatch(p, e) != "" {
			continue
		}
		if err := c.ledger.Update(ctx, id, e.ID, st, ""); err != nil && !errors.Is(err, payments.ErrConflict) {
			return nil, ledgerError(op, err)
		}
		changed = true
	}
	if changed {
		if entries, err = c.ledger.Refunds(ctx, id); err != nil {
			return nil, ledgerError(op, err)
		}
	}
	return entries, nil
}

// payoutMismatch says why payout p cannot be refund e's, or "": its
// metadata names another refund or payment, or it is for another amount.
func payoutMismatch(p *Payout, e payments.RefundEntry) string {
	if r, ok := p.Metadata[RefundMetadataKey]; ok && r != e.ID {
		return "payout " + p.ID + " carries refund " + strconv.Quote(check.Quote(r)) + ", not " + e.ID
	}
	if pid, ok := p.Metadata[PaymentMetadataKey]; ok && pid != e.PaymentID {
		return "payout " + p.ID + " carries payment " + strconv.Quote(check.Quote(pid)) + ", not " + e.PaymentID
	}
	m, err := p.Money()
	if err != nil {
		return err.Error()
	}
	if m != e.Amount {
		return "payout " + p.ID + " is for " + m.String() + ", refund " + e.ID + " for " + e.Amount.String()
	}
	return ""
}

// settlePayout reads payout id and moves the refund it pays to its state:
// the refund its metadata names (PaymentMetadataKey, RefundMetadataKey),
// or else the one the ledger links to the payout. It returns the payment
// refunded ("" when the payout is no refund the ledger knows) and the
// payout.
func (c *Client) settlePayout(ctx context.Context, op, id string) (string, *Payout, error) {
	p, err := c.VerifyPayout(ctx, id)
	if err != nil {
		return "", nil, withOp(err, op)
	}
	var e payments.RefundEntry
	found := false
	if pid, rid := p.Metadata[PaymentMetadataKey], p.Metadata[RefundMetadataKey]; pid != "" && rid != "" {
		entries, err := c.ledger.Refunds(ctx, pid)
		if err != nil {
			return "", nil, ledgerError(op, err)
		}
		e, found = findRefund(entries, rid)
	}
	if !found {
		e, err = c.ledger.Find(ctx, id)
		switch {
		case errors.Is(err, payments.ErrNotFound):
			return p.Metadata[PaymentMetadataKey], p, nil // not a refund this ledger holds
		case err != nil:
			return "", nil, ledgerError(op, err)
		}
	}
	integrity := func(msg string) error {
		return &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, Raw: p.Raw, Message: msg}
	}
	if e.PayoutID != "" && e.PayoutID != id {
		return "", nil, integrity("refund " + e.ID + " is already paid by payout " + e.PayoutID + ", not " + id)
	}
	if msg := payoutMismatch(p, e); msg != "" {
		return "", nil, integrity(msg)
	}
	st, known := refundState(p.Status)
	if !known || (st == e.State && e.PayoutID == id) {
		return e.PaymentID, p, nil
	}
	if e.State.Final() && st != e.State {
		// A refund released as "no payout was made" whose payout turns up:
		// the payer may be paid twice. Someone must look.
		return "", nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict, Raw: p.Raw,
			Message: "refund " + e.ID + " of payment " + e.PaymentID + " is recorded " + string(e.State) + ", but its payout " + id +
				" is " + p.Status + ": check the payment's refunds by hand"}
	}
	if err := c.ledger.Update(ctx, e.PaymentID, e.ID, st, id); err != nil && !errors.Is(err, payments.ErrConflict) {
		return "", nil, ledgerError(op, err)
	}
	return e.PaymentID, p, nil
}

// SettleRefund records that payout payoutID pays refund refundID of
// payment paymentID, and moves the refund to the payout's state (pending,
// succeeded or failed), after reading the payout from Moneroo
// (GET /v1/payouts/{id}/verify). Use it for a refund that stayed reserved
// (a *ReservedRefund error): find the payout in Moneroo's dashboard by its
// metadata (RefundMetadataKey) and give its id here.
//
// The payout must carry the refund's and the payment's ids in its metadata
// and be for the refund's amount, else ErrIntegrity; a refund already
// linked to another payout is ErrConflict; an unknown refund ErrNotFound.
// It returns the refund as the ledger now holds it.
func (c *Client) SettleRefund(ctx context.Context, paymentID, refundID, payoutID string) (payments.RefundEntry, error) {
	const op = "settle refund"
	e, err := c.ledgerEntry(ctx, op, paymentID, refundID, payoutID)
	if err != nil {
		return payments.RefundEntry{}, err
	}
	if e.PayoutID != "" && e.PayoutID != payoutID {
		return e, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict, NotSent: true,
			Message: "refund " + refundID + " is paid by payout " + e.PayoutID + ", not " + payoutID}
	}
	p, err := c.VerifyPayout(ctx, payoutID)
	if err != nil {
		return e, withOp(err, op)
	}
	if p.Metadata[RefundMetadataKey] != refundID || p.Metadata[PaymentMetadataKey] != paymentID {
		return e, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, Raw: p.Raw,
			Message: "payout " + payoutID + " does not carry refund " + refundID + " of payment " + paymentID + " in its metadata (" +
				RefundMetadataKey + ", " + PaymentMetadataKey + "): it is not this refund's payout"}
	}
	if msg := payoutMismatch(p, e); msg != "" {
		return e, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, Raw: p.Raw, Message: msg}
	}
	st, known := refundState(p.Status)
	if !known {
		return e, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse, Raw: p.Raw,
			Message: "payout " + payoutID + " is in a state the library does not know: " + strconv.Quote(check.Quote(p.Status))}
	}
	if err := c.ledger.Update(ctx, paymentID, refundID, st, payoutID); err != nil {
		return e, ledgerError(op, err)
	}
	e, err = c.ledgerEntry(ctx, op, paymentID, refundID, payoutID)
	return e, err
}

// ReleaseRefund records that refund refundID of payment paymentID, which
// stayed reserved, made no payout, so that its amount can be refunded
// again. Call it only once sure: no payout in Moneroo's dashboard carries
// the refund's id in its metadata (RefundMetadataKey). A refund linked to
// a payout, or already settled, is ErrConflict: SettleRefund records a
// payout's outcome.
func (c *Client) ReleaseRefund(ctx context.Context, paymentID, refundID string) error {
	const op = "release refund"
	e, err := c.ledgerEntry(ctx, op, paymentID, refundID, "")
	if err != nil {
		return err
	}
	if e.State != payments.RefundReserved || e.PayoutID != "" {
		msg := "refund " + refundID + " is " + string(e.State)
		if e.PayoutID != "" {
			msg += ", paid by payout " + e.PayoutID + ": its webhooks, Verify or SettleRefund settle it"
		}
		return &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict, NotSent: true, Message: msg}
	}
	if err := c.ledger.Update(ctx, paymentID, refundID, payments.RefundFailed, ""); err != nil {
		return ledgerError(op, err)
	}
	return nil
}

// Refunds returns payment paymentID's refunds by payout, oldest first, as
// the ledger holds them after settling those whose payouts are known and
// not final (each one's payout is read). A refund that stayed reserved
// without a payout id is one to settle by hand (SettleRefund or
// ReleaseRefund). Without Config.RefundByPayout it is ErrUnsupported.
func (c *Client) Refunds(ctx context.Context, paymentID string) ([]payments.RefundEntry, error) {
	const op = "refunds"
	if c.ledger == nil {
		return nil, check.Unsupported(payments.Moneroo, op, "refunds by payout are off: set Config.RefundByPayout")
	}
	if err := check.PaymentID(payments.Moneroo, op, paymentID); err != nil {
		return nil, err
	}
	return c.settle(ctx, op, paymentID)
}

// ledgerEntry checks the ids and returns the refund refundID of payment
// paymentID from the ledger.
func (c *Client) ledgerEntry(ctx context.Context, op, paymentID, refundID, payoutID string) (payments.RefundEntry, error) {
	if c.ledger == nil {
		return payments.RefundEntry{}, check.Unsupported(payments.Moneroo, op, "refunds by payout are off: set Config.RefundByPayout")
	}
	var fe check.FieldErrors
	check.ID(&fe, "PaymentID", paymentID)
	check.ID(&fe, "RefundID", refundID)
	if op == "settle refund" {
		check.ID(&fe, "PayoutID", payoutID)
	}
	if err := fe.Err(payments.Moneroo, op); err != nil {
		return payments.RefundEntry{}, err
	}
	entries, err := c.ledger.Refunds(ctx, paymentID)
	if err != nil {
		return payments.RefundEntry{}, ledgerError(op, err)
	}
	e, ok := findRefund(entries, refundID)
	if !ok {
		return payments.RefundEntry{}, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrNotFound, NotSent: true,
			Message: "the refund ledger has no refund " + refundID + " of payment " + paymentID}
	}
	return e, nil
}

// addRefunds reports p's refunds by payout from the ledger (settled first):
// RefundedAmount, PendingRefundAmount, and the status refunded or
// partially refunded once any money is refunded or on its way.
func (c *Client) addRefunds(ctx context.Context, op string, p *payments.Payment) error {
	entries, err := c.settle(ctx, op, p.ID)
	if err != nil {
		return err
	}
	p.RefundedAmount, p.PendingRefundAmount = payments.RefundTotals(entries, p.Amount.Currency)
	switch back := p.RefundedAmount.Amount + p.PendingRefundAmount.Amount; {
	case back <= 0:
	case back >= p.Amount.Amount:
		p.Status = payments.StatusRefunded
	default:
		p.Status = payments.StatusPartiallyRefunded
	}
	return nil
}
