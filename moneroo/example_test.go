package moneroo_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

// The whole flow against the simulator: create a checkout, the payer pays on
// the hosted page with Moneroo's success test number, the shop reads the
// return URL and verifies before shipping.
func Example() {
	srv := monerootest.NewServer()
	defer srv.Close()
	client, err := moneroo.New(moneroo.Config{
		SecretKey:     monerootest.SecretKey,
		WebhookSecret: monerootest.WebhookSecret,
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	price := payments.Money{Amount: 5000, Currency: "XOF"}

	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:    price,
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/return",
		Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Options:   moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", session.Status)

	// The payer pays on the hosted page (with the success test number it
	// suggests); the browser comes back with Moneroo's parameters.
	back, err := srv.Walk(ctx, session, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	ret, err := client.ParseReturn(back.Query())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("the return URL claims:", ret.ClaimedStatus)

	// Never trust the return URL: ask Moneroo.
	p, err := payments.VerifyPaid(ctx, client, ret.PaymentID, price)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verified:", p.Status, p.Amount, "for", p.Reference, "via", p.Method)

	_, err = client.Refund(ctx, payments.RefundRequest{PaymentID: p.ID})
	fmt.Println("refund unsupported:", errors.Is(err, payments.ErrUnsupported))
	// Output:
	// created: pending
	// the return URL claims: succeeded
	// verified: succeeded 5000 XOF for order-1042 via mtn_bj
	// refund unsupported: true
}

// Moneroo takes whole major units: amounts with cents are refused before
// anything is sent, never rounded.
func ExampleClient_Create_wholeUnits() {
	client, _ := moneroo.New(moneroo.Config{SecretKey: "pvk_example|01HEXAMPLE"})
	_, err := client.Create(context.Background(), payments.CreateRequest{
		Amount:    payments.Money{Amount: 1050, Currency: "USD"}, // 10.50 USD
		Reference: "order-7",
		ReturnURL: "https://shop.example.com/return",
		Customer:  &payments.Customer{FirstName: "John", LastName: "Doe", Email: "john@example.com"},
	})
	var perr *payments.Error
	if errors.As(err, &perr) {
		for _, f := range perr.Fields {
			fmt.Println(f)
		}
	}
	// Output:
	// Amount: 10.50 USD: Moneroo documents whole USD units only, and the library never rounds (Config.DecimalAmounts sends decimals, once Moneroo has confirmed it charges them exactly)
}

// ParseReturn reads either edition's parameter names; the status is only a
// claim.
func ExampleClient_ParseReturn() {
	client, _ := moneroo.New(moneroo.Config{SecretKey: "pvk_example|01HEXAMPLE"})
	q, _ := url.ParseQuery("order=42&monerooPaymentId=k4su1ii7abdz&monerooPaymentStatus=success")
	r, _ := client.ParseReturn(q)
	fmt.Println(r.PaymentID, r.ClaimedStatus)
	// Output:
	// k4su1ii7abdz succeeded
}
