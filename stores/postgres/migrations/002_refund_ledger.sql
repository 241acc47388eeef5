-- pgstore migration 2: the ledger of refunds by payout (payments.RefundLedger),
-- for the providers that refund by sending a payout (Moneroo, Hub2).
--
-- Migrate runs this file once, in a transaction, with the store's schema
-- first on the search_path, as it runs 001.

-- Per payment, what its refunds that did not fail add up to, in minor
-- units. A reservation adds to it, in the statement that records the
-- refund, only if the sum stays within the payment: an INSERT ... ON
-- CONFLICT DO UPDATE ... WHERE, which locks the row and reads its latest
-- version, so two replicas reserving at once wait for each other and
-- cannot both pass. A refund that fails takes its amount back, once.
CREATE TABLE IF NOT EXISTS payments_refund_totals (
    payment_id text   PRIMARY KEY,
    taken      bigint NOT NULL CHECK (taken >= 0)
);

-- One row per refund: reserved before its payout leaves, then pending,
-- succeeded or failed (the last two final). seq orders a payment's refunds
-- as they were reserved. Nothing is ever deleted: this is a record of money
-- sent.
CREATE TABLE IF NOT EXISTS payments_refunds (
    payment_id text        NOT NULL,
    id         text        NOT NULL,
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    amount     bigint      NOT NULL CHECK (amount > 0),
    currency   text        NOT NULL,
    state      text        NOT NULL CHECK (state IN ('reserved', 'pending', 'succeeded', 'failed')),
    payout_id  text,
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (payment_id, id)
);
-- A payout webhook names the payout only (RefundLedger.Find).
CREATE INDEX IF NOT EXISTS payments_refunds_payout_id ON payments_refunds (payout_id) WHERE payout_id IS NOT NULL;
