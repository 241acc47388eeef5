package paymentsotel_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/unipay/payments"
	paymentsotel "github.com/unipay/payments/otel"
)

// benchOp is the operation the cost tests and benchmarks observe.
var benchOp = payments.Operation{Provider: payments.Moneroo, Name: "verify payment", Method: "GET",
	Route: "/v1/payments/{paymentId}/verify", Host: "api.moneroo.io"}

// observeOne tells obs about one call of one attempt, as httpx does.
func observeOne(obs payments.Observer, ae payments.AttemptEnd, oe payments.OperationEnd) {
	octx, endOp := obs.StartOperation(context.Background(), benchOp)
	_, endAttempt := obs.StartAttempt(octx, payments.Attempt{Operation: benchOp})
	endAttempt(ae)
	endOp(oe)
}

// The Observer builds its options and attribute sets once per operation
// and way of ending: over the no-op API, what is left per call is the two
// contexts the tracer returns and the two end functions.
func TestTheObserverAllocatesLittleOverTheNoopAPI(t *testing.T) {
	obs, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tracenoop.NewTracerProvider()),
		paymentsotel.WithMeterProvider(metricnoop.NewMeterProvider()))
	require.NoError(t, err)
	ae := payments.AttemptEnd{StatusCode: 200, Duration: 90 * time.Microsecond, RateLimitWait: time.Microsecond}
	oe := payments.OperationEnd{Attempts: 1, StatusCode: 200, Duration: 95 * time.Microsecond, RateLimitWait: time.Microsecond}
	observeOne(obs, ae, oe) // fills the caches
	allocs := testing.AllocsPerRun(100, func() { observeOne(obs, ae, oe) })
	assert.LessOrEqual(t, allocs, 4.0, "two contexts, two end functions")
}

// The attributes cached per way of ending are shared by every call: a call
// that adds its own (a rate-limit wait) must not write them where another
// call, ending at the same time, reads.
func TestConcurrentCallsKeepTheirOwnWaits(t *testing.T) {
	tm := newTelemetry(t)
	const calls = 64
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait := time.Duration(i+1) * time.Millisecond
			observeOne(tm.obs,
				payments.AttemptEnd{StatusCode: 200, Duration: wait, RateLimitWait: wait},
				payments.OperationEnd{Attempts: 1, StatusCode: 200, Duration: wait, RateLimitWait: wait})
		}()
	}
	wg.Wait()

	ops := tm.named("moneroo verify payment")
	require.Len(t, ops, calls)
	seen := map[float64]bool{}
	for _, op := range ops {
		wait := attrs(op)["payments.rate_limit.wait"].AsFloat64()
		assert.Equal(t, int64(1), attrs(op)["payments.attempts"].AsInt64())
		children := tm.childrenOf(op)
		require.Len(t, children, 1)
		a := attrs(children[0])
		assert.Equal(t, wait, a["payments.rate_limit.wait"].AsFloat64(), "the attempt's own wait")
		assert.Equal(t, int64(200), a["http.response.status_code"].AsInt64())
		assert.NotContains(t, a, attribute.Key("payments.attempts"))
		seen[wait] = true
	}
	assert.Len(t, seen, calls, "each call shows its own wait")

	// And a later call without a wait shows none.
	observeOne(tm.obs, payments.AttemptEnd{StatusCode: 200}, payments.OperationEnd{Attempts: 1, StatusCode: 200})
	ops = tm.named("moneroo verify payment")
	last := ops[len(ops)-1]
	assert.NotContains(t, attrs(last), attribute.Key("payments.rate_limit.wait"))
	assert.NotContains(t, attrs(tm.childrenOf(last)[0]), attribute.Key("payments.rate_limit.wait"))
}

// samplerSees records the attributes each span's sampler was given.
type samplerSees struct {
	mu    sync.Mutex
	attrs map[string]map[attribute.Key]attribute.Value // by span name
}

func (s *samplerSees) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range p.Attributes {
		m[kv.Key] = kv.Value
	}
	s.attrs[p.Name] = m
	return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample}
}

func (s *samplerSees) Description() string { return "samplerSees" }

// An attempt's span starts with what the HTTP conventions ask a CLIENT
// span to give its sampler; the rest comes at its end, where the SDK copies
// it once (see opInfo). A sampler finds the provider and the operation in
// the operation span's name.
func TestASamplerSeesTheConventionsAttributes(t *testing.T) {
	sampler := &samplerSees{attrs: map[string]map[attribute.Key]attribute.Value{}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	obs, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(metricnoop.NewMeterProvider()))
	require.NoError(t, err)

	octx, endOp := obs.StartOperation(context.Background(), benchOp)
	_, endAttempt := obs.StartAttempt(octx, payments.Attempt{Operation: benchOp, Number: 1, RetryWait: time.Second})
	endAttempt(payments.AttemptEnd{StatusCode: 200})
	endOp(payments.OperationEnd{Attempts: 2, StatusCode: 200, RetryWait: time.Second})

	assert.Equal(t, map[attribute.Key]attribute.Value{
		"http.request.method":       attribute.StringValue("GET"),
		"server.address":            attribute.StringValue("api.moneroo.io"),
		"server.port":               attribute.Int64Value(443),
		"http.request.resend_count": attribute.Int64Value(1),
		"payments.retry.wait":       attribute.Float64Value(1),
	}, sampler.attrs["GET /v1/payments/{paymentId}/verify"])
	assert.Empty(t, sampler.attrs["moneroo verify payment"], "the name says it all")
}

// Over the SDK, each span's attributes are copied as few times as the SDK
// allows: this counts the allocations of a call, the SDK's included (26
// when each span got half its attributes at its start and the rest built
// at its end on every call).
func TestTheObserverAllocatesLittleOverTheSDK(t *testing.T) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	obs, err := paymentsotel.NewObserver(paymentsotel.WithTracerProvider(tp), paymentsotel.WithMeterProvider(mp))
	require.NoError(t, err)
	ae := payments.AttemptEnd{StatusCode: 200, Duration: 90 * time.Microsecond, RateLimitWait: time.Microsecond}
	oe := payments.OperationEnd{Attempts: 1, StatusCode: 200, Duration: 95 * time.Microsecond, RateLimitWait: time.Microsecond}
	observeOne(obs, ae, oe)
	allocs := testing.AllocsPerRun(100, func() { observeOne(obs, ae, oe) })
	// The SDK's own for two bare spans are 6; the Observer adds its two end
	// functions, and one copy of each span's attributes at its end, two of
	// the attempt's at its start.
	want := 12.0
	if raceBuild {
		want += 3
	}
	assert.LessOrEqual(t, allocs, want)
}
