package hero_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/unipay/payments/internal/mockhttp"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
)

// These tests replay Hero's documented responses (testdata/hero) with
// a replay transport (internal/mockhttp) and compare the exact bytes the client sends with the request
// bodies in testdata/hero/requests.

var update = flag.Bool("update", false, "rewrite testdata/hero/requests from what the client sends")

const (
	testKey        = "hero_test_key_0123456789"
	stagingURL     = "https://staging.api.hero.fr/api/graphql"
	productionURL  = "https://api.hero.fr/api/graphql"
	testdataDir    = "../testdata/hero"
	docsCheckoutID = "paycheckout-6cd6e21d-c35e-4ee3-8b86-965fb3b44c99"
)

type sent struct {
	header http.Header
	body   []byte
}

// replay answers each GraphQL operation with a fixture and records what the
// client sent.
type replay struct {
	t       *testing.T
	mock    *mockhttp.MockTransport
	mu      sync.Mutex
	sent    []sent
	answers map[string]string // operation name → fixture file
}

var opName = regexp.MustCompile(`^(?:query|mutation) (\w+)`)

func newReplay(t *testing.T, env payments.Environment, answers map[string]string, opts ...payments.Option) (*replay, *hero.Client) {
	t.Helper()
	r := &replay{t: t, mock: mockhttp.NewMockTransport(), answers: answers}
	endpoint := stagingURL
	if env == payments.Production {
		endpoint = productionURL
	}
	r.mock.RegisterResponder(http.MethodPost, endpoint, func(req *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(req.Body)
		require.NoError(t, err)
		r.mu.Lock()
		r.sent = append(r.sent, sent{header: req.Header.Clone(), body: body})
		r.mu.Unlock()
		var payload struct {
			Query     string
			Variables struct{ PaymentIDs []string }
		}
		require.NoError(t, json.Unmarshal(body, &payload))
		m := opName.FindStringSubmatch(payload.Query)
		require.NotNil(t, m, "no operation name in %s", payload.Query)
		file, ok := answers[m[1]]
		require.True(t, ok, "unexpected operation %s", m[1])
		answer := fixture(t, file)
		if m[1] == "getPaymentsInfos" {
			answer = onlyAsked(t, answer, payload.Variables.PaymentIDs)
		}
		resp := mockhttp.NewBytesResponse(http.StatusOK, answer)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	opts = append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: r.mock})}, opts...)
	c, err := hero.New(hero.Config{APIKey: testKey, Environment: env}, opts...)
	require.NoError(t, err)
	return r, c
}

// onlyAsked keeps the entries of a getPaymentsInfos fixture about the ids
// asked, as Hero answers: the docs' answer is about two payments, and
// Verify asks about one. Other fixtures are kept as they are.
func onlyAsked(t *testing.T, answer []byte, ids []string) []byte {
	t.Helper()
	var doc struct {
		Data struct {
			GetPaymentsInfos map[string]json.RawMessage `json:"getPaymentsInfos"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(answer, &doc))
	var entries []json.RawMessage
	if json.Unmarshal(doc.Data.GetPaymentsInfos["result"], &entries) != nil || len(entries) == 0 {
		return answer
	}
	kept := []json.RawMessage{}
	for _, e := range entries {
		var id struct{ PaymentID string }
		require.NoError(t, json.Unmarshal(e, &id))
		if slices.Contains(ids, id.PaymentID) {
			kept = append(kept, e)
		}
	}
	result, err := json.Marshal(kept)
	require.NoError(t, err)
	doc.Data.GetPaymentsInfos["result"] = result
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, name))
	require.NoError(t, err)
	return b
}

// assertSent compares the i-th request's body with a golden file, byte for
// byte, and checks the headers Hero needs.
func (r *replay) assertSent(i int, golden string) {
	t := r.t
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Greater(t, len(r.sent), i, "request #%d was not sent", i)
	s := r.sent[i]
	assert.Equal(t, "Api-Key "+testKey, s.header.Get("Authorization"))
	assert.Equal(t, "application/json", s.header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(s.header.Get("User-Agent"), "unipay-payments/"), s.header.Get("User-Agent"))
	path := filepath.Join(testdataDir, "requests", golden)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, s.body, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(s.body), "request body of %s", golden)
}

func (r *replay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// fullRequest uses every field createPayment takes.
func fullRequest() payments.CreateRequest {
	c := customer()
	c.DeliveryAddress = &payments.Address{Line1: "2 High Street", Line2: "Apartment 2", City: "Paris", ZipCode: "75010"}
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "abc567",
		ReturnURL: "https://shop.hero.fr/return?shop=1",
		CancelURL: "https://shop.hero.fr/cart",
		Customer:  c,
		Options:   hero.Options{Type: hero.Pay3X, CompanyName: `Super "Corp" SAS`},
	}
}

func TestCreateSendsDocumentedRequests(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{"createPayment": "create_payment.json", "setOrderId": "set_order_id.json"})
	s, err := c.Create(context.Background(), fullRequest())
	require.NoError(t, err)
	assert.Equal(t, "payment_id_1", s.ID)
	assert.Equal(t, "https://staging.pay.heropay.eu/checkout/payment_id_1", s.RedirectURL)
	assert.Equal(t, payments.StatusPending, s.Status)
	assert.Equal(t, fixture(t, "create_payment.json"), []byte(s.Raw))
	require.Equal(t, 2, r.count())
	r.assertSent(0, "create_payment.json")
	r.assertSent(1, "set_order_id.json")
}

func TestProductionEndpoints(t *testing.T) {
	r, c := newReplay(t, payments.Production, map[string]string{"createPayment": "create_payment.json", "setOrderId": "set_order_id.json"})
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	assert.Equal(t, "https://pay.heropay.eu/checkout/payment_id_1", s.RedirectURL)
	assert.Equal(t, 2, r.count())
}

func TestVerifyReadsDocumentedPaymentsInfos(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{"getPaymentsInfos": "get_payments_infos.json"})
	ctx := context.Background()

	paid, err := c.Verify(ctx, "payment_id_1")
	require.NoError(t, err)
	r.assertSent(0, "get_payments_infos.json")
	assert.Equal(t, payments.StatusSucceeded, paid.Status)
	assert.Equal(t, "isSuccess=true", paid.ProviderStatus)
	assert.Equal(t, eur(8000), paid.Amount)
	assert.Equal(t, eur(0), paid.RefundedAmount)
	assert.Equal(t, payments.Hero, paid.Provider)
	assert.JSONEq(t, `{"paymentId":"payment_id_1","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"",
		"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0}`, string(paid.Raw))

	unpaid, err := c.Verify(ctx, "payment_id_2")
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, unpaid.Status)
	assert.Equal(t, "PAYMENT_NOT_INITIATED", unpaid.FailureCode)
	assert.Equal(t, "isSuccess=false error=PAYMENT_NOT_INITIATED", unpaid.ProviderStatus)

	_, err = payments.VerifyPaid(ctx, c, "payment_id_2", payments.Money{Amount: 5000, Currency: "EUR"})
	require.ErrorIs(t, err, payments.ErrNotPaid)

	infos, err := c.GetPaymentsInfos(ctx, []string{"payment_id_1", "payment_id_2"})
	require.NoError(t, err)
	require.Len(t, infos, 2)
	assert.Equal(t, hero.Text("NONE"), infos[1].ReviewStatus)
	assert.Equal(t, hero.Text("None"), infos[1].Reason)
	r.assertSent(3, "get_payments_infos_two.json")
}

func TestVerifyUnknownIsNotFound(t *testing.T) {
	_, c := newReplay(t, payments.Sandbox, map[string]string{"getPaymentsInfos": "get_payments_infos_empty.json"})
	_, err := c.Verify(context.Background(), "payment_unknown")
	require.ErrorIs(t, err, payments.ErrNotFound)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.Hero, perr.Provider)
}

func TestPaymentsInfosValidationErrors(t *testing.T) {
	_, c := newReplay(t, payments.Sandbox, map[string]string{"getPaymentsInfos": "get_payments_infos_validation_errors.json"})
	_, err := c.Verify(context.Background(), "payment_id_1")
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	f, ok := perr.Field("PaymentID")
	require.True(t, ok, "Verify's argument is named; fields: %v", perr.Fields)
	assert.Equal(t, "paymentIds", f.ProviderField, "Hero's name is kept beside it")
	assert.Equal(t, "paymentIds must contain at least one payment id", f.Message)

	_, err = c.GetPaymentsInfos(context.Background(), []string{"payment_id_1"})
	require.ErrorAs(t, err, &perr)
	f, ok = perr.Field("paymentIDs")
	require.True(t, ok, "the typed read names its own argument; fields: %v", perr.Fields)
	assert.Equal(t, "paymentIds", f.ProviderField)
	assert.Equal(t, fixture(t, "get_payments_infos_validation_errors.json"), perr.Raw)
}

func TestRefundSendsDocumentedRequest(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{"refundPaymentCheckout": "refund_success.json"})
	ref, err := c.Refund(context.Background(), payments.RefundRequest{
		PaymentID: "payment_id_1", Amount: eur(30000),
		Options: hero.RefundOptions{PaymentCheckoutID: docsCheckoutID},
	})
	require.NoError(t, err)
	r.assertSent(0, "refund_payment_checkout.json")
	assert.Equal(t, eur(30000), ref.Amount)
	assert.Equal(t, "payment_id_1", ref.PaymentID)
	assert.Equal(t, payments.StatusSucceeded, ref.Status)
}

func TestRefundZeroReadsTheRefundableAmountFirst(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{
		"getPaymentsInfos": "get_payments_infos.json", "refundPaymentCheckout": "refund_success.json",
	})
	ref, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: "payment_id_1"})
	require.NoError(t, err)
	assert.Equal(t, eur(8000), ref.Amount)
	require.Equal(t, 2, r.count())
	r.assertSent(1, "refund_whole.json")

	// An unpaid payment has nothing to refund: no refund is sent.
	_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: "payment_id_2"})
	require.ErrorIs(t, err, payments.ErrConflict)
	assert.Equal(t, 3, r.count())
}

// errorCase is a documented error response and what it must map to.
type errorCase struct {
	fixture string
	kind    payments.Kind
	code    string
	field   string // a field the error must name, if any
}

func TestRefundErrorsKeepHerosCodes(t *testing.T) {
	for _, tc := range []errorCase{
		{"refund_amount_too_high.json", payments.ErrInvalidRequest, "AMOUNT_TOO_HIGH", ""},
		{"refund_validation_errors.json", payments.ErrInvalidRequest, "", "Amount"},
		{"refund_internal_error.json", payments.ErrUnavailable, "INTERNAL_SERVER_ERROR", ""},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			r, c := newReplay(t, payments.Sandbox, map[string]string{"refundPaymentCheckout": tc.fixture})
			_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur(30000)})
			perr := requireHeroError(t, err, tc.kind, tc.code)
			assert.Equal(t, 200, perr.HTTPStatus)
			assert.Equal(t, fixture(t, tc.fixture), perr.Raw, "the body is kept")
			if tc.field != "" {
				f, ok := perr.Field(tc.field)
				require.True(t, ok, "fields: %v", perr.Fields)
				assert.Equal(t, "amount", f.ProviderField, "Hero's name is kept beside it")
				assert.Equal(t, "Le montant doit être un nombre positif", f.Message)
			}
			assert.Equal(t, 1, r.count(), "a refund is never retried")
		})
	}
}

func TestCreateErrorsFromErrorsArray(t *testing.T) {
	for _, tc := range []errorCase{
		{"create_payment_not_logged.json", payments.ErrAuthentication, "NOT_LOGGED", ""},
		{"create_payment_not_logged_in_extensions.json", payments.ErrAuthentication, "NOT_LOGGED", ""},
		{"create_payment_merchant_disabled.json", payments.ErrPermission, "MERCHANT_PRODUCT_DISABLED", ""},
		{"create_payment_invalid_type.json", payments.ErrInvalidRequest, "INVALID_PAYMENT_TYPE", ""},
		{"create_payment_min.json", payments.ErrInvalidRequest, "", "Amount"},
		{"create_payment_max.json", payments.ErrInvalidRequest, "", "Amount"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			r, c := newReplay(t, payments.Sandbox, map[string]string{"createPayment": tc.fixture})
			s, err := c.Create(context.Background(), validRequest())
			perr := requireHeroError(t, err, tc.kind, tc.code)
			assert.Nil(t, s)
			assert.Equal(t, fixture(t, tc.fixture), perr.Raw)
			assert.NotEmpty(t, perr.Message)
			if tc.field != "" {
				f, ok := perr.Field(tc.field)
				assert.True(t, ok, "fields: %v", perr.Fields)
				assert.Equal(t, "amount", f.ProviderField, "Hero's name is kept beside it")
			}
			assert.Equal(t, 1, r.count(), "no setOrderId after a failed createPayment, and no retry")
		})
	}
}

func TestAvailablePaymentTypes(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{"availablePaymentTypes": "available_payment_types.json"})
	types, err := c.AvailablePaymentTypes(context.Background(), hero.AvailablePaymentTypesInput{Amount: 50048, CustomerReference: "cust_42", Siren: "882221385"})
	require.NoError(t, err)
	assert.Equal(t, []hero.PaymentType{hero.Pay1X, hero.Pay3X, hero.Pay4X, hero.Pay30D, hero.Pay60D}, types)
	r.assertSent(0, "available_payment_types.json")
}

func TestUnknownPaymentTypesAreKept(t *testing.T) {
	mock := mockhttp.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, stagingURL, mockhttp.NewStringResponder(http.StatusOK, `{"data":{"availablePaymentTypes":["Pay1X","Pay90D"]}}`))
	c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: mock}))
	require.NoError(t, err)
	types, err := c.AvailablePaymentTypes(context.Background(), hero.AvailablePaymentTypesInput{Amount: 5000, CustomerReference: "c"})
	require.NoError(t, err)
	assert.Equal(t, []hero.PaymentType{hero.Pay1X, "Pay90D"}, types)
}

func TestLocalhostRedirectRefusedBeforeSending(t *testing.T) {
	r, c := newReplay(t, payments.Sandbox, map[string]string{"createPayment": "create_payment.json", "setOrderId": "set_order_id.json"})
	req := validRequest()
	req.ReturnURL = "https://shop.localhost/hero/return"
	_, err := c.Create(context.Background(), req)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, ok := perr.Field("ReturnURL")
	assert.True(t, ok)
	assert.Zero(t, r.mock.GetTotalCallCount(), "nothing may be sent")

	// Plain localhost is not a .localhost host: Hero takes it, and so does
	// the adapter (the demo shop runs on http://localhost:8080).
	req.ReturnURL = "http://localhost:8080/hero/return"
	_, err = c.Create(context.Background(), req)
	require.NoError(t, err)
}

func TestHTTPErrorsSurviveTheGraphQLClient(t *testing.T) {
	for _, tc := range []struct {
		status int
		kind   payments.Kind
	}{
		{http.StatusTooManyRequests, payments.ErrRateLimited},
		{http.StatusServiceUnavailable, payments.ErrUnavailable},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			mock := mockhttp.NewMockTransport()
			resp := mockhttp.NewStringResponder(tc.status, `{"message":"slow down"}`).HeaderSet(http.Header{"Retry-After": {"7"}})
			mock.RegisterResponder(http.MethodPost, stagingURL, resp)
			c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: mock}), payments.WithRetries(0))
			require.NoError(t, err)

			_, err = c.Verify(context.Background(), "payment_id_1")
			require.ErrorIs(t, err, tc.kind)
			var perr *payments.Error
			require.True(t, errors.As(err, &perr))
			assert.Equal(t, tc.status, perr.HTTPStatus)
			assert.Equal(t, "getPaymentsInfos", perr.Op)
			assert.Equal(t, payments.Hero, perr.Provider)
			assert.Equal(t, "slow down", perr.Message)
			assert.Equal(t, 7e9, float64(perr.RetryAfter))
			assert.Equal(t, `{"message":"slow down"}`, string(perr.Raw))
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestMutationsAreNotRetriedAfterTheyMayHaveArrived(t *testing.T) {
	mock := mockhttp.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, stagingURL, mockhttp.NewStringResponder(http.StatusBadGateway, "<html>bad gateway</html>"))
	c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: mock}), payments.WithRetries(1))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.Create(ctx, validRequest())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "createPayment is sent once")

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: "p", Amount: payments.Money{Amount: 100, Currency: "EUR"}})
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 2, mock.GetTotalCallCount(), "refundPaymentCheckout is sent once")

	_, err = c.Verify(ctx, "p")
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 4, mock.GetTotalCallCount(), "getPaymentsInfos is retried")
}

func TestUnreadableAnswersAreMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"html":            "<html><body>Maintenance</body></html>",
		"truncated":       `{"data":{"getPaymentsInfos":{"result":[{"paymentId":"payment_id_1","isSu`,
		"no data":         `{}`,
		"null field":      `{"data":{"getPaymentsInfos":null}}`,
		"unknown member":  `{"data":{"getPaymentsInfos":{"__typename":"Surprise"}}}`,
		"float amount":    `{"data":{"getPaymentsInfos":{"result":[{"paymentId":"p","isSuccess":true,"initialPaymentAmount":80.5}]}}}`,
		"missing id":      `{"data":{"getPaymentsInfos":{"result":[{"isSuccess":true,"initialPaymentAmount":8000}]}}}`,
		"object as text":  `{"data":{"getPaymentsInfos":{"result":[{"paymentId":"p","reviewStatus":{}}]}}}`,
		"errors not list": `{"errors":"boom"}`,
	} {
		t.Run(name, func(t *testing.T) {
			mock := mockhttp.NewMockTransport()
			mock.RegisterResponder(http.MethodPost, stagingURL, mockhttp.NewStringResponder(http.StatusOK, body))
			c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: mock}))
			require.NoError(t, err)
			_, err = c.Verify(context.Background(), "p")
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, string(perr.Raw), "the body is kept")
		})
	}
}

func TestGraphQLErrorsAreClassified(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		kind       payments.Kind
		code       string
	}{
		{"code in extensions", `{"errors":[{"message":"Unauthorized","path":["getPaymentsInfos"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":null}`, payments.ErrAuthentication, "UNAUTHENTICATED"},
		// Hero's reference heads its createPayment error table "errorCode":
		// the code may come under that name too.
		{"errorCode in extensions", `{"errors":[{"message":"L'Api-Key est manquante ou invalide.","path":["getPaymentsInfos"],"extensions":{"errorCode":"NOT_LOGGED"}}],"data":null}`, payments.ErrAuthentication, "NOT_LOGGED"},
		{"generic code after a known message", `{"errors":[{"message":"MERCHANT_PRODUCT_DISABLED","path":["getPaymentsInfos"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`, payments.ErrPermission, "MERCHANT_PRODUCT_DISABLED"},
		{"invalid document", `{"errors":[{"message":"Cannot query field \"foo\" on type \"Query\".","locations":[{"line":1,"column":3}]}]}`, payments.ErrInvalidRequest, ""},
		{"resolver failure", `{"errors":[{"message":"boom","path":["getPaymentsInfos"]}],"data":null}`, payments.ErrUnavailable, ""},
		{"internal", `{"errors":[{"message":"oops","path":["getPaymentsInfos"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`, payments.ErrUnavailable, "INTERNAL_SERVER_ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mock := mockhttp.NewMockTransport()
			mock.RegisterResponder(http.MethodPost, stagingURL, mockhttp.NewStringResponder(http.StatusOK, tc.body))
			c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: mock}))
			require.NoError(t, err)
			_, err = c.Verify(context.Background(), "p")
			perr := requireHeroError(t, err, tc.kind, tc.code)
			assert.Equal(t, tc.body, string(perr.Raw))
			assert.Equal(t, 1, mock.GetTotalCallCount(), "a GraphQL error is an answer: no retry")
		})
	}
}

func TestNewChecksConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg   hero.Config
		field string
	}{
		"no key":           {hero.Config{}, "APIKey"},
		"key with a space": {hero.Config{APIKey: "abc def"}, "APIKey"},
		"environment":      {hero.Config{APIKey: "k", Environment: 7}, "Environment"},
		"payment page":     {hero.Config{APIKey: "k", PaymentPageURL: "pay.example.com"}, "PaymentPageURL"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := hero.New(tc.cfg)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, ok := perr.Field(tc.field)
			assert.True(t, ok, "fields: %v", perr.Fields)
		})
	}
	_, err := hero.New(hero.Config{APIKey: "k"}, payments.WithBaseURL("http://api.example.com"))
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "plain http off loopback")
}
