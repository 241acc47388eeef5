package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	pgstore "github.com/unipay/payments/stores/postgres"
	"github.com/unipay/payments/stores/postgres/internal/pgtest"
)

// A database that an earlier release migrated (001 only, its events and
// tokens in use) gains the ledger's tables, and keeps what it held.
func TestMigrateAddsTheLedgerToAnEarlierDatabase(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	pool := srv.Pool(t)
	first, err := fs.ReadFile(pgstore.Migrations, "migrations/001_shared_state.sql")
	require.NoError(t, err)
	_, err = pool.Exec(ctx, string(first))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `CREATE TABLE payments_migrations (version integer PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now());
		INSERT INTO payments_migrations (version, name) VALUES (1, '001_shared_state.sql')`)
	require.NoError(t, err, "the state an earlier release's Migrate left")
	s := pgstore.New(pool)
	require.NoError(t, s.TokenStore().Save(ctx, "helloasso:abc", []byte("tok"), 0))
	_, err = s.RefundLedger().Refunds(ctx, "py_1")
	require.ErrorContains(t, err, "pgstore: refunds of payment", "no ledger yet: a clear error")

	require.NoError(t, pgstore.Migrate(ctx, pool))
	var names []string
	rows, err := pool.Query(ctx, "SELECT name FROM payments_migrations ORDER BY version")
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"001_shared_state.sql", "002_refund_ledger.sql"}, names, "002 applied and recorded, 001 not again")
	v, err := s.TokenStore().Load(ctx, "helloasso:abc")
	require.NoError(t, err)
	assert.Equal(t, []byte("tok"), v, "what the database held is kept")
	require.NoError(t, s.RefundLedger().Reserve(ctx, payments.RefundEntry{ID: "rf_1", PaymentID: "py_1",
		Amount: payments.Money{Amount: 1000, Currency: "XOF"}}, payments.Money{Amount: 5000, Currency: "XOF"}))
}

// Input no adapter would send, or that PostgreSQL's text cannot hold, is
// refused before any statement, naming the field.
func TestRefundLedgerRefusesBadInput(t *testing.T) {
	srv := pgtest.Start(t)
	cfg, err := pgxpool.ParseConfig(srv.URL())
	require.NoError(t, err)
	c := &counter{}
	cfg.ConnConfig.Tracer = c
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	l := pgstore.New(pool).RefundLedger()
	ctx := context.Background()
	xof := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }
	for _, tc := range []struct {
		e     payments.RefundEntry
		field string
	}{
		{payments.RefundEntry{PaymentID: "p", Amount: xof(1)}, "ID"},
		{payments.RefundEntry{ID: "r", Amount: xof(1)}, "PaymentID"},
		{payments.RefundEntry{ID: "r", PaymentID: "p", Amount: xof(0)}, "Amount"},
		{payments.RefundEntry{ID: "r", PaymentID: "p", Amount: xof(-5)}, "Amount"},
		{payments.RefundEntry{ID: "r\x00", PaymentID: "p", Amount: xof(1)}, "ID"},
		{payments.RefundEntry{ID: "r", PaymentID: "p\xff", Amount: xof(1)}, "PaymentID"},
		{payments.RefundEntry{ID: "r", PaymentID: "p", Amount: xof(1), Reason: "a\x00b"}, "Reason"},
	} {
		err := l.Reserve(ctx, tc.e, xof(100))
		require.ErrorIs(t, err, payments.ErrInvalidRequest)
		var pe *payments.Error
		require.True(t, errors.As(err, &pe))
		require.Len(t, pe.Fields, 1)
		assert.Equal(t, tc.field, pe.Fields[0].Field)
	}
	require.ErrorIs(t, l.Update(ctx, "p", "r", "refunded", ""), payments.ErrInvalidRequest, "not a RefundState")
	assert.Zero(t, c.n.Load(), "nothing reached PostgreSQL")
}

// With SERIALIZABLE as the database's default isolation, reservations
// racing on one payment still never overdraw it: a loser fails, with a
// conflict or a serialization error, and records nothing.
func TestRefundLedgerUnderSerializable(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	require.NoError(t, pgstore.Migrate(ctx, srv.Pool(t)))
	var ledgers [2]payments.RefundLedger
	for i := range ledgers {
		cfg, err := pgxpool.ParseConfig(srv.URL())
		require.NoError(t, err)
		cfg.ConnConfig.RuntimeParams["default_transaction_isolation"] = "serializable"
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		ledgers[i] = pgstore.New(pool).RefundLedger()
	}
	const workers, each, limit = 64, 100, 300
	var ok, serialization atomic.Int32
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := ledgers[i%2].Reserve(ctx, payments.RefundEntry{ID: fmt.Sprint("r", i), PaymentID: "p1",
				Amount: payments.Money{Amount: each, Currency: "XOF"}}, payments.Money{Amount: limit, Currency: "XOF"})
			var pgErr *pgconn.PgError
			switch {
			case err == nil:
				ok.Add(1)
			case errors.As(err, &pgErr) && pgErr.Code == "40001":
				serialization.Add(1)
			default:
				assert.ErrorIs(t, err, payments.ErrConflict)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d reserved, %d serialization failures", ok.Load(), serialization.Load())
	assert.LessOrEqual(t, ok.Load(), int32(limit/each), "never more than the payment")
	got, err := ledgers[0].Refunds(ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, int(ok.Load()), len(got), "a failed reservation records nothing")
	_, pending := payments.RefundTotals(got, "XOF")
	assert.LessOrEqual(t, pending.Amount, int64(limit))
}
