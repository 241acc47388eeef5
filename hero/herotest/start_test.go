package herotest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/paymentstest"
)

func checkoutRequest(reference string) payments.CreateRequest {
	return payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "EUR"}, Reference: reference,
		ReturnURL: "https://shop.example.com/hero/return?lang=fr",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001"},
		},
	}
}

func TestStartWalkAndFaults(t *testing.T) {
	srv, c := herotest.Start(t, payments.WithRetries(0))
	ctx := context.Background()

	paid, err := c.Create(ctx, checkoutRequest("order-1"))
	require.NoError(t, err)
	back, err := srv.Walk(ctx, paid, true)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example.com/hero/return?lang=fr&hero_ref=order-1", back.String(),
		"the browser goes back to the redirect URI Create built, nothing added")
	p, err := c.Verify(ctx, paid.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)

	declined, err := c.Create(ctx, checkoutRequest("order-2"))
	require.NoError(t, err)
	back, err = srv.Walk(ctx, declined, false)
	require.NoError(t, err)
	assert.Equal(t, "order-2", back.Query().Get("hero_ref"))
	p, err = c.Verify(ctx, declined.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, p.Status)

	_, err = srv.Walk(ctx, nil, true)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	other := herotest.NewServer()
	defer other.Close()
	_, err = other.Walk(ctx, paid, true)
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "a session of another simulator")

	before := srv.Requests()
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	_, err = c.Verify(ctx, paid.ID)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 1, srv.Faults.Injected())
	assert.Equal(t, before+1, srv.Requests())
}
