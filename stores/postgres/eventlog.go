package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/unipay/payments"
)

// EventLog is a payments.EventLog on PostgreSQL, in the table
// payments_events: one row per event, leased or done until expires_at.
type EventLog struct{ s *Store }

var _ payments.EventLog = (*EventLog)(nil)

// Claim implements payments.EventLog in one statement.
func (l *EventLog) Claim(ctx context.Context, key, owner string, lease time.Duration) (payments.ClaimState, error) {
	var claimed, done bool
	if err := l.s.pool.QueryRow(ctx, l.s.q.claim, key, owner, lease.Microseconds()).Scan(&claimed, &done); err != nil {
		return 0, fmt.Errorf("pgstore: claim event %q: %w", key, err)
	}
	switch {
	case claimed:
		return payments.Claimed, nil
	case done:
		return payments.Done, nil
	}
	return payments.InProgress, nil
}

// Complete implements payments.EventLog in one statement, which also
// deletes a few expired events. A retention of zero or less forgets the
// event at once.
func (l *EventLog) Complete(ctx context.Context, key, owner string, retention time.Duration) error {
	if _, err := l.s.pool.Exec(ctx, l.s.q.complete, key, owner, retention.Microseconds()); err != nil {
		return fmt.Errorf("pgstore: complete event %q: %w", key, err)
	}
	return nil
}

// Release implements payments.EventLog in one statement.
func (l *EventLog) Release(ctx context.Context, key, owner string) error {
	if _, err := l.s.pool.Exec(ctx, l.s.q.release, key, owner); err != nil {
		return fmt.Errorf("pgstore: release event %q: %w", key, err)
	}
	return nil
}
