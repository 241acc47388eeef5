package helloassofake_test

import (
	"context"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassofake"
)

// A merchant's unit test hands the posed Fake to code written for
// HelloAsso (the README's snippet passes helloasso.Options): a refused card
// leaves the checkout open, as at HelloAsso, while the return URL says
// refused; once paid, the notification is HelloAsso's, which the real
// adapter reads; refunds may be partial.
func ExampleNew() {
	ctx := context.Background()
	fake := helloassofake.New()
	s, err := fake.Create(ctx, payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   "A42",
		Description: "Adhésion 2025",
		ReturnURL:   "https://shop.example.org/helloasso/return",
		Options:     helloasso.Options{ContainsDonation: false},
	})
	fmt.Println(s.Provider, s.ID, err)

	_ = fake.Decline(s.ID)
	ret, _ := fake.ParseReturn(fake.ReturnQuery(s.ID))
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(ret.ClaimedStatus, p.Status)

	_ = fake.Pay(s.ID)
	header, body, _ := fake.Webhook(s.ID)
	client, _ := helloasso.New(helloasso.Config{ClientID: "id", ClientSecret: "secret",
		OrganizationSlug: "my-association", SignatureKey: helloassofake.WebhookSecret})
	ev, err := client.ParseWebhook(header, body)
	fmt.Println(ev.Type, ev.PaymentID, ev.Reference, ev.Status, ev.Verified, err)

	r, _ := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}})
	p, _ = fake.Verify(ctx, s.ID)
	fmt.Println(r.Amount, p.Status, p.ProviderStatus)
	// Output:
	// helloasso 300001 <nil>
	// failed pending
	// Order 300001 A42 succeeded true <nil>
	// 10.00 EUR partially_refunded Authorized
}
