package moneroo

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/internal/jsonpass/passtest"

	"github.com/unipay/payments/internal/jsonpass"
)

// readsAsEncodingJSON reads body with the one-pass reader of D (verified or
// Initialized) and, if the reader takes it, checks that encoding/json reads
// the same data from it, without an error, and that httpx would not refuse
// it at its top. It reports whether the reader took body.
func readsAsEncodingJSON[D any, P interface {
	*D
	answerReader
}](t *testing.T, body []byte) bool {
	t.Helper()
	var got D
	if !P(&got).readAnswer(body) {
		return false
	}
	var want envelope[D]
	require.NoError(t, json.Unmarshal(body, &want), "the reader took what encoding/json refuses: %q", body)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	require.True(t, len(trimmed) > 0 && trimmed[0] == '{', "the reader took an answer that is not an object: %q", body)
	require.Equal(t, want.Data, got, "%q", body)
	return true
}

func answerFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "moneroo", name))
	require.NoError(t, err)
	return b
}

func compacted(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, b))
	return buf.Bytes()
}

// verifyAnswers are verify answers the reader must take (read in one pass)
// and read as encoding/json does.
var verifyAnswers = []string{
	`{}`, `{"data":null}`, `{"message":null,"data":{}}`, ` { "message" : "ok" , "data" : { "id" : "a" } } ` + "\n",
	`{"data":{"id":"k4su\u0031ii7abdz","status":"r\u00e9ussi","environment":"sandbox\/live"}}`,
	"{\"data\":{\"id\":\"caf\xc3\xa9\",\"status\":\"\xff\xfe\"}}",                // UTF-8 kept, invalid UTF-8 replaced
	`{"data":{"id":"a","id":"b","status":"x","status":null}}`,                    // the last wins; null changes nothing
	`{"data":{"capture":{"failure_message":"x"},"capture":{"method":"mtn_bj"}}}`, // two captures merge
	`{"data":{"capture":{"gateway":{"transaction_failure_message":"x"},"gateway":null}}}`,
	`{"data":{"id":null,"capture":null,"metadata":null,"amount":null,"currency":null,"method":null,"created_at":null}}`,
	`{"data":{"amount":"100.0","currency":"USD","metadata":[],"method":"card","initiated_at":"2023-05-21 12:00:00"}}`,
	`{"data":{"capture":{"failure_error_code":4001,"failure_message":true,"method":{"code":"x"}}}}`,
	`{"data":{"other":[1,-0,1.5e+10,0.0E-1,-2e3,true,false,null,"x",{"a":[[],{}]}],"x_y":{"id":"not this one"}}}`,
	`{"data":{"metadata":{"a":"b","c":{"d":[1,"}"]}}},"errors":null,"data":{"status":"later"}}`,
}

// refusedAnswers are answers the reader must leave to encoding/json: not
// valid JSON, or read differently than the reader would (a key in another
// case, a value of another type), or an error of a lenient type.
var refusedAnswers = []string{
	``, ` `, `null`, `[]`, `"x"`, `{"data":[]}`, `{"data":"x"}`, `{"message":5}`, `{"message":{}}`,
	`{"data":{"ID":"a"}}`, `{"Data":{"id":"a"}}`, `{"data":{"i\u0064":"a"}}`, `{"data":{"ſtatus":"x"}}`,
	`{"data":{"id":5}}`, `{"data":{"status":true}}`, `{"data":{"id":["a"]}}`, `{"data":{"capture":[]}}`,
	`{"data":{"capture":"x"}}`, `{"data":{"capture":{"gateway":5}}}`,
	`{"data":{"amount":"lots"}}`, `{"data":{"currency":5}}`, `{"data":{"metadata":"x"}}`, `{"data":{"method":5}}`,
	`{"data":{"id":"a"}`, `{"data":{"id":"a"}} x`, `{"data":{"id":"a"}}}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":.5}`,
	`{"a":1e}`, `{"a":tru}`, `{"a":nul}`, `{"a":truex}`, "{\"a\":\"\x01\"}", `{"a":"\q"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`,
	`{"a":"x`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":{,}}`, `{"a" 1}`, `{'a':1}`, `{"a":1,}`, `{"a":1 "b":2}`, `{a:1}`,
	`{"a":[1 2]}`, `{"a":"x"` + "\x00" + `}`, "\xef\xbb\xbf{}",
	`{"a":` + strings.Repeat("[", jsonpass.MaxDepth+1) + strings.Repeat("]", jsonpass.MaxDepth+1) + `}`,
}

func TestAnswerReaderReadsAsEncodingJSON(t *testing.T) {
	for _, name := range []string{"verify_success_xof.json", "verify_failed.json", "verify_pending_metadata_array.json", "retrieve_success_usd.json"} {
		body := answerFixture(t, name)
		assert.True(t, readsAsEncodingJSON[verified](t, body), "%s, as documented", name)
		assert.True(t, readsAsEncodingJSON[verified](t, compacted(t, body)), "%s, compacted", name)
	}
	for _, name := range []string{"initialize_201.json", "initialize_201_link.json"} {
		body := answerFixture(t, name)
		assert.True(t, readsAsEncodingJSON[Initialized](t, body), name)
		assert.True(t, readsAsEncodingJSON[Initialized](t, compacted(t, body)), name)
	}
	for _, body := range verifyAnswers {
		assert.True(t, readsAsEncodingJSON[verified](t, []byte(body)), "%q", body)
		assert.True(t, readsAsEncodingJSON[Initialized](t, []byte(body)), "%q", body)
	}
	assert.True(t, readsAsEncodingJSON[Initialized](t, []byte(`{"data":{"id":"a","checkout_url":"https:\/\/x","link":null,"raw":"x","-":1}}`)))
	for _, body := range refusedAnswers {
		assert.False(t, readsAsEncodingJSON[verified](t, []byte(body)), "%q", body)
	}
	for _, body := range []string{`{"data":{"Checkout_URL":"x"}}`, `{"data":{"link":5}}`, `{"data":{"id":"a"}`} {
		assert.False(t, readsAsEncodingJSON[Initialized](t, []byte(body)), "%q", body)
	}
}

// TestAnswerReaderReadsEveryField keeps the reader in step with the types:
// a field added to verified or Initialized that the reader skipped would be
// read by encoding/json only.
func TestAnswerReaderReadsEveryField(t *testing.T) {
	samples := map[reflect.Type]string{
		reflect.TypeFor[string](): `"s"`, reflect.TypeFor[String](): `"s"`, reflect.TypeFor[Amount](): `7`,
		reflect.TypeFor[Currency](): `"XOF"`, reflect.TypeFor[Timestamp](): `"2024-01-31T14:46:13Z"`,
		reflect.TypeFor[Metadata](): `{"k":"v"}`, reflect.TypeFor[Ref](): `{"short_code":"s"}`,
	}
	var fields func(typ reflect.Type, path string, wrap func(string) string, each func(path, body string))
	fields = func(typ reflect.Type, path string, wrap func(string) string, each func(path, body string)) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			member := func(v string) string { return wrap(`{"` + name + `":` + v + `}`) }
			if s, ok := samples[f.Type]; ok {
				each(path+name, member(s))
				continue
			}
			require.Equal(t, reflect.Struct, f.Type.Kind(), "%s%s: the test has no sample of %s", path, name, f.Type)
			fields(f.Type, path+name+".", member, each)
		}
	}
	data := func(v string) string { return `{"data":` + v + `}` }
	n := 0
	fields(reflect.TypeFor[verified](), "", data, func(path, body string) {
		n++
		require.True(t, readsAsEncodingJSON[verified](t, []byte(body)), path)
		var v verified
		require.True(t, v.readAnswer([]byte(body)))
		assert.NotZero(t, v, "%s is read", path)
	})
	assert.Equal(t, 14, n, "verified's fields")
	fields(reflect.TypeFor[Initialized](), "", data, func(path, body string) {
		require.True(t, readsAsEncodingJSON[Initialized](t, []byte(body)), path)
		var in Initialized
		require.True(t, in.readAnswer([]byte(body)))
		assert.NotZero(t, in, "%s is read", path)
	})
}

// FuzzAnswerReader checks that whatever the one-pass reader takes,
// encoding/json reads the same way, and that it never panics.
func FuzzAnswerReader(f *testing.F) {
	for _, s := range append(append([]string{}, verifyAnswers...), refusedAnswers...) {
		f.Add([]byte(s))
	}
	for _, name := range []string{"verify_success_xof.json", "verify_failed.json", "initialize_201.json", "retrieve_success_usd.json"} {
		f.Add(answerFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		readsAsEncodingJSON[verified](t, b)
		readsAsEncodingJSON[Initialized](t, b)
		eventReadsAsEncodingJSON(t, b)
	})
}

// eventReadsAsEncodingJSON reads body with the webhook event's one-pass
// reader and, if it takes it, checks that encoding/json reads the same
// event from it. It reports whether the reader took body.
func eventReadsAsEncodingJSON(t *testing.T, body []byte) bool {
	t.Helper()
	return passtest.ReadsAsEncodingJSON(t, body, (*webhookEvent).readEvent)
}

func TestEventReaderReadsAsEncodingJSON(t *testing.T) {
	for _, name := range []string{"webhook_payment_success.json", "webhook_payment_success_minimal.json", "webhook_payout_success.json"} {
		assert.True(t, eventReadsAsEncodingJSON(t, answerFixture(t, name)), name)
	}
	for _, body := range []string{`{}`, `{"event":null,"data":null}`, `{"event":"payment.success","data":{"id":5,"status":null,"metadata":[1],"Other":1}}`} {
		assert.True(t, eventReadsAsEncodingJSON(t, []byte(body)), body)
	}
	for _, body := range []string{`null`, `[]`, `{"Event":"x"}`, `{"event":5}`, `{"data":[]}`, `{"data":{"ID":"x"}}`, `{"event":"a","event":"b"}`, `{"data":{"id":"a"`} {
		assert.False(t, eventReadsAsEncodingJSON(t, []byte(body)), body)
	}
}
