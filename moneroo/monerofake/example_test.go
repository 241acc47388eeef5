package monerofake_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerofake"
)

// A merchant's unit test hands the posed Fake to code written for Moneroo:
// Moneroo's options are taken, another provider's refused; the webhook is
// Moneroo's, which the real adapter accepts; refunds are unsupported, as at
// Moneroo.
func ExampleNew() {
	ctx := context.Background()
	fake := monerofake.New()
	order := payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/return",
		Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Options:   moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
	}
	s, err := fake.Create(ctx, order)
	fmt.Println(s.Provider, s.ID, s.RedirectURL, err)

	wrong := order
	wrong.Options = hub2.Options{Country: "CI"}
	_, err = fake.Create(ctx, wrong)
	fmt.Println(errors.Is(err, payments.ErrInvalidRequest))

	_ = fake.Pay(s.ID)
	header, body, _ := fake.Webhook(s.ID)
	client, _ := moneroo.New(moneroo.Config{SecretKey: "pvk_test", WebhookSecret: monerofake.WebhookSecret})
	ev, err := client.ParseWebhook(header, body)
	fmt.Println(ev.Type, ev.PaymentID, ev.Status, err)

	_, err = fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	fmt.Println(errors.Is(err, payments.ErrUnsupported))
	// Output:
	// moneroo fk0000000001 https://checkout.moneroo.io/fk0000000001 <nil>
	// true
	// payment.success fk0000000001 succeeded <nil>
	// true
}

// A Fake posing as a client with refunds by payout refunds in part, as the
// client does, and refuses to refund a card payment: Moneroo cannot pay a
// card back.
func ExampleNewWith() {
	ctx := context.Background()
	fake := monerofake.NewWith(moneroo.Config{RefundByPayout: true})
	order := payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/return",
		Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Options:   moneroo.Options{Methods: []string{"wave_sn"}},
	}
	s, _ := fake.Create(ctx, order)
	_ = fake.Pay(s.ID)
	r, err := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2000, Currency: "XOF"}})
	fmt.Println(r.Amount, r.Status, err)
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(p.Status, p.RefundedAmount)

	order.Options = moneroo.Options{Methods: []string{"card_xof"}}
	card, _ := fake.Create(ctx, order)
	_ = fake.Pay(card.ID)
	_, err = fake.Refund(ctx, payments.RefundRequest{PaymentID: card.ID})
	fmt.Println(errors.Is(err, payments.ErrUnsupported))
	// Output:
	// 2000 XOF pending <nil>
	// partially_refunded 2000 XOF
	// true
}
