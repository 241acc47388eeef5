package paymentsotel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// deliver posts a webhook to h, in ctx, and returns the status answered.
func deliver(ctx context.Context, h http.Handler, header http.Header, body []byte) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks/moneroo", header, body).WithContext(ctx))
	return rec.Code
}

func TestWebhookDeliveriesAreCountedByOutcome(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, id := startMoneroo(t, tm)
	require.NoError(t, srv.Pay(id))
	header, body, err := srv.Webhook(id)
	require.NoError(t, err)

	fail := true
	h := payments.WebhookHandler(c, func(context.Context, *payments.Event) error {
		if fail {
			return errors.New("the order store is down")
		}
		return nil
	}, payments.WithWebhookObserver(tm.obs))

	// Delivered inside a server span, as behind otelhttp's handler.
	ctx, server := tm.tp.Tracer("shop").Start(context.Background(), "POST /webhooks/moneroo", trace.WithSpanKind(trace.SpanKindServer))
	assert.Equal(t, 500, deliver(ctx, h, header, body))
	server.End()
	fail = false
	assert.Equal(t, 200, deliver(context.Background(), h, header, body))
	assert.Equal(t, 200, deliver(context.Background(), h, header, body))
	assert.Equal(t, 403, deliver(context.Background(), h, http.Header{"X-Moneroo-Signature": {"00"}}, body))

	m := tm.collect(t)
	assert.Equal(t, map[string]int64{
		"http.response.status_code=500,payments.provider=moneroo,payments.webhook.outcome=failed":    1,
		"http.response.status_code=200,payments.provider=moneroo,payments.webhook.outcome=handled":   1,
		"http.response.status_code=200,payments.provider=moneroo,payments.webhook.outcome=duplicate": 1,
		"http.response.status_code=403,payments.provider=moneroo,payments.webhook.outcome=refused":   1,
	}, counts(t, m["payments.webhook.deliveries"]))
	durations := histogram(t, m["payments.webhook.duration"])
	assert.Len(t, durations, 4)
	assert.Equal(t, uint64(1), durations["payments.provider=moneroo,payments.webhook.outcome=handled"].Count)

	spans := tm.named("moneroo webhook")
	require.Len(t, spans, 4)
	failed := spans[0]
	assert.Equal(t, server.SpanContext().SpanID(), failed.Parent().SpanID(), "the delivery's span is a child of the request's")
	assert.Equal(t, codes.Error, failed.Status().Code, "a 5xx asks the provider to deliver again")
	assert.Equal(t, map[attribute.Key]attribute.Value{
		"payments.provider":           attribute.StringValue("moneroo"),
		"payments.webhook.outcome":    attribute.StringValue("failed"),
		"payments.webhook.event_type": attribute.StringValue("payment.success"),
		"http.response.status_code":   attribute.Int64Value(500),
	}, attrs(failed))
	assert.False(t, failed.StartTime().After(failed.EndTime()))
	assert.Equal(t, "handled", attrs(spans[1])["payments.webhook.outcome"].AsString())
	assert.Equal(t, codes.Unset, spans[1].Status().Code)
	refused := attrs(spans[3])
	assert.Equal(t, "refused", refused["payments.webhook.outcome"].AsString())
	assert.NotContains(t, refused, attribute.Key("payments.webhook.event_type"), "a refused delivery names no event")
	assert.Equal(t, codes.Unset, spans[3].Status().Code, "a refusal is the sender's fault")
}
