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

// A Fake poses as a provider of the merchant's own: its name, what it
// takes, how its sessions look. The adapters' personas are in their fake
// packages (monerofake, hub2fake, helloassofake, herofake).
func ExampleNewFakeAs() {
	ctx := context.Background()
	fake := paymentstest.NewFakeAs(paymentstest.Persona{
		Provider:     "acme",
		Capabilities: payments.Capabilities{ReturnURL: true, Currencies: []string{"XOF"}},
		Open: func(n int, _ payments.CreateRequest) (payments.Session, paymentstest.Failure) {
			return payments.Session{ID: fmt.Sprintf("acme-%d", n), NextAction: &payments.NextAction{
				Type: payments.NextActionUSSD, Message: "Dial *144#"}}, paymentstest.Failure{}
		},
	})
	order := payments.CreateRequest{
		Amount: payments.Money{Amount: 15000, Currency: "XOF"}, Reference: "order-7", ReturnURL: "https://shop.example.com/return",
	}
	s, _ := fake.Create(ctx, order)
	fmt.Println(s.Provider, s.ID, s.NextAction.Message)

	order.Amount = payments.Money{Amount: 1500, Currency: "EUR"}
	_, err := fake.Create(ctx, order)
	fmt.Println(err)
	_, err = fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	fmt.Println(errors.Is(err, payments.ErrUnsupported))
	// Output:
	// acme acme-1 Dial *144#
	// acme: create checkout: invalid request: Amount.Currency: acme does not take "EUR"; it takes [XOF]
	// true
}
