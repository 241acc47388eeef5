package suite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// RateLimiter runs the conformance suite every payments.RateLimiter
// passes: the generic cell rate algorithm with payments.Limit's Interval
// and BurstSize (a burst at once, then one request an interval); replicas
// sharing one budget per Limit.Key, keys apart; a turn that would come
// after the caller's deadline refused at once with payments.ErrLimitWait
// and not counted; a caller that gives up (or crashes) while waiting never
// letting the others exceed the limit; and, where the store can go away, an
// error rather than a free pass. newStore is called once per subtest.
func RateLimiter(t *testing.T, newStore func(t *testing.T) Store[payments.RateLimiter]) {
	t.Helper()
	t.Run("BurstThenOneAnInterval", func(t *testing.T) { testBurst(t, newStore(t)) })
	t.Run("ReplicasShareOneLimit", func(t *testing.T) { testSharedLimit(t, newStore(t)) })
	t.Run("KeysAreIndependent", func(t *testing.T) { testLimitKeys(t, newStore(t)) })
	t.Run("ATurnAfterTheDeadlineIsRefusedAndNotCounted", func(t *testing.T) { testLimitDeadline(t, newStore(t)) })
	t.Run("AWaiterThatGivesUpLetsNoOneExceedTheLimit", func(t *testing.T) { testGivesUp(t, newStore(t)) })
	t.Run("NoLimitNoWait", func(t *testing.T) { testNoLimit(t, newStore(t)) })
	// An in-memory limiter has nothing that can go away: no Break, no subtest.
	if s := newStore(t); s.Break != nil {
		t.Run("StoreGoesAway", func(t *testing.T) { testLimiterGoesAway(t, newStore(t)) })
	}
}

func wait(t *testing.T, l payments.RateLimiter, lim payments.Limit) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, l.Wait(ctx, lim))
}

func testBurst(t *testing.T, s Store[payments.RateLimiter]) {
	l := s.Open(t)
	lim := payments.Limit{Key: "burst", Count: 8, Per: 3 * time.Second, Burst: 5} // 5 at once, then one a second
	require.Equal(t, time.Second, lim.Interval())
	start := time.Now()
	for range lim.BurstSize() {
		wait(t, l, lim)
	}
	assert.Less(t, time.Since(start), 900*time.Millisecond, "the burst goes at once")
	wait(t, l, lim)
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, lim.Interval()-10*time.Millisecond, "after the burst, one request an interval")
	assert.Less(t, took, lim.Interval()+900*time.Millisecond, "and no slower than that")
}

func testSharedLimit(t *testing.T, s Store[payments.RateLimiter]) {
	r := replicas(t, s, 3)
	lim := payments.Limit{Key: "shared", Count: 20, Per: 500 * time.Millisecond, Burst: 4} // 31.25ms apart
	const run = 1200 * time.Millisecond
	var mu sync.Mutex
	var sent []time.Time
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 3 * len(r) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithDeadline(context.Background(), start.Add(run))
			defer cancel()
			for {
				err := r[i%len(r)].Wait(ctx, lim)
				if err != nil {
					assert.True(t, errors.Is(err, payments.ErrLimitWait) || errors.Is(err, context.DeadlineExceeded), "%v", err)
					return
				}
				mu.Lock()
				sent = append(sent, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(sent, func(a, b time.Time) int { return a.Compare(b) })
	most := lim.BurstSize() + int(run/lim.Interval()) + 1
	assert.LessOrEqual(t, len(sent), most, "all replicas together keep to the one limit")
	assert.GreaterOrEqual(t, len(sent), most/2, "the replicas are not starved")
	// Waiters may wake a little late, which can bunch them: one request of
	// slack per window.
	for i := range sent {
		n := 0
		for j := i; j < len(sent) && sent[j].Sub(sent[i]) < lim.Per; j++ {
			n++
		}
		assert.LessOrEqual(t, n, lim.Count+1, "requests in the window of %s from request %d", lim.Per, i)
	}
}

func testLimitKeys(t *testing.T, s Store[payments.RateLimiter]) {
	l := s.Open(t)
	a := payments.Limit{Key: "moneroo:acct-a:requests", Count: 2, Per: time.Hour, Burst: 1}
	b := a
	b.Key = "moneroo:acct-b:requests"
	wait(t, l, a)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	assert.ErrorIs(t, l.Wait(ctx, a), payments.ErrLimitWait, "a's budget is spent for the hour")
	assert.NoError(t, l.Wait(ctx, b), "b's is its own")
}

func testLimitDeadline(t *testing.T, s Store[payments.RateLimiter]) {
	r := replicas(t, s, 2)
	lim := payments.Limit{Key: "deadline", Count: 3, Per: 600 * time.Millisecond, Burst: 1} // 300ms apart
	start := time.Now()
	wait(t, r[0], lim)
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		err := r[1].Wait(ctx, lim)
		cancel()
		assert.ErrorIs(t, err, payments.ErrLimitWait, "the turn comes after the deadline: refused at once")
	}
	wait(t, r[1], lim)
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, lim.Interval()-20*time.Millisecond, "the next turn")
	assert.Less(t, took, lim.Interval()+200*time.Millisecond, "the refused requests took no turn")

	ended, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Error(t, r[0].Wait(ended, payments.Limit{Key: "fresh", Count: 10, Per: time.Second}), "an ended context gets no turn")
}

// testGivesUp has a caller give up while it waits its turn (a replica that
// crashed while waiting does the same): the others still keep the limit.
func testGivesUp(t *testing.T, s Store[payments.RateLimiter]) {
	r := replicas(t, s, 2)
	// A second apart: long enough that a waiter still waiting its turn is
	// told from one that stopped, even on a loaded machine.
	lim := payments.Limit{Key: "gives-up", Count: 3, Per: 3 * time.Second, Burst: 1}
	start := time.Now()
	wait(t, r[0], lim)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	err := r[1].Wait(ctx, lim)
	assert.ErrorIs(t, err, context.Canceled, "the waiter gave up")
	assert.Less(t, time.Since(start), lim.Interval()*2/3, "and stopped waiting at once, not at its turn")
	wait(t, r[0], lim)
	assert.GreaterOrEqual(t, time.Since(start), lim.Interval()-20*time.Millisecond, "the turn given up is nobody else's early")
}

func testNoLimit(t *testing.T, s Store[payments.RateLimiter]) {
	l := s.Open(t)
	start := time.Now()
	for i := range 50 {
		wait(t, l, payments.Limit{Key: fmt.Sprint("none-", i%2), Count: 0, Per: time.Second})
	}
	assert.Less(t, time.Since(start), time.Second)
}

func testLimiterGoesAway(t *testing.T, s Store[payments.RateLimiter]) {
	l := s.Open(t)
	lim := payments.Limit{Key: "away", Count: 100, Per: time.Second}
	wait(t, l, lim)
	s.Break(t)
	var err error
	failsFast(t, "Wait", func(ctx context.Context) error { err = l.Wait(ctx, lim); return err })
	assert.NotErrorIs(t, err, payments.ErrLimitWait, "a store that is gone is not a rate limit")
}
