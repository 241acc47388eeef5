package herofake_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herofake"
)

// A merchant's unit test hands the posed Fake to code written for Hero: a
// customer without a phone is refused, as by the adapter; the return URL
// names the order, not the payment; Verify reads as Hero's
// getPaymentsInfos; refunds may be partial.
func ExampleNew() {
	ctx := context.Background()
	fake := herofake.New()
	order := payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/hero/return",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001"},
		},
		Options: hero.Options{Type: hero.Pay3X},
	}
	noPhone := order
	noPhone.Customer = &payments.Customer{CompanyName: "Super Corp", Email: "laura@example.com", BillingAddress: order.Customer.BillingAddress}
	_, err := fake.Create(ctx, noPhone)
	var perr *payments.Error
	fmt.Println(errors.As(err, &perr), perr.Fields[0].Field)

	s, _ := fake.Create(ctx, order)
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(s.RedirectURL, p.Status, p.ProviderStatus)

	_ = fake.Pay(s.ID)
	ret, _ := fake.ParseReturn(fake.ReturnQuery(s.ID))
	fmt.Println(ret.Reference)

	r, _ := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1500, Currency: "EUR"}})
	p, _ = fake.Verify(ctx, s.ID)
	fmt.Println(r.Amount, p.Status, p.RefundedAmount)
	// Output:
	// true Customer.Phone
	// https://staging.pay.heropay.eu/checkout/payment_fake0000000000000001 pending isSuccess=false error=PAYMENT_NOT_INITIATED
	// order-1042
	// 15.00 EUR partially_refunded 15.00 EUR
}
