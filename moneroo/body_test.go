package moneroo

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writesAsMarshal checks that initializeBody writes r as json.Marshal does,
// whether by hand or, when AppendJSON is not sure, through json.Marshal of
// the body itself. It reports whether AppendJSON wrote it.
func writesAsMarshal(t *testing.T, r *InitializeRequest) bool {
	t.Helper()
	want, err := json.Marshal(r)
	viaBody, errBody := json.Marshal(initializeBody{r})
	require.Equal(t, err == nil, errBody == nil)
	require.Equal(t, string(want), string(viaBody), "json.Marshal of the body is json.Marshal of the request")
	got, ok := initializeBody{r}.AppendJSON(nil)
	if ok {
		require.NoError(t, err, "AppendJSON wrote what json.Marshal refuses")
		require.Equal(t, string(want), string(got))
	}
	return ok
}

func TestInitializeBodyWritesAsMarshal(t *testing.T) {
	full := &InitializeRequest{Amount: "10000", Currency: "XOF", Description: "Commande <#124> & co", ReturnURL: "https://shop.example/r?a=1&b=2",
		Customer: CustomerInput{Email: "a@b.c", FirstName: "Aïssa", LastName: "Diallo", Phone: "22997000000", Address: "x", City: "Cotonou",
			State: "Littoral", Country: "BJ", Zip: "229"},
		Metadata: map[string]string{"order_id": "124", "a": "<", "Z": "\u2028"}, Methods: []string{"mtn_bj", "moov_bj"},
		RestrictCountryCode: "BJ", RestrictedPhone: &RestrictedPhone{Number: "97000000", CountryCode: "BJ"}}
	assert.True(t, writesAsMarshal(t, full))
	assert.True(t, writesAsMarshal(t, &InitializeRequest{}), "an empty amount is written 0")
	assert.True(t, writesAsMarshal(t, &InitializeRequest{Amount: "10.50", Metadata: map[string]string{}, Methods: []string{}}))
	assert.False(t, writesAsMarshal(t, &InitializeRequest{Amount: "ten"}), "json.Marshal refuses it")
	_, ok := initializeBody{}.AppendJSON(nil)
	assert.False(t, ok)
}

func FuzzInitializeBody(f *testing.F) {
	f.Add("10000", "XOF", "Payment for order #124", "order_id", "124", "John", true)
	f.Add("-1.5e3", "<&>", "\u2028\xff", "", "", "", false)
	f.Fuzz(func(t *testing.T, amount, currency, text, key, value, name string, more bool) {
		r := &InitializeRequest{Amount: json.Number(amount), Currency: currency, Description: text, ReturnURL: text + key,
			Customer: CustomerInput{Email: text, FirstName: name, LastName: value}}
		if key != "" || value != "" {
			r.Metadata = map[string]string{key: value, value: key, "k": text}
		}
		if more {
			r.Methods = []string{currency, name}
			r.RestrictCountryCode = currency
			r.RestrictedPhone = &RestrictedPhone{Number: value, CountryCode: key}
			r.Customer.City, r.Customer.Zip = text, key
		}
		writesAsMarshal(t, r)
	})
}
