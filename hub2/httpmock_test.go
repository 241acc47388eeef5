package hub2

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/unipay/payments/internal/mockhttp"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// The JWT of the fixtures' intent.
const fixtureJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpbnRlbnRJZCI6InBpX3RmZmlEYVh5V1F1MjAzcklYaHVqVyIsIm1lcmNoYW50SWQiOiIzIiwibW9kZSI6InNhbmRib3giLCJpYXQiOjE2NTgxMjU1MjV9.7rB4IuxUn2aAkotpRa0_c78EzM8Z-kDG_VWiJ2MtQaY"

const fixtureIntent = "pi_tffiDaXyWQu203rIXhujW"

// sent is a request as Hub2 would receive it.
type sent struct {
	method, url string
	header      http.Header
	body        string
}

// replay answers each registered call with a fixture from testdata/hub2 and
// records what the client sent.
type replay struct {
	t    *testing.T
	mock *mockhttp.MockTransport
	mu   sync.Mutex
	sent []sent
}

func newReplay(t *testing.T) *replay {
	return &replay{t: t, mock: mockhttp.NewMockTransport()}
}

func (r *replay) on(method, url string, status int, fixture string) {
	r.onAbout(method, url, status, fixture, nil)
}

// onAbout is on with the fixture's ids replaced (old → new): a sample of
// Hub2's docs, about the intent the test asks about.
func (r *replay) onAbout(method, url string, status int, fixture string, ids *strings.Replacer) {
	body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", fixture))
	require.NoError(r.t, err)
	if ids != nil {
		body = []byte(ids.Replace(string(body)))
	}
	r.mock.RegisterResponder(method, url, func(req *http.Request) (*http.Response, error) {
		var b []byte
		if req.Body != nil {
			b, _ = io.ReadAll(req.Body)
		}
		r.mu.Lock()
		r.sent = append(r.sent, sent{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: string(b)})
		r.mu.Unlock()
		resp := mockhttp.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
}

func (r *replay) client(env payments.Environment) *Client {
	return r.clientWith(Config{APIKey: "sk_test_3f9a", MerchantID: "3", Environment: env})
}

func (r *replay) clientWith(cfg Config) *Client {
	c, err := New(cfg, payments.WithHTTPClient(&http.Client{Transport: r.mock}))
	require.NoError(r.t, err)
	return c
}

func (r *replay) requests() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.sent...)
}

// assertHeaders checks the exact headers Hub2 receives.
func assertHeaders(t *testing.T, h http.Header, env string, withBody bool) {
	t.Helper()
	want := []string{"Accept", "ApiKey", "Environment", "MerchantId", "User-Agent"}
	if withBody {
		want = append(want, "Content-Type")
		assert.Equal(t, []string{"application/json"}, h["Content-Type"])
	}
	sort.Strings(want)
	var got []string
	for k := range h {
		got = append(got, k)
	}
	sort.Strings(got)
	assert.Equal(t, want, got, "the header names, spelt as Hub2 documents them")
	assert.Equal(t, []string{"sk_test_3f9a"}, h["ApiKey"])
	assert.Equal(t, []string{"3"}, h["MerchantId"])
	assert.Equal(t, []string{env}, h["Environment"])
	assert.Equal(t, []string{"application/json"}, h["Accept"])
	assert.True(t, strings.HasPrefix(h.Get("User-Agent"), "unipay-payments/"), h.Get("User-Agent"))
}

func TestReplayDirectOTPFlow(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "create_intent.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payments", 201, "attempt_otp.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/authentication", 201, "authenticate_successful.json")
	c := r.client(payments.Sandbox)

	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 200, Currency: "XOF"},
		Reference: "Test_YYYY_MM_DD_01",
		Customer:  &payments.Customer{Reference: "Test_01"},
		ReturnURL: "https://shop.example.com/return?order=1",
		CancelURL: "https://shop.example.com/cart",
		Options:   Options{Country: "CI", Provider: "orange", MSISDN: "0700000000"},
	})
	require.NoError(t, err)
	assert.Equal(t, fixtureIntent, s.ID)
	assert.Equal(t, payments.StatusActionRequired, s.Status)
	assert.Equal(t, fixtureJWT, s.ClientToken)
	require.NotNil(t, s.NextAction)
	assert.Equal(t, payments.NextActionOTP, s.NextAction.Type)
	assert.Equal(t, "Mode Sandbox. Entrez un numéro à 4 chiffres pour authentifier le paiement.", s.NextAction.Message)
	assert.Empty(t, s.RedirectURL)
	assert.Contains(t, string(s.Raw), `"token": "[REDACTED]"`)

	pi, err := c.Authenticate(ctx, s.ID, s.ClientToken, "1234")
	require.NoError(t, err)
	assert.Equal(t, IntentSuccessful, pi.Status)
	assert.Equal(t, PaymentSuccessful, pi.LastPayment().Status)

	reqs := r.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "POST", reqs[0].method)
	assert.Equal(t, "https://api.hub2.io/payment-intents", reqs[0].url)
	assert.Equal(t, `{"customerReference":"Test_01","purchaseReference":"Test_YYYY_MM_DD_01","amount":200,"currency":"XOF"}`, reqs[0].body)
	assertHeaders(t, reqs[0].header, "sandbox", true)

	assert.Equal(t, "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payments", reqs[1].url)
	assert.Equal(t, `{"token":"`+fixtureJWT+`","paymentMethod":"mobile_money","country":"CI","provider":"orange",`+
		`"mobileMoney":{"msisdn":"0700000000",`+
		`"onCancelRedirectionUrl":"https://shop.example.com/cart?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=cancel",`+
		`"onFinishRedirectionUrl":"https://shop.example.com/return?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=finish\u0026order=1"}}`,
		reqs[1].body)
	assertHeaders(t, reqs[1].header, "sandbox", true)

	assert.Equal(t, "https://api.hub2.io/payment-intents/"+fixtureIntent+"/authentication", reqs[2].url)
	assert.Equal(t, `{"token":"`+fixtureJWT+`","confirmationCode":"1234"}`, reqs[2].body)
	assertHeaders(t, reqs[2].header, "sandbox", true)
}

func TestReplayRedirection(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "create_intent.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payments", 201, "attempt_wave_redirection.json")
	r.on("GET", "https://api.hub2.io/payment-intents/"+fixtureIntent, 200, "attempt_wave_redirection.json")
	c := r.client(payments.Production)

	s, err := c.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 200, Currency: "XOF"}, Reference: "Test_YYYY_MM_DD_01",
		ReturnURL: "https://shop.example.com/return?order=1",
		Options:   &Options{Country: "ci", Provider: "Wave", MSISDN: "0700000000"},
	})
	require.NoError(t, err)
	assert.Equal(t, "https://pay.wave.com/c/cos-1a2b3c4d5e", s.RedirectURL)
	assert.Equal(t, payments.NextActionRedirect, s.NextAction.Type)
	assert.Equal(t, "mm_wave_live.redirection", s.NextAction.Message)
	u, err := c.RedirectURL(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, s.RedirectURL, u)

	reqs := r.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, `{"customerReference":"Test_YYYY_MM_DD_01","purchaseReference":"Test_YYYY_MM_DD_01","amount":200,"currency":"XOF"}`, reqs[0].body,
		"without Customer.Reference the order reference is the customer reference")
	assert.Equal(t, `{"token":"`+fixtureJWT+`","paymentMethod":"mobile_money","country":"CI","provider":"wave",`+
		`"mobileMoney":{"msisdn":"0700000000",`+
		`"onSuccessRedirectionUrl":"https://shop.example.com/return?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=success\u0026order=1",`+
		`"onFailedRedirectionUrl":"https://shop.example.com/return?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=failed\u0026order=1"}}`,
		reqs[1].body, "Wave takes onSuccess and onFailed (ReturnURL when there is no CancelURL), not onFinish and onCancel; country and provider normalised")
	for _, q := range reqs {
		assertHeaders(t, q.header, "live", q.method == "POST")
	}
	assert.Equal(t, "", reqs[2].body)
}

func TestReplayWaveFailedURLIsTheCancelURL(t *testing.T) {
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/payment-intents", 201, "create_intent.json")
	r.on("POST", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payments", 201, "attempt_wave_redirection.json")
	c := r.client(payments.Sandbox)
	_, err := c.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 200, Currency: "XOF"}, Reference: "Test_YYYY_MM_DD_01",
		ReturnURL: "https://shop.example.com/return", CancelURL: "https://shop.example.com/cart",
		Options: Options{Country: "CI", Provider: "wave", MSISDN: "0700000000"},
	})
	require.NoError(t, err)
	reqs := r.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, `{"token":"`+fixtureJWT+`","paymentMethod":"mobile_money","country":"CI","provider":"wave",`+
		`"mobileMoney":{"msisdn":"0700000000",`+
		`"onSuccessRedirectionUrl":"https://shop.example.com/return?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=success",`+
		`"onFailedRedirectionUrl":"https://shop.example.com/cart?hub2_intent=`+fixtureIntent+`\u0026hub2_outcome=failed"}}`,
		reqs[1].body)
}

func TestWaveWithoutAReturnURLSendsNothing(t *testing.T) {
	r := newReplay(t)
	c := r.client(payments.Sandbox)
	_, err := c.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 200, Currency: "XOF"}, Reference: "order-1",
		Options: Options{Country: "CI", Provider: "wave", MSISDN: "0700000000"},
	})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("ReturnURL")
	assert.True(t, named, "names ReturnURL: %v", perr.Fields)
	assert.Zero(t, r.mock.GetTotalCallCount(), "nothing reached Hub2")
}

func TestParseReturnReadsWaveOutcomes(t *testing.T) {
	c := newReplay(t).client(payments.Sandbox)
	for outcome, want := range map[string]payments.Status{
		"success": payments.StatusSucceeded,
		"failed":  payments.StatusFailed,
		"finish":  payments.StatusProcessing,
		"cancel":  payments.StatusCanceled,
		"other":   payments.StatusUnknown,
	} {
		r, err := c.ParseReturn(url.Values{ReturnIntentParam: {fixtureIntent}, ReturnOutcomeParam: {outcome}})
		require.NoError(t, err)
		assert.Equal(t, fixtureIntent, r.PaymentID)
		assert.Equal(t, want, r.ClaimedStatus, outcome)
	}
}

func TestReplayVerify(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/pi_z1urYtVFgEebtcj8fxp4v", 200, "intent_successful.json")
	c := r.client(payments.Sandbox)
	p, err := payments.VerifyPaid(ctx, c, "pi_z1urYtVFgEebtcj8fxp4v", payments.Money{Amount: 100, Currency: "XOF"})
	require.NoError(t, err)
	assert.Equal(t, payments.Hub2, p.Provider)
	assert.Equal(t, "order-1042", p.Reference)
	assert.Equal(t, "successful", p.ProviderStatus)
	assert.Equal(t, "mobile_money", p.Method, "no provider in the documented sample")
	assert.Equal(t, time.Date(2023, 2, 1, 10, 13, 47, 915_000_000, time.UTC), p.UpdatedAt)
	assert.Empty(t, p.FailureCode)

	r = newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/pi_z1urYtVFgEebtcj8fxp4v", 200, "intent_failed.json")
	c = r.client(payments.Sandbox)
	p, err = payments.VerifyPaid(ctx, c, "pi_z1urYtVFgEebtcj8fxp4v", payments.Money{Amount: 100, Currency: "XOF"})
	require.ErrorIs(t, err, payments.ErrNotPaid)
	assert.Equal(t, payments.StatusFailed, p.Status)
	assert.Equal(t, "customer_insufficient_funds", p.FailureCode)
	assert.Equal(t, "Insufficient funds", p.FailureMessage)
	assert.Equal(t, "mtn_ci", p.Method)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "customer_insufficient_funds", perr.Code)
	_, err = c.RedirectURL(ctx, "pi_z1urYtVFgEebtcj8fxp4v")
	assert.ErrorIs(t, err, payments.ErrUnsupported)
}

func TestReplayError(t *testing.T) {
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/pi_x/payment-fees", 404, "error_404.json")
	c := r.client(payments.Sandbox)
	_, err := c.PaymentFees(context.Background(), "pi_x", FeesQuery{Country: "ZZ", Provider: "orange"})
	require.ErrorIs(t, err, payments.ErrNotFound)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "Not Found", perr.Code)
	assert.Equal(t, "Country not found", perr.Message)
	assert.Equal(t, "req_RRg_xtA55q32PLIWYVLFL", perr.RequestID)
	assert.Equal(t, 404, perr.HTTPStatus)
	assert.Equal(t, "hub2: get payment fees: not found [Not Found]: Country not found (HTTP 404, request req_RRg_xtA55q32PLIWYVLFL)", err.Error())
}

func TestReplayFeesAndWebhookRegistration(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payment-fees", 200, "payment_fees.json")
	r.on("POST", "https://api.hub2.io/webhooks", 201, "webhook_created.json")
	c := r.client(payments.Sandbox)

	fees, err := c.PaymentFees(ctx, fixtureIntent, FeesQuery{Country: "CI", Provider: "Orange"})
	require.NoError(t, err)
	require.Len(t, fees, 1)
	assert.Equal(t, Fee{ID: "lAe5HnFpvOjwdT9vSIgPA", Rate: "123", RateType: "percent", Amount: 5, Currency: "XOF", Label: "...", Taxes: []byte(`["..."]`)}, fees[0])

	wh, err := c.RegisterWebhook(ctx, WebhookRequest{URL: "https://shop.example.com/hooks/hub2",
		Events: []string{"payment_intent.succeeded", "payment_intent.payment_failed"}, Description: "shop"})
	require.NoError(t, err)
	assert.Equal(t, "wh_6Xk2mQp0ZcN1aR8sT4uVw", wh.ID)
	assert.Equal(t, "4d7a1e0f9b2c6e8a3f5d7b9c1e2f4a6b", wh.Secret)
	assert.Equal(t, "enabled", wh.Status)

	reqs := r.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "https://api.hub2.io/payment-intents/"+fixtureIntent+"/payment-fees?country=CI&paymentMethod=mobile_money&provider=orange", reqs[0].url)
	assertHeaders(t, reqs[0].header, "sandbox", false)
	assert.Equal(t, `{"url":"https://shop.example.com/hooks/hub2","events":["payment_intent.succeeded","payment_intent.payment_failed"],"description":"shop"}`, reqs[1].body)
	assertHeaders(t, reqs[1].header, "sandbox", true)
}

func TestBadInputSendsNothing(t *testing.T) {
	r := newReplay(t)
	c := r.client(payments.Sandbox)
	ctx := context.Background()
	base := payments.CreateRequest{Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "order-1"}
	for name, tc := range map[string]struct {
		req   payments.CreateRequest
		field string
	}{
		"reference with an accent": {with(base, func(r *payments.CreateRequest) { r.Reference = "commande-é" }), "Reference"},
		"reference with a colon":   {with(base, func(r *payments.CreateRequest) { r.Reference = "order:1" }), "Reference"},
		"US dollars":               {with(base, func(r *payments.CreateRequest) { r.Amount.Currency = "USD" }), "Amount.Currency"},
		"euros":                    {with(base, func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 5000, Currency: "EUR"} }), "Amount.Currency"},
		"over every XOF maximum":   {with(base, func(r *payments.CreateRequest) { r.Amount.Amount = 3_000_001 }), "Amount"},
		"GNF not in thousands":     {with(base, func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 15_500, Currency: "GNF"} }), "Amount"},
		"XAF under the Cameroon min": {with(base, func(r *payments.CreateRequest) {
			r.Amount = payments.Money{Amount: 495, Currency: "XAF"}
			r.Options = Options{Country: "CM", Provider: "mtn", MSISDN: "670000000"}
		}), "Amount"},
		"a short number": {with(base, func(r *payments.CreateRequest) { r.Options = Options{Country: "CI", Provider: "mtn", MSISDN: "0700"} }), "Options.MSISDN"},
		"an OTP with letters": {with(base, func(r *payments.CreateRequest) {
			r.Options = Options{Country: "CI", Provider: "orange", MSISDN: "0700000000", OTP: "12ab"}
		}), "Options.OTP"},
		"a provider name, not a code": {with(base, func(r *payments.CreateRequest) {
			r.Options = Options{Country: "CI", Provider: "Orange Money", MSISDN: "0700000000"}
		}), "Options.Provider"},
		"an unknown workflow": {with(base, func(r *payments.CreateRequest) {
			r.Options = Options{Country: "CI", Provider: "orange", MSISDN: "0700000000", Workflow: "link"}
		}), "Options.Workflow"},
		"no number":  {with(base, func(r *payments.CreateRequest) { r.Options = Options{Country: "CI", Provider: "mtn"} }), "Options.MSISDN"},
		"no country": {with(base, func(r *payments.CreateRequest) { r.Options = Options{Provider: "mtn", MSISDN: "0700000000"} }), "Options.Country"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Create(ctx, tc.req)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, ok := perr.Field(tc.field)
			assert.True(t, ok, "names %s: %v", tc.field, perr.Fields)
		})
	}
	assert.Empty(t, r.requests(), "nothing reached Hub2")
	assert.Zero(t, r.mock.GetTotalCallCount())
}

func TestAmountsInRange(t *testing.T) {
	for _, tc := range []struct {
		m                 payments.Money
		country, provider string
		ok                bool
	}{
		{payments.Money{Amount: 100, Currency: "XOF"}, "CI", "orange", true},
		{payments.Money{Amount: 1_500_000, Currency: "XOF"}, "CI", "orange", true},
		{payments.Money{Amount: 3_000_000, Currency: "XOF"}, "BJ", "mtn", true},
		{payments.Money{Amount: 3_000_000, Currency: "XOF"}, "", "", true},
		{payments.Money{Amount: 3_000_000, Currency: "XOF"}, "CI", "mtn", false},
		{payments.Money{Amount: 505, Currency: "XAF"}, "CM", "mtn", true},
		{payments.Money{Amount: 503, Currency: "XAF"}, "CM", "mtn", false},
		{payments.Money{Amount: 503, Currency: "XAF"}, "GA", "airtel", true},
		{payments.Money{Amount: 10_000, Currency: "GNF"}, "GN", "orange", true},
		{payments.Money{Amount: 9_000, Currency: "GNF"}, "", "", false},
		{payments.Money{Amount: 5_000, Currency: "XOF"}, "SN", "wave", true},
		{payments.Money{Amount: 5_000, Currency: "XOF"}, "ML", "wave", false},
		{payments.Money{Amount: 5_000, Currency: "XOF"}, "GN", "orange", false},
	} {
		var fe check.FieldErrors
		checkAmount(&fe, tc.m, tc.country, tc.provider)
		assert.Equal(t, tc.ok, len(fe) == 0, "%s in %q via %q: %v", tc.m, tc.country, tc.provider, fe)
	}
}

func TestDecodeErrorReadsBothErrorShapes(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"status":402,"code":"insufficient-funds","message":"Not enough","request_id":"req_9"}`:               {"insufficient-funds", "Not enough"},
		`{"statusCode":400,"message":["amount must be positive","currency is invalid"],"error":"Bad Request"}`: {"Bad Request", "amount must be positive; currency is invalid"},
		`<html>502</html>`:            {"", ""},
		`{"message":{"nested":true}}`: {"", ""},
	} {
		var e payments.Error
		decodeError(&httpx.Response{Body: []byte(body)}, &e)
		assert.Equal(t, want[0], e.Code, body)
		assert.Equal(t, want[1], e.Message, body)
	}
}

// TestDecodeErrorNamesTheFieldsItsMessagesName: Hub2 names a refused field
// only at the start of a message; the field is reported by its Go path in
// the request, Hub2's name beside it.
func TestDecodeErrorNamesTheFieldsItsMessagesName(t *testing.T) {
	body := `{"statusCode":400,"error":"Bad Request","message":["amount must be a positive number",` +
		`"mobileMoney.msisdn should not be empty","property onFinishRedirectionUrl should not exist",` +
		`"Country not found","something went wrong","purchaseReference"]}`
	e := payments.Error{Op: "attempt payment"}
	decodeError(&httpx.Response{Body: []byte(body)}, &e)
	assert.Equal(t, []payments.FieldError{
		{Field: "Amount", ProviderField: "amount", Message: "amount must be a positive number"},
		{Field: "MobileMoney.MSISDN", ProviderField: "mobileMoney.msisdn", Message: "mobileMoney.msisdn should not be empty"},
		{Field: "OnFinishRedirectionURL", ProviderField: "onFinishRedirectionUrl", Message: "property onFinishRedirectionUrl should not exist"},
	}, e.Fields, "a message that names no field Hub2 was sent names none")

	e = payments.Error{Op: opAuthenticate}
	decodeError(&httpx.Response{Body: []byte(`{"status":400,"code":"Bad Request","message":"confirmationCode must be a string"}`)}, &e)
	assert.Equal(t, []payments.FieldError{{Field: "code", ProviderField: "confirmationCode", Message: "confirmationCode must be a string"}}, e.Fields)
}

func with(r payments.CreateRequest, f func(*payments.CreateRequest)) payments.CreateRequest {
	f(&r)
	return r
}
