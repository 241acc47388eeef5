package helloassotest_test

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

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest"
)

// These tests speak to the simulator in raw HTTP, as HelloAsso's API is
// spoken to, without the adapter.

type token struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Error        string `json:"error"`
}

func postForm(t testing.TB, srv *helloassotest.Server, form url.Values) (int, token) {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/oauth2/token", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var tok token
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	return resp.StatusCode, tok
}

func clientCredentials() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {helloassotest.ClientID}, "client_secret": {helloassotest.ClientSecret}}
}

// call sends an API request with tok and decodes the JSON answer into out.
func call(t *testing.T, srv *helloassotest.Server, tok, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if out != nil && len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, out), string(b))
	}
	return resp.StatusCode
}

func TestTokenEndpoint(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()

	status, tok := postForm(t, srv, clientCredentials())
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "bearer", tok.TokenType)
	assert.Equal(t, 1800, tok.ExpiresIn)
	assert.NotEmpty(t, tok.AccessToken)

	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {helloassotest.ClientID}, "refresh_token": {tok.RefreshToken}}
	status, next := postForm(t, srv, refresh)
	require.Equal(t, http.StatusOK, status)
	assert.NotEqual(t, tok.RefreshToken, next.RefreshToken, "rotated")
	status, again := postForm(t, srv, refresh)
	assert.Equal(t, http.StatusBadRequest, status, "a refresh token serves once")
	assert.Equal(t, "invalid_grant", again.Error)

	for name, form := range map[string]url.Values{
		"wrong secret":  {"grant_type": {"client_credentials"}, "client_id": {helloassotest.ClientID}, "client_secret": {"nope"}},
		"unknown id":    {"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {helloassotest.ClientSecret}},
		"wrong grant":   {"grant_type": {"password"}, "client_id": {helloassotest.ClientID}},
		"no grant":      {"client_id": {helloassotest.ClientID}},
		"refresh, bad":  {"grant_type": {"refresh_token"}, "client_id": {helloassotest.ClientID}, "refresh_token": {"x"}},
		"refresh, auth": {"grant_type": {"refresh_token"}, "client_id": {helloassotest.ClientID}, "client_secret": {"nope"}, "refresh_token": {next.RefreshToken}},
	} {
		status, tok := postForm(t, srv, form)
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.NotEmpty(t, tok.Error, name)
		assert.Empty(t, tok.AccessToken, name)
	}
	assert.Equal(t, 2, srv.TokensIssued())
	assert.Equal(t, 1, srv.TokensIssuedBy(helloassotest.GrantRefreshToken))

	var e struct {
		Errors []struct{ Code, Message string }
	}
	assert.Equal(t, http.StatusNotFound, call(t, srv, next.AccessToken, http.MethodGet, "/v5/orders/1", "", &e),
		"the token works: an unknown order is 404, not 401")
	srv.ExpireAccessTokens()
	assert.Equal(t, http.StatusUnauthorized, call(t, srv, next.AccessToken, http.MethodGet, "/v5/orders/1", "", &e))
	assert.Equal(t, http.StatusUnauthorized, call(t, srv, "", http.MethodGet, "/v5/orders/1", "", &e))
	require.Len(t, e.Errors, 1)
	assert.Contains(t, e.Errors[0].Message, "Bearer TOKEN")

	srv.SetTokenLifetime(time.Minute)
	_, short := postForm(t, srv, clientCredentials())
	assert.Equal(t, 60, short.ExpiresIn)
}

func TestCheckoutIntentValidation(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	_, tok := postForm(t, srv, clientCredentials())
	path := "/v5/organizations/" + helloassotest.OrganizationSlug + "/checkout-intents"
	future := time.Now().AddDate(0, 1, 0).Format("2006-01-02")

	for _, tc := range []struct {
		name, body string
		fields     []string
	}{
		{"not JSON", `{`, []string{"$"}},
		{"unknown key", `{"totalAmount":100,"currency":"EUR"}`, []string{"$"}},
		{"empty", `{}`, []string{"totalAmount", "initialAmount", "itemName", "backUrl", "errorUrl", "returnUrl", "containsDonation"}},
		{"amounts", `{"totalAmount":3000,"initialAmount":1000,"itemName":"x","backUrl":"https://a.fr","errorUrl":"https://a.fr","returnUrl":"https://a.fr","containsDonation":false,
			"terms":[{"amount":1000,"date":"` + future + `"},{"amount":0,"date":"2020-01-01"}]}`, []string{"totalAmount", "terms[1].amount", "terms[1].date"}},
		{"http", `{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"http://a.fr","errorUrl":"https://a.fr?error=1","returnUrl":"ftp://a.fr","containsDonation":true}`,
			[]string{"backUrl", "errorUrl", "returnUrl"}},
		{"payer", `{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"https://a.fr","errorUrl":"https://a.fr","returnUrl":"https://a.fr","containsDonation":true,
			"payer":{"firstName":"Jean2","lastName":"Test","email":"nope","dateOfBirth":"2020-01-01","country":"FR"}}`,
			[]string{"payer.firstName", "payer.lastName", "payer.email", "payer.dateOfBirth", "payer.country"}},
		{"same names", `{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"https://a.fr","errorUrl":"https://a.fr","returnUrl":"https://a.fr","containsDonation":true,
			"payer":{"firstName":"Jean","lastName":"JEAN"}}`, []string{"payer.lastName"}},
		{"metadata", `{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"https://a.fr","errorUrl":"https://a.fr","returnUrl":"https://a.fr","containsDonation":true,
			"metadata":{"x":"` + strings.Repeat("a", 20000) + `"}}`, []string{"metadata"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var problem struct {
				Title  string              `json:"title"`
				Status int                 `json:"status"`
				Errors map[string][]string `json:"errors"`
			}
			require.Equal(t, http.StatusBadRequest, call(t, srv, tok.AccessToken, http.MethodPost, path, tc.body, &problem))
			assert.Equal(t, 400, problem.Status)
			assert.Equal(t, "One or more validation errors occurred.", problem.Title)
			for _, f := range tc.fields {
				assert.NotEmpty(t, problem.Errors[f], "field %s in %v", f, problem.Errors)
			}
			assert.Len(t, problem.Errors, len(tc.fields), "%v", problem.Errors)
		})
	}

	// A valid one, with loopback http return URLs (the simulator's own
	// leniency for shops under development).
	var created struct {
		ID          int64  `json:"id"`
		RedirectURL string `json:"redirectUrl"`
	}
	body := `{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"http://localhost:8080/cart","errorUrl":"http://127.0.0.1:8080/e","returnUrl":"http://localhost:8080/r","containsDonation":true}`
	require.Equal(t, http.StatusOK, call(t, srv, tok.AccessToken, http.MethodPost, path, body, &created))
	assert.Positive(t, created.ID)
	assert.True(t, strings.HasPrefix(created.RedirectURL, srv.URL+"/associations/"+helloassotest.OrganizationSlug+"/checkout/"), created.RedirectURL)
}

func TestCheckoutPageAndNotifications(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(helloassotest.SignatureKey))
		mac.Write(b)
		assert.Equal(t, hex.EncodeToString(mac.Sum(nil)), r.Header.Get("x-ha-signature"))
		var n struct {
			EventType string          `json:"eventType"`
			Metadata  json.RawMessage `json:"metadata"`
		}
		assert.NoError(t, json.Unmarshal(b, &n))
		assert.JSONEq(t, `{"reference":"A1"}`, string(n.Metadata))
		mu.Lock()
		got = append(got, n.EventType)
		mu.Unlock()
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)

	_, tok := postForm(t, srv, clientCredentials())
	var created struct {
		ID          int64  `json:"id"`
		RedirectURL string `json:"redirectUrl"`
	}
	body := `{"totalAmount":1500,"initialAmount":1500,"itemName":"Cotisation","backUrl":"https://a.fr/b","errorUrl":"https://a.fr/e","returnUrl":"https://a.fr/r?type=return","containsDonation":false,"metadata":{"reference":"A1"}}`
	require.Equal(t, http.StatusOK, call(t, srv, tok.AccessToken, http.MethodPost, "/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents", body, &created))
	before := srv.Requests()

	page, err := http.Get(created.RedirectURL)
	require.NoError(t, err)
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	assert.Contains(t, string(html), `id="pay"`)
	assert.Contains(t, string(html), "15.00 EUR")

	back, err := srv.Walk(context.Background(), &payments.Session{RedirectURL: created.RedirectURL}, true)
	require.NoError(t, err)
	q := back.Query()
	assert.Equal(t, "https://a.fr/r", back.Scheme+"://"+back.Host+back.Path)
	assert.Equal(t, "return", q.Get("type"))
	assert.Equal(t, "succeeded", q.Get("code"))
	assert.NotEmpty(t, q.Get("orderId"))
	assert.Equal(t, before, srv.Requests(), "the page is not the API")

	mu.Lock()
	assert.Equal(t, []string{"Payment", "Order"}, got, "delivered before the redirect")
	mu.Unlock()

	var intent struct {
		Order struct {
			ID       int64 `json:"id"`
			Payments []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"payments"`
			Amount struct{ Total int64 } `json:"amount"`
		} `json:"order"`
	}
	require.Equal(t, http.StatusOK, call(t, srv, tok.AccessToken, http.MethodGet,
		"/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents/"+q.Get("checkoutIntentId"), "", &intent))
	assert.Equal(t, q.Get("orderId"), jsonNumber(intent.Order.ID))
	assert.Equal(t, "Authorized", intent.Order.Payments[0].State)
	assert.Equal(t, int64(1500), intent.Order.Amount.Total)

	page, err = http.Get(created.RedirectURL)
	require.NoError(t, err)
	html, _ = io.ReadAll(page.Body)
	page.Body.Close()
	assert.Contains(t, string(html), `id="closed"`, "a paid checkout's page takes no second payment")

	h, b, err := srv.Notification(q.Get("checkoutIntentId"), "Payment")
	require.NoError(t, err)
	assert.NotEmpty(t, h.Get("X-Ha-Signature"))
	assert.Contains(t, string(b), `"eventType":"Payment"`)
	_, _, err = srv.Notification("1", "Order")
	assert.ErrorIs(t, err, helloassotest.ErrUnknownIntent)
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzCheckoutIntentBody sends anything as a checkout intent: the simulator
// answers 200 or 400, never 500, and never panics.
func FuzzCheckoutIntentBody(f *testing.F) {
	f.Add(`{"totalAmount":100,"initialAmount":100,"itemName":"x","backUrl":"https://a.fr","errorUrl":"https://a.fr","returnUrl":"https://a.fr","containsDonation":true}`)
	f.Add(`{"totalAmount":-1,"terms":[{"amount":null,"date":"x"}],"payer":{"firstName":"\u0000","dateOfBirth":"0000-00-00"},"metadata":[1,{"a":null}]}`)
	f.Add(`null`)
	f.Add(`{"terms":null,"payer":null,"metadata":null}`)
	srv := helloassotest.NewServer()
	defer srv.Close()
	_, tok := postForm(f, srv, clientCredentials())
	path := "/v5/organizations/" + helloassotest.OrganizationSlug + "/checkout-intents"
	f.Fuzz(func(t *testing.T, body string) {
		// Served in-process: the network is not what is being fuzzed.
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		assert.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, rec.Code, rec.Body.String())
	})
}

// TestStartWalkAndFaults drives the simulator through the shape every
// simulator of the module has: Start's client creates, Walk goes through the
// page as a browser, Faults and Requests see the API calls.
func TestStartWalkAndFaults(t *testing.T) {
	srv, c := helloassotest.Start(t, payments.WithRetries(0))
	ctx := context.Background()
	req := payments.CreateRequest{
		Amount: payments.Money{Amount: 1500, Currency: "EUR"}, Reference: "R1", Description: "Cotisation",
		ReturnURL: "https://a.fr/r?type=return",
	}
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	before := srv.Requests()

	back, err := srv.Walk(ctx, s, false)
	require.NoError(t, err)
	assert.Equal(t, "refused", back.Query().Get("code"))
	assert.Equal(t, s.ID, back.Query().Get("checkoutIntentId"))
	back, err = srv.Walk(ctx, s, true)
	require.NoError(t, err)
	assert.Equal(t, "succeeded", back.Query().Get("code"))
	assert.Equal(t, before, srv.Requests(), "the page is not the API")

	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)

	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	_, err = c.Verify(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 1, srv.Faults.Injected())

	_, err = srv.Walk(ctx, &payments.Session{}, true)
	require.Error(t, err, "a session without a page")
}
