package payments_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/httpx"
)

func TestStatusFinalAndPaid(t *testing.T) {
	cases := []struct {
		s           payments.Status
		final, paid bool
	}{
		{payments.StatusPending, false, false},
		{payments.StatusActionRequired, false, false},
		{payments.StatusProcessing, false, false},
		{payments.StatusSucceeded, true, true},
		{payments.StatusFailed, true, false},
		{payments.StatusCanceled, true, false},
		{payments.StatusRefunded, true, true},
		{payments.StatusPartiallyRefunded, true, true},
		{payments.StatusUnknown, false, false},
		{payments.Status("something new"), false, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.final, c.s.Final(), "%s.Final()", c.s)
		assert.Equal(t, c.paid, c.s.Paid(), "%s.Paid()", c.s)
	}
}

func TestEnvironment(t *testing.T) {
	var zero payments.Environment
	assert.Equal(t, payments.Sandbox, zero, "the zero value must never move real money")
	assert.Equal(t, "sandbox", payments.Sandbox.String())
	assert.Equal(t, "production", payments.Production.String())
	assert.True(t, payments.Production.Valid())
	assert.False(t, payments.Environment(7).Valid())
	assert.Equal(t, "environment(7)", payments.Environment(7).String())
}

func TestSettings(t *testing.T) {
	s := httpx.NewSettings()
	assert.Equal(t, payments.DefaultRetries, s.Retries)
	assert.Equal(t, payments.DefaultTimeout, s.Timeout)
	assert.Equal(t, int64(payments.DefaultMaxResponseBytes), s.MaxResponseBytes)

	s = httpx.NewSettings(payments.WithRetries(-3), payments.WithBaseURL("http://127.0.0.1:9"), payments.WithUserAgent("shop/1"), nil)
	assert.Equal(t, 0, s.Retries)
	assert.Equal(t, "http://127.0.0.1:9", s.BaseURL)
	assert.Equal(t, "shop/1", s.UserAgent)
}

func TestCapabilities(t *testing.T) {
	c := payments.Capabilities{Currencies: []string{"XOF", "XAF"}}
	assert.True(t, c.SupportsCurrency("XAF"))
	assert.False(t, c.SupportsCurrency("EUR"))
}
