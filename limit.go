package payments

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Limit is a rate limit a client keeps to: at most Count requests in any
// window of Per, at most Burst of them at once.
//
// Adapters declare their provider's documented caps as Limits (each adapter's
// documentation names them, for WithProviderLimit), and WithRateLimit adds
// one. A RateLimiter enforces them with the generic cell rate algorithm
// (GCRA): one request every Interval, with up to BurstSize at once, so that
// no window of Per ever holds more than Count.
type Limit struct {
	// Name is the limit's name in its adapter's documentation, such as
	// "requests"; WithProviderLimit finds it by this name.
	Name string
	// Key identifies what the limit counts: requests under the same Key share
	// it. Adapters build it from the provider, the account (a digest of its
	// credentials, never the credentials) and Name, so that every replica
	// using the same account shares one budget on a shared RateLimiter.
	Key string
	// Count requests at most in any window of Per.
	Count int
	Per   time.Duration
	// Burst is how many requests may go at once; 0 means a sixth of Count
	// (at least 1). It must be less than Count.
	Burst int
}

// BurstSize returns how many requests may go at once.
func (l Limit) BurstSize() int {
	b := l.Burst
	if b <= 0 {
		b = l.Count / 6
	}
	return max(1, min(b, l.Count-1))
}

// Interval returns the time between two requests once the burst is spent:
// Per / (Count - BurstSize), so that a burst plus a window's refill is
// Count. It is zero for a limit that allows everything (Count or Per zero).
func (l Limit) Interval() time.Duration {
	if l.Count <= 0 || l.Per <= 0 {
		return 0
	}
	if l.Count == 1 {
		return l.Per
	}
	return l.Per / time.Duration(l.Count-l.BurstSize())
}

// String describes the limit, such as "moneroo requests: 120 per 1m0s".
func (l Limit) String() string {
	return l.Key + ": " + strconv.Itoa(l.Count) + " per " + l.Per.String()
}

// RateLimiter makes a client's requests wait their turn under its Limits.
// Each client keeps a MemoryRateLimiter of its own by default; give the
// replicas of a service one on a shared store with WithRateLimiter.
type RateLimiter interface {
	// Wait returns nil when one more request may be sent under l (and counts
	// it), after waiting if it must. It returns an error, without counting
	// the request, when ctx ends first or would end before the request's
	// turn, or when the limiter cannot tell (its store is down).
	Wait(ctx context.Context, l Limit) error
}

// ErrLimitWait is what a RateLimiter returns when the caller's deadline
// would pass before the request's turn: the client then fails the call
// without waiting.
var ErrLimitWait = errors.New("rate limit: the request's turn comes after the context's deadline")

// MemoryRateLimiter is a RateLimiter in the process's memory, the default:
// right for one process. It is safe for concurrent use; the zero value is
// ready to use. Share one between clients to make them share their limits.
type MemoryRateLimiter struct {
	mu  sync.Mutex
	tat map[string]time.Time // per key, the theoretical arrival time of the next request
	now func() time.Time
}

// NewMemoryRateLimiter returns an empty MemoryRateLimiter.
func NewMemoryRateLimiter() *MemoryRateLimiter { return &MemoryRateLimiter{} }

// Wait implements RateLimiter. It reserves the request's turn, then sleeps
// until it comes; a caller whose context ends while it sleeps gives its turn
// up for nobody, so the limit is never exceeded.
func (m *MemoryRateLimiter) Wait(ctx context.Context, l Limit) error {
	delay, err := m.reserve(ctx, l)
	if err != nil || delay <= 0 {
		return err
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reserve takes the next turn under l and returns how long to wait for it.
func (m *MemoryRateLimiter) reserve(ctx context.Context, l Limit) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	interval := l.Interval()
	if interval <= 0 {
		return 0, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tat == nil {
		m.tat = map[string]time.Time{}
	}
	now := time.Now()
	if m.now != nil {
		now = m.now()
	}
	tat := m.tat[l.Key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(interval)
	// The request may go once next lies within the burst's tolerance.
	delay := next.Sub(now) - time.Duration(l.BurstSize())*interval
	if delay > 0 {
		if dl, ok := ctx.Deadline(); ok && now.Add(delay).After(dl) {
			return 0, ErrLimitWait
		}
	}
	m.tat[l.Key] = next
	return max(delay, 0), nil
}
