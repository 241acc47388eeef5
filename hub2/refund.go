package hub2

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// RefundOptions are Hub2's options for payments.RefundRequest (its
// Options), which a refund by transfer needs (Config.RefundByTransfer):
// Hub2's intent keeps neither the payer's full number nor a name, so the
// merchant gives them, as the customer typed them at checkout.
type RefundOptions struct {
	// MSISDN is the payer's mobile-money number (required): the local form
	// the payment was attempted with ("0700000000", Options.MSISDN), to
	// which the client adds the country's calling code, or the
	// international form a transfer takes ("+2250700000000"). When Hub2
	// shows the payer's number (masked or not), its visible last digits
	// must match.
	MSISDN string
	// RecipientName is the account holder's name, as the operator knows it
	// (required; at most MaxRecipientName bytes).
	RecipientName string
	// Provider is Hub2's code of the payer's operator, such as orange. The
	// verified payment says it; give it only when it does not. It must be
	// the payment's when both say.
	Provider string
	// Country is the ISO 3166-1 alpha-2 code of the operator, such as CI.
	// The verified payment says it; give it only when it does not. It must
	// be the payment's when both say.
	Country string
	// BusinessName, when set, is shown to the payer instead of the
	// merchant's name (Hub2's overrideBusinessName, for aggregators).
	BusinessName string
}

// Refund gives money back by transfer, when Config.RefundByTransfer is on;
// else it returns ErrUnsupported and sends nothing, as Hub2 has no refund
// of a pay-in. req.Options must be RefundOptions (the payer's number and
// name). A zero req.Amount refunds what remains; a smaller one refunds in
// part.
//
// Bad options are refused before any request, naming the field
// (Options.MSISDN, Options.RecipientName…). Then Refund verifies the payment
// (it must be successful), picks the payer's operator and country from it
// (or the options), and refuses what Hub2's payout policy would (an amount
// outside 100 to 1,500,000 or not a multiple of 5, in Guinea 10,000 to
// 1,500,000 GNF in multiples of 1000: the library never rounds) or what
// was paid does not cover (paid, minus what is refunded or on its way).
//
// Then, as every refund by payout goes: the refund is reserved in the
// ledger (atomically: two refunds racing for the same money cannot both
// pass), its transfer sent with the reference "refund.<payment id>.<refund
// id>" (Hub2 links no transfer to a payment), and the outcome recorded:
// pending (or succeeded) with the transfer's id; failed when Hub2 surely
// moved no money (the request never left, or Hub2 refused it with a 4xx
// other than 408 and 409). On any other failure (a 5xx, a timeout, an
// answer lost or unreadable) the transfer may exist: the refund stays
// reserved, its amount taken, and it is never sent again by itself. The
// error says so; Verify, SettleRefunds or a transfer webhook
// (SettleTransferEvent) settles it by finding the transfer by its
// reference.
//
// The returned Refund's ID is the transfer's id (tr_…), its Status
// StatusPending until Hub2 says the transfer succeeded (a webhook, or
// Verify reading it). When the transfer left but the ledger could not
// record it, Refund returns both the Refund and an error: the refund stays
// reserved until a settlement finds its transfer.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	if c.ledger == nil {
		return nil, check.Unsupported(payments.Hub2, op,
			"Hub2 offers no refund of a pay-in; turn on Config.RefundByTransfer to refund by transfer to the payer")
	}
	fe := check.Refund(req)
	opts := check.OptionsAs[RefundOptions](req.Options, &fe)
	checkRefundOptions(&fe, req.PaymentID, opts)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}

	v := new(intentView)
	if err := c.readIntent(ctx, op, "PaymentID", req.PaymentID, false, v); err != nil {
		return nil, err
	}
	p := v.toPayment()
	if p.Status != payments.StatusSucceeded {
		return nil, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrConflict, NotSent: true, Raw: v.raw,
			Message: "payment " + p.ID + " is " + string(p.Status) + " (" + p.ProviderStatus + "): only a successful payment can be refunded"}
	}
	dest, err := destination(op, v, opts)
	if err != nil {
		return nil, err
	}
	entries, err := c.ledger.Refunds(ctx, p.ID)
	if err != nil {
		return nil, ledgerError(op, err)
	}
	amount, err := refundAmount(op, p, entries, req.Amount, dest.Country)
	if err != nil {
		return nil, err
	}

	entry := payments.RefundEntry{ID: c.refundID(), PaymentID: p.ID, Amount: amount, Reason: req.Reason}
	if err := c.ledger.Reserve(ctx, entry, p.Amount); err != nil {
		return nil, ledgerError(op, err)
	}
	description := req.Reason
	if strings.TrimSpace(description) == "" {
		description = "Refund of order " + p.Reference
		if p.Reference == "" {
			description = "Refund of payment " + p.ID
		}
	}
	ref := refundReference(p.ID, entry.ID)
	t, err := c.CreateTransfer(ctx, TransferRequest{
		Reference:            ref,
		Amount:               Amount(amount.Amount),
		Currency:             amount.Currency,
		Description:          description,
		Destination:          dest,
		OverrideBusinessName: opts.BusinessName,
	})
	if err != nil {
		return nil, c.unsent(ctx, op, entry, refundFields(err))
	}
	return c.confirm(ctx, op, entry, t)
}

// unsent records what a failed transfer means for its refund: failed when
// Hub2 surely moved no money, else reserved (its transfer may exist), and
// returns err saying which.
func (c *Client) unsent(ctx context.Context, op string, e payments.RefundEntry, err error) error {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return err
	}
	if refused(perr) {
		if uerr := c.ledger.Update(ctx, e.PaymentID, e.ID, payments.RefundFailed, ""); uerr != nil {
			perr.Message = note(perr.Message, "the ledger could not record refund "+e.ID+" as failed ("+uerr.Error()+
				"): it stays reserved until Verify or SettleRefunds finds no transfer "+refundReference(e.PaymentID, e.ID))
		}
		return err
	}
	perr.Message = note(perr.Message, "Hub2 may have received the transfer of refund "+e.ID+": the refund stays reserved ("+
		e.Amount.String()+" of payment "+e.PaymentID+" taken) and is never sent again by itself; Verify, SettleRefunds "+
		"or a transfer webhook settles it by finding transfer "+refundReference(e.PaymentID, e.ID))
	return err
}

// confirm records the transfer Hub2 accepted for refund e and returns the
// refund, or the failure of a transfer Hub2 failed at once.
func (c *Client) confirm(ctx context.Context, op string, e payments.RefundEntry, t *Transfer) (*payments.Refund, error) {
	state := refundState(t.Status)
	r := &payments.Refund{Provider: payments.Hub2, ID: t.ID, PaymentID: e.PaymentID, Amount: e.Amount,
		Status: payments.StatusPending, Raw: t.raw}
	if err := c.ledger.Update(ctx, e.PaymentID, e.ID, state, t.ID); err != nil {
		if !errors.Is(err, payments.ErrConflict) {
			// The transfer left: the refund stays reserved, its amount
			// taken, until a settlement finds the transfer.
			lerr := ledgerError(op, err)
			lerr.NotSent = false
			lerr.Raw = t.raw
			lerr.Message = note(lerr.Message, "transfer "+t.ID+" of refund "+e.ID+" was sent, but the ledger did not record it: "+
				"the refund stays reserved until Verify or SettleRefunds finds the transfer")
			return r, lerr
		}
		// A webhook settled the refund before this answer was read: the
		// ledger keeps its final state.
		if got, ok, _ := c.find(ctx, op, e.PaymentID, e.ID); ok {
			state = got.State
		}
	}
	switch state {
	case payments.RefundSucceeded:
		r.Status = payments.StatusSucceeded
	case payments.RefundFailed:
		perr := &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrDeclined, Raw: t.raw,
			Message: "Hub2 failed transfer " + t.ID + " of refund " + e.ID + ": no money moved"}
		if t.Failure != nil {
			perr.Code, perr.Message = t.Failure.Code, note(t.Failure.Message, perr.Message)
		}
		return nil, perr
	}
	return r, nil
}

// refused reports whether Hub2 surely moved no money for a transfer that
// failed with e: the request never left, or Hub2 answered with a refusal (a
// 4xx other than 408, a timeout, and 409, which may mean a transfer with
// this reference exists).
func refused(e *payments.Error) bool {
	if e.NotSent {
		return true
	}
	switch e.HTTPStatus {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden,
		http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		return true
	}
	return false
}

// destination resolves where the refund of the intent goes: the operator
// and country of its successful attempt (or the options', when it says
// none), the payer's number in international form and name.
func destination(op string, v *intentView, o RefundOptions) (TransferDestination, error) {
	var fe check.FieldErrors
	country, provider, number := v.payer()
	optCountry, optProvider := strings.ToUpper(strings.TrimSpace(o.Country)), strings.ToLower(strings.TrimSpace(o.Provider))
	switch {
	case country == "":
		country = optCountry
		if country == "" {
			fe.Add("Options.Country", "is required: payment "+v.ID+" does not say the payer's country")
		}
	case optCountry != "" && optCountry != country:
		fe.Addf("Options.Country", "is %s, but payment %s was paid in %s", optCountry, v.ID, country)
	}
	switch {
	case provider == "":
		provider = optProvider
		if provider == "" {
			fe.Add("Options.Provider", "is required: payment "+v.ID+" does not say the payer's operator")
		}
	case optProvider != "" && optProvider != provider:
		fe.Addf("Options.Provider", "is %s, but payment %s was paid with %s", optProvider, v.ID, provider)
	}
	checkPayoutCountry(&fe, "Options.Country", country)
	checkCode(&fe, "Options.Provider", provider)
	msisdn, msg := internationalMSISDN(o.MSISDN, country)
	switch {
	case msg != "":
		fe.Add("Options.MSISDN", msg)
	case !sameTail(msisdn, number):
		fe.Addf("Options.MSISDN", "does not end with the digits Hub2 shows for the payer of payment %s (%s)", v.ID, check.Quote(number))
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return TransferDestination{}, err
	}
	return TransferDestination{Type: DestinationMobileMoney, Country: country, RecipientName: o.RecipientName,
		MSISDN: msisdn, Provider: provider}, nil
}

// sameTail reports whether the number msisdn ends with the digits Hub2
// shows of a payer's number, which may be masked ("07****00", "3958"): the
// digits after the last masking character. Fewer than 2 visible digits, or
// no number at all, prove nothing either way.
func sameTail(msisdn, shown string) bool {
	tail := shown
	if i := strings.LastIndexFunc(shown, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		tail = shown[i+1:]
	}
	if len(tail) < 2 {
		return true
	}
	return strings.HasSuffix(msisdn, tail)
}

// refundAmount returns what the refund of p gives back: amount, or what
// remains when it is zero, and refuses what the payment or Hub2's payout
// policy does not allow.
func refundAmount(op string, p *payments.Payment, entries []payments.RefundEntry, amount payments.Money, country string) (payments.Money, error) {
	refunded, pending := payments.RefundTotals(entries, p.Amount.Currency)
	left := payments.Money{Amount: p.Amount.Amount - refunded.Amount - pending.Amount, Currency: p.Amount.Currency}
	if left.Amount <= 0 {
		return left, &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrConflict, NotSent: true,
			Message: "payment " + p.ID + " has nothing left to refund: " + refunded.String() + " refunded, " + pending.String() + " on its way"}
	}
	var fe check.FieldErrors
	switch {
	case amount.IsZero():
		amount = left
	case amount.Currency != left.Currency:
		fe.Addf("Amount.Currency", "is %s, but payment %s is in %s", check.Quote(amount.Currency), p.ID, left.Currency)
	case amount.Amount > left.Amount:
		fe.Addf("Amount", "%s is more than what remains of payment %s: %s (%s paid, %s refunded, %s on its way)",
			amount, p.ID, left, p.Amount, refunded, pending)
	}
	if !fe.Has("Amount.Currency") {
		checkPayoutAmount(&fe, "Amount", "Amount.Currency", amount, country)
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return amount, err
	}
	return amount, nil
}

// checkRefundOptions records what is wrong with the options of a refund by
// transfer before anything is read: a payment id that cannot go in a
// transfer's reference, no number, no name.
func checkRefundOptions(fe *check.FieldErrors, paymentID string, o RefundOptions) {
	if paymentID != "" && !fe.Has("PaymentID") && !referenceID(paymentID) {
		fe.Addf("PaymentID", "%q is not a Hub2 intent id (pi_ and letters, digits, '-' or '_')", check.Quote(paymentID))
	}
	switch {
	case o.MSISDN == "":
		fe.Add("Options.MSISDN", "is required: the payer's number, as typed at checkout (hub2.RefundOptions)")
	case strings.HasPrefix(o.MSISDN, "+") && !check.E164(o.MSISDN),
		!strings.HasPrefix(o.MSISDN, "+") && !digits(o.MSISDN, 8, 12):
		fe.Addf("Options.MSISDN", "%q is not a mobile number: 8 to 12 digits in local form, or '+', the calling code and the number", check.Quote(o.MSISDN))
	}
	if strings.TrimSpace(o.RecipientName) == "" {
		fe.Add("Options.RecipientName", "is required: the name of the payer's mobile-money account (hub2.RefundOptions)")
	}
	check.Text(fe, "Options.RecipientName", o.RecipientName, MaxRecipientName)
	if c := strings.ToUpper(strings.TrimSpace(o.Country)); c != "" {
		checkCountry(fe, "Options.Country", c)
		checkPayoutCountry(fe, "Options.Country", c)
	}
	checkCode(fe, "Options.Provider", strings.ToLower(strings.TrimSpace(o.Provider)))
	check.Text(fe, "Options.BusinessName", o.BusinessName, MaxBusinessName)
}

// refundFields renames, in an error of the transfer a refund sent, the
// fields Hub2 named to the merchant's RefundRequest.
func refundFields(err error) error {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return err
	}
	for i := range perr.Fields {
		f := &perr.Fields[i]
		switch f.Field {
		case "Destination.MSISDN":
			f.Field = "Options.MSISDN"
		case "Destination.RecipientName":
			f.Field = "Options.RecipientName"
		case "Destination.Provider":
			f.Field = "Options.Provider"
		case "Destination.Country":
			f.Field = "Options.Country"
		case "Currency":
			f.Field = "Amount.Currency"
		case "Description":
			f.Field = "Reason"
		case "OverrideBusinessName":
			f.Field = "Options.BusinessName"
		case "Amount":
		default:
			f.Field = f.ProviderField // the library's own (the reference): Hub2's name
		}
	}
	return err
}

// ledgerError returns err, an error of the refund ledger, as the
// *payments.Error of a refund whose transfer was not sent.
func ledgerError(op string, err error) *payments.Error {
	var perr *payments.Error
	if errors.As(err, &perr) {
		e := *perr
		if e.Provider == "" {
			e.Provider = payments.Hub2
		}
		e.Op, e.NotSent, e.Err = op, true, err
		if e.Kind == "" {
			e.Kind = payments.ErrUnavailable
		}
		return &e
	}
	return &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrUnavailable, NotSent: true,
		Message: "the refund ledger failed: " + err.Error(), Err: err}
}

// note appends a sentence of the library's to a message.
func note(msg, more string) string {
	if msg == "" {
		return more
	}
	return msg + "; " + more
}

// The reference of a refund's transfer is "refund.<payment id>.<refund
// id>": Hub2 takes letters, digits, '-', '_', '.' and space in a reference,
// and its intent ids and the library's refund ids hold no '.', so that the
// reference reads back unambiguously.
const refundPrefix = "refund."

func refundReference(paymentID, refundID string) string {
	return refundPrefix + paymentID + "." + refundID
}

// parseRefundReference returns the payment and refund a transfer's
// reference names, if it is a refund's.
func parseRefundReference(ref string) (paymentID, refundID string, ok bool) {
	rest, ok := strings.CutPrefix(ref, refundPrefix)
	if !ok {
		return "", "", false
	}
	paymentID, refundID, ok = strings.Cut(rest, ".")
	if !ok || !referenceID(paymentID) || !referenceID(refundID) {
		return "", "", false
	}
	return paymentID, refundID, true
}

// referenceID reports whether id can go in a transfer's reference between
// dots: 1 to 64 letters, digits, '-' or '_', as Hub2's ids are.
func referenceID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// newRefundID returns a new refund's id: "rf_" and 20 random hex digits.
func newRefundID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return "rf_" + hex.EncodeToString(b[:])
}
