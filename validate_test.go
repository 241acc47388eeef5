package payments_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-42",
		ReturnURL: "https://shop.example.com/return",
		Customer: &payments.Customer{
			FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com", Phone: "+22507000000",
			BillingAddress: &payments.Address{Country: "CI"},
		},
	}
}

func fields(fe payments.FieldErrors) []string {
	out := make([]string, len(fe))
	for i, f := range fe {
		out[i] = f.Field
	}
	return out
}

func TestValidateAcceptsAGoodRequest(t *testing.T) {
	assert.Empty(t, validRequest().Validate())
}

func TestValidateNamesEachBadField(t *testing.T) {
	cases := map[string]func(*payments.CreateRequest){
		"Amount.Amount":                    func(r *payments.CreateRequest) { r.Amount.Amount = 0 },
		"Amount.Currency":                  func(r *payments.CreateRequest) { r.Amount.Currency = "EURO" },
		"Reference":                        func(r *payments.CreateRequest) { r.Reference = "  " },
		"ReturnURL":                        func(r *payments.CreateRequest) { r.ReturnURL = "shop.example.com/return" },
		"CancelURL":                        func(r *payments.CreateRequest) { r.CancelURL = "javascript:alert(1)" },
		"ErrorURL":                         func(r *payments.CreateRequest) { r.ErrorURL = "ftp://x.example.com" },
		"Customer.Email":                   func(r *payments.CreateRequest) { r.Customer.Email = "Awa <awa@example.com>" },
		"Customer.Phone":                   func(r *payments.CreateRequest) { r.Customer.Phone = "0700000000" },
		"Customer.DateOfBirth":             func(r *payments.CreateRequest) { r.Customer.DateOfBirth = time.Now().Add(48 * time.Hour) },
		"Customer.BillingAddress.Country":  func(r *payments.CreateRequest) { r.Customer.BillingAddress.Country = "CIV" },
		"Customer.DeliveryAddress.Country": func(r *payments.CreateRequest) { r.Customer.DeliveryAddress = &payments.Address{Country: "ci"} },
		"Metadata":                         func(r *payments.CreateRequest) { r.Metadata = map[string]string{"": "x"} },
	}
	for field, mutate := range cases {
		t.Run(field, func(t *testing.T) {
			r := validRequest()
			mutate(&r)
			fe := r.Validate()
			assert.Equal(t, []string{field}, fields(fe))
			err := fe.Err(payments.Hub2, "create checkout")
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, payments.Hub2, perr.Provider)
			assert.Contains(t, err.Error(), field)
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	fe := payments.CreateRequest{}.Validate()
	assert.ElementsMatch(t, []string{"Amount.Currency", "Reference"}, fields(fe))
	assert.NoError(t, payments.FieldErrors(nil).Err(payments.Hub2, "x"))
}

func TestRefundRequestValidate(t *testing.T) {
	assert.Empty(t, payments.RefundRequest{PaymentID: "p1"}.Validate(), "zero amount means a full refund")
	assert.Equal(t, []string{"PaymentID"}, fields(payments.RefundRequest{}.Validate()))
	assert.Equal(t, []string{"Amount.Amount"}, fields(payments.RefundRequest{PaymentID: "p", Amount: payments.Money{Amount: -1, Currency: "EUR"}}.Validate()))
}

func TestCheckers(t *testing.T) {
	assert.True(t, payments.ValidEmail("a.b+c@example.co"))
	for _, bad := range []string{"", "a@b", "@example.com", "a@example.com.", "a b@example.com", "a@example.com, b@example.com"} {
		assert.False(t, payments.ValidEmail(bad), bad)
	}
	assert.True(t, payments.ValidE164("+2250700000000"))
	for _, bad := range []string{"+0123456789", "2250700000000", "+225 07 00", "+1234567", "+1234567890123456"} {
		assert.False(t, payments.ValidE164(bad), bad)
	}
	assert.Empty(t, payments.CheckURL("http://shop.example.com/x", false))
	assert.NotEmpty(t, payments.CheckURL("http://shop.example.com/x", true))
	assert.Empty(t, payments.CheckURL("https://shop.example.com/x?a=1", true))
}

func TestOptionsAs(t *testing.T) {
	type mine struct{ Plan string }
	type theirs struct{ Plan string }
	var fe payments.FieldErrors
	assert.Equal(t, mine{"a"}, payments.OptionsAs[mine](mine{"a"}, &fe))
	assert.Equal(t, mine{"b"}, payments.OptionsAs[mine](&mine{"b"}, &fe))
	assert.Equal(t, mine{}, payments.OptionsAs[mine](nil, &fe))
	assert.Equal(t, mine{}, payments.OptionsAs[mine]((*mine)(nil), &fe))
	assert.Empty(t, fe)
	assert.Equal(t, mine{}, payments.OptionsAs[mine](theirs{"c"}, &fe))
	assert.Equal(t, []string{"Options"}, fields(fe))
	assert.Contains(t, fe[0].Message, "payments_test.theirs are not payments_test.mine")
}
