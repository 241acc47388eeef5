package main

import (
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/unipay/payments"
)

// Product is something the shop sells, priced in each currency it takes.
type Product struct {
	ID          string
	Name        string
	Description string
	Prices      map[string]int64 // currency → amount in minor units
}

// Price returns the product's price in currency.
func (p Product) Price(currency string) (payments.Money, bool) {
	a, ok := p.Prices[currency]
	return payments.Money{Amount: a, Currency: currency}, ok
}

// Order is one purchase and what the shop knows of its payment.
type Order struct {
	ID        string
	Product   Product
	Provider  payments.ProviderName
	Amount    payments.Money
	PaymentID string
	// Status is the payment's state as last verified with the provider; it is
	// never set from a return URL or a webhook's claim.
	Status   payments.Status
	Raw      string // the provider's own status
	Refunded payments.Money
	// PendingRefund is what was refunded and is still on its way (a
	// Moneroo payout not yet paid), as last verified.
	PendingRefund payments.Money
	// RefundOptions is what the provider needs to refund the order, kept
	// from the checkout (Hub2: the number the customer typed, and the
	// name); nil for the others.
	RefundOptions any
	NextAction    *payments.NextAction
	// NotStarted reports that the provider refused to open the checkout:
	// no payment exists, and none will come.
	NotStarted bool
	// Failure is why the provider declined or cancelled the payment, in its
	// words where it gives them.
	Failure string
	// ReturnQuery is the query of the last return URL, kept for providers
	// that read more from it than Verify does (HelloAsso's VerifyReturn,
	// which trusts it only as far as HelloAsso confirms it).
	ReturnQuery url.Values
	Problem     string   // the last problem, in plain words for the customer
	History     []string // what happened, oldest first
	CreatedAt   time.Time
}

// Store keeps orders in memory.
type Store struct {
	mu        sync.Mutex
	seq       int
	orders    map[string]*Order
	byPayment map[string]string // provider:payment id → order id
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{orders: map[string]*Order{}, byPayment: map[string]string{}}
}

// Create records a new order.
func (s *Store) Create(p Product, provider payments.ProviderName, amount payments.Money) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	o := &Order{ID: "A" + strconv.Itoa(1000+s.seq), Product: p, Provider: provider, Amount: amount, CreatedAt: time.Now()}
	s.orders[o.ID] = o
	return *o
}

// Get returns a copy of the order.
func (s *Store) Get(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return *o, true
}

// ByPayment finds the order a provider's payment belongs to.
func (s *Store) ByPayment(provider payments.ProviderName, paymentID string) (Order, bool) {
	s.mu.Lock()
	id, ok := s.byPayment[string(provider)+":"+paymentID]
	s.mu.Unlock()
	if !ok {
		return Order{}, false
	}
	return s.Get(id)
}

// Update changes the order under the store's lock, and notes what happened.
func (s *Store) Update(id, note string, f func(*Order)) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	if f != nil {
		f(o)
	}
	if o.PaymentID != "" {
		s.byPayment[string(o.Provider)+":"+o.PaymentID] = o.ID
	}
	if note != "" {
		o.History = append(o.History, time.Now().Format("15:04:05")+" "+note)
	}
	return *o, true
}

// List returns every order, newest first.
func (s *Store) List() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].CreatedAt.After(out[j].CreatedAt) || (out[i].CreatedAt.Equal(out[j].CreatedAt) && out[i].ID > out[j].ID)
	})
	return out
}
