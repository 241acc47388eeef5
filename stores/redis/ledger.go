package redisstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/ledgerkit"
)

// RefundLedger is a payments.RefundLedger on Redis. Each payment's refunds
// are one hash, "{ledger}:refunds:" and the payment id after the prefix,
// holding the sum of its refunds that did not fail ("taken"), a counter
// that orders them ("seq") and, per refund, one field per part: "s:" and
// the refund id its state, "a:" its amount, and so on. Each payout id is a
// key, "{ledger}:payouts:" and the payout id, naming the payment and the
// refund. The "{ledger}" hash tag, right after the prefix, keeps all these
// keys in one slot whatever the prefix holds (Redis hashes the text between
// the first '{' and the next '}'), so a script may touch a payment's hash
// and a payout's key at once on a Redis Cluster too; refunds are few, one
// node holds them easily.
//
// Nothing here expires: the ledger is a record of money sent. Run Redis
// with persistence (appendonly) and an eviction policy that never evicts
// keys without a ttl (noeviction, or a volatile-* one): a ledger forgotten
// on a restart would let a payment be refunded again.
type RefundLedger struct{ s *Store }

var _ payments.RefundLedger = (*RefundLedger)(nil)

// The fields of one refund in its payment's hash: a prefix and the refund
// id. Ids may hold anything, ':' included: a field is split at its first
// ':' only, and its prefix is one letter.
const (
	fieldState   = "s:" // payments.RefundState
	fieldAmount  = "a:" // minor units, a decimal int64
	fieldCur     = "c:" // currency
	fieldReason  = "r:" // the merchant's reason
	fieldPayout  = "p:" // the payout id, once known
	fieldSeq     = "n:" // the order of reservation
	fieldCreated = "t:" // microseconds since the epoch, on Redis's clock
	fieldUpdated = "u:" // idem
)

// ledgerNow is a Lua expression of Redis's clock in microseconds since the
// epoch, as a decimal string: built from TIME's two strings, never through
// a Lua number.
const ledgerNow = `(function() local t = redis.call('TIME') return t[1] .. string.format('%06d', tonumber(t[2])) end)()`

// reserveScript records refund ARGV[1] (amount ARGV[2], currency ARGV[3],
// reason ARGV[4]) in the payment hash KEYS[1], reserved, if the sum of the
// payment's refunds that did not fail is at most ARGV[5] (the limit minus
// the amount, "-1" when the amount alone exceeds it). It returns {2, the
// time recorded}, {1, the sum} when the refund does not fit, or {0, ""}
// when the refund id is already recorded. Amounts never pass through a Lua
// number (a double, exact only to 2^53): the sum is HINCRBY's exact 64-bit
// integer, compared as a decimal string.
var reserveScript = redis.NewScript(`
local id = ARGV[1]
if redis.call('HEXISTS', KEYS[1], '` + fieldState + `' .. id) == 1 then return {0, ''} end
local taken = redis.call('HGET', KEYS[1], 'taken') or '0'
local most = ARGV[5]
-- taken and most are decimal integers, taken never negative: compare by
-- length, then digit by digit.
if string.sub(most, 1, 1) == '-' or #taken > #most or (#taken == #most and taken > most) then
	return {1, taken}
end
local now = ` + ledgerNow + `
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HINCRBY', KEYS[1], 'taken', ARGV[2])
redis.call('HSET', KEYS[1], '` + fieldState + `' .. id, '` + string(payments.RefundReserved) + `',
	'` + fieldAmount + `' .. id, ARGV[2], '` + fieldCur + `' .. id, ARGV[3], '` + fieldReason + `' .. id, ARGV[4],
	'` + fieldSeq + `' .. id, seq, '` + fieldCreated + `' .. id, now, '` + fieldUpdated + `' .. id, now)
return {2, now}
`)

// updateScript moves refund ARGV[1] of the payment hash KEYS[1] to state
// ARGV[2] unless it is in another final state; with a payout id ARGV[3], it
// records it and points the payout's key KEYS[2] at the refund (ARGV[4]).
// It frees the amount of a refund that fails (once: failed is final). It
// returns {2, ""} when done, {1, the state} when the refund is in another
// final state, {0, ""} when there is no such refund.
var updateScript = redis.NewScript(`
local id, state = ARGV[1], ARGV[2]
local was = redis.call('HGET', KEYS[1], '` + fieldState + `' .. id)
if not was then return {0, ''} end
local final = {['` + string(payments.RefundSucceeded) + `'] = true, ['` + string(payments.RefundFailed) + `'] = true}
if final[was] and was ~= state then return {1, was} end
if state == '` + string(payments.RefundFailed) + `' and was ~= state then
	redis.call('HINCRBY', KEYS[1], 'taken', '-' .. redis.call('HGET', KEYS[1], '` + fieldAmount + `' .. id))
end
redis.call('HSET', KEYS[1], '` + fieldState + `' .. id, state, '` + fieldUpdated + `' .. id, ` + ledgerNow + `)
if KEYS[2] then
	redis.call('HSET', KEYS[1], '` + fieldPayout + `' .. id, ARGV[3])
	redis.call('SET', KEYS[2], ARGV[4])
end
return {2, ''}
`)

// refundsKey is the hash of a payment's refunds; payoutKey the key of a
// payout id. The hash tag puts them all in one Redis Cluster slot: it
// comes before anything that differs between them.
func (l *RefundLedger) refundsKey(paymentID string) string {
	return l.s.key("{ledger}:refunds", paymentID)
}

func (l *RefundLedger) payoutKey(payoutID string) string {
	return l.s.key("{ledger}:payouts", payoutID)
}

// Reserve implements payments.RefundLedger in one round trip: one script
// that checks the payment's sum and records the refund.
func (l *RefundLedger) Reserve(ctx context.Context, e payments.RefundEntry, limit payments.Money) error {
	if err := ledgerkit.CheckEntry(e); err != nil {
		return err
	}
	if e.Amount.Currency != limit.Currency {
		return &payments.Error{Op: "reserve refund", Kind: payments.ErrConflict,
			Message: "refund " + e.ID + " is in " + e.Amount.Currency + ", payment " + e.PaymentID + " in " + limit.Currency}
	}
	most := int64(-1) // the amount alone exceeds the limit
	if e.Amount.Amount <= limit.Amount {
		most = limit.Amount - e.Amount.Amount // no overflow: 0 < amount <= limit
	}
	res, err := reserveScript.Run(ctx, l.s.rdb, []string{l.refundsKey(e.PaymentID)}, e.ID,
		strconv.FormatInt(e.Amount.Amount, 10), e.Amount.Currency, e.Reason, strconv.FormatInt(most, 10)).Slice()
	if err != nil {
		return fmt.Errorf("redisstore: reserve refund %q of payment %q: %w", e.ID, e.PaymentID, err)
	}
	code, detail, err := scriptAnswer(res)
	if err != nil {
		return fmt.Errorf("redisstore: reserve refund %q of payment %q: %w", e.ID, e.PaymentID, err)
	}
	switch code {
	case 2:
		return nil
	case 1:
		taken, err := strconv.ParseInt(detail, 10, 64)
		if err != nil {
			return fmt.Errorf("redisstore: reserve refund %q of payment %q: the sum %q: %w", e.ID, e.PaymentID, detail, err)
		}
		return ledgerkit.Exceeds(e, limit, taken)
	case 0:
		return &payments.Error{Op: "reserve refund", Kind: payments.ErrConflict, Message: "refund " + e.ID + " is already recorded"}
	}
	return fmt.Errorf("redisstore: reserve refund %q of payment %q: the script answered %d", e.ID, e.PaymentID, code)
}

// Update implements payments.RefundLedger in one round trip: one script
// that checks the state, frees a failed refund's amount, and records the
// payout id and its key.
func (l *RefundLedger) Update(ctx context.Context, paymentID, id string, state payments.RefundState, payoutID string) error {
	if err := ledgerkit.CheckState(state); err != nil {
		return err
	}
	keys := []string{l.refundsKey(paymentID)}
	if payoutID != "" {
		keys = append(keys, l.payoutKey(payoutID))
	}
	res, err := updateScript.Run(ctx, l.s.rdb, keys, id, string(state), payoutID, payoutTarget(paymentID, id)).Slice()
	if err != nil {
		return fmt.Errorf("redisstore: update refund %q of payment %q: %w", id, paymentID, err)
	}
	code, was, err := scriptAnswer(res)
	if err != nil {
		return fmt.Errorf("redisstore: update refund %q of payment %q: %w", id, paymentID, err)
	}
	switch code {
	case 2:
		return nil
	case 1:
		return &payments.Error{Op: "update refund", Kind: payments.ErrConflict, Message: "refund " + id + " is already " + was}
	case 0:
		return ledgerkit.NotFound(paymentID, id)
	}
	return fmt.Errorf("redisstore: update refund %q of payment %q: the script answered %d", id, paymentID, code)
}

// Refunds implements payments.RefundLedger in one round trip (HGETALL).
func (l *RefundLedger) Refunds(ctx context.Context, paymentID string) ([]payments.RefundEntry, error) {
	fields, err := l.s.rdb.HGetAll(ctx, l.refundsKey(paymentID)).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: refunds of payment %q: %w", paymentID, err)
	}
	type seqEntry struct {
		seq int64
		e   payments.RefundEntry
	}
	var out []seqEntry
	for f := range fields {
		id, ok := strings.CutPrefix(f, fieldState)
		if !ok {
			continue
		}
		seq, e, err := readEntry(paymentID, id, func(field string) (string, bool) {
			v, ok := fields[field+id]
			return v, ok
		})
		if err != nil {
			return nil, fmt.Errorf("redisstore: refunds of payment %q: %w", paymentID, err)
		}
		out = append(out, seqEntry{seq, e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	entries := make([]payments.RefundEntry, len(out))
	for i, x := range out {
		entries[i] = x.e
	}
	return entries, nil
}

// entryFields are the fields readEntry reads, in the order Find asks for
// them.
var entryFields = []string{fieldState, fieldAmount, fieldCur, fieldReason, fieldPayout, fieldSeq, fieldCreated, fieldUpdated}

// Find implements payments.RefundLedger in two round trips: the payout's
// key, then the refund it names. A key left by a payout id that the refund
// no longer carries finds nothing.
func (l *RefundLedger) Find(ctx context.Context, payoutID string) (payments.RefundEntry, error) {
	if payoutID == "" {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	target, err := l.s.rdb.Get(ctx, l.payoutKey(payoutID)).Result()
	if errors.Is(err, redis.Nil) {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	if err != nil {
		return payments.RefundEntry{}, fmt.Errorf("redisstore: find refund of payout %q: %w", payoutID, err)
	}
	paymentID, id, ok := parsePayoutTarget(target)
	if !ok {
		return payments.RefundEntry{}, fmt.Errorf("redisstore: find refund of payout %q: its key holds %q", payoutID, target)
	}
	names := make([]string, len(entryFields))
	for i, f := range entryFields {
		names[i] = f + id
	}
	vals, err := l.s.rdb.HMGet(ctx, l.refundsKey(paymentID), names...).Result()
	if err != nil {
		return payments.RefundEntry{}, fmt.Errorf("redisstore: find refund of payout %q: %w", payoutID, err)
	}
	got := map[string]string{}
	for i, v := range vals {
		if s, ok := v.(string); ok {
			got[entryFields[i]] = s
		}
	}
	if _, ok := got[fieldState]; !ok {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	_, e, err := readEntry(paymentID, id, func(field string) (string, bool) {
		v, ok := got[field]
		return v, ok
	})
	if err != nil {
		return payments.RefundEntry{}, fmt.Errorf("redisstore: find refund of payout %q: %w", payoutID, err)
	}
	if e.PayoutID != payoutID {
		return payments.RefundEntry{}, ledgerkit.NoPayout(payoutID)
	}
	return e, nil
}

// readEntry builds refund id of paymentID from its fields, which get
// returns by their prefix; it returns the entry's order too.
func readEntry(paymentID, id string, get func(field string) (string, bool)) (int64, payments.RefundEntry, error) {
	e := payments.RefundEntry{ID: id, PaymentID: paymentID}
	state, _ := get(fieldState)
	e.State = payments.RefundState(state)
	e.Amount.Currency, _ = get(fieldCur)
	e.Reason, _ = get(fieldReason)
	e.PayoutID, _ = get(fieldPayout)
	var nums [4]int64
	for i, f := range []string{fieldAmount, fieldSeq, fieldCreated, fieldUpdated} {
		v, _ := get(f)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, payments.RefundEntry{}, fmt.Errorf("refund %q: field %q holds %q", id, f+id, v)
		}
		nums[i] = n
	}
	e.Amount.Amount = nums[0]
	e.CreatedAt, e.UpdatedAt = time.UnixMicro(nums[2]), time.UnixMicro(nums[3])
	return nums[1], e, nil
}

// payoutTarget is what a payout's key holds: the payment id's length, ':',
// the payment id and the refund id, so that ids may hold anything.
func payoutTarget(paymentID, id string) string {
	return strconv.Itoa(len(paymentID)) + ":" + paymentID + id
}

func parsePayoutTarget(v string) (paymentID, id string, ok bool) {
	n, rest, ok := strings.Cut(v, ":")
	size, err := strconv.Atoi(n)
	if !ok || err != nil || size < 0 || size > len(rest) {
		return "", "", false
	}
	return rest[:size], rest[size:], true
}

// scriptAnswer reads a script's {code, detail} answer.
func scriptAnswer(res []any) (int64, string, error) {
	if len(res) != 2 {
		return 0, "", fmt.Errorf("the script answered %v", res)
	}
	code, ok1 := res[0].(int64)
	detail, ok2 := res[1].(string)
	if !ok1 || !ok2 {
		return 0, "", fmt.Errorf("the script answered %v", res)
	}
	return code, detail, nil
}
