package suite

import (
	"context"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// RefundLedger runs the conformance suite every payments.RefundLedger
// passes: reservations within a payment's amount, exact to the last minor
// unit; entries that every replica reads alike; transitions that never
// leave a final state; lookups by payout; reservations and updates racing
// from two replicas, which never overdraw a payment nor free a failed
// refund's amount twice; and, where the store can go away, errors (never a
// panic, never a success). newStore is called once per subtest.
func RefundLedger(t *testing.T, newStore func(t *testing.T) Store[payments.RefundLedger]) {
	t.Helper()
	t.Run("ReserveWithinThePayment", func(t *testing.T) { testReserveWithin(t, newStore(t)) })
	t.Run("AmountsAreExact", func(t *testing.T) { testLedgerAmountsExact(t, newStore(t)) })
	t.Run("FailedRefundsFreeTheirAmount", func(t *testing.T) { testFailedFrees(t, newStore(t)) })
	t.Run("TransitionsNeverLeaveAFinalState", func(t *testing.T) { testTransitions(t, newStore(t)) })
	t.Run("FindByPayout", func(t *testing.T) { testFindByPayout(t, newStore(t)) })
	t.Run("IDsAreOpaque", func(t *testing.T) { testLedgerIDs(t, newStore(t)) })
	t.Run("ConcurrentReservationsNeverOverdraw", func(t *testing.T) { testConcurrentReserve(t, newStore(t)) })
	t.Run("ConcurrentUpdatesFreeOnce", func(t *testing.T) { testConcurrentUpdate(t, newStore(t)) })
	// An in-memory ledger has nothing that can go away: no Break, no subtest.
	if s := newStore(t); s.Break != nil {
		t.Run("StoreGoesAway", func(t *testing.T) { testLedgerGoesAway(t, newStore(t)) })
	}
}

func xof(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }

func refund(id, payment string, n int64) payments.RefundEntry {
	return payments.RefundEntry{ID: id, PaymentID: payment, Amount: xof(n), Reason: "r " + id}
}

func refunds(t *testing.T, l payments.RefundLedger, paymentID string) []payments.RefundEntry {
	t.Helper()
	got, err := l.Refunds(context.Background(), paymentID)
	require.NoError(t, err, "Refunds(%q)", paymentID)
	return got
}

func testReserveWithin(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	require.NoError(t, r[0].Reserve(ctx, refund("r1", "p1", 3000), xof(5000)))
	require.NoError(t, r[1].Reserve(ctx, refund("r2", "p1", 2000), xof(5000)), "another replica counts r1")
	err := r[0].Reserve(ctx, refund("r3", "p1", 1), xof(5000))
	require.ErrorIs(t, err, payments.ErrConflict, "nothing remains")
	err = r[1].Reserve(ctx, refund("r1", "p1", 1), xof(9000))
	require.ErrorIs(t, err, payments.ErrConflict, "a refund id is recorded once")
	err = r[0].Reserve(ctx, payments.RefundEntry{ID: "r4", PaymentID: "p2", Amount: payments.Money{Amount: 1, Currency: "EUR"}}, xof(5000))
	require.ErrorIs(t, err, payments.ErrConflict, "another currency")
	err = r[0].Reserve(ctx, refund("r5", "p3", 5001), xof(5000))
	require.ErrorIs(t, err, payments.ErrConflict, "more than the payment, at once")

	got := refunds(t, r[1], "p1")
	require.Len(t, got, 2, "a refused reservation records nothing")
	assert.Equal(t, []string{"r1", "r2"}, []string{got[0].ID, got[1].ID}, "oldest first")
	e := got[0]
	assert.Equal(t, payments.RefundReserved, e.State)
	assert.Equal(t, "p1", e.PaymentID)
	assert.Equal(t, xof(3000), e.Amount)
	assert.Equal(t, "r r1", e.Reason)
	assert.Empty(t, e.PayoutID)
	assert.False(t, e.CreatedAt.IsZero())
	assert.False(t, e.UpdatedAt.Before(e.CreatedAt))
	assert.False(t, got[1].CreatedAt.Before(got[0].CreatedAt))
	assert.Empty(t, refunds(t, r[0], "p2"), "a refused reservation records nothing")
	assert.Empty(t, refunds(t, r[0], "p3"), "a refused reservation records nothing")
	assert.Empty(t, refunds(t, r[0], "p-unknown"))
}

// Amounts are int64 minor units, added and compared exactly: a store that
// went through floating point (Lua's numbers, a JSON decoder's float64)
// would see 2^62 + 2 as 2^62 and let two units through where one remains.
func testLedgerAmountsExact(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	l := s.Open(t)
	limit := xof(1<<62 + 1)
	require.NoError(t, l.Reserve(ctx, refund("r1", "p1", 1<<61), limit))
	require.NoError(t, l.Reserve(ctx, refund("r2", "p1", 1<<61-1), limit))
	require.ErrorIs(t, l.Reserve(ctx, refund("r3", "p1", 3), limit), payments.ErrConflict, "two units remain, not three")
	require.NoError(t, l.Reserve(ctx, refund("r4", "p1", 2), limit), "the last two units")
	require.ErrorIs(t, l.Reserve(ctx, refund("r5", "p1", 1), limit), payments.ErrConflict)
	got := refunds(t, l, "p1")
	require.Len(t, got, 3)
	assert.Equal(t, xof(1<<61-1), got[1].Amount, "kept to the unit")
	_, pending := payments.RefundTotals(got, "XOF")
	assert.Equal(t, limit, pending)
	require.NoError(t, l.Update(ctx, "p1", "r2", payments.RefundFailed, ""))
	require.ErrorIs(t, l.Reserve(ctx, refund("r6", "p1", 1<<61), limit), payments.ErrConflict, "what r2 freed, plus one unit")
	require.NoError(t, l.Reserve(ctx, refund("r7", "p1", 1<<61-1), limit), "exactly what r2 freed")
	require.ErrorIs(t, l.Reserve(ctx, refund("r8", "p2", math.MaxInt64), xof(math.MaxInt64-1)), payments.ErrConflict)
	require.NoError(t, l.Reserve(ctx, refund("r9", "p2", math.MaxInt64), xof(math.MaxInt64)), "the largest amount")
}

func testFailedFrees(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	require.NoError(t, r[0].Reserve(ctx, refund("r1", "p1", 5000), xof(5000)))
	require.NoError(t, r[1].Update(ctx, "p1", "r1", payments.RefundFailed, "po_1"))
	require.NoError(t, r[0].Reserve(ctx, refund("r2", "p1", 5000), xof(5000)), "a failed payout moved no money")
	require.ErrorIs(t, r[1].Reserve(ctx, refund("r3", "p1", 1), xof(5000)), payments.ErrConflict, "r2 holds it all")
	require.NoError(t, r[1].Update(ctx, "p1", "r1", payments.RefundFailed, ""), "failing again is no change")
	require.ErrorIs(t, r[1].Reserve(ctx, refund("r3", "p1", 1), xof(5000)), payments.ErrConflict, "and frees nothing twice")
	got := refunds(t, r[0], "p1")
	require.Len(t, got, 2)
	assert.Equal(t, payments.RefundFailed, got[0].State)
	refunded, pending := payments.RefundTotals(got, "XOF")
	assert.Equal(t, xof(0), refunded)
	assert.Equal(t, xof(5000), pending)
}

func testTransitions(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	require.NoError(t, r[0].Reserve(ctx, refund("r1", "p1", 1000), xof(5000)))
	require.NoError(t, r[1].Update(ctx, "p1", "r1", payments.RefundPending, "po_1"))
	require.NoError(t, r[0].Update(ctx, "p1", "r1", payments.RefundSucceeded, ""))
	require.NoError(t, r[1].Update(ctx, "p1", "r1", payments.RefundSucceeded, ""), "the same final state again is no change")
	require.ErrorIs(t, r[0].Update(ctx, "p1", "r1", payments.RefundFailed, ""), payments.ErrConflict)
	require.ErrorIs(t, r[1].Update(ctx, "p1", "r1", payments.RefundPending, ""), payments.ErrConflict)
	require.ErrorIs(t, r[0].Update(ctx, "p1", "r1", payments.RefundReserved, ""), payments.ErrConflict)
	require.ErrorIs(t, r[0].Update(ctx, "p1", "nope", payments.RefundFailed, ""), payments.ErrNotFound)
	require.ErrorIs(t, r[1].Update(ctx, "p-other", "r1", payments.RefundFailed, ""), payments.ErrNotFound, "a refund belongs to its payment")

	require.NoError(t, r[0].Reserve(ctx, refund("r2", "p1", 1000), xof(5000)))
	require.NoError(t, r[0].Update(ctx, "p1", "r2", payments.RefundFailed, ""))
	require.ErrorIs(t, r[1].Update(ctx, "p1", "r2", payments.RefundSucceeded, "po_2"), payments.ErrConflict)

	got := refunds(t, r[1], "p1")
	require.Len(t, got, 2)
	assert.Equal(t, payments.RefundSucceeded, got[0].State)
	assert.Equal(t, "po_1", got[0].PayoutID, "an empty payout id keeps the recorded one")
	assert.False(t, got[0].UpdatedAt.Before(got[0].CreatedAt))
	assert.Equal(t, payments.RefundFailed, got[1].State)
	assert.Empty(t, got[1].PayoutID, "a refused update records nothing")
	refunded, pending := payments.RefundTotals(got, "XOF")
	assert.Equal(t, xof(1000), refunded)
	assert.Equal(t, xof(0), pending)
}

func testFindByPayout(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	require.NoError(t, r[0].Reserve(ctx, refund("r1", "p1", 1000), xof(5000)))
	require.NoError(t, r[0].Reserve(ctx, refund("r2", "p2", 1000), xof(5000)))
	require.NoError(t, r[0].Update(ctx, "p2", "r2", payments.RefundPending, "po_9"))
	e, err := r[1].Find(ctx, "po_9")
	require.NoError(t, err, "another replica finds it")
	assert.Equal(t, "r2", e.ID)
	assert.Equal(t, "p2", e.PaymentID)
	assert.Equal(t, xof(1000), e.Amount)
	assert.Equal(t, "r r2", e.Reason)
	assert.Equal(t, payments.RefundPending, e.State)
	assert.Equal(t, "po_9", e.PayoutID)
	assert.False(t, e.CreatedAt.IsZero())
	_, err = r[1].Find(ctx, "po_unknown")
	require.ErrorIs(t, err, payments.ErrNotFound)
	_, err = r[1].Find(ctx, "")
	require.ErrorIs(t, err, payments.ErrNotFound, "r1 has no payout yet")

	require.NoError(t, r[1].Update(ctx, "p2", "r2", payments.RefundSucceeded, ""))
	e, err = r[0].Find(ctx, "po_9")
	require.NoError(t, err)
	assert.Equal(t, payments.RefundSucceeded, e.State, "Find reads the latest state")

	// A refund whose payout id changes (a payout found later under another
	// id) is found by its new id only.
	require.NoError(t, r[0].Update(ctx, "p1", "r1", payments.RefundPending, "po_a"))
	require.NoError(t, r[0].Update(ctx, "p1", "r1", payments.RefundPending, "po_b"))
	_, err = r[1].Find(ctx, "po_a")
	require.ErrorIs(t, err, payments.ErrNotFound, "the old payout id no longer names it")
	e, err = r[1].Find(ctx, "po_b")
	require.NoError(t, err)
	assert.Equal(t, "r1", e.ID)
	// A refused update records no payout id either.
	require.ErrorIs(t, r[0].Update(ctx, "p2", "r2", payments.RefundFailed, "po_c"), payments.ErrConflict)
	_, err = r[1].Find(ctx, "po_c")
	require.ErrorIs(t, err, payments.ErrNotFound)
}

// Ids are the library's and the providers': the ledger keeps them apart
// whatever they hold, including the separators a store might use.
func testLedgerIDs(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	l := s.Open(t)
	odd := []struct{ payment, id, payout string }{
		{"a", "b:c", "x:y"},
		{"a:b", "c", "x"},
		{"a:b:c", "s:c", "x:y:"},
		{"{a}", "}{", "{x}"},
		{"é€🙂", "it's \"quoted\"; --", "a*b?c[d]"},
		{"taken", "seq", "n:1"},
	}
	for i, o := range odd {
		require.NoError(t, l.Reserve(ctx, payments.RefundEntry{ID: o.id, PaymentID: o.payment, Amount: xof(int64(100 + i)), Reason: o.id},
			xof(1000)), "%q/%q", o.payment, o.id)
		require.NoError(t, l.Update(ctx, o.payment, o.id, payments.RefundPending, o.payout), "%q/%q", o.payment, o.id)
	}
	for i, o := range odd {
		got := refunds(t, l, o.payment)
		require.Len(t, got, 1, "%q", o.payment)
		assert.Equal(t, o.id, got[0].ID)
		assert.Equal(t, o.payment, got[0].PaymentID)
		assert.Equal(t, xof(int64(100+i)), got[0].Amount)
		assert.Equal(t, o.id, got[0].Reason)
		assert.Equal(t, o.payout, got[0].PayoutID)
		e, err := l.Find(ctx, o.payout)
		require.NoError(t, err, "%q", o.payout)
		assert.Equal(t, o.payment, e.PaymentID)
		assert.Equal(t, o.id, e.ID)
	}
	require.ErrorIs(t, l.Update(ctx, "a:b", "c:", payments.RefundFailed, ""), payments.ErrNotFound)
	require.ErrorIs(t, l.Update(ctx, "a", "b", payments.RefundFailed, ""), payments.ErrNotFound)
}

// ledgerWorkers is how many goroutines race in the concurrent subtests,
// half on each of two replicas.
const ledgerWorkers = 64

func testConcurrentReserve(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	const each = 100
	// Each round a payment with room for fits refunds, and many more
	// racing for it: the fewer fit, the more races there are for the last.
	for _, fits := range []int{1, 2, 3, 5, 10, 20} {
		payment, limit := "p"+strconv.Itoa(fits), int64(fits*each)
		var ok atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range ledgerWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := r[i%2].Reserve(ctx, refund("r"+strconv.Itoa(i), payment, each), xof(limit))
				if err == nil {
					ok.Add(1)
					return
				}
				assert.ErrorIs(t, err, payments.ErrConflict)
			}()
		}
		close(start)
		wg.Wait()
		assert.Equal(t, int32(fits), ok.Load(), "exactly the payment's amount is reserved, %d refunds", fits)
		got := refunds(t, r[1], payment)
		assert.Equal(t, fits, len(got), "refunds recorded")
		_, pending := payments.RefundTotals(got, "XOF")
		assert.Equal(t, xof(limit), pending)
	}
}

// Updates racing on one refund: a failure frees its amount once, however
// many replicas record it, and a refund that succeeded is never failed (nor
// the other way round).
func testConcurrentUpdate(t *testing.T, s Store[payments.RefundLedger]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	const limit = 1000
	for round := range 4 {
		payment := "p" + strconv.Itoa(round)
		require.NoError(t, r[0].Reserve(ctx, refund("r1", payment, limit), xof(limit)))
		var failed, succeeded atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range ledgerWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				state, n := payments.RefundFailed, &failed
				if i%4 < 2 {
					state, n = payments.RefundSucceeded, &succeeded
				}
				err := r[i%2].Update(ctx, payment, "r1", state, "po_"+strconv.Itoa(i))
				if err == nil {
					n.Add(1)
					return
				}
				assert.ErrorIs(t, err, payments.ErrConflict)
			}()
		}
		close(start)
		wg.Wait()
		got := refunds(t, r[1], payment)
		require.Len(t, got, 1)
		switch got[0].State {
		case payments.RefundFailed:
			assert.Equal(t, int32(ledgerWorkers/2), failed.Load(), "every failure is recorded (the first, then no change)")
			assert.Zero(t, succeeded.Load(), "a failed refund never succeeds")
		case payments.RefundSucceeded:
			assert.Equal(t, int32(ledgerWorkers/2), succeeded.Load())
			assert.Zero(t, failed.Load(), "a refund that succeeded never fails")
		default:
			require.Fail(t, "the refund ends failed or succeeded", "it is %q", got[0].State)
		}
		// What is left to reserve: all of it once if r1 failed (freed once),
		// nothing if it succeeded.
		var reserved int
		for i := range 3 {
			err := r[i%2].Reserve(ctx, refund("again"+strconv.Itoa(i), payment, limit), xof(limit))
			if err == nil {
				reserved++
			} else {
				require.ErrorIs(t, err, payments.ErrConflict)
			}
		}
		if got[0].State == payments.RefundFailed {
			assert.Equal(t, 1, reserved, "a failed refund's amount is freed once")
		} else {
			assert.Zero(t, reserved, "a refund that succeeded keeps its amount")
		}
	}
}

func testLedgerGoesAway(t *testing.T, s Store[payments.RefundLedger]) {
	l := s.Open(t)
	ctx := context.Background()
	require.NoError(t, l.Reserve(ctx, refund("r1", "p1", 1000), xof(5000)))
	require.NoError(t, l.Update(ctx, "p1", "r1", payments.RefundPending, "po_1"))
	s.Break(t)
	failsFast(t, "Reserve", func(ctx context.Context) error { return l.Reserve(ctx, refund("r2", "p1", 1000), xof(5000)) })
	failsFast(t, "Update", func(ctx context.Context) error { return l.Update(ctx, "p1", "r1", payments.RefundFailed, "") })
	failsFast(t, "Refunds", func(ctx context.Context) error {
		_, err := l.Refunds(ctx, "p1")
		return err
	})
	failsFast(t, "Find", func(ctx context.Context) error {
		_, err := l.Find(ctx, "po_1")
		return err
	})
}
