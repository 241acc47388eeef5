package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/unipay/payments"
)

// RateLimiter is a payments.RateLimiter on PostgreSQL: the generic cell
// rate algorithm, one row per Limit.Key in payments_rate_limits holding the
// theoretical arrival time of the next request on the server's clock.
type RateLimiter struct{ s *Store }

var _ payments.RateLimiter = (*RateLimiter)(nil)

// Wait implements payments.RateLimiter in one statement per request. Like
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
	var delay int64
	err := r.s.pool.QueryRow(ctx, r.s.q.gcra, l.Key, max(interval.Microseconds(), 1), l.BurstSize(), most).Scan(&delay)
	if errors.Is(err, pgx.ErrNoRows) {
		return payments.ErrLimitWait
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("pgstore: rate limit %q: %w", l.Key, err)
	}
	if delay <= 0 {
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
