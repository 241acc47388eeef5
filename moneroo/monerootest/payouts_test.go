package monerootest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/jsonshape"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
)

// payout posts body to the simulator's payout initialize and returns the
// status and the answer.
func payout(t *testing.T, srv *monerootest.Server, body string) (int, []byte) {
	t.Helper()
	return call(t, srv, http.MethodPost, "/v1/payouts/initialize", bearer, []byte(body))
}

// payoutID reads the id of an initialize answer.
func payoutID(t *testing.T, body []byte) string {
	t.Helper()
	var out struct{ Data struct{ ID string } }
	require.NoError(t, json.Unmarshal(body, &out))
	require.NotEmpty(t, out.Data.ID, "%s", body)
	return out.Data.ID
}

// demoPayout is a payout with the sandbox's demo method to account.
func demoPayout(account string) string {
	return `{"amount":5,"currency":"USD","description":"Refund","customer":{"email":"a@example.com","first_name":"A","last_name":"B"},` +
		`"method":"moneroo_payout_demo","recipient":{"account_number":"` + account + `"}}`
}

// payoutMetadata skips a payout's metadata: its keys are the merchant's.
var payoutMetadata = jsonshape.Options{Ignore: []string{"data.metadata"}}

func TestPayoutsAnswerInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	status, body := payout(t, srv, string(fixture(t, "payout_initialize_request.json")))
	require.Equal(t, http.StatusCreated, status, "%s", body)
	sameShape(t, "payout_initialize.json", body, jsonshape.Options{})
	id := payoutID(t, body)

	status, body = call(t, srv, http.MethodGet, "/v1/payouts/"+id+"/verify", bearer, nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "payout_verify_success.json", body, payoutMetadata)
	status, body = call(t, srv, http.MethodGet, "/v1/payouts/"+id, bearer, nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "payout_retrieve_success.json", body, payoutMetadata)

	// Without metadata, a failed one: "metadata": [] as in the docs'
	// example, and the same shape.
	status, body = payout(t, srv, demoPayout(monerootest.PayoutFailed))
	require.Equal(t, http.StatusCreated, status, "%s", body)
	id = payoutID(t, body)
	_, body = call(t, srv, http.MethodGet, "/v1/payouts/"+id+"/verify", bearer, nil)
	sameShape(t, "payout_verify_success.json", body, jsonshape.Options{})
	var v struct {
		Data struct {
			Status   string
			Metadata json.RawMessage
			Disburse struct {
				FailureMessage *string `json:"failure_message"`
			}
		}
	}
	require.NoError(t, json.Unmarshal(body, &v))
	assert.Equal(t, "failed", v.Data.Status)
	assert.JSONEq(t, `[]`, string(v.Data.Metadata))
	require.NotNil(t, v.Data.Disburse.FailureMessage)
}

func TestPayoutWebhooksAreSignedInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	r := receiver(t, srv)
	_, body := payout(t, srv, demoPayout(monerootest.PayoutSuccess))
	id := payoutID(t, body)
	_, _ = payout(t, srv, demoPayout(monerootest.PayoutFailed))
	_, body = payout(t, srv, demoPayout(monerootest.PayoutPending))
	pending := payoutID(t, body)
	require.NoError(t, srv.SettlePayout(pending, "success"))

	r.mu.Lock()
	defer r.mu.Unlock()
	var events []string
	for i, b := range r.bodies {
		sameShape(t, "webhook_payout_success.json", b, jsonshape.Options{})
		c, err := srv.NewClient()
		require.NoError(t, err)
		ev, err := c.ParseWebhook(http.Header{moneroo.SignatureHeader: {r.sigs[i]}}, b)
		require.NoError(t, err, "signed with the webhook secret")
		events = append(events, ev.Type)
	}
	assert.Equal(t, []string{"payout.initiated", "payout.success", "payout.initiated", "payout.failed", "payout.initiated", "payout.success"}, events,
		"no payout.pending: Moneroo has none")
	var deliveries []string
	for _, d := range srv.Deliveries() {
		deliveries = append(deliveries, d.Event+" "+d.PayoutID)
	}
	assert.Contains(t, deliveries, "payout.success "+id)
	h, b, err := srv.PayoutWebhook(id)
	require.NoError(t, err)
	assert.Equal(t, paymentstest.SignMoneroo(monerootest.WebhookSecret, b), h)
	assert.Contains(t, string(b), `"event":"payout.success"`)
}

func TestPayoutTestNumbersDecideTheOutcome(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	for account, want := range map[string]string{
		monerootest.PayoutSuccess: "success", monerootest.PayoutFailed: "failed", monerootest.PayoutPending: "pending",
		"14149518161": "success", "5550001111": "success",
	} {
		status, body := payout(t, srv, demoPayout(account))
		require.Equal(t, http.StatusCreated, status, "%s", body)
		_, body = call(t, srv, http.MethodGet, "/v1/payouts/"+payoutID(t, body)+"/verify", bearer, nil)
		var v struct{ Data struct{ Status string } }
		require.NoError(t, json.Unmarshal(body, &v))
		assert.Equal(t, want, v.Data.Status, account)
	}
	// The same numbers at the end of any method's MSISDN.
	status, body := payout(t, srv, strings.Replace(string(fixture(t, "payout_initialize_request.json")), "22951345020", "229"+monerootest.PayoutPending, 1))
	require.Equal(t, http.StatusCreated, status, "%s", body)
	id := payoutID(t, body)
	ps := srv.Payouts()
	assert.Equal(t, "pending", ps[len(ps)-1].Status)
	require.NoError(t, srv.SettlePayout(id, "failed"))
	assert.Error(t, srv.SettlePayout(id, "success"), "a final payout cannot change")
	assert.Error(t, srv.SettlePayout(id, "pending"))
	assert.Error(t, srv.SettlePayout("nope", "success"))

	// The Laravel SDK's test sends account_number at the top level.
	status, body = payout(t, srv, strings.Replace(demoPayout(monerootest.PayoutSuccess), `"recipient":{"account_number":"4149518161"}`, `"account_number":4149518161`, 1))
	assert.Equal(t, http.StatusCreated, status, "%s", body)
}

func TestPayoutInitializeAppliesMonerooRules(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	valid := `"description":"d","customer":{"email":"a@example.com","first_name":"A","last_name":"B"}`
	for _, tc := range []struct {
		name, body, field string
	}{
		{"a fractional amount", `{"amount":10.5,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"22951345020"},` + valid + `}`, "amount"},
		{"no method", `{"amount":100,"currency":"XOF","recipient":{"msisdn":"22951345020"},` + valid + `}`, "method"},
		{"a payment-only method", `{"amount":100,"currency":"XOF","method":"card_xof","recipient":{"msisdn":"22951345020"},` + valid + `}`, "method"},
		{"another currency than the method's", `{"amount":100,"currency":"XAF","method":"mtn_bj","recipient":{"msisdn":"22951345020"},` + valid + `}`, "currency"},
		{"no msisdn", `{"amount":100,"currency":"XOF","method":"mtn_bj",` + valid + `}`, "recipient.msisdn"},
		{"an msisdn with +", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"+22951345020"},` + valid + `}`, "recipient.msisdn"},
		{"an msisdn too short", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"5134502"},` + valid + `}`, "recipient.msisdn"},
		{"an msisdn with letters", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"2295134502O"},` + valid + `}`, "recipient.msisdn"},
		{"no description", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"22951345020"},"customer":{"email":"a@example.com","first_name":"A","last_name":"B"}}`, "description"},
		{"no customer email", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"22951345020"},"description":"d","customer":{"first_name":"A","last_name":"B"}}`, "customer.email"},
		{"11 metadata entries", `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":"22951345020"},` + valid +
			`,"metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1","j":"1","k":"1"}}`, "metadata"},
		{"the demo method without an account", `{"amount":5,"currency":"USD","method":"moneroo_payout_demo",` + valid + `}`, "recipient.account_number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := payout(t, srv, tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, status, "%s", body)
			var out struct{ Errors map[string][]string }
			require.NoError(t, json.Unmarshal(body, &out), "%s", body)
			assert.Contains(t, out.Errors, tc.field, "%s", body)
		})
	}
	assert.Empty(t, srv.Payouts(), "no refused payout is made")

	status, body := payout(t, srv, `{"amount":100,"currency":"XOF","method":"mtn_bj","recipient":{"msisdn":22951345020},`+valid+`}`)
	assert.Equal(t, http.StatusCreated, status, "the docs type the msisdn as an integer: %s", body)
	status, _ = call(t, srv, http.MethodPost, "/v1/payouts/initialize", "Bearer wrong", fixture(t, "payout_initialize_request.json"))
	assert.Equal(t, http.StatusUnauthorized, status)
	status, body = call(t, srv, http.MethodGet, "/v1/payouts/nope/verify", bearer, nil)
	assert.Equal(t, http.StatusNotFound, status)
	sameShape(t, "error_404.json", body, jsonshape.Options{})
	for _, garbage := range []string{"", "null", "[]", "{", `{"amount":"x","recipient":[]}`, `{"method":7,"recipient":{"msisdn":{}}}`} {
		status, _ := payout(t, srv, garbage)
		assert.True(t, status >= 400 && status < 500, "body %q: %d", garbage, status)
	}
}

func TestPayoutsDrawOnTheBalanceWithoutFees(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	_, limited := srv.Balance("USD")
	assert.False(t, limited, "no balance set: no limit")
	srv.SetBalance(payments.Money{Amount: 1000, Currency: "USD"}) // 10 USD

	status, body := payout(t, srv, demoPayout(monerootest.PayoutSuccess)) // 5 USD
	require.Equal(t, http.StatusCreated, status, "%s", body)
	b, _ := srv.Balance("USD")
	assert.Equal(t, payments.Money{Amount: 500, Currency: "USD"}, b, "5 USD out, no fee")

	status, body = payout(t, srv, demoPayout(monerootest.PayoutFailed))
	require.Equal(t, http.StatusCreated, status, "%s", body)
	b, _ = srv.Balance("USD")
	assert.Equal(t, payments.Money{Amount: 500, Currency: "USD"}, b, "a failed payout is credited back")

	status, body = payout(t, srv, strings.Replace(demoPayout(monerootest.PayoutSuccess), `"amount":5`, `"amount":6`, 1))
	assert.Equal(t, http.StatusBadRequest, status)
	sameShape(t, "error_401.json", body, jsonshape.Options{}) // the envelope, errors null
	assert.Contains(t, string(body), "Insufficient balance")
	assert.Len(t, srv.Payouts(), 2, "no payout made")

	srv.SetPayoutsPending(true)
	_, body = payout(t, srv, demoPayout(monerootest.PayoutSuccess))
	id := payoutID(t, body)
	b, _ = srv.Balance("USD")
	assert.Zero(t, b.Amount, "a pending payout holds its amount")
	require.NoError(t, srv.SettlePayout(id, "failed"))
	b, _ = srv.Balance("USD")
	assert.Equal(t, int64(500), b.Amount)
}

func TestTheSimulatorPaysRefundsBackThroughTheClient(t *testing.T) {
	// The typed client against the simulator: the same answers the
	// fixtures show, read by the library.
	srv := monerootest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := context.Background()
	out, err := c.InitializePayout(ctx, &moneroo.PayoutRequest{
		Amount: 1000, Currency: "XOF", Description: "Refund", Method: "wave_sn",
		Customer:  moneroo.CustomerInput{Email: "a@example.com", FirstName: "A", LastName: "B"},
		Metadata:  map[string]string{"order": "42"},
		Recipient: moneroo.Recipient{MSISDN: "221770000000"},
	})
	require.NoError(t, err)
	p, err := c.VerifyPayout(ctx, out.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.PayoutStatus())
	m, err := p.Money()
	require.NoError(t, err)
	assert.Equal(t, payments.Money{Amount: 1000, Currency: "XOF"}, m)
	assert.Equal(t, "wave_sn", p.MethodCode())
	assert.Equal(t, moneroo.Metadata{"order": "42"}, p.Metadata)
	assert.False(t, p.SuccessAt.IsZero())
	r, err := c.RetrievePayout(ctx, out.ID)
	require.NoError(t, err)
	assert.Equal(t, "wave_sn", r.MethodCode())
	assert.Equal(t, moneroo.String("221770000000"), r.PayoutPhoneNumber)
}
