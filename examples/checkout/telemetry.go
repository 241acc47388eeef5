package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/unipay/payments"
	paymentsotel "github.com/unipay/payments/otel"
)

// The demo's traces and metrics, off unless asked for:
//
//   - PAYMENTS_OTEL=stdout prints them on standard output (spans as they
//     end, metrics every minute or OTEL_METRIC_EXPORT_INTERVAL ms, and when
//     the shop stops);
//   - OTEL_EXPORTER_OTLP_ENDPOINT (or its _TRACES_ and _METRICS_ variants)
//     sends them over OTLP/HTTP, with the exporters' other standard
//     variables (OTEL_EXPORTER_OTLP_HEADERS…).
//
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the service
// ("payments-demo-shop" by default).

// observer reports the providers' calls and webhook deliveries; nil when
// telemetry is off. run sets it before the providers are built.
var observer payments.Observer

// clientOptions are the options every provider's client gets.
func clientOptions(logger *slog.Logger) []payments.Option {
	opts := []payments.Option{payments.WithLogger(logger)}
	if observer != nil {
		opts = append(opts, payments.WithObserver(observer))
	}
	return opts
}

// webhookOptions are the options every webhook handler gets.
func webhookOptions(logger *slog.Logger) []payments.HandlerOption {
	opts := []payments.HandlerOption{payments.WithHandlerLogger(logger)}
	if observer != nil {
		opts = append(opts, payments.WithWebhookObserver(observer))
	}
	return opts
}

// telemetry is the demo's OpenTelemetry set-up.
type telemetry struct {
	observer *paymentsotel.Observer
	tracer   trace.Tracer
	shutdown func(context.Context) error
}

// newTelemetry sets up the exporters the environment asks for, stdout
// writing to out. It returns nil when none is asked for.
func newTelemetry(ctx context.Context, getenv func(string) string, out io.Writer) (*telemetry, error) {
	var spans []sdktrace.TracerProviderOption
	var readers []metric.Option
	if strings.EqualFold(getenv("PAYMENTS_OTEL"), "stdout") {
		se, err := stdouttrace.New(stdouttrace.WithWriter(out), stdouttrace.WithPrettyPrint())
		if err != nil {
			return nil, err
		}
		me, err := stdoutmetric.New(stdoutmetric.WithWriter(out), stdoutmetric.WithPrettyPrint())
		if err != nil {
			return nil, err
		}
		// Each span as it ends: the demo is for watching.
		spans = append(spans, sdktrace.WithSyncer(se))
		readers = append(readers, metric.WithReader(metric.NewPeriodicReader(me)))
	}
	if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
		se, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, err
		}
		spans = append(spans, sdktrace.WithBatcher(se))
	}
	if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") != "" {
		me, err := otlpmetrichttp.New(ctx)
		if err != nil {
			return nil, err
		}
		readers = append(readers, metric.WithReader(metric.NewPeriodicReader(me)))
	}
	if len(spans) == 0 && len(readers) == 0 {
		return nil, nil
	}
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName("payments-demo-shop")),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(append(spans, sdktrace.WithResource(res))...)
	mp := metric.NewMeterProvider(append(readers, metric.WithResource(res))...)
	obs, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(mp))
	if err != nil {
		return nil, err
	}
	return &telemetry{
		observer: obs,
		tracer:   tp.Tracer("github.com/unipay/payments/examples/checkout"),
		shutdown: func(ctx context.Context) error { return errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx)) },
	}, nil
}

// handler wraps the shop's routes in a server span per request, named after
// the route ("POST /orders/{id}/verify"), so that the provider calls a page
// makes are one trace.
func (t *telemetry) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := t.tracer.Start(r.Context(), r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method)))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(ctx)
		next.ServeHTTP(sw, r)
		// The mux has named the route by now; never the raw path, whose ids
		// would make every order its own span name.
		if r.Pattern != "" {
			route := r.Pattern[strings.IndexByte(r.Pattern, ' ')+1:]
			span.SetName(r.Method + " " + route)
			span.SetAttributes(semconv.HTTPRoute(route))
		}
		span.SetAttributes(semconv.HTTPResponseStatusCode(sw.status))
		if sw.status >= 500 {
			span.SetStatus(codes.Error, "")
		}
	})
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
