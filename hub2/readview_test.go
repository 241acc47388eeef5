package hub2

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/internal/jsonpass/passtest"
)

// readsAsEncodingJSON reads body with the one-pass reader of V (a view or
// the webhook envelope) and, if it takes it, checks that encoding/json
// reads the same from it. It reports whether the reader took body.
func readsAsEncodingJSON[V any, P interface {
	*V
	passReader
}](t *testing.T, body []byte) bool {
	t.Helper()
	return passtest.ReadsAsEncodingJSON(t, body, func(v *V, b []byte) bool { return P(v).readAnswer(b) })
}

// viewFixtures are Hub2's intents and attempts, as captured or documented.
var viewFixtures = []string{"create_intent.json", "intent_failed.json", "intent_successful.json", "attempt_otp.json",
	"attempt_wave_redirection.json", "pm_payment_intent_201.json", "warimcp_attempt_mtn_sandbox.json",
	"warimcp_create_intent_sandbox.json", "warimcp_get_intent_successful_sandbox.json"}

// viewAnswers are answers both readers must take, and read as
// encoding/json does.
var viewAnswers = []string{
	`{}`, `{"id":null,"payments":null,"nextAction":null,"amount":null}`, `{"payments":[]}`, `{"payments":[null,{}]}`,
	`{"id":"pi_\u0031","amount":"200.0","status":"payment_required","token":"t","payments":[{"id":"p","createdAt":"2024-01-31T14:46:13.123Z","status":"pending","nextAction":{"type":"otp","message":"x","data":{"url":"https:\/\/x","method":"post","headers":{"A":"b"},"data":null}}}]}`,
	`{"payments":[{"failure":{"code":"x","params":["a",null]},"method":"mobile_money","country":"CI","provider":"orange","number":"0700"}],"other":{"Amount":1}}`,
	`{"createdAt":null,"updatedAt":"2024-01-31T14:46:13+01:00","purchaseReference":"A42","currency":"XOF"}`,
}

// refusedViewAnswers are answers both readers leave to encoding/json.
var refusedViewAnswers = []string{
	``, `null`, `[]`, `{"id":"a"`, `{"ID":"a"}`, `{"Amount":1}`, `{"i\u0064":"a"}`, `{"id":5}`, `{"id":"a","id":"b"}`,
	`{"amount":"12.5"}`, `{"amount":true}`, `{"payments":{}}`, `{"payments":[5]}`, `{"payments":[{"createdAt":"yesterday"}]}`,
	`{"payments":[{"CreatedAt":null}]}`, `{"payments":[{"status":1}]}`,
}

func TestViewReadersReadAsEncodingJSON(t *testing.T) {
	for _, name := range viewFixtures {
		body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name))
		require.NoError(t, err)
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, body))
		for _, b := range [][]byte{body, compact.Bytes()} {
			assert.True(t, readsAsEncodingJSON[intentView](t, b), name)
			assert.True(t, readsAsEncodingJSON[sessionView](t, b), name)
		}
	}
	for _, body := range viewAnswers {
		assert.True(t, readsAsEncodingJSON[intentView](t, []byte(body)), "%q", body)
		assert.True(t, readsAsEncodingJSON[sessionView](t, []byte(body)), "%q", body)
	}
	for _, body := range refusedViewAnswers {
		assert.False(t, readsAsEncodingJSON[intentView](t, []byte(body)), "%q", body)
		assert.False(t, readsAsEncodingJSON[sessionView](t, []byte(body)), "%q", body)
	}
	assert.False(t, readsAsEncodingJSON[intentView](t, []byte(`{"payments":[{"failure":{"params":[1]}}]}`)))
	assert.False(t, readsAsEncodingJSON[sessionView](t, []byte(`{"nextAction":{"data":{"URL":"x"}}}`)))
	assert.False(t, readsAsEncodingJSON[sessionView](t, []byte(`{"payments":[{"nextAction":[]}]}`)))
}

// The webhook envelope's reader reads Hub2's deliveries as encoding/json
// does, and leaves it what it cannot.
func TestEnvelopeReaderReadsAsEncodingJSON(t *testing.T) {
	for _, name := range []string{"webhook_created.json", "webhook_payment_intent_succeeded.json", "webhook_payment_succeeded.json"} {
		body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name))
		require.NoError(t, err)
		assert.True(t, readsAsEncodingJSON[webhookEnvelope](t, body), name)
	}
	for _, body := range []string{`{}`, `{"type":null,"data":null}`, `{"type":"transfer.created","data":{"id":"t","reference":"refund.pi_1.r1","Amount":5}}`} {
		assert.True(t, readsAsEncodingJSON[webhookEnvelope](t, []byte(body)), body)
	}
	for _, body := range []string{`null`, `{"Type":"x"}`, `{"data":{"ID":"x"}}`, `{"data":[]}`, `{"data":{"status":5}}`, `{"type":"a","type":"b"}`} {
		assert.False(t, readsAsEncodingJSON[webhookEnvelope](t, []byte(body)), body)
	}
}

// FuzzViewReaders checks that whatever the one-pass readers take,
// encoding/json reads the same way, and that they never panic.
func FuzzViewReaders(f *testing.F) {
	for _, s := range append(append([]string{}, viewAnswers...), refusedViewAnswers...) {
		f.Add([]byte(s))
	}
	for _, name := range viewFixtures {
		if b, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		readsAsEncodingJSON[intentView](t, b)
		readsAsEncodingJSON[sessionView](t, b)
		readsAsEncodingJSON[webhookEnvelope](t, b)
	})
}
