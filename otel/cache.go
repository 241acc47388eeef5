package paymentsotel

import (
	"slices"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/unipay/payments"
)

// A client makes the same few operations again and again (a handful per
// provider), each ending in one of a few ways: the Observer derives span
// names, span options, span attributes and metric options once per
// operation and per way of ending, rather than on every call. Building them
// is most of what the Observer would cost otherwise: the SDK copies a
// span's attributes as they come, and a variadic argument, an option or an
// attribute set given to an interface method escapes to the heap, so that
// a call building its own would allocate each of them again.
//
// What is cached is shared by every call, and by the SDK (which copies what
// it keeps): nothing modifies it once built.

// The caches are bounded, in case a program makes clients without end (a
// new base URL each time): past the bound, what is not cached is built on
// each call, which is slower but as right.
const (
	maxOperations = 1024 // operations an Observer remembers
	maxEnds       = 256  // ways of ending an operation remembers
)

// maxCachedAttempts is the largest attempt count whose operation span
// attributes are prebuilt: a call makes one attempt, and a few more when it
// is retried.
const maxCachedAttempts = 4

// operations caches an opInfo per payments.Operation.
type operations struct {
	m sync.Map // payments.Operation → *opInfo
	n atomic.Int64
}

func (c *operations) get(op payments.Operation) *opInfo {
	if v, ok := c.m.Load(op); ok {
		return v.(*opInfo)
	}
	info := newOpInfo(op)
	if c.n.Add(1) > maxOperations {
		return info
	}
	v, _ := c.m.LoadOrStore(op, info)
	return v.(*opInfo)
}

// opInfo is what the Observer derives from an Operation.
type opInfo struct {
	op          payments.Operation
	srv         server
	method      attribute.KeyValue
	opSpan      string // "moneroo verify payment"
	attemptSpan string // "GET /v1/payments/{paymentId}/verify"
	// opStart and attemptStart start the spans. The SDK copies the
	// attributes a span starts with once for the sampler and once for the
	// span, then again into a larger slice when the span's end adds its
	// own: so a span gets at its start only what the HTTP conventions ask a
	// CLIENT span to give its sampler (http.request.method, server.address,
	// server.port), and the rest at its end, in one slice. A sampler still
	// finds the provider, the operation and the route in the spans' names.
	opStart      []trace.SpanStartOption
	attemptStart []trace.SpanStartOption
	// attemptAttrs are attemptStart's attributes, which a resend's span
	// starts with before its own.
	attemptAttrs []attribute.KeyValue
	// named is {payments.provider, payments.operation}, for the rate-limit
	// wait histogram.
	named []metric.RecordOption

	opEnds      sync.Map // payments.Kind → *opEnd
	attemptEnds sync.Map // attemptKey → *attemptEnd
	ends        atomic.Int64
}

func newOpInfo(op payments.Operation) *opInfo {
	i := &opInfo{op: op, srv: serverOf(op.Host), method: methodAttr(op.Method)}
	i.opSpan = string(op.Provider) + " " + op.Name
	i.attemptSpan = i.method.Value.AsString()
	if i.method == semconv.HTTPRequestMethodOther {
		i.attemptSpan = "HTTP" // as the conventions name a span whose method is not a known one
	}
	if op.Route != "" {
		i.attemptSpan += " " + op.Route
	}
	i.opStart = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}
	i.attemptAttrs = []attribute.KeyValue{i.method, semconv.ServerAddress(i.srv.address)}
	if i.srv.port > 0 {
		i.attemptAttrs = append(i.attemptAttrs, semconv.ServerPort(i.srv.port))
	}
	if i.method == semconv.HTTPRequestMethodOther {
		i.attemptAttrs = append(i.attemptAttrs, semconv.HTTPRequestMethodOriginal(op.Method))
	}
	i.attemptStart = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(i.attemptAttrs...)}
	i.named = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(
		keyProvider.String(string(op.Provider)), keyOperation.String(op.Name)))}
	return i
}

// opEnd is what an operation that ended with a given Kind records.
type opEnd struct {
	// record and add are the metrics' attributes: provider, operation,
	// error.type.
	record []metric.RecordOption
	add    []metric.AddOption
	// span holds the span's attributes, all given at its end, by attempt
	// count: payments.provider, payments.operation, payments.attempts,
	// error.type.
	span [maxCachedAttempts + 1][]attribute.KeyValue
	op   *opInfo            // the operation, for counts past maxCachedAttempts
	kind attribute.KeyValue // error.type; invalid on success
}

// opEnd returns what an operation that ended with kind ("" for success)
// records.
func (i *opInfo) opEnd(kind payments.Kind) *opEnd {
	if v, ok := i.opEnds.Load(kind); ok {
		return v.(*opEnd)
	}
	e := &opEnd{op: i}
	attrs := []attribute.KeyValue{keyProvider.String(string(i.op.Provider)), keyOperation.String(i.op.Name)}
	if kind != "" {
		e.kind = semconv.ErrorTypeKey.String(string(kind))
		attrs = append(attrs, e.kind)
	}
	o := metric.WithAttributeSet(attribute.NewSet(attrs...))
	e.record, e.add = []metric.RecordOption{o}, []metric.AddOption{o}
	for n := range e.span {
		// Clipped, so that appending to it makes a copy.
		e.span[n] = slices.Clip(e.spanAttrs(n))
	}
	if i.ends.Add(1) <= maxEnds {
		i.opEnds.Store(kind, e)
	}
	return e
}

// spanAttrs returns the span's attributes at the end of an operation of n
// attempts: cached ones when it can, else a new slice, which the caller may
// append to.
func (e *opEnd) spanAttrs(n int) []attribute.KeyValue {
	if n >= 0 && n < len(e.span) && e.span[n] != nil {
		return e.span[n]
	}
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, keyProvider.String(string(e.op.op.Provider)), keyOperation.String(e.op.op.Name), keyAttempts.Int(n))
	if e.kind.Valid() {
		attrs = append(attrs, e.kind)
	}
	return attrs
}

// attemptKey is how an attempt ended, as its metrics and its span tell it.
type attemptKey struct {
	status    int
	kind      payments.Kind
	resend    bool // the attempt re-sent the request
	willRetry bool // the client sends the request again
}

// attemptEnd is what an attempt that ended in a given way records.
type attemptEnd struct {
	attempts []metric.AddOption    // payments.client.attempts
	http     []metric.RecordOption // http.client.request.duration
	// span is the span's attributes at the end: url.template,
	// payments.provider, payments.operation, http.response.status_code,
	// payments.will_retry, error.type.
	span []attribute.KeyValue
}

func (i *opInfo) attemptEnd(k attemptKey) *attemptEnd {
	if v, ok := i.attemptEnds.Load(k); ok {
		return v.(*attemptEnd)
	}
	attrs := make([]attribute.KeyValue, 0, 7)
	attrs = append(attrs, keyProvider.String(string(i.op.Provider)), keyOperation.String(i.op.Name), keyRetry.Bool(k.resend))
	if k.status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(k.status))
	}
	if k.kind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(string(k.kind)))
	}
	e := &attemptEnd{attempts: []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}}
	attrs = append(attrs[:0], i.method, semconv.ServerAddress(i.srv.address), semconv.URLTemplate(i.op.Route))
	if i.srv.port > 0 {
		attrs = append(attrs, semconv.ServerPort(i.srv.port))
	}
	if k.status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(k.status))
	}
	if k.kind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(string(k.kind)))
	}
	e.http = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
	e.span = make([]attribute.KeyValue, 0, 6)
	e.span = append(e.span, semconv.URLTemplate(i.op.Route), keyProvider.String(string(i.op.Provider)), keyOperation.String(i.op.Name))
	if k.status != 0 {
		e.span = append(e.span, semconv.HTTPResponseStatusCode(k.status))
	}
	if k.willRetry {
		e.span = append(e.span, keyWillRetry.Bool(true))
	}
	if k.kind != "" {
		e.span = append(e.span, semconv.ErrorTypeKey.String(string(k.kind)))
	}
	e.span = slices.Clip(e.span)
	if i.ends.Add(1) <= maxEnds {
		i.attemptEnds.Store(k, e)
	}
	return e
}
