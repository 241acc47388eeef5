package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	pgstore "github.com/unipay/payments/stores/postgres"
	"github.com/unipay/payments/stores/postgres/internal/pgtest"
)

func TestMigrateFromEveryReplicaAtOnce(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, pgstore.Migrate(ctx, srv.Pool(t)), "replicas migrating together wait for each other")
		}()
	}
	wg.Wait()
	pool := srv.Pool(t)
	require.NoError(t, pgstore.Migrate(ctx, pool), "migrating again changes nothing")
	var versions []int32
	rows, err := pool.Query(ctx, "SELECT version FROM payments_migrations ORDER BY version")
	require.NoError(t, err)
	for rows.Next() {
		var v int32
		require.NoError(t, rows.Scan(&v))
		versions = append(versions, v)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []int32{1, 2}, versions, "each migration applied once")
	var tables []string
	rows, err = pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	assert.Equal(t, []string{"payments_events", "payments_migrations", "payments_rate_limits", "payments_refund_totals", "payments_refunds",
		"payments_token_locks", "payments_tokens"}, tables,
		"the tables the package documents, in the search_path's schema")

	// The default schema works as a named one does.
	l := pgstore.New(pool).EventLog()
	state, err := l.Claim(ctx, "evt", "a", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, payments.Claimed, state)
}

func TestSchemasKeepStoresApart(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	pool := srv.Pool(t)
	require.NoError(t, pgstore.Migrate(ctx, pool, pgstore.WithSchema("shop a")))
	require.NoError(t, pgstore.Migrate(ctx, pool, pgstore.WithSchema("shop-b")))
	a, b := pgstore.New(pool, pgstore.WithSchema("shop a")).EventLog(), pgstore.New(pool, pgstore.WithSchema("shop-b")).EventLog()
	require.NoError(t, a.Complete(ctx, "evt", "a", time.Hour))
	state, err := b.Claim(ctx, "evt", "b", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, payments.Claimed, state, "another schema, another log")
	_, err = pgstore.New(pool).EventLog().Claim(ctx, "evt", "c", time.Minute)
	assert.ErrorContains(t, err, "pgstore: claim event", "no tables in the default schema: a clear error")
}

func TestCompletionsDeleteExpiredEvents(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	pool := srv.Pool(t)
	require.NoError(t, pgstore.Migrate(ctx, pool))
	l := pgstore.New(pool).EventLog()
	_, err := pool.Exec(ctx, `INSERT INTO payments_events (key, owner, done, expires_at)
		SELECT 'old-' || i, 'o', i % 2 = 0, now() - interval '1 second' FROM generate_series(1, 25) AS i`)
	require.NoError(t, err, "25 events whose lease or retention ended")
	count := func() (n int) {
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM payments_events").Scan(&n))
		return n
	}
	require.Equal(t, 25, count())
	require.NoError(t, l.Complete(ctx, "new-1", "o", time.Hour))
	assert.Equal(t, 25-10+1, count(), "a completion deletes ten expired events")
	for i := range 3 {
		require.NoError(t, l.Complete(ctx, "new-"+string(rune('2'+i)), "o", time.Hour))
	}
	assert.Equal(t, 4, count(), "until none is left; live ones stay")
}
