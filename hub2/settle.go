package hub2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// This file settles refunds by transfer whose outcome the ledger does not
// know yet: a pending one by reading its transfer, a reserved one (its
// answer was lost) by finding its transfer by reference, and any of them
// from a transfer webhook.

// settleWindow is how far around a refund's reservation its transfer is
// looked for: Hub2 creates it within the request's timeout of the
// reservation, and the two clocks (the ledger's, Hub2's) may differ by
// minutes.
const settleWindow = 15 * time.Minute

// The pages a search by reference reads: Hub2 filters by reference, so one
// page is the rule; should it not, a window of a busy account may take more.
const (
	settlePerPage  = 100
	maxSettlePages = 10
)

// SettleRefunds settles the refunds by transfer of paymentID whose outcome
// the ledger does not know (Config.RefundByTransfer), and returns them all
// as the ledger then holds them, oldest first. Verify does the same; this
// is for a job that settles refunds without verifying payments.
//
// A pending refund takes its transfer's status (GET /transfers/{id}/status,
// or the whole transfer when the status endpoint says none). A reserved one,
// whose transfer's answer was lost, is looked for by its reference
// ("refund.<payment>.<refund>") among the transfers Hub2 lists 15 minutes
// around its reservation (GET /transfers?from=&to=): found, it takes the
// transfer's id and state. Not found, it stays reserved: Hub2 does not
// publish how its list filters and pages, so an absence proves nothing,
// and freeing the amount could pay the customer twice. Once you are sure no
// transfer was made (Hub2's dashboard), ReleaseRefund frees it. Nothing is
// ever sent again.
//
// The error is the ledger's, or, with the entries, why some refunds could
// not be settled this time (a read that failed; a transfer whose amount is
// not the refund's, ErrIntegrity, which leaves the refund as it is).
func (c *Client) SettleRefunds(ctx context.Context, paymentID string) ([]payments.RefundEntry, error) {
	const op = "settle refunds"
	if c.ledger == nil {
		return nil, check.Unsupported(payments.Hub2, op, "refunds by transfer are off (Config.RefundByTransfer)")
	}
	if err := check.PaymentID(payments.Hub2, op, paymentID); err != nil {
		return nil, err
	}
	entries, unsettled, err := c.settle(ctx, op, paymentID)
	if err != nil {
		return nil, err
	}
	return entries, unsettled
}

// refunded settles p's refunds and reports them in p: RefundedAmount,
// PendingRefundAmount, and a refunded or partially refunded status. Reads
// that fail are logged, not returned: the refunds keep their state.
func (c *Client) refunded(ctx context.Context, p *payments.Payment) error {
	entries, unsettled, err := c.settle(ctx, "verify", p.ID)
	if err != nil {
		return err
	}
	if unsettled != nil {
		c.api.Logger().WarnContext(ctx, "hub2: some refunds could not be settled; they keep their state",
			"payment", p.ID, "error", unsettled.Error())
	}
	p.RefundedAmount, p.PendingRefundAmount = payments.RefundTotals(entries, p.Amount.Currency)
	if p.Status != payments.StatusSucceeded {
		return nil
	}
	switch back := p.RefundedAmount.Amount + p.PendingRefundAmount.Amount; {
	case back >= p.Amount.Amount && back > 0:
		p.Status = payments.StatusRefunded
	case back > 0:
		p.Status = payments.StatusPartiallyRefunded
	}
	return nil
}

// settle settles paymentID's open refunds. It returns the refunds as the
// ledger holds them afterwards, why some could not be settled, and the
// ledger's failure.
func (c *Client) settle(ctx context.Context, op, paymentID string) ([]payments.RefundEntry, error, error) {
	entries, err := c.ledger.Refunds(ctx, paymentID)
	if err != nil {
		return nil, nil, ledgerError(op, err)
	}
	var unsettled []error
	changed := false
	for _, e := range entries {
		if e.State.Final() {
			continue
		}
		state, payout, err := c.lookup(ctx, e)
		if err != nil {
			unsettled = append(unsettled, fmt.Errorf("refund %s: %w", e.ID, err))
			continue
		}
		if state == "" || state == e.State && (payout == "" || payout == e.PayoutID) {
			continue
		}
		if err := c.ledger.Update(ctx, paymentID, e.ID, state, payout); err != nil && !errors.Is(err, payments.ErrConflict) {
			return nil, nil, ledgerError(op, err)
		}
		changed = true // or settled meanwhile (ErrConflict): read it again
	}
	if changed {
		if entries, err = c.ledger.Refunds(ctx, paymentID); err != nil {
			return nil, nil, ledgerError(op, err)
		}
	}
	return entries, errors.Join(unsettled...), nil
}

// lookup asks Hub2 what became of refund e's transfer: the refund's new
// state and the transfer's id, or "" when nothing can be concluded yet.
func (c *Client) lookup(ctx context.Context, e payments.RefundEntry) (payments.RefundState, string, error) {
	if e.PayoutID != "" {
		st, err := c.transferStatus(ctx, e.PayoutID)
		switch {
		case err == nil:
			return refundState(TransferStatus(st.Status)), e.PayoutID, nil
		case st == nil || st.Status != "" || !errors.Is(err, payments.ErrMalformedResponse):
			return "", "", err
		}
		// The status endpoint's body is not published: read the transfer.
		t, err := c.GetTransfer(ctx, e.PayoutID)
		if err != nil {
			return "", "", err
		}
		if err := sameRefund(e, t); err != nil {
			return "", "", err
		}
		return refundState(t.Status), t.ID, nil
	}
	t, err := c.findTransfer(ctx, e)
	switch {
	case err != nil:
		return "", "", err
	case t != nil:
		if err := sameRefund(e, t); err != nil {
			return "", "", err
		}
		return refundState(t.Status), t.ID, nil
	}
	// Not listed: the refund stays reserved until its transfer is found or
	// the merchant releases it (ReleaseRefund).
	return "", "", nil
}

// ReleaseRefund frees the amount of refund refundID of payment paymentID,
// which stayed reserved because the answer to its transfer was lost and no
// transfer with its reference has been found since. Call it only once you
// are sure Hub2 made no such transfer (its dashboard lists transfers by
// reference: "refund.<payment>.<refund>"): the amount can then be refunded
// again. A refund whose transfer is known is settled by Verify,
// SettleRefunds or its webhooks instead: that is ErrConflict.
func (c *Client) ReleaseRefund(ctx context.Context, paymentID, refundID string) error {
	const op = "release refund"
	if c.ledger == nil {
		return check.Unsupported(payments.Hub2, op, "refunds by transfer are off (Config.RefundByTransfer)")
	}
	var fe check.FieldErrors
	check.ID(&fe, "PaymentID", paymentID)
	check.ID(&fe, "RefundID", refundID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return err
	}
	e, found, err := c.find(ctx, op, paymentID, refundID)
	switch {
	case err != nil:
		return err
	case !found:
		return &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrNotFound, NotSent: true,
			Message: "payment " + paymentID + " has no refund " + refundID}
	case e.State != payments.RefundReserved || e.PayoutID != "":
		msg := "refund " + refundID + " is " + string(e.State)
		if e.PayoutID != "" {
			msg += ", by transfer " + e.PayoutID + ": Verify, SettleRefunds or its webhooks settle it"
		}
		return &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrConflict, NotSent: true, Message: msg}
	}
	if err := c.ledger.Update(ctx, paymentID, refundID, payments.RefundFailed, ""); err != nil {
		return ledgerError(op, err)
	}
	return nil
}

// findTransfer looks for refund e's transfer by its reference among the
// transfers Hub2 created around e's reservation; nil when none is listed.
func (c *Client) findTransfer(ctx context.Context, e payments.RefundEntry) (*Transfer, error) {
	ref := refundReference(e.PaymentID, e.ID)
	q := TransferQuery{From: e.CreatedAt.Add(-settleWindow), To: e.CreatedAt.Add(settleWindow), Reference: ref, PerPage: settlePerPage}
	seen := 0
	for page := 1; page <= maxSettlePages; page++ {
		if page > 1 {
			q.Page = page
		}
		l, err := c.ListTransfers(ctx, q)
		if err != nil {
			return nil, err
		}
		if len(l.Transfers) > 0 {
			return pick(l.Transfers), nil
		}
		if l.Total >= 0 && l.First >= 0 && l.First != seen {
			return nil, nil // pages are not numbered as the client assumes
		}
		seen += l.Listed
		if l.Total >= 0 && seen >= l.Total || l.Total < 0 && l.Listed < settlePerPage || l.Listed == 0 {
			return nil, nil // the last page
		}
	}
	return nil, nil
}

// pick returns the transfer that decides a refund among those with its
// reference (the client sends one; should Hub2 list more, the one that
// moved money, else one still under way).
func pick(ts []Transfer) *Transfer {
	best := &ts[0]
	for i := range ts {
		switch t := &ts[i]; {
		case t.Status == TransferSuccessful:
			return t
		case best.Status == TransferFailed && t.Status != TransferFailed:
			best = t
		}
	}
	return best
}

// sameRefund checks that transfer t carries refund e: its amount and
// currency. A transfer that does not is ErrIntegrity, and settles nothing.
func sameRefund(e payments.RefundEntry, t *Transfer) error {
	if int64(t.Amount) == e.Amount.Amount && t.Currency == e.Amount.Currency {
		return nil
	}
	return &payments.Error{Provider: payments.Hub2, Op: "settle refunds", Kind: payments.ErrIntegrity, Raw: t.raw,
		Message: fmt.Sprintf("transfer %s of refund %s is for %d %s, the refund for %s", t.ID, e.ID, t.Amount, check.Quote(t.Currency), e.Amount)}
}

// SettleTransferEvent records in the ledger what a transfer.* webhook says
// of a refund's transfer (Config.RefundByTransfer), and returns the refund
// as the ledger then holds it. Call it from the handler given to
// payments.WebhookHandler, and return its error, so that Hub2 delivers
// again when the ledger could not be reached:
//
//	payments.WebhookHandler(client, func(ctx context.Context, ev *payments.Event) error {
//		if _, err := client.SettleTransferEvent(ctx, ev); err != nil {
//			return err
//		}
//		… // ev.PaymentID names the payment refunded: Verify it
//	})
//
// Other events, transfers that are not refunds (their reference is not
// "refund.<payment>.<refund>"), and refunds the ledger does not hold (made
// by another ledger) are nil, nil. An event that was not verified is
// ErrInvalidSignature; a transfer whose amount is not the refund's,
// ErrIntegrity. An event that would move a settled refund back (a late
// transfer.processing) changes nothing; one that contradicts a settled
// refund (failed after succeeded) is ErrConflict.
func (c *Client) SettleTransferEvent(ctx context.Context, ev *payments.Event) (*payments.RefundEntry, error) {
	const op = "settle transfer event"
	if c.ledger == nil || ev == nil || ev.Provider != payments.Hub2 || !strings.HasPrefix(ev.Type, "transfer.") {
		return nil, nil
	}
	if !ev.Verified {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidSignature, NotSent: true,
			Message: "the event's signature was not checked: parse it with ParseWebhook"}
	}
	var env transferEnvelope
	if err := json.Unmarshal(ev.Raw, &env); err != nil {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrInvalidRequest, NotSent: true,
			Message: "the event's data is not a transfer: " + err.Error(), Err: err}
	}
	t := &env.Data
	t.raw = ev.Raw
	paymentID, refundID, ok := parseRefundReference(t.Reference)
	if !ok {
		return nil, nil
	}
	e, found, err := c.find(ctx, op, paymentID, refundID)
	if err != nil || !found {
		return nil, err
	}
	if err := sameRefund(e, t); err != nil {
		return nil, err
	}
	status := t.Status
	if status == "" {
		status = eventStatus(ev.Type)
	}
	state := refundState(status)
	switch {
	case e.State.Final() && e.State == state, e.State.Final() && !state.Final():
		return &e, nil // a repeat, or a late intermediate state
	case e.State.Final():
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrConflict, NotSent: true, Raw: ev.Raw,
			Message: "refund " + e.ID + " is " + string(e.State) + ", and transfer " + t.ID + " now says " + string(status)}
	}
	if err := c.ledger.Update(ctx, paymentID, refundID, state, t.ID); err != nil && !errors.Is(err, payments.ErrConflict) {
		return nil, ledgerError(op, err)
	}
	e, _, err = c.find(ctx, op, paymentID, refundID)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// find returns refund id of paymentID from the ledger.
func (c *Client) find(ctx context.Context, op, paymentID, id string) (payments.RefundEntry, bool, error) {
	entries, err := c.ledger.Refunds(ctx, paymentID)
	if err != nil {
		return payments.RefundEntry{}, false, ledgerError(op, err)
	}
	for _, e := range entries {
		if e.ID == id {
			return e, true, nil
		}
	}
	return payments.RefundEntry{}, false, nil
}

// eventStatus is the transfer status a transfer.* event type tells, for a
// delivery whose data has none.
func eventStatus(typ string) TransferStatus {
	switch strings.TrimPrefix(typ, "transfer.") {
	case "succeeded":
		return TransferSuccessful
	case "failed":
		return TransferFailed
	case "processing":
		return TransferProcessing
	}
	return TransferCreated
}
