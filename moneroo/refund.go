package moneroo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Moneroo has no refund API. With Config.RefundByPayout, Refund gives money
// back by a payout to the number the payer paid with, recorded in the
// refund ledger before it leaves (reserve, send, confirm), so that two
// refunds can never overdraw a payment and a payout whose answer was lost
// is never sent twice.

// The metadata keys of a refund's payout, so that a payout found later (in
// the dashboard, or named by a payout.* webhook) leads back to its refund.
const (
	// PaymentMetadataKey holds the id of the payment refunded.
	PaymentMetadataKey = "unipay_payment"
	// RefundMetadataKey holds the refund's id in the ledger
	// (payments.RefundEntry.ID).
	RefundMetadataKey = "unipay_refund"
)

// refundMetadataKeys is how many metadata entries a refund's payout holds
// of the library's own: PaymentMetadataKey, RefundMetadataKey and
// ReferenceMetadataKey (the order's reference, when the payment has one).
const refundMetadataKeys = 3

// RefundOptions are Moneroo's own settings for a refund by payout. Pass
// them (value or pointer) in payments.RefundRequest.Options.
type RefundOptions struct {
	// Metadata is kept with the payout besides the library's keys
	// (PaymentMetadataKey, RefundMetadataKey, ReferenceMetadataKey): at
	// most MaxMetadataEntries-3 (7) string entries, none under those keys.
	Metadata map[string]string
}

// ReservedRefund is the cause (payments.Error.Err) of a refund that stayed
// reserved in the ledger: its payout may have reached Moneroo (the answer
// was lost, or could not be read), or it did and the ledger could not
// record it. The library never sends it again by itself. Find the payout
// in Moneroo's dashboard by its metadata (RefundMetadataKey = RefundID) and
// record it with Client.SettleRefund, or, once sure there is none, free the
// amount with Client.ReleaseRefund; a payout.* webhook settles it too.
//
//	var reserved *moneroo.ReservedRefund
//	if errors.As(err, &reserved) { /* keep reserved.PaymentID and RefundID for staff */ }
type ReservedRefund struct {
	PaymentID string         // the payment refunded
	RefundID  string         // the refund's id in the ledger and in the payout's metadata
	Amount    payments.Money // how much the payout was for
	// PayoutID is the payout's id when Moneroo gave one (the payout left,
	// and the ledger failed to record it); "" when the answer was lost.
	PayoutID string
	// Err is what went wrong: the send's error, or the ledger's.
	Err error
}

// Error says which refund stayed reserved, and why.
func (r *ReservedRefund) Error() string {
	msg := "refund " + r.RefundID + " of payment " + r.PaymentID + " (" + r.Amount.String() + ") stays reserved"
	if r.Err != nil {
		msg += ": " + r.Err.Error()
	}
	return msg
}

// Unwrap returns Err.
func (r *ReservedRefund) Unwrap() error { return r.Err }

// Refund gives money back by a payout to the payer, when Config.
// RefundByPayout is set; otherwise it fails with ErrUnsupported, sending
// nothing (Moneroo has no refund API).
//
// A zero Amount refunds what remains: what was paid, minus what was
// refunded or is on its way. A partial refund is allowed, in whole major
// units only (Moneroo's payouts take integers): 10.50 USD is refused on
// "Amount" before anything is sent, never rounded. The refund goes:
//
//  1. Verify the payment (GET /v1/payments/{id}/verify): it must be paid
//     (success; else ErrConflict), with a method that has a payout
//     counterpart (PayoutMethod; else ErrUnsupported naming the method),
//     the payer's number (capture.phone_number) and the customer's email
//     and names, which a payout requires (else ErrUnsupported).
//  2. Settle the payment's refunds whose payouts are still pending (read
//     them), then reserve this one in Config.RefundLedger with the paid
//     amount as limit: refunded plus pending plus this never exceeds it
//     (else ErrConflict), even between replicas sharing the ledger.
//  3. Send the payout (POST /v1/payouts/initialize) to the same number,
//     with the payment's method's payout counterpart, the payer's email
//     and names, Reason as description ("Refund of payment <id>" when
//     empty; at most MaxDescription characters), and the payment id,
//     the refund id and the order's reference in its metadata.
//  4. Record the outcome: the payout's id and "pending" when Moneroo
//     accepts it; "failed" when the payout surely never left, or Moneroo
//     refused it outright (400, 401, 403, 404, 422, 429: no payout was
//     made), freeing its amount; any other failure (a 5xx, a timeout, an
//     answer that cannot be read) leaves it reserved, and the error, of
//     the cause's Kind, has a *ReservedRefund as cause and says so.
//
// The returned Refund's ID is Moneroo's payout id and its Status is
// pending: the payout completes later. Verify then reports it in
// RefundedAmount (success) or PendingRefundAmount (on its way), and a
// failed payout frees its amount for another refund.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	if c.ledger == nil {
		return nil, check.Unsupported(payments.Moneroo, op,
			"Moneroo has no refund API; set Config.RefundByPayout to refund by a payout to the payer, or send one from Moneroo's dashboard")
	}
	fe, opts := checkRefund(req)
	if err := fe.Err(payments.Moneroo, op); err != nil {
		return nil, err
	}
	src, err := c.refundSource(ctx, op, req.PaymentID)
	if err != nil {
		return nil, err
	}
	if !req.Amount.IsZero() && req.Amount.Currency != src.paid.Currency {
		return nil, check.InvalidRequest(payments.Moneroo, op, payments.FieldError{Field: "Amount.Currency",
			Message: "is " + req.Amount.Currency + ", but payment " + req.PaymentID + " was paid in " + src.paid.Currency})
	}
	entries, err := c.settle(ctx, op, req.PaymentID)
	if err != nil {
		return nil, err
	}
	amount := req.Amount
	if amount.IsZero() {
		refunded, pending := payments.RefundTotals(entries, src.paid.Currency)
		left := src.paid.Amount - refunded.Amount - pending.Amount
		if left <= 0 {
			return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict, NotSent: true,
				Message: "payment " + req.PaymentID + " has nothing left to refund: " + refunded.String() + " refunded, " + pending.String() + " on its way"}
		}
		amount = payments.Money{Amount: left, Currency: src.paid.Currency}
	}
	major, err := amount.Major()
	if err != nil {
		return nil, check.InvalidRequest(payments.Moneroo, op, payments.FieldError{Field: "Amount",
			Message: "what remains, " + amount.String() + ", is not a whole number of " + amount.Currency +
				" units, and Moneroo pays out whole units only: give an Amount"})
	}
	entry := payments.RefundEntry{ID: newRefundID(), PaymentID: req.PaymentID, Amount: amount, Reason: req.Reason}
	if err := c.ledger.Reserve(ctx, entry, src.paid); err != nil {
		return nil, ledgerError(op, err)
	}

	out, err := c.initializePayout(ctx, src.payout(major, entry, opts))
	// The caller's context may end with the send: the ledger must hear of
	// its outcome all the same.
	record := context.WithoutCancel(ctx)
	if err != nil {
		mapFields(err, refundField)
		if payments.MaybeSent(err) && !refused(err) {
			// A payout.* webhook may have found the payout while the answer
			// was being lost.
			if e, ok := findRefund(c.ledgerRefunds(record, entry.PaymentID), entry.ID); ok && e.PayoutID != "" {
				return settledRefund(op, e, nil)
			}
			return nil, reservedError(op, err, entry, "")
		}
		if uerr := c.ledger.Update(record, entry.PaymentID, entry.ID, payments.RefundFailed, ""); uerr != nil {
			// No payout was made; the entry stays reserved, which only
			// holds back its amount until ReleaseRefund.
			return nil, withOp(err, op+" (the refund ledger could not record that no payout was made: "+uerr.Error()+
				"; call Client.ReleaseRefund for refund "+entry.ID+")")
		}
		return nil, withOp(err, op)
	}
	r := &payments.Refund{Provider: payments.Moneroo, ID: out.ID, PaymentID: req.PaymentID, Amount: amount,
		Status: payments.StatusPending, Raw: out.Raw}
	uerr := c.ledger.Update(record, entry.PaymentID, entry.ID, payments.RefundPending, out.ID)
	if uerr == nil {
		return r, nil
	}
	if !errors.Is(uerr, payments.ErrConflict) {
		return nil, reservedError(op, uerr, entry, out.ID)
	}
	// A payout.* webhook settled the refund before the answer came back.
	if e, ok := findRefund(c.ledgerRefunds(record, entry.PaymentID), entry.ID); ok {
		return settledRefund(op, e, out.Raw)
	}
	return r, nil
}

// settledRefund is the outcome of refund e, which a payout.* webhook
// settled while Refund waited for Moneroo's answer: the Refund, or, for a
// payout that failed at once, an ErrDeclined error.
func settledRefund(op string, e payments.RefundEntry, raw []byte) (*payments.Refund, error) {
	r := &payments.Refund{Provider: payments.Moneroo, ID: e.PayoutID, PaymentID: e.PaymentID, Amount: e.Amount,
		Status: payments.StatusPending, Raw: raw}
	switch e.State {
	case payments.RefundSucceeded:
		r.Status = payments.StatusSucceeded
	case payments.RefundFailed:
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrDeclined, Raw: raw,
			Message: "Moneroo made payout " + e.PayoutID + " for refund " + e.ID + ", and it failed at once: nothing was refunded"}
	}
	return r, nil
}

// payer is what a refund by payout reads from the verified payment.
type payer struct {
	paid         payments.Money
	payoutMethod string
	number       string // the payer's number, international, without "+"
	customer     CustomerInput
	reference    string // the order's reference, where Create stored it
}

// refundSource verifies payment id and reads what its refund's payout
// needs, refusing a payment that cannot be refunded by payout.
func (c *Client) refundSource(ctx context.Context, op, id string) (*payer, error) {
	t, err := c.VerifyPayment(ctx, id)
	if err != nil {
		return nil, withOp(err, op)
	}
	refuse := func(kind payments.Kind, msg string) error {
		return &payments.Error{Provider: payments.Moneroo, Op: op, Kind: kind, Message: msg, Raw: t.Raw, NotSent: true}
	}
	if t.Status != "success" {
		return nil, refuse(payments.ErrConflict, "payment "+id+" is "+strconv.Quote(t.Status)+": only a paid payment (success) can be refunded")
	}
	if c.cfg.Environment == payments.Production && strings.EqualFold(t.Environment, "sandbox") {
		return nil, refuse(payments.ErrIntegrity, "payment "+id+" was made in Moneroo's sandbox, but the client is configured for Production: is a sandbox key in use?")
	}
	paid, err := readMoney(t.Amount, t.Currency, "payment")
	if err != nil {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse, Message: err.Error(), Raw: t.Raw}
	}
	s := &payer{paid: paid, reference: t.Metadata[ReferenceMetadataKey]}
	var method, number string
	if t.Capture != nil {
		method, number = t.Capture.Method.Key(), string(t.Capture.PhoneNumber)
	}
	if method == "" {
		method = t.Method.Key()
	}
	if number == "" {
		number = string(t.PaymentPhoneNumber)
	}
	if method == "" {
		return nil, refuse(payments.ErrUnsupported, "Moneroo does not say which method paid payment "+id+": it cannot be refunded by payout")
	}
	pm, ok := PayoutMethod(method)
	if !ok {
		return nil, refuse(payments.ErrUnsupported, "payment "+id+" was paid with "+strconv.Quote(check.Quote(method))+
			", which has no Moneroo payout method: it cannot be refunded by payout (cards, crypto, bank transfer, QR codes, USSD and some wallets cannot)")
	}
	s.payoutMethod = pm
	s.number = strings.TrimPrefix(strings.TrimSpace(number), "+")
	var fe check.FieldErrors
	if pm == DemoPayoutMethod {
		checkRecipient(&fe, pm, Recipient{AccountNumber: s.number})
	} else {
		checkRecipient(&fe, pm, Recipient{MSISDN: s.number})
	}
	if number == "" || len(fe) > 0 {
		return nil, refuse(payments.ErrUnsupported, "Moneroo reports no usable number for the payer of payment "+id+
			" ("+strconv.Quote(check.Quote(number))+"): a payout needs one in international form")
	}
	if cu := t.Customer; cu != nil {
		s.customer = CustomerInput{Email: string(cu.Email), FirstName: string(cu.FirstName), LastName: string(cu.LastName)}
	}
	fe = nil
	checkCustomer(&fe, s.customer)
	if len(fe) > 0 {
		return nil, refuse(payments.ErrUnsupported, "Moneroo reports the payer of payment "+id+
			" without the email, first and last name a payout requires: "+fe[0].String())
	}
	return s, nil
}

// payout is the body of the payout refunding e, major units of the
// payment's currency.
func (s *payer) payout(major int64, e payments.RefundEntry, opts RefundOptions) *PayoutRequest {
	desc := e.Reason
	if desc == "" {
		desc = "Refund of payment " + e.PaymentID
		if len(desc) > MaxDescription {
			desc = "Refund"
		}
	}
	md := make(map[string]string, len(opts.Metadata)+refundMetadataKeys)
	for k, v := range opts.Metadata {
		md[k] = v
	}
	md[PaymentMetadataKey], md[RefundMetadataKey] = e.PaymentID, e.ID
	if s.reference != "" {
		md[ReferenceMetadataKey] = s.reference
	}
	in := &PayoutRequest{
		Amount: major, Currency: s.paid.Currency, Description: desc, Customer: s.customer,
		Metadata: md, Method: s.payoutMethod,
	}
	if s.payoutMethod == DemoPayoutMethod {
		in.Recipient.AccountNumber = s.number
	} else {
		in.Recipient.MSISDN = s.number
	}
	return in
}

// checkRefund checks a refund request before anything is read or sent:
// the library's rules, a whole number of major units, a Reason Moneroo
// takes as a description, and RefundOptions.
func checkRefund(req payments.RefundRequest) (check.FieldErrors, RefundOptions) {
	fe := check.Refund(req)
	opts := check.OptionsAs[RefundOptions](req.Options, &fe)
	if _, known := payments.MinorUnits(req.Amount.Currency); known && req.Amount.Amount > 0 {
		if _, err := req.Amount.Major(); err != nil {
			fe.Addf("Amount", "%s: Moneroo pays out whole %s units only, and the library never rounds", req.Amount, req.Amount.Currency)
		}
	}
	chars(&fe, "Reason", req.Reason, MaxDescription)
	var md check.FieldErrors
	check.Metadata(&md, opts.Metadata, MaxMetadataEntries-refundMetadataKeys)
	for _, f := range md {
		fe.Add("Options."+f.Field, f.Message)
	}
	for _, k := range []string{PaymentMetadataKey, RefundMetadataKey, ReferenceMetadataKey} {
		if _, ok := opts.Metadata[k]; ok {
			fe.Addf("Options.Metadata", "key %q is the library's own; leave it out", k)
		}
	}
	return fe, opts
}

// refundField returns the Go path in a RefundRequest of the payout field
// Moneroo calls name, or "" for the fields the library read from the
// payment (method, recipient, customer), which keep Moneroo's name.
func refundField(name string) string {
	switch f := payoutField(name); {
	case f == "Amount", f == "Metadata":
		return f
	case f == "Description":
		return "Reason"
	case strings.HasPrefix(f, "Metadata["):
		return "Options." + f
	}
	return ""
}

// refused reports whether err is Moneroo's (or a proxy's) outright refusal
// of a payout, after which no payout exists: a request it could not read
// (400), credentials or rights it refused (401, 403), a path it does not
// serve (404), a body it refused (422), or a request it did not handle
// (429).
func refused(err error) bool {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return false
	}
	switch perr.HTTPStatus {
	case 400, 401, 403, 404, 422, 429:
		return true
	}
	return false
}

// reservedError is the error of refund e that stays reserved because of
// cause; payoutID is the payout's id, when known.
func reservedError(op string, cause error, e payments.RefundEntry, payoutID string) error {
	out := &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrUnavailable}
	var perr *payments.Error
	if errors.As(cause, &perr) {
		out.Kind, out.Code, out.HTTPStatus, out.RequestID, out.Raw = perr.Kind, perr.Code, perr.HTTPStatus, perr.RequestID, perr.Raw
		out.RetryAfter, out.Fields = perr.RetryAfter, perr.Fields
	}
	how := "Moneroo may have made the payout (it has no idempotency key); it is never sent again by itself. " +
		"Find the payout whose metadata " + RefundMetadataKey + " is " + e.ID + " in Moneroo's dashboard and call " +
		"Client.SettleRefund with its id (a payout.* webhook settles it too), or, once sure there is none, Client.ReleaseRefund"
	if payoutID != "" {
		how = "Moneroo made payout " + payoutID + ", but the refund ledger did not record it: call Client.SettleRefund with " +
			"that payout id (a payout.* webhook settles it too)"
	}
	rr := &ReservedRefund{PaymentID: e.PaymentID, RefundID: e.ID, Amount: e.Amount, PayoutID: payoutID, Err: cause}
	out.Message = rr.Error() + ". " + how
	out.Err = rr
	return out
}

// ledgerError is the error of op when the refund ledger failed with err:
// the ledger's own *payments.Error (ErrConflict above the paid amount,
// ErrNotFound) named for Moneroo, or ErrUnavailable. Nothing was sent.
func ledgerError(op string, err error) error {
	var perr *payments.Error
	if errors.As(err, &perr) {
		out := *perr
		out.Provider, out.NotSent = payments.Moneroo, true
		if out.Op != "" && out.Op != op {
			out.Op = op + " (" + out.Op + ")"
		} else {
			out.Op = op
		}
		return &out
	}
	return &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrUnavailable, NotSent: true,
		Message: "the refund ledger failed: " + err.Error(), Err: err}
}

// newRefundID returns a new refund id: "rf_" and 24 random hex digits.
func newRefundID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "rf_" + hex.EncodeToString(b[:])
}

// findRefund returns the refund id of entries.
func findRefund(entries []payments.RefundEntry, id string) (payments.RefundEntry, bool) {
	for _, e := range entries {
		if e.ID == id {
			return e, true
		}
	}
	return payments.RefundEntry{}, false
}

// ledgerRefunds returns payment id's refunds, or none when the ledger
// fails.
func (c *Client) ledgerRefunds(ctx context.Context, id string) []payments.RefundEntry {
	entries, _ := c.ledger.Refunds(ctx, id)
	return entries
}
