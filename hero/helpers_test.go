package hero_test

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

var orderSeq atomic.Int64

// customer is a valid Hero customer: a business with a billing address.
func customer() *payments.Customer {
	return &payments.Customer{
		CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000", Reference: "cust_42",
		BillingAddress: &payments.Address{Line1: "10 Something Street", Line2: "2nd door on the left", City: "Paris", ZipCode: "75001", Country: "FR"},
	}
}

func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-" + strconv.FormatInt(orderSeq.Add(1), 10),
		ReturnURL: "https://shop.example.com/hero/return?lang=fr",
		Customer:  customer(),
	}
}

func with(f func(*payments.CreateRequest)) payments.CreateRequest {
	r := validRequest()
	f(&r)
	return r
}

func eur(cents int64) payments.Money { return payments.Money{Amount: cents, Currency: "EUR"} }

// requireHeroError checks that err is a Hero *payments.Error of kind with
// Hero's code, and returns it.
func requireHeroError(t *testing.T, err error, kind payments.Kind, code string) *payments.Error {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.Hero, perr.Provider)
	assert.Equal(t, code, perr.Code)
	return perr
}
