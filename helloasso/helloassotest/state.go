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
	// attempts are the orders of the payer's tries, the last one last: a
	// refused card leaves one and the page open for another try.
	attempts []*order
	order    *order // the order whose first payment was authorised, if any
}

// last is the payer's latest attempt, nil before the first.
func (in *intent) last() *order {
	if len(in.attempts) == 0 {
		return nil
	}
	return in.attempts[len(in.attempts)-1]
}

// shown is the order GET …/checkout-intents/{id} returns: HelloAsso's spec
// says the intent carries its order "only when the payment is authorised",
// so a refused attempt is shown only when showRefused asks for it.
func (in *intent) shown(showRefused bool) *order {
	if in.order != nil {
		return in.order
	}
	if showRefused {
		return in.last()
	}
	return nil
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
// Pending), and the Payment and Order notifications are posted. It fails
// with ErrCheckoutClosed once the intent is paid or expired.
func (s *Server) Pay(id string) error {
	_, err := s.decide(context.Background(), id, true)
	return err
}

// Decline makes the payer's card be refused on checkout intent id: an order
// is created with its payment Refused, which GET /v5/orders/{id} shows but
// the intent does not (see ShowRefusedOrders), no notification is posted
// (HelloAsso documents notifications for successful payments), and the
// page stays open for another try until it expires.
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
		in.order = o
	}
	in.attempts = append(in.attempts, o)
	for _, p := range o.payments {
		s.payments[p.id] = p
	}
	s.orders[o.id] = o
	var notes []any
	if paid {
		notes = append(notes, s.notification("Payment", first.detail(), in), s.notification("Order", o.json(), in))
	}
	target := s.webhookURL
	back := returnTo(in)
	s.mu.Unlock()
	s.deliver(ctx, target, notes...)
	return back, nil
}

// Notification returns a signed notification about checkout intent id's
// order, as HelloAsso would post it: eventType "Order" (the order) or
// "Payment" (its first payment). The order is the authorised one, else the
// payer's last attempt; the intent must have one.
func (s *Server) Notification(id, eventType string) (http.Header, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.lookup(id)
	if err != nil {
		return nil, nil, err
	}
	o := in.order
	if o == nil {
		o = in.last()
	}
	if o == nil {
		return nil, nil, fmt.Errorf("helloassotest: checkout intent %s has no order yet", id)
	}
	var n any
	switch eventType {
	case "Order":
		n = s.notification(eventType, o.json(), in)
	case "Payment":
		n = s.notification(eventType, o.payments[0].detail(), in)
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
