package payments_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// Amounts are always in the currency's minor unit: cents for EUR, whole
// francs for XOF.
func ExampleMoney() {
	eur := payments.Money{Amount: 5000, Currency: "EUR"}
	xof := payments.Money{Amount: 5000, Currency: "XOF"}
	fmt.Println(eur)
	fmt.Println(xof)
	// Output:
	// 50.00 EUR
	// 5000 XOF
}

// FromMajor and Major convert to and from whole units, and refuse to round.
func ExampleMoney_Major() {
	m, _ := payments.FromMajor(100, "USD")
	fmt.Println(m.Amount)

	whole, _ := m.Major()
	fmt.Println(whole)

	_, err := payments.Money{Amount: 1050, Currency: "USD"}.Major()
	fmt.Println(errors.Is(err, payments.ErrInvalidRequest))
	// Output:
	// 10000
	// 100
	// true
}

// ParseMajor reads decimal amounts as providers send them, without rounding.
func ExampleParseMajor() {
	m, _ := payments.ParseMajor("10.50", "EUR")
	fmt.Println(m.Amount)
	_, err := payments.ParseMajor("200.5", "XOF")
	fmt.Println(err)
	// Output:
	// 1050
	// invalid request: Amount: 200.5 XOF has more than 0 decimals; refusing to round
}

// VerifyPaid is the call to make before shipping: here against the in-memory
// Fake, where a real shop would pass its provider's client.
func ExampleVerifyPaid() {
	ctx := context.Background()
	var checkout payments.Checkout = paymentstest.NewFake()

	order := payments.Money{Amount: 2500, Currency: "EUR"}
	s, _ := checkout.Create(ctx, payments.CreateRequest{
		Amount: order, Reference: "order-42", ReturnURL: "https://shop.example.com/return",
	})

	_, err := payments.VerifyPaid(ctx, checkout, s.ID, order)
	fmt.Println("before paying:", errors.Is(err, payments.ErrNotPaid))

	checkout.(*paymentstest.Fake).Pay(s.ID) // the customer pays on the hosted page
	p, err := payments.VerifyPaid(ctx, checkout, s.ID, order)
	fmt.Println("after paying:", p.Status, err)
	// Output:
	// before paying: true
	// after paying: succeeded <nil>
}

// Every error is a *payments.Error; its Kind says what to do about it.
func ExampleError() {
	_, err := paymentstest.NewFake().Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 0, Currency: "XOF"}, Reference: "order-42",
		ReturnURL: "https://shop.example.com/return",
	})
	var perr *payments.Error
	if errors.As(err, &perr) && errors.Is(err, payments.ErrInvalidRequest) {
		for _, f := range perr.Fields {
			fmt.Println(f.Field, f.Message)
		}
	}
	// Output:
	// Amount must be positive, got 0
}
