package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments"
)

// TokenStore is a payments.TokenStore on Redis: each value is a key with
// the value's ttl, each renewal lock a key holding its holder's random name
// with the lock's ttl. Values are kept as given: they are secrets, so keep
// Redis where only the service reaches it (a password, TLS).
type TokenStore struct{ s *Store }

var _ payments.TokenStore = (*TokenStore)(nil)

// lockPoll is the longest a waiter sleeps between two tries of a held lock.
const lockPoll = 25 * time.Millisecond

// Load implements payments.TokenStore.
func (t *TokenStore) Load(ctx context.Context, key string) ([]byte, error) {
	v, err := t.s.rdb.Get(ctx, t.s.key("token", key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: load token %q: %w", key, err)
	}
	return v, nil
}

// Save implements payments.TokenStore.
func (t *TokenStore) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	var exp time.Duration // 0: no expiry
	if ttl > 0 {
		exp = time.Duration(ms(ttl)) * time.Millisecond
	}
	if err := t.s.rdb.Set(ctx, t.s.key("token", key), value, exp).Err(); err != nil {
		return fmt.Errorf("redisstore: save token %q: %w", key, err)
	}
	return nil
}

// lockScript takes KEYS[1] for the holder ARGV[1] for ARGV[2] ms and
// returns 0, or returns how many ms the other holder's lock has left. The
// holder taking it again renews it, so that a retried try does not wait for
// its own lock.
var lockScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return 0
end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then left = 1 end
return left
`)

// Lock implements payments.TokenStore. A held lock is tried again as soon
// as it would expire, and every 25ms before that, until ctx ends.
func (t *TokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	var name [16]byte
	_, _ = rand.Read(name[:])
	me := hex.EncodeToString(name[:])
	k := t.s.key("lock", key)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		left, err := lockScript.Run(ctx, t.s.rdb, []string{k}, me, ms(ttl)).Int64()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("redisstore: lock token %q: %w", key, err)
		}
		if left == 0 {
			return func(ctx context.Context) error {
				if err := compareAndDelete.Run(ctx, t.s.rdb, []string{k}, me).Err(); err != nil {
					return fmt.Errorf("redisstore: unlock token %q: %w", key, err)
				}
				return nil
			}, nil
		}
		timer := time.NewTimer(min(time.Duration(left)*time.Millisecond, lockPoll))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}
