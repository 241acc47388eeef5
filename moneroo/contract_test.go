package moneroo_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest/suite"
)

var refs atomic.Int64

// validRequest is a create request Moneroo accepts: XOF, whole units, a
// customer with email, first and last name.
func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 5000, Currency: "XOF"},
		Reference:   "order-" + strconv.FormatInt(refs.Add(1), 10),
		Description: "Two bags of rice",
		ReturnURL:   "https://shop.example.com/return?order=42",
		Customer:    &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Metadata:    map[string]string{"cart": "c-1"},
	}
}

func TestContract(t *testing.T) {
	suite.Contract(t, harness(false))
}

// TestContractRefundByPayout runs the contract with refunds by payout on:
// the suite then refunds in part and in full, as Capabilities say.
func TestContractRefundByPayout(t *testing.T) {
	suite.Contract(t, harness(true))
}

// refundableRequest is validRequest paid with a method that has a payout
// counterpart (the simulator's payer uses the first method allowed).
func refundableRequest() payments.CreateRequest {
	r := validRequest()
	r.Options = moneroo.Options{Methods: []string{"mtn_bj"}}
	return r
}

// harness is the contract's harness on a fresh simulator, refunds by
// payout on or off.
func harness(refunds bool) func(t *testing.T) suite.Harness {
	return func(t *testing.T) suite.Harness {
		srv := monerootest.NewServer()
		t.Cleanup(srv.Close)
		c, err := moneroo.New(moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret,
			RefundByPayout: refunds}, payments.WithBaseURL(srv.URL))
		require.NoError(t, err)
		newRequest := validRequest
		if refunds {
			newRequest = refundableRequest
		}
		with := func(f func(r *payments.CreateRequest)) payments.CreateRequest {
			r := validRequest()
			f(&r)
			return r
		}
		return suite.Harness{
			Checkout:   c,
			NewRequest: newRequest,
			Pay: func(t *testing.T, s *payments.Session) url.Values {
				back, err := srv.Walk(context.Background(), s, true)
				require.NoError(t, err)
				return back.Query()
			},
			Decline: func(t *testing.T, s *payments.Session) url.Values {
				back, err := srv.Walk(context.Background(), s, false)
				require.NoError(t, err)
				return back.Query()
			},
			Requests: srv.Requests,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, b, err := srv.Webhook(id)
				require.NoError(t, err)
				return h, b
			},
			UnknownID: "zzzzzzzzzzzz",
			Invalid: []suite.InvalidCase{
				{Name: "no customer email", Field: "Customer.Email", Request: with(func(r *payments.CreateRequest) { r.Customer.Email = "" })},
				{Name: "no customer first name", Field: "Customer.FirstName", Request: with(func(r *payments.CreateRequest) { r.Customer.FirstName = "" })},
				{Name: "no customer last name", Field: "Customer.LastName", Request: with(func(r *payments.CreateRequest) { r.Customer.LastName = "" })},
				{Name: "no customer", Field: "Customer.Email", Request: with(func(r *payments.CreateRequest) { r.Customer = nil })},
				{Name: "no return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "" })},
				{Name: "10.50 USD", Field: "Amount", Request: with(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 1050, Currency: "USD"} })},
				{Name: "a currency Moneroo does not list", Field: "Amount.Currency", Request: with(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 5000, Currency: "GBP"} })},
				{Name: "both restrictions", Field: "Options.RestrictedPhone", Request: with(func(r *payments.CreateRequest) {
					r.Options = moneroo.Options{RestrictCountryCode: "BJ", RestrictedPhone: &moneroo.RestrictedPhone{Number: "22951345780", CountryCode: "BJ"}}
				})},
				{Name: "restricted phone without number", Field: "Options.RestrictedPhone.Number", Request: with(func(r *payments.CreateRequest) {
					r.Options = &moneroo.Options{RestrictedPhone: &moneroo.RestrictedPhone{CountryCode: "BJ"}}
				})},
				{Name: "a lowercase country", Field: "Options.RestrictCountryCode", Request: with(func(r *payments.CreateRequest) { r.Options = moneroo.Options{RestrictCountryCode: "bj"} })},
				{Name: "a method that is no short code", Field: "Options.Methods[0]", Request: with(func(r *payments.CreateRequest) { r.Options = moneroo.Options{Methods: []string{"MTN Benin"}} })},
				{Name: "the reserved metadata key", Field: "Metadata", Request: with(func(r *payments.CreateRequest) {
					r.Metadata = map[string]string{moneroo.ReferenceMetadataKey: "something else"}
				})},
				{Name: "10 metadata entries, 11 with the reference key", Field: "Metadata", Request: with(func(r *payments.CreateRequest) {
					r.Metadata = map[string]string{}
					for i := range moneroo.MaxMetadataEntries {
						r.Metadata["k"+strconv.Itoa(i)] = "v"
					}
				})},
			},
		}
	}
}
