package helloasso_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest/suite"
)

// newSim starts a simulator and a client pointed at it.
func newSim(t *testing.T, opts ...payments.Option) (*helloassotest.Server, *helloasso.Client) {
	t.Helper()
	return helloassotest.Start(t, append([]payments.Option{payments.WithRetries(0)}, opts...)...)
}

var refs atomic.Int64

// validRequest is a create request HelloAsso accepts, with a fresh Reference.
func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   fmt.Sprintf("A%d", refs.Add(1)),
		Description: "Adhésion 2025",
		Customer: &payments.Customer{
			FirstName: "Jean", LastName: "Dupont", Email: "jean.dupont@example.org",
			DateOfBirth:    time.Date(1986, 7, 6, 0, 0, 0, 0, time.UTC),
			BillingAddress: &payments.Address{Line1: "23 rue du Palmier", City: "Paris", ZipCode: "75000", Country: "FR"},
		},
		ReturnURL: "https://shop.example.org/helloasso/return?ref=A42",
		Metadata:  map[string]string{"cart": "c-981"},
		Options:   helloasso.Options{ContainsDonation: false},
	}
}

func with(r payments.CreateRequest, f func(*payments.CreateRequest)) payments.CreateRequest {
	f(&r)
	return r
}

// walk submits the checkout page as the payer's browser would and returns
// the query it brings back to the ReturnURL.
func walk(t *testing.T, srv *helloassotest.Server, s *payments.Session, pay bool) url.Values {
	t.Helper()
	back, err := srv.Walk(context.Background(), s, pay)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(back.String(), "https://shop.example.org/helloasso/return?"), back.String())
	return back.Query()
}

func TestContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		srv, c := newSim(t)
		return suite.Harness{
			// HelloAsso's spec says the intent shows its order only once a
			// payment is authorised: a refused card leaves the checkout open
			// for another (see
			// TestADeclinedCheckoutReadsPendingUntilTheReturnIsVerified).
			DeclineStaysOpen: true,
			Checkout:         c,
			NewRequest:       validRequest,
			Pay:              func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, true) },
			Decline:          func(t *testing.T, s *payments.Session) url.Values { return walk(t, srv, s, false) },
			Requests:         srv.Requests,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, body, err := srv.Notification(id, helloasso.EventOrder)
				require.NoError(t, err)
				return h, body
			},
			UnknownID: "999999999",
			Invalid:   invalidCases(),
		}
	})
}

// invalidCases are requests HelloAsso refuses, each with the field the
// refusal must name; none may reach the API.
func invalidCases() []suite.InvalidCase {
	r := validRequest
	// strict asks for the refusal of payer fields HelloAsso would refuse,
	// which are left out by default.
	strict := func() payments.CreateRequest {
		return with(r(), func(r *payments.CreateRequest) { r.Options = helloasso.Options{StrictPayer: true} })
	}
	tomorrow := time.Now().AddDate(0, 0, 1)
	eur := func(n int64) payments.Money { return payments.Money{Amount: n, Currency: "EUR"} }
	return []suite.InvalidCase{
		{Name: "dollars", Field: "Amount.Currency", Request: with(r(), func(r *payments.CreateRequest) { r.Amount.Currency = "USD" })},
		{Name: "http return URL", Field: "ReturnURL", Request: with(r(), func(r *payments.CreateRequest) { r.ReturnURL = "http://shop.example.org/return" })},
		{Name: "http error URL", Field: "ErrorURL", Request: with(r(), func(r *payments.CreateRequest) { r.ErrorURL = "http://shop.example.org/error" })},
		{Name: "http back URL", Field: "CancelURL", Request: with(r(), func(r *payments.CreateRequest) { r.CancelURL = "http://shop.example.org/cart" })},
		{Name: "no return URL", Field: "ReturnURL", Request: with(r(), func(r *payments.CreateRequest) { r.ReturnURL = "" })},
		{Name: "return URL using code", Field: "ReturnURL", Request: with(r(), func(r *payments.CreateRequest) { r.ReturnURL = "https://shop.example.org/r?code=1" })},
		{Name: "first name with a digit, strict", Field: "Customer.FirstName", Request: with(strict(), func(r *payments.CreateRequest) { r.Customer.FirstName = "Jean2" })},
		{Name: "placeholder last name, strict", Field: "Customer.LastName", Request: with(strict(), func(r *payments.CreateRequest) { r.Customer.LastName = "Test" })},
		{Name: "first equals last, strict", Field: "Customer.LastName", Request: with(strict(), func(r *payments.CreateRequest) { r.Customer.LastName = "jean" })},
		{Name: "minor payer, strict", Field: "Customer.DateOfBirth", Request: with(strict(), func(r *payments.CreateRequest) { r.Customer.DateOfBirth = time.Now().AddDate(-17, 0, 0) })},
		{Name: "unknown country, strict", Field: "Customer.BillingAddress.Country", Request: with(strict(), func(r *payments.CreateRequest) { r.Customer.BillingAddress.Country = "XX" })},
		{Name: "item name with a control character", Field: "Options.ItemName", Request: with(r(), func(r *payments.CreateRequest) { r.Options = helloasso.Options{ItemName: "Adhésion\x1b[2J"} })},
		{Name: "no item name", Field: "Options.ItemName", Request: with(r(), func(r *payments.CreateRequest) { r.Description = "" })},
		{Name: "inconsistent terms", Field: "Options.InitialAmount", Request: with(r(), func(r *payments.CreateRequest) {
			r.Options = helloasso.Options{InitialAmount: eur(1000), Terms: []helloasso.Term{{Amount: eur(1000), Date: tomorrow}}}
		})},
		{Name: "term in the past", Field: "Options.Terms[0].Date", Request: with(r(), func(r *payments.CreateRequest) {
			r.Options = helloasso.Options{Terms: []helloasso.Term{{Amount: eur(1000), Date: time.Now().AddDate(0, 0, -1)}}}
		})},
		{Name: "reserved metadata key", Field: "Metadata", Request: with(r(), func(r *payments.CreateRequest) { r.Metadata = map[string]string{"reference": "other"} })},
	}
}
