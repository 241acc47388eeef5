package paymentsotel

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/semconv/v1.39.0/httpconv"

	"github.com/unipay/payments"
)

// durationBuckets are the boundaries, in seconds, of the duration
// histograms: the HTTP conventions' advice, stretched to a minute for calls
// whose retries wait out a provider's Retry-After.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}

// waitBuckets are the rate-limit wait histogram's: most attempts do not wait.
var waitBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// instruments are the Observer's metrics (see the package documentation).
type instruments struct {
	opDuration    metric.Float64Histogram
	errors        metric.Int64Counter
	attempts      metric.Int64Counter
	rateLimitWait metric.Float64Histogram
	httpDuration  httpconv.ClientRequestDuration
	deliveries    metric.Int64Counter
	delivDuration metric.Float64Histogram
}

func (m *instruments) init(meter metric.Meter) error {
	var errs [7]error
	m.opDuration, errs[0] = meter.Float64Histogram("payments.client.operation.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of calls to a payment provider, retries and waits included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	m.errors, errs[1] = meter.Int64Counter("payments.client.errors", metric.WithUnit("{error}"),
		metric.WithDescription("Calls to a payment provider that failed, by error kind."))
	m.attempts, errs[2] = meter.Int64Counter("payments.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP requests sent, or tried, to a payment provider; payments.retry marks the resends."))
	m.rateLimitWait, errs[3] = meter.Float64Histogram("payments.client.rate_limit.wait", metric.WithUnit("s"),
		metric.WithDescription("Time each HTTP attempt waited for the client-side rate limiter."),
		metric.WithExplicitBucketBoundaries(waitBuckets...))
	m.httpDuration, errs[4] = httpconv.NewClientRequestDuration(meter, metric.WithExplicitBucketBoundaries(durationBuckets...))
	m.deliveries, errs[5] = meter.Int64Counter("payments.webhook.deliveries", metric.WithUnit("{delivery}"),
		metric.WithDescription("Webhook deliveries answered, by outcome."))
	m.delivDuration, errs[6] = meter.Float64Histogram("payments.webhook.duration", metric.WithUnit("s"),
		metric.WithDescription("Time taken to answer a webhook delivery, the merchant's handler included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	return errors.Join(errs[:]...)
}

// operationEnded records an operation's duration, and its error.
func (m *instruments) operationEnded(ctx context.Context, end *opEnd, e payments.OperationEnd) {
	m.opDuration.Record(ctx, e.Duration.Seconds(), end.record...)
	if e.Kind != "" {
		m.errors.Add(ctx, 1, end.add...)
	}
}

// attemptEnded records an HTTP attempt: its count, its rate-limit wait, and
// its duration as the HTTP conventions define it.
func (m *instruments) attemptEnded(ctx context.Context, info *opInfo, end *attemptEnd, e payments.AttemptEnd) {
	m.rateLimitWait.Record(ctx, e.RateLimitWait.Seconds(), info.named...)
	m.attempts.Add(ctx, 1, end.attempts...)
	m.httpDuration.Inst().Record(ctx, e.Duration.Seconds(), end.http...)
}

// deliveryAnswered counts a webhook delivery and records how long it took.
func (m *instruments) deliveryAnswered(ctx context.Context, d payments.WebhookDelivery) {
	m.deliveries.Add(ctx, 1, metric.WithAttributeSet(attribute.NewSet(
		keyProvider.String(string(d.Provider)), keyOutcome.String(d.Outcome), semconv.HTTPResponseStatusCode(d.StatusCode))))
	m.delivDuration.Record(ctx, d.Duration.Seconds(), metric.WithAttributeSet(attribute.NewSet(
		keyProvider.String(string(d.Provider)), keyOutcome.String(d.Outcome))))
}
