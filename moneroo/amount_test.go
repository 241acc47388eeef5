package moneroo_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

func TestDecimalAmountsSendsTheExactMajorAmount(t *testing.T) {
	for _, tc := range []struct {
		money payments.Money
		want  string
	}{
		{payments.Money{Amount: 1050, Currency: "USD"}, `"amount":10.5,"currency":"USD"`},
		{payments.Money{Amount: 5, Currency: "USD"}, `"amount":0.05,"currency":"USD"`},
		{payments.Money{Amount: 1999, Currency: "EUR"}, `"amount":19.99,"currency":"EUR"`},
		{payments.Money{Amount: 10000, Currency: "USD"}, `"amount":100,"currency":"USD"`},
		{payments.Money{Amount: 5000, Currency: "XOF"}, `"amount":5000,"currency":"XOF"`},
	} {
		t.Run(tc.money.String(), func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{DecimalAmounts: true})
			m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
			req := validRequest()
			req.Amount = tc.money
			_, err := c.Create(context.Background(), req)
			require.NoError(t, err)
			assert.Contains(t, string(m.requests()[0].Body), `{`+tc.want+`,"description"`)
		})
	}
}

func TestWithoutDecimalAmountsAFractionalAmountIsRefused(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	req := validRequest()
	req.Amount = payments.Money{Amount: 1050, Currency: "USD"}
	_, err := c.Create(context.Background(), req)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	f, ok := perr.Field("Amount")
	require.True(t, ok, "%v", perr.Fields)
	assert.Contains(t, f.Message, "10.50 USD")
	assert.Contains(t, f.Message, "Config.DecimalAmounts")
	assert.Equal(t, 0, m.GetTotalCallCount())
}
