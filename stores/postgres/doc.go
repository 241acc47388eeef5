// Package pgstore keeps the state that the replicas of a service share in
// PostgreSQL: the webhook event log (payments.EventLog), credentials such
// as HelloAsso's OAuth token (payments.TokenStore), the client-side rate
// limits (payments.RateLimiter) and the ledger of refunds by payout
// (payments.RefundLedger, for Moneroo and Hub2).
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
// payments_events, payments_tokens, payments_token_locks,
// payments_rate_limits, payments_refunds and payments_refund_totals (the
// last two since migration 2), in the search_path's first schema or in the one
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
//   - RefundLedger: a refund is reserved against its payment in one
//     statement that raises the payment's total (what its refunds that did
//     not fail add up to) only if it stays within the payment, and records
//     the refund only if it did. The raise is an INSERT … ON CONFLICT DO
//     UPDATE … WHERE on the payment's row, which locks it and reads its
//     latest version, so two replicas reserving at once queue on the row
//     and cannot both pass. Update is one statement too: it locks the
//     refund's row (SELECT … FOR UPDATE), never leaves a final state, and
//     gives a failed refund's amount back once however many replicas
//     record the failure (a CHECK keeps the total from going below zero).
//     One statement per Reserve, Update, Refunds and Find (by an index of
//     the payout ids); a reservation that does not fit costs a second, to
//     say what remains. Rows are never deleted: they record money sent.
//     Under the default READ COMMITTED, racing calls wait for each other;
//     with REPEATABLE READ or SERIALIZABLE as the database's default, one
//     of them may fail with a serialization error instead (nothing
//     recorded: call it again). Ids and reasons are text: valid UTF-8
//     without NUL, or Reserve refuses them.
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
