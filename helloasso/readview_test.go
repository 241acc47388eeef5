package helloasso

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/internal/jsonpass/passtest"
)

// readsAsEncodingJSON reads body with the one-pass reader of V (a view or
// a notification) and, if it takes it, checks that encoding/json reads the
// same from it. It reports whether the reader took body.
func readsAsEncodingJSON[V any, P interface {
	*V
	readAnswer([]byte) bool
}](t *testing.T, body []byte) bool {
	t.Helper()
	return passtest.ReadsAsEncodingJSON(t, body, func(v *V, b []byte) bool { return P(v).readAnswer(b) })
}

// intentAnswers are answers the reader must take, and read as
// encoding/json does.
var intentAnswers = []string{
	`{}`, `{"id":null,"order":null,"metadata":null}`, ` { "id" : 7 , "redirectUrl" : "https:\/\/x\u00e9" } ` + "\n",
	`{"metadata":{},"order":{"payments":[]}}`, `{"metadata":{"reference":"A42","k":null,"k":"last"}}`,
	`{"order":{"payments":[null,{"refundOperations":[null,{"amount":5,"status":"Processed"}]}],"amount":{"total":10,"vat":null}}}`,
	`{"order":{"date":"2025-07-01T10:00:00.123+02:00","meta":{"createdAt":"x","updatedAt":null},"checkoutIntentId":-3}}`,
	`{"order":{"payer":{"firstName":"A","ID":1},"items":[{"Id":1}],"formSlug":"default"},"Raw":"x","other":[1,-0,1.5e+10]}`,
	`{"id":9223372036854775807,"order":{"id":-9223372036854775808,"payments":[{"installmentNumber":2,"state":"Authorized"}]}}`,
}

// refusedIntentAnswers are answers the reader leaves to encoding/json: not
// valid JSON, or read differently (a field's key in another case, a value
// of another type, a key met twice, metadata that are not strings).
var refusedIntentAnswers = []string{
	``, `null`, `[]`, `{"id":1`, `{"id":1}x`, `{"ID":1}`, `{"RedirectUrl":"x"}`, `{"i\u0064":1}`, `{"id":"1"}`, `{"id":1.5}`,
	`{"id":1e3}`, `{"id":9223372036854775808}`, `{"redirectUrl":5}`, `{"id":1,"id":2}`, `{"order":{},"order":null}`,
	`{"metadata":{"n":5}}`, `{"metadata":{"a\u0062":"x"}}`, `{"metadata":[]}`, `{"order":[]}`, `{"order":{"payments":{}}}`,
	`{"order":{"payments":[5]}}`, `{"order":{"payments":[{"amount":"5"}]}}`, `{"order":{"amount":[]}}`,
	`{"order":{"checkoutIntentID":1}}`, `{"order":{"payments":[{"refundOperations":[{"Status":"x"}]}]}}`,
	`{"order":{"payments":[{"installmentNumber":1.0}]}}`, `{"order":{"meta":5}}`,
}

func TestIntentReaderReadsAsEncodingJSON(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "testdata", "helloasso", "checkout-intent-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		if strings.HasSuffix(name, "-request.json") {
			continue
		}
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		assert.True(t, readsAsEncodingJSON[intentView](t, body), "%s, as recorded", name)
		assert.True(t, readsAsEncodingJSON[CheckoutIntentCreated](t, body), "%s, as recorded", name)
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, body))
		assert.True(t, readsAsEncodingJSON[intentView](t, compact.Bytes()), "%s, compacted", name)
	}
	for _, body := range intentAnswers {
		assert.True(t, readsAsEncodingJSON[intentView](t, []byte(body)), "%q", body)
	}
	for _, body := range refusedIntentAnswers {
		assert.False(t, readsAsEncodingJSON[intentView](t, []byte(body)), "%q", body)
	}
	for _, body := range []string{`{"id":30674,"redirectUrl":"https://www.helloasso-sandbox.com/x"}`, `{"id":null,"metadata":5}`, `{}`} {
		assert.True(t, readsAsEncodingJSON[CheckoutIntentCreated](t, []byte(body)), "%q", body)
	}
	for _, body := range []string{`{"Id":1}`, `{"id":1,"id":1}`, `{"redirectUrl":null,"redirectURL":"x"}`, `{"id":"1"}`, `[]`} {
		assert.False(t, readsAsEncodingJSON[CheckoutIntentCreated](t, []byte(body)), "%q", body)
	}
}

// A paid intent read in one pass gives Verify what encoding/json gave it:
// its order, its payments and their refunds.
func TestIntentReaderReadsThePaidIntent(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "testdata", "helloasso", "checkout-intent-partially-refunded.json"))
	require.NoError(t, err)
	var v intentView
	require.True(t, v.readAnswer(body))
	require.NotNil(t, v.Order)
	assert.NotZero(t, v.ID)
	assert.NotZero(t, v.Order.ID)
	assert.False(t, v.Order.Date.IsZero())
	require.NotEmpty(t, v.Order.Payments)
	assert.NotEmpty(t, v.Order.Payments[0].RefundOperations)
}

// notificationAnswers are notifications both readers must take.
var notificationAnswers = []string{
	`{}`, `{"eventType":"Order","data":null,"metadata":null}`, `{"eventType":"Form","data":{"formSlug":"x","amount":{"total":5}}}`,
	`{"eventType":"Payment","data":{"id":5,"amount":3000,"state":"Refunded","installmentNumber":1,"refundOperations":[{"amount":0,"status":"PROCESSED"}],"order":{"id":7,"checkoutIntentId":9,"formType":"Checkout"}},"metadata":{"reference":"A42","cart":"c"}}`,
	`{"eventType":"Order","data":{"id":7,"checkoutIntentId":null,"payments":[null,{"state":"Authorized","amount":100}],"order":null},"metadata":{"reference":null}}`,
}

// refusedNotificationAnswers are notifications both readers leave to
// encoding/json.
var refusedNotificationAnswers = []string{
	`null`, `{"EventType":"Order"}`, `{"eventType":5}`, `{"data":[]}`, `{"data":{"amount":"5"}}`, `{"data":{"amount":1.5}}`,
	`{"data":{"Order":{}}}`, `{"data":{"order":{"CheckoutIntentId":1}}}`, `{"data":{"payments":[{"ID":1}]}}`, `{"eventType":"a","eventType":"b"}`,
}

func TestNotificationReaderReadsAsEncodingJSON(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "testdata", "helloasso", "notification-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		assert.True(t, readsAsEncodingJSON[notificationIn[referenceOnly]](t, body), name)
		assert.True(t, readsAsEncodingJSON[notificationIn[metadata]](t, body), name)
	}
	for _, body := range notificationAnswers {
		assert.True(t, readsAsEncodingJSON[notificationIn[referenceOnly]](t, []byte(body)), body)
		assert.True(t, readsAsEncodingJSON[notificationIn[metadata]](t, []byte(body)), body)
	}
	for _, body := range refusedNotificationAnswers {
		assert.False(t, readsAsEncodingJSON[notificationIn[referenceOnly]](t, []byte(body)), body)
		assert.False(t, readsAsEncodingJSON[notificationIn[metadata]](t, []byte(body)), body)
	}
	// Metadata that are no object: referenceOnly's encoding/json refuses
	// them (readNotification then reads them loosely), metadata's takes them.
	assert.False(t, readsAsEncodingJSON[notificationIn[referenceOnly]](t, []byte(`{"metadata":[1]}`)))
	assert.True(t, readsAsEncodingJSON[notificationIn[metadata]](t, []byte(`{"metadata":[1]}`)))
}

// FuzzIntentReader checks that whatever the one-pass reader takes,
// encoding/json reads the same way, and that it never panics.
func FuzzIntentReader(f *testing.F) {
	for _, s := range append(append(append(append([]string{}, intentAnswers...), refusedIntentAnswers...), notificationAnswers...), refusedNotificationAnswers...) {
		f.Add([]byte(s))
	}
	names, _ := filepath.Glob(filepath.Join("..", "testdata", "helloasso", "*.json"))
	for _, name := range names {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		readsAsEncodingJSON[intentView](t, b)
		readsAsEncodingJSON[CheckoutIntentCreated](t, b)
		readsAsEncodingJSON[notificationIn[referenceOnly]](t, b)
		readsAsEncodingJSON[notificationIn[metadata]](t, b)
	})
}
