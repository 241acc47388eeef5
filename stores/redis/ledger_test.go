package redisstore_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest/suite"
	redisstore "github.com/unipay/payments/stores/redis"
	"github.com/unipay/payments/stores/redis/internal/redistest"
)

func TestRefundLedgerKeys(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	ctx := context.Background()
	l := redisstore.New(rdb).RefundLedger()
	xof := payments.Money{Amount: 5000, Currency: "XOF"}
	require.NoError(t, l.Reserve(ctx, payments.RefundEntry{ID: "rf_1", PaymentID: "py_1", Amount: payments.Money{Amount: 1000, Currency: "XOF"}}, xof))
	require.NoError(t, l.Update(ctx, "py_1", "rf_1", payments.RefundPending, "po_1"))
	other := redisstore.New(rdb, redisstore.WithPrefix("shop-b:")).RefundLedger()
	got, err := other.Refunds(ctx, "py_1")
	require.NoError(t, err)
	assert.Empty(t, got, "prefixes keep ledgers apart")

	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"payments:{ledger}:refunds:py_1", "payments:{ledger}:payouts:po_1"}, keys,
		"the prefix, the kind with the hash tag that puts every ledger key in one cluster slot, and the library's id")
	for _, k := range keys {
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.Negative(t, ttl, "%s never expires: the ledger is a record of money sent", k)
	}
}

// On a Redis Cluster, a script may touch only keys of one slot: the
// ledger's hash tag keeps a payment's refunds and its payouts' keys
// together, even under a prefix holding a '{' of its own. One node serving
// every slot refuses CROSSSLOT scripts as a cluster of many does.
func TestRefundLedgerOnACluster(t *testing.T) {
	srv := redistest.StartCluster(t)
	suite.RefundLedger(t, func(t *testing.T) suite.Store[payments.RefundLedger] {
		prefix := "shop{" + randomPrefix()
		return suite.Store[payments.RefundLedger]{
			Open: func(t *testing.T) payments.RefundLedger {
				c := srv.ClusterClient(t)
				return closingLedger{redisstore.New(c, redisstore.WithPrefix(prefix)).RefundLedger(), c}
			},
		}
	})
}

// Input no adapter would send is refused before any round trip, naming
// the field.
func TestRefundLedgerRefusesBadInput(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	c := &counter{}
	rdb.AddHook(c)
	l := redisstore.New(rdb).RefundLedger()
	ctx := context.Background()
	xof := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "XOF"} }
	for _, tc := range []struct {
		e     payments.RefundEntry
		field string
	}{
		{payments.RefundEntry{PaymentID: "p", Amount: xof(1)}, "ID"},
		{payments.RefundEntry{ID: "r", Amount: xof(1)}, "PaymentID"},
		{payments.RefundEntry{ID: "r", PaymentID: "p", Amount: xof(0)}, "Amount"},
		{payments.RefundEntry{ID: "r", PaymentID: "p", Amount: xof(-5)}, "Amount"},
	} {
		err := l.Reserve(ctx, tc.e, xof(100))
		require.ErrorIs(t, err, payments.ErrInvalidRequest)
		var pe *payments.Error
		require.True(t, errors.As(err, &pe))
		require.Len(t, pe.Fields, 1)
		assert.Equal(t, tc.field, pe.Fields[0].Field)
	}
	require.ErrorIs(t, l.Update(ctx, "p", "r", "refunded", ""), payments.ErrInvalidRequest, "not a RefundState")
	assert.Zero(t, c.n.Load(), "nothing reached Redis")
}

type closingLedger struct {
	payments.RefundLedger
	io.Closer
}
