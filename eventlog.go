package payments

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// ClaimState is what EventLog.Claim found.
type ClaimState int

// The claim states.
const (
	// Claimed: the caller holds the event's lease and must Complete or
	// Release it.
	Claimed ClaimState = iota + 1
	// InProgress: another delivery holds a live lease on the event.
	InProgress
	// Done: the event was handled within the retention window.
	Done
)

// String returns "claimed", "in progress" or "done".
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case InProgress:
		return "in progress"
	case Done:
		return "done"
	}
	return "ClaimState(" + strconv.Itoa(int(s)) + ")"
}

// EventLog remembers which webhook events were handled and which are being
// handled, so that an event is handled once however many times, and to
// however many replicas, the provider delivers it. WebhookHandler keeps a
// MemoryEventLog by default; replicas share one on a store (the stores
// modules of this repository implement it on Redis and PostgreSQL). Every
// implementation passes the conformance suite in paymentstest/suite.
//
// An event's handling is a lease: a claim expires if its handler never
// finishes (its replica died), so that a later delivery handles the event.
type EventLog interface {
	// Claim takes the lease on the event key for owner, for lease, unless
	// the event is Done or another owner's lease is live (InProgress). An
	// expired lease is taken over.
	Claim(ctx context.Context, key, owner string, lease time.Duration) (ClaimState, error)
	// Complete records the event as handled and remembers it for retention,
	// whoever holds its lease now: the handler did run.
	Complete(ctx context.Context, key, owner string, retention time.Duration) error
	// Release ends owner's lease without completing the event, so that the
	// next delivery handles it. It does nothing if owner no longer holds it.
	Release(ctx context.Context, key, owner string) error
}

// MemoryEventLog is an EventLog in memory, for a single process. It forgets
// an event when its lease or retention ends, and the oldest events first
// beyond its size.
type MemoryEventLog struct {
	mu      sync.Mutex
	entries map[string]*memoryEvent
	ring    []string // the keys in the order they were first claimed; the oldest is at next
	next    int
	now     func() time.Time
}

type memoryEvent struct {
	owner string
	until time.Time // the lease's or the retention's end
	done  bool
}

// NewMemoryEventLog returns a MemoryEventLog that remembers up to size
// events (10,000 if size is 0 or less).
func NewMemoryEventLog(size int) *MemoryEventLog {
	if size <= 0 {
		size = 10000
	}
	return &MemoryEventLog{entries: map[string]*memoryEvent{}, ring: make([]string, size), now: time.Now}
}

// Claim implements EventLog.
func (l *MemoryEventLog) Claim(_ context.Context, key, owner string, lease time.Duration) (ClaimState, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	e := l.entry(key)
	if now.Before(e.until) {
		if e.done {
			return Done, nil
		}
		if e.owner != owner {
			return InProgress, nil
		}
	}
	*e = memoryEvent{owner: owner, until: now.Add(lease)}
	return Claimed, nil
}

// Complete implements EventLog.
func (l *MemoryEventLog) Complete(_ context.Context, key, owner string, retention time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	*l.entry(key) = memoryEvent{owner: owner, until: l.now().Add(retention), done: true}
	return nil
}

// Release implements EventLog.
func (l *MemoryEventLog) Release(_ context.Context, key, owner string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.entries[key]; ok && !e.done && e.owner == owner {
		e.until = time.Time{}
	}
	return nil
}

// entry returns key's entry, making room for it in the ring (forgetting
// the oldest event) if it is new. l.mu must be held.
func (l *MemoryEventLog) entry(key string) *memoryEvent {
	if e, ok := l.entries[key]; ok {
		return e
	}
	if old := l.ring[l.next]; old != "" {
		delete(l.entries, old)
	}
	l.ring[l.next] = key
	l.next = (l.next + 1) % len(l.ring)
	e := &memoryEvent{}
	l.entries[key] = e
	return e
}
