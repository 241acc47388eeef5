package payments

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Event is a provider's notification about a payment (or a payout), after its
// signature was checked. Its Status is a hint: call Verify (or VerifyPaid)
// before acting on it.
type Event struct {
	Provider  ProviderName // which adapter parsed it
	ID        string       // identifies this notification, for deduplication
	Type      string       // the provider's event type, such as "payment.success"
	PaymentID string       // the payment it concerns, as Verify takes it; empty if the event does not say
	// Reference is the merchant's order id (CreateRequest.Reference) where
	// the event carries it, as HelloAsso's notifications do in the metadata
	// Create stored. When PaymentID is empty, find the order by Reference
	// and verify the payment id stored with it.
	Reference string
	Status    Status // the state the event claims; a hint only
	// Verified reports whether the signature was checked and matched. It is
	// false only for providers that do not sign every event (HelloAsso without
	// a signature key); treat such an event as an untrusted trigger.
	Verified bool
	Raw      json.RawMessage // the body, as received
}

// WebhookParser is implemented by adapters whose provider sends webhooks.
type WebhookParser interface {
	// ParseWebhook checks the signature over the raw body and decodes the
	// event. A missing or wrong signature is ErrInvalidSignature; a body that
	// is not the provider's event is ErrInvalidRequest.
	ParseWebhook(header http.Header, body []byte) (*Event, error)
}

// Return is what the customer's browser brought back to the ReturnURL. None
// of it is trusted: it tells you which payment to Verify, nothing more.
type Return struct {
	Provider      ProviderName // which adapter read it
	PaymentID     string       // the payment to Verify
	Reference     string       // the merchant's order id, where the adapter can recover it
	ClaimedStatus Status       // what the URL claims; never act on it
	Query         url.Values   // the query as received
}

// ReturnParser is implemented by adapters whose provider sends the customer
// back with parameters in the return URL.
type ReturnParser interface {
	// ParseReturn reads the return URL's query. It fails with ErrInvalidRequest
	// when the query does not name a payment.
	ParseReturn(q url.Values) (*Return, error)
}

// DefaultMaxWebhookBytes is the most a WebhookHandler reads of a body.
const DefaultMaxWebhookBytes = 1 << 20

// The WebhookHandler's default lease and retention (see EventLog).
const (
	// DefaultLease bounds how long a delivery may hold an event: past it, a
	// handler that never finished (its replica died) loses the event to the
	// next delivery. Handlers should take seconds.
	DefaultLease = 2 * time.Minute
	// DefaultRetention is how long a handled event is remembered, so that a
	// redelivery is acknowledged without running the handler again.
	// Providers stop redelivering well within it.
	DefaultRetention = 7 * 24 * time.Hour
)

// HandlerOption configures a WebhookHandler.
type HandlerOption func(*webhookHandler)

// WithEventLog makes the handler claim and remember events in l: give the
// replicas of a service one log on a shared store (Redis, PostgreSQL), so
// that an event delivered to two replicas is handled once.
func WithEventLog(l EventLog) HandlerOption { return func(h *webhookHandler) { h.log = l } }

// WithLease changes how long a delivery may hold an event (DefaultLease).
func WithLease(d time.Duration) HandlerOption { return func(h *webhookHandler) { h.lease = d } }

// WithRetention changes how long a handled event is remembered
// (DefaultRetention).
func WithRetention(d time.Duration) HandlerOption { return func(h *webhookHandler) { h.retention = d } }

// WithMaxWebhookBytes changes the body size limit (DefaultMaxWebhookBytes).
func WithMaxWebhookBytes(n int64) HandlerOption { return func(h *webhookHandler) { h.max = n } }

// WithHandlerLogger logs refused deliveries and handler failures through l.
func WithHandlerLogger(l *slog.Logger) HandlerOption { return func(h *webhookHandler) { h.logger = l } }

// WithWebhookObserver reports each delivery and its outcome to o.
func WithWebhookObserver(o Observer) HandlerOption { return func(h *webhookHandler) { h.observer = o } }

// WebhookHandler serves a provider's webhook endpoint. For each POST it:
//
//   - reads at most 1 MiB of body (413 beyond);
//   - has p check the signature and decode the event; a delivery p refuses
//     is answered 400, or the status the provider's documentation asks for
//     (Moneroo's 403 for a bad signature): a redelivery would not help;
//   - claims the event in the EventLog: an event already handled is answered
//     200 without calling handle; one that another delivery is handling
//     right now is answered 503, so that the provider delivers it again
//     later, when the first outcome is known;
//   - calls handle: 200 when it returns nil, 500 when it fails, so that the
//     provider delivers again.
//
// When the event log cannot be reached, the delivery is answered 503: the
// provider delivers it again and nothing is lost. No delivery is ever
// answered 5xx for a reason a redelivery cannot mend.
//
// handle should be quick (providers time out after a few seconds, and a
// delivery holds its event for at most the lease) and must not trust
// Event.Status: call VerifyPaid before fulfilling an order.
func WebhookHandler(p WebhookParser, handle func(context.Context, *Event) error, opts ...HandlerOption) http.Handler {
	h := &webhookHandler{parser: p, handle: handle, max: DefaultMaxWebhookBytes, lease: DefaultLease, retention: DefaultRetention}
	for _, o := range opts {
		o(h)
	}
	if h.log == nil {
		h.log = NewMemoryEventLog(0)
	}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	if n, ok := p.(interface{ Provider() ProviderName }); ok {
		h.provider = n.Provider()
	}
	return h
}

type webhookHandler struct {
	parser    WebhookParser
	provider  ProviderName
	handle    func(context.Context, *Event) error
	log       EventLog
	lease     time.Duration
	retention time.Duration
	max       int64
	logger    *slog.Logger
	observer  Observer
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx := r.Context()
	outcome, status, evType := h.serve(ctx, w, r)
	if h.observer != nil {
		h.observer.WebhookDelivery(ctx, WebhookDelivery{
			Provider: h.provider, EventType: evType, Outcome: outcome, StatusCode: status, Duration: time.Since(start),
		})
	}
}

// serve answers the delivery and returns its outcome, status and event type.
func (h *webhookHandler) serve(ctx context.Context, w http.ResponseWriter, r *http.Request) (string, int, string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return DeliveryRefused, http.StatusMethodNotAllowed, ""
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.logger.WarnContext(ctx, "webhook body too large", "provider", h.provider, "limit", h.max)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return DeliveryRefused, http.StatusRequestEntityTooLarge, ""
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return DeliveryRefused, http.StatusBadRequest, ""
	}
	ev, err := h.parser.ParseWebhook(r.Header, body)
	if err != nil {
		status := http.StatusBadRequest
		if rs, ok := h.parser.(interface{ RefusalStatus(error) int }); ok {
			if s := rs.RefusalStatus(err); s >= 400 && s < 500 {
				status = s
			}
		}
		h.logger.WarnContext(ctx, "webhook refused", "provider", h.provider, "status", status, "error", err)
		http.Error(w, "invalid webhook", status)
		return DeliveryRefused, status, ""
	}
	key := eventKey(ev, body)
	owner := newOwner()
	state, err := h.log.Claim(ctx, key, owner, h.lease)
	if err != nil {
		h.logger.ErrorContext(ctx, "webhook event log failed; the provider will deliver again", "provider", ev.Provider, "event", ev.ID, "error", err)
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return DeliveryStoreDown, http.StatusServiceUnavailable, ev.Type
	}
	switch state {
	case Done:
		h.logger.InfoContext(ctx, "webhook already handled", "provider", ev.Provider, "event", ev.ID, "type", ev.Type)
		w.WriteHeader(http.StatusOK)
		return DeliveryDuplicate, http.StatusOK, ev.Type
	case Claimed:
	default: // InProgress, or a state this version does not know
		h.logger.InfoContext(ctx, "webhook being handled by another delivery; the provider will deliver again", "provider", ev.Provider, "event", ev.ID, "type", ev.Type)
		http.Error(w, "being handled; try again later", http.StatusServiceUnavailable)
		return DeliveryInProgress, http.StatusServiceUnavailable, ev.Type
	}
	if err := h.run(ctx, ev); err != nil {
		// A fresh context: the delivery's may have ended with the failure.
		if rerr := h.log.Release(context.WithoutCancel(ctx), key, owner); rerr != nil {
			h.logger.ErrorContext(ctx, "webhook event log release failed; the event waits for its lease to expire", "error", rerr)
		}
		h.logger.ErrorContext(ctx, "webhook handler failed", "provider", ev.Provider, "event", ev.ID, "type", ev.Type, "error", err)
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return DeliveryFailed, http.StatusInternalServerError, ev.Type
	}
	if err := h.log.Complete(context.WithoutCancel(ctx), key, owner, h.retention); err != nil {
		// The event was handled: answering 500 would have it handled again
		// once the lease expires. Say 200; a redelivery after the lease is
		// the only risk left, and only if the provider sends one.
		h.logger.ErrorContext(ctx, "webhook event log could not record a handled event", "provider", ev.Provider, "event", ev.ID, "error", err)
	}
	w.WriteHeader(http.StatusOK)
	return DeliveryHandled, http.StatusOK, ev.Type
}

// run calls the handler, turning a panic into an error so that the claim is
// released and the provider delivers again.
func (h *webhookHandler) run(ctx context.Context, ev *Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v", v)
		}
	}()
	return h.handle(ctx, ev)
}

// eventKey identifies a delivery: the provider's event id where it has one,
// else the hash of the body (a redelivery sends the same bytes).
func eventKey(ev *Event, body []byte) string {
	if ev.ID != "" {
		return string(ev.Provider) + ":" + ev.ID
	}
	sum := sha256.Sum256(body)
	return string(ev.Provider) + ":sha256:" + hex.EncodeToString(sum[:])
}

// newOwner returns a random name for a delivery's claim.
func newOwner() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
