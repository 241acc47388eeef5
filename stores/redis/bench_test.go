package redisstore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments/internal/replicas"
	redisstore "github.com/unipay/payments/stores/redis"
	"github.com/unipay/payments/stores/redis/internal/redistest"
)

// counter is a go-redis hook that counts round trips: each command, and
// each pipeline as one.
type counter struct{ n atomic.Int64 }

func (c *counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(1); return next(ctx, cmds) }
}

func countedStore(b *testing.B) (*redisstore.Store, func() int64) {
	rdb := redistest.Start(b).Client(b)
	c := &counter{}
	rdb.AddHook(c)
	return redisstore.New(rdb), c.n.Load
}

func BenchmarkWebhookDelivery(b *testing.B) {
	s, n := countedStore(b)
	replicas.BenchWebhookDelivery(b, s.EventLog(), n, false)
}

func BenchmarkWebhookRedelivery(b *testing.B) {
	s, n := countedStore(b)
	replicas.BenchWebhookDelivery(b, s.EventLog(), n, true)
}

func BenchmarkAPICallWithSharedLimiter(b *testing.B) {
	s, n := countedStore(b)
	replicas.BenchAPICall(b, s.RateLimiter(), n)
}

func BenchmarkRefundReserve(b *testing.B) {
	s, n := countedStore(b)
	replicas.BenchReserve(b, s.RefundLedger(), n)
}

func BenchmarkRefundUpdate(b *testing.B) {
	s, n := countedStore(b)
	replicas.BenchUpdate(b, s.RefundLedger(), n)
}
