package payments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
)

// Event is a provider's notification about a payment (or a payout), after its
// signature was checked. Its Status is a hint: call Verify (or VerifyPaid)
// before acting on it.
type Event struct {
	Provider  ProviderName
	ID        string // identifies this notification, for deduplication
	Type      string // the provider's event type, such as "payment.success"
	PaymentID string // the payment it concerns, as Verify takes it
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
	Provider      ProviderName
	PaymentID     string // the payment to Verify
	Reference     string // the merchant's order id, where the adapter can recover it
	ClaimedStatus Status // what the URL claims; never act on it
	Query         url.Values
}

// ReturnParser is implemented by adapters whose provider sends the customer
// back with parameters in the return URL.
type ReturnParser interface {
	// ParseReturn reads the return URL's query. It fails with ErrInvalidRequest
	// when the query does not name a payment.
	ParseReturn(q url.Values) (*Return, error)
}

// EventLog remembers which webhook deliveries were handled, so that a
// redelivered event is acknowledged without running the handler twice.
// WebhookHandler keeps one in memory by default; give it a shared one
// (a database table with a unique key) when several replicas take webhooks.
type EventLog interface {
	// Claim records that the event with this key is being handled. It returns
	// false when the key was already claimed: handled, or being handled.
	Claim(ctx context.Context, key string) (bool, error)
	// Release forgets a claim whose handling failed, so that the provider's
	// next delivery of the event is handled.
	Release(ctx context.Context, key string) error
}

// DefaultMaxWebhookBytes is the most a WebhookHandler reads of a body.
const DefaultMaxWebhookBytes = 1 << 20

// HandlerOption configures a WebhookHandler.
type HandlerOption func(*webhookHandler)

// WithEventLog makes the handler remember handled events in l.
func WithEventLog(l EventLog) HandlerOption { return func(h *webhookHandler) { h.log = l } }

// WithMaxWebhookBytes changes the body size limit (DefaultMaxWebhookBytes).
func WithMaxWebhookBytes(n int64) HandlerOption { return func(h *webhookHandler) { h.max = n } }

// WithHandlerLogger logs refused deliveries and handler failures through l.
func WithHandlerLogger(l *slog.Logger) HandlerOption { return func(h *webhookHandler) { h.logger = l } }

// WebhookHandler serves a provider's webhook endpoint. For each POST it reads
// at most 1 MiB of body (413 beyond), has p check the signature and decode the
// event (400 if that fails: a redelivery would not help), and calls handle:
// 200 when it returns nil, 500 when it fails so that the provider delivers
// again. An event already handled is answered 200 without calling handle.
//
// handle should be quick (providers time out after a few seconds) and must
// not trust Event.Status: call VerifyPaid before fulfilling an order.
func WebhookHandler(p WebhookParser, handle func(context.Context, *Event) error, opts ...HandlerOption) http.Handler {
	h := &webhookHandler{parser: p, handle: handle, max: DefaultMaxWebhookBytes}
	for _, o := range opts {
		o(h)
	}
	if h.log == nil {
		h.log = NewMemoryEventLog(0)
	}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	return h
}

type webhookHandler struct {
	parser WebhookParser
	handle func(context.Context, *Event) error
	log    EventLog
	max    int64
	logger *slog.Logger
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.logger.WarnContext(ctx, "webhook body too large", "limit", h.max)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	ev, err := h.parser.ParseWebhook(r.Header, body)
	if err != nil {
		h.logger.WarnContext(ctx, "webhook refused", "error", err)
		http.Error(w, "invalid webhook", http.StatusBadRequest)
		return
	}
	key := eventKey(ev, body)
	claimed, err := h.log.Claim(ctx, key)
	if err != nil {
		h.logger.ErrorContext(ctx, "webhook event log failed", "error", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	if !claimed {
		h.logger.InfoContext(ctx, "webhook already handled", "provider", ev.Provider, "event", ev.ID, "type", ev.Type)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.handle(ctx, ev); err != nil {
		if rerr := h.log.Release(ctx, key); rerr != nil {
			h.logger.ErrorContext(ctx, "webhook event log release failed", "error", rerr)
		}
		h.logger.ErrorContext(ctx, "webhook handler failed", "provider", ev.Provider, "event", ev.ID, "type", ev.Type, "error", err)
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
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

// MemoryEventLog is an EventLog in memory that remembers the most recent keys
// up to a bound, forgetting the oldest first. It suits a single process.
type MemoryEventLog struct {
	mu    sync.Mutex
	keys  map[string]int // key → its slot in order
	order []string       // a ring of the remembered keys, oldest at next
	next  int
}

// NewMemoryEventLog returns a MemoryEventLog that remembers up to size keys
// (10,000 if size is 0 or less).
func NewMemoryEventLog(size int) *MemoryEventLog {
	if size <= 0 {
		size = 10000
	}
	return &MemoryEventLog{keys: make(map[string]int), order: make([]string, size)}
}

// Claim implements EventLog.
func (l *MemoryEventLog) Claim(_ context.Context, key string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.keys[key]; ok {
		return false, nil
	}
	if old := l.order[l.next]; old != "" {
		delete(l.keys, old)
	}
	l.order[l.next] = key
	l.keys[key] = l.next
	l.next = (l.next + 1) % len(l.order)
	return true, nil
}

// Release implements EventLog.
func (l *MemoryEventLog) Release(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if slot, ok := l.keys[key]; ok {
		l.order[slot] = ""
		delete(l.keys, key)
	}
	return nil
}
