package helloasso_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
)

// The whole flow against the simulator: open a checkout, send the payer to
// HelloAsso's page, read the return, verify before shipping, refund part.
func Example() {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := helloasso.New(helloasso.Config{
		ClientID:         helloassotest.ClientID,
		ClientSecret:     helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug,
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	price := payments.Money{Amount: 3000, Currency: "EUR"}

	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:      price,
		Reference:   "A42",
		Description: "Adhésion 2025",
		Customer:    &payments.Customer{FirstName: "Jean", LastName: "Dupont", Email: "jean@example.org"},
		ReturnURL:   "https://shop.example.org/helloasso/return",
		Options:     helloasso.Options{ContainsDonation: false},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("send the payer to HelloAsso:", strings.HasPrefix(s.RedirectURL, srv.URL+"/associations/"))

	// The payer pays on the page and comes back to the ReturnURL.
	back, err := srv.Walk(ctx, s, true)
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.ParseReturn(back.Query())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the return claims:", r.ClaimedStatus)

	// Never trust the return: verify, for the right amount.
	p, err := payments.VerifyPaid(ctx, c, r.PaymentID, price)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", p.Status, p.Amount, "for order", p.Reference)

	ref, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}, Reason: "one seat fewer"})
	if err != nil {
		log.Fatal(err)
	}
	p, err = c.Verify(ctx, s.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refunded", ref.Amount, "→", p.Status)
	// Output:
	// send the payer to HelloAsso: true
	// the return claims: succeeded
	// verified: succeeded 30.00 EUR for order A42
	// refunded 10.00 EUR → partially_refunded
}

// Instalments: 30 € now, then 20 € on each of the next two months.
// Amount is the total; the first payment is what the terms leave.
func ExampleOptions_instalments() {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := helloasso.New(helloasso.Config{
		ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug,
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	eur := func(cents int64) payments.Money { return payments.Money{Amount: cents, Currency: "EUR"} }
	next := time.Now().AddDate(0, 1, 0)
	s, err := c.Create(context.Background(), payments.CreateRequest{
		Amount:    eur(7000),
		Reference: "A43",
		ReturnURL: "https://shop.example.org/helloasso/return",
		Options: helloasso.Options{
			ItemName: "Licence 2025-2026",
			Terms:    []helloasso.Term{{Amount: eur(2000), Date: next}, {Amount: eur(2000), Date: next.AddDate(0, 1, 0)}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Pay(s.ID); err != nil {
		log.Fatal(err)
	}
	p, err := payments.VerifyPaid(context.Background(), c, s.ID, eur(7000))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Status, p.Amount)
	// Output: succeeded 70.00 EUR
}

// A bad request is refused before anything is sent, each field named. Payer
// names HelloAsso would refuse are refused too with StrictPayer; by default
// they are left out (see ExampleClient_CreateWithReport).
func ExampleClient_Create_validation() {
	c, err := helloasso.New(helloasso.Config{ClientID: "id", ClientSecret: "secret", OrganizationSlug: "my-association"})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Create(context.Background(), payments.CreateRequest{
		Amount:    payments.Money{Amount: 3000, Currency: "EUR"},
		Reference: "A44",
		ReturnURL: "http://shop.example.org/return",
		Customer:  &payments.Customer{FirstName: "Test", LastName: "Dupont2"},
		Options:   helloasso.Options{ItemName: "Adhésion", StrictPayer: true},
	})
	var perr *payments.Error
	if errors.As(err, &perr) {
		for _, f := range perr.Fields {
			fmt.Println(f.Field)
		}
	}
	// Output:
	// ReturnURL
	// Customer.FirstName
	// Customer.LastName
}

// HelloAsso refuses a checkout whose payer is named "Loïc" or "Jérôme",
// though its payer fields are optional. Create leaves such fields out (the
// payer types them on HelloAsso's page); CreateWithReport says which.
func ExampleClient_CreateWithReport() {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.CreateWithReport(context.Background(), payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   "A45",
		Description: "Adhésion 2025",
		Customer:    &payments.Customer{FirstName: "Loïc", LastName: "Martin", Email: "loic.martin@example.org"},
		ReturnURL:   "https://shop.example.org/helloasso/return",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("checkout opened:", r.Session.ID != "")
	for _, f := range r.LeftOut {
		fmt.Println("left out:", f.Field, "("+f.ProviderField+")")
	}
	// Output:
	// checkout opened: true
	// left out: Customer.FirstName (payer.firstName)
}

// Every notification about a checkout leads to the payment to verify, even a
// Payment notification that does not name the checkout intent.
func ExampleClient_ResolvePaymentID() {
	srv := helloassotest.NewServer()
	defer srv.Close()
	c, err := helloasso.New(helloasso.Config{
		ClientID:         helloassotest.ClientID,
		ClientSecret:     helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug,
		SignatureKey:     helloassotest.SignatureKey,
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:      payments.Money{Amount: 1500, Currency: "EUR"},
		Reference:   "order-117",
		Description: "Cotisation",
		ReturnURL:   "https://shop.example.org/helloasso/return",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Pay(s.ID); err != nil {
		log.Fatal(err)
	}

	// In the handler given to payments.WebhookHandler:
	header, body, err := srv.Notification(s.ID, helloasso.EventPayment)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := c.ParseWebhook(header, body)
	if err != nil {
		log.Fatal(err)
	}
	d, err := helloasso.ReadEvent(ev)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s notification, checkout named: %t, reference %s\n", ev.Type, ev.PaymentID != "", d.Reference)
	id, err := c.ResolvePaymentID(ctx, ev)
	if err != nil {
		log.Fatal(err)
	}
	p, err := c.Verify(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", id == s.ID, p.Status, p.Reference)
	// Output:
	// Payment notification, checkout named: false, reference order-117
	// verified: true succeeded order-117
}
