package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hub2/hub2test"
)

func TestSimulatedFlows(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }, strings.NewReader("")))
	got := out.String()
	for _, want := range []string{
		"next action otp: " + hub2test.OTPMessage,
		"verified: succeeded 5000 XOF by orange_ci",
		"next action ussd: " + hub2test.USSDMessage,
		"waited: succeeded",
		"verified: succeeded 5000 XOF by mtn_ci",
		"redirect the customer to http://127.0.0.1:",
		"&hub2_outcome=success&order=3",
		"verified: succeeded 5000 XOF by wave_ci",
		"webhook payment_intent.succeeded (succeeded)",
		"hub2: refund: unsupported",
		"transfer tr_",
		": 2000 XOF pending",
		"refund of pi_",
		" succeeded\n",
		"verified: partially_refunded, 2000 XOF refunded, 0 XOF on its way",
	} {
		assert.Contains(t, got, want)
	}
	assert.Equal(t, 3, strings.Count(got, "webhook payment_intent.succeeded"), "one per flow, each verified")
}

// TestSandboxMode runs the credentials path against the simulator standing in
// for Hub2's sandbox, with the OTP typed on stdin.
func TestSandboxMode(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	env := map[string]string{
		"HUB2_API_KEY": hub2test.APIKey, "HUB2_MERCHANT_ID": hub2test.MerchantID, "HUB2_BASE_URL": srv.URL,
		"HUB2_PROVIDER": hub2test.ProviderOTP, "HUB2_MSISDN": hub2test.TestMSISDN, "HUB2_AMOUNT": "1500",
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(k string) string { return env[k] }, strings.NewReader("4321\n")))
	assert.Contains(t, out.String(), "Hub2 sandbox\n")
	assert.Contains(t, out.String(), "OTP: authenticated: successful")
	assert.Contains(t, out.String(), "outcome: succeeded (Hub2: successful) 1500 XOF")

	env["HUB2_API_KEY"] = "wrong"
	out.Reset()
	err := run(context.Background(), &out, func(k string) string { return env[k] }, strings.NewReader(""))
	assert.ErrorContains(t, err, "authentication failed")
}
