// Package paymentstest helps merchants test code that takes payments without
// an account or a network: Fake is an in-memory payments.Checkout whose
// outcomes the test sets; RunContract is the conformance suite every adapter
// passes against its simulator; the Sign functions build webhook deliveries
// that the adapters accept.
package paymentstest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// FakeProvider is the provider name a Fake reports.
const FakeProvider payments.ProviderName = "fake"

// FakeSignatureHeader carries the Fake's webhook signature: lowercase hex
// HMAC-SHA256 of the body with Fake.WebhookSecret.
const FakeSignatureHeader = "X-Fake-Signature"

// FakeOptions are the Fake's own provider options. Any other provider's
// options are refused, as a real adapter refuses them.
type FakeOptions struct {
	// Note is kept on the payment's Metadata under "note".
	Note string
}

// Call is one call a Fake received.
type Call struct {
	Method    string // "Create", "RedirectURL", "Verify" or "Refund"
	PaymentID string // for RedirectURL, Verify and Refund
	Create    *payments.CreateRequest
	Refund    *payments.RefundRequest
}

// Fake is an in-memory payments.Checkout for merchants' unit tests. It
// validates requests as a real adapter does (payments.CreateRequest.Validate,
// plus a required ReturnURL), hands out ids and redirect URLs, records every
// call, and keeps each payment in the state the test sets with SetStatus (or
// Pay, Decline). Refunds follow the rules the real providers apply: only a
// paid payment, never more than what remains. It also implements
// payments.WebhookParser and payments.ReturnParser, so webhook and
// return-URL code can be tested end to end.
//
// The zero Fake is not usable; call NewFake. A Fake is safe for concurrent use.
type Fake struct {
	// WebhookSecret signs the Fake's webhooks (see Webhook).
	WebhookSecret string
	// PageURL prefixes the redirect URLs the Fake hands out.
	PageURL string

	mu       sync.Mutex
	seq      int
	payments map[string]*fakePayment
	calls    []Call
	failNext map[string]error
}

type fakePayment struct {
	req      payments.CreateRequest
	status   payments.Status
	refunded int64
	refunds  int
	created  time.Time
	updated  time.Time
}

var (
	_ payments.Checkout           = (*Fake)(nil)
	_ payments.WebhookParser      = (*Fake)(nil)
	_ payments.ReturnParser       = (*Fake)(nil)
	_ payments.CapabilityReporter = (*Fake)(nil)
)

// NewFake returns an empty Fake.
func NewFake() *Fake {
	return &Fake{
		WebhookSecret: "fake_webhook_secret",
		PageURL:       "https://checkout.fake.invalid/pay/",
		payments:      map[string]*fakePayment{},
		failNext:      map[string]error{},
	}
}

// Provider implements payments.Checkout.
func (f *Fake) Provider() payments.ProviderName { return FakeProvider }

// Capabilities reports that the Fake supports everything, in every currency
// the library knows.
func (f *Fake) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund: true, PartialRefund: true, Webhooks: true, SignedWebhooks: true, ReturnURL: true,
		Currencies: payments.Currencies(),
	}
}

// Create implements payments.Checkout. Bad input is refused with
// payments.ErrInvalidRequest and no payment is made.
func (f *Fake) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	f.record(Call{Method: "Create", Create: &req})
	if err := f.pre(ctx, "Create", "create checkout"); err != nil {
		return nil, err
	}
	fe := check.Create(req)
	if req.ReturnURL == "" {
		fe.Add("ReturnURL", "is required")
	}
	check.OptionsAs[FakeOptions](req.Options, &fe)
	if err := fe.Err(FakeProvider, "create checkout"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	id := "fake_pay_" + strconv.Itoa(f.seq)
	now := time.Now()
	f.payments[id] = &fakePayment{req: req, status: payments.StatusPending, created: now, updated: now}
	return &payments.Session{
		Provider: FakeProvider, ID: id, RedirectURL: f.PageURL + id,
		ExpiresAt: now.Add(15 * time.Minute), Status: payments.StatusPending,
	}, nil
}

// RedirectURL implements payments.Checkout.
func (f *Fake) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	f.record(Call{Method: "RedirectURL", PaymentID: paymentID})
	if err := f.pre(ctx, "RedirectURL", "redirect url"); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(paymentID, "redirect url")
	if err != nil {
		return "", err
	}
	if p.status != payments.StatusPending {
		return "", &payments.Error{Provider: FakeProvider, Op: "redirect url", Kind: payments.ErrConflict,
			Message: "payment " + paymentID + " is " + string(p.status) + ": nothing left to pay"}
	}
	return f.PageURL + paymentID, nil
}

// Verify implements payments.Checkout.
func (f *Fake) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	f.record(Call{Method: "Verify", PaymentID: paymentID})
	if err := f.pre(ctx, "Verify", "verify"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(paymentID, "verify")
	if err != nil {
		return nil, err
	}
	out := &payments.Payment{
		Provider: FakeProvider, ID: paymentID, Reference: p.req.Reference,
		Status: p.status, ProviderStatus: string(p.status), Amount: p.req.Amount,
		Method: "fake", CreatedAt: p.created, UpdatedAt: p.updated,
		Metadata: copyMap(p.req.Metadata),
	}
	if p.refunded > 0 {
		out.RefundedAmount = payments.Money{Amount: p.refunded, Currency: p.req.Amount.Currency}
	}
	if p.status == payments.StatusFailed {
		out.FailureCode, out.FailureMessage = "declined", "the test declined the payment"
	}
	if o := check.OptionsAs[FakeOptions](p.req.Options, new(check.FieldErrors)); o.Note != "" {
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
		out.Metadata["note"] = o.Note
	}
	out.Raw, _ = json.Marshal(map[string]any{"id": paymentID, "status": p.status, "amount": p.req.Amount.Amount, "currency": p.req.Amount.Currency})
	return out, nil
}

// Refund implements payments.Checkout: a zero Amount refunds what remains;
// a refund of an unpaid payment, in another currency, or above what remains
// is refused with payments.ErrInvalidRequest.
func (f *Fake) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	f.record(Call{Method: "Refund", PaymentID: req.PaymentID, Refund: &req})
	if err := f.pre(ctx, "Refund", "refund"); err != nil {
		return nil, err
	}
	if err := check.Refund(req).Err(FakeProvider, "refund"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(req.PaymentID, "refund")
	if err != nil {
		return nil, err
	}
	paid := p.req.Amount
	if p.status != payments.StatusSucceeded && p.status != payments.StatusPartiallyRefunded {
		return nil, refundRefused("payment " + req.PaymentID + " is " + string(p.status) + ": only a paid payment can be refunded")
	}
	remaining := paid.Amount - p.refunded
	amount := req.Amount.Amount
	if req.Amount.IsZero() {
		amount = remaining
	}
	if !req.Amount.IsZero() && req.Amount.Currency != paid.Currency {
		return nil, refundRefused("the refund is in " + req.Amount.Currency + ", the payment in " + paid.Currency)
	}
	if amount > remaining {
		return nil, refundRefused(fmt.Sprintf("cannot refund %s: only %s remains", payments.Money{Amount: amount, Currency: paid.Currency}, payments.Money{Amount: remaining, Currency: paid.Currency}))
	}
	p.refunded += amount
	p.refunds++
	p.updated = time.Now()
	if p.refunded == paid.Amount {
		p.status = payments.StatusRefunded
	} else {
		p.status = payments.StatusPartiallyRefunded
	}
	return &payments.Refund{
		Provider: FakeProvider, ID: req.PaymentID + "_refund_" + strconv.Itoa(p.refunds), PaymentID: req.PaymentID,
		Amount: payments.Money{Amount: amount, Currency: paid.Currency}, Status: payments.StatusSucceeded,
	}, nil
}

// SetStatus puts the payment in status, as if the provider had moved it
// there. Setting StatusRefunded marks the whole amount refunded.
func (f *Fake) SetStatus(paymentID string, status payments.Status) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(paymentID, "set status")
	if err != nil {
		return err
	}
	p.status = status
	p.updated = time.Now()
	if status == payments.StatusRefunded {
		p.refunded = p.req.Amount.Amount
	}
	return nil
}

// Pay marks the payment succeeded, as if the customer paid.
func (f *Fake) Pay(paymentID string) error { return f.SetStatus(paymentID, payments.StatusSucceeded) }

// Decline marks the payment failed, as if the provider declined it.
func (f *Fake) Decline(paymentID string) error { return f.SetStatus(paymentID, payments.StatusFailed) }

// FailNext makes the next call of method ("Create", "RedirectURL", "Verify"
// or "Refund") return err, to test how the merchant's code copes with a
// provider outage, say.
func (f *Fake) FailNext(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext[method] = err
}

// Calls returns every call received so far, oldest first.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Payments returns how many payments were created.
func (f *Fake) Payments() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.payments)
}

// Webhook returns a signed webhook delivery (headers and body) telling of the
// payment's current state, for the Fake's ParseWebhook or a WebhookHandler.
func (f *Fake) Webhook(paymentID string) (http.Header, []byte, error) {
	f.mu.Lock()
	p, err := f.get(paymentID, "webhook")
	var status payments.Status
	if err == nil {
		status = p.status
	}
	f.mu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	body, _ := json.Marshal(fakeEvent{ID: "evt_" + paymentID + "_" + string(status), Type: "payment." + string(status), PaymentID: paymentID, Status: status})
	h := http.Header{}
	h.Set(FakeSignatureHeader, hmacHex(f.WebhookSecret, body))
	h.Set("Content-Type", "application/json")
	return h, body, nil
}

type fakeEvent struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	PaymentID string          `json:"payment_id"`
	Status    payments.Status `json:"status"`
}

// ParseWebhook implements payments.WebhookParser for the Fake's webhooks.
func (f *Fake) ParseWebhook(header http.Header, body []byte) (*payments.Event, error) {
	sig := header.Get(FakeSignatureHeader)
	if sig == "" || !hmac.Equal([]byte(sig), []byte(hmacHex(f.WebhookSecret, body))) {
		return nil, &payments.Error{Provider: FakeProvider, Op: "parse webhook", Kind: payments.ErrInvalidSignature, Message: "missing or wrong " + FakeSignatureHeader}
	}
	var ev fakeEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.PaymentID == "" {
		return nil, &payments.Error{Provider: FakeProvider, Op: "parse webhook", Kind: payments.ErrInvalidRequest, Message: "not a fake payment event", Err: err}
	}
	return &payments.Event{
		Provider: FakeProvider, ID: ev.ID, Type: ev.Type, PaymentID: ev.PaymentID,
		Status: ev.Status, Verified: true, Raw: append(json.RawMessage(nil), body...),
	}, nil
}

// ReturnQuery returns the query the customer's browser would bring back to
// the ReturnURL after paying (or failing to pay) the payment.
func (f *Fake) ReturnQuery(paymentID string) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := url.Values{"payment_id": {paymentID}}
	if p, ok := f.payments[paymentID]; ok {
		q.Set("status", string(p.status))
		q.Set("reference", p.req.Reference)
	}
	return q
}

// ParseReturn implements payments.ReturnParser for ReturnQuery's parameters.
func (f *Fake) ParseReturn(q url.Values) (*payments.Return, error) {
	id := q.Get("payment_id")
	if id == "" {
		return nil, check.InvalidRequest(FakeProvider, "parse return", payments.FieldError{Field: "payment_id", Message: "is missing"})
	}
	return &payments.Return{
		Provider: FakeProvider, PaymentID: id, Reference: q.Get("reference"),
		ClaimedStatus: payments.Status(q.Get("status")), Query: q,
	}, nil
}

func (f *Fake) record(c Call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// pre returns the error FailNext set for method, or the context's error.
func (f *Fake) pre(ctx context.Context, method, op string) error {
	f.mu.Lock()
	err, ok := f.failNext[method]
	delete(f.failNext, method)
	f.mu.Unlock()
	if ok {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return &payments.Error{Provider: FakeProvider, Op: op, Kind: payments.ErrUnavailable, Message: "gave up: " + cerr.Error(), Err: cerr}
	}
	return nil
}

// get returns the payment; f.mu must be held.
func (f *Fake) get(id, op string) (*fakePayment, error) {
	p, ok := f.payments[id]
	if !ok {
		return nil, &payments.Error{Provider: FakeProvider, Op: op, Kind: payments.ErrNotFound, Message: "no payment " + strconv.Quote(id), HTTPStatus: http.StatusNotFound}
	}
	return p, nil
}

func refundRefused(msg string) error {
	return &payments.Error{Provider: FakeProvider, Op: "refund", Kind: payments.ErrInvalidRequest, Message: msg}
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func hmacHex(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}
