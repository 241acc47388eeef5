package helloasso

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

var testNow = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

func eurs(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }

func requestClient(t *testing.T, opts ...payments.Option) *Client {
	t.Helper()
	c, err := New(Config{ClientID: "id", ClientSecret: "secret", OrganizationSlug: "club"}, opts...)
	require.NoError(t, err)
	c.now = func() time.Time { return testNow }
	return c
}

func baseRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount: eurs(3000), Reference: "A42", Description: "Adhésion 2025",
		ReturnURL: "https://shop.example.org/ha?type=return",
	}
}

func TestCheckoutRequestDefaults(t *testing.T) {
	body, err := requestClient(t).checkoutRequest(baseRequest())
	require.NoError(t, err)
	assert.Equal(t, int64(3000), body.TotalAmount)
	assert.Equal(t, int64(3000), body.InitialAmount, "no terms: all now")
	assert.Equal(t, "Adhésion 2025", body.ItemName, "from Description")
	assert.Equal(t, body.ReturnURL, body.ErrorURL, "ErrorURL defaults to ReturnURL")
	assert.Equal(t, body.ReturnURL, body.BackURL, "CancelURL defaults to ReturnURL")
	assert.Nil(t, body.Payer)
	assert.Nil(t, body.Terms)
	assert.Nil(t, body.PaymentOptions)
	assert.JSONEq(t, `{"reference":"A42"}`, string(body.Metadata))

	raw, err := json.Marshal(body)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "terms", "no empty terms sent")
	assert.NotContains(t, string(raw), "payer")
}

func TestCheckoutRequestConvertsTheCustomer(t *testing.T) {
	req := baseRequest()
	req.Customer = &payments.Customer{
		FirstName: "  Aminata ", LastName: "N'Diaye", Email: "aminata@example.sn", Phone: "+221770000000",
		DateOfBirth:     time.Date(1990, 2, 3, 0, 0, 0, 0, time.UTC),
		DeliveryAddress: &payments.Address{Line1: "12 avenue Cheikh Anta Diop", Line2: "Appartement 4", City: "Dakar", ZipCode: "10700", Country: "SN"},
	}
	body, err := requestClient(t).checkoutRequest(req)
	require.NoError(t, err)
	assert.Equal(t, &CheckoutPayer{
		FirstName: "Aminata", LastName: "N'Diaye", Email: "aminata@example.sn", DateOfBirth: "1990-02-03",
		Address: "12 avenue Cheikh Anta Diop, Appartement 4", City: "Dakar", ZipCode: "10700", Country: "SEN",
	}, body.Payer)
}

func TestCheckoutRequestTerms(t *testing.T) {
	req := baseRequest()
	req.Amount = eurs(7000)
	req.Options = &Options{ContainsDonation: true, EnableSepa: true, Terms: []Term{
		{Amount: eurs(2000), Date: time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC)},
		{Amount: eurs(2000), Date: time.Date(2025, 8, 15, 23, 0, 0, 0, time.FixedZone("CET", 3600))},
	}}
	body, err := requestClient(t).checkoutRequest(req)
	require.NoError(t, err)
	assert.Equal(t, int64(3000), body.InitialAmount, "Amount minus the terms")
	assert.Equal(t, []CheckoutTerm{{2000, "2025-07-15"}, {2000, "2025-08-15"}}, body.Terms, "the date in its own location")
	assert.True(t, body.ContainsDonation)
	assert.Equal(t, &PaymentOptions{EnableSepa: true}, body.PaymentOptions)
}

// TestCheckoutRequestNamesEachField checks each refusal names its field in
// the library's terms, and that all are reported at once.
func TestCheckoutRequestNamesEachField(t *testing.T) {
	tomorrow := testNow.AddDate(0, 0, 1)
	for _, tc := range []struct {
		name   string
		mutate func(*payments.CreateRequest)
		fields []string
	}{
		{"over int32", func(r *payments.CreateRequest) { r.Amount.Amount = 1 << 31 }, []string{"Amount.Amount"}},
		{"item name too long", func(r *payments.CreateRequest) { r.Description = strings.Repeat("é", 251) }, []string{"Description"}},
		{"option item name too long", func(r *payments.CreateRequest) { r.Options = Options{ItemName: strings.Repeat("a", 251)} }, []string{"Options.ItemName"}},
		{"terms out of order", func(r *payments.CreateRequest) {
			r.Options = Options{Terms: []Term{{eurs(500), tomorrow.AddDate(0, 1, 0)}, {eurs(500), tomorrow}}}
		}, []string{"Options.Terms[1].Date"}},
		{"term on the same day", func(r *payments.CreateRequest) {
			r.Options = Options{Terms: []Term{{eurs(500), tomorrow}, {eurs(500), tomorrow}}}
		}, []string{"Options.Terms[1].Date"}},
		{"term today", func(r *payments.CreateRequest) {
			r.Options = Options{Terms: []Term{{eurs(500), testNow.Add(time.Hour)}}}
		}, []string{"Options.Terms[0].Date"}},
		{"term without a date", func(r *payments.CreateRequest) { r.Options = Options{Terms: []Term{{Amount: eurs(500)}}} }, []string{"Options.Terms[0].Date"}},
		{"term in dollars", func(r *payments.CreateRequest) {
			r.Options = Options{Terms: []Term{{payments.Money{Amount: 500, Currency: "USD"}, tomorrow}}}
		}, []string{"Options.Terms[0].Amount.Currency"}},
		{"term of zero", func(r *payments.CreateRequest) { r.Options = Options{Terms: []Term{{eurs(0), tomorrow}}} }, []string{"Options.Terms[0].Amount.Amount"}},
		{"terms eat the total", func(r *payments.CreateRequest) { r.Options = Options{Terms: []Term{{eurs(3000), tomorrow}}} }, []string{"Options.Terms"}},
		{"initial amount without terms", func(r *payments.CreateRequest) { r.Options = Options{InitialAmount: eurs(1000)} }, []string{"Options.InitialAmount"}},
		{"initial amount in dollars", func(r *payments.CreateRequest) {
			r.Options = Options{InitialAmount: payments.Money{Amount: 3000, Currency: "USD"}}
		}, []string{"Options.InitialAmount.Currency"}},
		{"metadata too long", func(r *payments.CreateRequest) { r.Metadata = map[string]string{"x": strings.Repeat("<", 20000)} }, []string{"Metadata"}},
		{"long company", func(r *payments.CreateRequest) {
			r.Customer = &payments.Customer{CompanyName: strings.Repeat("a", 256)}
		}, []string{"Customer.CompanyName"}},
		{"single-letter names", func(r *payments.CreateRequest) { r.Customer = &payments.Customer{FirstName: "J", LastName: "D"} },
			[]string{"Customer.FirstName", "Customer.LastName"}},
		{"everything at once", func(r *payments.CreateRequest) {
			r.Amount.Currency = "XOF"
			r.ReturnURL = "http://shop.example.org/"
			r.Customer = &payments.Customer{FirstName: "Jean3", LastName: "Brrr", DateOfBirth: testNow.AddDate(-10, 0, 0),
				BillingAddress: &payments.Address{Country: "QQ"}}
		}, []string{"Amount.Currency", "ReturnURL", "Customer.FirstName", "Customer.LastName", "Customer.DateOfBirth", "Customer.BillingAddress.Country"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := baseRequest()
			tc.mutate(&req)
			_, err := requestClient(t).checkoutRequest(req)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, payments.HelloAsso, perr.Provider)
			assert.Equal(t, "create checkout", perr.Op)
			for _, f := range tc.fields {
				_, ok := perr.Field(f)
				assert.True(t, ok, "field %s in %v", f, perr.Fields)
			}
			assert.Len(t, perr.Fields, len(tc.fields), "%v", perr.Fields)
		})
	}
}

// TestLoopbackHTTPOnlyForASimulator: the demo shop runs on
// http://localhost:8080 and a simulator on 127.0.0.1; only that pair may use
// plain http.
func TestLoopbackHTTPOnlyForASimulator(t *testing.T) {
	urls := []string{"http://localhost:8080/return", "http://127.0.0.1:8080/r", "http://[::1]:8080/r"}
	sim := requestClient(t, payments.WithBaseURL("http://127.0.0.1:9999"))
	real := requestClient(t)
	for _, u := range urls {
		req := baseRequest()
		req.ReturnURL = u
		_, err := sim.checkoutRequest(req)
		assert.NoError(t, err, "simulator client, %s", u)
		_, err = real.checkoutRequest(req)
		assert.ErrorIs(t, err, payments.ErrInvalidRequest, "sandbox client, %s", u)
	}
	req := baseRequest()
	req.ReturnURL = "http://shop.example.org/return"
	_, err := sim.checkoutRequest(req)
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "not loopback")
}
