package helloassotest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// intent is a checkout intent and what became of it.
type intent struct {
	id       int64
	body     createBody
	page     string // the checkout page's key
	metadata json.RawMessage
	created  time.Time
	expired  bool
	order    *order // set once the payer paid or was refused
}

// order is what a checkout becomes once the payer went through the page.
type order struct {
	id       int64
	date     time.Time
	updated  time.Time
	intent   *intent
	payments []*payment
	total    int64
}

// payment is one payment of an order: the first now, one per future term.
type payment struct {
	id          int64
	order       *order
	amount      int64
	date        time.Time
	installment int
	state       string
	refunds     []refundOp
}

// refundOp is a refund of a payment.
type refundOp struct {
	id          int64
	amount      int64
	cancelOrder bool
	sendMail    bool
	date        time.Time
	state       string
	paymentID   int64
}

// refundable is what is left to refund of p.
func (p *payment) refundable() int64 {
	left := p.amount
	for _, r := range p.refunds {
		left -= r.amount
	}
	return left
}

// id returns the next id; s.mu must be held.
func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}

// pageURL is the checkout page of in.
func (s *Server) pageURL(in *intent) string {
	return s.URL + "/associations/" + OrganizationSlug + "/checkout/" + in.page
}

// ErrUnknownIntent is what Pay, Decline, Expire and Notification return for
// an id the simulator does not know.
var ErrUnknownIntent = errors.New("helloassotest: unknown checkout intent")

// ErrCheckoutClosed is what Pay and Decline return when the payer can no
// longer pay on the intent's page: paid, refused or expired.
var ErrCheckoutClosed = errors.New("helloassotest: the checkout is closed")

// Pay completes checkout intent id as a payer whose card is authorised: an
// order is created with its first payment Authorized (and its future terms
// Pending), and the Payment and Order notifications are posted.
func (s *Server) Pay(id string) error {
	_, err := s.decide(context.Background(), id, true)
	return err
}

// Decline completes checkout intent id as a payer whose card is refused: an
// order is created with its payment Refused, and a Payment notification is
// posted.
func (s *Server) Decline(id string) error {
	_, err := s.decide(context.Background(), id, false)
	return err
}

// Expire makes checkout intent id's page expire, as 15 minutes after its
// creation: the page no longer takes a payment. The intent stays readable.
func (s *Server) Expire(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.lookup(id)
	if err != nil {
		return err
	}
	in.expired = true
	return nil
}

func (s *Server) lookup(id string) (*intent, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, ErrUnknownIntent
	}
	in, ok := s.intents[n]
	if !ok {
		return nil, ErrUnknownIntent
	}
	return in, nil
}

// decide pays or refuses an intent, posts the notifications, and returns
// where the browser goes back to.
func (s *Server) decide(ctx context.Context, id string, paid bool) (string, error) {
	s.mu.Lock()
	in, err := s.lookup(id)
	if err != nil {
		s.mu.Unlock()
		return "", err
	}
	if in.order != nil || in.expired {
		s.mu.Unlock()
		return "", ErrCheckoutClosed
	}
	now := s.now()
	o := &order{id: s.id(), date: now, updated: now, intent: in, total: in.body.total()}
	first := &payment{id: s.id(), order: o, amount: in.body.initial(), date: now, installment: 1, state: "Authorized"}
	o.payments = append(o.payments, first)
	if !paid {
		first.state = "Refused"
	} else {
		for i, t := range in.body.Terms {
			o.payments = append(o.payments, &payment{id: s.id(), order: o, amount: deref(t.Amount), date: parseDate(t.Date), installment: i + 2, state: "Pending"})
		}
	}
	in.order = o
	for _, p := range o.payments {
		s.payments[p.id] = p
	}
	s.orders[o.id] = o
	notes := []any{s.notification("Payment", first.detail(), in)}
	if paid {
		notes = append(notes, s.notification("Order", o.json(), in))
	}
	target := s.webhookURL
	back := returnTo(in)
	s.mu.Unlock()
	s.deliver(ctx, target, notes...)
	return back, nil
}

// Notification returns a signed notification about checkout intent id's
// order, as HelloAsso would post it: eventType "Order" (the order) or
// "Payment" (its first payment). The intent must have an order.
func (s *Server) Notification(id, eventType string) (http.Header, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.lookup(id)
	if err != nil {
		return nil, nil, err
	}
	if in.order == nil {
		return nil, nil, fmt.Errorf("helloassotest: checkout intent %s has no order yet", id)
	}
	var n any
	switch eventType {
	case "Order":
		n = s.notification(eventType, in.order.json(), in)
	case "Payment":
		n = s.notification(eventType, in.order.payments[0].detail(), in)
	default:
		return nil, nil, fmt.Errorf("helloassotest: no %q notification for a checkout intent", eventType)
	}
	body, err := json.Marshal(n)
	if err != nil {
		return nil, nil, err
	}
	return paymentstest.SignHelloAsso(SignatureKey, body), body, nil
}

// notification builds a notification body; s.mu must be held.
func (s *Server) notification(eventType string, data any, in *intent) any {
	return struct {
		EventType string          `json:"eventType"`
		Data      any             `json:"data"`
		Metadata  json.RawMessage `json:"metadata,omitempty"`
	}{eventType, data, in.metadata}
}

// deliver posts the notifications, signed, to target (if any). HelloAsso
// retries until it gets a 200; the simulator tries once.
func (s *Server) deliver(ctx context.Context, target string, notes ...any) {
	if target == "" {
		return
	}
	for _, n := range notes {
		body, err := json.Marshal(n)
		if err != nil {
			continue
		}
		_, _ = simkit.Deliver(ctx, target, paymentstest.SignHelloAsso(SignatureKey, body), body)
	}
}

// JSON shapes, as HelloAsso's API returns them.

type jsonAmount struct {
	Total    int64 `json:"total"`
	Vat      int64 `json:"vat"`
	Discount int64 `json:"discount"`
}

type jsonMeta struct {
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

type jsonRefund struct {
	ID             int64  `json:"id"`
	Amount         int64  `json:"amount"`
	CancelOrder    bool   `json:"cancelOrder"`
	CreationDate   string `json:"creationDate"`
	State          string `json:"state"`
	SendRefundMail bool   `json:"sendRefundMail"`
	PaymentID      int64  `json:"paymentId"`
}

func (r refundOp) json() jsonRefund {
	return jsonRefund{ID: r.id, Amount: r.amount, CancelOrder: r.cancelOrder, CreationDate: stamp(r.date),
		State: r.state, SendRefundMail: r.sendMail, PaymentID: r.paymentID}
}

// paymentFields are the fields of a payment, in an order or on its own.
type paymentFields struct {
	ID                int64        `json:"id"`
	Amount            int64        `json:"amount"`
	AmountTip         int64        `json:"amountTip"`
	Date              string       `json:"date"`
	PaymentMeans      string       `json:"paymentMeans"`
	InstallmentNumber int          `json:"installmentNumber"`
	State             string       `json:"state"`
	Type              string       `json:"type"`
	CashOutState      string       `json:"cashOutState"`
	PaymentReceiptURL string       `json:"paymentReceiptUrl,omitempty"`
	Meta              jsonMeta     `json:"meta"`
	RefundOperations  []jsonRefund `json:"refundOperations,omitempty"`
}

func (p *payment) fields() paymentFields {
	f := paymentFields{
		ID: p.id, Amount: p.amount, Date: stamp(p.date), PaymentMeans: "Card", InstallmentNumber: p.installment,
		State: p.state, Type: "Credit", CashOutState: "MoneyIn",
		Meta: jsonMeta{CreatedAt: stamp(p.date), UpdatedAt: stamp(p.order.updated)},
	}
	if p.state == "Authorized" || p.state == "Refunded" {
		f.PaymentReceiptURL = fmt.Sprintf("https://www.helloasso-sandbox.com/associations/%s/checkout/paiement-attestation/%d", OrganizationSlug, p.order.id)
	}
	for _, r := range p.refunds {
		f.RefundOperations = append(f.RefundOperations, r.json())
	}
	return f
}

// detail is a payment as GET /v5/payments/{id} and Payment notifications
// show it: with its order, which names the checkout intent.
func (p *payment) detail() any {
	o := p.order
	return struct {
		paymentFields
		Order any `json:"order"`
		Payer any `json:"payer,omitempty"`
	}{p.fields(), struct {
		ID               int64  `json:"id"`
		Date             string `json:"date"`
		FormSlug         string `json:"formSlug"`
		FormType         string `json:"formType"`
		OrganizationSlug string `json:"organizationSlug"`
		CheckoutIntentID int64  `json:"checkoutIntentId"`
	}{o.id, stamp(o.date), "default", "Checkout", OrganizationSlug, o.intent.id}, o.intent.body.payerJSON()}
}

// json is an order as HelloAsso's OrderDetail.
func (o *order) json() any {
	ps := make([]paymentFields, len(o.payments))
	for i, p := range o.payments {
		ps[i] = p.fields()
	}
	type item struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Amount int64  `json:"amount"`
		Type   string `json:"type"`
		State  string `json:"state"`
	}
	return struct {
		ID               int64           `json:"id"`
		Date             string          `json:"date"`
		FormSlug         string          `json:"formSlug"`
		FormType         string          `json:"formType"`
		OrganizationName string          `json:"organizationName"`
		OrganizationSlug string          `json:"organizationSlug"`
		CheckoutIntentID int64           `json:"checkoutIntentId"`
		Meta             jsonMeta        `json:"meta"`
		Payer            any             `json:"payer,omitempty"`
		Items            []item          `json:"items"`
		Payments         []paymentFields `json:"payments"`
		Amount           jsonAmount      `json:"amount"`
	}{
		ID: o.id, Date: stamp(o.date), FormSlug: "default", FormType: "Checkout",
		OrganizationName: "Association simulée", OrganizationSlug: OrganizationSlug, CheckoutIntentID: o.intent.id,
		Meta:     jsonMeta{CreatedAt: stamp(o.date), UpdatedAt: stamp(o.updated)},
		Payer:    o.intent.body.payerJSON(),
		Items:    []item{{ID: o.id, Name: o.intent.body.ItemName, Amount: o.total, Type: "Payment", State: "Processed"}},
		Payments: ps,
		Amount:   jsonAmount{Total: o.total},
	}
}

// intentJSON is GET …/checkout-intents/{id}: the order only once there is one.
func (s *Server) intentJSON(in *intent) any {
	var o any
	if in.order != nil {
		o = in.order.json()
	}
	return struct {
		ID          int64           `json:"id"`
		RedirectURL string          `json:"redirectUrl"`
		Metadata    json.RawMessage `json:"metadata,omitempty"`
		Order       any             `json:"order,omitempty"`
	}{in.id, s.pageURL(in), in.metadata, o}
}

// stamp formats t as HelloAsso does: seven fraction digits and an offset.
func stamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.0000000-07:00") }

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
