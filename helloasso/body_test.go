package helloasso

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writesAsMarshal checks that checkoutBody writes r as json.Marshal does,
// whether by hand or, when AppendJSON is not sure, through json.Marshal of
// the body itself. It reports whether AppendJSON wrote it.
func writesAsMarshal(t *testing.T, r *CheckoutIntentRequest) bool {
	t.Helper()
	want, err := json.Marshal(r)
	require.NoError(t, err)
	viaBody, err := json.Marshal(checkoutBody{r})
	require.NoError(t, err)
	require.Equal(t, string(want), string(viaBody), "json.Marshal of the body is json.Marshal of the request")
	got, ok := checkoutBody{r}.AppendJSON(nil)
	if ok {
		require.Equal(t, string(want), string(got))
	}
	return ok
}

func TestCheckoutBodyWritesAsMarshal(t *testing.T) {
	full := &CheckoutIntentRequest{TotalAmount: 3000, InitialAmount: 1000, ItemName: "Adhésion <2025> & \"plus\"",
		BackURL: "https://x.example/back?a=1&b=2", ErrorURL: "https://x.example/e", ReturnURL: "https://x.example/r", ContainsDonation: true,
		Terms: []CheckoutTerm{{Amount: 1000, Date: "2025-08-01"}, {Amount: 1000, Date: "2025-09-01"}},
		Payer: &CheckoutPayer{FirstName: "Jean", LastName: "Dupont", Email: "jean@example.org", DateOfBirth: "1986-07-06",
			Address: "23 rue du Palmier", City: "Paris", ZipCode: "75000", Country: "FRA", CompanyName: "ACME"},
		Metadata: json.RawMessage(`{"cart":"c-981","reference":"A42"}`), PaymentOptions: &PaymentOptions{EnableSepa: true}}
	assert.True(t, writesAsMarshal(t, full))
	assert.True(t, writesAsMarshal(t, &CheckoutIntentRequest{}))
	assert.True(t, writesAsMarshal(t, &CheckoutIntentRequest{Terms: []CheckoutTerm{}, Payer: &CheckoutPayer{}, Metadata: json.RawMessage{}}))
	assert.True(t, writesAsMarshal(t, &CheckoutIntentRequest{Payer: &CheckoutPayer{City: "Brest"}, PaymentOptions: &PaymentOptions{}}))
	assert.False(t, writesAsMarshal(t, &CheckoutIntentRequest{Metadata: json.RawMessage(`{"a": "<b>"}`)}), "metadata encoding/json rewrites")
	_, ok := checkoutBody{}.AppendJSON(nil)
	assert.False(t, ok)
}

func FuzzCheckoutBody(f *testing.F) {
	f.Add(int64(3000), "Adhésion 2025", "https://x.example/r", "Jean", "", `{"reference":"A42"}`, true, 2)
	f.Add(int64(-1), "<&>\u2028\xff", "", "", "Dupont", ``, false, 0)
	f.Fuzz(func(t *testing.T, amount int64, item, url, first, last, meta string, donation bool, terms int) {
		r := &CheckoutIntentRequest{TotalAmount: amount, InitialAmount: amount / 2, ItemName: item, BackURL: url, ErrorURL: url + item,
			ReturnURL: url, ContainsDonation: donation}
		for i := range terms % 4 {
			r.Terms = append(r.Terms, CheckoutTerm{Amount: amount + int64(i), Date: item})
		}
		if first != "" || last != "" {
			r.Payer = &CheckoutPayer{FirstName: first, LastName: last, Email: item}
		}
		if json.Valid([]byte(meta)) {
			r.Metadata = json.RawMessage(meta)
		}
		if donation {
			r.PaymentOptions = &PaymentOptions{EnableSepa: terms%2 == 0}
		}
		writesAsMarshal(t, r)
	})
}
