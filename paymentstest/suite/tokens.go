package suite

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// TokenStore runs the conformance suite every payments.TokenStore passes:
// values every replica reads alike, replaced and expiring; a renewal lock
// that one holder has at a time, that an unlock hands on at once, that a
// crashed holder keeps only until it expires, and that a late unlock does
// not take from the next holder; the renewal pattern (lock, read again,
// renew only if still needed) renewing once among many replicas; and, where
// the store can go away, errors within the caller's deadline. newStore is
// called once per subtest.
func TokenStore(t *testing.T, newStore func(t *testing.T) Store[payments.TokenStore]) {
	t.Helper()
	t.Run("LoadSaveReplace", func(t *testing.T) { testLoadSave(t, newStore(t)) })
	t.Run("ValuesExpire", func(t *testing.T) { testValuesExpire(t, newStore(t)) })
	t.Run("OneHolderAtATime", func(t *testing.T) { testLockExcludes(t, newStore(t)) })
	t.Run("OneReplicaRenews", func(t *testing.T) { testOneRenewal(t, newStore(t)) })
	t.Run("UnlockHandsTheLockOn", func(t *testing.T) { testUnlockWakes(t, newStore(t)) })
	t.Run("ACrashedHolderBlocksUntilTheLockExpires", func(t *testing.T) { testCrashedHolder(t, newStore(t)) })
	t.Run("ALateUnlockFreesNothing", func(t *testing.T) { testLateUnlock(t, newStore(t)) })
	t.Run("LockWaitsUntilTheContextEnds", func(t *testing.T) { testLockContext(t, newStore(t)) })
	// An in-memory store has nothing that can go away: no Break, no subtest.
	if s := newStore(t); s.Break != nil {
		t.Run("StoreGoesAway", func(t *testing.T) { testTokenStoreGoesAway(t, newStore(t)) })
	}
}

func load(t *testing.T, s payments.TokenStore, key string) []byte {
	t.Helper()
	v, err := s.Load(context.Background(), key)
	require.NoError(t, err, "Load(%q)", key)
	return v
}

func lock(t *testing.T, s payments.TokenStore, key string, ttl time.Duration) func(context.Context) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	unlock, err := s.Lock(ctx, key, ttl)
	require.NoError(t, err, "Lock(%q)", key)
	require.NotNil(t, unlock)
	return unlock
}

func testLoadSave(t *testing.T, s Store[payments.TokenStore]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	assert.Nil(t, load(t, r[0], "tok"), "nothing stored yet")
	secret := []byte("{\"access_token\":\"eyJ\x00\xff\xfe\",\"refresh_token\":\"r1\"}")
	require.NoError(t, r[0].Save(ctx, "tok", secret, time.Hour))
	assert.Equal(t, secret, load(t, r[1], "tok"), "another replica reads the same bytes")
	secret[0] = 'X'
	assert.NotEqual(t, secret, load(t, r[1], "tok"), "the store keeps its own copy")

	require.NoError(t, r[1].Save(ctx, "tok", []byte("second"), 0))
	assert.Equal(t, []byte("second"), load(t, r[0], "tok"), "Save replaces")
	assert.Nil(t, load(t, r[0], "tok2"), "keys are independent")
	require.NoError(t, r[1].Save(ctx, "helloasso:"+string(bytes.Repeat([]byte("é"), 200)), []byte("v"), time.Hour))
	assert.Equal(t, []byte("v"), load(t, r[0], "helloasso:"+string(bytes.Repeat([]byte("é"), 200))))
}

func testValuesExpire(t *testing.T, s Store[payments.TokenStore]) {
	ctx := context.Background()
	r := replicas(t, s, 2)
	const ttl = 400 * time.Millisecond
	start := time.Now()
	require.NoError(t, r[0].Save(ctx, "short", []byte("v"), ttl))
	require.NoError(t, r[0].Save(ctx, "forever", []byte("v"), 0))
	assert.Equal(t, []byte("v"), load(t, r[1], "short"))
	eventually(t, 5*time.Second, func() bool { return load(t, r[1], "short") == nil }, "an expired value reads as none")
	assert.GreaterOrEqual(t, time.Since(start), ttl-100*time.Millisecond, "gone before its ttl")
	assert.Equal(t, []byte("v"), load(t, r[1], "forever"), "ttl 0 keeps the value until replaced")
}

func testLockExcludes(t *testing.T, s Store[payments.TokenStore]) {
	r := replicas(t, s, 3)
	const workers, rounds = 4, 3
	var inside, most, entries atomic.Int32
	var wg sync.WaitGroup
	for i := range len(r) * workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				unlock, err := r[i%len(r)].Lock(ctx, "tok", 10*time.Second)
				cancel()
				if !assert.NoError(t, err) {
					return
				}
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				entries.Add(1)
				time.Sleep(2 * time.Millisecond)
				inside.Add(-1)
				assert.NoError(t, unlock(context.Background()))
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), most.Load(), "holders at once")
	assert.Equal(t, int32(len(r)*workers*rounds), entries.Load(), "every caller got the lock in turn")
}

// testOneRenewal plays the renewal TokenStore documents, on a cold start
// of every replica at once.
func testOneRenewal(t *testing.T, s Store[payments.TokenStore]) {
	r := replicas(t, s, 3)
	const workers = 10
	var renewals atomic.Int32
	got := make([][]byte, len(r)*workers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			st, ctx := r[i%len(r)], context.Background()
			v, err := st.Load(ctx, "tok")
			if !assert.NoError(t, err) || v != nil {
				got[i] = v
				return
			}
			unlock, err := st.Lock(ctx, "tok", 10*time.Second)
			if !assert.NoError(t, err) {
				return
			}
			defer func() { assert.NoError(t, unlock(ctx)) }()
			if v, err = st.Load(ctx, "tok"); !assert.NoError(t, err) || v != nil {
				got[i] = v // another replica renewed while this one waited
				return
			}
			v = fmt.Appendf(nil, "token from caller %d", i)
			time.Sleep(20 * time.Millisecond) // the token request
			renewals.Add(1)
			assert.NoError(t, st.Save(ctx, "tok", v, time.Hour))
			got[i] = v
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int32(1), renewals.Load(), "renewals")
	for i := range got {
		assert.Equal(t, got[0], got[i], "caller %d uses the one token", i)
	}
}

func testUnlockWakes(t *testing.T, s Store[payments.TokenStore]) {
	r := replicas(t, s, 2)
	unlock := lock(t, r[0], "tok", time.Minute)
	done := make(chan time.Time, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if u, err := r[1].Lock(ctx, "tok", time.Minute); assert.NoError(t, err) {
			done <- time.Now()
			assert.NoError(t, u(ctx))
		}
		close(done)
	}()
	time.Sleep(150 * time.Millisecond)
	select {
	case <-done:
		require.Fail(t, "the lock was taken while held")
	default:
	}
	released := time.Now()
	require.NoError(t, unlock(context.Background()))
	got, ok := <-done
	require.True(t, ok, "the waiter never got the lock")
	<-done // the waiter unlocked
	assert.Less(t, got.Sub(released), 2*time.Second, "the waiter gets the lock soon after the unlock, long before it would expire")
}

func testCrashedHolder(t *testing.T, s Store[payments.TokenStore]) {
	const ttl = 500 * time.Millisecond
	dead := s.Open(t)
	start := time.Now()
	lock(t, dead, "tok", ttl)
	crash(t, dead)
	unlock := lock(t, s.Open(t), "tok", time.Minute)
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, ttl-100*time.Millisecond, "the lock was taken before it expired")
	assert.Less(t, took, ttl+3*time.Second, "a crashed holder blocks the others only until its lock expires")
	require.NoError(t, unlock(context.Background()))
}

func testLateUnlock(t *testing.T, s Store[payments.TokenStore]) {
	r := replicas(t, s, 3)
	late := lock(t, r[0], "tok", 300*time.Millisecond)
	second := lock(t, r[1], "tok", time.Minute) // once the first expired
	_ = late(context.Background())              // unlocking an expired lock: an error or nothing, never a release
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	_, err := r[2].Lock(ctx, "tok", time.Minute)
	cancel()
	require.Error(t, err, "a late unlock must not release the next holder's lock")
	require.NoError(t, second(context.Background()))
	lock(t, r[2], "tok", time.Minute)
}

func testLockContext(t *testing.T, s Store[payments.TokenStore]) {
	r := replicas(t, s, 2)
	lock(t, r[0], "tok", time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	unlock, err := r[1].Lock(ctx, "tok", time.Minute)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Nil(t, unlock)
	assert.Less(t, time.Since(start), 2*time.Second, "Lock gives up when its context ends")

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = r[1].Lock(cancelled, "tok", time.Minute)
	assert.ErrorIs(t, err, context.Canceled, "a cancelled context")
	_, err = r[1].Lock(cancelled, "other", time.Minute)
	assert.Error(t, err, "a cancelled context takes no lock, even a free one")
}

func testTokenStoreGoesAway(t *testing.T, s Store[payments.TokenStore]) {
	st := s.Open(t)
	ctx := context.Background()
	require.NoError(t, st.Save(ctx, "tok", []byte("v"), time.Hour))
	unlock := lock(t, st, "held", time.Minute)

	s.Break(t)
	failsFast(t, "Load", func(ctx context.Context) error {
		_, err := st.Load(ctx, "tok")
		return err
	})
	failsFast(t, "Save", func(ctx context.Context) error { return st.Save(ctx, "tok", []byte("w"), time.Hour) })
	failsFast(t, "Lock", func(ctx context.Context) error {
		_, err := st.Lock(ctx, "free", time.Minute)
		return err
	})
	failsFast(t, "unlock", func(ctx context.Context) error { return unlock(ctx) })
}
