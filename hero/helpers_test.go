package hero_test

import (
	"strconv"
	"sync/atomic"

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
