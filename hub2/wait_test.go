package hub2_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/internal/httpx"
	"github.com/unipay/payments/paymentstest"
)

// clock is a test clock that moves only when the client "sleeps": the
// client's waits are recorded and advance the simulator's rate-limit windows,
// so that no test waits for real.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	// after, when set, runs after each wait with the number of waits so far.
	after func(n int)
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	n, after := len(c.waits), c.after
	c.mu.Unlock()
	if after != nil {
		after(n)
	}
	return ctx.Err()
}

func (c *clock) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var t time.Duration
	for _, d := range c.waits {
		t += d
	}
	return t
}

// waitSim is a simulator enforcing Hub2's per-intent limits on a test clock,
// a client whose waits follow that clock, and an intent waiting for the
// customer's USSD confirmation.
func waitSim(t *testing.T) (*hub2.Client, *hub2test.Server, *clock, string) {
	t.Helper()
	c, srv := newSim(t)
	clk := &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	srv.SetClock(clk.Now)
	srv.SetRateLimits(true)
	hub2.SetSleep(c, clk.sleep)
	s, err := c.Create(context.Background(), order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.Equal(t, payments.StatusActionRequired, s.Status)
	return c, srv, clk, s.ID
}

func TestWaitForFinalPacesItsPollsWithinHub2sLimits(t *testing.T) {
	c, srv, clk, id := waitSim(t)
	clk.after = func(n int) {
		if n == 4 {
			assert.NoError(t, srv.Pay(id), "the customer confirms during the fourth wait")
		}
	}
	before := srv.Requests()
	p, err := c.WaitForFinal(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)
	assert.Equal(t, xof5000, p.Amount)
	assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond}, clk.waits,
		"waits grow by half each time")
	assert.Equal(t, 5+1, srv.Requests()-before, "five status reads, then one read of the intent")
	assert.Zero(t, srv.Throttled(), "never over Hub2's limits")
}

func TestWaitForFinalStaysFarBelowTheLimitsOverTenMinutes(t *testing.T) {
	c, srv, clk, id := waitSim(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.after = func(int) {
		if clk.total() >= 10*time.Minute {
			cancel()
		}
	}
	before := srv.Requests()
	_, err := c.WaitForFinal(ctx, id)
	require.ErrorIs(t, err, context.Canceled)
	polls := srv.Requests() - before
	// 2, 3, 4.5 … seconds, then every 30 s: 25 polls where Hub2 would allow
	// 600 status reads.
	assert.Equal(t, 25, polls, "about one poll per 30 s once slowed down")
	assert.Zero(t, srv.Throttled())
	for _, d := range clk.waits {
		assert.LessOrEqual(t, d, hub2.PollMax)
		assert.GreaterOrEqual(t, d, hub2.PollFirst)
	}
}

// TestWaitForFinalUnder429SlowsDown: with Hub2 answering 429, the client waits
// what Retry-After says (or a doubling window without it) and polls slower
// afterwards, instead of hammering.
func TestWaitForFinalUnder429SlowsDown(t *testing.T) {
	t.Run("Retry-After", func(t *testing.T) {
		c, srv, clk, id := waitSim(t)
		f := paymentstest.RateLimited(20 * time.Second)
		f.Method, f.Path, f.Times = http.MethodGet, "/payment-intents/"+id+"/status", 3
		srv.Faults.Add(f)
		clk.after = func(n int) {
			if n == 4 {
				assert.NoError(t, srv.Pay(id))
			}
		}
		before := srv.Requests()
		p, err := c.WaitForFinal(context.Background(), id)
		require.NoError(t, err)
		assert.Equal(t, payments.StatusSucceeded, p.Status)
		require.Len(t, clk.waits, 4)
		assert.Equal(t, []time.Duration{20 * time.Second, 20 * time.Second, 20 * time.Second}, clk.waits[:3], "Retry-After honoured")
		assert.GreaterOrEqual(t, clk.waits[3], 16*time.Second, "after the 429s, polls are slower than the first 2 s")
		assert.Equal(t, 3+2+1, srv.Requests()-before, "three refused, two status reads, one read of the intent")
		assert.Zero(t, srv.Throttled(), "the simulator's own limits were never reached")
	})
	t.Run("no Retry-After", func(t *testing.T) {
		c, srv, clk, id := waitSim(t)
		srv.Faults.Add(paymentstest.Fault{Method: http.MethodGet, Path: "/payment-intents/" + id + "/status", Status: http.StatusTooManyRequests,
			Body: `{"status":429,"code":"Too Many Requests","message":"ThrottlerException"}`, Times: 4})
		require.NoError(t, srv.Pay(id))
		before := srv.Requests()
		p, err := c.WaitForFinal(context.Background(), id)
		require.NoError(t, err)
		assert.Equal(t, payments.StatusSucceeded, p.Status)
		assert.Equal(t, []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second}, clk.waits,
			"a window of 5 s, doubling with each 429 in a row")
		assert.Equal(t, 4+1+1, srv.Requests()-before)
	})
	t.Run("the simulator's own limits", func(t *testing.T) {
		c, srv, clk, id := waitSim(t)
		// Another poller (the customer's payment modal) used up the status
		// quota of this intent for the current 5 s.
		for range 5 {
			_, err := c.PaymentIntentStatus(context.Background(), id)
			require.NoError(t, err)
		}
		require.NoError(t, srv.Pay(id))
		p, err := c.WaitForFinal(context.Background(), id)
		require.NoError(t, err)
		assert.Equal(t, payments.StatusSucceeded, p.Status)
		assert.Equal(t, 1, srv.Throttled(), "one 429, then the client waited")
		assert.Equal(t, []time.Duration{5 * time.Second}, clk.waits, "the simulator's Retry-After")
	})
}

func TestWaitForFinalGivesUpAfterRepeatedFailures(t *testing.T) {
	c, srv, clk, id := waitSim(t)
	srv.Faults.Add(paymentstest.Fault{Path: "/payment-intents/" + id, Status: 503, Body: "<html>down</html>", Times: 100})
	before := srv.Requests()
	_, err := c.WaitForFinal(context.Background(), id)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, hub2.MaxFailures, srv.Requests()-before)
	assert.Len(t, clk.waits, hub2.MaxFailures-1)
	for _, d := range clk.waits {
		assert.GreaterOrEqual(t, d, hub2.ThrottleBase)
	}
}

func TestWaitForFinalReturnsOtherErrorsAtOnce(t *testing.T) {
	c, srv := newSim(t)
	hub2.SetSleep(c, func(context.Context, time.Duration) error { t.Fatal("no wait for a missing intent"); return nil })
	_, err := c.WaitForFinal(context.Background(), "pi_missing")
	require.ErrorIs(t, err, payments.ErrNotFound)
	assert.Equal(t, 1, srv.Requests())
	_, err = c.WaitForFinal(context.Background(), "")
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
}

// TestWaitForFinalWithoutAStatusField: the status endpoint's schema is not
// published; when it carries no status, the client reads the whole intent,
// no more than once per 5 s.
func TestWaitForFinalWithoutAStatusField(t *testing.T) {
	c, srv, clk, id := waitSim(t)
	srv.Faults.Add(paymentstest.Fault{Method: http.MethodGet, Path: "/payment-intents/" + id + "/status", Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"id":"` + id + `"}`})
	clk.after = func(n int) {
		if n == 3 {
			assert.NoError(t, srv.Pay(id))
		}
	}
	before := srv.Requests()
	p, err := c.WaitForFinal(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)
	assert.Equal(t, 1+4, srv.Requests()-before, "one status read, then the intent only")
	assert.Zero(t, srv.Throttled(), "the intent is read once per 5 s at most")
	for _, d := range clk.waits {
		assert.GreaterOrEqual(t, d, hub2.IntentGap)
	}
}

func TestWaitForFinalEndsWithTheContext(t *testing.T) {
	c, _, _, id := waitSim(t)
	ctx, cancel := context.WithCancel(context.Background())
	hub2.SetSleep(c, func(ctx context.Context, d time.Duration) error {
		cancel()
		return httpx.Sleep(ctx, d) // the real wait, which must end on cancel
	})
	_, err := c.WaitForFinal(ctx, id)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, payments.ErrUnavailable)
}
