package hub2_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest/suite"
)

// newSim starts a simulator and a client pointed at it.
func newSim(t *testing.T, opts ...payments.Option) (*hub2.Client, *hub2test.Server) {
	t.Helper()
	srv, c := hub2test.Start(t, opts...)
	return c, srv
}

var orderSeq atomic.Int64

// order returns a valid request for 5000 XOF paid through provider in CI.
func order(provider string) payments.CreateRequest {
	n := orderSeq.Add(1)
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: fmt.Sprintf("order-%d", n),
		ReturnURL: fmt.Sprintf("https://shop.example.com/return?order=%d", n),
		Customer:  &payments.Customer{Reference: "customer_42"},
		Options:   hub2.Options{Country: hub2test.Country, Provider: provider, MSISDN: hub2test.TestMSISDN},
	}
}

// walk plays the customer on the provider's page of a redirection flow
// (Pay, or Decline) and returns the query the browser brings back.
func walk(t *testing.T, srv *hub2test.Server, s *payments.Session, pay bool) url.Values {
	t.Helper()
	require.NotEmpty(t, s.RedirectURL, "a redirection flow has a page")
	back, err := srv.Walk(context.Background(), s, pay)
	require.NoError(t, err)
	require.NotNil(t, back, "the page sends the browser back")
	return back.Query()
}

func TestContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		c, srv := newSim(t)
		bad := func(f func(r *payments.CreateRequest)) payments.CreateRequest {
			r := order(hub2test.ProviderRedirect)
			f(&r)
			return r
		}
		return suite.Harness{
			Checkout:   c,
			NewRequest: func() payments.CreateRequest { return order(hub2test.ProviderRedirect) },
			Pay:        func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, true) },
			Decline:    func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, false) },
			Requests:   srv.Requests,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, b, err := srv.Event(id)
				require.NoError(t, err)
				return h, b
			},
			UnknownID: "pi_000000000000000000000",
			Invalid: []suite.InvalidCase{
				{Name: "reference with a slash", Field: "Reference", Request: bad(func(r *payments.CreateRequest) { r.Reference = "order/1" })},
				{Name: "customer reference with a hash", Field: "Customer.Reference", Request: bad(func(r *payments.CreateRequest) { r.Customer.Reference = "cust#1" })},
				{Name: "euros", Field: "Amount.Currency", Request: bad(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 5000, Currency: "EUR"} })},
				{Name: "XAF in Côte d'Ivoire", Field: "Amount.Currency", Request: bad(func(r *payments.CreateRequest) { r.Amount.Currency = "XAF" })},
				{Name: "below the minimum", Field: "Amount", Request: bad(func(r *payments.CreateRequest) { r.Amount.Amount = 99 })},
				{Name: "above the maximum", Field: "Amount", Request: bad(func(r *payments.CreateRequest) { r.Amount.Amount = 1_500_001 })},
				{Name: "not a multiple of 5 in Senegal", Field: "Amount", Request: bad(func(r *payments.CreateRequest) {
					r.Options = hub2.Options{Country: "SN", Provider: "orange", MSISDN: "771234567"}
					r.Amount.Amount = 5001
				})},
				{Name: "Wave in Benin", Field: "Options.Provider", Request: bad(func(r *payments.CreateRequest) {
					r.Options = hub2.Options{Country: "BJ", Provider: "wave", MSISDN: "97000000"}
				})},
				{Name: "international number", Field: "Options.MSISDN", Request: bad(func(r *payments.CreateRequest) {
					r.Options = hub2.Options{Country: "CI", Provider: "orange", MSISDN: "+2250700000000"}
				})},
				{Name: "no provider", Field: "Options.Provider", Request: bad(func(r *payments.CreateRequest) {
					r.Options = hub2.Options{Country: "CI", MSISDN: hub2test.TestMSISDN}
				})},
				{Name: "unknown country", Field: "Options.Country", Request: bad(func(r *payments.CreateRequest) {
					r.Options = hub2.Options{Country: "FR", Provider: "orange", MSISDN: hub2test.TestMSISDN}
				})},
			},
		}
	})
}
