package hub2fake_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2fake"
)

// A merchant's unit test hands the posed Fake to code written for Hub2's
// direct flow: the session asks for an OTP, as Orange's does at Hub2, and
// the code the customer enters goes to Authenticate, as on a hub2.Client.
func ExampleNew() {
	ctx := context.Background()
	fake := hub2fake.New()
	s, err := fake.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-1042",
		ReturnURL: "https://shop.example.com/return",
		Options:   hub2.Options{Country: "CI", Provider: "orange", MSISDN: "0700000000"},
	})
	fmt.Println(s.Provider, s.Status, s.NextAction.Type, err)

	pi, err := fake.Authenticate(ctx, s.ID, s.ClientToken, "1234")
	fmt.Println(pi.Status, err)
	p, _ := payments.VerifyPaid(ctx, fake, s.ID, payments.Money{Amount: 5000, Currency: "XOF"})
	fmt.Println(p.Status, p.ProviderStatus, p.Method)

	_, err = fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	fmt.Println(errors.Is(err, payments.ErrUnsupported))
	// Output:
	// hub2 action_required otp <nil>
	// successful <nil>
	// succeeded successful orange_ci
	// true
}

// Wave sends the customer to its page: RedirectURL is set, and the query
// the customer brings back is the one hub2.Client.ParseReturn reads.
func ExampleNew_wave() {
	ctx := context.Background()
	fake := hub2fake.New()
	s, _ := fake.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-1043",
		ReturnURL: "https://shop.example.com/return",
		Options:   hub2.Options{Country: "SN", Provider: "wave", MSISDN: "771234567"},
	})
	fmt.Println(s.NextAction.Type, s.RedirectURL)

	_ = fake.Pay(s.ID)
	ret, _ := fake.ParseReturn(fake.ReturnQuery(s.ID))
	fmt.Println(ret.PaymentID, ret.ClaimedStatus)
	// Output:
	// redirect https://pay.hub2.fake.invalid/checkout/pi_fake00000000000000001
	// pi_fake00000000000000001 succeeded
}

// With refunds by transfer on, as the shop's hub2.Config has them, the Fake
// refunds given the payer's number and name, as a hub2.Client would.
func ExampleNewFor() {
	ctx := context.Background()
	fake := hub2fake.NewFor(hub2.Config{RefundByTransfer: true})
	s, _ := fake.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-1044",
		Options:   hub2.Options{Country: "CI", Provider: "mtn", MSISDN: "0700000000"},
	})
	_ = fake.Pay(s.ID)

	_, err := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	fmt.Println(errors.Is(err, payments.ErrInvalidRequest))
	r, err := fake.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2000, Currency: "XOF"},
		Options: hub2.RefundOptions{MSISDN: "0700000000", RecipientName: "Awa Diallo"}})
	fmt.Println(r.Amount, r.Status, err)
	p, _ := fake.Verify(ctx, s.ID)
	fmt.Println(p.Status, p.RefundedAmount)
	// Output:
	// true
	// 2000 XOF succeeded <nil>
	// partially_refunded 2000 XOF
}
