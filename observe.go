package payments

import (
	"context"
	"time"
)

// Observer watches the calls the library makes to providers, and the
// webhook deliveries a WebhookHandler answers, for traces and metrics; the
// otel module of this repository turns them into OpenTelemetry spans and
// metrics. Give it to clients with WithObserver and to webhook handlers with
// WithWebhookObserver.
//
// It sees no secret and no customer data: provider, operation, HTTP method,
// a URL template without ids, attempt numbers, status codes, error kinds and
// durations. Its methods run on the caller's goroutine, so they must be
// quick, and safe for concurrent use. The contexts they return must be
// derived from the ones they are given (context.WithValue, a tracer's
// Start): the call goes on in them, and a context that lost the caller's
// deadline would let it run on. A nil context or end function is ignored.
type Observer interface {
	// StartOperation is called when a call to the provider starts (one
	// operation: its HTTP attempts, their retries and rate-limit waits). The
	// context it returns is the operation's from then on, so that a tracer's
	// span is the parent of the attempts'; end is called once, when the
	// operation ends.
	StartOperation(ctx context.Context, op Operation) (_ context.Context, end func(OperationEnd))
	// StartAttempt is called before each HTTP attempt of an operation,
	// after any retry wait and before the rate limiter; end is called once,
	// when the attempt ends.
	StartAttempt(ctx context.Context, a Attempt) (_ context.Context, end func(AttemptEnd))
	// WebhookDelivery is called once for each delivery a WebhookHandler
	// answers.
	WebhookDelivery(ctx context.Context, d WebhookDelivery)
}

// Operation describes one call to a provider.
type Operation struct {
	// Provider is the provider called.
	Provider ProviderName
	// Name is the operation, such as "verify payment" or "get access token".
	Name string
	// Method is the HTTP method.
	Method string
	// Route is the URL path as a template, ids replaced by names in braces:
	// "/v1/payments/{paymentId}/verify".
	Route string
	// Host is the provider's host, such as "api.moneroo.io".
	Host string
}

// OperationEnd is how an operation ended.
type OperationEnd struct {
	// Attempts is how many HTTP attempts were made (0 when none could be).
	Attempts int
	// StatusCode is the last attempt's HTTP status, 0 if none arrived.
	StatusCode int
	// Kind classifies the error the operation failed with; "" on success.
	// A 2xx answer that cannot be used fails the operation while its
	// attempt succeeded: a body that cannot be decoded or lacks what the
	// operation needs (ErrMalformedResponse), an answer about another
	// payment (ErrIntegrity), or a failure the provider reports inside a
	// 200 (Hero's GraphQL errors, with their own Kind).
	Kind Kind
	// Duration is the whole operation's, waits included.
	Duration time.Duration
	// RateLimitWait and RetryWait add up the time spent waiting for the
	// rate limiter and between retries.
	RateLimitWait time.Duration
	RetryWait     time.Duration
}

// Attempt describes one HTTP attempt of an operation.
type Attempt struct {
	Operation
	// Number counts the attempts from 0: the number of times the request
	// was sent before (OpenTelemetry's http.request.resend_count).
	Number int
	// RetryWait is how long the client waited before this attempt.
	RetryWait time.Duration
}

// AttemptEnd is how an attempt ended.
type AttemptEnd struct {
	// StatusCode is the HTTP status, 0 if no answer arrived.
	StatusCode int
	// Kind classifies the attempt's error; "" on success.
	Kind Kind
	// Duration is the attempt's, from the rate limiter's wait to the end of
	// the answer's body.
	Duration time.Duration
	// RateLimitWait is how long the attempt waited for the rate limiter.
	RateLimitWait time.Duration
	// Retry reports whether the client will send the request again.
	Retry bool
}

// The outcomes of a webhook delivery.
const (
	DeliveryHandled    = "handled"     // the handler ran and succeeded: 200
	DeliveryDuplicate  = "duplicate"   // already handled, not run again: 200
	DeliveryInProgress = "in_progress" // another delivery of it is being handled: 503, delivered again later
	DeliveryRefused    = "refused"     // bad signature or not an event: 4xx
	DeliveryFailed     = "failed"      // the handler failed: 500, delivered again later
	DeliveryStoreDown  = "unavailable" // the event log failed: 503, delivered again later
)

// WebhookDelivery describes a webhook delivery and how it was answered.
type WebhookDelivery struct {
	// Provider is the provider the handler serves.
	Provider ProviderName
	// EventType is the provider's event type, "" when the delivery was
	// refused before it could be read.
	EventType string
	// Outcome is one of the Delivery… constants.
	Outcome string
	// StatusCode is the HTTP status answered.
	StatusCode int
	// Duration is how long answering took, the handler included.
	Duration time.Duration
}
