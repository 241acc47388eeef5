package herotest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// post sends a GraphQL request to the simulator as Hero's clients do and
// returns the status and the decoded body.
func post(t *testing.T, srv *herotest.Server, key, query string, vars map[string]any) (int, gqlResponse) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	status, raw := postRaw(t, srv, key, body)
	var out gqlResponse
	if status == http.StatusOK {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	}
	return status, out
}

func postRaw(t *testing.T, srv *herotest.Server, key string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Api-Key "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, raw
}

type gqlResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

const createDoc = `mutation createPayment($p: NewPayment!) { createPayment(payment: $p) { id } }`

const infosDoc = `query($ids: [String!]!) { getPaymentsInfos(paymentIds: $ids) { __typename
	... on GetPaymentsInfosResult { result { paymentId isSuccess error reviewStatus reason initialPaymentAmount pendingRefundAmount refundedAmount } }
	... on ValidationErrors { validationErrors { path validationError } } } }`

const refundDoc = `mutation($id: String!, $amount: Int!) { refundPaymentCheckout(input: {paymentCheckoutId: $id, amount: $amount}) { __typename
	... on RefundPaymentCheckoutOutput { success } ... on GqlHeroError { errorCode message } ... on ValidationErrors { validationErrors { path validationError } } } }`

func newPayment(amount any) map[string]any {
	return map[string]any{
		"amount": amount, "redirectUri": "https://shop.example.com/return?order=42", "type": "Pay1X",
		"issuer": map[string]any{
			"address": map[string]any{"line1": "10 Something Street", "city": "Paris", "zipCode": "75001"},
			"name":    "Super Corp", "contactEmail": "laura@example.com", "contactPhone": "+330600000000",
		},
	}
}

func create(t *testing.T, srv *herotest.Server) string {
	t.Helper()
	status, out := post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": newPayment(5000)})
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, out.Errors)
	var created struct{ ID string }
	require.NoError(t, json.Unmarshal(out.Data["createPayment"], &created))
	require.True(t, strings.HasPrefix(created.ID, "payment_"), created.ID)
	return created.ID
}

func TestCreateAndReadBack(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	id := create(t, srv)
	p, ok := srv.Payment(id)
	require.True(t, ok)
	assert.Equal(t, int64(5000), p.Amount)
	assert.Equal(t, "Super Corp", p.Issuer.Name)
	assert.Equal(t, "https://shop.example.com/return?order=42", p.RedirectURI)

	_, out := post(t, srv, herotest.APIKey, infosDoc, map[string]any{"ids": []string{id, "payment_unknown"}})
	require.Empty(t, out.Errors)
	assert.JSONEq(t, `{"__typename":"GetPaymentsInfosResult","result":[{"paymentId":"`+id+`","isSuccess":false,
		"error":"PAYMENT_NOT_INITIATED","reviewStatus":"NONE","reason":"None","initialPaymentAmount":5000,
		"pendingRefundAmount":0,"refundedAmount":0}]}`, string(out.Data["getPaymentsInfos"]))

	require.NoError(t, srv.Pay(id))
	_, out = post(t, srv, herotest.APIKey, infosDoc, map[string]any{"ids": []string{id}})
	assert.JSONEq(t, `{"__typename":"GetPaymentsInfosResult","result":[{"paymentId":"`+id+`","isSuccess":true,
		"error":null,"reviewStatus":"ACCEPTED","reason":"","initialPaymentAmount":5000,
		"pendingRefundAmount":0,"refundedAmount":0}]}`, string(out.Data["getPaymentsInfos"]))

	// Another merchant does not see it.
	_, out = post(t, srv, herotest.OtherAPIKey, infosDoc, map[string]any{"ids": []string{id}})
	assert.JSONEq(t, `{"__typename":"GetPaymentsInfosResult","result":[]}`, string(out.Data["getPaymentsInfos"]))
}

func TestAPIKeyIsChecked(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	for _, key := range []string{"", "wrong", "Bearer " + herotest.APIKey} {
		status, out := post(t, srv, key, createDoc, map[string]any{"p": newPayment(5000)})
		assert.Equal(t, http.StatusOK, status, "GraphQL errors come with HTTP 200")
		require.Len(t, out.Errors, 1)
		assert.Equal(t, "NOT_LOGGED", out.Errors[0].Message)
		assert.Equal(t, map[string]any{"code": "INTERNAL_SERVER_ERROR"}, out.Errors[0].Extensions)
		assert.Equal(t, []any{"createPayment"}, out.Errors[0].Path)
	}
	assert.Zero(t, srv.Payments())
}

func TestErrorCodesInExtensions(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	srv.SetErrorCodes(herotest.CodesInExtensions)
	srv.SetPaymentLimits(1000, 100000)

	_, out := post(t, srv, "wrong", createDoc, map[string]any{"p": newPayment(5000)})
	require.Len(t, out.Errors, 1)
	assert.Equal(t, "L'Api-Key est manquante ou invalide.", out.Errors[0].Message)
	assert.Equal(t, map[string]any{"code": "NOT_LOGGED"}, out.Errors[0].Extensions)

	_, out = post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": with(newPayment(5000), "type", "Pay45D")})
	require.Len(t, out.Errors, 1)
	assert.Equal(t, map[string]any{"code": "INVALID_PAYMENT_TYPE"}, out.Errors[0].Extensions)
	assert.Contains(t, out.Errors[0].Message, "Le type de paiement est invalide.")

	// The paymentMin/paymentMax messages have no code to move.
	_, out = post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": newPayment(999)})
	require.Len(t, out.Errors, 1)
	assert.Equal(t, "Amount 999 is smaller than paymentMin 1000", out.Errors[0].Message)

	srv.SetErrorCodes(herotest.CodesInMessage)
	_, out = post(t, srv, "wrong", createDoc, map[string]any{"p": newPayment(5000)})
	require.Len(t, out.Errors, 1)
	assert.Equal(t, "NOT_LOGGED", out.Errors[0].Message)
}

func TestInvalidGraphQLIsRejected(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	for name, tc := range map[string]struct {
		query string
		vars  map[string]any
		want  string
	}{
		"unknown field":        {`{ version nope }`, nil, `Cannot query field "nope"`},
		"syntax":               {`mutation { createPayment(`, nil, "syntax error"},
		"float amount":         {createDoc, map[string]any{"p": newPayment(50.5)}, "not a 32-bit integer"},
		"missing issuer":       {createDoc, map[string]any{"p": map[string]any{"amount": 5000, "redirectUri": "https://x.example", "type": "Pay1X"}}, "issuer"},
		"unknown payment type": {createDoc, map[string]any{"p": func() map[string]any { p := newPayment(5000); p["type"] = "Pay2X"; return p }()}, "Pay2X"},
		"amount beyond Int":    {createDoc, map[string]any{"p": newPayment(1 << 31)}, "not a 32-bit integer"},
		"union without fragment": {`{ getPaymentsInfos(paymentIds: ["x"]) { result { paymentId } } }`, nil,
			`Cannot query field "result" on type "GetPaymentsInfosOutput"`},
	} {
		t.Run(name, func(t *testing.T) {
			before := srv.Payments()
			status, out := post(t, srv, herotest.APIKey, tc.query, tc.vars)
			assert.Equal(t, http.StatusOK, status)
			require.NotEmpty(t, out.Errors)
			assert.Contains(t, out.Errors[0].Message, tc.want)
			assert.Empty(t, out.Data)
			assert.Equal(t, before, srv.Payments(), "nothing was created")
		})
	}
}

func TestCreatePaymentRules(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	srv.SetPaymentLimits(1000, 100000)

	for name, tc := range map[string]struct {
		payment map[string]any
		message string
		code    any
	}{
		"below paymentMin": {newPayment(999), "Amount 999 is smaller than paymentMin 1000", "INTERNAL_SERVER_ERROR"},
		"above paymentMax": {newPayment(100001), "Amount 100001 is bigger than paymentMax 100000", "INTERNAL_SERVER_ERROR"},
		"type not enabled": {with(newPayment(5000), "type", "Pay45D"), "INVALID_PAYMENT_TYPE", "INTERNAL_SERVER_ERROR"},
		".localhost":       {with(newPayment(5000), "redirectUri", "https://shop.localhost/r"), "Use a non-suspect Redirect URI: redirectUri is on a .localhost host", "BAD_USER_INPUT"},
		"relative":         {with(newPayment(5000), "redirectUri", "/r"), "redirectUri must be an absolute http(s) URI", "BAD_USER_INPUT"},
		"empty name": {with(newPayment(5000), "issuer", map[string]any{
			"address": map[string]any{"line1": "l", "city": "c", "zipCode": "z"}, "name": " ", "contactEmail": "e", "contactPhone": "p",
		}), "issuer.name must not be empty", "BAD_USER_INPUT"},
	} {
		t.Run(name, func(t *testing.T) {
			_, out := post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": tc.payment})
			require.Len(t, out.Errors, 1)
			assert.Equal(t, tc.message, out.Errors[0].Message)
			assert.Equal(t, tc.code, out.Errors[0].Extensions["code"])
		})
	}

	srv.DisableMerchant(true)
	_, out := post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": newPayment(5000)})
	require.Len(t, out.Errors, 1)
	assert.Equal(t, "MERCHANT_PRODUCT_DISABLED", out.Errors[0].Message)
	_, out = post(t, srv, herotest.APIKey, `{ availablePaymentTypes(amount: 5000, customerReference: "c") }`, nil)
	assert.JSONEq(t, `[]`, string(out.Data["availablePaymentTypes"]))

	srv.DisableMerchant(false)
	_, out = post(t, srv, herotest.APIKey, `{ availablePaymentTypes(amount: 5000, customerReference: "c", siren: "882221385") }`, nil)
	assert.JSONEq(t, `["Pay1X","Pay3X","Pay4X","Pay30D","Pay60D"]`, string(out.Data["availablePaymentTypes"]))
}

func with(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}

func TestRefundRules(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	id := create(t, srv)
	refund := func(key, id string, amount int) string {
		_, out := post(t, srv, key, refundDoc, map[string]any{"id": id, "amount": amount})
		require.Empty(t, out.Errors)
		return string(out.Data["refundPaymentCheckout"])
	}
	functional := func(code string) string {
		return `{"__typename":"GqlHeroError","errorCode":"FUNCTIONAL_ERROR","message":"` + code + `"}`
	}

	assert.JSONEq(t, functional("PAYMENT_NOT_STARTED"), refund(herotest.APIKey, id, 100))
	require.NoError(t, srv.Pay(id))
	assert.JSONEq(t, `{"__typename":"ValidationErrors","validationErrors":[{"path":["amount"],"validationError":"Le montant doit être un nombre positif"}]}`,
		refund(herotest.APIKey, id, 0))
	assert.JSONEq(t, functional("INVALID_PAYMENT_CHECKOUT"), refund(herotest.APIKey, "paycheckout-nope", 100))
	assert.JSONEq(t, `{"__typename":"GqlHeroError","errorCode":"UNAUTHORIZED","message":"UNAUTHORIZED"}`, refund(herotest.OtherAPIKey, id, 100))
	assert.JSONEq(t, functional("INVALID_AMOUNT"), refund(herotest.APIKey, id, 5001))
	assert.JSONEq(t, `{"__typename":"RefundPaymentCheckoutOutput","success":true}`, refund(herotest.APIKey, id, 3000))
	assert.JSONEq(t, functional("AMOUNT_TOO_HIGH"), refund(herotest.APIKey, id, 2001))
	// The paycheckout id works as well as the payment id.
	assert.JSONEq(t, `{"__typename":"RefundPaymentCheckoutOutput","success":true}`, refund(herotest.APIKey, srv.PaymentCheckoutID(id), 2000))
	p, _ := srv.Payment(id)
	assert.Equal(t, int64(5000), p.Refunded)

	srv.FailNextRefund("INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR")
	assert.JSONEq(t, `{"__typename":"GqlHeroError","errorCode":"INTERNAL_SERVER_ERROR","message":"INTERNAL_SERVER_ERROR"}`, refund(herotest.APIKey, id, 1))
}

func TestHeldRefundsArePending(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	id := create(t, srv)
	require.NoError(t, srv.Pay(id))
	srv.HoldRefunds(true)
	_, out := post(t, srv, herotest.APIKey, refundDoc, map[string]any{"id": id, "amount": 1500})
	assert.JSONEq(t, `{"__typename":"RefundPaymentCheckoutOutput","success":true}`, string(out.Data["refundPaymentCheckout"]))
	p, _ := srv.Payment(id)
	assert.Equal(t, int64(1500), p.PendingRefund)
	assert.Zero(t, p.Refunded)
	srv.SettleRefunds(id)
	p, _ = srv.Payment(id)
	assert.Equal(t, int64(1500), p.Refunded)
	assert.Zero(t, p.PendingRefund)
}

func TestPaymentPage(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	id := create(t, srv)
	requests := srv.Requests()

	resp, err := http.Get(srv.URL + "/checkout/" + id)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), `id="pay"`)
	assert.Contains(t, string(page), "50.00 EUR")

	ctx := context.Background()
	loc, err := simkit.SubmitForm(ctx, srv.URL+"/checkout/"+id+"/pay", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example.com/return?order=42", loc.String(), "Hero adds no parameter")
	p, _ := srv.Payment(id)
	assert.True(t, p.Paid)

	// A customer who comes back twice is sent back again.
	loc, err = simkit.SubmitForm(ctx, srv.URL+"/checkout/"+id+"/pay", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example.com/return?order=42", loc.String())
	_, err = simkit.SubmitForm(ctx, srv.URL+"/checkout/"+id+"/decline", nil)
	require.Error(t, err, "a paid payment cannot be declined")

	resp, err = http.Get(srv.URL + "/checkout/" + id)
	require.NoError(t, err)
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), "This payment is paid.")
	assert.NotContains(t, string(page), `id="pay"`)

	resp, err = http.Get(srv.URL + "/checkout/payment_unknown")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, requests, srv.Requests(), "page hits are not API requests")
}

func TestDeclineAndExpire(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	declined, expired := create(t, srv), create(t, srv)
	loc, err := simkit.SubmitForm(context.Background(), srv.URL+"/checkout/"+declined+"/decline", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example.com/return?order=42", loc.String())
	require.NoError(t, srv.Expire(expired))
	require.Error(t, srv.Pay(expired), "an expired payment cannot be paid")
	require.Error(t, srv.Pay("payment_unknown"))

	_, out := post(t, srv, herotest.APIKey, `query($ids: [String!]!) { getPaymentsInfos(paymentIds: $ids) {
		... on GetPaymentsInfosResult { result { paymentId error } } } }`, map[string]any{"ids": []string{declined, expired}})
	assert.JSONEq(t, `{"result":[{"paymentId":"`+declined+`","error":"PAYMENT_DECLINED"},{"paymentId":"`+expired+`","error":"PAYMENT_EXPIRED"}]}`,
		string(out.Data["getPaymentsInfos"]))
}

func TestEmptyIDsAreValidationErrors(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	_, out := post(t, srv, herotest.APIKey, infosDoc, map[string]any{"ids": []string{}})
	assert.JSONEq(t, `{"__typename":"ValidationErrors","validationErrors":[{"path":["paymentIds"],"validationError":"paymentIds must contain at least one payment id"}]}`,
		string(out.Data["getPaymentsInfos"]))
}

func TestRateLimit(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(3, 1000)
	statuses := make([]int, 5)
	for i := range statuses {
		statuses[i], _ = post(t, srv, herotest.APIKey, `{ version }`, nil)
	}
	assert.Equal(t, []int{200, 200, 200, 429, 429}, statuses)
}

func TestTransportErrors(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	status, _ := postRaw(t, srv, herotest.APIKey, []byte(`{"query": `))
	assert.Equal(t, http.StatusBadRequest, status)

	resp, err := http.Get(srv.URL + "/api/graphql")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	status, _ = postRaw(t, srv, herotest.APIKey, []byte(`{"query":"{ version }"}`))
	assert.Equal(t, http.StatusServiceUnavailable, status)
	status, raw := postRaw(t, srv, herotest.APIKey, []byte(`{"query":"{ version }"}`))
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":{"version":"herotest/1"}}`, string(raw))
	assert.Equal(t, 4, srv.Requests())
}

// FuzzServer checks that no request body makes the simulator fail: it
// answers every one with a status, never a panic or a dropped connection.
func FuzzServer(f *testing.F) {
	f.Add([]byte(`{"query":"{ version }"}`))
	f.Add([]byte(`{"query":"mutation($p: NewPayment!) { createPayment(payment: $p) { id } }","variables":{"p":{"amount":5000}}}`))
	f.Add([]byte(`{"query":"{ getPaymentsInfos(paymentIds: [null, \"\"]) { ... on ValidationErrors { validationErrors { path } } } }"}`))
	f.Add([]byte(`{"query":"mutation { refundPaymentCheckout(input: {paymentCheckoutId: \"x\", amount: -1}) { __typename } }"}`))
	srv := herotest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(1<<30, 1<<30)
	f.Fuzz(func(t *testing.T, body []byte) {
		status, _ := postRaw(t, srv, herotest.APIKey, body)
		assert.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, status)
	})
}
