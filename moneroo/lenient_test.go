package moneroo_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/moneroo"
)

func TestLenientTypesReadEveryDocumentedShape(t *testing.T) {
	type shapes struct {
		Amount   moneroo.Amount    `json:"amount"`
		Currency moneroo.Currency  `json:"currency"`
		Metadata moneroo.Metadata  `json:"metadata"`
		Code     moneroo.String    `json:"code"`
		At       moneroo.Timestamp `json:"at"`
		Method   *moneroo.Ref      `json:"method"`
	}
	for _, tc := range []struct {
		name, body string
		want       shapes
	}{
		{"the verify example's shapes",
			`{"amount":200,"currency":{"name":"CFA Franc","symbol":"XOF","decimals":0,"code":"XOF","icon_url":"https:\/\/x"},` +
				`"metadata":{"order_id":"124","nested":{"a":[1,"}"]}},"code":null,"at":"2024-01-31T14:46:13.000000Z",` +
				`"method":{"name":"MTN","short_code":"mtn_bj","extra":{"code":"not this one"}}}`,
			shapes{Amount: "200", Currency: "XOF", Metadata: moneroo.Metadata{"order_id": "124", "nested": `{"a":[1,"}"]}`},
				At:     moneroo.Timestamp{Time: time.Date(2024, 1, 31, 14, 46, 13, 0, time.UTC)},
				Method: &moneroo.Ref{Name: "MTN", ShortCode: "mtn_bj"}}},
		{"the retrieve example's shapes",
			`{"amount":100.0,"currency":"USD","metadata":[],"code":4001,"at":"2023-05-21 12:00:00","method":"cc"}`,
			shapes{Amount: "100.0", Currency: "USD", Code: "4001",
				At:     moneroo.Timestamp{Time: time.Date(2023, 5, 21, 12, 0, 0, 0, time.UTC)},
				Method: &moneroo.Ref{ShortCode: "cc"}}},
		{"strings, escapes and spaces",
			`{ "amount" : " 10.5 " , "currency" : { "c\u006fde" : "E\u0055R" } , "metadata" : { "k\"1" : "v\u00e9" , "n" : true } , ` +
				`"code" : "a\/b" , "at" : "" , "method" : { "code" : "moneroo_sandbox" } }`,
			shapes{Amount: "10.5", Currency: "EUR", Metadata: moneroo.Metadata{`k"1`: "vé", "n": "true"}, Code: "a/b",
				Method: &moneroo.Ref{Code: "moneroo_sandbox"}}},
		{"nulls", `{"amount":null,"currency":null,"metadata":null,"code":null,"at":null,"method":null}`, shapes{}},
		{"an empty object", `{"currency":{},"metadata":{}}`, shapes{Metadata: moneroo.Metadata{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got shapes
			require.NoError(t, json.Unmarshal([]byte(tc.body), &got))
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLenientTypesRefuseWhatIsNoneOfTheShapes(t *testing.T) {
	for _, body := range []string{
		`{"amount":"lots"}`, `{"amount":true}`, `{"amount":{}}`, `{"amount":"1e"}`, `{"amount":"01"}`,
		`{"currency":5}`, `{"currency":[true]}`, `{"currency":{"code":[true]}}`,
		`{"metadata":"x"}`, `{"metadata":5}`,
		`{"method":5}`, `{"method":[true]}`,
	} {
		var v struct {
			Amount   moneroo.Amount   `json:"amount"`
			Currency moneroo.Currency `json:"currency"`
			Metadata moneroo.Metadata `json:"metadata"`
			Method   moneroo.Ref      `json:"method"`
		}
		assert.Error(t, json.Unmarshal([]byte(body), &v), body)
	}
}

// FuzzLenientTypes feeds the lenient types any JSON and checks each against
// a plain reading of the same value through encoding/json: one pass gives
// what two would. Called directly with bytes that are not JSON, they fail
// or read something, and never panic.
func FuzzLenientTypes(f *testing.F) {
	for _, s := range []string{
		`"XOF"`, `{"code":"XOF","name":"x"}`, `200`, `100.0`, `" 7 "`, `{"a":"b","c":1}`, `[]`, `null`,
		`{"c\u006fde":"E"}`, `"a\"b"`, `{"k":{"code":"no"},"code":"yes"}`, `"2024-01-31T14:46:13.000000Z"`,
		`{"short_code":"mtn_bj","code":"x"}`, `"\ud83d\ude00"`, `{`, `"`, `{"a"`, `{"a":}`, "\"\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var (
			s moneroo.String
			a moneroo.Amount
			c moneroo.Currency
			m moneroo.Metadata
			r moneroo.Ref
			d moneroo.Timestamp
		)
		// Never a panic, whatever the bytes.
		_ = s.UnmarshalJSON(b)
		aerr := a.UnmarshalJSON(b)
		cerr := c.UnmarshalJSON(b)
		merr := m.UnmarshalJSON(b)
		rerr := r.UnmarshalJSON(b)
		_ = d.UnmarshalJSON(b)

		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if dec.Decode(&v) != nil || dec.More() || !json.Valid(b) {
			return
		}
		switch x := v.(type) {
		case string:
			assert.Equal(t, moneroo.String(x), s)
			assert.NoError(t, cerr)
			assert.Equal(t, moneroo.Currency(x), c)
			assert.NoError(t, rerr)
			assert.Equal(t, moneroo.Ref{ShortCode: moneroo.String(x)}, r)
			if n := json.Number(strings.TrimSpace(x)); aerr == nil {
				assert.Equal(t, moneroo.Amount(n), a)
			}
		case json.Number:
			assert.Equal(t, moneroo.String(strings.TrimSpace(string(b))), s)
			assert.NoError(t, aerr)
			assert.Equal(t, moneroo.Amount(x), a)
		case map[string]any:
			if code, ok := x["code"].(string); ok {
				assert.NoError(t, cerr)
				assert.Equal(t, moneroo.Currency(code), c)
			}
			assert.NoError(t, merr)
			assert.Len(t, m, len(x))
			for k, val := range x {
				if str, ok := val.(string); ok {
					assert.Equal(t, str, m[k], "metadata %q", k)
				}
			}
		case nil:
			assert.Empty(t, s)
			assert.Empty(t, a)
			assert.Empty(t, c)
			assert.Nil(t, m)
		}
	})
}
