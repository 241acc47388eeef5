package payments_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

func TestVerifyPaid(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFake()
	req := validRequest()
	s, err := f.Create(ctx, req)
	require.NoError(t, err)

	for _, st := range []payments.Status{payments.StatusPending, payments.StatusProcessing, payments.StatusFailed,
		payments.StatusCanceled, payments.StatusRefunded, payments.StatusPartiallyRefunded, payments.StatusUnknown} {
		require.NoError(t, f.SetStatus(s.ID, st))
		p, err := payments.VerifyPaid(ctx, f, s.ID, req.Amount)
		assert.ErrorIs(t, err, payments.ErrNotPaid, "status %s must not ship", st)
		require.NotNil(t, p, "the payment read is returned with the error")
		assert.Equal(t, st, p.Status)
	}

	require.NoError(t, f.Pay(s.ID))
	p, err := payments.VerifyPaid(ctx, f, s.ID, req.Amount)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)

	_, err = payments.VerifyPaid(ctx, f, s.ID, payments.Money{Amount: 4999, Currency: "EUR"})
	assert.ErrorIs(t, err, payments.ErrIntegrity, "amount differs")
	_, err = payments.VerifyPaid(ctx, f, s.ID, payments.Money{Amount: 5000, Currency: "USD"})
	assert.ErrorIs(t, err, payments.ErrIntegrity, "currency differs")

	_, err = payments.VerifyPaid(ctx, f, "nope", req.Amount)
	assert.ErrorIs(t, err, payments.ErrNotFound, "Verify's own error comes back")
}
