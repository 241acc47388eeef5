package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/ledgerkit"
)

// RefundLedger is a payments.RefundLedger on PostgreSQL, in the tables
// payments_refunds (one row per refund) and payments_refund_totals (per
// payment, what its refunds that did not fail add up to). See
// migrations/002_refund_ledger.sql.
type RefundLedger struct{ s *Store }

var _ payments.RefundLedger = (*RefundLedger)(nil)

// ledgerQueries are the statements the ledger sends, one per call.
type ledgerQueries struct {
	reserve, taken, update, refunds, find string
}

// refundColumns are the columns scanRefund reads, in its order.
const refundColumns = "payment_id, id, amount, currency, state, coalesce(payout_id, ''), reason, created_at, updated_at"

func newLedgerQueries(table func(string) string) ledgerQueries {
	refunds, totals := table("payments_refunds"), table("payments_refund_totals")
	return ledgerQueries{
		// $1 the payment, $2 the refund, $3 its amount, $4 its currency,
		// $5 the reason, $6 the most the payment's other refunds may add up
		// to (the limit minus the amount; negative when the amount alone
		// exceeds it). The total's row is taken (inserted, or locked by ON
		// CONFLICT DO UPDATE, which reads its latest committed version even
		// under READ COMMITTED) and raised only if it stays within the
		// payment; the refund is recorded only if it was. Concurrent
		// reservations of one payment queue on that row. A refund id
		// recorded already fails the insert (unique_violation) and so the
		// whole statement, the total's raise included.
		reserve: fmt.Sprintf(`WITH total AS (
	INSERT INTO %[2]s AS t (payment_id, taken)
	SELECT $1::text, $3::bigint WHERE $6::bigint >= 0
	ON CONFLICT (payment_id) DO UPDATE SET taken = t.taken + excluded.taken
		WHERE t.taken <= $6::bigint
	RETURNING 1)
INSERT INTO %[1]s (payment_id, id, amount, currency, state, reason, created_at, updated_at)
SELECT $1, $2, $3, $4, '%[3]s', $5, %[4]s, %[4]s FROM total`, refunds, totals, payments.RefundReserved, now),
		// What remains, to say so when a reservation does not fit.
		taken: fmt.Sprintf(`SELECT coalesce((SELECT taken FROM %s WHERE payment_id = $1), 0)`, totals),
		// $1 the payment, $2 the refund, $3 the state, $4 the payout id
		// ('' keeps the recorded one). old locks the refund's row and reads
		// its latest version (a concurrent update is waited for); the
		// update applies unless the refund is in another final state; a
		// refund that fails now, and had not, gives its amount back. It
		// returns the state found (no row: no such refund) and whether the
		// update applied.
		update: fmt.Sprintf(`WITH old AS (
	SELECT state, amount FROM %[1]s WHERE payment_id = $1 AND id = $2 FOR UPDATE),
upd AS (
	UPDATE %[1]s r SET state = $3, payout_id = coalesce(nullif($4, ''), r.payout_id), updated_at = %[3]s
	FROM old
	WHERE r.payment_id = $1 AND r.id = $2 AND (r.state NOT IN ('%[4]s', '%[5]s') OR r.state = $3)
	RETURNING old.state AS was, old.amount),
freed AS (
	UPDATE %[2]s t SET taken = t.taken - upd.amount FROM upd
	WHERE t.payment_id = $1 AND $3 = '%[5]s' AND upd.was <> '%[5]s')
SELECT old.state, EXISTS (SELECT 1 FROM upd) FROM old`, refunds, totals, now, payments.RefundSucceeded, payments.RefundFailed),
		refunds: fmt.Sprintf(`SELECT %s FROM %s WHERE payment_id = $1 ORDER BY seq`, refundColumns, refunds),
		find:    fmt.Sprintf(`SELECT %s FROM %s WHERE payout_id = $1 ORDER BY seq LIMIT 1`, refundColumns, refunds),
	}
}

// Reserve implements payments.RefundLedger in one statement (and a second
// one, to say what remains, when the refund does not fit).
func (l *RefundLedger) Reserve(ctx context.Context, e payments.RefundEntry, limit payments.Money) error {
	if err := ledgerkit.CheckEntry(e); err != nil {
		return err
	}
	if e.Amount.Currency != limit.Currency {
		return &payments.Error{Op: "reserve refund", Kind: payments.ErrConflict,
			Message: "refund " + e.ID + " is in " + e.Amount.Currency + ", payment " + e.PaymentID + " in " + limit.Currency}
	}
	most := int64(-1) // the amount alone exceeds the limit
	if e.Amount.Amount <= limit.Amount {
		most = limit.Amount - e.Amount.Amount // no overflow: 0 < amount <= limit
	}
	tag, err := l.s.pool.Exec(ctx, l.s.lq.reserve, e.PaymentID, e.ID, e.Amount.Amount, e.Amount.Currency, e.Reason, most)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "payments_refunds_pkey" {
		return &payments.Error{Op: "reserve refund", Kind: payments.ErrConflict, Message: "refund " + e.ID + " is already recorded"}
	}
	if err != nil {
		return fmt.Errorf("pgstore: reserve refund %q of payment %q: %w", e.ID, e.PaymentID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var taken int64
	if err := l.s.pool.QueryRow(ctx, l.s.lq.taken, e.PaymentID).Scan(&taken); err != nil {
		return fmt.Errorf("pgstore: reserve refund %q of payment %q: it does not fit, and reading what remains: %w", e.ID, e.PaymentID, err)
	}
	return ledgerkit.Exceeds(e, limit, taken)
}

// Update implements payments.RefundLedger in one statement.
func (l *RefundLedger) Update(ctx context.Context, paymentID, id string, state payments.RefundState, payoutID string) error {
	if err := ledgerkit.CheckState(state); err != nil {
		return err
	}
	var was string
	var applied bool
	err := l.s.pool.QueryRow(ctx, l.s.lq.update, paymentID, id, string(state), payoutID).Scan(&was, &applied)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ledgerkit.NotFound(paymentID, id)
	case err != nil:
		return fmt.Errorf("pgstore: update refund %q of payment %q: %w", id, paymentID, err)
	case !applied:
		return &payments.Error{Op: "update refund", Kind: payments.ErrConflict, Message: "refund " + id + " is already " + was}
	}
	return nil
}

// Refunds implements payments.RefundLedger in one statement.
func (l *RefundLedger) Refunds(ctx context.Context, paymentID string) ([]payments.RefundEntry, error) {
	rows, err := l.s.pool.Query(ctx, l.s.lq.refunds, paymentID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: refunds of payment %q: %w", paymentID, err)
	}
	out, err := pgx.CollectRows(rows, scanRefund)
	if err != nil {
		return nil, fmt.Errorf("pgstore: refunds of payment %q: %w", paymentID, err)
	}
	return out, nil
}

// Find implements payments.RefundLedger in one statement, on an index of
// the payout ids.
func (l *RefundLedger) Find(ctx context.Context, payoutID string) (payments.RefundEntry, error) {
	if payoutID == "" {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	rows, err := l.s.pool.Query(ctx, l.s.lq.find, payoutID)
	if err != nil {
		return payments.RefundEntry{}, fmt.Errorf("pgstore: find refund of payout %q: %w", payoutID, err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanRefund)
	if errors.Is(err, pgx.ErrNoRows) {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	if err != nil {
		return payments.RefundEntry{}, fmt.Errorf("pgstore: find refund of payout %q: %w", payoutID, err)
	}
	return e, nil
}

func scanRefund(row pgx.CollectableRow) (payments.RefundEntry, error) {
	var e payments.RefundEntry
	var state string
	err := row.Scan(&e.PaymentID, &e.ID, &e.Amount.Amount, &e.Amount.Currency, &state, &e.PayoutID, &e.Reason, &e.CreatedAt, &e.UpdatedAt)
	e.State = payments.RefundState(state)
	return e, err
}
