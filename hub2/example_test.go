package hub2_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
)

// The direct flow with an OTP: the customer picks Orange and gives a number,
// the shop shows Hub2's instruction, collects the code, and verifies.
func Example() {
	ctx := context.Background()
	srv := hub2test.NewServer()
	defer srv.Close()
	client, err := hub2.New(hub2.Config{APIKey: hub2test.APIKey, MerchantID: hub2test.MerchantID}, payments.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}

	price := payments.Money{Amount: 5000, Currency: "XOF"}
	s, err := client.Create(ctx, payments.CreateRequest{
		Amount:    price,
		Reference: "order-1042",
		Customer:  &payments.Customer{Reference: "customer-7"},
		Options:   hub2.Options{Country: "CI", Provider: "orange", MSISDN: hub2test.TestMSISDN},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Status, s.NextAction.Type)
	fmt.Println(s.NextAction.Message)

	// The customer typed the code; the token stays on the server.
	if _, err := client.Authenticate(ctx, s.ID, s.ClientToken, "1234"); err != nil {
		panic(err)
	}
	p, err := payments.VerifyPaid(ctx, client, s.ID, price)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Status, p.Amount, p.Method)
	// Output:
	// action_required otp
	// Mode Sandbox. Entrez un numéro à 4 chiffres pour authentifier le paiement.
	// succeeded 5000 XOF orange_ci
}

// With USSD the customer confirms on the handset; WaitForFinal polls, within
// Hub2's rate limits, until the outcome is settled.
func ExampleClient_WaitForFinal() {
	ctx := context.Background()
	srv := hub2test.NewServer()
	defer srv.Close()
	client, _ := hub2.New(hub2.Config{APIKey: hub2test.APIKey, MerchantID: hub2test.MerchantID}, payments.WithBaseURL(srv.URL))

	s, err := client.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 2500, Currency: "XOF"},
		Reference: "order-1043",
		Options:   hub2.Options{Country: "CI", Provider: "mtn", MSISDN: hub2test.TestMSISDN},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.NextAction.Type)

	_ = srv.Decline(s.ID) // the customer refuses on the handset
	p, err := client.WaitForFinal(ctx, s.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Status, p.FailureCode)
	// Output:
	// ussd
	// failed canceled_by_customer
}

// Webhooks: WebhookHandler checks Hub2-Signature with the configured secrets
// and hands over the event; its status is a hint, so verify.
func ExampleClient_ParseWebhook() {
	ctx := context.Background()
	srv := hub2test.NewServer()
	defer srv.Close()
	client, _ := hub2.New(hub2.Config{
		APIKey: hub2test.APIKey, MerchantID: hub2test.MerchantID,
		WebhookSecrets: []string{hub2test.WebhookSecret},
	}, payments.WithBaseURL(srv.URL))

	done := make(chan string, 10)
	hook := httptest.NewServer(payments.WebhookHandler(client, func(ctx context.Context, ev *payments.Event) error {
		if ev.Type == "payment_intent.succeeded" {
			p, err := client.Verify(ctx, ev.PaymentID)
			if err != nil {
				return err // 500: Hub2 delivers again
			}
			done <- ev.Type + " → " + string(p.Status)
		}
		return nil
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)

	s, _ := client.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "order-1044",
		Options: hub2.Options{Country: "CI", Provider: "orange", MSISDN: hub2test.TestMSISDN, OTP: "0000"},
	})
	fmt.Println(s.Status)
	fmt.Println(<-done)

	// A delivery signed with another secret is refused.
	_, err := client.ParseWebhook(http.Header{"Hub2-Signature": {"s1=00"}}, []byte(`{}`))
	fmt.Println(err)
	// Output:
	// succeeded
	// payment_intent.succeeded → succeeded
	// hub2: parse webhook: invalid signature: the Hub2-Signature header is missing or matches no configured secret
}
