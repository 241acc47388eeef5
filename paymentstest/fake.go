package paymentstest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// FakeProvider is the provider name a neutral Fake reports.
const FakeProvider payments.ProviderName = "fake"

// FakeSignatureHeader carries the neutral Fake's webhook signature:
// lowercase hex HMAC-SHA256 of the body with Fake.WebhookSecret.
const FakeSignatureHeader = "X-Fake-Signature"

// FakeOptions are the neutral Fake's own provider options. Any other
// provider's options are refused, as a real adapter refuses them.
type FakeOptions struct {
	// Note is kept on the payment's Metadata under "note".
	Note string
}

// Call is one call a Fake received.
type Call struct {
	Method    string                  // "Create", "RedirectURL", "Verify", "Refund", or a persona's own ("Authenticate")
	PaymentID string                  // for every method but Create
	Create    *payments.CreateRequest // the request, for Create
	Refund    *payments.RefundRequest // the request, for Refund
	// Detail holds the arguments of a persona's own method, such as the
	// code hub2fake's Authenticate received.
	Detail any
}

// Fake is an in-memory payments.Checkout for merchants' unit tests. It
// validates requests as a real adapter does, hands out ids and redirect
// URLs, records every call, and keeps each payment in the state the test
// sets with SetStatus (or Pay, Decline, Fail). Refunds follow the rules the
// real providers apply: only a paid payment, never more than what remains.
// It also implements payments.WebhookParser and payments.ReturnParser, so
// webhook and return-URL code can be tested end to end.
//
// NewFake returns a neutral Fake, which takes every currency and
// FakeOptions. A Fake can also pose as a provider (NewFakeAs with a
// Persona, or the persona packages: monerofake.New, hub2fake.New,
// helloassofake.New, herofake.New): it then reports that provider's name
// and capabilities, takes its Options and refuses what its adapter refuses,
// follows its refund rules, and speaks its webhooks and return URLs.
//
// The zero Fake is not usable; call NewFake or NewFakeAs. A Fake is safe
// for concurrent use.
type Fake struct {
	// WebhookSecret signs the Fake's webhooks (see Webhook) and checks them
	// (ParseWebhook).
	WebhookSecret string
	// PageURL prefixes the redirect URLs the neutral Fake hands out.
	PageURL string

	persona Persona

	mu       sync.Mutex
	seq      int
	payments map[string]*fakePayment
	calls    []Call
	failNext map[string]error
}

type fakePayment struct {
	seq      int
	req      payments.CreateRequest
	session  payments.Session
	status   payments.Status
	refunded int64
	refunds  int
	failure  Failure
	declined bool
	created  time.Time
	updated  time.Time
}

var (
	_ payments.Checkout           = (*Fake)(nil)
	_ payments.WebhookParser      = (*Fake)(nil)
	_ payments.ReturnParser       = (*Fake)(nil)
	_ payments.CapabilityReporter = (*Fake)(nil)
)

func newFake() *Fake {
	return &Fake{
		WebhookSecret: "fake_webhook_secret",
		PageURL:       "https://checkout.fake.invalid/pay/",
		payments:      map[string]*fakePayment{},
		failNext:      map[string]error{},
	}
}

// Provider implements payments.Checkout: FakeProvider, or the name of the
// provider the Fake poses as.
func (f *Fake) Provider() payments.ProviderName { return f.persona.Provider }

// Capabilities reports what the Fake supports: everything, in every
// currency the library knows, for a neutral Fake; the provider's
// capabilities for a posed one.
func (f *Fake) Capabilities() payments.Capabilities {
	c := f.persona.Capabilities
	c.Currencies = append([]string(nil), c.Currencies...)
	return c
}

// Create implements payments.Checkout. Bad input (for a posed Fake, what
// the provider's adapter refuses, another provider's options included) is
// refused with payments.ErrInvalidRequest and no payment is made.
func (f *Fake) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	f.record(Call{Method: "Create", Create: &req})
	if err := f.pre(ctx, "Create", "create checkout"); err != nil {
		return nil, err
	}
	if err := f.validate(req); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	now := time.Now()
	s, fl := f.open(f.seq, req, now)
	fl.Status = s.Status
	f.payments[s.ID] = &fakePayment{seq: f.seq, req: req, session: s, status: s.Status, failure: fl, created: now, updated: now}
	return copySession(s), nil
}

// validate applies the persona's rules, or the neutral ones, then the
// persona's currencies. Every adapter runs the library's generic checks
// within its own, so that they only refuse here what a persona of the
// merchant's own let through.
func (f *Fake) validate(req payments.CreateRequest) error {
	const op = "create checkout"
	if f.persona.Validate != nil {
		if err := f.persona.Validate(req); err != nil {
			return err
		}
		if err := check.Create(req).Err(f.Provider(), op); err != nil {
			return err
		}
	} else {
		fe := check.Create(req)
		if req.ReturnURL == "" {
			fe.Add("ReturnURL", "is required")
		}
		check.OptionsAs[FakeOptions](req.Options, &fe)
		if err := fe.Err(f.Provider(), op); err != nil {
			return err
		}
	}
	if cur := req.Amount.Currency; !f.persona.Capabilities.SupportsCurrency(cur) {
		return check.InvalidRequest(f.Provider(), op, payments.FieldError{Field: "Amount.Currency",
			Message: fmt.Sprintf("%s does not take %q; it takes %v", f.Provider(), cur, f.persona.Capabilities.Currencies)})
	}
	return nil
}

// open returns the session of the n-th payment; f.mu must be held.
func (f *Fake) open(n int, req payments.CreateRequest, now time.Time) (payments.Session, Failure) {
	var s payments.Session
	var fl Failure
	if f.persona.Open != nil {
		s, fl = f.persona.Open(n, req)
	} else {
		s.ID = string(f.Provider()) + "_pay_" + strconv.Itoa(n)
		s.RedirectURL = f.PageURL + s.ID
		s.ExpiresAt = now.Add(15 * time.Minute)
	}
	s.Provider = f.Provider()
	if s.Status == "" {
		s.Status = payments.StatusPending
	}
	return s, fl
}

// RedirectURL implements payments.Checkout: the page of a payment the
// customer has not settled. A settled payment is an ErrConflict; a posed
// Fake whose flow has no page (Hub2's USSD) answers as its adapter does.
func (f *Fake) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	f.record(Call{Method: "RedirectURL", PaymentID: paymentID})
	if err := f.pre(ctx, "RedirectURL", op); err != nil {
		return "", err
	}
	s, err := f.Snapshot(paymentID)
	if err != nil {
		return "", withOp(err, op)
	}
	if f.persona.RedirectURL != nil {
		return f.persona.RedirectURL(s)
	}
	switch {
	case s.Status != payments.StatusPending && s.Status != payments.StatusActionRequired:
		return "", &payments.Error{Provider: f.Provider(), Op: op, Kind: payments.ErrConflict,
			Message: "payment " + paymentID + " is " + string(s.Status) + ": nothing left to pay"}
	case s.Session.RedirectURL == "":
		return "", check.Unsupported(f.Provider(), op, "payment "+paymentID+" has no page to send the customer to")
	}
	return s.Session.RedirectURL, nil
}

// Verify implements payments.Checkout.
func (f *Fake) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	f.record(Call{Method: "Verify", PaymentID: paymentID})
	if err := f.pre(ctx, "Verify", "verify"); err != nil {
		return nil, err
	}
	s, err := f.Snapshot(paymentID)
	if err != nil {
		return nil, withOp(err, "verify")
	}
	out := &payments.Payment{
		Provider: f.Provider(), ID: paymentID, Reference: s.Request.Reference,
		Status: s.Status, ProviderStatus: string(s.Status), Amount: s.Request.Amount,
		CreatedAt: s.Created, UpdatedAt: s.Updated,
		Metadata: copyMap(s.Request.Metadata),
	}
	if s.Refunded > 0 {
		out.RefundedAmount = payments.Money{Amount: s.Refunded, Currency: s.Request.Amount.Currency}
	}
	if s.Status == payments.StatusFailed || s.Status == payments.StatusCanceled {
		out.FailureCode, out.FailureMessage = s.Failure.Code, s.Failure.Message
	}
	out.Raw, _ = json.Marshal(map[string]any{"id": paymentID, "status": s.Status, "amount": s.Request.Amount.Amount, "currency": s.Request.Amount.Currency})
	if f.persona.Payment != nil {
		f.persona.Payment(s, out)
		return out, nil
	}
	out.Method = "fake"
	if o := check.OptionsAs[FakeOptions](s.Request.Options, new(check.FieldErrors)); o.Note != "" {
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
		out.Metadata["note"] = o.Note
	}
	return out, nil
}

// Refund implements payments.Checkout: a zero Amount refunds what remains;
// a refund of an unpaid payment, in another currency, or above what remains
// is refused (payments.ErrInvalidRequest, or the persona's UnpaidRefund
// for a payment with nothing to refund). A posed Fake first refuses what
// its adapter refuses (ErrUnsupported where the provider has no refunds),
// and a partial refund where the provider takes none.
func (f *Fake) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	f.record(Call{Method: "Refund", PaymentID: req.PaymentID, Refund: &req})
	if err := f.pre(ctx, "Refund", op); err != nil {
		return nil, err
	}
	if f.persona.ValidateRefund != nil {
		if err := f.persona.ValidateRefund(req); err != nil {
			return nil, err
		}
	} else if err := check.Refund(req).Err(f.Provider(), op); err != nil {
		return nil, err
	}
	caps := f.persona.Capabilities
	if !caps.Refund {
		return nil, check.Unsupported(f.Provider(), op, string(f.Provider())+" has no refunds")
	}
	f.mu.Lock()
	p, err := f.get(req.PaymentID, op)
	if err != nil {
		f.mu.Unlock()
		return nil, err
	}
	paid := p.req.Amount
	remaining := paid.Amount - p.refunded
	amount := req.Amount.Amount
	if req.Amount.IsZero() {
		amount = remaining
	}
	var refusal error
	switch {
	case p.status != payments.StatusSucceeded && p.status != payments.StatusPartiallyRefunded:
		refusal = f.refusal(f.persona.UnpaidRefund, "payment "+req.PaymentID+" is "+string(p.status)+": only a paid payment with something left can be refunded")
	case !req.Amount.IsZero() && req.Amount.Currency != paid.Currency:
		refusal = f.refusal(payments.ErrInvalidRequest, "the refund is in "+req.Amount.Currency+", the payment in "+paid.Currency)
	case amount > remaining:
		refusal = f.refusal(payments.ErrInvalidRequest, fmt.Sprintf("cannot refund %s: only %s remains",
			payments.Money{Amount: amount, Currency: paid.Currency}, payments.Money{Amount: remaining, Currency: paid.Currency}))
	case !caps.PartialRefund && amount != remaining:
		refusal = f.refusal(payments.ErrInvalidRequest, fmt.Sprintf("%s refunds a payment in full only (%s), not %s",
			f.Provider(), payments.Money{Amount: remaining, Currency: paid.Currency}, payments.Money{Amount: amount, Currency: paid.Currency}))
	}
	if refusal != nil {
		f.mu.Unlock()
		return nil, refusal
	}
	p.refunded += amount
	p.refunds++
	p.updated = time.Now()
	if p.refunded == paid.Amount {
		p.status = payments.StatusRefunded
	} else {
		p.status = payments.StatusPartiallyRefunded
	}
	s := p.snapshot(req.PaymentID)
	f.mu.Unlock()
	r := &payments.Refund{
		Provider: f.Provider(), ID: req.PaymentID + "_refund_" + strconv.Itoa(s.Refunds), PaymentID: req.PaymentID,
		Amount: payments.Money{Amount: amount, Currency: paid.Currency}, Status: payments.StatusSucceeded,
	}
	if f.persona.Refund != nil {
		f.persona.Refund(s, r)
	}
	return r, nil
}

// SetStatus puts the payment in status, as if the provider had moved it
// there. Setting StatusRefunded marks the whole amount refunded; setting
// StatusFailed reports the failure code and message a declined payment has
// (see Fail to choose them).
func (f *Fake) SetStatus(paymentID string, status payments.Status) error {
	fl := Failure{Status: status}
	if d := f.persona.Decline; status == payments.StatusFailed && d.Status == payments.StatusFailed {
		fl = d
	}
	return f.settle(paymentID, fl, false)
}

// Pay marks the payment succeeded, as if the customer paid.
func (f *Fake) Pay(paymentID string) error { return f.SetStatus(paymentID, payments.StatusSucceeded) }

// Decline refuses the payment as the provider refuses a customer's
// attempt: failed for a neutral Fake, or what the posed provider does
// (Persona.Decline: a HelloAsso checkout stays open, pending).
func (f *Fake) Decline(paymentID string) error {
	return f.settle(paymentID, f.persona.Decline, true)
}

// Fail marks the payment failed with the provider's failure code and
// message, which Verify reports (such as Hub2's
// "customer_insufficient_funds"), to test how the merchant's code tells
// the customer.
func (f *Fake) Fail(paymentID, code, message string) error {
	return f.settle(paymentID, Failure{Status: payments.StatusFailed, Code: code, Message: message}, false)
}

func (f *Fake) settle(paymentID string, fl Failure, declined bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(paymentID, "set status")
	if err != nil {
		return err
	}
	p.status, p.failure, p.declined = fl.Status, fl, declined
	p.updated = time.Now()
	if fl.Status == payments.StatusRefunded {
		p.refunded = p.req.Amount.Amount
	}
	return nil
}

// FailNext makes the next call of method ("Create", "RedirectURL", "Verify",
// "Refund", or a persona's own such as "Authenticate") return err, to test
// how the merchant's code copes with a provider outage, say.
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

// Snapshot returns the payment as the Fake holds it, or an ErrNotFound
// error.
func (f *Fake) Snapshot(paymentID string) (Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.get(paymentID, "snapshot")
	if err != nil {
		return Snapshot{}, err
	}
	return p.snapshot(paymentID), nil
}

// Begin starts a call of a persona's own method (hub2fake's Authenticate):
// it records c, then returns the error FailNext set for c.Method, or an
// ErrUnavailable error when ctx has ended. op names the operation in that
// error.
func (f *Fake) Begin(ctx context.Context, c Call, op string) error {
	f.record(c)
	return f.pre(ctx, c.Method, op)
}

// Webhook returns the signed webhook delivery (headers and body) the
// provider would send about the payment's current state, for the Fake's
// ParseWebhook, the real adapter's, or a payments.WebhookHandler. A posed
// Fake sends its provider's body and signature; a provider without
// webhooks has none to send.
func (f *Fake) Webhook(paymentID string) (http.Header, []byte, error) {
	s, err := f.Snapshot(paymentID)
	if err != nil {
		return nil, nil, withOp(err, "webhook")
	}
	switch {
	case !f.persona.Capabilities.Webhooks:
		return nil, nil, check.Unsupported(f.Provider(), "webhook", string(f.Provider())+" sends no webhooks")
	case f.persona.Webhook != nil:
		return f.persona.Webhook(f.WebhookSecret, s)
	}
	body, _ := json.Marshal(fakeEvent{ID: "evt_" + paymentID + "_" + string(s.Status), Type: "payment." + string(s.Status), PaymentID: paymentID, Status: s.Status})
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

// ParseWebhook implements payments.WebhookParser for the Fake's webhooks:
// a posed Fake checks and reads them as its provider's adapter does.
func (f *Fake) ParseWebhook(header http.Header, body []byte) (*payments.Event, error) {
	const op = "parse webhook"
	switch {
	case !f.persona.Capabilities.Webhooks:
		return nil, check.Unsupported(f.Provider(), op, string(f.Provider())+" sends no webhooks")
	case f.persona.ParseWebhook != nil:
		return f.persona.ParseWebhook(f.WebhookSecret, header, body)
	}
	sig := header.Get(FakeSignatureHeader)
	if sig == "" || !hmac.Equal([]byte(sig), []byte(hmacHex(f.WebhookSecret, body))) {
		return nil, &payments.Error{Provider: f.Provider(), Op: op, Kind: payments.ErrInvalidSignature, Message: "missing or wrong " + FakeSignatureHeader}
	}
	var ev fakeEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.PaymentID == "" {
		return nil, &payments.Error{Provider: f.Provider(), Op: op, Kind: payments.ErrInvalidRequest, Message: "not a fake payment event", Err: err}
	}
	return &payments.Event{
		Provider: f.Provider(), ID: ev.ID, Type: ev.Type, PaymentID: ev.PaymentID,
		Status: ev.Status, Verified: true, Raw: append(json.RawMessage(nil), body...),
	}, nil
}

// RefusalStatus is the status payments.WebhookHandler answers a delivery
// ParseWebhook refused with err: 400, or the one the posed provider asks
// for (Moneroo's 403 for a bad signature).
func (f *Fake) RefusalStatus(err error) int {
	if f.persona.RefusalStatus != nil {
		return f.persona.RefusalStatus(err)
	}
	return http.StatusBadRequest
}

// ReturnQuery returns the query the customer's browser would bring back to
// the ReturnURL after paying (or failing to pay) the payment: for a posed
// Fake, the provider's parameters added to the ReturnURL's own, or nil
// when its flow brings the customer back to no URL.
func (f *Fake) ReturnQuery(paymentID string) url.Values {
	if f.persona.ReturnQuery != nil {
		s, err := f.Snapshot(paymentID)
		if err != nil {
			return nil
		}
		return f.persona.ReturnQuery(s)
	}
	q := url.Values{"payment_id": {paymentID}}
	if s, err := f.Snapshot(paymentID); err == nil {
		q.Set("status", string(s.Status))
		q.Set("reference", s.Request.Reference)
	}
	return q
}

// ParseReturn implements payments.ReturnParser for ReturnQuery's
// parameters: a posed Fake reads them as its provider's adapter does.
func (f *Fake) ParseReturn(q url.Values) (*payments.Return, error) {
	if f.persona.ParseReturn != nil {
		return f.persona.ParseReturn(q)
	}
	id := q.Get("payment_id")
	if id == "" {
		return nil, check.InvalidRequest(f.Provider(), "parse return", payments.FieldError{Field: "payment_id", Message: "is missing"})
	}
	return &payments.Return{
		Provider: f.Provider(), PaymentID: id, Reference: q.Get("reference"),
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
		return &payments.Error{Provider: f.Provider(), Op: op, Kind: payments.ErrUnavailable, Message: "gave up: " + cerr.Error(), Err: cerr, NotSent: true}
	}
	return nil
}

// get returns the payment; f.mu must be held.
func (f *Fake) get(id, op string) (*fakePayment, error) {
	p, ok := f.payments[id]
	if !ok {
		return nil, &payments.Error{Provider: f.Provider(), Op: op, Kind: payments.ErrNotFound, Message: "no payment " + strconv.Quote(id), HTTPStatus: http.StatusNotFound}
	}
	return p, nil
}

// snapshot copies the payment; f.mu must be held.
func (p *fakePayment) snapshot(id string) Snapshot {
	return Snapshot{
		Seq: p.seq, ID: id, Request: p.req, Session: *copySession(p.session), Status: p.status,
		Refunded: p.refunded, Refunds: p.refunds, Failure: p.failure, Declined: p.declined,
		Created: p.created, Updated: p.updated,
	}
}

func (f *Fake) refusal(kind payments.Kind, msg string) error {
	return &payments.Error{Provider: f.Provider(), Op: "refund", Kind: kind, Message: msg}
}

// withOp names op on an error from Snapshot.
func withOp(err error, op string) error {
	var perr *payments.Error
	if errors.As(err, &perr) {
		c := *perr
		c.Op = op
		return &c
	}
	return err
}

func copySession(s payments.Session) *payments.Session {
	if s.NextAction != nil {
		na := *s.NextAction
		s.NextAction = &na
	}
	s.Raw = append(json.RawMessage(nil), s.Raw...)
	return &s
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
