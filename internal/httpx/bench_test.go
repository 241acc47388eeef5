package httpx

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/benchkit"
)

// payment is a typical verify answer, as Moneroo documents it.
const benchPayment = `{"message":"Payment transaction fetched successfully!","data":{"id":"k4su1ii7abdz","status":"success",` +
	`"is_processed":false,"processed_at":null,"amount":200,"amount_formatted":"XOF 200","currency":{"code":"XOF","name":"CFA Franc BCEAO",` +
	`"symbol":"XOF","decimals":0},"description":"Payment for order #124","return_url":"https://shop.example.com/return",` +
	`"environment":"sandbox","initiated_at":"2024-01-31T14:46:13.000000Z","metadata":{"order_id":"124","customer_id":"124"},` +
	`"customer":{"id":"tzowl42roc7z","first_name":"John","last_name":"Doe","email":"john@example.com","phone":null},` +
	`"created_at":"2024-01-31T14:46:13.000000Z"},"errors":null}`

type benchOut struct {
	Data struct {
		ID       string            `json:"id"`
		Status   string            `json:"status"`
		Amount   json.Number       `json:"amount"`
		Metadata map[string]string `json:"metadata"`
	} `json:"data"`
}

// BenchmarkHTTPX compares one JSON GET through httpx (auth, User-Agent,
// timeout, retry bookkeeping, body cap, decode) with the same GET through
// plain net/http and encoding/json (with http.Client.Timeout, the careful
// client's timeout), against one local server.
func BenchmarkHTTPX(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(benchPayment))
	}))
	defer srv.Close()
	ctx := context.Background()

	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		hc := &http.Client{Timeout: payments.DefaultTimeout}
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/payments/k4su1ii7abdz/verify", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer sk_test_key")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out benchOut
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err != nil || out.Data.ID == "" {
				b.Fatal(err)
			}
		}
	})

	// httpx without an observer, then with one that does nothing: the cost
	// of the observer hook itself (the otel module measures its Observer).
	for _, bc := range []struct {
		name string
		opts []payments.Option
	}{
		{"library", nil},
		{"library+observer", []payments.Option{payments.WithObserver(nopObserver{})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer benchkit.CPU(b)()
			c, err := New(Config{Provider: payments.Moneroo, BaseURL: srv.URL, Settings: NewSettings(bc.opts...), Auth: BearerAuth("sk_test_key")})
			if err != nil {
				b.Fatal(err)
			}
			req := &Request{Op: "verify payment", Method: http.MethodGet, Path: "/v1/payments/k4su1ii7abdz/verify",
				Route: "/v1/payments/{paymentId}/verify"}
			b.ReportAllocs()
			for b.Loop() {
				var out benchOut
				if _, err := c.Do(ctx, req, &out); err != nil || out.Data.ID == "" {
					b.Fatal(err)
				}
			}
		})
	}
}

// nopObserver is told everything and does nothing.
type nopObserver struct{}

func (nopObserver) StartOperation(ctx context.Context, _ payments.Operation) (context.Context, func(payments.OperationEnd)) {
	return ctx, func(payments.OperationEnd) {}
}

func (nopObserver) StartAttempt(ctx context.Context, _ payments.Attempt) (context.Context, func(payments.AttemptEnd)) {
	return ctx, func(payments.AttemptEnd) {}
}

func (nopObserver) WebhookDelivery(context.Context, payments.WebhookDelivery) {}

// canned answers every request with benchPayment, in memory.
type canned struct{}

func (canned) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(benchPayment)), Request: r}, nil
}

// BenchmarkObserverHook is BenchmarkHTTPX's call over an in-memory
// transport, so that the observer hook's share of httpx's own work shows:
// with no observer, then with one that does nothing.
func BenchmarkObserverHook(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		opts []payments.Option
	}{
		{"observer=nil", nil},
		{"observer=nop", []payments.Option{payments.WithObserver(nopObserver{})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer benchkit.CPU(b)()
			opts := append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: canned{}})}, bc.opts...)
			c, err := New(Config{Provider: payments.Moneroo, BaseURL: "https://api.moneroo.io", Settings: NewSettings(opts...),
				Auth: BearerAuth("sk_test_key")})
			if err != nil {
				b.Fatal(err)
			}
			req := &Request{Op: "verify payment", Method: http.MethodGet, Path: "/v1/payments/k4su1ii7abdz/verify",
				Route: "/v1/payments/{paymentId}/verify"}
			b.ReportAllocs()
			for b.Loop() {
				var out benchOut
				if _, err := c.Do(ctx, req, &out); err != nil || out.Data.ID == "" {
					b.Fatal(err)
				}
			}
		})
	}
}
