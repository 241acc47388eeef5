package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
	pgstore "github.com/unipay/payments/stores/postgres"
	"github.com/unipay/payments/stores/postgres/internal/pgtest"
)

// servers hands each store under test a fresh schema on one PostgreSQL
// server, started on first use and again after a test broke it.
type servers struct {
	mu  sync.Mutex
	srv *pgtest.Server
	top testing.TB // the test that owns the server
}

func (p *servers) server() *pgtest.Server {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == nil {
		p.srv = pgtest.Start(p.top)
	}
	return p.srv
}

// breakIt stops srv; the next store gets a new server.
func (p *servers) breakIt(srv *pgtest.Server) {
	p.mu.Lock()
	defer p.mu.Unlock()
	srv.Stop()
	if p.srv == srv {
		p.srv = nil
	}
}

func randomSchema() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test_" + hex.EncodeToString(b[:])
}

// closer closes a replica's pool, as a crash would drop its connections.
type closer func()

func (c closer) Close() error { c(); return nil }

// newStore returns a suite.Store on a fresh schema whose Open gives each
// replica its own pool, and whose Break stops the server.
func newStore[T any](p *servers, open func(s *pgstore.Store, c io.Closer) T) func(t *testing.T) suite.Store[T] {
	return func(t *testing.T) suite.Store[T] {
		srv, schema := p.server(), randomSchema()
		require.NoError(t, pgstore.Migrate(context.Background(), srv.Pool(t), pgstore.WithSchema(schema)))
		return suite.Store[T]{
			Open: func(t *testing.T) T {
				pool := srv.Pool(t)
				return open(pgstore.New(pool, pgstore.WithSchema(schema)), closer(pool.Close))
			},
			Break: func(*testing.T) { p.breakIt(srv) },
		}
	}
}

type closingEventLog struct {
	payments.EventLog
	io.Closer
}

type closingTokenStore struct {
	payments.TokenStore
	io.Closer
}

type closingLimiter struct {
	payments.RateLimiter
	io.Closer
}

type closingLedger struct {
	payments.RefundLedger
	io.Closer
}

func TestEventLogConformance(t *testing.T) {
	suite.EventLog(t, newStore(&servers{top: t}, func(s *pgstore.Store, c io.Closer) payments.EventLog {
		return closingEventLog{s.EventLog(), c}
	}))
}

func TestTokenStoreConformance(t *testing.T) {
	suite.TokenStore(t, newStore(&servers{top: t}, func(s *pgstore.Store, c io.Closer) payments.TokenStore {
		return closingTokenStore{s.TokenStore(), c}
	}))
}

func TestRateLimiterConformance(t *testing.T) {
	suite.RateLimiter(t, newStore(&servers{top: t}, func(s *pgstore.Store, c io.Closer) payments.RateLimiter {
		return closingLimiter{s.RateLimiter(), c}
	}))
}

// Each replica has a pool of its own: the concurrent subtests race two
// pools, as two replicas would.
func TestRefundLedgerConformance(t *testing.T) {
	suite.RefundLedger(t, newStore(&servers{top: t}, func(s *pgstore.Store, c io.Closer) payments.RefundLedger {
		return closingLedger{s.RefundLedger(), c}
	}))
}
