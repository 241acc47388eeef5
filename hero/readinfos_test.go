package hero

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/internal/jsonpass"
)

// agreeInfos checks that readInfos, where it reads an answer, reads what
// encoding/json reads, each entry's Raw being that entry's bytes, and that
// where it gives up it leaves out untouched. It returns whether readInfos
// read the answer.
func agreeInfos(t *testing.T, body []byte) bool {
	t.Helper()
	var got gqlResponse[getPaymentsInfosData]
	if !readInfos(body, 0, &got) {
		assert.Equal(t, gqlResponse[getPaymentsInfosData]{}, got, "giving up leaves out untouched: %s", body)
		return false
	}
	var want gqlResponse[getPaymentsInfosData]
	require.NoError(t, json.Unmarshal(body, &want), "readInfos read what encoding/json refuses: %s", body)
	var raws resultOf
	require.NoError(t, json.Unmarshal(body, &raws))
	require.NotNil(t, got.Data, "%s", body)
	if u := got.Data.GetPaymentsInfos; u != nil {
		require.Len(t, u.Result, len(raws.Data.GetPaymentsInfos.Result), "%s", body)
		for i, raw := range raws.Data.GetPaymentsInfos.Result {
			assert.Equal(t, string(raw), string(u.Result[i].Raw), "entry %d's Raw: %s", i, body)
			assert.Equal(t, len(u.Result[i].Raw), cap(u.Result[i].Raw), "an append to Raw cannot write over the body")
			u.Result[i].Raw = nil // encoding/json sets no Raw
		}
	}
	assert.Equal(t, want, got, "%s", body)
	return true
}

// entry is a getPaymentsInfos entry as Hero's docs print it, with more
// members (text put as it is, after a comma) at its end.
func entry(id, more string) string {
	return `{"paymentId":"` + id + `","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"",` +
		`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0` + more + `}`
}

func answerWith(entries ...string) string {
	return `{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[` + strings.Join(entries, ",") + `]}}}`
}

func TestReadInfosReadsHerosUsualAnswers(t *testing.T) {
	for _, name := range []string{"get_payments_infos.json", "get_payments_infos_empty.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "hero", name))
		require.NoError(t, err)
		assert.True(t, agreeInfos(t, b), "Hero's documented answer %s is read by hand", name)
	}
	for name, body := range map[string]string{
		"a batch":        answerWith(entry("a", ""), entry("b", ""), entry("c", "")),
		"no result":      `{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[]}}}`,
		"no typename":    `{"data":{"getPaymentsInfos":{"result":[` + entry("a", "") + `]}}}`,
		"spaced":         " {\n \"data\" : {\t\"getPaymentsInfos\" : { \"result\" : [ " + entry("a", "") + " , {\r\n} ] } } } ",
		"members anyhow": `{"data":{"getPaymentsInfos":{"result":[{"refundedAmount":5,"reason":"None","paymentId":"a","error":"PAYMENT_NOT_INITIATED","isSuccess":false}],"__typename":"X"}}}`,
		"nulls": `{"data":{"getPaymentsInfos":{"__typename":null,"result":[{"paymentId":null,"isSuccess":null,"error":null,"reviewStatus":null,` +
			`"reason":null,"initialPaymentAmount":null,"pendingRefundAmount":null,"refundedAmount":null}]}}}`,
		"text as numbers": answerWith(`{"paymentId":"a","reviewStatus":2,"reason":-1.5e3}`, `{"paymentId":"b","reviewStatus":true}`),
		"amounts":         answerWith(`{"paymentId":"a","initialPaymentAmount":-0,"pendingRefundAmount":999999999999999999,"refundedAmount":-42}`),
		"unicode":         answerWith(`{"paymentId":"é€😀","error":"ø","reason":"日本"}`),
		"members of no field": `{"extensions":{"result":[1]},"data":{"other":[{"x":"}"}],"getPaymentsInfos":{"result":[` +
			entry("a", `,"new":{"nested":["]",{"paymentId":"b"}]},"-":1,"Raw":"x","note":"a\"b\\u0041"`) + `],"later":null}}}`,
		"result null":       `{"data":{"getPaymentsInfos":{"result":null}}}`,
		"an escape":         answerWith(`{"paymentId":"a\"b"}`),
		"an escaped letter": answerWith(`{"paymentId":"\u0061"}`),
		"invalid UTF-8":     answerWith("{\"paymentId\":\"a\xffb\"}"),
		"19 digits":         answerWith(`{"initialPaymentAmount":1000000000000000000}`),
	} {
		assert.True(t, agreeInfos(t, []byte(body)), "%s is read by hand", name)
	}
}

func TestReadInfosLeavesTheRestToEncodingJSON(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":            `{"data":{"getPaymentsInfos":{"result":[]}}`,
		"trailing text":       answerWith() + `x`,
		"empty":               ``,
		"null":                `null`,
		"an array":            `[]`,
		"errors":              `{"errors":[{"message":"boom"}],"data":{"getPaymentsInfos":{"result":[]}}}`,
		"errors null":         `{"errors":null,"data":{"getPaymentsInfos":{"result":[]}}}`,
		"no data":             `{"extensions":{}}`,
		"data null":           `{"data":null}`,
		"union null":          `{"data":{"getPaymentsInfos":null}}`,
		"result an object":    `{"data":{"getPaymentsInfos":{"result":{}}}}`,
		"validation errors":   `{"data":{"getPaymentsInfos":{"__typename":"ValidationErrors","validationErrors":[{"path":["paymentIds","0"],"validationError":"x"}]}}}`,
		"another member":      `{"data":{"getPaymentsInfos":{"result":[],"success":true}}}`,
		"data twice":          `{"data":{"getPaymentsInfos":{"result":[]}},"data":{"getPaymentsInfos":{"result":[]}}}`,
		"result twice":        `{"data":{"getPaymentsInfos":{"result":[],"result":[]}}}`,
		"a member twice":      answerWith(`{"paymentId":"a","paymentId":"b"}`),
		"another case":        answerWith(`{"PaymentID":"a"}`),
		"another case above":  `{"Data":{"getPaymentsInfos":{"result":[]}}}`,
		"an escaped name":     answerWith(`{"payment\u0049d":"a"}`),
		"a name beyond ASCII": answerWith(`{"paymentId":"a","ſ":1}`),
		"a fraction":          answerWith(`{"initialPaymentAmount":80.5}`),
		"an exponent":         answerWith(`{"initialPaymentAmount":8e3}`),
		"an amount as text":   answerWith(`{"initialPaymentAmount":"8000"}`),
		"a number as id":      answerWith(`{"paymentId":1}`),
		"a string as bool":    answerWith(`{"isSuccess":"true"}`),
		"text as object":      answerWith(`{"reviewStatus":{}}`),
		"a null entry":        answerWith(`null`),
		"an entry not object": answerWith(`"a"`),
		// Text that is not JSON, each where the reader checks it by hand.
		"cut short":                `{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a"`,
		"no colon":                 `{"data" {"getPaymentsInfos":{"result":[]}}}`,
		"no comma":                 answerWith(`{"paymentId":"a" "isSuccess":true}`),
		"a stray byte for a comma": answerWith(`{"paymentId":"a"x"isSuccess":true}`),
		"a stray byte for a colon": answerWith(`{"paymentId"x"a"}`),
		"entries without a comma":  answerWith(`{"paymentId":"a"}x{"paymentId":"b"}`),
		"a misspelt word":          answerWith(`{"isSuccess":trve}`),
		"a misspelt null":          answerWith(`{"paymentId":nall}`),
		"a comma too many":         answerWith(`{"paymentId":"a",}`),
		"an entry too many":        answerWith(`{"paymentId":"a"},`),
		"an empty member":          answerWith(`{,"paymentId":"a"}`),
		"a leading zero":           answerWith(`{"initialPaymentAmount":08}`),
		"a bare minus":             answerWith(`{"initialPaymentAmount":-}`),
		"a digit and more":         answerWith(`{"initialPaymentAmount":8x}`),
		"a word cut":               answerWith(`{"isSuccess":tru}`),
		"a word and more":          answerWith(`{"isSuccess":truex}`),
		"null and more":            answerWith(`{"paymentId":nullx}`),
		"a control byte":           answerWith("{\"paymentId\":\"a\x01b\"}"),
		"a tab in a string":        answerWith("{\"paymentId\":\"a\tb\"}"),
		"a control byte in a name": answerWith("{\"a\x01\":1}"),
		"a form feed as space":     "{\f\"data\":{\"getPaymentsInfos\":{\"result\":[]}}}",
		"a Unicode space in text":  answerWith("{\"reason\":1\u00a0}"),
		"a Unicode space in null":  answerWith("{\"reason\":null\u0085}"),
		"a skipped value not JSON": answerWith(`{"paymentId":"a","x":{"y":1]}`),
		"a skipped word cut":       answerWith(`{"paymentId":"a","x":tru}`),
		"a skipped value deeper than jsonpass reads": answerWith(`{"paymentId":"a","x":` +
			strings.Repeat("[", jsonpass.MaxDepth) + strings.Repeat("]", jsonpass.MaxDepth) + `}`),
		"nested too deep": answerWith(`{"paymentId":"a","x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`),
	} {
		assert.False(t, agreeInfos(t, []byte(body)), "%s is left to encoding/json", name)
	}
}

func FuzzReadInfos(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "hero", "*.json"))
	require.NoError(f, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(answerWith(entry("a", ""), entry("b", `,"x":[1,{"y":null}]`))))
	f.Add([]byte(answerWith(`{"paymentId":null,"isSuccess":false,"reviewStatus":1,"reason":true,"refundedAmount":-7}`)))
	f.Add([]byte(`{"data":{"getPaymentsInfos":{"result":[{"PAYMENTID":"a","paymentid":"b"}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		agreeInfos(t, body)
	})
}
