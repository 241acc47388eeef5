package hub2test_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

var auth = map[string]string{"ApiKey": hub2test.APIKey, "MerchantId": hub2test.MerchantID, "Environment": "sandbox"}

// call sends one request to the simulator and decodes its JSON answer.
func call(t *testing.T, srv *hub2test.Server, method, path string, header map[string]string, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, resp.Header, out
}

func create(t *testing.T, srv *hub2test.Server) map[string]any {
	t.Helper()
	code, _, pi := call(t, srv, "POST", "/payment-intents", auth,
		`{"customerReference":"Test_01","purchaseReference":"Test 2025.03-01_a","amount":1500,"currency":"XOF"}`)
	require.Equal(t, http.StatusCreated, code, pi)
	return pi
}

func attempt(t *testing.T, srv *hub2test.Server, pi map[string]any, provider, msisdn string, header map[string]string) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"token": pi["token"], "paymentMethod": "mobile_money", "country": "CI", "provider": provider,
		"mobileMoney": map[string]string{"msisdn": msisdn,
			"onSuccessRedirectionUrl": successURL, "onFailedRedirectionUrl": failedURL,
			"onFinishRedirectionUrl": finishURL, "onCancelRedirectionUrl": cancelURL},
	})
	code, _, out := call(t, srv, "POST", "/payment-intents/"+pi["id"].(string)+"/payments", header, string(body))
	return code, out
}

// The four return URLs attempt sends: Wave's pair and the pair of the
// other redirection flows, each distinct so that tests see which one a
// redirection uses.
const (
	successURL = "https://shop.example.com/done?o=1"
	failedURL  = "https://shop.example.com/failed"
	finishURL  = "https://shop.example.com/finish"
	cancelURL  = "https://shop.example.com/cart"
)

func lastPayment(pi map[string]any) map[string]any {
	ps := pi["payments"].([]any)
	return ps[len(ps)-1].(map[string]any)
}

func TestHeadersAreChecked(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	for name, tc := range map[string]struct {
		header  map[string]string
		status  int
		message string
	}{
		"none":             {nil, 401, "The ApiKey and MerchantId headers are required"},
		"wrong key":        {map[string]string{"ApiKey": "x", "MerchantId": hub2test.MerchantID, "Environment": "sandbox"}, 401, "Invalid API key"},
		"wrong merchant":   {map[string]string{"ApiKey": hub2test.APIKey, "MerchantId": "17", "Environment": "sandbox"}, 401, "Invalid API key"},
		"no environment":   {map[string]string{"ApiKey": hub2test.APIKey, "MerchantId": hub2test.MerchantID}, 401, "The Environment header is required (sandbox or live)"},
		"live":             {map[string]string{"ApiKey": hub2test.APIKey, "MerchantId": hub2test.MerchantID, "Environment": "live"}, 401, "This API key belongs to the sandbox environment"},
		"bad environment":  {map[string]string{"ApiKey": hub2test.APIKey, "MerchantId": hub2test.MerchantID, "Environment": "prod"}, 400, "Environment must be sandbox or live"},
		"lower-case names": {map[string]string{"apikey": hub2test.APIKey, "merchantid": hub2test.MerchantID, "environment": "sandbox"}, 201, ""},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, out := call(t, srv, "POST", "/payment-intents", tc.header, `{"customerReference":"c","purchaseReference":"p","amount":100,"currency":"XOF"}`)
			assert.Equal(t, tc.status, code)
			if tc.message != "" {
				assert.Equal(t, tc.message, out["message"])
				assert.Equal(t, float64(tc.status), out["status"])
				assert.True(t, strings.HasPrefix(out["request_id"].(string), "req_"))
			}
		})
	}
}

func TestCreateIsValidated(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	for _, tc := range []struct{ body, code, message string }{
		{`{"customerReference":"c","purchaseReference":"order/1","amount":100,"currency":"XOF"}`, "Bad Request", "purchaseReference must match /^[a-zA-Z0-9-_. ]+$/"},
		{`{"customerReference":"c#","purchaseReference":"p","amount":100,"currency":"XOF"}`, "Bad Request", "customerReference must match /^[a-zA-Z0-9-_. ]+$/"},
		{`{"customerReference":"c","purchaseReference":"p","amount":12.5,"currency":"XOF"}`, "Bad Request", "amount must be a positive integer"},
		{`{"customerReference":"c","purchaseReference":"p","amount":"100","currency":"XOF"}`, "Bad Request", "amount must be a positive integer"},
		{`{"customerReference":"c","purchaseReference":"p","amount":0,"currency":"XOF"}`, "Bad Request", "amount must be a positive integer"},
		{`{"customerReference":"c","purchaseReference":"p","amount":100,"currency":"EUR"}`, "invalid-currency", "currency must be one of XOF, XAF, GNF"},
		{`{"customerReference":"c",`, "Bad Request", "The body is not valid JSON"},
	} {
		code, _, out := call(t, srv, "POST", "/payment-intents", auth, tc.body)
		assert.Equal(t, 400, code, tc.body)
		assert.Equal(t, tc.code, out["code"], tc.body)
		assert.Equal(t, tc.message, out["message"], tc.body)
	}
	pi := create(t, srv)
	assert.Equal(t, "payment_required", pi["status"])
	assert.Equal(t, float64(1500), pi["amount"])
	assert.Equal(t, "sandbox", pi["mode"])
	assert.Equal(t, hub2test.MerchantID, pi["merchantId"])
	assert.Regexp(t, `^pi_[a-z0-9]{21}$`, pi["id"])
	claims := strings.Split(pi["token"].(string), ".")
	require.Len(t, claims, 3, "a JWT")
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, pi["createdAt"])
}

func TestAttemptTransitions(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)

	// The token alone authorizes an attempt, as on the customer's side.
	code, out := attempt(t, srv, pi, "mtn", hub2test.TestMSISDN, nil)
	require.Equal(t, http.StatusCreated, code, out)
	assert.Equal(t, "action_required", out["status"])
	p := lastPayment(out)
	assert.Equal(t, "action_required", p["status"])
	assert.Equal(t, "00****01", p["number"])
	assert.Equal(t, map[string]any{"type": "ussd", "message": hub2test.USSDMessage}, p["nextAction"])

	code, out = attempt(t, srv, pi, "mtn", hub2test.TestMSISDN, auth)
	assert.Equal(t, http.StatusConflict, code, "one attempt at a time")
	assert.Equal(t, "A payment is already in progress on this PaymentIntent", out["message"])

	require.NoError(t, srv.Decline(id))
	code, _, out = call(t, srv, "GET", "/payment-intents/"+id+"?token="+url.QueryEscape(pi["token"].(string)), nil, "")
	require.Equal(t, 200, code, "reading with the token only")
	assert.Equal(t, "failed", out["status"])
	assert.Equal(t, map[string]any{"code": "canceled_by_customer", "message": "The customer canceled the payment"}, lastPayment(out)["failure"])

	code, out = attempt(t, srv, pi, "wave", hub2test.TestMSISDN, auth)
	require.Equal(t, http.StatusCreated, code, "another attempt after a failure")
	na := lastPayment(out)["nextAction"].(map[string]any)
	assert.Equal(t, "redirection", na["type"])
	data := na["data"].(map[string]any)
	assert.Equal(t, "get", data["method"])
	assert.True(t, strings.HasPrefix(data["url"].(string), srv.URL+"/checkout/pay_"))

	require.NoError(t, srv.Pay(id))
	code, _, out = call(t, srv, "GET", "/payment-intents/"+id+"/status", auth, "")
	require.Equal(t, 200, code)
	assert.Equal(t, map[string]any{"id": id, "status": "successful"}, out)
	code, _ = attempt(t, srv, pi, "mtn", hub2test.TestMSISDN, auth)
	assert.Equal(t, http.StatusConflict, code, "a paid intent takes no attempt")
	assert.Error(t, srv.Pay(id), "paid already")
}

func TestAttemptIsValidated(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)
	for _, tc := range []struct {
		body    string
		status  int
		message string
	}{
		{`{"token":"nope","paymentMethod":"mobile_money","country":"CI","provider":"mtn","mobileMoney":{"msisdn":"00000001"}}`, 401, "Invalid token"},
		{`{"token":"TOKEN","paymentMethod":"credit_card","country":"CI","provider":"mtn"}`, 400, "paymentMethod must be mobile_money (credit_card is not enabled in the simulator)"},
		{`{"token":"TOKEN","paymentMethod":"mobile_money","country":"FR","provider":"mtn","mobileMoney":{"msisdn":"00000001"}}`, 404, "Country not found"},
		{`{"token":"TOKEN","paymentMethod":"mobile_money","country":"CI","provider":"Orange","mobileMoney":{"msisdn":"00000001"}}`, 404, "Provider not found"},
		{`{"token":"TOKEN","paymentMethod":"mobile_money","country":"CM","provider":"mtn","mobileMoney":{"msisdn":"00000001"}}`, 400, "XOF is not the currency of CM"},
		{`{"token":"TOKEN","paymentMethod":"mobile_money","country":"CI","provider":"mtn"}`, 400, "mobileMoney.msisdn is required"},
	} {
		body := strings.Replace(tc.body, "TOKEN", pi["token"].(string), 1)
		code, _, out := call(t, srv, "POST", "/payment-intents/"+id+"/payments", auth, body)
		assert.Equal(t, tc.status, code, tc.body)
		assert.Equal(t, tc.message, out["message"], tc.body)
	}
	code, _, _ := call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 200, code)

	// Processing failures are not HTTP errors: they are in the payment.
	code, out := attempt(t, srv, pi, "mtn", "0700", auth)
	require.Equal(t, http.StatusCreated, code)
	assert.Equal(t, "failed", out["status"])
	assert.Equal(t, "invalid_msisdn", lastPayment(out)["failure"].(map[string]any)["code"])
}

func TestOTP(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)
	authn := func(code string) (int, map[string]any) {
		body, _ := json.Marshal(map[string]string{"token": pi["token"].(string), "confirmationCode": code})
		status, _, out := call(t, srv, "POST", "/payment-intents/"+id+"/authentication", auth, string(body))
		return status, out
	}
	status, _ := authn("1234")
	assert.Equal(t, http.StatusConflict, status, "nothing to authenticate yet")

	_, out := attempt(t, srv, pi, "orange", hub2test.TestMSISDN, auth)
	assert.Equal(t, map[string]any{"type": "otp", "message": hub2test.OTPMessage}, lastPayment(out)["nextAction"])
	status, out = authn("0042")
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "successful", out["status"], "any 4 digits pass in the sandbox")
	assert.Nil(t, lastPayment(out)["nextAction"])

	pi2 := create(t, srv)
	pi, id = pi2, pi2["id"].(string)
	attempt(t, srv, pi, "orange", hub2test.TestMSISDN, auth)
	status, out = authn("123")
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "failed", out["status"])
	assert.Equal(t, "authentication_failed", lastPayment(out)["failure"].(map[string]any)["code"])
}

func TestRateLimitsFollowTheClock(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	pi := create(t, srv)
	id := pi["id"].(string)

	code, _, _ := call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 200, code)
	code, _, _ = call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 200, code, "off by default")

	srv.SetRateLimits(true)
	code, _, _ = call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 200, code)
	advance(2 * time.Second)
	code, h, out := call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 429, code, "one read of an intent per 5 s")
	assert.Equal(t, "3", h.Get("Retry-After"))
	assert.Equal(t, "Too Many Requests", out["code"])
	advance(3 * time.Second)
	code, _, _ = call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	assert.Equal(t, 200, code)

	for i := range 5 {
		code, _, _ = call(t, srv, "GET", "/payment-intents/"+id+"/status", auth, "")
		assert.Equal(t, 200, code, "status read %d", i+1)
	}
	code, h, _ = call(t, srv, "GET", "/payment-intents/"+id+"/status", auth, "")
	assert.Equal(t, 429, code, "five status reads per 5 s")
	assert.Equal(t, "5", h.Get("Retry-After"))
	other := create(t, srv)
	code, _, _ = call(t, srv, "GET", "/payment-intents/"+other["id"].(string)+"/status", auth, "")
	assert.Equal(t, 200, code, "limits are per intent")
	assert.Equal(t, 2, srv.Throttled())
}

func TestHostedPageAndSignedWebhooks(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	type delivery struct {
		sig  string
		body []byte
	}
	var got []delivery
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, delivery{r.Header.Get("Hub2-Signature"), b})
		mu.Unlock()
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)

	pi := create(t, srv)
	_, out := attempt(t, srv, pi, "wave", hub2test.TestMSISDN, auth)
	page := lastPayment(out)["nextAction"].(map[string]any)["data"].(map[string]any)["url"].(string)
	before := srv.Requests()
	resp, err := http.Get(page)
	require.NoError(t, err)
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(html), `id="pay"`)
	assert.Contains(t, string(html), `id="decline"`)
	assert.Contains(t, string(html), "1500 XOF")

	fresh := srv.RotateSecret()
	back, err := simkit.SubmitForm(context.Background(), page+"/pay", url.Values{})
	require.NoError(t, err)
	assert.Equal(t, successURL, back.String(), "Wave returns to onSuccessRedirectionUrl; Hub2 adds no parameters")
	assert.Equal(t, before, srv.Requests(), "the hosted page is not the API")

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 7, "created, then processing and action_required for the attempt, then succeeded")
	last := got[len(got)-1]
	var ev struct {
		Type string
		Data map[string]any
	}
	require.NoError(t, json.Unmarshal(last.body, &ev))
	assert.Equal(t, "payment_intent.succeeded", ev.Type)
	assert.Equal(t, "successful", ev.Data["status"])
	assert.NotContains(t, ev.Data, "token", "webhooks do not carry the client JWT")
	assert.Equal(t, "s1="+hmacHex(fresh, last.body)+",s0="+hmacHex(hub2test.WebhookSecret, last.body), last.sig)
	assert.Equal(t, "s1="+hmacHex(hub2test.WebhookSecret, got[0].body), got[0].sig, "no s0 before the rotation")

	h, body, err := srv.Event(pi["id"].(string))
	require.NoError(t, err)
	assert.Equal(t, paymentstest.SignHub2(fresh, hub2test.WebhookSecret, body), h)
	assert.Contains(t, string(body), `"type":"payment_intent.succeeded"`)
}

func TestFaultsHitTheAPIOnly(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	srv.Faults.Add(paymentstest.ServerError(503))
	code, _, _ := call(t, srv, "POST", "/payment-intents", auth, `{}`)
	assert.Equal(t, 503, code)
	assert.Equal(t, 1, srv.Requests())
	assert.Equal(t, 1, srv.Faults.Injected())
}

func TestExpire(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)
	require.NoError(t, srv.Expire(id))
	code, _, out := call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	require.Equal(t, 200, code)
	assert.Equal(t, "failed", out["status"])
	code, out = attempt(t, srv, pi, "mtn", hub2test.TestMSISDN, auth)
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "The PaymentIntent has expired", out["message"])
	assert.Error(t, srv.Pay(id))
	assert.Error(t, srv.Expire("pi_nope"))
	assert.Error(t, srv.Decline("pi_nope"))
	_, _, err := srv.Event("pi_nope")
	assert.Error(t, err)
}

// TestNeverFailsOnJunk sends what a careless or hostile client might: the
// simulator answers each with a 4xx, never a 5xx or a dropped connection.
func TestNeverFailsOnJunk(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)
	payID := ""
	_, out := attempt(t, srv, pi, "wave", hub2test.TestMSISDN, auth)
	payID = lastPayment(out)["id"].(string)
	bodies := []string{"", "null", "[]", "{", `{"amount":-1}`, `{"amount":1e400}`, `{"mobileMoney":null}`, `{"token":5}`, strings.Repeat("[", 10000), "\x00\xff"}
	paths := []string{
		"/payment-intents", "/payment-intents/" + id, "/payment-intents/" + id + "/payments", "/payment-intents/" + id + "/authentication",
		"/payment-intents/" + id + "/status", "/payment-intents/" + id + "/payment-fees", "/payment-intents/pi_x/payment-fees?country=CI&provider=mtn&paymentMethod=mobile_money",
		"/payments/" + payID + "/status", "/payments/x/status", "/webhooks", "/nope", "/payment-intents/%00",
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST", "PATCH"} {
			for _, b := range bodies {
				for _, h := range []map[string]string{auth, nil} {
					code, _, _ := call(t, srv, m, p, h, b)
					assert.Less(t, code, 500, "%s %s %q", m, p, b)
				}
			}
		}
	}
	for _, p := range []string{"/checkout/" + payID, "/checkout/pay_x", "/checkout/" + payID + "/pay", "/checkout/x/decline"} {
		for _, m := range []string{"GET", "POST"} {
			code, _, _ := call(t, srv, m, p, nil, "junk")
			assert.Less(t, code, 500, "%s %s", m, p)
		}
	}
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func hmacHex(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestWaveNeedsSuccessAndFailedURLs(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id := pi["id"].(string)
	for name, mm := range map[string]string{
		"none":                  `{"msisdn":"00000001"}`,
		"onFinish and onCancel": `{"msisdn":"00000001","onFinishRedirectionUrl":"https://a.example/ok","onCancelRedirectionUrl":"https://a.example/ko"}`,
		"onSuccess only":        `{"msisdn":"00000001","onSuccessRedirectionUrl":"https://a.example/ok"}`,
		"onFailed only":         `{"msisdn":"00000001","onFailedRedirectionUrl":"https://a.example/ko"}`,
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"token":"` + pi["token"].(string) + `","paymentMethod":"mobile_money","country":"CI","provider":"wave","mobileMoney":` + mm + `}`
			code, _, out := call(t, srv, "POST", "/payment-intents/"+id+"/payments", auth, body)
			assert.Equal(t, http.StatusBadRequest, code)
			assert.Equal(t, float64(400), out["status"])
			assert.Equal(t, "Bad Request", out["code"])
			assert.Equal(t, "mobileMoney.onSuccessRedirectionUrl and mobileMoney.onFailedRedirectionUrl are required for wave", out["message"])
			assert.Regexp(t, `^req_`, out["request_id"])
		})
	}
	code, _, out := call(t, srv, "GET", "/payment-intents/"+id, auth, "")
	require.Equal(t, 200, code)
	assert.Empty(t, out["payments"], "a refused attempt creates no payment")

	// A declined Wave payment sends the customer to onFailedRedirectionUrl.
	code, out = attempt(t, srv, pi, "wave", hub2test.TestMSISDN, auth)
	require.Equal(t, http.StatusCreated, code, out)
	page := lastPayment(out)["nextAction"].(map[string]any)["data"].(map[string]any)["url"].(string)
	back, err := simkit.SubmitForm(context.Background(), page+"/decline", url.Values{})
	require.NoError(t, err)
	assert.Equal(t, failedURL, back.String())
}

func TestOrangeRedirectionReturnsToFinishAndCancel(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	for button, want := range map[string]string{"pay": finishURL, "decline": cancelURL} {
		pi := create(t, srv)
		body, _ := json.Marshal(map[string]any{
			"token": pi["token"], "paymentMethod": "mobile_money", "country": "CI", "provider": "orange",
			"mobileMoney": map[string]string{"msisdn": hub2test.TestMSISDN, "workflow": "redirection",
				"onSuccessRedirectionUrl": successURL, "onFailedRedirectionUrl": failedURL,
				"onFinishRedirectionUrl": finishURL, "onCancelRedirectionUrl": cancelURL},
		})
		code, _, out := call(t, srv, "POST", "/payment-intents/"+pi["id"].(string)+"/payments", nil, string(body))
		require.Equal(t, http.StatusCreated, code, out)
		na := lastPayment(out)["nextAction"].(map[string]any)
		require.Equal(t, "redirection", na["type"], "Orange's redirection workflow")
		back, err := simkit.SubmitForm(context.Background(), na["data"].(map[string]any)["url"].(string)+"/"+button, url.Values{})
		require.NoError(t, err)
		assert.Equal(t, want, back.String(), button)
	}
}

func TestWaveRedirectStatusIsASetting(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	srv.SetRedirectStatus("pending")
	pi := create(t, srv)
	code, out := attempt(t, srv, pi, "wave", hub2test.TestMSISDN, nil)
	require.Equal(t, http.StatusCreated, code, out)
	assert.Equal(t, "processing", out["status"], "the intent of a payment that is not action_required")
	p := lastPayment(out)
	assert.Equal(t, "pending", p["status"])
	na := p["nextAction"].(map[string]any)
	require.Equal(t, "redirection", na["type"])

	page := na["data"].(map[string]any)["url"].(string)
	back, err := simkit.SubmitForm(context.Background(), page+"/pay", url.Values{})
	require.NoError(t, err)
	assert.Equal(t, successURL, back.String())
	code, _, got := call(t, srv, "GET", "/payment-intents/"+pi["id"].(string), auth, "")
	require.Equal(t, 200, code)
	assert.Equal(t, "successful", got["status"])

	srv.SetRedirectStatus("action_required")
	pi = create(t, srv)
	_, out = attempt(t, srv, pi, "wave", hub2test.TestMSISDN, nil)
	assert.Equal(t, "action_required", out["status"])
	assert.Equal(t, "action_required", lastPayment(out)["status"])
}

func TestReadsWithTheToken(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	pi := create(t, srv)
	id, token := pi["id"].(string), url.QueryEscape(pi["token"].(string))
	other := url.QueryEscape(create(t, srv)["token"].(string))
	for _, path := range []string{"/payment-intents/" + id, "/payment-intents/" + id + "/status"} {
		code, _, _ := call(t, srv, "GET", path, auth, "")
		assert.Equal(t, 200, code, "headers alone, by default: %s", path)
		code, _, _ = call(t, srv, "GET", path+"?token="+token, nil, "")
		assert.Equal(t, 200, code, "the token alone: %s", path)
		code, _, out := call(t, srv, "GET", path+"?token="+other, auth, "")
		assert.Equal(t, 401, code, "another intent's token, even with the headers: %s", path)
		assert.Equal(t, "Invalid token", out["message"])
	}

	srv.RequireReadToken(true)
	for _, path := range []string{"/payment-intents/" + id, "/payment-intents/" + id + "/status"} {
		code, _, out := call(t, srv, "GET", path, auth, "")
		assert.Equal(t, 401, code, "headers alone, when the token is required: %s", path)
		assert.Equal(t, "Unauthorized", out["code"])
		assert.Equal(t, "The token query parameter is required", out["message"])
		code, _, _ = call(t, srv, "GET", path+"?token="+token, auth, "")
		assert.Equal(t, 200, code, "the token with the headers, as Hub2's Postman collection sends it: %s", path)
	}
}
