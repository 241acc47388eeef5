package suite

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// LedgerHarness is what RefundLedger needs to test one implementation.
type LedgerHarness struct {
	// New returns an empty ledger, on a fresh store, closed when t ends.
	New func(t *testing.T) payments.RefundLedger
	// Another returns a second handle on l's store, as another replica
	// would open it; nil when the implementation has only one (memory).
	Another func(t *testing.T, l payments.RefundLedger) payments.RefundLedger
	// Break makes l's store go away (stops the server); nil when there is
	// nothing to break (memory).
	Break func(t *testing.T, l payments.RefundLedger)
}

// RefundLedger runs the conformance suite every payments.RefundLedger
// passes: reservations within a payment's amount, concurrent reservations
// (from two replicas, where the store allows) that never overdraw,
// transitions that never leave a final state, lookups by payout, and a
// store that goes away.
func RefundLedger(t *testing.T, h LedgerHarness) {
	t.Helper()
	ctx := context.Background()
	xof := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }
	entry := func(id, payment string, n int64) payments.RefundEntry {
		return payments.RefundEntry{ID: id, PaymentID: payment, Amount: xof(n), Reason: "r " + id}
	}

	t.Run("ReserveWithinThePayment", func(t *testing.T) {
		l := h.New(t)
		require.NoError(t, l.Reserve(ctx, entry("r1", "p1", 3000), xof(5000)))
		require.NoError(t, l.Reserve(ctx, entry("r2", "p1", 2000), xof(5000)))
		err := l.Reserve(ctx, entry("r3", "p1", 1), xof(5000))
		require.ErrorIs(t, err, payments.ErrConflict, "nothing remains")
		err = l.Reserve(ctx, entry("r1", "p1", 1), xof(9000))
		require.ErrorIs(t, err, payments.ErrConflict, "a refund id is recorded once")
		err = l.Reserve(ctx, payments.RefundEntry{ID: "r4", PaymentID: "p2", Amount: payments.Money{Amount: 1, Currency: "EUR"}}, xof(5000))
		require.ErrorIs(t, err, payments.ErrConflict, "another currency")

		got, err := l.Refunds(ctx, "p1")
		require.NoError(t, err)
		require.Len(t, got, 2, "a refused reservation records nothing")
		assert.Equal(t, []string{"r1", "r2"}, []string{got[0].ID, got[1].ID}, "oldest first")
		assert.Equal(t, payments.RefundReserved, got[0].State)
		assert.Equal(t, xof(3000), got[0].Amount)
		assert.Equal(t, "r r1", got[0].Reason)
		assert.False(t, got[0].CreatedAt.IsZero())
		none, err := l.Refunds(ctx, "p-unknown")
		require.NoError(t, err)
		assert.Empty(t, none)
	})

	t.Run("FailedRefundsFreeTheirAmount", func(t *testing.T) {
		l := h.New(t)
		require.NoError(t, l.Reserve(ctx, entry("r1", "p1", 5000), xof(5000)))
		require.NoError(t, l.Update(ctx, "p1", "r1", payments.RefundFailed, "po_1"))
		require.NoError(t, l.Reserve(ctx, entry("r2", "p1", 5000), xof(5000)), "a failed payout moved no money")
		got, err := l.Refunds(ctx, "p1")
		require.NoError(t, err)
		refunded, pending := payments.RefundTotals(got, "XOF")
		assert.Equal(t, xof(0), refunded)
		assert.Equal(t, xof(5000), pending)
	})

	t.Run("TransitionsNeverLeaveAFinalState", func(t *testing.T) {
		l := h.New(t)
		require.NoError(t, l.Reserve(ctx, entry("r1", "p1", 1000), xof(5000)))
		require.NoError(t, l.Update(ctx, "p1", "r1", payments.RefundPending, "po_1"))
		require.NoError(t, l.Update(ctx, "p1", "r1", payments.RefundSucceeded, ""))
		require.NoError(t, l.Update(ctx, "p1", "r1", payments.RefundSucceeded, ""), "the same final state again is no change")
		require.ErrorIs(t, l.Update(ctx, "p1", "r1", payments.RefundFailed, ""), payments.ErrConflict)
		require.ErrorIs(t, l.Update(ctx, "p1", "nope", payments.RefundFailed, ""), payments.ErrNotFound)
		require.ErrorIs(t, l.Update(ctx, "p-other", "r1", payments.RefundFailed, ""), payments.ErrNotFound, "a refund belongs to its payment")
		got, err := l.Refunds(ctx, "p1")
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, payments.RefundSucceeded, got[0].State)
		assert.Equal(t, "po_1", got[0].PayoutID, "an empty payout id keeps the recorded one")
		refunded, pending := payments.RefundTotals(got, "XOF")
		assert.Equal(t, xof(1000), refunded)
		assert.Equal(t, xof(0), pending)
	})

	t.Run("FindByPayout", func(t *testing.T) {
		l := h.New(t)
		require.NoError(t, l.Reserve(ctx, entry("r1", "p1", 1000), xof(5000)))
		require.NoError(t, l.Reserve(ctx, entry("r2", "p2", 1000), xof(5000)))
		require.NoError(t, l.Update(ctx, "p2", "r2", payments.RefundPending, "po_9"))
		e, err := l.Find(ctx, "po_9")
		require.NoError(t, err)
		assert.Equal(t, "r2", e.ID)
		assert.Equal(t, "p2", e.PaymentID)
		_, err = l.Find(ctx, "po_unknown")
		require.ErrorIs(t, err, payments.ErrNotFound)
		_, err = l.Find(ctx, "")
		require.ErrorIs(t, err, payments.ErrNotFound)
	})

	t.Run("ConcurrentReservationsNeverOverdraw", func(t *testing.T) {
		a := h.New(t)
		b := a
		if h.Another != nil {
			b = h.Another(t, a)
		}
		const workers, each, limit = 40, 100, 1000
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := a
				if i%2 == 1 {
					l = b
				}
				err := l.Reserve(ctx, entry("r"+strconv.Itoa(i), "p1", each), xof(limit))
				if err == nil {
					ok.Add(1)
					return
				}
				assert.ErrorIs(t, err, payments.ErrConflict)
			}()
		}
		wg.Wait()
		assert.Equal(t, int32(limit/each), ok.Load(), "exactly the payment's amount is reserved")
		got, err := b.Refunds(ctx, "p1")
		require.NoError(t, err)
		_, pending := payments.RefundTotals(got, "XOF")
		assert.Equal(t, xof(limit), pending)
	})

	if h.Break == nil {
		return // nothing to break: the ledger lives in memory
	}
	t.Run("TheStoreGoesAway", func(t *testing.T) {
		l := h.New(t)
		require.NoError(t, l.Reserve(ctx, entry("r1", "p1", 1000), xof(5000)))
		h.Break(t, l)
		assert.NotPanics(t, func() {
			assert.Error(t, l.Reserve(ctx, entry("r2", "p1", 1000), xof(5000)))
			assert.Error(t, l.Update(ctx, "p1", "r1", payments.RefundFailed, ""))
			_, err := l.Refunds(ctx, "p1")
			assert.Error(t, err)
			_, err = l.Find(ctx, "po")
			assert.Error(t, err)
		})
	})
}
