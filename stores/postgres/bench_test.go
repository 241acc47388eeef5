package pgstore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/unipay/payments/internal/replicas"
	pgstore "github.com/unipay/payments/stores/postgres"
	"github.com/unipay/payments/stores/postgres/internal/pgtest"
)

// counter is a pgx tracer that counts the statements sent: one network
// round trip each once pgx has prepared and cached it.
type counter struct{ n atomic.Int64 }

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func countedStore(b *testing.B) (*pgstore.Store, func() int64) {
	srv := pgtest.Start(b)
	cfg, err := pgxpool.ParseConfig(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	c := &counter{}
	cfg.ConnConfig.Tracer = c
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if err := pgstore.Migrate(context.Background(), pool); err != nil {
		b.Fatal(err)
	}
	return pgstore.New(pool), c.n.Load
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
