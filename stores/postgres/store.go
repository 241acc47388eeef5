package pgstore

import (
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store keeps the library's shared state in one PostgreSQL database, in the
// tables Migrate creates. It is safe for concurrent use. It does not own
// its pool: close the pool when done.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	q      queries
	lq     ledgerQueries
}

// Option changes a Store setting.
type Option func(*Store)

// WithSchema keeps the tables in schema (Migrate creates it) instead of the
// first schema of the connection's search_path: to keep two services, or
// the library's tables, apart.
func WithSchema(schema string) Option { return func(s *Store) { s.schema = schema } }

// New returns a Store on pool. It does no network I/O: call Migrate once
// before using it (at start-up, from every replica if you like).
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{pool: pool}
	for _, o := range opts {
		o(s)
	}
	s.q = newQueries(s.table)
	s.lq = newLedgerQueries(s.table)
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

// table returns a table's name, qualified by the schema if there is one.
func (s *Store) table(name string) string {
	if s.schema == "" {
		return pgx.Identifier{name}.Sanitize()
	}
	return pgx.Identifier{s.schema, name}.Sanitize()
}

// now is the server's clock, the same for every replica and for the whole
// statement.
const now = "statement_timestamp()"

// micros turns a bigint parameter of microseconds into an interval.
func micros(param string) string { return "(" + param + "::bigint * interval '1 microsecond')" }

// queries are the statements the store sends, one per call.
type queries struct {
	claim, complete, release string
	load, save, lock, unlock string
	gcra                     string
}

func newQueries(table func(string) string) queries {
	events, tokens, locks, limits := table("payments_events"), table("payments_tokens"),
		table("payments_token_locks"), table("payments_rate_limits")
	// A lease is free once it expired, or for its own owner while the
	// event is not done.
	free := "(e.expires_at <= " + now + " OR (NOT e.done AND e.owner = excluded.owner))"
	lockFree := "(l.expires_at <= " + now + " OR l.holder = excluded.holder)"
	nowMicros := "(extract(epoch FROM " + now + ") * 1000000)::bigint"
	return queries{
		// One statement that always returns the row: taken over when free,
		// left as it was otherwise, so the answer is the latest committed
		// state even when deliveries race.
		claim: fmt.Sprintf(`INSERT INTO %[1]s AS e (key, owner, done, expires_at)
VALUES ($1, $2, false, %[2]s + %[3]s)
ON CONFLICT (key) DO UPDATE SET
	owner = CASE WHEN %[4]s THEN excluded.owner ELSE e.owner END,
	done = CASE WHEN %[4]s THEN false ELSE e.done END,
	expires_at = CASE WHEN %[4]s THEN excluded.expires_at ELSE e.expires_at END
RETURNING owner = $2 AND NOT done, done`, events, now, micros("$3"), free),
		// Completing also deletes up to ten expired events, so the table
		// keeps to about one retention's events without a sweeper.
		complete: fmt.Sprintf(`WITH expired AS (
	DELETE FROM %[1]s WHERE key IN (
		SELECT key FROM %[1]s WHERE expires_at < %[2]s AND key <> $1
		ORDER BY expires_at LIMIT 10 FOR UPDATE SKIP LOCKED))
INSERT INTO %[1]s AS e (key, owner, done, expires_at) VALUES ($1, $2, true, %[2]s + %[3]s)
ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, done = true, expires_at = excluded.expires_at`,
			events, now, micros("$3")),
		release: fmt.Sprintf(`DELETE FROM %s WHERE key = $1 AND owner = $2 AND NOT done`, events),

		load: fmt.Sprintf(`SELECT value FROM %s WHERE key = $1 AND (expires_at IS NULL OR expires_at > %s)`, tokens, now),
		save: fmt.Sprintf(`INSERT INTO %[1]s (key, value, expires_at)
VALUES ($1, $2, CASE WHEN $3::bigint > 0 THEN %[2]s + %[3]s END)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`, tokens, now, micros("$3")),
		// Like claim: the row comes back either way, with how long the
		// holder's lock has left.
		lock: fmt.Sprintf(`INSERT INTO %[1]s AS l (key, holder, expires_at) VALUES ($1, $2, %[2]s + %[3]s)
ON CONFLICT (key) DO UPDATE SET
	holder = CASE WHEN %[4]s THEN excluded.holder ELSE l.holder END,
	expires_at = CASE WHEN %[4]s THEN excluded.expires_at ELSE l.expires_at END
RETURNING holder = $2, (extract(epoch FROM expires_at - %[2]s) * 1000)::bigint`, locks, now, micros("$3"), lockFree),
		unlock: fmt.Sprintf(`DELETE FROM %s WHERE key = $1 AND holder = $2`, locks),

		// GCRA: $2 the interval and $4 the longest the caller can wait, in
		// microseconds (-1: no bound), $3 the burst. The turn is taken
		// only if it comes in time: no row otherwise. It returns the
		// microseconds to wait.
		gcra: fmt.Sprintf(`INSERT INTO %[1]s AS r (key, tat) VALUES ($1, %[2]s + $2::bigint)
ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, %[2]s) + $2::bigint
	WHERE $4::bigint < 0 OR greatest(r.tat, %[2]s) + $2::bigint - $3::bigint * $2::bigint - %[2]s <= $4::bigint
RETURNING greatest(r.tat - $3::bigint * $2::bigint - %[2]s, 0)`, limits, nowMicros),
	}
}
