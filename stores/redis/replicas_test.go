package redisstore_test

import (
	redisstore "github.com/unipay/payments/stores/redis"
	"testing"

	"github.com/unipay/payments/internal/replicas"
	"github.com/unipay/payments/stores/redis/internal/redistest"
)

// Three replicas, each a separate OS process, share one redis-server.
func replicasOnRedis(t *testing.T) replicas.Config {
	srv := redistest.Start(t)
	return replicas.Config{
		Package:   "./internal/replica",
		StoreURL:  srv.URL(),
		Namespace: func(*testing.T) string { return randomPrefix() },
	}
}

func TestReplicasHandleEachWebhookOnce(t *testing.T) {
	replicas.WebhooksHandledOnce(t, replicasOnRedis(t))
}

func TestAKilledReplicasEventIsHandledByAnother(t *testing.T) {
	replicas.KilledReplica(t, replicasOnRedis(t))
}

func TestReplicasShareOneRateLimit(t *testing.T) { replicas.SharedRateLimit(t, replicasOnRedis(t)) }

func TestReplicasShareOneHelloAssoToken(t *testing.T) { replicas.OneToken(t, replicasOnRedis(t)) }

func TestWhenRedisIsDown(t *testing.T) {
	srv := redistest.Start(t)
	s := redisstore.New(srv.Client(t))
	replicas.StoreDown(t, replicas.Stores{EventLog: s.EventLog(), TokenStore: s.TokenStore(), RateLimiter: s.RateLimiter()}, srv.Stop)
}
