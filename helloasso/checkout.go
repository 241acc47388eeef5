package helloasso

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Create opens a checkout intent for req and returns its session: ID is the
// checkout intent's id (what Verify and Refund take), RedirectURL is
// HelloAsso's checkout page, valid for 15 minutes (ExpiresAt). The request
// is checked against HelloAsso's rules first; nothing is sent if it fails.
//
// Amount must be in EUR. req.Reference is kept in the intent's metadata and
// comes back from Verify; Options (helloasso.Options) sets the item name,
// the donation flag and instalments. Payer fields HelloAsso would refuse
// are left out (see Options.StrictPayer), and named in an Info log line;
// CreateWithReport also returns them.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	s, _, err := c.create(ctx, req)
	return s, err
}

// CreateResult is what CreateWithReport returns: the session Create returns,
// and what the adapter left out of the request for HelloAsso to take it.
type CreateResult struct {
	// Session is the checkout, as Create returns it.
	Session *payments.Session
	// LeftOut lists the payer fields left out of the checkout intent because
	// HelloAsso would have refused the checkout over them; the payer types
	// them on HelloAsso's page. Each FieldError names the field
	// (Customer.FirstName), HelloAsso's name for it (payer.firstName) and why
	// HelloAsso refuses it. Empty when nothing was left out, and always with
	// Options.StrictPayer, which refuses the request instead.
	LeftOut []payments.FieldError
}

// CreateWithReport is Create, also saying which payer fields were left out
// (CreateResult.LeftOut).
func (c *Client) CreateWithReport(ctx context.Context, req payments.CreateRequest) (*CreateResult, error) {
	s, leftOut, err := c.create(ctx, req)
	if err != nil {
		return nil, err
	}
	return &CreateResult{Session: s, LeftOut: leftOut}, nil
}

// create is Create, returning the payer fields it left out.
func (c *Client) create(ctx context.Context, req payments.CreateRequest) (*payments.Session, []payments.FieldError, error) {
	body, leftOut, err := c.checkoutRequest(req)
	if err != nil {
		return nil, nil, err
	}
	if len(leftOut) > 0 {
		// The field names only: the values are the payer's personal data.
		names := make([]string, len(leftOut))
		for i, f := range leftOut {
			names[i] = f.Field
		}
		c.http.Logger().InfoContext(ctx, "helloasso: payer fields left out of the checkout intent: HelloAsso would refuse them, the payer types them on its page",
			"fields", names, "reference", req.Reference)
	}
	created, err := c.CreateCheckoutIntent(ctx, body)
	if err != nil {
		addressFields(err, req.Customer)
		return nil, nil, err
	}
	return &payments.Session{
		Provider:    payments.HelloAsso,
		ID:          strconv.FormatInt(created.ID, 10),
		RedirectURL: created.RedirectURL,
		ExpiresAt:   c.now().Add(RedirectLifetime),
		Status:      payments.StatusPending,
		Raw:         created.Raw,
	}, leftOut, nil
}

// RedirectURL returns the checkout page of an intent the payer has not paid
// yet. HelloAsso does not say when the page expires (15 minutes after
// creation); after a payment or a refusal it fails with ErrConflict.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	id, err := parseID(op, "PaymentID", paymentID)
	if err != nil {
		return "", err
	}
	ci, err := c.readIntent(ctx, id)
	if err != nil {
		return "", err
	}
	if ci.Order != nil || ci.RedirectURL == "" {
		return "", &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrConflict, Raw: ci.Raw,
			Message: "checkout intent " + paymentID + " has no checkout page to resume: the payer already went through it"}
	}
	return ci.RedirectURL, nil
}

// Verify reads the checkout intent and maps its order: pending until the
// payer pays (the intent has no order, and no amount, before), then the
// first payment's state (Authorized → succeeded, Refused → failed…) and the
// refunds of all payments (partially refunded, refunded). Payment.Amount is
// the order's total, future instalments included; ProviderStatus is the
// first payment's PaymentState.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	id, err := parseID("verify", "PaymentID", paymentID)
	if err != nil {
		return nil, err
	}
	ci, err := c.readIntent(ctx, id)
	if err != nil {
		return nil, err
	}
	return paymentFromIntent(ci), nil
}

// RefundOptions are HelloAsso's own refund options, passed in
// payments.RefundRequest.Options.
type RefundOptions struct {
	// PaymentID is the HelloAsso payment to refund. Zero: the order's first
	// paid payment that has something left to refund. Set it to refund a
	// later instalment.
	PaymentID int64
	// CancelOrder also cancels the order's future instalments.
	CancelOrder bool
	// NoRefundMail keeps HelloAsso from emailing the payer about the refund.
	NoRefundMail bool
}

// Refund refunds the checkout's payment: it reads the intent to find the
// order's payment, checks the amount against what remains to refund, then
// asks HelloAsso (POST /v5/payments/{id}/refund). A zero Amount refunds what
// remains of that payment; a smaller one is a partial refund. Reason is the
// refund's comment. Options (helloasso.RefundOptions) picks another
// instalment or cancels the future ones.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	fe := check.Refund(req)
	opts := check.OptionsAs[RefundOptions](req.Options, &fe)
	if cur := req.Amount.Currency; !req.Amount.IsZero() && cur != "EUR" && !has(fe, "Amount.Currency") {
		fe.Addf("Amount.Currency", "HelloAsso refunds EUR only, not %q", cur)
	}
	if err := fe.Err(payments.HelloAsso, op); err != nil {
		return nil, err
	}
	id, err := parseID(op, "PaymentID", req.PaymentID)
	if err != nil {
		return nil, err
	}

	ci, err := c.readIntent(ctx, id)
	if err != nil {
		return nil, err
	}
	pay, remaining, err := refundable(ci, opts.PaymentID)
	if err != nil {
		return nil, err
	}
	amount := req.Amount.Amount
	if amount > remaining {
		return nil, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "Amount",
			Message: fmt.Sprintf("%s is more than the %s left to refund on payment %d", req.Amount, eur(remaining), pay.ID)})
	}
	params := RefundParams{Comment: req.Reason, CancelOrder: opts.CancelOrder, SendRefundMail: !opts.NoRefundMail}
	if amount == 0 {
		amount = remaining
	}
	if amount < pay.Amount {
		// A partial refund, or the rest after one: say how much. A refund
		// of the whole payment sends no amount, HelloAsso's "everything".
		params.Amount = amount
	}
	rop, err := c.RefundPayment(ctx, pay.ID, params)
	if err != nil {
		return nil, err
	}
	return refundFrom(req.PaymentID, rop, amount), nil
}

// refundable finds the payment to refund in the intent's order (want, or
// the first paid one with something left) and how much of it remains.
func refundable(ci *intentView, want int64) (*paymentView, int64, error) {
	const op = "refund"
	id := strconv.FormatInt(ci.ID, 10)
	if ci.Order == nil {
		return nil, 0, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrConflict, Raw: ci.Raw,
			Message: "checkout intent " + id + " has no order: nothing was paid"}
	}
	found := false
	for i := range ci.Order.Payments {
		p := &ci.Order.Payments[i]
		if want != 0 && p.ID != want {
			continue
		}
		found = true
		if !strings.EqualFold(p.State, "Authorized") && !strings.EqualFold(p.State, "AuthorizedPreprod") {
			continue
		}
		refunded, pending := refundTotals(p)
		if left := p.Amount - refunded - pending; left > 0 {
			return p, left, nil
		}
	}
	if want != 0 && !found {
		return nil, 0, check.InvalidRequest(payments.HelloAsso, op, payments.FieldError{Field: "Options.PaymentID",
			Message: fmt.Sprintf("payment %d is not in checkout intent %s's order", want, id)})
	}
	return nil, 0, &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrConflict, Raw: ci.Raw,
		Message: "checkout intent " + id + " has no authorized payment left to refund"}
}

// parseID reads a checkout intent id, which HelloAsso numbers: an id fit
// for a URL path (check.ID) that is a positive number.
func parseID(op, field, s string) (int64, error) {
	var fe check.FieldErrors
	check.ID(&fe, field, s)
	if len(fe) == 0 {
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil && n > 0 {
			return n, nil
		}
		fe.Addf(field, "%q is not a HelloAsso checkout intent id: HelloAsso numbers them", check.Quote(s))
	}
	return 0, fe.Err(payments.HelloAsso, op)
}
