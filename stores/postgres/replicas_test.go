package pgstore_test

import (
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
