package helloasso

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/unipay/payments/internal/mockhttp"

	"github.com/unipay/payments"
)

// These tests replay HelloAsso's documented answers (testdata/helloasso)
// through httpmock and check the exact bytes the adapter sends.

const (
	mockID     = "7f1c2a9b3e4d4f5a8b6c"
	mockSecret = "s3cr3t-0f-th3-cl13nt-9a8b7c"
	mockSlug   = "club-de-tennis"
	sandbox    = "https://api.helloasso-sandbox.com"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "helloasso", name))
	require.NoError(t, err)
	return b
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, json.Compact(&out, b))
	return out.String()
}

// recorded is a request the mock received.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// mockAPI is an httpmock transport that answers fixtures and records what
// it receives.
type mockAPI struct {
	*mockhttp.MockTransport
	mu   sync.Mutex
	reqs []recorded
}

func newMockAPI(t *testing.T) *mockAPI {
	m := &mockAPI{MockTransport: mockhttp.NewMockTransport()}
	m.respond(t, http.MethodPost, sandbox+"/oauth2/token", http.StatusOK, "token.json")
	return m
}

// respond answers method url with a fixture (or an empty body if name is "").
func (m *mockAPI) respond(t *testing.T, method, url string, status int, name string) {
	var body []byte
	if name != "" {
		body = fixture(t, name)
	}
	m.respondBody(method, url, status, body)
}

// respondBody answers method url with body.
func (m *mockAPI) respondBody(method, url string, status int, body []byte) {
	m.RegisterResponder(method, url, func(r *http.Request) (*http.Response, error) {
		b := []byte(nil)
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
		}
		m.mu.Lock()
		m.reqs = append(m.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)})
		m.mu.Unlock()
		resp := mockhttp.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
}

func (m *mockAPI) requests() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.reqs...)
}

func (m *mockAPI) client(t *testing.T) *Client {
	return m.clientOf(t, mockSlug)
}

// clientOf is a client for the organization slug, for the fixtures of
// other organizations.
func (m *mockAPI) clientOf(t *testing.T, slug string) *Client {
	c, err := New(Config{ClientID: mockID, ClientSecret: mockSecret, OrganizationSlug: slug},
		payments.WithHTTPClient(&http.Client{Transport: m}), payments.WithRetries(0))
	require.NoError(t, err)
	return c
}

// notificationData is a notification fixture's data: the shape GET
// /v5/orders/{id} and GET /v5/payments/{id} answer in.
func notificationData(t *testing.T, name string) []byte {
	t.Helper()
	var n Notification
	require.NoError(t, json.Unmarshal(fixture(t, name), &n))
	return n.Data
}

func TestCreateSendsTheDocumentedRequests(t *testing.T) {
	m := newMockAPI(t)
	m.respond(t, http.MethodPost, sandbox+"/v5/organizations/club-de-tennis/checkout-intents", http.StatusOK, "checkout-intent-created.json")
	c := m.client(t)
	// The guide's example has terms in 2021.
	c.now = func() time.Time { return time.Date(2021, 1, 15, 10, 0, 0, 0, time.UTC) }
	eur := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }

	s, err := c.Create(context.Background(), payments.CreateRequest{
		Amount:    eur(7000),
		Reference: "12345",
		Customer: &payments.Customer{
			FirstName: "John", LastName: "Doe", Email: "john.doe@test.com", CompanyName: "HelloAsso",
			DateOfBirth:    time.Date(1986, 7, 6, 0, 0, 0, 0, time.UTC),
			BillingAddress: &payments.Address{Line1: "23 rue du palmier", City: "Paris", ZipCode: "75000", Country: "FR"},
		},
		ReturnURL: "https://www.partnertest.com/return.php",
		ErrorURL:  "https://www.partnertest.com/error.php",
		CancelURL: "https://www.partnertest.com/back.php",
		Metadata:  map[string]string{"libelle": "Adhesion Football", "userId": "98765"},
		Options: Options{
			ItemName: "Adhesion Football", ContainsDonation: true, InitialAmount: eur(3000),
			Terms: []Term{
				{Amount: eur(2000), Date: time.Date(2021, 3, 25, 0, 0, 0, 0, time.UTC)},
				{Amount: eur(2000), Date: time.Date(2021, 4, 25, 0, 0, 0, 0, time.UTC)},
			},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "30674", s.ID)
	assert.Equal(t, "https://www.helloasso-sandbox.com/associations/club-de-tennis/checkout/4e5c0b3f8f2a4a8f9a6c1d2e3f4a5b6c", s.RedirectURL)
	assert.Equal(t, c.now().Add(15*time.Minute), s.ExpiresAt)
	assert.Equal(t, payments.StatusPending, s.Status)
	assert.JSONEq(t, string(fixture(t, "checkout-intent-created.json")), string(s.Raw))

	reqs := m.requests()
	require.Len(t, reqs, 2)
	tok := reqs[0]
	assert.Equal(t, "/oauth2/token", tok.Path)
	assert.Equal(t, "application/x-www-form-urlencoded", tok.Header.Get("Content-Type"))
	assert.Equal(t, "client_id="+mockID+"&client_secret="+mockSecret+"&grant_type=client_credentials", tok.Body)
	assert.Empty(t, tok.Header.Get("Authorization"), "credentials go in the body, not Basic auth")

	create := reqs[1]
	assert.Equal(t, "/v5/organizations/club-de-tennis/checkout-intents", create.Path)
	assert.Equal(t, compact(t, fixture(t, "checkout-intent-request.json")), create.Body)
	assert.Equal(t, "application/json", create.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", create.Header.Get("Accept"))
	var token struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "token.json"), &token))
	assert.Equal(t, "Bearer "+token.AccessToken, create.Header.Get("Authorization"))
}

func TestRefreshSendsTheDocumentedRequest(t *testing.T) {
	m := newMockAPI(t)
	c := m.client(t)
	_, err := c.tokens.token(context.Background())
	require.NoError(t, err)
	m.respond(t, http.MethodPost, sandbox+"/oauth2/token", http.StatusOK, "token-refreshed.json")
	c.tokens.now = func() time.Time { return time.Now().Add(29*time.Minute + 30*time.Second) }
	_, err = c.tokens.token(context.Background())
	require.NoError(t, err)

	reqs := m.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "client_id="+mockID+"&grant_type=refresh_token&refresh_token=d1f2e3a4b5c6d7e8f9a0b1c2d3e4f5a6", reqs[1].Body,
		"grant_type, client_id and refresh_token, as HelloAsso documents; no client secret")
}

func TestVerifyReadsTheDocumentedStates(t *testing.T) {
	eur := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }
	for _, tc := range []struct {
		fixture         string
		status          payments.Status
		providerStatus  string
		amount          payments.Money
		refunded, toCum payments.Money
	}{
		{"checkout-intent-pending.json", payments.StatusPending, "", payments.Money{}, eur(0), eur(0)},
		{"checkout-intent-paid.json", payments.StatusSucceeded, "Authorized", eur(3000), eur(0), eur(0)},
		{"checkout-intent-paid-terms.json", payments.StatusSucceeded, "Authorized", eur(7000), eur(0), eur(0)},
		{"checkout-intent-refused.json", payments.StatusFailed, "Refused", eur(3000), eur(0), eur(0)},
		{"checkout-intent-partially-refunded.json", payments.StatusPartiallyRefunded, "Authorized", eur(3000), eur(1000), eur(0)},
		{"checkout-intent-refunded.json", payments.StatusRefunded, "Refunded", eur(3000), eur(3000), eur(0)},
		{"checkout-intent-refunding.json", payments.StatusRefunded, "Refunding", eur(3000), eur(0), eur(3000)},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			m := newMockAPI(t)
			m.respond(t, http.MethodGet, sandbox+"/v5/organizations/club-de-tennis/checkout-intents/30674", http.StatusOK, tc.fixture)
			p, err := m.client(t).Verify(context.Background(), "30674")
			require.NoError(t, err)
			assert.Equal(t, tc.status, p.Status)
			assert.Equal(t, tc.providerStatus, p.ProviderStatus)
			assert.Equal(t, tc.amount, p.Amount)
			if tc.amount.Currency != "" {
				assert.Equal(t, tc.refunded, p.RefundedAmount)
				assert.Equal(t, tc.toCum, p.PendingRefundAmount)
				assert.Equal(t, "card", p.Method)
				assert.Equal(t, time.Date(2025, 6, 7, 12, 11, 15, 744211500, time.UTC), p.CreatedAt.UTC())
			}
			assert.Equal(t, "A42", p.Reference)
			assert.Equal(t, map[string]string{"cart": "c-981"}, p.Metadata)
			assert.Equal(t, payments.HelloAsso, p.Provider)
			assert.JSONEq(t, string(fixture(t, tc.fixture)), string(p.Raw))
			reqs := m.requests()
			assert.Equal(t, "", reqs[len(reqs)-1].RawQuery)
		})
	}
}

func TestRefundSendsTheDocumentedRequest(t *testing.T) {
	const intent = sandbox + "/v5/organizations/club-de-tennis/checkout-intents/30674"
	const refund = sandbox + "/v5/payments/41234/refund"
	for _, tc := range []struct {
		name    string
		intent  string
		req     payments.RefundRequest
		query   string
		amount  int64
		fixture string
		id      string
	}{
		{"full", "checkout-intent-paid.json", payments.RefundRequest{PaymentID: "30674", Reason: "Commande annulée"},
			"comment=Commande+annul%C3%A9e&sendRefundMail=true", 3000, "refund-operation-full.json", "5520"},
		{"partial", "checkout-intent-paid.json", payments.RefundRequest{PaymentID: "30674", Amount: payments.Money{Amount: 1000, Currency: "EUR"}},
			"amount=1000&sendRefundMail=true", 1000, "refund-operation.json", "5521"},
		{"the rest after a partial", "checkout-intent-partially-refunded.json",
			payments.RefundRequest{PaymentID: "30674", Options: RefundOptions{CancelOrder: true, NoRefundMail: true}},
			"amount=2000&cancelOrder=true&sendRefundMail=false", 2000, "refund-operation-rest.json", "5522"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.respond(t, http.MethodGet, intent, http.StatusOK, tc.intent)
			m.respond(t, http.MethodPost, refund, http.StatusOK, tc.fixture)
			r, err := m.client(t).Refund(context.Background(), tc.req)
			require.NoError(t, err)
			reqs := m.requests()
			last := reqs[len(reqs)-1]
			assert.Equal(t, "/v5/payments/41234/refund", last.Path)
			assert.Equal(t, tc.query, last.RawQuery)
			assert.Empty(t, last.Body, "refund parameters go in the query string")
			assert.Equal(t, tc.id, r.ID)
			assert.Equal(t, "30674", r.PaymentID)
			assert.Equal(t, payments.Money{Amount: tc.amount, Currency: "EUR"}, r.Amount, "the amount HelloAsso reports")
			assert.Equal(t, payments.StatusSucceeded, r.Status)
		})
	}
}

func TestErrorBodiesAreMapped(t *testing.T) {
	const intent = sandbox + "/v5/organizations/club-de-tennis/checkout-intents/30674"
	const refund = sandbox + "/v5/payments/41234/refund"
	for _, tc := range []struct {
		name, fixture string
		status        int
		refund        bool
		kind          payments.Kind
		code, message string
		field         string
	}{
		{"validation", "error-validation.json", 400, false, payments.ErrInvalidRequest, "", "One or more validation errors occurred.", "payer.firstName"},
		{"unauthorized", "error-unauthorized.json", 401, false, payments.ErrAuthentication, "", "you must add a valid JWT into Authorization Header with the format : Bearer TOKEN", ""},
		{"forbidden", "error-forbidden.json", 403, false, payments.ErrPermission, "Forbidden", "The JWT token hasn't the privileges or Roles for this action", ""},
		{"refund not authorised", "error-refund-113.json", 400, true, payments.ErrConflict, "Error", "Code : 113 - The transfer operation cannot be processed, the payment is not authorized.", ""},
		{"refund needs MFA", "error-refund-mfa.json", 409, true, payments.ErrPermission, "AuthorizationErrors.MFA.AccessTokenRequired", "Multi-Factor Authentication Required", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			if tc.refund {
				m.respond(t, http.MethodGet, intent, http.StatusOK, "checkout-intent-paid.json")
				m.respond(t, http.MethodPost, refund, tc.status, tc.fixture)
			} else {
				m.respond(t, http.MethodGet, intent, tc.status, tc.fixture)
			}
			c := m.client(t)
			var err error
			if tc.refund {
				_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: "30674"})
			} else {
				_, err = c.Verify(context.Background(), "30674")
			}
			require.ErrorIs(t, err, tc.kind)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, tc.code, perr.Code)
			assert.Equal(t, tc.message, perr.Message)
			assert.Equal(t, tc.status, perr.HTTPStatus)
			assert.JSONEq(t, string(fixture(t, tc.fixture)), string(perr.Raw), "the raw body is kept")
			if tc.field != "" {
				f, ok := perr.Field(tc.field)
				require.True(t, ok, "fields: %v", perr.Fields)
				assert.Equal(t, "The name must not contain a digit.", f.Message)
			}
		})
	}
}

func TestTokenEndpointOAuthErrors(t *testing.T) {
	m := mockhttp.NewMockTransport()
	m.RegisterResponder(http.MethodPost, sandbox+"/oauth2/token",
		mockhttp.NewBytesResponder(http.StatusBadRequest, fixture(t, "error-oauth-invalid-client.json")).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	c, err := New(Config{ClientID: mockID, ClientSecret: mockSecret, OrganizationSlug: mockSlug},
		payments.WithHTTPClient(&http.Client{Transport: m}))
	require.NoError(t, err)
	_, err = c.Verify(context.Background(), "30674")
	require.ErrorIs(t, err, payments.ErrAuthentication)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "invalid_client", perr.Code)
	assert.Equal(t, "The client credentials are invalid", perr.Message)
	assert.Equal(t, 1, m.GetTotalCallCount(), "an OAuth refusal is not retried")
	assert.NotContains(t, err.Error(), mockSecret)

	// A 200 carrying an OAuth error (some servers do) is refused too.
	m.RegisterResponder(http.MethodPost, sandbox+"/oauth2/token",
		mockhttp.NewBytesResponder(http.StatusOK, fixture(t, "error-oauth-invalid-grant.json")).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	_, err = c.Verify(context.Background(), "30674")
	require.ErrorIs(t, err, payments.ErrAuthentication)
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "invalid_grant", perr.Code)
}

// TestResolvePaymentIDReadsTheOrder replays HelloAsso's own examples: its
// Payment notification does not name the checkout intent, and the order it
// names does.
func TestResolvePaymentIDReadsTheOrder(t *testing.T) {
	ctx := context.Background()
	t.Run("a Payment notification", func(t *testing.T) {
		m := newMockAPI(t)
		m.respondBody(http.MethodGet, sandbox+"/v5/orders/22707", http.StatusOK, notificationData(t, "notification-order-checkout-terms.json"))
		c := m.clientOf(t, "bordeauxchess")
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-payment-checkout.json"))
		require.NoError(t, err)
		assert.Empty(t, ev.PaymentID)
		id, err := c.ResolvePaymentID(ctx, ev)
		require.NoError(t, err)
		assert.Equal(t, "14250", id)
		reqs := m.requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, "/v5/orders/22707", reqs[1].Path)
		assert.Empty(t, reqs[1].RawQuery)
	})
	t.Run("an Order notification names the intent: nothing is sent", func(t *testing.T) {
		m := newMockAPI(t)
		c := m.clientOf(t, "bordeauxchess")
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-order-checkout-terms.json"))
		require.NoError(t, err)
		id, err := c.ResolvePaymentID(ctx, ev)
		require.NoError(t, err)
		assert.Equal(t, "14250", id)
		assert.Empty(t, m.requests())
	})
	t.Run("a payment form's order is no checkout", func(t *testing.T) {
		m := newMockAPI(t)
		m.respondBody(http.MethodGet, sandbox+"/v5/orders/1", http.StatusOK, notificationData(t, "notification-order-paymentform.json"))
		c := m.clientOf(t, "demo-boutique")
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-payment-paymentform.json"))
		require.NoError(t, err)
		_, err = c.ResolvePaymentID(ctx, ev)
		require.ErrorIs(t, err, payments.ErrNotFound)
	})
	t.Run("another organization's order", func(t *testing.T) {
		m := newMockAPI(t)
		m.respondBody(http.MethodGet, sandbox+"/v5/orders/22707", http.StatusOK, notificationData(t, "notification-order-checkout-terms.json"))
		c := m.client(t)
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-payment-checkout.json"))
		require.NoError(t, err)
		_, err = c.ResolvePaymentID(ctx, ev)
		require.ErrorIs(t, err, payments.ErrNotFound)
	})
	t.Run("HelloAsso answering with another order", func(t *testing.T) {
		m := newMockAPI(t)
		m.respond(t, http.MethodGet, sandbox+"/v5/orders/22707", http.StatusOK, "order-refused.json")
		c := m.client(t)
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-payment-checkout.json"))
		require.NoError(t, err)
		_, err = c.ResolvePaymentID(ctx, ev)
		require.ErrorIs(t, err, payments.ErrMalformedResponse)
	})
	t.Run("a Form notification names no order", func(t *testing.T) {
		m := newMockAPI(t)
		c := m.client(t)
		ev, err := c.ParseWebhook(http.Header{}, fixture(t, "notification-form.json"))
		require.NoError(t, err)
		_, err = c.ResolvePaymentID(ctx, ev)
		require.ErrorIs(t, err, payments.ErrInvalidRequest)
		assert.Empty(t, m.requests())
	})
}

// TestVerifyReturnReadsTheRefusedOrder: the intent shows no order for a
// refused card (HelloAsso's spec); the return URL's orderId does.
func TestVerifyReturnReadsTheRefusedOrder(t *testing.T) {
	m := newMockAPI(t)
	m.respond(t, http.MethodGet, sandbox+"/v5/organizations/club-de-tennis/checkout-intents/30674", http.StatusOK, "checkout-intent-pending.json")
	m.respond(t, http.MethodGet, sandbox+"/v5/orders/29193", http.StatusOK, "order-refused.json")
	c := m.client(t)
	ret, err := c.ParseReturn(url.Values{"checkoutIntentId": {"30674"}, "code": {"refused"}, "orderId": {"29193"}})
	require.NoError(t, err)
	p, err := c.VerifyReturn(context.Background(), ret)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, p.Status)
	assert.Equal(t, "Refused", p.ProviderStatus)
	assert.Equal(t, payments.Money{Amount: 3000, Currency: "EUR"}, p.Amount)
	assert.Equal(t, "A42", p.Reference)
	assert.JSONEq(t, string(fixture(t, "order-refused.json")), string(p.Raw))
	reqs := m.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "/v5/organizations/club-de-tennis/checkout-intents/30674", reqs[1].Path)
	assert.Equal(t, "/v5/orders/29193", reqs[2].Path)
	assert.Empty(t, reqs[2].RawQuery)
}
