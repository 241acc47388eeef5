package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments"
)

// EventLog is a payments.EventLog on Redis. Each event is one key: "l:"
// and its owner while a delivery holds its lease, "d" once handled; the
// key expires with the lease, or with the retention once handled.
type EventLog struct{ s *Store }

var _ payments.EventLog = (*EventLog)(nil)

const doneValue = "d"

func leaseValue(owner string) string { return "l:" + owner }

// claimScript takes KEYS[1]'s lease for the owner ARGV[1] (its lease value)
// for ARGV[2] ms unless the event is done (3) or another owner's lease is
// live (2); it returns 1 when claimed. An expired lease is a missing key. The
// holder claiming again renews its lease, so that a retried claim is no
// "in progress".
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == '` + doneValue + `' then return 3 end
if v and v ~= ARGV[1] then return 2 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// Claim implements payments.EventLog in one round trip.
func (l *EventLog) Claim(ctx context.Context, key, owner string, lease time.Duration) (payments.ClaimState, error) {
	n, err := claimScript.Run(ctx, l.s.rdb, []string{l.s.key("event", key)}, leaseValue(owner), ms(lease)).Int()
	if err != nil {
		return 0, fmt.Errorf("redisstore: claim event %q: %w", key, err)
	}
	switch payments.ClaimState(n) {
	case payments.Claimed, payments.InProgress, payments.Done:
		return payments.ClaimState(n), nil
	}
	return 0, fmt.Errorf("redisstore: claim event %q: the script answered %d", key, n)
}

// Complete implements payments.EventLog in one round trip. A retention of
// zero or less forgets the event at once.
func (l *EventLog) Complete(ctx context.Context, key, owner string, retention time.Duration) error {
	k := l.s.key("event", key)
	var err error
	if retention <= 0 {
		err = l.s.rdb.Del(ctx, k).Err()
	} else {
		err = l.s.rdb.Set(ctx, k, doneValue, time.Duration(ms(retention))*time.Millisecond).Err()
	}
	if err != nil {
		return fmt.Errorf("redisstore: complete event %q: %w", key, err)
	}
	return nil
}

// Release implements payments.EventLog in one round trip.
func (l *EventLog) Release(ctx context.Context, key, owner string) error {
	if err := compareAndDelete.Run(ctx, l.s.rdb, []string{l.s.key("event", key)}, leaseValue(owner)).Err(); err != nil {
		return fmt.Errorf("redisstore: release event %q: %w", key, err)
	}
	return nil
}
