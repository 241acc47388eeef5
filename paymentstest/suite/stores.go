package suite

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Store is one store under test for the store suites (EventLog,
// TokenStore, RateLimiter, RefundLedger). The suites ask for a fresh, empty
// one for each subtest and run the subtests one after the other.
type Store[T any] struct {
	// Open returns a client of the store, as one replica of a service would
	// hold it: each call a new client, with connections of its own where the
	// store has connections. An in-memory store returns the same value
	// every time: its "replicas" are goroutines of one process.
	//
	// A client that implements io.Closer is closed to play a replica that
	// crashed: its connections drop and it never finishes what it began.
	Open func(t *testing.T) T
	// Break makes the store unreachable to every client Open returned, for
	// the rest of the subtest: stop its server. The suites then expect each
	// call to fail with an error, within the caller's deadline, and never to
	// panic. Leave it nil only when there is nothing that can go away (an
	// in-memory store): the suites then leave out the subtests that need
	// it.
	Break func(t *testing.T)
}

// crash plays a replica that dies: its connections drop and it never
// finishes what it began. A client that is not an io.Closer (an in-memory
// store) is simply abandoned.
func crash(t *testing.T, client any) {
	t.Helper()
	if c, ok := client.(io.Closer); ok {
		require.NoError(t, c.Close(), "closing the crashed replica's client")
	}
}

// replicas opens n clients of s.
func replicas[T any](t *testing.T, s Store[T], n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = s.Open(t)
	}
	return out
}

// eventually polls cond every few milliseconds until it holds or within
// passes; it returns how long that took.
func eventually(t *testing.T, within time.Duration, cond func() bool, msg string) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			require.Fail(t, msg, "still false after %s", within)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// failsFast runs call with a deadline and checks that it fails, by the
// deadline and with an error (a broken store is never a success).
func failsFast(t *testing.T, what string, call func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	err := call(ctx)
	assert.Error(t, err, "%s must fail when the store is gone", what)
	assert.Less(t, time.Since(start), 11*time.Second, "%s must give up by the caller's deadline", what)
	if err != nil {
		t.Logf("%s with the store gone: %v", what, err)
	}
}
