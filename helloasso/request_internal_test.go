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
	body, _, err := requestClient(t).checkoutRequest(baseRequest())
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
	body, _, err := requestClient(t).checkoutRequest(req)
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
	body, _, err := requestClient(t).checkoutRequest(req)
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
		{"over int32", func(r *payments.CreateRequest) { r.Amount.Amount = 1 << 31 }, []string{"Amount"}},
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
		{"term of zero", func(r *payments.CreateRequest) { r.Options = Options{Terms: []Term{{eurs(0), tomorrow}}} }, []string{"Options.Terms[0].Amount"}},
		{"terms eat the total", func(r *payments.CreateRequest) { r.Options = Options{Terms: []Term{{eurs(3000), tomorrow}}} }, []string{"Options.Terms"}},
		{"initial amount without terms", func(r *payments.CreateRequest) { r.Options = Options{InitialAmount: eurs(1000)} }, []string{"Options.InitialAmount"}},
		{"initial amount in dollars", func(r *payments.CreateRequest) {
			r.Options = Options{InitialAmount: payments.Money{Amount: 3000, Currency: "USD"}}
		}, []string{"Options.InitialAmount.Currency"}},
		{"metadata too long", func(r *payments.CreateRequest) { r.Metadata = map[string]string{"x": strings.Repeat("<", 20000)} }, []string{"Metadata"}},
		{"initial amount of zero with terms", func(r *payments.CreateRequest) {
			r.Options = Options{InitialAmount: eurs(-5), Terms: []Term{{eurs(500), tomorrow}}}
		}, []string{"Options.InitialAmount"}},
		{"item name with a NUL", func(r *payments.CreateRequest) { r.Options = Options{ItemName: "Adhésion\x00"} }, []string{"Options.ItemName"}},
		{"item name not UTF-8", func(r *payments.CreateRequest) { r.Options = Options{ItemName: "Adh\xe9sion"} }, []string{"Options.ItemName"}},
		{"a MiB of description", func(r *payments.CreateRequest) { r.Description = strings.Repeat("a", 1<<20) }, []string{"Description"}},
		{"a MiB of reference", func(r *payments.CreateRequest) { r.Reference = strings.Repeat("a", 1<<20) }, []string{"Reference"}},
		{"a MiB of metadata", func(r *payments.CreateRequest) { r.Metadata = map[string]string{"k": strings.Repeat("a", 1<<20)} }, []string{"Metadata"}},
		{"a MiB of city", func(r *payments.CreateRequest) {
			r.Customer = &payments.Customer{BillingAddress: &payments.Address{City: strings.Repeat("a", 1<<20)}}
		}, []string{"Customer.BillingAddress.City"}},
		{"a MiB of first name", func(r *payments.CreateRequest) {
			r.Customer = &payments.Customer{FirstName: strings.Repeat("a", 1<<20)}
		},
			[]string{"Customer.FirstName"}},
		{"long company, strict", func(r *payments.CreateRequest) {
			r.Customer = &payments.Customer{CompanyName: strings.Repeat("a", 256)}
			r.Options = Options{StrictPayer: true}
		}, []string{"Customer.CompanyName"}},
		{"single-letter names, strict", func(r *payments.CreateRequest) {
			r.Customer = &payments.Customer{FirstName: "J", LastName: "D"}
			r.Options = Options{StrictPayer: true}
		}, []string{"Customer.FirstName", "Customer.LastName"}},
		{"everything at once, strict", func(r *payments.CreateRequest) {
			r.Amount.Currency = "XOF"
			r.ReturnURL = "http://shop.example.org/"
			r.Customer = &payments.Customer{FirstName: "Jean3", LastName: "Brrr", DateOfBirth: testNow.AddDate(-10, 0, 0),
				BillingAddress: &payments.Address{Country: "QQ"}}
			r.Options = Options{StrictPayer: true}
		}, []string{"Amount.Currency", "ReturnURL", "Customer.FirstName", "Customer.LastName", "Customer.DateOfBirth", "Customer.BillingAddress.Country"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := baseRequest()
			tc.mutate(&req)
			_, _, err := requestClient(t).checkoutRequest(req)
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
		_, _, err := sim.checkoutRequest(req)
		assert.NoError(t, err, "simulator client, %s", u)
		_, _, err = real.checkoutRequest(req)
		assert.ErrorIs(t, err, payments.ErrInvalidRequest, "sandbox client, %s", u)
	}
	req := baseRequest()
	req.ReturnURL = "http://shop.example.org/return"
	_, _, err := sim.checkoutRequest(req)
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "not loopback")
}

// TestPayerFieldsHelloAssoWouldRefuseAreLeftOut: by default the optional
// payer fields HelloAsso refuses are not sent, and each is reported with its
// Go path, HelloAsso's name and why; the rest of the payer is sent.
func TestPayerFieldsHelloAssoWouldRefuseAreLeftOut(t *testing.T) {
	req := baseRequest()
	req.Customer = &payments.Customer{
		FirstName: "Loïc", LastName: "Jérôme", Email: "loic@example.org", CompanyName: strings.Repeat("a", 256),
		DateOfBirth:    testNow.AddDate(-10, 0, 0),
		BillingAddress: &payments.Address{Line1: "1 rue Haute", City: "Brest", ZipCode: "29200", Country: "QQ"},
	}
	body, leftOut, err := requestClient(t).checkoutRequest(req)
	require.NoError(t, err)
	assert.Equal(t, &CheckoutPayer{Email: "loic@example.org", Address: "1 rue Haute", City: "Brest", ZipCode: "29200"}, body.Payer)
	var fields, providerFields []string
	for _, f := range leftOut {
		fields, providerFields = append(fields, f.Field), append(providerFields, f.ProviderField)
		assert.NotEmpty(t, f.Message)
	}
	assert.Equal(t, []string{"Customer.FirstName", "Customer.LastName", "Customer.CompanyName", "Customer.DateOfBirth", "Customer.BillingAddress.Country"}, fields)
	assert.Equal(t, []string{"payer.firstName", "payer.lastName", "payer.companyName", "payer.dateOfBirth", "payer.country"}, providerFields)

	// Equal names: the last one goes, the first stays.
	req.Customer = &payments.Customer{FirstName: "Jean", LastName: "jean"}
	body, leftOut, err = requestClient(t).checkoutRequest(req)
	require.NoError(t, err)
	assert.Equal(t, &CheckoutPayer{FirstName: "Jean"}, body.Payer)
	require.Len(t, leftOut, 1)
	assert.Equal(t, "Customer.LastName", leftOut[0].Field)

	// What the core refuses stays refused: it is a mistake, not a name.
	req.Customer = &payments.Customer{FirstName: "Jean\x00", Email: "not an email"}
	_, _, err = requestClient(t).checkoutRequest(req)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Customer.FirstName")
	assert.True(t, named)
	_, named = perr.Field("Customer.Email")
	assert.True(t, named)
}

// TestMetadataJSONIsWhatEncodingJSONWrites: the hand-written metadata
// encoding writes the bytes encoding/json writes for the same map, without
// HTML escaping, whatever the strings hold.
func TestMetadataJSONIsWhatEncodingJSONWrites(t *testing.T) {
	for _, m := range []map[string]string{
		nil,
		{"cart": "c-981"},
		{"z": "last", "a": "first", "é": "accent", "A": "upper"},
		{"q": `say "hi" \\ back\slash`, "html": "<b>&amp;</b>", "ctl": "a\x00b\x01c\x1f\n\r\t\x7f\b\f", "seps": "\u2028 \u2029"},
		{"bad": "\xff\xfe ok \xe2\x82", "emoji": "🎾 Adhésion", "key \"quoted\"": "v"},
	} {
		want := map[string]string{"reference": "A<42>&\"x\""}
		for k, v := range m {
			want[k] = v
		}
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(want))
		assert.Equal(t, strings.TrimSuffix(b.String(), "\n"), string(metadataJSON("A<42>&\"x\"", m)), "%q", m)
	}
}
