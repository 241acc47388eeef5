// Command moneroo runs a Moneroo checkout from start to end.
//
// With no environment variables it starts the Moneroo simulator in-process
// and runs the whole flow: create a checkout, show the redirect URL, pay on
// the hosted page with Moneroo's success test number, receive the signed
// webhooks, read the return URL, verify, and refund part of it by a payout
// to the payer (Moneroo has no refund API: moneroo.Config.RefundByPayout).
// It needs no account and no network, and exits 0.
//
//	go run ./examples/moneroo
//
// With a Moneroo sandbox key it talks to Moneroo instead: it creates a
// checkout, prints the URL to open in a browser (pay with the test number
// (414) 951-8161 on the "Test Payment Method"), then verifies every
// MONEROO_POLL until the payment is settled or MONEROO_TIMEOUT passes.
//
//	MONEROO_SECRET_KEY='pvk_sandbox_…|…' go run ./examples/moneroo
//
// Variables, all optional but the key:
//
//	MONEROO_SECRET_KEY      the app's sandbox secret key
//	MONEROO_WEBHOOK_SECRET  the webhook secret typed in the dashboard (unused here, checked by New)
//	MONEROO_AMOUNT          in minor units (default 10000, i.e. 100 USD: Moneroo takes whole units)
//	MONEROO_CURRENCY        default USD, the currency of the sandbox test method
//	MONEROO_RETURN_URL      where Moneroo sends the payer back (default https://example.com/moneroo/return)
//	MONEROO_POLL            how often to verify (default 10s; Moneroo allows 120 requests a minute)
//	MONEROO_TIMEOUT         how long to wait for the payer (default 10m)
//	MONEROO_BASE_URL        another API origin, such as a simulator
package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run runs the flow against the simulator, or against Moneroo when getenv
// gives a secret key, and reports on out.
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	w := &syncWriter{w: out}
	if key := getenv("MONEROO_SECRET_KEY"); key != "" {
		return runSandbox(ctx, w, getenv, key)
	}
	return runSimulated(ctx, w)
}

// syncWriter serialises writes: webhooks are printed from the server's
// goroutine.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) printf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, format+"\n", args...)
}

func runSimulated(ctx context.Context, out *syncWriter) error {
	srv := monerootest.NewServer()
	defer srv.Close()
	out.printf("Moneroo simulator at %s (no MONEROO_SECRET_KEY set)", srv.URL)

	client, err := moneroo.New(moneroo.Config{
		SecretKey:      monerootest.SecretKey,
		WebhookSecret:  monerootest.WebhookSecret,
		RefundByPayout: true, // a refund is a payout to the payer, recorded in a ledger in memory
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}

	// The shop's webhook endpoint: the signature is checked over the raw
	// body, and each event only says which payment to verify.
	hooks := httptest.NewServer(payments.WebhookHandler(client, func(_ context.Context, ev *payments.Event) error {
		out.printf("webhook: %s for %s (claims %s), signature verified", ev.Type, ev.PaymentID, ev.Status)
		return nil
	}))
	defer hooks.Close()
	srv.SetWebhookURL(hooks.URL)

	price := payments.Money{Amount: 5000, Currency: "XOF"}
	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:      price,
		Reference:   "order-1042",
		Description: "Two bags of rice",
		ReturnURL:   "https://shop.example.com/return?order=1042",
		Customer:    &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Options:     moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
	})
	if err != nil {
		return err
	}
	out.printf("created payment %s for %s (%s)", session.ID, price, session.Status)
	out.printf("redirect the customer to %s", session.RedirectURL)

	back, err := srv.WalkWithPhone(ctx, session, monerootest.PhoneSuccess)
	if err != nil {
		return err
	}
	out.printf("the customer paid with (414) 951-8161 and came back to %s", back)

	ret, err := client.ParseReturn(back.Query())
	if err != nil {
		return err
	}
	out.printf("the return URL claims %s; asking Moneroo", ret.ClaimedStatus)

	p, err := payments.VerifyPaid(ctx, client, ret.PaymentID, price)
	if err != nil {
		return err
	}
	out.printf("verified: %s, %s, order %s, paid with %s: ship it", p.Status, p.Amount, p.Reference, p.Method)

	// A partial refund, by a payout to the number the customer paid with.
	// Its payout.* webhooks name the payment.
	r, err := client.Refund(ctx, payments.RefundRequest{PaymentID: p.ID, Amount: payments.Money{Amount: 2000, Currency: "XOF"},
		Reason: "One bag arrived torn"})
	if err != nil {
		return err
	}
	out.printf("refund of %s sent as payout %s (%s)", r.Amount, r.ID, r.Status)
	p, err = client.Verify(ctx, p.ID)
	if err != nil {
		return err
	}
	out.printf("after the refund: %s, %s refunded, %s on its way", p.Status, p.RefundedAmount, p.PendingRefundAmount)
	return nil
}

func runSandbox(ctx context.Context, out *syncWriter, getenv func(string) string, key string) error {
	var opts []payments.Option
	if u := getenv("MONEROO_BASE_URL"); u != "" {
		opts = append(opts, payments.WithBaseURL(u))
	}
	client, err := moneroo.New(moneroo.Config{SecretKey: key, WebhookSecret: getenv("MONEROO_WEBHOOK_SECRET")}, opts...)
	if err != nil {
		return err
	}
	amount, err := intOr(getenv("MONEROO_AMOUNT"), 10000)
	if err != nil {
		return fmt.Errorf("MONEROO_AMOUNT: %w", err)
	}
	poll, err := durationOr(getenv("MONEROO_POLL"), 10*time.Second)
	if err != nil {
		return fmt.Errorf("MONEROO_POLL: %w", err)
	}
	timeout, err := durationOr(getenv("MONEROO_TIMEOUT"), 10*time.Minute)
	if err != nil {
		return fmt.Errorf("MONEROO_TIMEOUT: %w", err)
	}
	price := payments.Money{Amount: amount, Currency: or(getenv("MONEROO_CURRENCY"), "USD")}
	returnURL := or(getenv("MONEROO_RETURN_URL"), "https://example.com/moneroo/return")

	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:      price,
		Reference:   "example-" + strconv.FormatInt(time.Now().Unix(), 10),
		Description: "unipay/payments example",
		ReturnURL:   returnURL,
		Customer:    &payments.Customer{FirstName: "John", LastName: "Doe", Email: "john@example.com"},
	})
	if err != nil {
		return err
	}
	out.printf("created payment %s for %s", session.ID, price)
	out.printf("open %s and pay (sandbox: the Test Payment Method with (414) 951-8161)", session.RedirectURL)

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	last := payments.Status("")
	for {
		p, err := client.Verify(ctx, session.ID)
		switch {
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("payment %s still %s after %s", session.ID, last, timeout)
		case err != nil:
			return err
		}
		if p.Status != last {
			out.printf("status: %s (Moneroo: %s)", p.Status, p.ProviderStatus)
			last = p.Status
		}
		if p.Status.Final() {
			if _, err := payments.VerifyPaid(ctx, client, session.ID, price); err != nil {
				out.printf("not paid: %v", err)
				return nil
			}
			out.printf("verified: %s, %s, paid with %s", p.Status, p.Amount, p.Method)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("payment %s still %s after %s", session.ID, last, timeout)
		case <-time.After(poll):
		}
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intOr(v string, def int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

func durationOr(v string, def time.Duration) (time.Duration, error) {
	if v == "" {
		return def, nil
	}
	return time.ParseDuration(v)
}
