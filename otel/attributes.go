package paymentsotel

import (
	"net"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
)

// The attributes of this package's own, beside the semantic conventions'.
const (
	keyProvider      = attribute.Key("payments.provider")
	keyOperation     = attribute.Key("payments.operation")
	keyAttempts      = attribute.Key("payments.attempts")
	keyRetry         = attribute.Key("payments.retry")
	keyWillRetry     = attribute.Key("payments.will_retry")
	keyRetryWait     = attribute.Key("payments.retry.wait")
	keyRateLimitWait = attribute.Key("payments.rate_limit.wait")
	keyOutcome       = attribute.Key("payments.webhook.outcome")
	keyEventType     = attribute.Key("payments.webhook.event_type")
)

// maxEventType bounds the event type a span carries: an unsigned delivery
// (HelloAsso without a signature key) names its own.
const maxEventType = 64

// server is where a provider's API is: server.address and server.port.
type server struct {
	address string
	port    int // 0 when unknown
}

// serverOf splits an Operation's Host. A host without a port is https's,
// 443: the library sends plain http only to loopback simulators, whose base
// URL names a port; a loopback host without one is left without a port.
func serverOf(host string) server {
	if h, p, err := net.SplitHostPort(host); err == nil {
		port, _ := strconv.Atoi(p)
		return server{address: h, port: port}
	}
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if h == "localhost" {
		return server{address: h}
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return server{address: h}
	}
	return server{address: h, port: 443}
}

// methodAttr is http.request.method: the method, or _OTHER for one the
// conventions do not know (the adapters send only GET and POST).
func methodAttr(m string) attribute.KeyValue {
	switch m {
	case "GET":
		return semconv.HTTPRequestMethodGet
	case "POST":
		return semconv.HTTPRequestMethodPost
	case "PUT":
		return semconv.HTTPRequestMethodPut
	case "PATCH":
		return semconv.HTTPRequestMethodPatch
	case "DELETE":
		return semconv.HTTPRequestMethodDelete
	case "HEAD":
		return semconv.HTTPRequestMethodHead
	case "OPTIONS":
		return semconv.HTTPRequestMethodOptions
	case "CONNECT":
		return semconv.HTTPRequestMethodConnect
	case "TRACE":
		return semconv.HTTPRequestMethodTrace
	}
	return semconv.HTTPRequestMethodOther
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
