package paymentsotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/benchkit"
	"github.com/unipay/payments/moneroo"
	paymentsotel "github.com/unipay/payments/otel"
)

// verifyAnswer is Moneroo's verify answer, as its docs show it.
const verifyAnswer = `{"message":"Payment transaction fetched successfully!","data":{"id":"k4su1ii7abdz","status":"success",` +
	`"is_processed":false,"processed_at":null,"amount":200,"amount_formatted":"XOF 200","currency":{"code":"XOF","name":"CFA Franc BCEAO",` +
	`"symbol":"XOF","decimals":0},"description":"Payment for order #124","return_url":"https://shop.example.com/return",` +
	`"environment":"sandbox","initiated_at":"2024-01-31T14:46:13.000000Z","metadata":{"order_id":"124","customer_id":"124"},` +
	`"customer":{"id":"tzowl42roc7z","first_name":"John","last_name":"Doe","email":"john@example.com","phone":null},` +
	`"created_at":"2024-01-31T14:46:13.000000Z"},"errors":null}`

// discard is a span exporter that drops every span: the SDK's whole cost
// (sampling, recording, batching) without an exporter's.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// The benchmarks report the process's CPU time per call (cpu-ns/op) beside
// wall time: the machines they run on are shared, and wall time swings with
// the others' load; CPU time also counts the SDK's batching goroutine and the
// garbage collector, which run beside the call.

// BenchmarkVerify is one Moneroo Verify against a local server that always
// gives the same answer: without an observer, with the Observer over
// OpenTelemetry's no-op API (this package's own cost), and with the
// Observer over the SDK, every span sampled and batched to an exporter that
// drops it, and every metric aggregated.
func BenchmarkVerify(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(verifyAnswer))
	}))
	defer srv.Close()

	noop, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tracenoop.NewTracerProvider()),
		paymentsotel.WithMeterProvider(metricnoop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
	defer tp.Shutdown(context.Background())
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	sdk, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(mp))
	if err != nil {
		b.Fatal(err)
	}

	for _, bc := range []struct {
		name string
		opts []payments.Option
	}{
		{"observer=none", nil},
		{"observer=otel-noop", []payments.Option{payments.WithObserver(noop)}},
		{"observer=otel-sdk", []payments.Option{payments.WithObserver(sdk)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// No rate limit, so that the benchmark measures the call.
			opts := append([]payments.Option{payments.WithBaseURL(srv.URL), payments.WithProviderLimit("requests", 0, time.Minute)}, bc.opts...)
			c, err := moneroo.New(moneroo.Config{SecretKey: "sk_test_bench"}, opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			defer benchkit.CPU(b)()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Verify(ctx, "k4su1ii7abdz"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkObserverAlone is what the Observer adds to one call of one
// attempt, without the call: the spans and metrics of an operation and its
// attempt, over the no-op API and over the SDK as in BenchmarkVerify.
func BenchmarkObserverAlone(b *testing.B) {
	op := payments.Operation{Provider: payments.Moneroo, Name: "verify payment", Method: "GET",
		Route: "/v1/payments/{paymentId}/verify", Host: "api.moneroo.io"}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
	defer tp.Shutdown(context.Background())
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	for _, bc := range []struct {
		name string
		opts []paymentsotel.Option
	}{
		{"otel-noop", []paymentsotel.Option{paymentsotel.WithTracerProvider(tracenoop.NewTracerProvider()),
			paymentsotel.WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"otel-sdk", []paymentsotel.Option{paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(mp)}},
		{"otel-sdk-traces", []paymentsotel.Option{paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"otel-sdk-metrics", []paymentsotel.Option{paymentsotel.WithTracerProvider(tracenoop.NewTracerProvider()), paymentsotel.WithMeterProvider(mp)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			obs, err := paymentsotel.NewObserver(bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			defer benchkit.CPU(b)()
			b.ReportAllocs()
			for b.Loop() {
				octx, endOp := obs.StartOperation(ctx, op)
				_, endAttempt := obs.StartAttempt(octx, payments.Attempt{Operation: op})
				endAttempt(payments.AttemptEnd{StatusCode: 200, Duration: 90 * time.Microsecond, RateLimitWait: time.Microsecond})
				endOp(payments.OperationEnd{Attempts: 1, StatusCode: 200, Duration: 95 * time.Microsecond, RateLimitWait: time.Microsecond})
			}
		})
	}
	// The floor: the SDK's own cost for two spans, parent and child, with
	// no attribute and no metric.
	b.Run("sdk-bare-spans", func(b *testing.B) {
		tracer := tp.Tracer("bench")
		ctx := context.Background()
		defer benchkit.CPU(b)()
		b.ReportAllocs()
		for b.Loop() {
			octx, parent := tracer.Start(ctx, "operation")
			_, child := tracer.Start(octx, "attempt")
			child.End()
			parent.End()
		}
	})
}
