package replicas

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
)

// monerooWebhook is a signed Moneroo payment.success delivery about
// payment id, in the shape of Moneroo's docs.
func monerooWebhook(id string) (http.Header, []byte) {
	body := fmt.Appendf(nil, `{"event":"payment.success","data":{"id":%q,"amount":5000,"currency":"XOF","status":"success"}}`, id)
	return paymentstest.SignMoneroo(monerootest.WebhookSecret, body), body
}

// BenchWebhookDelivery measures WebhookHandler over a Moneroo client with
// log, each delivery a new event, and reports the store round trips
// (roundTrips counts them) per delivery: the target is two, a claim and a
// completion. With duplicate, every delivery is of one handled event: the
// target is one, the claim that finds it done.
func BenchWebhookDelivery(b *testing.B, log payments.EventLog, roundTrips func() int64, duplicate bool) {
	sim := monerootest.NewServer()
	b.Cleanup(sim.Close)
	client, err := sim.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	h := payments.WebhookHandler(client, func(context.Context, *payments.Event) error { return nil }, payments.WithEventLog(log))
	run := prefix()
	deliver := func(i int) {
		id := run + "-dup"
		if !duplicate {
			id = fmt.Sprint(run, "-", i)
		}
		header, body := monerooWebhook(id)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks/moneroo", header, body))
		if rec.Code != http.StatusOK {
			b.Fatalf("delivery %d answered %d", i, rec.Code)
		}
	}
	deliver(-1) // loads the scripts or prepares the statements
	b.ReportAllocs()
	b.ResetTimer()
	before := roundTrips()
	for i := 0; i < b.N; i++ {
		deliver(i)
	}
	b.StopTimer()
	b.ReportMetric(float64(roundTrips()-before)/float64(b.N), "roundtrips/op")
}

// BenchAPICall measures a Moneroo Verify against its simulator with limiter
// as the shared rate limiter, under a limit that never makes it wait, and
// reports the store round trips per call: the target is one.
func BenchAPICall(b *testing.B, limiter payments.RateLimiter, roundTrips func() int64) {
	sim := monerootest.NewServer()
	b.Cleanup(sim.Close)
	sim.SetRateLimit(0)
	setup, err := sim.NewClient(payments.WithProviderLimit("requests", 0, time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s, err := setup.Create(ctx, payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "order-bench", ReturnURL: "https://shop.example/return",
		Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	})
	if err != nil {
		b.Fatal(err)
	}
	// A limit of its own for this run, high enough never to wait.
	client, err := sim.NewClient(payments.WithRateLimiter(limiter), payments.WithProviderLimit("requests", 1<<30, time.Second))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := client.Verify(ctx, s.ID); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	before := roundTrips()
	for i := 0; i < b.N; i++ {
		if _, err := client.Verify(ctx, s.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(roundTrips()-before)/float64(b.N), "roundtrips/op")
}

// prefix is a fresh name, so that runs never see each other's events.
func prefix() string { return fmt.Sprint("bench-", time.Now().UnixNano()) }
