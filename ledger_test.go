package payments_test

import (
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
)

func TestMemoryRefundLedgerPassesTheSuite(t *testing.T) {
	suite.RefundLedger(t, func(*testing.T) suite.Store[payments.RefundLedger] {
		l := &payments.MemoryRefundLedger{}
		// Every replica of an in-memory ledger is the same ledger.
		return suite.Store[payments.RefundLedger]{Open: func(*testing.T) payments.RefundLedger { return l }}
	})
}
