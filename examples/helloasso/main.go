// Command helloasso runs a HelloAsso checkout from start to end.
//
// With no environment variables it starts the HelloAsso simulator
// in-process and runs the whole flow: create a checkout, show the redirect
// URL, pay on the checkout page, receive the signed notifications, read the
// return URL, verify, refund part of the payment and then the rest. It needs
// no account and no network, and exits 0.
//
//	go run ./examples/helloasso
//
// With an organization's sandbox API client (from its back office on
// helloasso-sandbox.com, "Mon compte > Intégrations et API") it talks to
// HelloAsso instead: it creates a checkout, prints the URL to open in a
// browser (pay with one of HelloAsso's sandbox test cards), then verifies
// every HELLOASSO_POLL until the payment is settled or HELLOASSO_TIMEOUT
// passes.
//
//	HELLOASSO_CLIENT_ID=… HELLOASSO_CLIENT_SECRET=… HELLOASSO_ORGANIZATION=my-association go run ./examples/helloasso
//
// Variables, all optional but the first three:
//
//	HELLOASSO_CLIENT_ID          the API client's id
//	HELLOASSO_CLIENT_SECRET      the API client's secret
//	HELLOASSO_ORGANIZATION       the organization's slug, as in its HelloAsso URL
//	HELLOASSO_AMOUNT             in euro cents (default 1000, i.e. 10.00 EUR)
//	HELLOASSO_RETURN_URL         where HelloAsso sends the payer back, https (default https://example.org/helloasso/return)
//	HELLOASSO_POLL               how often to verify (default 5s)
//	HELLOASSO_TIMEOUT            how long to wait for the payer (default 10m; the checkout page lives 15 minutes)
//	HELLOASSO_BASE_URL           another API origin, such as a simulator
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
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run runs the flow against the simulator, or against HelloAsso when getenv
// gives a client id, and reports on out.
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	w := &syncWriter{w: out}
	if getenv("HELLOASSO_CLIENT_ID") != "" {
		return runSandbox(ctx, w, getenv)
	}
	return runSimulated(ctx, w)
}

// syncWriter serialises writes: notifications are printed from the
// webhook server's goroutine.
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
	srv := helloassotest.NewServer()
	defer srv.Close()
	out.printf("HelloAsso simulator at %s (no HELLOASSO_CLIENT_ID set)", srv.URL)

	client, err := helloasso.New(helloasso.Config{
		ClientID:         helloassotest.ClientID,
		ClientSecret:     helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug,
		SignatureKey:     helloassotest.SignatureKey,
	}, payments.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}

	// The association's notification URL: the signature is checked over the
	// raw body, and each notification only says which checkout to verify.
	hooks := httptest.NewServer(payments.WebhookHandler(client, func(_ context.Context, ev *payments.Event) error {
		out.printf("notification: %s for checkout %s (claims %s), signature verified: %t", ev.Type, ev.PaymentID, ev.Status, ev.Verified)
		return nil
	}))
	defer hooks.Close()
	srv.SetWebhookURL(hooks.URL)

	price := payments.Money{Amount: 3000, Currency: "EUR"}
	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:      price,
		Reference:   "adhesion-2025-117",
		Description: "Adhésion 2025",
		ReturnURL:   "https://club.example.org/helloasso/return?type=return",
		Customer: &payments.Customer{
			FirstName: "Jeanne", LastName: "Martin", Email: "jeanne.martin@example.org",
			BillingAddress: &payments.Address{Line1: "4 place du Marché", City: "Lyon", ZipCode: "69002", Country: "FR"},
		},
		Options: helloasso.Options{ContainsDonation: false},
	})
	if err != nil {
		return err
	}
	out.printf("created checkout %s for %s (%s), valid until %s", session.ID, price, session.Status, session.ExpiresAt.Format(time.TimeOnly))
	out.printf("redirect the payer to %s", session.RedirectURL)

	back, err := srv.Walk(ctx, session, true)
	if err != nil {
		return err
	}
	out.printf("the payer paid and came back to %s", back)

	ret, err := client.ParseReturn(back.Query())
	if err != nil {
		return err
	}
	out.printf("the return URL claims %s; asking HelloAsso", ret.ClaimedStatus)

	p, err := payments.VerifyPaid(ctx, client, ret.PaymentID, price)
	if err != nil {
		return err
	}
	out.printf("verified: %s, %s, order %s, paid by %s (HelloAsso state %s): welcome the member", p.Status, p.Amount, p.Reference, p.Method, p.ProviderStatus)

	part := payments.Money{Amount: 1000, Currency: "EUR"}
	r, err := client.Refund(ctx, payments.RefundRequest{PaymentID: p.ID, Amount: part, Reason: "student rate"})
	if err != nil {
		return err
	}
	if p, err = client.Verify(ctx, p.ID); err != nil {
		return err
	}
	out.printf("refunded %s (refund %s, %s): the payment is %s", r.Amount, r.ID, r.Status, p.Status)

	r, err = client.Refund(ctx, payments.RefundRequest{PaymentID: p.ID, Reason: "membership cancelled"})
	if err != nil {
		return err
	}
	if p, err = client.Verify(ctx, p.ID); err != nil {
		return err
	}
	out.printf("refunded the remaining %s: the payment is %s, %s refunded in all", r.Amount, p.Status, p.RefundedAmount)
	return nil
}

func runSandbox(ctx context.Context, out *syncWriter, getenv func(string) string) error {
	var opts []payments.Option
	if u := getenv("HELLOASSO_BASE_URL"); u != "" {
		opts = append(opts, payments.WithBaseURL(u))
	}
	client, err := helloasso.New(helloasso.Config{
		ClientID:         getenv("HELLOASSO_CLIENT_ID"),
		ClientSecret:     getenv("HELLOASSO_CLIENT_SECRET"),
		OrganizationSlug: getenv("HELLOASSO_ORGANIZATION"),
		Environment:      payments.Sandbox,
	}, opts...)
	if err != nil {
		return err
	}
	amount, err := intEnv(getenv, "HELLOASSO_AMOUNT", 1000)
	if err != nil {
		return err
	}
	poll, err := durationEnv(getenv, "HELLOASSO_POLL", 5*time.Second)
	if err != nil {
		return err
	}
	timeout, err := durationEnv(getenv, "HELLOASSO_TIMEOUT", 10*time.Minute)
	if err != nil {
		return err
	}
	returnURL := getenv("HELLOASSO_RETURN_URL")
	if returnURL == "" {
		returnURL = "https://example.org/helloasso/return"
	}

	price := payments.Money{Amount: amount, Currency: "EUR"}
	ref := "example-" + strconv.FormatInt(time.Now().Unix(), 10)
	session, err := client.Create(ctx, payments.CreateRequest{
		Amount:      price,
		Reference:   ref,
		Description: "unipay payments example",
		ReturnURL:   returnURL,
		Options:     helloasso.Options{ContainsDonation: false},
	})
	if err != nil {
		return err
	}
	out.printf("created checkout %s for %s, order %s", session.ID, price, ref)
	out.printf("open this URL in a browser and pay with a sandbox test card (valid until %s):", session.ExpiresAt.Format(time.TimeOnly))
	out.printf("  %s", session.RedirectURL)

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	last, first := payments.StatusPending, true
	stillWaiting := func() error {
		return fmt.Errorf("checkout %s still %s after %s: %w", session.ID, last, timeout, ctx.Err())
	}
	for {
		p, err := client.Verify(ctx, session.ID)
		if err != nil {
			if ctx.Err() != nil {
				return stillWaiting()
			}
			return err
		}
		if p.Status != last || first {
			first = false
			out.printf("checkout %s: %s (HelloAsso state %q)", session.ID, p.Status, p.ProviderStatus)
			last = p.Status
		}
		if p.Status.Final() {
			if _, err := payments.VerifyPaid(ctx, client, session.ID, price); err != nil {
				return err
			}
			out.printf("verified: %s for order %s", p.Amount, p.Reference)
			return nil
		}
		select {
		case <-ctx.Done():
			return stillWaiting()
		case <-tick.C:
		}
	}
}

func intEnv(getenv func(string) string, name string, def int64) (int64, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number of cents", name, v)
	}
	return n, nil
}

func durationEnv(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a duration such as 5s", name, v)
	}
	return d, nil
}
