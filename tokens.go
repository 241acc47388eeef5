package payments

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// TokenStore keeps credentials a client obtains at run time (HelloAsso's
// OAuth2 tokens), so that the replicas of a service share them instead of
// each fetching its own, and renew them one at a time.
//
// A client loads the stored token when its own is missing or about to
// expire. To renew it, the client takes the key's renewal lock, loads the
// token again (another replica may have just renewed it), renews only if it
// must, saves, and unlocks. The lock expires after its ttl, so a replica
// that dies while renewing blocks the others for at most that long.
//
// Values are secrets: implementations should keep them where only the
// service can read them. Each client keeps a MemoryTokenStore by default;
// the stores modules of this repository implement TokenStore on Redis and
// PostgreSQL, and every implementation passes the conformance suite in
// paymentstest/suite.
type TokenStore interface {
	// Load returns the value stored under key, or nil (and no error) when
	// there is none or it expired.
	Load(ctx context.Context, key string) ([]byte, error)
	// Save stores value under key in place of the previous one, for ttl
	// (0: until replaced).
	Save(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Lock takes key's renewal lock for at most ttl, waiting while another
	// holder has it, until ctx ends. unlock releases it, unless it expired
	// and another holder took it since.
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(context.Context) error, err error)
}

// MemoryTokenStore is a TokenStore in the process's memory: the default,
// right for a single process. The zero value is ready to use.
type MemoryTokenStore struct {
	mu     sync.Mutex
	values map[string]memoryValue
	locks  map[string]memoryValue // the lock holder's name in value, until expiry
	freed  chan struct{}          // closed and replaced whenever a lock is released
}

type memoryValue struct {
	value []byte
	until time.Time // zero: never expires
}

func (v memoryValue) live(now time.Time) bool { return v.until.IsZero() || now.Before(v.until) }

// Load implements TokenStore.
func (s *MemoryTokenStore) Load(_ context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.values[key]
	if !ok || !v.live(time.Now()) {
		return nil, nil
	}
	return append([]byte(nil), v.value...), nil
}

// Save implements TokenStore.
func (s *MemoryTokenStore) Save(_ context.Context, key string, value []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values == nil {
		s.values = map[string]memoryValue{}
	}
	v := memoryValue{value: append([]byte(nil), value...)}
	if ttl > 0 {
		v.until = time.Now().Add(ttl)
	}
	s.values[key] = v
	return nil
}

// Lock implements TokenStore.
func (s *MemoryTokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	var name [8]byte
	_, _ = rand.Read(name[:])
	me := hex.EncodeToString(name[:])
	for {
		// A caller that gave up takes no lock, even a free one: it would
		// hold it with no one to unlock it.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.mu.Lock()
		if s.locks == nil {
			s.locks = map[string]memoryValue{}
		}
		if s.freed == nil {
			s.freed = make(chan struct{})
		}
		now := time.Now()
		held, ok := s.locks[key]
		if !ok || !held.live(now) {
			s.locks[key] = memoryValue{value: []byte(me), until: now.Add(ttl)}
			s.mu.Unlock()
			return func(context.Context) error { s.unlock(key, me); return nil }, nil
		}
		freed, wait := s.freed, held.until.Sub(now)
		s.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-freed:
		case <-t.C:
		}
		t.Stop()
	}
}

func (s *MemoryTokenStore) unlock(key, me string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held, ok := s.locks[key]; ok && string(held.value) == me {
		delete(s.locks, key)
		close(s.freed)
		s.freed = make(chan struct{})
	}
}
