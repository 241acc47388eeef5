// Command hub2 runs Hub2's direct mobile-money flow end to end.
//
// With no environment variables it starts the Hub2 simulator in-process and
// walks the three flows (an OTP with Orange, a USSD confirmation with MTN, a
// redirection with Wave), with signed webhooks, then shows that Hub2 has no
// refunds, and refunds in part by transfer with a client that has them on
// (hub2.Config.RefundByTransfer), settled by the transfer's webhook:
//
//	go run ./examples/hub2
//
// With sandbox credentials it talks to Hub2 instead: it creates an intent,
// attempts the payment when a provider and a number are given, shows what the
// customer must do (reading an OTP from stdin), and waits for the outcome:
//
//	HUB2_API_KEY=… HUB2_MERCHANT_ID=… HUB2_PROVIDER=orange HUB2_MSISDN=0700000000 go run ./examples/hub2
//
// Other variables: HUB2_ENVIRONMENT (sandbox, or live), HUB2_COUNTRY (CI),
// HUB2_AMOUNT (whole francs, 200), HUB2_CURRENCY (XOF), HUB2_OTP (for
// providers taking the code with the attempt), HUB2_RETURN_URL, HUB2_TIMEOUT
// (3m), HUB2_BASE_URL (another origin, such as a simulator).
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
)

func main() {
	ctx := context.Background()
	if err := run(ctx, os.Stdout, os.Getenv, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run is the program; main gives it the process's output, environment and
// input, tests their own.
func run(ctx context.Context, w io.Writer, getenv func(string) string, stdin io.Reader) error {
	out := &lockedWriter{w: w}
	if getenv("HUB2_API_KEY") == "" {
		return simulated(ctx, out)
	}
	return sandbox(ctx, out, getenv, stdin)
}

// simulated runs the three flows against the in-process simulator.
func simulated(ctx context.Context, out *lockedWriter) error {
	srv := hub2test.NewServer()
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		return err
	}
	// The same account, with refunds by transfer on.
	cfg := srv.Config()
	cfg.RefundByTransfer = true
	refunder, err := hub2.New(cfg, payments.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}
	hook := httptest.NewServer(payments.WebhookHandler(refunder, func(ctx context.Context, ev *payments.Event) error {
		// A refund's transfer webhook settles it in the ledger; an
		// error makes Hub2 deliver it again.
		e, err := refunder.SettleTransferEvent(ctx, ev)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(ev.Type, "payment_intent."):
			out.printf("  webhook %s (%s)\n", ev.Type, ev.Status)
		case e != nil:
			out.printf("  webhook %s: refund of %s %s\n", ev.Type, e.PaymentID, e.State)
		}
		return nil
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)
	out.printf("Hub2 simulator at %s\n", srv.URL)

	order := func(n int, provider string) payments.CreateRequest {
		return payments.CreateRequest{
			Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
			Reference: "order-" + strconv.Itoa(n),
			Customer:  &payments.Customer{Reference: "customer-7"},
			ReturnURL: "https://shop.example.com/return?order=" + strconv.Itoa(n),
			Options:   hub2.Options{Country: hub2test.Country, Provider: provider, MSISDN: hub2test.TestMSISDN},
		}
	}

	out.printf("\n== OTP (Orange, Côte d'Ivoire)\n")
	s, err := create(ctx, out, client, order(1, hub2test.ProviderOTP))
	if err != nil {
		return err
	}
	out.printf("the customer types 1234\n")
	if _, err := client.Authenticate(ctx, s.ID, s.ClientToken, "1234"); err != nil {
		return err
	}
	if err := verify(ctx, out, client, s.ID, 5000); err != nil {
		return err
	}

	out.printf("\n== USSD (MTN, Côte d'Ivoire)\n")
	if s, err = create(ctx, out, client, order(2, hub2test.ProviderUSSD)); err != nil {
		return err
	}
	out.printf("the customer confirms on the handset\n")
	if _, err := srv.Walk(ctx, s, true); err != nil {
		return err
	}
	p, err := client.WaitForFinal(ctx, s.ID)
	if err != nil {
		return err
	}
	out.printf("waited: %s\n", p.Status)
	if err := verify(ctx, out, client, s.ID, 5000); err != nil {
		return err
	}

	out.printf("\n== Redirection (Wave, Côte d'Ivoire)\n")
	if s, err = create(ctx, out, client, order(3, hub2test.ProviderRedirect)); err != nil {
		return err
	}
	out.printf("the customer pays on the page\n")
	back, err := srv.Walk(ctx, s, true)
	if err != nil {
		return err
	}
	out.printf("back at %s\n", back)
	r, err := client.ParseReturn(back.Query())
	if err != nil {
		return err
	}
	if err := verify(ctx, out, client, r.PaymentID, 5000); err != nil {
		return err
	}

	out.printf("\n== Refund\n")
	_, err = client.Refund(ctx, payments.RefundRequest{PaymentID: r.PaymentID})
	if !errors.Is(err, payments.ErrUnsupported) {
		return fmt.Errorf("refund: want ErrUnsupported, got %v", err)
	}
	out.printf("%v\n", err)

	out.printf("\n== Refund by transfer\n")
	ref, err := refunder.Refund(ctx, payments.RefundRequest{PaymentID: r.PaymentID,
		Amount: payments.Money{Amount: 2000, Currency: "XOF"}, Reason: "one item out of stock",
		// Hub2's intent keeps neither the number nor a name: the shop does.
		Options: hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "Awa Diallo"}})
	if err != nil {
		return err
	}
	out.printf("transfer %s: %s %s\n", ref.ID, ref.Amount, ref.Status)
	out.printf("Hub2 delivers the transfer\n")
	if err := srv.SettleTransfer(ref.ID); err != nil {
		return err
	}
	p, err = refunder.Verify(ctx, r.PaymentID)
	if err != nil {
		return err
	}
	out.printf("verified: %s, %s refunded, %s on its way\n", p.Status, p.RefundedAmount, p.PendingRefundAmount)
	return nil
}

// create opens a checkout and says what the customer must do.
func create(ctx context.Context, out *lockedWriter, client *hub2.Client, req payments.CreateRequest) (*payments.Session, error) {
	s, err := client.Create(ctx, req)
	if err != nil {
		return s, err
	}
	out.printf("created %s: %s\n", s.ID, s.Status)
	switch {
	case s.NextAction == nil && s.ClientToken != "" && s.Status == payments.StatusPending:
		out.printf("no attempt yet: your payment page attempts it with the client token (a secret, not printed)\n")
	case s.NextAction == nil:
	case s.NextAction.Type == payments.NextActionRedirect:
		out.printf("redirect the customer to %s\n", s.RedirectURL)
	default:
		out.printf("next action %s: %s\n", s.NextAction.Type, s.NextAction.Message)
	}
	return s, nil
}

// verify checks the payment as a shop does before shipping.
func verify(ctx context.Context, out *lockedWriter, client *hub2.Client, id string, amount int64) error {
	p, err := payments.VerifyPaid(ctx, client, id, payments.Money{Amount: amount, Currency: "XOF"})
	if err != nil {
		return err
	}
	out.printf("verified: %s %s by %s\n", p.Status, p.Amount, p.Method)
	return nil
}

// sandbox talks to Hub2 with the credentials in the environment.
func sandbox(ctx context.Context, out *lockedWriter, getenv func(string) string, stdin io.Reader) error {
	env := payments.Sandbox
	if getenv("HUB2_ENVIRONMENT") == "live" {
		env = payments.Production
	}
	var opts []payments.Option
	if u := getenv("HUB2_BASE_URL"); u != "" {
		opts = append(opts, payments.WithBaseURL(u))
	}
	client, err := hub2.New(hub2.Config{APIKey: getenv("HUB2_API_KEY"), MerchantID: getenv("HUB2_MERCHANT_ID"), Environment: env}, opts...)
	if err != nil {
		return err
	}
	amount, err := strconv.ParseInt(or(getenv("HUB2_AMOUNT"), "200"), 10, 64)
	if err != nil {
		return fmt.Errorf("HUB2_AMOUNT: %w", err)
	}
	timeout, err := time.ParseDuration(or(getenv("HUB2_TIMEOUT"), "3m"))
	if err != nil {
		return fmt.Errorf("HUB2_TIMEOUT: %w", err)
	}
	req := payments.CreateRequest{
		Amount:    payments.Money{Amount: amount, Currency: or(getenv("HUB2_CURRENCY"), "XOF")},
		Reference: "example-" + strconv.FormatInt(time.Now().Unix(), 10),
		Customer:  &payments.Customer{Reference: "example-customer"},
		ReturnURL: or(getenv("HUB2_RETURN_URL"), "https://example.com/return"),
	}
	if getenv("HUB2_PROVIDER") != "" || getenv("HUB2_MSISDN") != "" {
		req.Options = hub2.Options{Country: or(getenv("HUB2_COUNTRY"), "CI"), Provider: getenv("HUB2_PROVIDER"),
			MSISDN: getenv("HUB2_MSISDN"), OTP: getenv("HUB2_OTP")}
	}
	out.printf("Hub2 %s\n", env)
	s, err := create(ctx, out, client, req)
	if err != nil {
		return err
	}
	if s.NextAction != nil && s.NextAction.Type == payments.NextActionOTP {
		out.printf("OTP: ")
		code, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && code == "" {
			return fmt.Errorf("reading the OTP: %w", err)
		}
		pi, err := client.Authenticate(ctx, s.ID, s.ClientToken, strings.TrimSpace(code))
		if err != nil {
			return err
		}
		out.printf("authenticated: %s\n", pi.Status)
	}
	if s.Status == payments.StatusPending {
		return nil // nothing to wait for until the customer's page attempts
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out.printf("waiting up to %s for the outcome…\n", timeout)
	p, err := client.WaitForFinal(ctx, s.ID)
	if err != nil {
		return err
	}
	out.printf("outcome: %s (Hub2: %s) %s %s\n", p.Status, p.ProviderStatus, p.Amount, p.FailureCode)
	return nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// lockedWriter serializes the program's and the webhook handler's output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
