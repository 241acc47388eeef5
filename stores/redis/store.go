package redisstore

import (
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every key a Store writes, unless WithPrefix changes
// it.
const DefaultPrefix = "payments:"

// Store keeps the library's shared state on one Redis. It is safe for
// concurrent use. It does not own its client: close the client when done.
type Store struct {
	rdb    redis.Cmdable
	prefix string
}

// Option changes a Store setting.
type Option func(*Store)

// WithPrefix starts every key with prefix instead of DefaultPrefix: to
// keep two services (or two environments) apart on one Redis.
func WithPrefix(prefix string) Option { return func(s *Store) { s.prefix = prefix } }

// New returns a Store on rdb: a *redis.Client, *redis.ClusterClient,
// *redis.Ring or any redis.UniversalClient. It does no network I/O.
func New(rdb redis.Cmdable, opts ...Option) *Store {
	s := &Store{rdb: rdb, prefix: DefaultPrefix}
	for _, o := range opts {
		o(s)
	}
	return s
}

// EventLog returns the store's payments.EventLog, for
// payments.WithEventLog.
func (s *Store) EventLog() *EventLog { return &EventLog{s: s} }

// TokenStore returns the store's payments.TokenStore.
func (s *Store) TokenStore() *TokenStore { return &TokenStore{s: s} }

// RateLimiter returns the store's payments.RateLimiter, for
// payments.WithRateLimiter.
func (s *Store) RateLimiter() *RateLimiter { return &RateLimiter{s: s} }

// RefundLedger returns the store's payments.RefundLedger, for the refunds
// by payout of the Moneroo and Hub2 adapters.
func (s *Store) RefundLedger() *RefundLedger { return &RefundLedger{s: s} }

// key returns the Redis key of a library key in a kind of state.
func (s *Store) key(kind, key string) string { return s.prefix + kind + ":" + key }

// compareAndDelete deletes KEYS[1] if it holds ARGV[1]: a lease or a lock
// is given up only by its holder.
var compareAndDelete = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// ms returns d in milliseconds, rounded up and at least 1: Redis expiries
// are in milliseconds and refuse 0.
func ms(d time.Duration) int64 {
	return max(int64((d+time.Millisecond-1)/time.Millisecond), 1)
}
