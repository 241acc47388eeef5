package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

func TestRunWithoutEnvironmentRunsTheWholeFlowOnTheSimulator(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }))
	got := out.String()
	for _, want := range []string{
		"Moneroo simulator at http://127.0.0.1:",
		"created payment ",
		"for 5000 XOF (pending)",
		"redirect the customer to http://127.0.0.1:",
		"webhook: payment.initiated for ",
		"webhook: payment.success for ",
		"signature verified",
		"came back to https://shop.example.com/return?",
		"the return URL claims succeeded",
		"verified: succeeded, 5000 XOF, order order-1042, paid with mtn_bj: ship it",
		"refund of 2000 XOF sent as payout ",
		"after the refund: partially_refunded, 2000 XOF refunded, 0 XOF on its way",
	} {
		assert.Contains(t, got, want)
	}
	assert.Regexp(t, `webhook: payout\.success for [a-z0-9]{12} `, got, "the payout's webhook names the payment")
	// The success webhook arrives before the customer is back.
	assert.Less(t, strings.Index(got, "webhook: payment.success"), strings.Index(got, "came back to"))
}

func TestRunWithAKeyPollsUntilThePaymentSettles(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	// Stand in for the payer: pay as soon as the checkout exists.
	parser, err := moneroo.New(moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret})
	require.NoError(t, err)
	payer := httptest.NewServer(payments.WebhookHandler(parser, func(_ context.Context, ev *payments.Event) error {
		if ev.Type == "payment.initiated" {
			go func() { _ = srv.Pay(ev.PaymentID) }()
		}
		return nil
	}))
	defer payer.Close()
	srv.SetWebhookURL(payer.URL)

	env := map[string]string{
		"MONEROO_SECRET_KEY": monerootest.SecretKey,
		"MONEROO_BASE_URL":   srv.URL,
		"MONEROO_POLL":       "5ms",
		"MONEROO_AMOUNT":     "2500",
		"MONEROO_CURRENCY":   "USD",
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(k string) string { return env[k] }))
	got := out.String()
	assert.Contains(t, got, "for 25.00 USD")
	assert.Contains(t, got, "open "+srv.URL+"/checkout/")
	assert.Contains(t, got, "verified: succeeded, 25.00 USD, paid with moneroo_payment_demo")
}

func TestRunWithAKeyReportsBadInput(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	env := map[string]string{"MONEROO_SECRET_KEY": monerootest.SecretKey, "MONEROO_BASE_URL": srv.URL, "MONEROO_AMOUNT": "1050"}
	var out bytes.Buffer
	err := run(context.Background(), &out, func(k string) string { return env[k] })
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "10.50 USD cannot be sent in whole units")
	assert.Equal(t, 0, srv.Requests(), "refused before anything is sent")

	env["MONEROO_AMOUNT"], env["MONEROO_POLL"] = "", "often"
	require.ErrorContains(t, run(context.Background(), &out, func(k string) string { return env[k] }), "MONEROO_POLL")
}
