package paymentsotel

import (
	"context"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/unipay/payments"
)

// ScopeName is the instrumentation scope of the tracer and meter the
// Observer uses.
const ScopeName = "github.com/unipay/payments/otel"

// minSpanWait is the shortest rate-limit wait a span shows: asking an
// in-memory limiter for a turn takes microseconds even when there is no
// wait. The metric records every wait.
const minSpanWait = time.Millisecond

// Option configures an Observer.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider makes the Observer create its spans with tp instead
// of the global TracerProvider (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option { return func(c *config) { c.tp = tp } }

// WithMeterProvider makes the Observer record its metrics with mp instead of
// the global MeterProvider (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option { return func(c *config) { c.mp = mp } }

// Observer is a payments.Observer that records spans and metrics (see the
// package documentation). Give it to clients with payments.WithObserver and
// to webhook handlers with payments.WithWebhookObserver. It is safe for
// concurrent use; make one and share it.
type Observer struct {
	tracer trace.Tracer
	m      instruments
	ops    operations
}

var _ payments.Observer = (*Observer)(nil)

// NewObserver returns an Observer that uses the global TracerProvider and
// MeterProvider unless options name others. It fails only when the
// MeterProvider refuses one of its instruments.
func NewObserver(opts ...Option) (*Observer, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	o := &Observer{tracer: c.tp.Tracer(ScopeName,
		trace.WithInstrumentationVersion(payments.Version), trace.WithSchemaURL(semconv.SchemaURL))}
	meter := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(payments.Version), metric.WithSchemaURL(semconv.SchemaURL))
	if err := o.m.init(meter); err != nil {
		return nil, err
	}
	return o, nil
}

// StartOperation implements payments.Observer: it starts the operation's
// span, child of the span in ctx, and returns ctx with it.
func (o *Observer) StartOperation(ctx context.Context, op payments.Operation) (context.Context, func(payments.OperationEnd)) {
	info := o.ops.get(op)
	ctx, span := o.tracer.Start(ctx, info.opSpan, info.opStart...)
	return ctx, func(e payments.OperationEnd) { o.operationEnded(ctx, info, span, e) }
}

// operationEnded records the end of the operation info that span traces.
func (o *Observer) operationEnded(ctx context.Context, info *opInfo, span trace.Span, e payments.OperationEnd) {
	end := info.opEnd(e.Kind)
	o.m.operationEnded(ctx, end, e)
	if !span.IsRecording() {
		return
	}
	attrs := end.spanAttrs(e.Attempts)
	if e.RetryWait > 0 || e.RateLimitWait >= minSpanWait {
		// The cached attributes are clipped: this appends to a copy.
		if e.RetryWait > 0 {
			attrs = append(attrs, keyRetryWait.Float64(e.RetryWait.Seconds()))
		}
		if e.RateLimitWait >= minSpanWait {
			attrs = append(attrs, keyRateLimitWait.Float64(e.RateLimitWait.Seconds()))
		}
	}
	if e.Kind != "" {
		span.SetStatus(codes.Error, string(e.Kind))
	}
	span.SetAttributes(attrs...)
	span.End()
}

// StartAttempt implements payments.Observer: it starts the attempt's span,
// child of the operation's (which is in ctx), and returns ctx with it.
func (o *Observer) StartAttempt(ctx context.Context, a payments.Attempt) (context.Context, func(payments.AttemptEnd)) {
	info := o.ops.get(a.Operation)
	opts := info.attemptStart
	if a.Number > 0 || a.RetryWait > 0 {
		// A resend: its count and the wait before it are known at its start.
		attrs := make([]attribute.KeyValue, 0, len(info.attemptAttrs)+2)
		attrs = append(attrs, info.attemptAttrs...)
		if a.Number > 0 {
			attrs = append(attrs, semconv.HTTPRequestResendCount(a.Number))
		}
		if a.RetryWait > 0 {
			attrs = append(attrs, keyRetryWait.Float64(a.RetryWait.Seconds()))
		}
		opts = []trace.SpanStartOption{opts[0], trace.WithAttributes(attrs...)}
	}
	ctx, span := o.tracer.Start(ctx, info.attemptSpan, opts...)
	resend := a.Number > 0
	return ctx, func(e payments.AttemptEnd) { o.attemptEnded(ctx, info, span, resend, e) }
}

// attemptEnded records the end of an attempt of the operation info, which
// span traces; resend tells whether it sent the request again.
func (o *Observer) attemptEnded(ctx context.Context, info *opInfo, span trace.Span, resend bool, e payments.AttemptEnd) {
	end := info.attemptEnd(attemptKey{status: e.StatusCode, kind: e.Kind, resend: resend, willRetry: e.Retry})
	o.m.attemptEnded(ctx, info, end, e)
	if !span.IsRecording() {
		return
	}
	attrs := end.span
	if e.RateLimitWait >= minSpanWait {
		// end.span is clipped: this appends to a copy.
		attrs = append(attrs, keyRateLimitWait.Float64(e.RateLimitWait.Seconds()))
	}
	if e.Kind != "" {
		// The status code or error.type says why: no description.
		span.SetStatus(codes.Error, "")
	}
	span.SetAttributes(attrs...)
	span.End()
}

// WebhookDelivery implements payments.Observer: it records the delivery's
// metrics and a span over the time the handler took to answer it.
func (o *Observer) WebhookDelivery(ctx context.Context, d payments.WebhookDelivery) {
	o.m.deliveryAnswered(ctx, d)
	end := time.Now()
	_, span := o.tracer.Start(ctx, string(d.Provider)+" webhook",
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(end.Add(-d.Duration)))
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(
		keyProvider.String(string(d.Provider)),
		keyOutcome.String(d.Outcome),
		semconv.HTTPResponseStatusCode(d.StatusCode),
	)
	if d.EventType != "" {
		span.SetAttributes(keyEventType.String(truncate(d.EventType, maxEventType)))
	}
	if d.StatusCode >= 500 {
		span.SetStatus(codes.Error, d.Outcome)
	}
	span.End(trace.WithTimestamp(end))
}
