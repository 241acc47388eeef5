package payments_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-42",
		ReturnURL: "https://shop.example.com/return",
		Customer: &payments.Customer{
			FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com", Phone: "+22507000000",
			BillingAddress: &payments.Address{Country: "CI"},
		},
	}
}

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

// countingCheckout counts Verify calls and answers with whatever payment it
// holds.
type countingCheckout struct {
	payments.Checkout
	answer *payments.Payment
	calls  int
}

func (c *countingCheckout) Provider() payments.ProviderName { return payments.Moneroo }
func (c *countingCheckout) Verify(context.Context, string) (*payments.Payment, error) {
	c.calls++
	return c.answer, nil
}

func TestVerifyPaidRefusesBadInputBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	eur := payments.Money{Amount: 5000, Currency: "EUR"}
	c := &countingCheckout{}
	cases := map[string]struct {
		c    payments.Checkout
		id   string
		want payments.Money
	}{
		"nil checkout":     {nil, "py_1", eur},
		"no payment id":    {c, " ", eur},
		"zero amount":      {c, "py_1", payments.Money{Currency: "EUR"}},
		"negative amount":  {c, "py_1", payments.Money{Amount: -5, Currency: "EUR"}},
		"unknown currency": {c, "py_1", payments.Money{Amount: 5, Currency: "EURO"}},
		"nothing expected": {c, "py_1", payments.Money{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := payments.VerifyPaid(ctx, tc.c, tc.id, tc.want)
				assert.ErrorIs(t, err, payments.ErrInvalidRequest)
				assert.False(t, payments.MaybeSent(err))
			})
		})
	}
	assert.Zero(t, c.calls)
}

// Whatever the adapter, an answer about another payment never ships the
// order.
func TestVerifyPaidRefusesAnAnswerAboutAnotherPayment(t *testing.T) {
	eur := payments.Money{Amount: 5000, Currency: "EUR"}
	c := &countingCheckout{answer: &payments.Payment{ID: "py_B", Status: payments.StatusSucceeded, Amount: eur}}
	_, err := payments.VerifyPaid(context.Background(), c, "py_A", eur)
	require.ErrorIs(t, err, payments.ErrIntegrity)

	c.answer = nil
	_, err = payments.VerifyPaid(context.Background(), c, "py_A", eur)
	require.ErrorIs(t, err, payments.ErrMalformedResponse, "no payment and no error")
}
