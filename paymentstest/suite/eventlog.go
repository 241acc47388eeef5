package suite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// EventLog runs the conformance suite every payments.EventLog passes:
// claims, completions and releases seen alike by every replica; leases
// that expire, so that a claimant that crashed loses its event to the next
// delivery; a retention window; many replicas claiming the same events at
// once, each event handled once; and, where the store can go away, errors
// (never a panic, never a success) and WebhookHandler's 503 while it is
// gone. newStore is called once per subtest.
func EventLog(t *testing.T, newStore func(t *testing.T) Store[payments.EventLog]) {
	t.Helper()
	t.Run("ClaimInProgressDone", func(t *testing.T) { testClaimInProgressDone(t, newStore(t)) })
	t.Run("KeysAreIndependent", func(t *testing.T) { testEventKeys(t, newStore(t)) })
	t.Run("ReleaseLetsTheNextDeliveryClaim", func(t *testing.T) { testRelease(t, newStore(t)) })
	t.Run("LeaseExpires", func(t *testing.T) { testLeaseExpires(t, newStore(t)) })
	t.Run("ACrashedClaimantsEventIsHandledAfterItsLease", func(t *testing.T) { testCrashedClaimant(t, newStore(t)) })
	t.Run("DoneIsRememberedForTheRetention", func(t *testing.T) { testRetention(t, newStore(t)) })
	t.Run("OneClaimantAmongMany", func(t *testing.T) { testOneClaimant(t, newStore(t)) })
	t.Run("ReplicasHandleEachEventOnce", func(t *testing.T) { testHandledOnce(t, newStore(t)) })
	// An in-memory log has nothing that can go away: no Break, no subtest.
	if s := newStore(t); s.Break != nil {
		t.Run("StoreGoesAway", func(t *testing.T) { testEventLogGoesAway(t, newStore(t)) })
	}
}

func claim(t *testing.T, l payments.EventLog, key, owner string, lease time.Duration) payments.ClaimState {
	t.Helper()
	state, err := l.Claim(context.Background(), key, owner, lease)
	require.NoError(t, err, "Claim(%q, %q)", key, owner)
	return state
}

func testClaimInProgressDone(t *testing.T, s Store[payments.EventLog]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	assert.Equal(t, payments.Claimed, claim(t, r[0], "evt", "a", time.Minute), "a new event")
	assert.Equal(t, payments.InProgress, claim(t, r[1], "evt", "b", time.Minute), "another replica, while a holds the lease")
	assert.Equal(t, payments.InProgress, claim(t, r[0], "evt", "c", time.Minute), "another delivery on the same replica")
	assert.Equal(t, payments.Claimed, claim(t, r[0], "evt", "a", time.Minute), "the holder claiming again keeps its lease")
	require.NoError(t, r[0].Complete(ctx, "evt", "a", time.Hour))
	assert.Equal(t, payments.Done, claim(t, r[1], "evt", "b", time.Minute), "a handled event, on another replica")
	assert.Equal(t, payments.Done, claim(t, r[0], "evt", "a", time.Minute), "a handled event, even for its holder")
	require.NoError(t, r[1].Release(ctx, "evt", "a"), "releasing a handled event")
	assert.Equal(t, payments.Done, claim(t, r[1], "evt", "d", time.Minute), "Release never undoes Complete")
}

func testEventKeys(t *testing.T, s Store[payments.EventLog]) {
	ctx := context.Background()
	l := s.Open(t)
	keys := []string{
		"moneroo:payment.success:py_1:success", "moneroo:payment.success:py_1:succes", "MONEROO:payment.success:py_1:success",
		"hub2:evt 1", "helloasso:sha256:" + strings.Repeat("ab", 32), "hero:é€🙂", "k:" + strings.Repeat("x", 1000),
		"it's \"quoted\"; --", "a*b?c[d]",
	}
	for i, k := range keys {
		assert.Equal(t, payments.Claimed, claim(t, l, k, "o", time.Minute), k)
		if i%2 == 0 {
			require.NoError(t, l.Complete(ctx, k, "o", time.Hour), k)
		}
	}
	for i, k := range keys {
		want := payments.InProgress
		if i%2 == 0 {
			want = payments.Done
		}
		assert.Equal(t, want, claim(t, l, k, "other", time.Minute), k)
	}
}

func testRelease(t *testing.T, s Store[payments.EventLog]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	require.Equal(t, payments.Claimed, claim(t, r[0], "evt", "a", time.Minute))
	require.NoError(t, r[1].Release(ctx, "evt", "b"), "releasing a lease one does not hold is no error")
	assert.Equal(t, payments.InProgress, claim(t, r[1], "evt", "c", time.Minute), "only the holder releases")
	require.NoError(t, r[0].Release(ctx, "evt", "a"))
	assert.Equal(t, payments.Claimed, claim(t, r[1], "evt", "c", time.Minute), "the next delivery, on another replica")
	require.NoError(t, r[0].Release(ctx, "evt", "a"), "a late second release")
	assert.Equal(t, payments.InProgress, claim(t, r[0], "evt", "d", time.Minute), "a late release leaves the new holder alone")
	require.NoError(t, r[0].Release(ctx, "never claimed", "a"), "releasing an unknown event is no error")
}

func testLeaseExpires(t *testing.T, s Store[payments.EventLog]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	const lease = 400 * time.Millisecond
	start := time.Now()
	require.Equal(t, payments.Claimed, claim(t, r[0], "evt", "a", lease))
	assert.Equal(t, payments.InProgress, claim(t, r[1], "evt", "b", lease), "the lease is live")
	took := eventually(t, 5*time.Second, func() bool { return claim(t, r[1], "evt", "b", time.Minute) == payments.Claimed },
		"an expired lease is taken over")
	assert.GreaterOrEqual(t, time.Since(start), lease-50*time.Millisecond, "the lease was taken over before it expired (after %s)", took)

	require.NoError(t, r[0].Release(ctx, "evt", "a"))
	assert.Equal(t, payments.InProgress, claim(t, r[0], "evt", "c", time.Minute), "the first holder's late release frees nothing")
	require.NoError(t, r[0].Complete(ctx, "evt", "a", time.Hour), "the first holder's handler did finish")
	assert.Equal(t, payments.Done, claim(t, r[1], "evt", "c", time.Minute), "Complete counts, whoever holds the lease")
}

func testCrashedClaimant(t *testing.T, s Store[payments.EventLog]) {
	const lease = 400 * time.Millisecond
	f := paymentstest.NewFake()
	sess, err := f.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 1500, Currency: "EUR"}, Reference: "order-crash", ReturnURL: "https://shop.example/back"})
	require.NoError(t, err)
	require.NoError(t, f.Pay(sess.ID))
	h, body, err := f.Webhook(sess.ID)
	require.NoError(t, err)
	ev, err := f.ParseWebhook(h, body)
	require.NoError(t, err)

	// The crashed replica claimed the event as WebhookHandler does, then
	// died before its handler finished.
	dead := s.Open(t)
	require.Equal(t, payments.Claimed, claim(t, dead, string(ev.Provider)+":"+ev.ID, "the dead replica", lease))
	crash(t, dead)

	var calls atomic.Int32
	live := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { calls.Add(1); return nil },
		payments.WithEventLog(s.Open(t)), payments.WithLease(time.Minute))
	deliver := func() int {
		rec := httptest.NewRecorder()
		live.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", h, body))
		return rec.Code
	}
	assert.Equal(t, http.StatusServiceUnavailable, deliver(), "while the dead replica's lease is live, the provider is asked to deliver again")
	eventually(t, 5*time.Second, func() bool { return deliver() == http.StatusOK }, "after the lease, another replica handles the event")
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, http.StatusOK, deliver(), "a redelivery is acknowledged")
	assert.Equal(t, int32(1), calls.Load(), "and not handled again")
}

func testRetention(t *testing.T, s Store[payments.EventLog]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	const retention = 400 * time.Millisecond
	require.Equal(t, payments.Claimed, claim(t, r[0], "short", "a", time.Minute))
	require.NoError(t, r[0].Complete(ctx, "short", "a", retention))
	require.Equal(t, payments.Claimed, claim(t, r[0], "long", "a", time.Minute))
	require.NoError(t, r[0].Complete(ctx, "long", "a", time.Hour))
	start := time.Now()
	assert.Equal(t, payments.Done, claim(t, r[1], "short", "b", time.Minute), "within the retention")
	eventually(t, 5*time.Second, func() bool { return claim(t, r[1], "short", "b", time.Minute) == payments.Claimed },
		"past the retention, the event is forgotten")
	assert.GreaterOrEqual(t, time.Since(start), retention-100*time.Millisecond, "forgotten before the retention ended")
	assert.Equal(t, payments.Done, claim(t, r[1], "long", "b", time.Minute), "another event keeps its own retention")
}

// testOneClaimant has many deliveries of one event claim it at once.
func testOneClaimant(t *testing.T, s Store[payments.EventLog]) {
	r := replicas(t, s, 3)
	const n = 30
	var claimed, busy atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			state, err := r[i%len(r)].Claim(context.Background(), "evt", fmt.Sprint("owner-", i), time.Minute)
			if !assert.NoError(t, err) {
				return
			}
			switch state {
			case payments.Claimed:
				claimed.Add(1)
			case payments.InProgress:
				busy.Add(1)
			default:
				assert.Fail(t, "unexpected state", "%s", state)
			}
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int32(1), claimed.Load(), "exactly one delivery claims the event")
	assert.Equal(t, int32(n-1), busy.Load(), "the others find it in progress")
}

// testHandledOnce has every replica deliver every event, from several
// goroutines, in a random order: each event is handled once, and every
// delivery ends up seeing it done.
func testHandledOnce(t *testing.T, s Store[payments.EventLog]) {
	r := replicas(t, s, 3)
	const events, workers = 40, 4
	var handled [events]atomic.Int32
	var inside [events]atomic.Int32
	deadline := time.Now().Add(30 * time.Second)
	var wg sync.WaitGroup
	for rep := range r {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				for _, e := range rand.Perm(events) {
					key := fmt.Sprint("evt-", e)
					owner := fmt.Sprint("replica-", rep, "-worker-", w)
					for time.Now().Before(deadline) {
						state, err := r[rep].Claim(ctx, key, owner, time.Minute)
						if !assert.NoError(t, err) {
							return
						}
						if state == payments.Done {
							break
						}
						if state == payments.InProgress {
							time.Sleep(time.Millisecond) // the provider delivers again later
							continue
						}
						if inside[e].Add(1) != 1 {
							assert.Fail(t, "two holders at once", "event %d", e)
						}
						handled[e].Add(1)
						inside[e].Add(-1)
						if !assert.NoError(t, r[rep].Complete(ctx, key, owner, time.Hour)) {
							return
						}
						break
					}
				}
			}()
		}
	}
	wg.Wait()
	for e := range events {
		assert.Equal(t, int32(1), handled[e].Load(), "event %d handled once", e)
	}
}

func testEventLogGoesAway(t *testing.T, s Store[payments.EventLog]) {
	l := s.Open(t)
	f := paymentstest.NewFake()
	var calls atomic.Int32
	handler := payments.WebhookHandler(f, func(context.Context, *payments.Event) error { calls.Add(1); return nil },
		payments.WithEventLog(l))
	deliver := func(id string) int {
		h, body, err := f.Webhook(id)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", h, body))
		return rec.Code
	}
	pay := func(ref string) string {
		sess, err := f.Create(context.Background(), payments.CreateRequest{
			Amount: payments.Money{Amount: 1500, Currency: "EUR"}, Reference: ref, ReturnURL: "https://shop.example/back"})
		require.NoError(t, err)
		require.NoError(t, f.Pay(sess.ID))
		return sess.ID
	}
	before, after := pay("before"), pay("after")
	require.Equal(t, http.StatusOK, deliver(before))
	require.Equal(t, payments.Claimed, claim(t, l, "held", "a", time.Minute))

	s.Break(t)
	failsFast(t, "Claim", func(ctx context.Context) error {
		_, err := l.Claim(ctx, "evt", "a", time.Minute)
		return err
	})
	failsFast(t, "Complete", func(ctx context.Context) error { return l.Complete(ctx, "held", "a", time.Hour) })
	failsFast(t, "Release", func(ctx context.Context) error { return l.Release(ctx, "held", "a") })
	assert.Equal(t, http.StatusServiceUnavailable, deliver(after), "a new event: the provider is asked to deliver again")
	assert.Equal(t, http.StatusServiceUnavailable, deliver(before), "a handled event: the log cannot tell, so again later")
	assert.Equal(t, int32(1), calls.Load(), "no event is handled without its claim")
}
