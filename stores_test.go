package payments_test

import (
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
)

// The in-memory stores pass the conformance suites the shared stores pass.
// Their replicas are goroutines of one process sharing one value, and they
// have no server that can go away, so no Break.

func TestMemoryEventLogConformance(t *testing.T) {
	suite.EventLog(t, func(*testing.T) suite.Store[payments.EventLog] {
		l := payments.NewMemoryEventLog(0)
		return suite.Store[payments.EventLog]{Open: func(*testing.T) payments.EventLog { return l }}
	})
}

func TestMemoryTokenStoreConformance(t *testing.T) {
	suite.TokenStore(t, func(*testing.T) suite.Store[payments.TokenStore] {
		s := &payments.MemoryTokenStore{}
		return suite.Store[payments.TokenStore]{Open: func(*testing.T) payments.TokenStore { return s }}
	})
}

func TestMemoryRateLimiterConformance(t *testing.T) {
	suite.RateLimiter(t, func(*testing.T) suite.Store[payments.RateLimiter] {
		l := payments.NewMemoryRateLimiter()
		return suite.Store[payments.RateLimiter]{Open: func(*testing.T) payments.RateLimiter { return l }}
	})
}
