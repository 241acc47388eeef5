package pgstore_test

import (
	"context"

	"github.com/stretchr/testify/require"

	pgstore "github.com/unipay/payments/stores/postgres"
	"testing"

	"github.com/unipay/payments/internal/replicas"
	"github.com/unipay/payments/stores/postgres/internal/pgtest"
)

// Three replicas, each a separate OS process, share one PostgreSQL; each
// migrates the schema at start-up, as a real replica would.
func replicasOnPostgres(t *testing.T) replicas.Config {
	srv := pgtest.Start(t)
	return replicas.Config{
		Package:   "./internal/replica",
		StoreURL:  srv.URL(),
		Namespace: func(*testing.T) string { return randomSchema() },
	}
}

func TestReplicasHandleEachWebhookOnce(t *testing.T) {
	replicas.WebhooksHandledOnce(t, replicasOnPostgres(t))
}

func TestAKilledReplicasEventIsHandledByAnother(t *testing.T) {
	replicas.KilledReplica(t, replicasOnPostgres(t))
}

func TestReplicasShareOneRateLimit(t *testing.T) { replicas.SharedRateLimit(t, replicasOnPostgres(t)) }

func TestReplicasShareOneHelloAssoToken(t *testing.T) { replicas.OneToken(t, replicasOnPostgres(t)) }

func TestWhenPostgreSQLIsDown(t *testing.T) {
	srv := pgtest.Start(t)
	pool := srv.Pool(t)
	require.NoError(t, pgstore.Migrate(context.Background(), pool))
	s := pgstore.New(pool)
	replicas.StoreDown(t, replicas.Stores{EventLog: s.EventLog(), TokenStore: s.TokenStore(), RateLimiter: s.RateLimiter()}, srv.Stop)
}
