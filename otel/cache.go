package paymentsotel

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"

	"github.com/unipay/payments"
)

// A client makes the same few operations again and again (a handful per
// provider), each ending in one of a few ways: the Observer derives span
// names, attributes and metric attribute sets once per operation and per
// way of ending, rather than on every call. Building them is most of what
// the Observer would cost otherwise.

// The caches are bounded, in case a program makes clients without end (a
// new base URL each time): past the bound, what is not cached is built on
// each call, which is slower but as right.
const (
	maxOperations = 1024 // operations an Observer remembers
	maxEnds       = 256  // ways of ending an operation remembers
)

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
	// opStart and attemptStart are the spans' attributes at their start.
	// They are shared: never modify them.
	opStart      []attribute.KeyValue
	attemptStart []attribute.KeyValue
	// named is {payments.provider, payments.operation}.
	named metric.MeasurementOption

	opEnds      sync.Map // payments.Kind → metric.MeasurementOption
	attemptEnds sync.Map // attemptKey → *attemptOpts
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
	provider, name := keyProvider.String(string(op.Provider)), keyOperation.String(op.Name)
	i.opStart = []attribute.KeyValue{provider, name}
	i.attemptStart = []attribute.KeyValue{i.method, semconv.ServerAddress(i.srv.address), semconv.URLTemplate(op.Route), provider, name}
	if i.srv.port > 0 {
		i.attemptStart = append(i.attemptStart, semconv.ServerPort(i.srv.port))
	}
	if i.method == semconv.HTTPRequestMethodOther {
		i.attemptStart = append(i.attemptStart, semconv.HTTPRequestMethodOriginal(op.Method))
	}
	i.named = metric.WithAttributeSet(attribute.NewSet(provider, name))
	return i
}

// opEnd returns the attributes of an operation's metrics when it ended
// with kind ("" for success): provider, operation, error.type.
func (i *opInfo) opEnd(kind payments.Kind) metric.MeasurementOption {
	if v, ok := i.opEnds.Load(kind); ok {
		return v.(metric.MeasurementOption)
	}
	attrs := []attribute.KeyValue{keyProvider.String(string(i.op.Provider)), keyOperation.String(i.op.Name)}
	if kind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(string(kind)))
	}
	o := metric.WithAttributeSet(attribute.NewSet(attrs...))
	if i.ends.Add(1) <= maxEnds {
		i.opEnds.Store(kind, o)
	}
	return o
}

// attemptKey is how an attempt ended, as its metrics tell it.
type attemptKey struct {
	status int
	kind   payments.Kind
	retry  bool // the attempt re-sent the request
}

// attemptOpts are the attribute sets of an attempt's metrics.
type attemptOpts struct {
	attempts metric.MeasurementOption // payments.client.attempts
	http     attribute.Set            // http.client.request.duration
}

func (i *opInfo) attemptEnd(k attemptKey) *attemptOpts {
	if v, ok := i.attemptEnds.Load(k); ok {
		return v.(*attemptOpts)
	}
	attrs := make([]attribute.KeyValue, 0, 7)
	attrs = append(attrs, keyProvider.String(string(i.op.Provider)), keyOperation.String(i.op.Name), keyRetry.Bool(k.retry))
	if k.status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(k.status))
	}
	if k.kind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(string(k.kind)))
	}
	o := &attemptOpts{attempts: metric.WithAttributeSet(attribute.NewSet(attrs...))}
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
	o.http = attribute.NewSet(attrs...)
	if i.ends.Add(1) <= maxEnds {
		i.attemptEnds.Store(k, o)
	}
	return o
}
