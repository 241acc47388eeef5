package payments_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

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

func TestMemoryRefundLedgerRefusesWhatCannotBeARefund(t *testing.T) {
	ctx := context.Background()
	l := &payments.MemoryRefundLedger{}
	limit := payments.Money{Amount: math.MaxInt64, Currency: "XOF"}
	for _, e := range []payments.RefundEntry{
		{PaymentID: "p", Amount: payments.Money{Amount: 1, Currency: "XOF"}},
		{ID: "r", Amount: payments.Money{Amount: 1, Currency: "XOF"}},
		{ID: "r", PaymentID: "p", Amount: payments.Money{Amount: 0, Currency: "XOF"}},
		{ID: "r", PaymentID: "p", Amount: payments.Money{Amount: -5, Currency: "XOF"}},
	} {
		require.ErrorIs(t, l.Reserve(ctx, e, limit), payments.ErrInvalidRequest, "%+v", e)
	}
	require.NoError(t, l.Reserve(ctx, payments.RefundEntry{ID: "a", PaymentID: "p", Amount: payments.Money{Amount: 1 << 62, Currency: "XOF"}}, limit))
	err := l.Reserve(ctx, payments.RefundEntry{ID: "b", PaymentID: "p", Amount: payments.Money{Amount: math.MaxInt64, Currency: "XOF"}}, limit)
	require.ErrorIs(t, err, payments.ErrConflict, "the sum would overflow: it must not wrap round to a small one")
}
