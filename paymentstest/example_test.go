package paymentstest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// A merchant's unit test drives the Fake instead of a provider: create a
// checkout, decide its outcome, and check what the shop's code does.
func ExampleFake() {
	ctx := context.Background()
	fake := paymentstest.NewFake()

	s, _ := fake.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 15000, Currency: "XOF"},
		Reference: "order-7",
		ReturnURL: "https://shop.example.com/return",
	})
	fmt.Println(s.ID, s.RedirectURL)

	_ = fake.Decline(s.ID)
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(p.Status)

	fake.FailNext("Verify", &payments.Error{Kind: payments.ErrUnavailable})
	_, err := fake.Verify(ctx, s.ID)
	fmt.Println(errors.Is(err, payments.ErrUnavailable))

	for _, c := range fake.Calls() {
		fmt.Print(c.Method, " ")
	}
	fmt.Println()
	// Output:
	// fake_pay_1 https://checkout.fake.invalid/pay/fake_pay_1
	// failed
	// true
	// Create Verify Verify
}

// Refunds follow the providers' rules: partial refunds add up, and never
// beyond what was paid.
func ExampleFake_Refund() {
	ctx := context.Background()
	fake := paymentstest.NewFake()
	s, _ := fake.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 3000, Currency: "EUR"}, Reference: "order-8",
		ReturnURL: "https://shop.example.com/return",
	})
	_ = fake.Pay(s.ID)

	r, _ := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}})
	fmt.Println("refunded", r.Amount)
	_, err := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2500, Currency: "EUR"}})
	fmt.Println(err)
	r, _ = fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	fmt.Println("refunded", r.Amount)
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(p.Status, p.RefundedAmount)
	// Output:
	// refunded 10.00 EUR
	// fake: refund: invalid request: cannot refund 25.00 EUR: only 20.00 EUR remains
	// refunded 20.00 EUR
	// refunded 30.00 EUR
}
