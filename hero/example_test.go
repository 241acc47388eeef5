package hero_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero/herotest"
)

// The whole flow against the simulator: create a checkout, the customer pays
// and comes back, verify, refund part of it.
func Example() {
	srv := herotest.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	price := payments.Money{Amount: 5000, Currency: "EUR"}

	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:    price,
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/hero/return",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("checkout:", session.Status, strings.HasPrefix(session.RedirectURL, srv.URL+"/checkout/"))

	// The customer pays on Hero's page and comes back to the return URL.
	back, err := srv.Walk(ctx, session, true)
	if err != nil {
		log.Fatal(err)
	}
	ret, err := client.ParseReturn(back.Query())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("back for", ret.Reference)

	// The return proves nothing: ask Hero.
	paid, err := payments.VerifyPaid(ctx, client, session.ID, price)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", paid.Status, paid.Amount)

	refund, err := client.Refund(ctx, payments.RefundRequest{PaymentID: session.ID, Amount: payments.Money{Amount: 2000, Currency: "EUR"}})
	if err != nil {
		log.Fatal(err)
	}
	after, _ := client.Verify(ctx, session.ID)
	fmt.Println("refunded:", refund.Amount, "now", after.Status)

	// Output:
	// checkout: pending true
	// back for order-1042
	// verified: succeeded 50.00 EUR
	// refunded: 20.00 EUR now partially_refunded
}

// Refunding more than remains keeps Hero's own code.
func ExampleClient_Refund() {
	srv := herotest.NewServer()
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()
	session, err := client.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "EUR"}, Reference: "order-7", ReturnURL: "https://shop.example.com/r",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = srv.Pay(session.ID)

	_, err = client.Refund(ctx, payments.RefundRequest{PaymentID: session.ID, Amount: payments.Money{Amount: 9900, Currency: "EUR"}})
	var perr *payments.Error
	if errors.As(err, &perr) {
		fmt.Println(perr.Kind, perr.Code)
	}
	// Output:
	// invalid request INVALID_AMOUNT
}
