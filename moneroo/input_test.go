package moneroo_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

// requireFields checks that err is an ErrInvalidRequest refused before
// sending, naming exactly fields.
func requireFields(t *testing.T, err error, fields ...string) *payments.Error {
	t.Helper()
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.True(t, perr.NotSent, "refused before sending")
	var got []string
	for _, f := range perr.Fields {
		got = append(got, f.Field)
	}
	assert.ElementsMatch(t, fields, got, "fields: %v", perr.Fields)
	assert.Less(t, len(err.Error()), 1000, "a huge value is not echoed back")
	return perr
}

func TestCreateRefusesWhatMonerooWouldRefuseNamingTheField(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	with := func(f func(r *payments.CreateRequest)) payments.CreateRequest {
		r := validRequest()
		f(&r)
		return r
	}
	address := func(a payments.Address) func(r *payments.CreateRequest) {
		return func(r *payments.CreateRequest) { r.Customer.BillingAddress = &a }
	}
	for _, tc := range []struct {
		name  string
		req   payments.CreateRequest
		field string
	}{
		{"a 1 MiB reference", with(func(r *payments.CreateRequest) { r.Reference = huge }), "Reference"},
		{"a 1 MiB description", with(func(r *payments.CreateRequest) { r.Description = huge }), "Description"},
		{"a description of 156 characters", with(func(r *payments.CreateRequest) { r.Description = strings.Repeat("é", 156) }), "Description"},
		{"no description, and Order <Reference> too long", with(func(r *payments.CreateRequest) {
			r.Description, r.Reference = "", strings.Repeat("r", 150)
		}), "Description"},
		{"a NUL in the description", with(func(r *payments.CreateRequest) { r.Description = "rice\x00" }), "Description"},
		{"a first name of 101 characters", with(func(r *payments.CreateRequest) { r.Customer.FirstName = strings.Repeat("é", 101) }), "Customer.FirstName"},
		{"a 1 MiB last name", with(func(r *payments.CreateRequest) { r.Customer.LastName = huge }), "Customer.LastName"},
		{"invalid UTF-8 in a name", with(func(r *payments.CreateRequest) { r.Customer.LastName = "Dia\xffllo" }), "Customer.LastName"},
		{"an escape in a name", with(func(r *payments.CreateRequest) { r.Customer.FirstName = "A\x1b[31mwa" }), "Customer.FirstName"},
		{"an address line of 201 characters", with(address(payments.Address{Line1: strings.Repeat("a", 201)})), "Customer.BillingAddress.Line1"},
		{"two address lines of 200 characters together", with(address(payments.Address{Line1: strings.Repeat("a", 150), Line2: strings.Repeat("b", 50)})), "Customer.BillingAddress.Line2"},
		{"a city of 101 characters", with(address(payments.Address{City: strings.Repeat("c", 101)})), "Customer.BillingAddress.City"},
		{"the delivery address when it is the one sent", with(func(r *payments.CreateRequest) {
			r.Customer.DeliveryAddress = &payments.Address{Line1: strings.Repeat("a", 201)}
		}), "Customer.DeliveryAddress.Line1"},
		{"a 1 MiB metadata value", with(func(r *payments.CreateRequest) { r.Metadata["cart"] = huge }), "Metadata"},
		{"a NUL in a metadata value", with(func(r *payments.CreateRequest) { r.Metadata["cart"] = "c\x00" }), `Metadata["cart"]`},
		{"a control character in a restricted number", with(func(r *payments.CreateRequest) {
			r.Options = moneroo.Options{RestrictedPhone: &moneroo.RestrictedPhone{Number: "229\n51345780", CountryCode: "BJ"}}
		}), "Options.RestrictedPhone.Number"},
		{"a 1 MiB restricted country code", with(func(r *payments.CreateRequest) {
			r.Options = moneroo.Options{RestrictedPhone: &moneroo.RestrictedPhone{Number: "51345780", CountryCode: huge}}
		}), "Options.RestrictedPhone.CountryCode"},
		{"the second method", with(func(r *payments.CreateRequest) { r.Options = moneroo.Options{Methods: []string{"mtn_bj", "MTN"}} }), "Options.Methods[1]"},
		{"a method of 1 MiB", with(func(r *payments.CreateRequest) { r.Options = moneroo.Options{Methods: []string{huge}} }), "Options.Methods[0]"},
		{"more methods than Moneroo has", with(func(r *payments.CreateRequest) {
			r.Options = moneroo.Options{Methods: strings.Split(strings.Repeat("mtn_bj,", 200)+"moov_bj", ",")}
		}), "Options.Methods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			_, err := c.Create(context.Background(), tc.req)
			requireFields(t, err, tc.field)
			assert.Zero(t, m.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

func TestCreateSendsWhatFitsMonerooLimits(t *testing.T) {
	r := validRequest()
	r.Description = strings.Repeat("é", 155) // 310 bytes, 155 characters
	r.Customer.FirstName = strings.Repeat("ï", 100)
	r.Customer.BillingAddress = &payments.Address{Line1: strings.Repeat("a", 100), Line2: strings.Repeat("b", 99), City: strings.Repeat("c", 64)}
	r.Customer.DeliveryAddress = &payments.Address{Line1: strings.Repeat("d", 1000)} // not sent: billing is
	r.Reference = strings.Repeat("r", 149)
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	_, err := c.Create(context.Background(), r)
	require.NoError(t, err)

	r.Description = "" // "Order " + 149 characters: 155
	_, err = c.Create(context.Background(), r)
	require.NoError(t, err)
	assert.Contains(t, string(m.requests()[1].Body), `"description":"Order `+r.Reference+`"`)
}

func TestInitializePaymentChecksTheRequest(t *testing.T) {
	with := func(f func(in *moneroo.InitializeRequest)) *moneroo.InitializeRequest {
		in := initializeRequest()
		f(in)
		return in
	}
	for _, tc := range []struct {
		name   string
		in     *moneroo.InitializeRequest
		fields []string
	}{
		{"empty", &moneroo.InitializeRequest{}, []string{"Currency", "Description", "ReturnURL", "Customer.Email", "Customer.FirstName", "Customer.LastName"}},
		{"no amount", with(func(in *moneroo.InitializeRequest) { in.Amount = "" }), []string{"Amount"}},
		{"a zero amount", with(func(in *moneroo.InitializeRequest) { in.Amount = "0" }), []string{"Amount"}},
		{"a negative amount", with(func(in *moneroo.InitializeRequest) { in.Amount = "-5" }), []string{"Amount"}},
		{"an exponent", with(func(in *moneroo.InitializeRequest) { in.Amount = "5e3" }), []string{"Amount"}},
		{"a fraction of a franc", with(func(in *moneroo.InitializeRequest) { in.Amount = "5000.5" }), []string{"Amount"}},
		{"cents without DecimalAmounts", with(func(in *moneroo.InitializeRequest) { in.Amount, in.Currency = "10.5", "USD" }), []string{"Amount"}},
		{"a currency Moneroo does not take", with(func(in *moneroo.InitializeRequest) { in.Currency = "GBP" }), []string{"Currency"}},
		{"a long description", with(func(in *moneroo.InitializeRequest) { in.Description = strings.Repeat("d", 156) }), []string{"Description"}},
		{"a relative return URL", with(func(in *moneroo.InitializeRequest) { in.ReturnURL = "/return" }), []string{"ReturnURL"}},
		{"a bad email", with(func(in *moneroo.InitializeRequest) { in.Customer.Email = "awa" }), []string{"Customer.Email"}},
		{"a long address", with(func(in *moneroo.InitializeRequest) { in.Customer.Address = strings.Repeat("a", 201) }), []string{"Customer.Address"}},
		{"a long zip", with(func(in *moneroo.InitializeRequest) { in.Customer.Zip = strings.Repeat("9", 101) }), []string{"Customer.Zip"}},
		{"a country name", with(func(in *moneroo.InitializeRequest) { in.Customer.Country = "Benin" }), []string{"Customer.Country"}},
		{"a NUL in metadata", with(func(in *moneroo.InitializeRequest) { in.Metadata["order"] = "\x00" }), []string{`Metadata["order"]`}},
		{"11 metadata entries", with(func(in *moneroo.InitializeRequest) {
			for _, k := range strings.Split("a b c d e f g h i j", " ") {
				in.Metadata[k] = k
			}
		}), []string{"Metadata"}},
		{"a bad method", with(func(in *moneroo.InitializeRequest) { in.Methods = []string{"mtn_bj", "MTN BJ"} }), []string{"Methods[1]"}},
		{"both restrictions", with(func(in *moneroo.InitializeRequest) {
			in.RestrictCountryCode, in.RestrictedPhone = "BJ", &moneroo.RestrictedPhone{Number: "51345780", CountryCode: "BJ"}
		}), []string{"RestrictedPhone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			_, err := c.InitializePayment(context.Background(), tc.in)
			requireFields(t, err, tc.fields...)
			assert.Zero(t, m.GetTotalCallCount(), "nothing may be sent")
		})
	}

	m, c := newMock(t, moneroo.Config{})
	_, err := c.InitializePayment(context.Background(), nil)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.False(t, payments.MaybeSent(err))
	assert.Zero(t, m.GetTotalCallCount(), "nothing may be sent")

	// With DecimalAmounts, cents are sent as they are.
	m, c = newMock(t, moneroo.Config{DecimalAmounts: true})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	out, err := c.InitializePayment(context.Background(), with(func(in *moneroo.InitializeRequest) { in.Amount, in.Currency = "10.5", "USD" }))
	require.NoError(t, err)
	assert.Equal(t, "5f7b1b2c", out.ID)
	assert.Equal(t, fixture(t, "initialize_201.json"), []byte(out.Raw))
	assert.Contains(t, string(m.requests()[0].Body), `"amount":10.5,"currency":"USD"`)
}

func TestAFieldMonerooRefusesIsNamedByItsGoPath(t *testing.T) {
	body := []byte(`{"message":"The given data was invalid.","data":{},"errors":{` +
		`"customer.first_name":["The customer.first_name may not be greater than 100 characters."],` +
		`"customer.city":["The customer.city may not be greater than 100 characters."],` +
		`"currency":["The selected currency is invalid."],` +
		`"methods.1":["The selected methods.1 is invalid."],` +
		`"metadata.cart":["The metadata.cart must be a string."],` +
		`"metadata.unipay_reference":["The metadata.unipay_reference may not be greater than 100 characters."],` +
		`"restricted_phone.number":["The restricted phone.number format is invalid."],` +
		`"unheard_of":["Something else."]}}`)
	fields := func(err error) map[string]string {
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		out := map[string]string{}
		for _, f := range perr.Fields {
			out[f.ProviderField] = f.Field
		}
		return out
	}

	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusUnprocessableEntity, body, nil)
	r := validRequest()
	r.Customer.DeliveryAddress = &payments.Address{City: "Cotonou"}
	r.Options = moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}}
	_, err := c.Create(context.Background(), r)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.True(t, payments.MaybeSent(err), "Moneroo refused it, after receiving it")
	assert.Equal(t, map[string]string{
		"customer.first_name":       "Customer.FirstName",
		"customer.city":             "Customer.DeliveryAddress.City",
		"currency":                  "Amount.Currency",
		"methods.1":                 "Options.Methods[1]",
		"metadata.cart":             `Metadata["cart"]`,
		"metadata.unipay_reference": "Reference",
		"restricted_phone.number":   "Options.RestrictedPhone.Number",
		"unheard_of":                "unheard_of",
	}, fields(err))

	_, err = c.InitializePayment(context.Background(), initializeRequest())
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Equal(t, map[string]string{
		"customer.first_name":       "Customer.FirstName",
		"customer.city":             "Customer.City",
		"currency":                  "Currency",
		"methods.1":                 "Methods[1]",
		"metadata.cart":             `Metadata["cart"]`,
		"metadata.unipay_reference": `Metadata["unipay_reference"]`,
		"restricted_phone.number":   "RestrictedPhone.Number",
		"unheard_of":                "unheard_of",
	}, fields(err))
}

func TestParseReturnRefusesIDsThatCannotBePaymentIDs(t *testing.T) {
	_, c := newMock(t, moneroo.Config{})
	for _, id := range []string{"..", "a/b", "../v1/payouts", "a?b", "é", "k4su\x00", strings.Repeat("a", 129)} {
		for _, name := range []string{"monerooPaymentId", "paymentId"} {
			_, err := c.ParseReturn(url.Values{name: {id}, "paymentStatus": {"success"}})
			perr := requireFields(t, err, name)
			assert.Equal(t, payments.Moneroo, perr.Provider)
		}
	}
	_, err := c.ParseReturn(url.Values{"paymentStatus": {"success"}})
	requireFields(t, err, "paymentId")
	r, err := c.ParseReturn(url.Values{"paymentId": {"k4su1ii7abdz"}, "paymentStatus": {"success"}})
	require.NoError(t, err)
	assert.Equal(t, "k4su1ii7abdz", r.PaymentID)
}

func TestCreateRefusesAnAnswerWithAnIDThatCannotBeOne(t *testing.T) {
	for _, id := range []string{"..", "a/b", "../../v1/payouts/initialize"} {
		body := `{"message":"ok","data":{"id":"` + id + `","checkout_url":"https://checkout.moneroo.io/x"}}`
		m, c := newMock(t, moneroo.Config{})
		m.on(http.MethodPost, initializeURL, http.StatusCreated, []byte(body), nil)
		_, err := c.Create(context.Background(), validRequest())
		require.ErrorIs(t, err, payments.ErrMalformedResponse, id)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, body, string(perr.Raw))
	}
}

func TestPaymentMethodsRefusesAnAnswerWithoutAList(t *testing.T) {
	for name, body := range map[string]string{
		"data null":        `{"message":"ok","data":null}`,
		"no data":          `{"message":"ok"}`,
		"data an object":   `{"message":"ok","data":{}}`,
		"a method no code": `{"message":"ok","data":[{"name":"MTN"}]}`,
		"null":             `null`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodGet, methodsURL, http.StatusOK, []byte(body), nil)
			_, err := c.PaymentMethods(context.Background())
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, string(perr.Raw))
		})
	}
}
