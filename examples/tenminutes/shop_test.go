package tenminutes

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

func newShop(t *testing.T) (*Shop, *paymentstest.Fake, *Order) {
	fake := paymentstest.NewFake()
	shop := &Shop{Checkout: fake, ReturnTo: "https://shop.example.com/return"}
	order := &Order{ID: "order-1042", Amount: payments.Money{Amount: 5000, Currency: "XOF"}}
	redirect, err := shop.StartCheckout(context.Background(), order,
		&payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"})
	require.NoError(t, err)
	require.NotEmpty(t, redirect)
	return shop, fake, order
}

func TestAPaidOrderShipsOnceTheWebhookIsVerified(t *testing.T) {
	shop, fake, order := newShop(t)
	require.NoError(t, fake.Pay(order.PaymentID))

	header, body, err := fake.Webhook(order.PaymentID)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	shop.Webhooks().ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", header, body))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, order.Paid)
}

func TestAForgedWebhookShipsNothing(t *testing.T) {
	shop, fake, order := newShop(t)
	header, body, err := fake.Webhook(order.PaymentID)
	require.NoError(t, err)
	body[len(body)/2] ^= 1
	rec := httptest.NewRecorder()
	shop.Webhooks().ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", header, body))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.False(t, order.Paid)
}

func TestTheReturnPageBelievesTheProviderNotTheURL(t *testing.T) {
	shop, fake, order := newShop(t)
	require.NoError(t, fake.Decline(order.PaymentID))
	q := fake.ReturnQuery(order.PaymentID)
	q.Set("status", "succeeded") // the customer edits the URL
	rec := httptest.NewRecorder()
	shop.ReturnPage(rec, httptest.NewRequest(http.MethodGet, "/return?"+q.Encode(), nil))
	assert.Contains(t, rec.Body.String(), "not paid")
	assert.False(t, order.Paid)

	require.NoError(t, fake.Pay(order.PaymentID))
	rec = httptest.NewRecorder()
	shop.ReturnPage(rec, httptest.NewRequest(http.MethodGet, "/return?"+fake.ReturnQuery(order.PaymentID).Encode(), nil))
	assert.Contains(t, rec.Body.String(), "is paid")
	assert.True(t, order.Paid)
}

func TestRefundHalf(t *testing.T) {
	shop, fake, order := newShop(t)
	require.NoError(t, fake.Pay(order.PaymentID))
	require.NoError(t, shop.confirm(context.Background(), order))
	require.NoError(t, shop.Refund(context.Background(), order.ID, payments.Money{Amount: 2500, Currency: "XOF"}))
	p, err := fake.Verify(context.Background(), order.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
}

func TestAProviderOutageIsNotAPaidOrder(t *testing.T) {
	shop, fake, order := newShop(t)
	require.NoError(t, fake.Pay(order.PaymentID))
	fake.FailNext("Verify", &payments.Error{Kind: payments.ErrUnavailable})
	header, body, err := fake.Webhook(order.PaymentID)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	shop.Webhooks().ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks", header, body))
	assert.Equal(t, http.StatusInternalServerError, rec.Code, "the provider delivers again")
	assert.False(t, order.Paid)
}
