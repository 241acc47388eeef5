package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments"
)

// RateLimiter is a payments.RateLimiter on Redis: the generic cell rate
// algorithm, one key per Limit.Key holding the theoretical arrival time of
// the next request in microseconds of the Redis server's clock.
type RateLimiter struct{ s *Store }

var _ payments.RateLimiter = (*RateLimiter)(nil)

// gcraScript reserves the next turn under the limit KEYS[1], with ARGV[1]
// the limit's interval and ARGV[3] the longest the caller can wait, in
// microseconds (-1: no bound), and ARGV[2] its burst. It returns how many
// microseconds to wait for the turn, or -1, counting nothing, when the turn
// comes too late. TIME is the server's clock, the same for every replica;
// Redis 5 and later replicate the script's effects, so it may write after
// reading the clock.
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nxt = tat + interval
local delay = nxt - now - tonumber(ARGV[2]) * interval
if delay < 0 then delay = 0 end
local most = tonumber(ARGV[3])
if most >= 0 and delay > most then return -1 end
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1)
return delay
`)

// Wait implements payments.RateLimiter in one round trip per request. Like
// payments.MemoryRateLimiter, it reserves the turn, then sleeps until it
// comes; a caller whose context ends while it sleeps gives its turn up for
// nobody, so the limit is never exceeded.
func (r *RateLimiter) Wait(ctx context.Context, l payments.Limit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	interval := l.Interval()
	if interval <= 0 {
		return nil
	}
	most := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		most = max(time.Until(dl).Microseconds(), 0)
	}
	delay, err := gcraScript.Run(ctx, r.s.rdb, []string{r.s.key("limit", l.Key)},
		max(interval.Microseconds(), 1), l.BurstSize(), most).Int64()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("redisstore: rate limit %q: %w", l.Key, err)
	}
	if delay < 0 {
		return payments.ErrLimitWait
	}
	if delay == 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(delay) * time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
