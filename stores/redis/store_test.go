package redisstore_test

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"sync"
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
	redisstore "github.com/unipay/payments/stores/redis"
	"github.com/unipay/payments/stores/redis/internal/redistest"
)

// servers hands each store under test a fresh prefix on one redis-server,
// started on first use and again after a test broke it.
type servers struct {
	mu  sync.Mutex
	srv *redistest.Server
	top testing.TB // the test that owns the server
}

func (p *servers) server(t *testing.T) *redistest.Server {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == nil {
		p.srv = redistest.Start(p.top)
	}
	return p.srv
}

// breakIt stops the server under t's store; the next store gets a new one.
func (p *servers) breakIt(srv *redistest.Server) {
	p.mu.Lock()
	defer p.mu.Unlock()
	srv.Stop()
	if p.srv == srv {
		p.srv = nil
	}
}

func randomPrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test-" + hex.EncodeToString(b[:]) + ":"
}

// newStore returns a suite.Store whose Open gives each replica its own
// client (closed when the replica "crashes"), and whose Break stops the
// server.
func newStore[T any](p *servers, open func(s *redisstore.Store, c io.Closer) T) func(t *testing.T) suite.Store[T] {
	return func(t *testing.T) suite.Store[T] {
		srv, prefix := p.server(t), randomPrefix()
		return suite.Store[T]{
			Open: func(t *testing.T) T {
				c := srv.Client(t)
				return open(redisstore.New(c, redisstore.WithPrefix(prefix)), c)
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

func TestEventLogConformance(t *testing.T) {
	suite.EventLog(t, newStore(&servers{top: t}, func(s *redisstore.Store, c io.Closer) payments.EventLog {
		return closingEventLog{s.EventLog(), c}
	}))
}

func TestTokenStoreConformance(t *testing.T) {
	suite.TokenStore(t, newStore(&servers{top: t}, func(s *redisstore.Store, c io.Closer) payments.TokenStore {
		return closingTokenStore{s.TokenStore(), c}
	}))
}

func TestRateLimiterConformance(t *testing.T) {
	suite.RateLimiter(t, newStore(&servers{top: t}, func(s *redisstore.Store, c io.Closer) payments.RateLimiter {
		return closingLimiter{s.RateLimiter(), c}
	}))
}

func TestRefundLedgerConformance(t *testing.T) {
	suite.RefundLedger(t, newStore(&servers{top: t}, func(s *redisstore.Store, c io.Closer) payments.RefundLedger {
		return closingLedger{s.RefundLedger(), c}
	}))
}
