// Command hero runs a Hero checkout from start to end.
//
// With no environment variables it starts Hero's simulator (hero/herotest)
// in-process and runs the whole flow: create a checkout, show the payment
// page's URL, pay on that page, come back, verify, refund part of the
// payment, then the rest. It needs no account and no network.
//
//	go run ./examples/hero
//
// With HERO_API_KEY set it talks to Hero's staging system instead: it creates
// a checkout, prints the payment page's URL for you to open (Hero's staging
// test card is 4010 0617 0000 0021, 12/26, CVV 123), then verifies the
// payment every few seconds until it is paid, failed, or the time is up.
//
//	HERO_API_KEY=…            the staging API key (required for staging)
//	HERO_ENV=production       use production instead (real money)
//	HERO_RETURN_URL=…         where Hero sends the customer back (default https://example.com/hero/return)
//	HERO_TIMEOUT=15m          how long to wait for the payment
//	HERO_POLL_INTERVAL=5s     how often to verify
//	HERO_BASE_URL=…           another API origin (a simulator)
//	HERO_PAYMENT_PAGE_URL=…   another payment page origin
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run runs the simulated flow, or the live one when HERO_API_KEY is set.
func run(ctx context.Context, w io.Writer, getenv func(string) string) error {
	if getenv("HERO_API_KEY") != "" {
		return runLive(ctx, w, getenv)
	}
	return runSimulated(ctx, w)
}

// order is what the demo sells: 50.00 EUR to a French company.
func order(reference, returnURL string) payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: reference,
		ReturnURL: returnURL,
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000", Reference: "cust_42",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001", Country: "FR"},
		},
	}
}

func runSimulated(ctx context.Context, w io.Writer) error {
	srv := herotest.NewServer()
	defer srv.Close()
	fmt.Fprintln(w, "Hero simulator at", srv.URL)
	client, err := srv.NewClient()
	if err != nil {
		return err
	}

	req := order("order-1042", "https://shop.example.com/hero/return")
	session, err := client.Create(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "created payment %s for %s: %s\n", session.ID, req.Reference, session.Status)
	fmt.Fprintln(w, "payment page:", session.RedirectURL)

	// The customer presses Pay on the payment page; the page sends the
	// browser back to the return URL.
	back, err := srv.Walk(ctx, session, true)
	if err != nil {
		return err
	}
	ret, err := client.ParseReturn(back.Query())
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "customer came back to", back, "for order", ret.Reference)

	// The return proves nothing: ask Hero, and ship only on success.
	paid, err := payments.VerifyPaid(ctx, client, session.ID, req.Amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "verified: %s, %s\n", paid.Status, paid.Amount)

	part := payments.Money{Amount: 2000, Currency: "EUR"}
	if _, err := client.Refund(ctx, payments.RefundRequest{PaymentID: session.ID, Amount: part, Reason: "one item returned"}); err != nil {
		return err
	}
	p, err := client.Verify(ctx, session.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "refunded %s: %s, %s refunded\n", part, p.Status, p.RefundedAmount)

	rest, err := client.Refund(ctx, payments.RefundRequest{PaymentID: session.ID, Reason: "order cancelled"})
	if err != nil {
		return err
	}
	p, err = client.Verify(ctx, session.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "refunded the rest, %s: %s\n", rest.Amount, p.Status)
	return nil
}

func runLive(ctx context.Context, w io.Writer, getenv func(string) string) error {
	cfg := hero.Config{APIKey: getenv("HERO_API_KEY"), PaymentPageURL: getenv("HERO_PAYMENT_PAGE_URL")}
	switch env := getenv("HERO_ENV"); env {
	case "", "staging", "sandbox":
	case "production":
		cfg.Environment = payments.Production
	default:
		return fmt.Errorf("HERO_ENV=%q: use staging or production", env)
	}
	var opts []payments.Option
	if base := getenv("HERO_BASE_URL"); base != "" {
		opts = append(opts, payments.WithBaseURL(base))
	}
	timeout, err := duration(getenv, "HERO_TIMEOUT", 15*time.Minute)
	if err != nil {
		return err
	}
	every, err := duration(getenv, "HERO_POLL_INTERVAL", 5*time.Second)
	if err != nil {
		return err
	}
	returnURL := getenv("HERO_RETURN_URL")
	if returnURL == "" {
		returnURL = "https://example.com/hero/return"
	}
	client, err := hero.New(cfg, opts...)
	if err != nil {
		return err
	}

	req := order("demo-"+time.Now().UTC().Format("20060102T150405"), returnURL)
	session, err := client.Create(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "created payment %s for %s (%s, %s)\n", session.ID, req.Reference, req.Amount, cfg.Environment)
	fmt.Fprintln(w, "open the payment page:", session.RedirectURL)

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := payments.Status("")
	for {
		p, err := client.Verify(ctx, session.ID)
		switch {
		case err != nil && ctx.Err() == nil:
			fmt.Fprintln(w, "verify failed, trying again:", err)
		case err == nil && p.Status != last:
			last = p.Status
			fmt.Fprintf(w, "status: %s (%s)\n", p.Status, p.ProviderStatus)
		}
		if err == nil && p.Status.Final() {
			if p.Status != payments.StatusSucceeded {
				return fmt.Errorf("payment %s is %s", session.ID, p.Status)
			}
			fmt.Fprintf(w, "paid: %s\n", p.Amount)
			return nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("payment %s not paid after %s (last status %s)", session.ID, timeout, last)
			}
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func duration(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration such as 5s", name, v)
	}
	return d, nil
}
