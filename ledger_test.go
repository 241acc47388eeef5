package payments_test

import (
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
)

func TestMemoryRefundLedgerPassesTheSuite(t *testing.T) {
	suite.RefundLedger(t, suite.LedgerHarness{
		New: func(*testing.T) payments.RefundLedger { return &payments.MemoryRefundLedger{} },
	})
}
