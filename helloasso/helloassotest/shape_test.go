package helloassotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/internal/jsonshape"
)

// These tests drive the simulator through its HTTP API and compare each
// answer with a fixture taken from a source nobody on this project wrote
// (testdata/helloasso/SOURCES.md says which): same keys, same JSON types.

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "helloasso", name))
	require.NoError(t, err)
	return b
}

// dataOf returns a notification fixture's "data", the shape that GET
// /v5/payments/{id} and GET /v5/orders/{id} share with the notifications.
func dataOf(t *testing.T, name string) []byte {
	t.Helper()
	var n struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(fixture(t, name), &n))
	return n.Data
}

// sameShape fails the test with every difference between the fixture and
// the simulator's answer.
func sameShape(t *testing.T, what string, want, got []byte, o jsonshape.Options) {
	t.Helper()
	diff, err := jsonshape.Diff(want, got, o)
	require.NoError(t, err, "%s: %s", what, got)
	assert.Empty(t, diff, "%s differs from its source; answer: %s", what, got)
}

// raw sends an API request with tok and returns the status and the body.
func raw(t *testing.T, srv *helloassotest.Server, tok, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// hook collects the notifications the simulator posts, by event type.
type hook struct {
	mu     sync.Mutex
	bodies map[string][][]byte
}

func newHook(t *testing.T, srv *helloassotest.Server) *hook {
	h := &hook{bodies: map[string][][]byte{}}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var n struct{ EventType string }
		_ = json.Unmarshal(b, &n)
		h.mu.Lock()
		h.bodies[n.EventType] = append(h.bodies[n.EventType], b)
		h.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	srv.SetWebhookURL(s.URL)
	return h
}

func (h *hook) last(t *testing.T, eventType string) []byte {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.bodies[eventType]
	require.NotEmpty(t, got, "no %s notification", eventType)
	return got[len(got)-1]
}

func (h *hook) count(eventType string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies[eventType])
}

// intentPath is GET …/checkout-intents/{id}.
func intentPath(id int64) string {
	return "/v5/organizations/" + helloassotest.OrganizationSlug + "/checkout-intents/" + strconv.FormatInt(id, 10)
}

// checkoutBody is a checkout intent for amount cents with the payer fields
// HelloAsso's examples show (email, country, names) and the given extra
// JSON members (terms, metadata).
func checkoutBody(amount int64, extra string) string {
	a := strconv.FormatInt(amount, 10)
	b := `{"totalAmount":` + a + `,"initialAmount":` + a + `,"itemName":"Adhésion 2025","backUrl":"https://a.fr/b","errorUrl":"https://a.fr/e",` +
		`"returnUrl":"https://a.fr/r","containsDonation":false,"payer":{"firstName":"Jean","lastName":"Dupont","email":"jean@example.org","country":"FRA"}`
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

type created struct {
	ID          int64  `json:"id"`
	RedirectURL string `json:"redirectUrl"`
}

func createIntent(t *testing.T, srv *helloassotest.Server, tok, body string) (created, []byte) {
	t.Helper()
	status, b := raw(t, srv, tok, http.MethodPost, "/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents", body)
	require.Equal(t, http.StatusOK, status, string(b))
	var c created
	require.NoError(t, json.Unmarshal(b, &c))
	return c, b
}

// paidIntent reads the intent's order: its id and its first payment's.
func paidIntent(t *testing.T, srv *helloassotest.Server, tok string, id int64) (orderID, paymentID int64, body []byte) {
	t.Helper()
	status, b := raw(t, srv, tok, http.MethodGet, intentPath(id), "")
	require.Equal(t, http.StatusOK, status)
	var ci struct {
		Order struct {
			ID       int64 `json:"id"`
			Payments []struct {
				ID int64 `json:"id"`
			} `json:"payments"`
		} `json:"order"`
	}
	require.NoError(t, json.Unmarshal(b, &ci))
	require.NotEmpty(t, ci.Order.Payments, string(b))
	return ci.Order.ID, ci.Order.Payments[0].ID, b
}

func TestTokenAndErrorAnswersHaveTheDocumentedShapes(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()

	resp, err := http.PostForm(srv.URL+"/oauth2/token", clientCredentials())
	require.NoError(t, err)
	tokBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sameShape(t, "token", fixture(t, "token.json"), tokBody, jsonshape.Options{})
	var tok token
	require.NoError(t, json.Unmarshal(tokBody, &tok))

	resp, err = http.PostForm(srv.URL+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {helloassotest.ClientID}, "client_secret": {"nope"}})
	require.NoError(t, err)
	oauthErr, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sameShape(t, "OAuth error", fixture(t, "error-oauth-invalid-client.json"), oauthErr, jsonshape.Options{})

	status, problem := raw(t, srv, tok.AccessToken, http.MethodPost, "/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents", `{}`)
	require.Equal(t, http.StatusBadRequest, status)
	sameShape(t, "validation problem", fixture(t, "error-validation.json"), problem, jsonshape.Options{
		// The fields that fail differ from the fixture's: only the map matters.
		Ignore: []string{"errors"},
	})

	status, refused := raw(t, srv, tok.AccessToken, http.MethodPost, "/v5/payments/1/refund", "")
	require.Equal(t, http.StatusBadRequest, status, "refund failures are 400 or 409")
	sameShape(t, "refund error", fixture(t, "error-refund-113.json"), refused, jsonshape.Options{})
	assert.Contains(t, string(refused), "Code : 101 - ", "HelloAsso's numbered refund errors")
}

func TestCheckoutAnswersHaveTheShapesOfTheSandbox(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	_, tok := postForm(t, srv, clientCredentials())

	// No metadata sent: the sandbox answer (lhechris/outiltheque) had none.
	c, createdBody := createIntent(t, srv, tok.AccessToken, checkoutBody(200, ""))
	sameShape(t, "create", fixture(t, "checkout-intent-created.json"), createdBody, jsonshape.Options{})

	_, before := raw(t, srv, tok.AccessToken, http.MethodGet, intentPath(c.ID), "")
	sameShape(t, "intent before payment", fixture(t, "checkout-intent-sandbox-unpaid.json"), before, jsonshape.Options{})

	require.NoError(t, srv.Pay(strconv.FormatInt(c.ID, 10)))
	_, _, paid := paidIntent(t, srv, tok.AccessToken, c.ID)
	sameShape(t, "paid intent", fixture(t, "checkout-intent-sandbox-paid.json"), paid, jsonshape.Options{})
}

func TestRefundAnswersHaveTheShapesOfTheSpec(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	h := newHook(t, srv)
	_, tok := postForm(t, srv, clientCredentials())
	c, _ := createIntent(t, srv, tok.AccessToken, checkoutBody(3000, `"metadata":{"reference":"A42","cart":"c-981"}`))
	require.NoError(t, srv.Pay(strconv.FormatInt(c.ID, 10)))
	_, pay, _ := paidIntent(t, srv, tok.AccessToken, c.ID)

	status, op := raw(t, srv, tok.AccessToken, http.MethodPost, "/v5/payments/"+strconv.FormatInt(pay, 10)+"/refund?amount=1000&sendRefundMail=true", "")
	require.Equal(t, http.StatusOK, status, string(op))
	sameShape(t, "refund operation (RefundOperationModel)", fixture(t, "refund-operation.json"), op, jsonshape.Options{})

	// In a payment, a refund is a RefundOperationLightModel: status, not state.
	_, _, intent := paidIntent(t, srv, tok.AccessToken, c.ID)
	sameShape(t, "partially refunded intent", fixture(t, "checkout-intent-partially-refunded.json"), intent, jsonshape.Options{})
	var ci struct {
		Order struct {
			Payments []struct {
				RefundOperations []map[string]any `json:"refundOperations"`
			} `json:"payments"`
		} `json:"order"`
	}
	require.NoError(t, json.Unmarshal(intent, &ci))
	require.Len(t, ci.Order.Payments[0].RefundOperations, 1)
	assert.Equal(t, "Processed", ci.Order.Payments[0].RefundOperations[0]["status"])

	// The refund's Payment notification: the payment, now with its refund.
	sameShape(t, "refund notification", fixture(t, "notification-payment-refunded.json"), h.last(t, "Payment"), jsonshape.Options{
		// The merchant's own JSON, whatever it sent.
		Ignore: []string{"metadata"},
	})
}

func TestOrderAndPaymentAnswersHaveTheShapesOfHelloAssosExamples(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	h := newHook(t, srv)
	_, tok := postForm(t, srv, clientCredentials())
	// Instalments, as in HelloAsso's Order example.
	next := time.Now().AddDate(0, 1, 0)
	terms := `"terms":[{"amount":2000,"date":"` + next.Format("2006-01-02") + `"},{"amount":1000,"date":"` + next.AddDate(0, 1, 0).Format("2006-01-02") + `"}],"metadata":{"reference":"A42"}`
	body := strings.Replace(checkoutBody(6000, terms), `"initialAmount":6000`, `"initialAmount":3000`, 1)
	c, _ := createIntent(t, srv, tok.AccessToken, body)
	require.NoError(t, srv.Pay(strconv.FormatInt(c.ID, 10)))
	order, pay, _ := paidIntent(t, srv, tok.AccessToken, c.ID)

	// The official examples' metadata is the partner's own object.
	notif := jsonshape.Options{Ignore: []string{"metadata"}}
	sameShape(t, "Payment notification", fixture(t, "notification-payment-checkout.json"), h.last(t, "Payment"), notif)
	sameShape(t, "Order notification", fixture(t, "notification-order-checkout-terms.json"), h.last(t, "Order"), notif)

	_, p := raw(t, srv, tok.AccessToken, http.MethodGet, "/v5/payments/"+strconv.FormatInt(pay, 10), "")
	sameShape(t, "GET payment", dataOf(t, "notification-payment-checkout.json"), p, jsonshape.Options{})
	_, o := raw(t, srv, tok.AccessToken, http.MethodGet, "/v5/orders/"+strconv.FormatInt(order, 10), "")
	sameShape(t, "GET order", dataOf(t, "notification-order-checkout-terms.json"), o, jsonshape.Options{})

	hdr, form := srv.FormNotification("tournoi-2025", "Tournoi 2025")
	assert.NotEmpty(t, hdr.Get("X-Ha-Signature"))
	sameShape(t, "Form notification", fixture(t, "notification-form.json"), form, jsonshape.Options{})
}

// TestPaymentNotificationsDoNotNameTheCheckout: HelloAsso's Payment example
// has no data.order.checkoutIntentId; only the metadata links it.
func TestPaymentNotificationsDoNotNameTheCheckout(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	h := newHook(t, srv)
	_, tok := postForm(t, srv, clientCredentials())
	c, _ := createIntent(t, srv, tok.AccessToken, checkoutBody(1500, `"metadata":{"reference":"A7"}`))
	require.NoError(t, srv.Pay(strconv.FormatInt(c.ID, 10)))

	var n struct {
		Data struct {
			Order map[string]any `json:"order"`
		} `json:"data"`
		Metadata map[string]any `json:"metadata"`
	}
	require.NoError(t, json.Unmarshal(h.last(t, "Payment"), &n))
	assert.NotContains(t, n.Data.Order, "checkoutIntentId")
	assert.Equal(t, map[string]any{"reference": "A7"}, n.Metadata)

	var o struct {
		Data struct {
			CheckoutIntentID int64 `json:"checkoutIntentId"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(h.last(t, "Order"), &o))
	assert.Equal(t, c.ID, o.Data.CheckoutIntentID, "the Order notification names it")
}

// TestARefusedPaymentShowsNoOrderOnTheIntent: "Retourne aussi la commande
// associée. Uniquement dans le cas ou le paiement est autorisé."
func TestARefusedPaymentShowsNoOrderOnTheIntent(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	h := newHook(t, srv)
	_, tok := postForm(t, srv, clientCredentials())
	c, _ := createIntent(t, srv, tok.AccessToken, checkoutBody(1500, ""))

	back, err := srv.Walk(t.Context(), &payments.Session{RedirectURL: c.RedirectURL}, false)
	require.NoError(t, err)
	q := back.Query()
	assert.Equal(t, "refused", q.Get("code"))
	require.NotEmpty(t, q.Get("orderId"), "the attempt's order, as HelloAsso's guide lists it")

	_, intent := raw(t, srv, tok.AccessToken, http.MethodGet, intentPath(c.ID), "")
	sameShape(t, "refused intent", fixture(t, "checkout-intent-sandbox-unpaid.json"), intent, jsonshape.Options{})
	assert.NotContains(t, string(intent), `"order"`)
	assert.Zero(t, h.count("Order"), "no order notification for a refused card")

	var o struct {
		CheckoutIntentID int64 `json:"checkoutIntentId"`
		Payments         []struct {
			State string `json:"state"`
		} `json:"payments"`
	}
	status, b := raw(t, srv, tok.AccessToken, http.MethodGet, "/v5/orders/"+q.Get("orderId"), "")
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(b, &o))
	assert.Equal(t, c.ID, o.CheckoutIntentID)
	assert.Equal(t, "Refused", o.Payments[0].State)

	// The page stays open: the payer may try another card.
	back, err = srv.Walk(t.Context(), &payments.Session{RedirectURL: c.RedirectURL}, true)
	require.NoError(t, err)
	assert.Equal(t, "succeeded", back.Query().Get("code"))
	assert.NotEqual(t, q.Get("orderId"), back.Query().Get("orderId"))
	_, _, paid := paidIntent(t, srv, tok.AccessToken, c.ID)
	assert.Contains(t, string(paid), `"state":"Authorized"`)

	// With refused orders shown (the woocommerce plugin's reading), the
	// intent carries the refused attempt.
	srv.ShowRefusedOrders(true)
	c2, _ := createIntent(t, srv, tok.AccessToken, checkoutBody(1500, ""))
	require.NoError(t, srv.Decline(strconv.FormatInt(c2.ID, 10)))
	_, shown := raw(t, srv, tok.AccessToken, http.MethodGet, intentPath(c2.ID), "")
	assert.Contains(t, string(shown), `"state":"Refused"`)
}
