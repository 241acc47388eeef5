package payments

import (
	"context"
	"sort"
	"sync"
	"time"
)

// RefundState is where a refund by payout stands in a RefundLedger.
type RefundState string

// The refund states.
const (
	// RefundReserved: recorded before its payout leaves. It stays reserved
	// while nobody knows whether the provider received the payout (the
	// answer was lost): the amount is counted as refunded-or-pending, so that
	// no second refund can take it, and the payout is never sent again by
	// itself. Only finding the payout settles it.
	RefundReserved RefundState = "reserved"
	// RefundPending: the provider accepted the payout and is processing it.
	RefundPending RefundState = "pending"
	// RefundSucceeded: the money reached the payer.
	RefundSucceeded RefundState = "succeeded"
	// RefundFailed: the payout surely moved no money (refused, or failed at
	// the provider): its amount is free to refund again.
	RefundFailed RefundState = "failed"
)

// Final reports whether the state can no longer change.
func (s RefundState) Final() bool { return s == RefundSucceeded || s == RefundFailed }

// RefundEntry is one refund by payout, as a RefundLedger keeps it.
type RefundEntry struct {
	// ID is the refund's id, made by the library before the payout leaves
	// and carried in the payout's reference or metadata, so that a payout
	// found later can be matched to it.
	ID string
	// PaymentID is the payment refunded.
	PaymentID string
	// Amount is how much goes back.
	Amount Money
	// State is where the refund stands.
	State RefundState
	// PayoutID is the provider's id for the payout, once known.
	PayoutID string
	// Reason is the merchant's reason, as RefundRequest.Reason gave it.
	Reason string
	// CreatedAt and UpdatedAt are the ledger's own timestamps.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RefundLedger records refunds made by payout against their payment, for
// providers with no refund API (Moneroo, Hub2): reserve, send, confirm.
// Two refunds racing on one payment can never overdraw it, and a payout
// whose answer was lost is never sent twice: its entry stays reserved until
// the payout is found and settled. Replicas share one ledger on a store (the
// stores modules of this repository); every implementation passes the
// conformance suite in paymentstest/suite.
type RefundLedger interface {
	// Reserve records e (State RefundReserved) against e.PaymentID unless
	// the payment's refunds that are not failed, e included, would add up
	// to more than limit: then it records nothing and returns an
	// ErrConflict *Error. It is atomic: of two Reserves racing for the last
	// of a payment's amount, one fails.
	Reserve(ctx context.Context, e RefundEntry, limit Money) error
	// Update moves the refund id of paymentID to state, with the payout's
	// id when it is known (empty keeps the one recorded). A final state is
	// never left: updating a succeeded or failed refund to another state
	// returns an ErrConflict *Error. An unknown refund is ErrNotFound.
	Update(ctx context.Context, paymentID, id string, state RefundState, payoutID string) error
	// Refunds returns the payment's refunds, oldest first.
	Refunds(ctx context.Context, paymentID string) ([]RefundEntry, error)
	// Find returns the refund whose payout has payoutID, for a payout
	// webhook that names only the payout; ErrNotFound if none has.
	Find(ctx context.Context, payoutID string) (RefundEntry, error)
}

// RefundTotals adds up a payment's refunds: what reached the payer, and what
// is reserved or on its way. Failed refunds count for nothing.
func RefundTotals(entries []RefundEntry, currency string) (refunded, pending Money) {
	refunded, pending = Money{Currency: currency}, Money{Currency: currency}
	for _, e := range entries {
		switch e.State {
		case RefundSucceeded:
			refunded.Amount += e.Amount.Amount
		case RefundReserved, RefundPending:
			pending.Amount += e.Amount.Amount
		}
	}
	return refunded, pending
}

// MemoryRefundLedger is a RefundLedger in the process's memory: the
// default, right for one process and for tests. The zero value is ready to
// use.
type MemoryRefundLedger struct {
	mu      sync.Mutex
	entries map[string][]RefundEntry // by payment id
}

// Reserve implements RefundLedger.
func (l *MemoryRefundLedger) Reserve(_ context.Context, e RefundEntry, limit Money) error {
	if e.ID == "" || e.PaymentID == "" || e.Amount.Amount <= 0 {
		return &Error{Op: "reserve refund", Kind: ErrInvalidRequest, NotSent: true,
			Message: "a refund needs an id, a payment id and a positive amount"}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[string][]RefundEntry{}
	}
	var taken int64
	for _, x := range l.entries[e.PaymentID] {
		if x.ID == e.ID {
			return &Error{Op: "reserve refund", Kind: ErrConflict, Message: "refund " + e.ID + " is already recorded"}
		}
		if x.State != RefundFailed {
			taken += x.Amount.Amount
		}
	}
	// limit - taken, not taken + amount: the sum could overflow.
	if e.Amount.Currency != limit.Currency || e.Amount.Amount > limit.Amount-taken {
		left := Money{Amount: max(limit.Amount-taken, 0), Currency: limit.Currency}
		return &Error{Op: "reserve refund", Kind: ErrConflict,
			Message: "refunding " + e.Amount.String() + " of payment " + e.PaymentID + " would exceed what it paid: " + left.String() + " remains"}
	}
	now := time.Now()
	e.State, e.CreatedAt, e.UpdatedAt = RefundReserved, now, now
	l.entries[e.PaymentID] = append(l.entries[e.PaymentID], e)
	return nil
}

// Update implements RefundLedger.
func (l *MemoryRefundLedger) Update(_ context.Context, paymentID, id string, state RefundState, payoutID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	list := l.entries[paymentID]
	for i := range list {
		if list[i].ID != id {
			continue
		}
		e := &list[i]
		if e.State.Final() && e.State != state {
			return &Error{Op: "update refund", Kind: ErrConflict, Message: "refund " + id + " is already " + string(e.State)}
		}
		e.State, e.UpdatedAt = state, time.Now()
		if payoutID != "" {
			e.PayoutID = payoutID
		}
		return nil
	}
	return &Error{Op: "update refund", Kind: ErrNotFound, Message: "no refund " + id + " for payment " + paymentID}
}

// Refunds implements RefundLedger.
func (l *MemoryRefundLedger) Refunds(_ context.Context, paymentID string) ([]RefundEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]RefundEntry(nil), l.entries[paymentID]...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, nil
}

// Find implements RefundLedger.
func (l *MemoryRefundLedger) Find(_ context.Context, payoutID string) (RefundEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if payoutID != "" {
		for _, list := range l.entries {
			for _, e := range list {
				if e.PayoutID == payoutID {
					return e, nil
				}
			}
		}
	}
	return RefundEntry{}, &Error{Op: "find refund", Kind: ErrNotFound, Message: "no refund with payout " + payoutID}
}
