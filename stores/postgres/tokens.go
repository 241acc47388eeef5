package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/unipay/payments"
)

// TokenStore is a payments.TokenStore on PostgreSQL: values in the table
// payments_tokens, renewal locks in payments_token_locks (a row naming its
// holder until it expires). Values are kept as given: they are secrets, so
// grant these tables to the service's role only.
type TokenStore struct{ s *Store }

var _ payments.TokenStore = (*TokenStore)(nil)

// lockPoll is the longest a waiter sleeps between two tries of a held lock.
const lockPoll = 25 * time.Millisecond

// Load implements payments.TokenStore.
func (t *TokenStore) Load(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := t.s.pool.QueryRow(ctx, t.s.q.load, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: load token %q: %w", key, err)
	}
	return v, nil
}

// Save implements payments.TokenStore.
func (t *TokenStore) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if value == nil {
		value = []byte{} // the column is NOT NULL
	}
	if _, err := t.s.pool.Exec(ctx, t.s.q.save, key, value, max(ttl.Microseconds(), 0)); err != nil {
		return fmt.Errorf("pgstore: save token %q: %w", key, err)
	}
	return nil
}

// Lock implements payments.TokenStore. A held lock is tried again as soon
// as it would expire, and every 25ms before that, until ctx ends.
func (t *TokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	var name [16]byte
	_, _ = rand.Read(name[:])
	me := hex.EncodeToString(name[:])
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var mine bool
		var left int64
		if err := t.s.pool.QueryRow(ctx, t.s.q.lock, key, me, ttl.Microseconds()).Scan(&mine, &left); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("pgstore: lock token %q: %w", key, err)
		}
		if mine {
			return func(ctx context.Context) error {
				if _, err := t.s.pool.Exec(ctx, t.s.q.unlock, key, me); err != nil {
					return fmt.Errorf("pgstore: unlock token %q: %w", key, err)
				}
				return nil
			}, nil
		}
		timer := time.NewTimer(min(max(time.Duration(left)*time.Millisecond, time.Millisecond), lockPoll))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}
