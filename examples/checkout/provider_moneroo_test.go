package main

import (
	"log/slog"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

// Moneroo refunds by payout on its simulator, and on the sandbox only when
// asked; with refunds on, the checkout offers only methods Moneroo can pay
// back.
func TestMonerooRefundsByPayoutWhereTheShopTurnsThemOn(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name string
		env  map[string]string
		mode string
		on   bool
	}{
		{"simulator", nil, modeSimulator, true},
		{"sandbox", map[string]string{"MONEROO_SECRET_KEY": "pvk_sandbox|01HX"}, modeSandbox, false},
		{"sandbox, refunds asked", map[string]string{"MONEROO_SECRET_KEY": "pvk_sandbox|01HX", "MONEROO_REFUND_BY_PAYOUT": "1"}, modeSandbox, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := monerooProvider(func(k string) string { return tc.env[k] }, "http://localhost:8080", logger, nil)
			require.NoError(t, err)
			if p.Close != nil {
				t.Cleanup(p.Close)
			}
			assert.Equal(t, tc.mode, p.Mode)
			caps := p.Capabilities()
			assert.Equal(t, tc.on, caps.Refund)
			assert.Equal(t, tc.on, caps.PartialRefund)
			var req payments.CreateRequest
			p.Prepare(&req, url.Values{})
			if !tc.on {
				assert.Nil(t, req.Options, "every method the app has")
				return
			}
			o, ok := req.Options.(moneroo.Options)
			require.True(t, ok)
			require.NotEmpty(t, o.Methods)
			for _, m := range o.Methods {
				_, refundable := moneroo.PayoutMethod(m)
				assert.True(t, refundable, m)
			}
		})
	}
}
