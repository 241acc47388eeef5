package monerootest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/jsonshape"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

// These tests drive the simulator through its HTTP API and compare each
// answer's keys and types with fixtures taken from Moneroo's docs and
// official SDKs (testdata/moneroo/SOURCES.md), so that the simulator cannot
// drift from them.

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "moneroo", name))
	require.NoError(t, err)
	return b
}

// call sends method path with body and the Authorization header auth ("" for
// none) to the simulator, and returns the status and the raw answer.
func call(t *testing.T, srv *monerootest.Server, method, path, auth string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", strings.Split(resp.Header.Get("Content-Type"), ";")[0])
	return resp.StatusCode, b
}

const bearer = "Bearer " + monerootest.SecretKey

// merchantMetadata skips a payment's metadata: its keys are the merchant's
// (here the WooCommerce plugin's), not Moneroo's.
var merchantMetadata = jsonshape.Options{Ignore: []string{"data.metadata"}}

// sameShape asserts that got has the keys and types of fixture file.
func sameShape(t *testing.T, file string, got []byte, o jsonshape.Options) {
	t.Helper()
	diff, err := jsonshape.Diff(fixture(t, file), got, o)
	require.NoError(t, err, "%s", got)
	assert.True(t, len(diff) == 0, "the simulator's answer differs from %s:\n%s\nanswer: %s", file, strings.Join(diff, "\n"), got)
}

// received records the webhooks a merchant endpoint receives.
type received struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
}

func receiver(t *testing.T, srv *monerootest.Server) *received {
	r := &received{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.sigs = append(r.sigs, req.Header.Get(moneroo.SignatureHeader))
		r.mu.Unlock()
	}))
	t.Cleanup(ts.Close)
	srv.SetWebhookURL(ts.URL)
	return r
}

// paid initializes a payment with the official WooCommerce plugin's body
// and pays it on the hosted page; it returns the initialize answer and the
// payment id.
func paid(t *testing.T, srv *monerootest.Server, phone string) ([]byte, string) {
	t.Helper()
	status, body := call(t, srv, http.MethodPost, "/v1/payments/initialize", bearer, fixture(t, "initialize_request_woocommerce.json"))
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var out struct{ Data struct{ ID string } }
	require.NoError(t, jsonUnmarshal(body, &out))
	_, err := srv.WalkWithPhone(context.Background(), &payments.Session{RedirectURL: srv.CheckoutURL(out.Data.ID)}, phone)
	require.NoError(t, err)
	return body, out.Data.ID
}

func TestInitializeAnswersInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	body, _ := paid(t, srv, monerootest.PhoneSuccess)
	// The responses-format page shows "errors": null on every answer; the
	// initialize example leaves it out.
	sameShape(t, "initialize_201.json", body, jsonshape.Options{Ignore: []string{"errors"}})
}

func TestVerifyAnswersInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	_, id := paid(t, srv, monerootest.PhoneSuccess)
	status, body := call(t, srv, http.MethodGet, "/v1/payments/"+id+"/verify", bearer, nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "verify_success_xof.json", body, merchantMetadata)

	_, id = paid(t, srv, monerootest.PhoneFailed)
	status, body = call(t, srv, http.MethodGet, "/v1/payments/"+id+"/verify", bearer, nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "verify_success_xof.json", body, merchantMetadata)
}

func TestRetrieveAnswersInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	_, id := paid(t, srv, monerootest.PhoneSuccess)
	status, body := call(t, srv, http.MethodGet, "/v1/payments/"+id, bearer, nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "retrieve_success_usd.json", body, merchantMetadata)
}

func TestTheCatalogueAnswersInTheSDKShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	status, body := call(t, srv, http.MethodGet, "/utils/payment/methods", "", nil)
	require.Equal(t, http.StatusOK, status)
	sameShape(t, "payment_methods.json", body, jsonshape.Options{})
}

func TestErrorsAnswerInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()

	status, body := call(t, srv, http.MethodGet, "/v1/payments/abc/verify", "Bearer wrong", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	sameShape(t, "error_401.json", body, jsonshape.Options{})
	assertEmptyData(t, body)

	status, body = call(t, srv, http.MethodGet, "/v1/payments/unknown/verify", bearer, nil)
	assert.Equal(t, http.StatusNotFound, status)
	sameShape(t, "error_404.json", body, jsonshape.Options{})
	assertEmptyData(t, body)

	status, body = call(t, srv, http.MethodPost, "/v1/payments/initialize", bearer,
		[]byte(`{"amount":100,"currency":"XOF","description":"d","return_url":"https://x.example/r","customer":{"first_name":"A","last_name":"B"},"methods":["paypal"]}`))
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	sameShape(t, "error_422_map.json", body, jsonshape.Options{})
	assertEmptyData(t, body)

	srv.SetRateLimit(1)
	call(t, srv, http.MethodGet, "/utils/payment/methods", "", nil)
	status, body = call(t, srv, http.MethodGet, "/utils/payment/methods", "", nil)
	assert.Equal(t, http.StatusTooManyRequests, status)
	sameShape(t, "error_429.json", body, jsonshape.Options{})
	assertEmptyData(t, body)
}

// assertEmptyData checks that an error answer's data is {}, as the
// responses-format page says of an answer without data (jsonshape lets a
// null match anything).
func assertEmptyData(t *testing.T, body []byte) {
	t.Helper()
	var out map[string]any
	require.NoError(t, jsonUnmarshal(body, &out))
	assert.Equal(t, map[string]any{}, out["data"], "%s", body)
}

func TestWebhooksAreDeliveredInTheDocsShape(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	r := receiver(t, srv)
	_, _ = paid(t, srv, monerootest.PhoneSuccess)
	_, _ = paid(t, srv, monerootest.PhoneFailed)

	r.mu.Lock()
	defer r.mu.Unlock()
	require.Len(t, r.bodies, 4, "payment.initiated, payment.success, payment.initiated, payment.failed")
	for i, b := range r.bodies {
		sameShape(t, "webhook_payment_success.json", b, jsonshape.Options{})
		// The docs' second example is the same delivery without a customer.
		sameShape(t, "webhook_payment_success_minimal.json", b, jsonshape.Options{AllowExtra: true})
		assert.Len(t, r.sigs[i], 64, "a hex HMAC-SHA256")
	}
}

func TestTheOfficialClientsBodiesAreAccepted(t *testing.T) {
	// The official WooCommerce plugin sends an integer phone, null for
	// empty customer fields and five metadata entries; the official Flutter
	// SDK sends "metadata": null and "methods": null when unset.
	srv := monerootest.NewServer()
	defer srv.Close()
	for _, file := range []string{"initialize_request_woocommerce.json", "initialize_request_flutter.json"} {
		status, body := call(t, srv, http.MethodPost, "/v1/payments/initialize", bearer, fixture(t, file))
		assert.Equal(t, http.StatusCreated, status, "%s: %s", file, body)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
