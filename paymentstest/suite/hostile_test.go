package suite

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAnotherIDRewritesWholeTokensOnly(t *testing.T) {
	body := `{"id":"py_12","ref":"py_123","data":{"payment":"py_12"},"n":3012}`
	assert.Equal(t, `{"id":"py_13","ref":"py_123","data":{"payment":"py_13"},"n":3012}`, string(anotherID([]byte(body), "py_12")))
	assert.Equal(t, `{"id":30675,"other":130674}`, string(anotherID([]byte(`{"id":30674,"other":130674}`), "30674")))
	assert.Equal(t, body, string(anotherID([]byte(body), "")))
	assert.Equal(t, "ab8", otherID("ab9"))
	assert.Equal(t, "aby", otherID("abz"))
}

func TestWrongTypesAndUnknownStatus(t *testing.T) {
	assert.JSONEq(t, `{"id":[true],"amount":[true],"list":[[true]],"obj":{"ok":[true]}}`,
		string(wrongTypes([]byte(`{"id":"a","amount":1,"list":["x"],"obj":{"ok":true}}`), "")))
	assert.JSONEq(t, `{"status":"UNHEARD_OF","payments":[{"State":"UNHEARD_OF","status":3}]}`,
		string(unknownStatus([]byte(`{"status":"success","payments":[{"State":"Authorized","status":3}]}`), "")))
}

func TestDetectableFormsFindEachEncoding(t *testing.T) {
	const secret = "sk+a/b=c&d<e>|%1234"
	forms := detectable(secret)
	for _, text := range []string{
		secret,
		url.QueryEscape(secret),
		lowerEscapes(url.QueryEscape(secret)),
		`"` + strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`).Replace(secret) + `"`,
		base64.StdEncoding.EncodeToString([]byte("user:" + secret)),
		base64.RawURLEncoding.EncodeToString([]byte("xy" + secret + "z")),
	} {
		found := false
		for _, f := range forms {
			found = found || strings.Contains(text, f)
		}
		assert.True(t, found, "%q", text)
	}
}
