// Package pgstore keeps the state that the replicas of a service share in
// PostgreSQL: the webhook event log (payments.EventLog), credentials such
// as HelloAsso's OAuth token (payments.TokenStore) and the client-side rate
// limits (payments.RateLimiter).
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	if err := pgstore.Migrate(ctx, pool); err != nil { … } // creates the tables, once
//	store := pgstore.New(pool)
//	handler := payments.WebhookHandler(client, handle, payments.WithEventLog(store.EventLog()))
//	client, err := moneroo.New(cfg, payments.WithRateLimiter(store.RateLimiter()))
//
// Migrate applies the SQL files of Migrations (migrations/ in this module)
// in a transaction, once each, and records them in payments_migrations; it
// is safe to run from every replica at start-up. The tables are
// payments_events, payments_tokens, payments_token_locks and
// payments_rate_limits, in the search_path's first schema or in the one
// WithSchema names (give Migrate and New the same option). To run the
// migrations with a tool of your own, apply the files of Migrations in
// order instead.
//
// What each part guarantees, with every replica on the same database:
//
//   - EventLog: an event is claimed by one delivery at a time, for its
//     lease (an INSERT … ON CONFLICT that takes the row only when it is
//     free, so concurrent deliveries see one winner); a claim whose replica
//     died expires with its lease, so the next delivery handles the event;
//     a handled event is remembered for the retention WebhookHandler gives.
//     Each delivery costs two statements: a claim and a completion (which
//     also deletes up to ten expired events, so the table needs no sweeper).
//   - TokenStore: values expire with their ttl; the renewal lock is a row
//     naming its holder until it expires, so a renewer that died holds it
//     at most its ttl; a waiter tries again as the lock would expire, and
//     every 25ms before that, until its context ends; unlock deletes the row
//     only if it still holds it.
//   - RateLimiter: the generic cell rate algorithm of payments.Limit in one
//     statement per request and limit, on the server's clock, so replicas
//     whose clocks drift still share one budget.
//
// Times are the server's statement_timestamp(). When the database cannot be
// reached, every call returns an error: WebhookHandler answers 503, so the
// provider delivers again and nothing is lost, and a client fails the call
// with payments.ErrUnavailable before sending anything. Bound the pool's
// connection attempts (connect_timeout in the URL) so that an unreachable
// server fails calls quickly.
//
// The module needs Go 1.24 or later and PostgreSQL 12 or later (the tests
// run Debian's 15), with github.com/jackc/pgx/v5.
package pgstore
