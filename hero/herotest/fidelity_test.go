package herotest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/internal/jsonshape"
)

// These tests prove that the simulator answers in the shapes of the
// fixtures in testdata/hero (see SOURCES.md there): every answer is compared,
// key for key and type for type, with the fixture of the same case. The
// requests are the documents of Hero's own docs, verbatim (testdata/hero/docs),
// and the exact bodies the adapter sends (testdata/hero/requests).

const testdata = "../../testdata/hero"

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	require.NoError(t, err)
	return b
}

// docsRequest is the body a client sends for one of the GraphQL documents
// of Hero's docs, with the example's values replaced by the pairs in
// replace (ids the simulator made, amounts a case needs).
func docsRequest(t *testing.T, name string, replace ...string) []byte {
	t.Helper()
	doc := strings.NewReplacer(replace...).Replace(string(readTestdata(t, "docs/"+name)))
	body, err := json.Marshal(map[string]string{"query": doc})
	require.NoError(t, err)
	return body
}

// adapterRequest is the exact body the adapter sends for a replayed call
// (testdata/hero/requests), with the values in replace swapped.
func adapterRequest(t *testing.T, name string, replace ...string) []byte {
	t.Helper()
	return []byte(strings.NewReplacer(replace...).Replace(string(readTestdata(t, "requests/"+name))))
}

// withPaymentField returns body with variables.payment.<key> set to v.
func withPaymentField(t *testing.T, body []byte, key string, v any) []byte {
	t.Helper()
	var req struct {
		Query     string                    `json:"query"`
		Variables map[string]map[string]any `json:"variables"`
	}
	require.NoError(t, json.Unmarshal(body, &req))
	req.Variables["payment"][key] = v
	out, err := json.Marshal(req)
	require.NoError(t, err)
	return out
}

// createFor makes a payment of amount cents and returns its id.
func createFor(t *testing.T, srv *herotest.Server, amount int) string {
	t.Helper()
	_, out := post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": newPayment(amount)})
	require.Empty(t, out.Errors)
	var created struct{ ID string }
	require.NoError(t, json.Unmarshal(out.Data["createPayment"], &created))
	return created.ID
}

// Options for the comparisons, each as narrow as it can be.
var (
	// The adapter asks every union for __typename; the documents of Hero's
	// docs, and so the answers they show, do not.
	typenameOf = func(field string) jsonshape.Options {
		return jsonshape.Options{Ignore: []string{"data." + field + ".__typename"}}
	}
	// graph-gophers/graphql-go reports no locations for an error a resolver
	// returns; the built fixtures show the ones a Node server would. The
	// adapter reads none.
	noLocations = jsonshape.Options{Ignore: []string{"errors[0].locations"}}
)

func TestAnswersHaveTheFixturesShapes(t *testing.T) {
	docsCheckoutID := "paycheckout-6cd6e21d-c35e-4ee3-8b86-965fb3b44c99"
	for _, tc := range []struct {
		name    string
		fixture string
		opts    jsonshape.Options
		// request sets the simulator up and returns the API key and body.
		request func(t *testing.T, srv *herotest.Server) (key string, body []byte)
	}{
		{"createPayment, docs' document", "create_payment.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, docsRequest(t, "create_payment.graphql")
			}},
		{"createPayment, adapter's request", "create_payment.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, adapterRequest(t, "create_payment.json")
			}},
		{"setOrderId, docs' document", "set_order_id.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, docsRequest(t, "set_order_id.graphql", "payé123", createFor(t, srv, 5000))
			}},
		{"setOrderId, adapter's request", "set_order_id.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, adapterRequest(t, "set_order_id.json", "payment_id_1", createFor(t, srv, 5000))
			}},
		{"getPaymentsInfos, docs' document", "get_payments_infos.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				paid, unpaid := createFor(t, srv, 8000), createFor(t, srv, 5000)
				require.NoError(t, srv.Pay(paid))
				return herotest.APIKey, docsRequest(t, "get_payments_infos.graphql", "payment_id_1", paid, "payment_id_2", unpaid)
			}},
		{"getPaymentsInfos, adapter's request", "get_payments_infos.json", typenameOf("getPaymentsInfos"),
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				paid, unpaid := createFor(t, srv, 8000), createFor(t, srv, 5000)
				require.NoError(t, srv.Pay(paid))
				return herotest.APIKey, adapterRequest(t, "get_payments_infos_two.json", "payment_id_1", paid, "payment_id_2", unpaid)
			}},
		{"getPaymentsInfos of unknown ids, docs' document", "get_payments_infos_empty.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, docsRequest(t, "get_payments_infos.graphql")
			}},
		{"getPaymentsInfos without ids, adapter's document", "get_payments_infos_validation_errors.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, adapterRequest(t, "get_payments_infos.json", `["payment_id_1"]`, `[]`)
			}},
		{"refundPaymentCheckout, docs' document", "refund_success.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				id := createFor(t, srv, 50000)
				require.NoError(t, srv.Pay(id))
				return herotest.APIKey, docsRequest(t, "refund_payment_checkout.graphql", docsCheckoutID, srv.PaymentCheckoutID(id))
			}},
		{"refundPaymentCheckout, adapter's request", "refund_success.json", typenameOf("refundPaymentCheckout"),
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				id := createFor(t, srv, 50000)
				require.NoError(t, srv.Pay(id))
				return herotest.APIKey, adapterRequest(t, "refund_payment_checkout.json", docsCheckoutID, srv.PaymentCheckoutID(id))
			}},
		{"refundPaymentCheckout of nothing, docs' document", "refund_validation_errors.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				id := createFor(t, srv, 50000)
				require.NoError(t, srv.Pay(id))
				return herotest.APIKey, docsRequest(t, "refund_payment_checkout.graphql", docsCheckoutID, srv.PaymentCheckoutID(id), "amount: 30000", "amount: 0")
			}},
		{"refundPaymentCheckout beyond what remains, docs' document", "refund_amount_too_high.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				id := createFor(t, srv, 50000)
				require.NoError(t, srv.Pay(id))
				first := docsRequest(t, "refund_payment_checkout.graphql", docsCheckoutID, srv.PaymentCheckoutID(id))
				status, _ := postRaw(t, srv, herotest.APIKey, first)
				require.Equal(t, http.StatusOK, status)
				return herotest.APIKey, first // 30,000 of the 20,000 left
			}},
		{"refundPaymentCheckout failing at Hero, adapter's request", "refund_internal_error.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				id := createFor(t, srv, 50000)
				require.NoError(t, srv.Pay(id))
				srv.FailNextRefund("INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR")
				return herotest.APIKey, adapterRequest(t, "refund_payment_checkout.json", docsCheckoutID, srv.PaymentCheckoutID(id))
			}},
		{"availablePaymentTypes, blog's document", "available_payment_types.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, docsRequest(t, "available_payment_types.graphql")
			}},
		{"availablePaymentTypes, adapter's request", "available_payment_types.json", jsonshape.Options{},
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, adapterRequest(t, "available_payment_types.json")
			}},
		{"NOT_LOGGED", "create_payment_not_logged.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return "not_the_key", adapterRequest(t, "create_payment.json")
			}},
		{"NOT_LOGGED, code in extensions", "create_payment_not_logged_in_extensions.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				srv.SetErrorCodes(herotest.CodesInExtensions)
				return "not_the_key", adapterRequest(t, "create_payment.json")
			}},
		{"MERCHANT_PRODUCT_DISABLED", "create_payment_merchant_disabled.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				srv.DisableMerchant(true)
				return herotest.APIKey, adapterRequest(t, "create_payment.json")
			}},
		{"INVALID_PAYMENT_TYPE", "create_payment_invalid_type.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				return herotest.APIKey, withPaymentField(t, adapterRequest(t, "create_payment.json"), "type", "Pay45D")
			}},
		{"below paymentMin", "create_payment_min.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				srv.SetPaymentLimits(10000, 20000)
				return herotest.APIKey, adapterRequest(t, "create_payment.json")
			}},
		{"above paymentMax", "create_payment_max.json", noLocations,
			func(t *testing.T, srv *herotest.Server) (string, []byte) {
				srv.SetPaymentLimits(100, 4000)
				return herotest.APIKey, adapterRequest(t, "create_payment.json")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := herotest.NewServer()
			defer srv.Close()
			key, body := tc.request(t, srv)
			status, answer := postRaw(t, srv, key, body)
			require.Equal(t, http.StatusOK, status, "%s", answer)
			diff, err := jsonshape.Diff(readTestdata(t, tc.fixture), answer, tc.opts)
			require.NoError(t, err)
			assert.Empty(t, diff, "the answer:\n%s", answer)
		})
	}
}

// TestBuiltFixturesFollowTheDocs checks the two getPaymentsInfos fixtures
// against the answers Hero's docs print, which are not JSON ("error":
// undefined, as a JavaScript object prints) and not wrapped in data: after
// those two changes, and only them, they are equal.
func TestBuiltFixturesFollowTheDocs(t *testing.T) {
	for fixture, printed := range map[string]string{
		"get_payments_infos.json":       "docs/get_payments_infos_response.txt",
		"get_payments_infos_empty.json": "docs/get_payments_infos_empty_response.txt",
	} {
		t.Run(fixture, func(t *testing.T) {
			var wrapped struct {
				Data struct {
					GetPaymentsInfos json.RawMessage `json:"getPaymentsInfos"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal(readTestdata(t, fixture), &wrapped))
			docs := bytes.ReplaceAll(readTestdata(t, printed), []byte(": undefined,"), []byte(": null,"))
			assert.JSONEq(t, string(docs), string(wrapped.Data.GetPaymentsInfos))
		})
	}
}

// TestDocsSmokeTest sends the request of the docs' "Let's make a call",
// byte for byte.
func TestDocsSmokeTest(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	status, answer := postRaw(t, srv, herotest.APIKey, bytes.TrimSpace(readTestdata(t, "docs/version_request.json")))
	require.Equal(t, http.StatusOK, status)
	var out struct {
		Data struct{ Version *string } `json:"data"`
	}
	require.NoError(t, json.Unmarshal(answer, &out))
	require.NotNil(t, out.Data.Version, "%s", answer)
}
