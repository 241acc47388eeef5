-- pgstore migration 1: the state the replicas of a service share.
--
-- Migrate runs this file once, in a transaction, with the store's schema
-- first on the search_path; to run it with a migration tool of your own,
-- set the search_path the same way (or run it as it is, for the default
-- schema) and apply it once.

-- The webhook event log (payments.EventLog). One row per event: held by a
-- delivery (done false) until expires_at, its lease; or handled (done true)
-- and remembered until expires_at, its retention. Completions delete a few
-- expired rows each, so the table stays near the events of one retention.
CREATE TABLE IF NOT EXISTS payments_events (
    key        text        PRIMARY KEY,
    owner      text        NOT NULL,
    done       boolean     NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_events_expires_at ON payments_events (expires_at);

-- Credentials such as HelloAsso's OAuth token (payments.TokenStore). The
-- values are secrets: grant this table to the service's role only. A NULL
-- expires_at keeps a value until it is replaced.
CREATE TABLE IF NOT EXISTS payments_tokens (
    key        text        PRIMARY KEY,
    value      bytea       NOT NULL,
    expires_at timestamptz
);

-- Renewal locks (payments.TokenStore.Lock): held by holder until
-- expires_at. Unlogged: a crash of the server releases them, which is
-- harmless.
CREATE UNLOGGED TABLE IF NOT EXISTS payments_token_locks (
    key        text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Client-side rate limits (payments.RateLimiter): per limit, the
-- theoretical arrival time of the next request (GCRA), in microseconds
-- since the Unix epoch on the server's clock. Unlogged: a crash of the
-- server resets the limits, as a restart of every replica would.
CREATE UNLOGGED TABLE IF NOT EXISTS payments_rate_limits (
    key text   PRIMARY KEY,
    tat bigint NOT NULL
);
