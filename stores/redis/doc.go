// Package redisstore keeps the state that the replicas of a service share
// on Redis: the webhook event log (payments.EventLog), credentials such as
// HelloAsso's OAuth token (payments.TokenStore), the client-side rate
// limits (payments.RateLimiter) and the ledger of refunds by payout
// (payments.RefundLedger, for Moneroo and Hub2).
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
//	store := redisstore.New(rdb)
//	handler := payments.WebhookHandler(client, handle, payments.WithEventLog(store.EventLog()))
//	client, err := moneroo.New(cfg, payments.WithRateLimiter(store.RateLimiter()))
//
// What each part guarantees, with every replica on the same Redis (one
// server, or a primary with replicas that it fails over to):
//
//   - EventLog: an event is claimed by one delivery at a time, for its
//     lease; a claim whose replica died expires with its lease, so the next
//     delivery handles the event; a handled event is remembered for the
//     retention WebhookHandler gives (a key that expires then). Each
//     delivery costs two round trips: a claim (one script) and a
//     completion (one SET).
//   - TokenStore: values expire with their ttl; the renewal lock is a key
//     taken with SET NX and an expiry, so a renewer that died holds it at
//     most its ttl; a waiter polls it (every 25ms at most) until it is free
//     or its context ends; unlock deletes it only if it still holds it.
//   - RateLimiter: the generic cell rate algorithm of payments.Limit in
//     one Lua script per request and limit, on the Redis server's clock, so
//     replicas whose clocks drift still share one budget. The limit's state
//     is one key that expires once it no longer matters.
//   - RefundLedger: a refund is reserved against its payment by one Lua
//     script that adds up the payment's refunds that did not fail and
//     records the refund only if the sum stays within the payment, so two
//     replicas refunding the same payment at once can never overdraw it.
//     Update is one script too: it never leaves a final state, and frees a
//     failed refund's amount once however many replicas record the
//     failure. Amounts are added by Redis's exact 64-bit HINCRBY and
//     compared as decimal strings, never as Lua's floating-point numbers.
//     One round trip per Reserve and per Update, one per Refunds, two per
//     Find (the payout's key, then the refund).
//
// Redis writes nothing durable unless it is configured to (appendonly):
// after a restart without it, handled events are forgotten (a redelivery
// is handled again) and tokens are fetched anew. The refund ledger is a
// record of money sent, and never expires: a ledger forgotten on a restart,
// lost in a failover (Redis replicates asynchronously) or evicted would
// let a payment be refunded twice. Keep it only on a Redis that persists
// its writes (appendonly yes; appendfsync always if even a machine that
// dies must lose nothing) and never evicts keys without a ttl
// (maxmemory-policy noeviction or volatile-*), or keep it in PostgreSQL
// (the stores/postgres module) while the rest stays on Redis.
// When Redis cannot be
// reached, every call returns an error: WebhookHandler answers 503, so the
// provider delivers again and nothing is lost, and a client fails the call
// with payments.ErrUnavailable before sending anything. Give the client
// ContextTimeoutEnabled (as above) so that a caller's deadline bounds each
// call even when Redis hangs rather than refuses. go-redis retries a failed
// command (MaxRetries, 3 by default) with a backoff: with Redis down, a
// call fails after a second or two; fewer retries answer sooner.
//
// Every key starts with a prefix ("payments:" unless WithPrefix changes
// it), followed by "event:", "token:", "lock:" or "limit:" and the key the
// library gives, or by "{ledger}:refunds:" and a payment id (a hash of its
// refunds) or "{ledger}:payouts:" and a payout id (the refund it pays). The
// scripts touch one key each, except the ledger's, whose keys share the
// "{ledger}" hash tag and so one slot: a Redis Cluster works too (the
// ledger on one of its nodes; refunds are few). Redis 5 or later (or a compatible server) is needed; the tests run
// Debian's 7.0.
//
// The module needs Go 1.24 or later, and github.com/redis/go-redis/v9.
package redisstore
