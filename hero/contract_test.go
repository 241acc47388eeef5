package hero_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/paymentstest/suite"
)

// newSim starts a simulator and a client pointed at it.
func newSim(t *testing.T, opts ...payments.Option) (*herotest.Server, *hero.Client) {
	t.Helper()
	return herotest.Start(t, opts...)
}

// walk presses a button of the payment page, as the customer's browser
// would, and returns the query the browser brings back to the redirect URI.
func walk(t *testing.T, srv *herotest.Server, s *payments.Session, pay bool) url.Values {
	t.Helper()
	loc, err := srv.Walk(context.Background(), s, pay)
	require.NoError(t, err)
	return loc.Query()
}

func TestContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		srv, c := newSim(t)
		return suite.Harness{
			Checkout:   c,
			NewRequest: validRequest,
			Pay:        func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, true) },
			Decline:    func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, false) },
			Requests:   srv.Requests,
			UnknownID:  "payment_doesnotexist0000",
			Invalid: []suite.InvalidCase{
				{Name: "dollars", Field: "Amount.Currency", Request: with(func(r *payments.CreateRequest) { r.Amount.Currency = "USD" })},
				{Name: "no customer", Field: "Customer", Request: with(func(r *payments.CreateRequest) { r.Customer = nil })},
				{Name: "no company", Field: "Customer.CompanyName", Request: with(func(r *payments.CreateRequest) { r.Customer.CompanyName = "" })},
				{Name: "no email", Field: "Customer.Email", Request: with(func(r *payments.CreateRequest) { r.Customer.Email = "" })},
				{Name: "no phone", Field: "Customer.Phone", Request: with(func(r *payments.CreateRequest) { r.Customer.Phone = "" })},
				{Name: "no billing address", Field: "Customer.BillingAddress", Request: with(func(r *payments.CreateRequest) { r.Customer.BillingAddress = nil })},
				{Name: "no zip code", Field: "Customer.BillingAddress.ZipCode", Request: with(func(r *payments.CreateRequest) { r.Customer.BillingAddress.ZipCode = "" })},
				{Name: "delivery without city", Field: "Customer.DeliveryAddress.City", Request: with(func(r *payments.CreateRequest) {
					r.Customer.DeliveryAddress = &payments.Address{Line1: "2 High Street", ZipCode: "75010"}
				})},
				{Name: "no return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "" })},
				{Name: ".localhost return URL", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) { r.ReturnURL = "https://shop.localhost/return" })},
				{Name: ".localhost comeback URL", Field: "Options.ComebackURL", Request: with(func(r *payments.CreateRequest) {
					r.Options = hero.Options{ComebackURL: "http://my.shop.localhost./cart"}
				})},
				{Name: "return URL already has the reference parameter", Field: "ReturnURL", Request: with(func(r *payments.CreateRequest) {
					r.ReturnURL = "https://shop.example.com/return?" + hero.ReturnReferenceParam + "=x"
				})},
				{Name: "amount beyond GraphQL Int", Field: "Amount", Request: with(func(r *payments.CreateRequest) { r.Amount.Amount = 1 << 31 })},
				{Name: "not a payment type", Field: "Options.Type", Request: with(func(r *payments.CreateRequest) { r.Options = &hero.Options{Type: "Pay 3X"} })},
				{Name: "bad SIREN", Field: "Options.Siren", Request: with(func(r *payments.CreateRequest) { r.Options = hero.Options{Siren: "88222138"} })},
			},
		}
	})
}
