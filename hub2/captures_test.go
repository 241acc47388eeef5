package hub2

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// These replay tests answer with responses captured from api.hub2.io, taken
// verbatim from independent sources (testdata/hub2/SOURCES.md): Hub2's
// Postman collection (2021) and an integration's sandbox smoke run (2026).

// The intent of warimcp's sandbox capture, and its client JWT.
const (
	capturedIntent = "pi_yV4SCH7ChIbKWZ3DEEqNT"
	capturedJWT    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpbnRlbnRJZCI6InBpX3lWNFNDSDdDaEliS1daM0RFRXFOVCIsIm1lcmNoYW50SWQiOiJGRFZmcnRVS05jWUNTRHd5cW5BVlkiLCJtb2RlIjoic2FuZGJveCIsImlhdCI6MTc4NjA1MDQ3Mn0.BzV62U0iREMsq7RqADMwWN0YIKpJLQRoLjYzJB9VwIc"
)

func TestReplayPostmanCreateCapture(t *testing.T) {
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "pm_payment_intent_201.json")
	c := r.client(payments.Production)
	s, err := c.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 100, Currency: "XOF"}, Reference: "Test pay ref_2021_07_13_03",
		Customer: &payments.Customer{Reference: "cust_20210713003"},
	})
	require.NoError(t, err)
	assert.Equal(t, "pi_bOowh0LUvt6TdEecYKM38", s.ID)
	assert.Equal(t, payments.StatusPending, s.Status, "payment_required")
	assert.Contains(t, s.ClientToken, "eyJpbnRlbnRJZCI6InBpX2JPb3doMExVdnQ2VGRFZWNZS00zOCIs")
	assert.NotContains(t, string(s.Raw), s.ClientToken, "the captured JWT is redacted from Raw")

	reqs := r.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"customerReference":"cust_20210713003","purchaseReference":"Test pay ref_2021_07_13_03","amount":100,"currency":"XOF"}`, reqs[0].body)
	assertHeaders(t, reqs[0].header, "live", true)
}

func TestReplaySandboxCaptureAttemptThenRead(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "warimcp_create_intent_sandbox.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+capturedIntent+"/payments", 201, "warimcp_attempt_mtn_sandbox.json")
	r.on("GET", "https://api.hub2.io/payment-intents/"+capturedIntent, 200, "warimcp_get_intent_successful_sandbox.json")
	c := r.client(payments.Sandbox)

	s, err := c.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 100, Currency: "XOF"}, Reference: "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2",
		Customer: &payments.Customer{Reference: "smoke"},
		Options:  Options{Country: "CI", Provider: "mtn", MSISDN: "00000001"},
	})
	require.NoError(t, err)
	assert.Equal(t, capturedIntent, s.ID)
	assert.Equal(t, capturedJWT, s.ClientToken)
	assert.Equal(t, payments.StatusProcessing, s.Status, "the intent is processing, its payment created")
	assert.Nil(t, s.NextAction, "nothing for the customer to do yet")
	assert.Empty(t, s.RedirectURL)

	p, err := payments.VerifyPaid(ctx, c, s.ID, payments.Money{Amount: 100, Currency: "XOF"})
	require.NoError(t, err)
	assert.Equal(t, "mtn_ci", p.Method)
	assert.Equal(t, "successful", p.ProviderStatus)
	assert.Empty(t, p.FailureCode)
	assert.NotContains(t, string(p.Raw), capturedJWT)

	pi, err := c.GetPaymentIntent(ctx, s.ID)
	require.NoError(t, err)
	require.Len(t, pi.Payments, 1)
	require.Len(t, pi.Payments[0].Fees, 1)
	f := pi.Payments[0].Fees[0]
	assert.Equal(t, Amount(5), f.Amount)
	assert.Equal(t, "5", f.Rate.String())
	assert.Equal(t, "percent", f.RateType)
	assert.Contains(t, string(f.Taxes), `"taxType": "tva"`, "the taxes are kept as Hub2 sent them")
	assert.Equal(t, "FDVfrtUKNcYCSDwyqnAVY", pi.MerchantID, "a merchant id need not be numeric")

	reqs := r.requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, `{"token":"`+capturedJWT+`","paymentMethod":"mobile_money","country":"CI","provider":"mtn","mobileMoney":{"msisdn":"00000001"}}`, reqs[1].body)
}

func TestReplayDocsStatusSample(t *testing.T) {
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/pi_QW2d6JnqiatcH8KhK0mD1/status", 200, "docs_intent_status.json")
	c := r.client(payments.Sandbox)
	st, err := c.PaymentIntentStatus(context.Background(), "pi_QW2d6JnqiatcH8KhK0mD1")
	require.NoError(t, err)
	assert.Equal(t, StatusResponse{ID: "pi_QW2d6JnqiatcH8KhK0mD1", Status: "successful"}, *st)
	reqs := r.requests()
	require.Len(t, reqs, 1)
	assertHeaders(t, reqs[0].header, "sandbox", false)
}

func TestReplayPostmanWebhookCapture(t *testing.T) {
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/webhooks", 201, "pm_webhook_201.json")
	c := r.client(payments.Sandbox)
	wh, err := c.RegisterWebhook(context.Background(), WebhookRequest{URL: "https://fuzzy-bulldog-57.loca.lt",
		Events: []string{"payment.created", "payment_intent.succeeded"}})
	require.NoError(t, err)
	assert.Equal(t, "wh_OOTwQBK1yCnJ8VmxY3LoL", wh.ID)
	assert.Equal(t, "whsec_zHeLdc6i6GRpX5X23mHsS8X2PJ75mWMc", wh.Secret, "a 2021 secret, whsec_-prefixed")
	assert.Len(t, wh.Events, 14)
	assert.Equal(t, "[REDACTED]", c.api.Redactor().String(wh.Secret), "the secret is learnt as soon as it is read")
}

func TestParseWebhookOnTheCapturedShapes(t *testing.T) {
	c := hookClient(t, newSecret)
	for name, want := range map[string][3]string{
		"webhook_payment_intent_succeeded.json": {"payment_intent.succeeded", capturedIntent, "payment_intent.succeeded:" + capturedIntent + ":successful"},
		"webhook_payment_succeeded.json":        {"payment.succeeded", capturedIntent, "payment.succeeded:pay_1lu4a460ieXcojI6mSqPv:successful"},
	} {
		body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name))
		require.NoError(t, err)
		ev, err := c.ParseWebhook(http.Header{SignatureHeader: {"s1=" + sig(newSecret, body)}}, body)
		require.NoError(t, err, name)
		assert.Equal(t, want[0], ev.Type)
		assert.Equal(t, want[1], ev.PaymentID, "the intent, which Verify takes")
		assert.Equal(t, want[2], ev.ID)
		assert.Equal(t, payments.StatusSucceeded, ev.Status)
	}
}

func TestPendingAction(t *testing.T) {
	redirect := &NextAction{Type: ActionRedirection, Data: &NextActionData{URL: "https://pay.wave.com/c/x", Method: "get"}}
	top := &NextAction{Type: ActionUSSD, Message: "top"}
	for _, tc := range []struct {
		name    string
		intent  IntentStatus
		payment PaymentStatus
		top     *NextAction
		want    *NextAction
	}{
		{"action_required, as the docs describe", IntentActionRequired, PaymentActionRequired, nil, redirect},
		{"a created payment on a processing intent", IntentProcessing, PaymentCreated, nil, redirect},
		{"a pending payment", IntentProcessing, PaymentPending, nil, redirect},
		{"a failed payment keeps no action", IntentFailed, PaymentFailed, nil, nil},
		{"a failed payment on an intent still processing", IntentProcessing, PaymentFailed, top, top},
		{"a paid intent", IntentSuccessful, PaymentSuccessful, top, nil},
	} {
		pi := &PaymentIntent{Status: tc.intent, NextAction: tc.top, Payments: []Payment{{Status: tc.payment, NextAction: redirect}}}
		assert.Equal(t, tc.want, pi.PendingAction(), tc.name)
	}
}

// TestReplayOrangeWorkflow: Orange's workflow ("otp" or "redirection") is
// not settled by Hub2's reference; Options.Workflow sends it as
// mobileMoney.workflow when set, as integrations do, and nothing otherwise.
func TestReplayOrangeWorkflow(t *testing.T) {
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "create_intent.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payments", 201, "attempt_wave_redirection.json")
	c := r.client(payments.Sandbox)
	_, err := c.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 200, Currency: "XOF"}, Reference: "Test_YYYY_MM_DD_01",
		ReturnURL: "https://shop.example.com/return", CancelURL: "https://shop.example.com/cart",
		Options: Options{Country: "CI", Provider: "orange", MSISDN: "0700000000", Workflow: "redirection"},
	})
	require.NoError(t, err)
	reqs := r.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, `{"token":"`+fixtureJWT+`","paymentMethod":"mobile_money","country":"CI","provider":"orange",`+
		`"mobileMoney":{"msisdn":"0700000000","workflow":"redirection",`+
		`"onCancelRedirectionUrl":"https://shop.example.com/cart?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=cancel",`+
		`"onFinishRedirectionUrl":"https://shop.example.com/return?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=finish"}}`,
		reqs[1].body)
}

// TestReplayReadWithToken: whether intent reads need the client JWT as
// ?token= is not settled (Hub2's reference makes it optional; its Postman
// collection sends it with the headers). Config.ReadWithToken adds it, next
// to the headers, for intents whose token the client has seen.
func TestReplayReadWithToken(t *testing.T) {
	ctx := context.Background()
	const otherIntent = "pi_z1urYtVFgEebtcj8fxp4v" // intent_successful.json's
	for _, on := range []bool{false, true} {
		r := newReplay(t)
		r.on("POST", "https://api.hub2.io/payment-intents", 201, "create_intent.json")
		r.on("GET", "https://api.hub2.io/payment-intents/"+fixtureIntent, 200, "authenticate_successful.json")
		r.onAbout("GET", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/status", 200, "docs_intent_status.json",
			strings.NewReplacer("pi_QW2d6JnqiatcH8KhK0mD1", fixtureIntent))
		r.on("GET", "https://api.hub2.io/payment-intents/"+otherIntent, 200, "intent_successful.json")
		c := r.clientWith(Config{APIKey: "sk_test_3f9a", MerchantID: "3", ReadWithToken: on})

		s, err := c.Create(ctx, payments.CreateRequest{Amount: payments.Money{Amount: 200, Currency: "XOF"}, Reference: "Test_YYYY_MM_DD_01"})
		require.NoError(t, err)
		_, err = c.Verify(ctx, s.ID)
		require.NoError(t, err)
		_, err = c.PaymentIntentStatus(ctx, s.ID)
		require.NoError(t, err)
		_, err = c.GetPaymentIntent(ctx, otherIntent)
		require.NoError(t, err)

		reqs := r.requests()
		require.Len(t, reqs, 4)
		query := ""
		if on {
			query = "?token=" + fixtureJWT
		}
		assert.Equal(t, "https://api.hub2.io/payment-intents/"+fixtureIntent+query, reqs[1].url, "ReadWithToken %v", on)
		assert.Equal(t, "https://api.hub2.io/payment-intents/"+fixtureIntent+"/status"+query, reqs[2].url, "ReadWithToken %v", on)
		assert.Equal(t, "https://api.hub2.io/payment-intents/"+otherIntent, reqs[3].url, "no token known for an intent never seen")
		for _, q := range reqs[1:] {
			assertHeaders(t, q.header, "sandbox", false)
		}
	}
}

// TestStatusesOfTheReference: the reference's enum for an intent's status
// is action_required, canceled, payment_required, processing, successful;
// "failed" comes from the intent itself.
func TestStatusesOfTheReference(t *testing.T) {
	for s, want := range map[string]payments.Status{
		"payment_required": payments.StatusPending,
		"processing":       payments.StatusProcessing,
		"action_required":  payments.StatusActionRequired,
		"successful":       payments.StatusSucceeded,
		"canceled":         payments.StatusCanceled,
		"failed":           payments.StatusFailed,
		"expired":          payments.StatusUnknown,
	} {
		assert.Equal(t, want, intentStatus(s), s)
	}
}
