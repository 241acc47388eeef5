package paymentsotel_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	paymentsotel "github.com/unipay/payments/otel"
	"github.com/unipay/payments/paymentstest"
)

// monerooOrder is a create request Moneroo accepts.
func monerooOrder() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 5000, Currency: "XOF"},
		Reference:   "order-42",
		Description: "Two bags of rice",
		ReturnURL:   "https://shop.example.com/return?order=42",
		Customer:    &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	}
}

// startMoneroo starts a Moneroo simulator with a client that reports to tm,
// and creates a payment on it.
func startMoneroo(t *testing.T, tm *telemetry, opts ...payments.Option) (*monerootest.Server, *moneroo.Client, string) {
	t.Helper()
	srv, c := monerootest.Start(t, append([]payments.Option{payments.WithObserver(tm.obs)}, opts...)...)
	s, err := c.Create(context.Background(), monerooOrder())
	require.NoError(t, err)
	return srv, c, s.ID
}

// simPort is the simulator's port, as server.port carries it.
func simPort(t *testing.T, base string) int64 {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	_, p, err := net.SplitHostPort(u.Host)
	require.NoError(t, err)
	n, err := strconv.Atoi(p)
	require.NoError(t, err)
	return int64(n)
}

func TestAnOperationIsASpanWithAChildPerAttempt(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, id := startMoneroo(t, tm)
	_, err := c.Verify(context.Background(), id)
	require.NoError(t, err)

	op := tm.one(t, "moneroo verify payment")
	assert.Equal(t, trace.SpanKindInternal, op.SpanKind())
	assert.Equal(t, codes.Unset, op.Status().Code)
	assert.Equal(t, map[attribute.Key]attribute.Value{
		"payments.provider":  attribute.StringValue("moneroo"),
		"payments.operation": attribute.StringValue("verify payment"),
		"payments.attempts":  attribute.Int64Value(1),
	}, attrs(op), "no rate-limit wait shown: the limiter had a turn at once")

	children := tm.childrenOf(op)
	require.Len(t, children, 1)
	attempt := children[0]
	assert.Equal(t, "GET /v1/payments/{paymentId}/verify", attempt.Name())
	assert.Equal(t, trace.SpanKindClient, attempt.SpanKind())
	assert.Equal(t, op.SpanContext().TraceID(), attempt.SpanContext().TraceID())
	assert.Equal(t, codes.Unset, attempt.Status().Code)
	assert.Equal(t, map[attribute.Key]attribute.Value{
		"http.request.method":       attribute.StringValue("GET"),
		"url.template":              attribute.StringValue("/v1/payments/{paymentId}/verify"),
		"server.address":            attribute.StringValue("127.0.0.1"),
		"server.port":               attribute.Int64Value(simPort(t, srv.URL)),
		"http.response.status_code": attribute.Int64Value(200),
		"payments.provider":         attribute.StringValue("moneroo"),
		"payments.operation":        attribute.StringValue("verify payment"),
	}, attrs(attempt))
	assert.False(t, attempt.StartTime().Before(op.StartTime()), "the attempt starts within the operation")
	assert.False(t, attempt.EndTime().After(op.EndTime()), "and ends within it")

	m := tm.collect(t)
	assert.Equal(t, map[string]int64{
		"http.response.status_code=201,payments.operation=initialize payment,payments.provider=moneroo,payments.retry=false": 1,
		"http.response.status_code=200,payments.operation=verify payment,payments.provider=moneroo,payments.retry=false":     1,
	}, counts(t, m["payments.client.attempts"]))
	ops := histogram(t, m["payments.client.operation.duration"])
	require.Contains(t, ops, "payments.operation=verify payment,payments.provider=moneroo")
	verify := ops["payments.operation=verify payment,payments.provider=moneroo"]
	assert.Equal(t, uint64(1), verify.Count)
	assert.InDelta(t, op.EndTime().Sub(op.StartTime()).Seconds(), verify.Sum, 0.05, "the operation's duration, in seconds")
	assert.NotContains(t, m, "payments.client.errors", "no call failed")
	httpDur := histogram(t, m["http.client.request.duration"])
	assert.Contains(t, httpDur, "http.request.method=GET,http.response.status_code=200,server.address=127.0.0.1,server.port="+
		strconv.FormatInt(simPort(t, srv.URL), 10)+",url.template=/v1/payments/{paymentId}/verify")
	assert.Equal(t, "s", m["http.client.request.duration"].Unit)
	assert.Equal(t, "s", m["payments.client.operation.duration"].Unit)
}

func TestTheCallersSpanIsTheParent(t *testing.T) {
	tm := newTelemetry(t)
	_, c, id := startMoneroo(t, tm)
	ctx, parent := tm.tp.Tracer("shop").Start(context.Background(), "GET /orders/{id}")
	_, err := c.Verify(ctx, id)
	require.NoError(t, err)
	parent.End()

	op := tm.one(t, "moneroo verify payment")
	assert.Equal(t, parent.SpanContext().TraceID(), op.SpanContext().TraceID())
	assert.Equal(t, parent.SpanContext().SpanID(), op.Parent().SpanID())
	assert.Equal(t, []string{"moneroo verify payment"}, names(tm.childrenOf(tm.one(t, "GET /orders/{id}"))))
}

func TestARetryIsASecondAttemptSpan(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, id := startMoneroo(t, tm)
	srv.Faults.Add(paymentstest.Fault{Method: "GET", Path: "/v1/payments/", Status: 503, Body: `{"message":"down"}`})
	_, err := c.Verify(context.Background(), id)
	require.NoError(t, err, "the verify is retried after the 503")

	op := tm.one(t, "moneroo verify payment")
	assert.Equal(t, codes.Unset, op.Status().Code, "the operation succeeded")
	assert.Equal(t, int64(2), attrs(op)["payments.attempts"].AsInt64())
	assert.Greater(t, attrs(op)["payments.retry.wait"].AsFloat64(), 0.0)
	attempts := tm.childrenOf(op)
	require.Len(t, attempts, 2)

	first, second := attrs(attempts[0]), attrs(attempts[1])
	assert.Equal(t, int64(503), first["http.response.status_code"].AsInt64())
	assert.Equal(t, "provider unavailable", first["error.type"].AsString())
	assert.True(t, first["payments.will_retry"].AsBool())
	assert.NotContains(t, first, attribute.Key("http.request.resend_count"), "the first attempt is no resend")
	assert.Equal(t, codes.Error, attempts[0].Status().Code)

	assert.Equal(t, int64(200), second["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(1), second["http.request.resend_count"].AsInt64())
	assert.Equal(t, attrs(op)["payments.retry.wait"], second["payments.retry.wait"], "the wait before the retry")
	assert.NotContains(t, second, attribute.Key("error.type"))
	assert.NotContains(t, second, attribute.Key("payments.will_retry"))
	assert.Equal(t, codes.Unset, attempts[1].Status().Code)
	assert.False(t, attempts[1].StartTime().Before(attempts[0].EndTime()), "the retry follows the first attempt")

	m := tm.collect(t)
	assert.Equal(t, map[string]int64{
		"http.response.status_code=201,payments.operation=initialize payment,payments.provider=moneroo,payments.retry=false":                             1,
		"error.type=provider unavailable,http.response.status_code=503,payments.operation=verify payment,payments.provider=moneroo,payments.retry=false": 1,
		"http.response.status_code=200,payments.operation=verify payment,payments.provider=moneroo,payments.retry=true":                                  1,
	}, counts(t, m["payments.client.attempts"]))
	assert.NotContains(t, m, "payments.client.errors", "the call succeeded in the end")
}

func TestAFailureCarriesItsKind(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, _ := startMoneroo(t, tm)
	// A create is never sent again after a 5xx: it may have reached Moneroo.
	srv.Faults.Add(paymentstest.ServerError(502))
	_, err := c.Create(context.Background(), monerooOrder())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	_, err = c.Verify(context.Background(), "zzzzzzzzzzzz")
	require.ErrorIs(t, err, payments.ErrNotFound)

	creates := tm.named("moneroo initialize payment")
	require.Len(t, creates, 2)
	failed := creates[1]
	assert.Equal(t, codes.Error, failed.Status().Code)
	assert.Equal(t, "provider unavailable", failed.Status().Description)
	assert.Equal(t, "provider unavailable", attrs(failed)["error.type"].AsString())
	assert.Equal(t, int64(1), attrs(failed)["payments.attempts"].AsInt64(), "not retried")
	attempts := tm.childrenOf(failed)
	require.Len(t, attempts, 1)
	assert.Equal(t, "POST /v1/payments/initialize", attempts[0].Name())
	assert.Equal(t, int64(502), attrs(attempts[0])["http.response.status_code"].AsInt64())
	assert.NotContains(t, attrs(attempts[0]), attribute.Key("payments.will_retry"))

	notFound := tm.one(t, "moneroo verify payment")
	assert.Equal(t, "not found", attrs(notFound)["error.type"].AsString())
	assert.Equal(t, codes.Error, notFound.Status().Code)

	m := tm.collect(t)
	assert.Equal(t, map[string]int64{
		"error.type=provider unavailable,payments.operation=initialize payment,payments.provider=moneroo": 1,
		"error.type=not found,payments.operation=verify payment,payments.provider=moneroo":                1,
	}, counts(t, m["payments.client.errors"]))
	ops := histogram(t, m["payments.client.operation.duration"])
	assert.Equal(t, uint64(1), ops["payments.operation=initialize payment,payments.provider=moneroo"].Count)
	assert.Equal(t, uint64(1), ops["error.type=provider unavailable,payments.operation=initialize payment,payments.provider=moneroo"].Count)
}

func TestAnUnreadableAnswerFailsTheOperationNotTheAttempt(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, id := startMoneroo(t, tm, payments.WithRetries(0))
	srv.Faults.Add(paymentstest.Truncated())
	_, err := c.Verify(context.Background(), id)
	require.ErrorIs(t, err, payments.ErrMalformedResponse)

	op := tm.one(t, "moneroo verify payment")
	assert.Equal(t, "malformed response", attrs(op)["error.type"].AsString())
	attempts := tm.childrenOf(op)
	require.Len(t, attempts, 1)
	assert.Equal(t, int64(200), attrs(attempts[0])["http.response.status_code"].AsInt64())
	assert.Equal(t, codes.Unset, attempts[0].Status().Code, "the HTTP exchange itself went well")
}

func TestAnAnswerAboutAnotherPaymentFailsTheOperation(t *testing.T) {
	tm := newTelemetry(t)
	srv, c, id := startMoneroo(t, tm)
	srv.Faults.Add(paymentstest.Fault{Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: `{"success":true,"message":"ok","data":{"id":"other_payment_1","status":"success","amount":5000,"currency":{"code":"XOF"}}}`})
	_, err := c.Verify(context.Background(), id)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	require.ErrorIs(t, err, payments.ErrIntegrity)

	op := tm.one(t, "moneroo verify payment")
	assert.Equal(t, string(perr.Kind), attrs(op)["error.type"].AsString())
	assert.Equal(t, codes.Error, op.Status().Code)
	attempts := tm.childrenOf(op)
	require.Len(t, attempts, 1)
	assert.Equal(t, codes.Unset, attempts[0].Status().Code, "the HTTP exchange itself went well")
	assert.Equal(t, map[string]int64{
		"error.type=" + string(perr.Kind) + ",payments.operation=verify payment,payments.provider=moneroo": 1,
	}, counts(t, tm.collect(t)["payments.client.errors"]))
}

func TestRateLimitWaitsAreMeasured(t *testing.T) {
	tm := newTelemetry(t)
	// One request per 300 ms: the verify waits for the create's turn to pass.
	_, c, id := startMoneroo(t, tm, payments.WithRateLimit(1, 300*time.Millisecond))
	_, err := c.Verify(context.Background(), id)
	require.NoError(t, err)

	op := tm.one(t, "moneroo verify payment")
	wait := attrs(op)["payments.rate_limit.wait"].AsFloat64()
	assert.Greater(t, wait, 0.1)
	assert.LessOrEqual(t, wait, 0.5)
	attempt := tm.childrenOf(op)[0]
	assert.Equal(t, wait, attrs(attempt)["payments.rate_limit.wait"].AsFloat64())
	create := tm.one(t, "moneroo initialize payment")
	assert.NotContains(t, attrs(create), attribute.Key("payments.rate_limit.wait"), "the first request had its turn at once")

	waits := histogram(t, tm.collect(t)["payments.client.rate_limit.wait"])
	v := waits["payments.operation=verify payment,payments.provider=moneroo"]
	assert.Equal(t, uint64(1), v.Count)
	assert.InDelta(t, wait, v.Sum, 1e-9)
	first := waits["payments.operation=initialize payment,payments.provider=moneroo"]
	assert.Equal(t, uint64(1), first.Count, "the metric records every wait")
	assert.Less(t, first.Sum, 0.001)
}

func TestTheGlobalProvidersAreTheDefault(t *testing.T) {
	tm := newTelemetry(t)
	tp, mp := otel.GetTracerProvider(), otel.GetMeterProvider()
	t.Cleanup(func() { otel.SetTracerProvider(tp); otel.SetMeterProvider(mp) })
	otel.SetTracerProvider(tm.tp)
	otel.SetMeterProvider(tm.mp)

	obs, err := paymentsotel.NewObserver()
	require.NoError(t, err)
	_, c := monerootest.Start(t, payments.WithObserver(obs))
	_, err = c.Create(context.Background(), monerooOrder())
	require.NoError(t, err)
	tm.one(t, "moneroo initialize payment")
	assert.Contains(t, tm.collect(t), "payments.client.operation.duration")
}
