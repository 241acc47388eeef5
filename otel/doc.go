// Package paymentsotel turns what the payments library reports about its
// provider calls and webhook deliveries (payments.Observer) into
// OpenTelemetry traces and metrics.
//
//	obs, err := paymentsotel.NewObserver() // the global TracerProvider and MeterProvider
//	if err != nil { … }
//	client, err := moneroo.New(cfg, payments.WithObserver(obs))
//	http.Handle("/webhooks/moneroo", payments.WebhookHandler(client, handle, payments.WithWebhookObserver(obs)))
//
// It is a module of its own (github.com/unipay/payments/otel), so that the
// library itself depends on no OpenTelemetry package. It requires Go 1.24
// and go.opentelemetry.io/otel v1.41.0 (the newest release that does not
// require a newer Go), and names attributes after the semantic conventions
// v1.39.0 (go.opentelemetry.io/otel/semconv/v1.39.0).
//
// Nothing it records is secret or names a customer: no URL (only its
// template, such as "/v1/payments/{paymentId}/verify"), no id, no header,
// no body, no amount.
//
// # Traces
//
// Each call to a provider is a span named after the provider and the
// operation, such as "moneroo verify payment", of kind INTERNAL, child of
// the span in the caller's context. Each HTTP attempt of it (the first
// request, then each retry) is a child span of kind CLIENT named
// "{method} {url.template}", such as "GET /v1/payments/{paymentId}/verify",
// as the HTTP semantic conventions ask: one CLIENT span per request sent,
// and no logical HTTP CLIENT span around them. A request the library makes
// for credentials (an OAuth token) during an attempt is an operation of its
// own, under that attempt.
//
// Operation spans carry:
//
//	payments.provider        "moneroo", "hub2", "helloasso", "hero"
//	payments.operation       "verify payment", "create payment intent"…
//	payments.attempts        how many HTTP attempts were made
//	payments.retry.wait      seconds waited between retries, if any
//	payments.rate_limit.wait seconds waited for the rate limiter, if 1 ms or more
//	error.type               the payments.Kind on failure, such as "provider unavailable"
//
// Attempt spans carry http.request.method, url.template, server.address,
// server.port, http.request.resend_count (from the first retry on),
// http.response.status_code (when an answer came), error.type (the Kind, on
// failure), payments.provider, payments.operation, payments.retry.wait (the
// wait before this attempt), payments.rate_limit.wait, and payments.will_retry
// when the client sends the request again. A failed operation or attempt
// has status Error. Spans show a rate-limit wait of 1 ms or more; the
// payments.client.rate_limit.wait metric records every attempt's, the
// limiter's own work included (microseconds in memory, a round trip for a
// shared limiter).
//
// server.port is the port the base URL names, else 443: the library sends
// plain http only to loopback simulators, whose base URL names a port.
//
// A sampler sees, at an attempt span's start, what the HTTP conventions
// ask a CLIENT span to give it: http.request.method, server.address and
// server.port, with http.request.resend_count and payments.retry.wait on a
// resend. Every other attribute comes at the span's end, as does every
// attribute of an operation span, whose name carries the provider and the
// operation: the SDK copies the attributes a span starts with twice, and
// all of them again when its end adds more.
//
// An operation fails when its last attempt did, or when its 2xx answer
// could not be decoded (its attempt then succeeded). Errors an adapter
// finds afterwards in an answer that decoded (a GraphQL error in Hero's 200,
// an answer about another payment) are not seen: the operation had ended.
//
// Each webhook delivery a payments.WebhookHandler answers is a span named
// "{provider} webhook" (kind INTERNAL, child of the span in the request's
// context, such as an otelhttp server span, timed over the handler's work),
// with payments.provider, payments.webhook.outcome, payments.webhook.event_type
// and http.response.status_code; status Error when the delivery was answered
// 5xx (failed, unavailable, in progress), so that the provider delivers it
// again.
//
// # Metrics
//
//	payments.client.operation.duration  histogram, s: each call to a provider, retries and waits included;
//	                                    payments.provider, payments.operation, error.type (on failure)
//	payments.client.errors              counter, {error}: failed calls;
//	                                    payments.provider, payments.operation, error.type
//	payments.client.attempts            counter, {attempt}: HTTP requests sent (or tried);
//	                                    payments.provider, payments.operation, payments.retry (a resend),
//	                                    http.response.status_code (when an answer came), error.type (on failure)
//	payments.client.rate_limit.wait     histogram, s: each attempt's wait for the client-side rate limiter;
//	                                    payments.provider, payments.operation
//	http.client.request.duration        histogram, s: each HTTP attempt, as the HTTP semantic conventions define it;
//	                                    http.request.method, server.address, server.port, url.template,
//	                                    http.response.status_code, error.type
//	payments.webhook.deliveries         counter, {delivery}: webhook deliveries answered;
//	                                    payments.provider, payments.webhook.outcome, http.response.status_code
//	payments.webhook.duration           histogram, s: how long answering a delivery took, the handler included;
//	                                    payments.provider, payments.webhook.outcome
//
// payments.webhook.outcome is one of payments.DeliveryHandled ("handled"),
// DeliveryDuplicate, DeliveryInProgress, DeliveryRefused, DeliveryFailed and
// DeliveryStoreDown. The event type stays off the metrics: a provider that
// does not sign every event (HelloAsso without a signature key) lets anyone
// choose it, and metrics must keep a bounded set of attribute values.
package paymentsotel
