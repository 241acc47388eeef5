package hero

import (
	"context"
	"errors"
	"math"
	"net/url"
	"regexp"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Options are Hero's own settings for a checkout; put them in
// payments.CreateRequest.Options (as a value or a pointer).
type Options struct {
	// Type is how the customer pays; Pay1X (in full, now) when empty. It
	// must be one Hero offers for the amount and customer: ask
	// AvailablePaymentTypes when unsure.
	Type PaymentType
	// Siren is the customer's SIREN (9 digits) or SIRET (14). createPayment
	// has no field for it: Create checks it and passes it on to nothing.
	// Give it to AvailablePaymentTypes, where it improves Hero's answer.
	Siren string
	// ComebackURL is where the page's "back to the merchant" button goes;
	// CreateRequest.CancelURL when empty; without either, Hero goes back to
	// the last page the customer saw.
	ComebackURL string
	// CompanyName is the customer's company name, Hero's issuer name. It
	// overrides Customer.CompanyName.
	CompanyName string
}

// RefundOptions are Hero's own settings for a refund; put them in
// payments.RefundRequest.Options.
type RefundOptions struct {
	// PaymentCheckoutID is the id refundPaymentCheckout takes. Hero's docs
	// show such ids as "paycheckout-…" and do not say how they relate to
	// createPayment's id. By default Refund sends the payment's id; set this
	// when Hero gave you another one for the payment (its dashboard, its
	// support). If Hero answers INVALID_PAYMENT_CHECKOUT to the payment's
	// id, the error (ErrNotFound) says to set this.
	PaymentCheckoutID string
}

// ReturnReferenceParam is the query parameter Create adds to the ReturnURL
// (Hero's redirectUri) to carry CreateRequest.Reference, so that ParseReturn
// can tell which order the customer comes back for. Hero adds no parameter
// of its own.
const ReturnReferenceParam = "hero_ref"

// verifyBatch is how many ids VerifyMany asks getPaymentsInfos about at
// once: Hero asks for small batches, and 100 keeps a nightly reconciliation
// of thousands of payments to a few dozen requests.
const verifyBatch = 100

// Create opens a checkout: createPayment, then setOrderId with the
// Reference. The customer is sent to Session.RedirectURL, Hero's payment
// page, and comes back to ReturnURL with ReturnReferenceParam added.
//
// Hero needs a business customer: Customer.CompanyName (or
// Options.CompanyName), Email, Phone, and BillingAddress with Line1, City and
// ZipCode; DeliveryAddress is sent when given. The amount must be EUR. A
// request missing any of these, or whose ReturnURL is on a .localhost host
// (Hero refuses those), is refused before anything is sent.
//
// If createPayment succeeds but setOrderId fails, Create returns the Session
// together with the error: the payment exists and can be paid; only the
// link to the order id at Hero is missing.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	p, err := newPayment(req)
	if err != nil {
		return nil, err
	}
	created, err := c.CreatePayment(ctx, p)
	if err != nil {
		return nil, err
	}
	s := &payments.Session{
		Provider:    payments.Hero,
		ID:          created.ID,
		RedirectURL: c.checkoutURL(created.ID),
		Status:      payments.StatusPending,
		Raw:         created.Raw,
	}
	if err := c.SetOrderID(ctx, created.ID, req.Reference); err != nil {
		return s, err
	}
	return s, nil
}

// RedirectURL returns the payment page of a payment that can still be paid:
// {payment page}/checkout/{id}. It asks Hero first, and fails with
// ErrNotFound for an unknown payment and ErrConflict for one that is paid or
// failed.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	p, err := c.verify(ctx, "redirect url", paymentID)
	if err != nil {
		return "", err
	}
	if p.Status != payments.StatusPending {
		return "", &payments.Error{Provider: payments.Hero, Op: "redirect url", Kind: payments.ErrConflict,
			Message: "payment " + paymentID + " is " + string(p.Status) + ": nothing left to pay"}
	}
	return c.checkoutURL(paymentID), nil
}

// Verify asks Hero for the payment's state (getPaymentsInfos). A payment
// Hero does not know is ErrNotFound. See status.go for how Hero's fields
// map onto payments.Status.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	return c.verify(ctx, "verify", paymentID)
}

func (c *Client) verify(ctx context.Context, op, paymentID string) (*payments.Payment, error) {
	if strings.TrimSpace(paymentID) == "" {
		return nil, check.InvalidRequest(payments.Hero, op, payments.FieldError{Field: "paymentID", Message: "is required"})
	}
	infos, err := c.GetPaymentsInfos(ctx, []string{paymentID})
	if err != nil {
		return nil, err
	}
	for _, info := range infos {
		if info.PaymentID == paymentID {
			return info.payment(), nil
		}
	}
	return nil, &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrNotFound, HTTPStatus: 200,
		Message: "Hero knows no payment " + paymentID}
}

// VerifyMany verifies many payments with few requests, for a nightly
// reconciliation: ids go to getPaymentsInfos 100 at a time, one batch after
// the other. The result maps each id Hero knows to its payment; unknown ids
// are absent. On an error it returns what it read so far with the error.
func (c *Client) VerifyMany(ctx context.Context, paymentIDs []string) (map[string]*payments.Payment, error) {
	out := make(map[string]*payments.Payment, len(paymentIDs))
	ids := make([]string, 0, len(paymentIDs))
	seen := make(map[string]bool, len(paymentIDs))
	for _, id := range paymentIDs {
		if strings.TrimSpace(id) != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for len(ids) > 0 {
		batch := ids[:min(verifyBatch, len(ids))]
		ids = ids[len(batch):]
		infos, err := c.GetPaymentsInfos(ctx, batch)
		if err != nil {
			return out, err
		}
		for _, info := range infos {
			if seen[info.PaymentID] {
				out[info.PaymentID] = info.payment()
			}
		}
	}
	return out, nil
}

// Refund refunds a paid payment with refundPaymentCheckout, in part or in
// full. A zero Amount refunds what remains: the payment is read first
// (Hero's refund always takes an amount), and a payment with nothing left to
// refund is ErrConflict. The refund goes to the payment's id unless
// RefundOptions.PaymentCheckoutID names another. Hero gives refunds no id,
// so Refund.ID is empty, and takes no reason, so Reason is not sent.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	fe := check.Refund(req)
	opts := check.OptionsAs[RefundOptions](req.Options, &fe)
	if !req.Amount.IsZero() {
		checkAmount(&fe, req.Amount)
	}
	if err := fe.Err(payments.Hero, op); err != nil {
		return nil, err
	}
	amount := req.Amount.Amount
	if req.Amount.IsZero() {
		p, err := c.verify(ctx, op, req.PaymentID)
		if err != nil {
			return nil, err
		}
		amount = p.Amount.Amount - p.RefundedAmount.Amount - p.PendingRefundAmount.Amount
		if !p.Status.Paid() || amount <= 0 {
			return nil, &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrConflict, Code: p.FailureCode,
				Message: "payment " + req.PaymentID + " is " + string(p.Status) + ": nothing to refund"}
		}
	}
	checkout := req.PaymentID
	if opts.PaymentCheckoutID != "" {
		checkout = opts.PaymentCheckoutID
	}
	out, err := c.RefundPaymentCheckout(ctx, RefundPaymentCheckoutInput{PaymentCheckoutID: checkout, Amount: amount})
	if err != nil {
		// Hero's docs do not say whether the payment id is a payment
		// checkout id: when Hero says it is not, point at the setting.
		var perr *payments.Error
		if opts.PaymentCheckoutID == "" && errors.As(err, &perr) && perr.Code == CodeInvalidPaymentCheckout {
			perr.Message += "; Hero may refund this payment only by its \"paycheckout-…\" id: pass it in hero.RefundOptions.PaymentCheckoutID"
		}
		return nil, err
	}
	return &payments.Refund{
		Provider: payments.Hero, PaymentID: req.PaymentID, Amount: euros(amount),
		Status: payments.StatusSucceeded, Raw: out.Raw,
	}, nil
}

// checkoutURL is the payment page of a payment.
func (c *Client) checkoutURL(id string) string {
	return c.page + "/checkout/" + url.PathEscape(id)
}

// graphQLName is what a GraphQL enum value looks like.
var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// newPayment checks req against Hero's rules and builds createPayment's
// input from it; every problem is reported at once, with the field named.
func newPayment(req payments.CreateRequest) (NewPayment, error) {
	fe := check.Create(req)
	opts := check.OptionsAs[Options](req.Options, &fe)
	checkAmount(&fe, req.Amount)

	redirect := ""
	switch {
	case req.ReturnURL == "":
		fe.Add("ReturnURL", "is required: it is Hero's redirectUri, where the customer comes back")
	case check.URL(req.ReturnURL, false) == "":
		if checkHost(&fe, "ReturnURL", req.ReturnURL) {
			redirect = withReference(&fe, req.ReturnURL, req.Reference)
		}
	}
	comeback, field := opts.ComebackURL, "Options.ComebackURL"
	if comeback == "" {
		comeback, field = req.CancelURL, "CancelURL"
	} else if msg := check.URL(comeback, false); msg != "" {
		fe.Add(field, msg)
	}
	if comeback != "" {
		checkHost(&fe, field, comeback)
	}

	typ := opts.Type
	if typ == "" {
		typ = Pay1X
	} else if !graphQLName.MatchString(string(typ)) {
		fe.Addf("Options.Type", "%q is not a payment type such as Pay1X", typ)
	}
	if s := opts.Siren; s != "" && (len(s) != 9 && len(s) != 14 || strings.Trim(s, "0123456789") != "") {
		fe.Addf("Options.Siren", "%q is neither a SIREN (9 digits) nor a SIRET (14 digits)", s)
	}

	issuer := newIssuer(&fe, req.Customer, opts.CompanyName)
	if err := fe.Err(payments.Hero, "create checkout"); err != nil {
		return NewPayment{}, err
	}
	return NewPayment{Amount: req.Amount.Amount, RedirectURI: redirect, ComebackURI: comeback, Type: typ, Issuer: issuer}, nil
}

// newIssuer builds Hero's issuer from the customer, recording what is
// missing in fe.
func newIssuer(fe *check.FieldErrors, c *payments.Customer, companyName string) Issuer {
	if c == nil {
		fe.Add("Customer", "is required: Hero needs the customer's company name, email, phone and billing address")
		return Issuer{}
	}
	name := c.CompanyName
	if companyName != "" {
		name = companyName
	}
	if strings.TrimSpace(name) == "" {
		fe.Add("Customer.CompanyName", "is required: Hero's customer is a business (or set Options.CompanyName)")
	}
	if c.Email == "" {
		fe.Add("Customer.Email", "is required by Hero")
	}
	if c.Phone == "" {
		fe.Add("Customer.Phone", "is required by Hero")
	}
	is := Issuer{Name: name, ContactEmail: c.Email, ContactPhone: c.Phone, CustomerReference: c.Reference}
	if c.BillingAddress == nil {
		fe.Add("Customer.BillingAddress", "is required by Hero: Line1, City and ZipCode")
	} else {
		is.Address = address(fe, "Customer.BillingAddress", c.BillingAddress)
	}
	if c.DeliveryAddress != nil {
		a := address(fe, "Customer.DeliveryAddress", c.DeliveryAddress)
		is.DeliveryAddress = &a
	}
	return is
}

// address converts a to Hero's shape, which requires Line1, City and
// ZipCode.
func address(fe *check.FieldErrors, field string, a *payments.Address) Address {
	for _, f := range []struct{ name, v string }{{"Line1", a.Line1}, {"City", a.City}, {"ZipCode", a.ZipCode}} {
		if strings.TrimSpace(f.v) == "" {
			fe.Add(field+"."+f.name, "is required by Hero")
		}
	}
	return Address{Line1: a.Line1, Line2: a.Line2, City: a.City, ZipCode: a.ZipCode}
}

// checkAmount records in fe why Hero cannot take m: another currency than
// EUR, or more cents than GraphQL's Int holds.
func checkAmount(fe *check.FieldErrors, m payments.Money) {
	if m.Currency != "" && m.Currency != currency {
		fe.Addf("Amount.Currency", "Hero takes EUR only, not %q", m.Currency)
	}
	if m.Amount > math.MaxInt32 {
		fe.Addf("Amount", "%s exceeds the most Hero's API can carry (2147483647 cents)", m)
	}
}

// checkHost records in fe that raw is on a .localhost host, which Hero
// refuses as suspect, and reports whether raw is fine. Plain localhost and
// 127.0.0.1 are not .localhost hosts.
func checkHost(fe *check.FieldErrors, field, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if strings.HasSuffix(host, ".localhost") {
		fe.Addf(field, "%q: Hero refuses URIs on .localhost hosts as suspect; use a public host (a tunnel in development)", raw)
		return false
	}
	return true
}

// withReference adds ReturnReferenceParam=reference to the return URL,
// keeping the merchant's own query as it is.
func withReference(fe *check.FieldErrors, raw, reference string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if q, _ := url.ParseQuery(u.RawQuery); q.Has(ReturnReferenceParam) {
		fe.Addf("ReturnURL", "must not have a %s parameter: Create puts the Reference there", ReturnReferenceParam)
		return raw
	}
	param := ReturnReferenceParam + "=" + url.QueryEscape(reference)
	if u.RawQuery == "" {
		u.RawQuery = param
	} else {
		u.RawQuery += "&" + param
	}
	u.ForceQuery = false
	return u.String()
}
