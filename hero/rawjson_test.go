package hero

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resultOf is where encoding/json finds getPaymentsInfos' entries.
type resultOf struct {
	Data struct {
		GetPaymentsInfos struct {
			Result []json.RawMessage `json:"result"`
		} `json:"getPaymentsInfos"`
	} `json:"data"`
}

// agree checks that what arrayAt finds, in a text encoding/json accepts, is
// what encoding/json decodes, byte for byte, and returns whether it found
// anything. (Where encoding/json merges duplicate objects, arrayAt may find
// nothing: the caller then keeps the whole answer.)
func agree(t *testing.T, body []byte) bool {
	t.Helper()
	var want resultOf
	if json.Unmarshal(body, &want) != nil {
		return false
	}
	got, ok := arrayAt(body, 0, "data", "getPaymentsInfos", "result")
	if !ok {
		return false
	}
	require.Len(t, got, len(want.Data.GetPaymentsInfos.Result), "%s", body)
	for i, e := range want.Data.GetPaymentsInfos.Result {
		assert.Equal(t, string(e), string(got[i]), "%s", body)
	}
	return true
}

func TestArrayAtFindsWhatEncodingJSONDecodes(t *testing.T) {
	for _, body := range []string{
		`{"data":{"getPaymentsInfos":{"result":[]}}}`,
		` { "data" : { "getPaymentsInfos" : { "__typename" : "GetPaymentsInfosResult" , "result" : [ {"paymentId":"a"} , {"paymentId":"b"} ] } } } `,
		`{"errors":[{"message":"}]\"{["}],"data":{"getPaymentsInfos":{"result":[{"paymentId":"a\"}{","x":["]",{"y":"\\"}]}]}}}`,
		`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a"}],"result":[{"paymentId":"b"},{"paymentId":"c"}]}}}`,
		`{"data":{"getPaymentsInfos":{"RESULT":[{"paymentId":"folded"}]}}}`,
		`{"data":{"getPaymentsInfos":{"RESULT":[{"paymentId":"folded"}],"result":[{"paymentId":"exact"}]}}}`,
		`{"data":{"getPaymentsInfos":{"res\u0075lt":[{"paymentId":"escaped key"}]}}}`,
		`{"data":{"getPaymentsInfos":{"result":[1,"two",null,true,[3],{"four":4}]}}}`,
		`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"é\u00e9\\\\"}]}}}`,
		`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a\"}{"}],"Result":[]}}}`,
	} {
		assert.True(t, agree(t, []byte(body)), body)
	}
	// Duplicate objects encoding/json merges: nothing found, never another
	// array.
	for _, body := range []string{
		`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a"}]}},"data":{"other":1}}`,
		`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a"}]}},"data":{"getPaymentsInfos":{"other":1}}}`,
	} {
		assert.False(t, agree(t, []byte(body)), body)
	}
	for _, bad := range []string{``, `null`, `{"data":{"getPaymentsInfos":{"result":null}}}`, `{"data":{"getPaymentsInfos":{}},"extra":{"result":[1]}}`, `{"data":`, `{"data":{"getPaymentsInfos":{"result":[{"a":1}`, `[]`, `{"data":{"getPaymentsInfos":{"result":{}}}}`} {
		_, ok := arrayAt([]byte(bad), 0, "data", "getPaymentsInfos", "result")
		assert.False(t, ok, bad)
	}
}

func FuzzArrayAt(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "hero", "*.json"))
	require.NoError(f, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"a\"}{"}],"Result":[]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		agree(t, body)
	})
}
