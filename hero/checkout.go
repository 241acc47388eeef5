package hero

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// Options are Hero's own settings for a checkout; put them in
// payments.CreateRequest.Options (as a value or a pointer).
type Options struct {
	// Type is how the customer pays; Pay1X (in full, now) when empty. It
	// must be one Hero offers for the amount and customer: ask
	// AvailablePaymentTypes when unsure. Any name of a GraphQL enum value
	// (letters, digits, _; at most 64 bytes) is sent as it is.
	Type PaymentType
	// Siren is the customer's SIREN (9 digits) or SIRET (14). createPayment
	// has no field for it: Create checks it and passes it on to nothing.
	// Give it to AvailablePaymentTypes, where it improves Hero's answer.
	Siren string
	// ComebackURL is where the page's "back to the merchant" button goes;
	// CreateRequest.CancelURL when empty; without either, Hero goes back to
	// the last page the customer saw.
	ComebackURL string
	// CompanyName is the customer's company name, Hero's issuer name: text
	// of at most 1,024 bytes. It overrides Customer.CompanyName.
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
	// id, the error (ErrNotFound) says to set this. It must be a payment
	// id: letters, digits and - _ . ~ :, at most 128 bytes.
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
// request missing any of these, with text Hero cannot take (see the package
// doc's limits), or whose ReturnURL is on a .localhost host (Hero refuses
// those), is refused before anything is sent.
//
// If createPayment succeeds but setOrderId fails, Create returns the Session
// together with the error: the payment exists and can be paid; only the
// link to the order id at Hero is missing. The error names the payment's id
// and says the request reached Hero (payments.MaybeSent is true whatever
// became of setOrderId): keep Session.ID with the order, and do not create
// the payment again.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	p, err := newPayment(req)
	if err != nil {
		return nil, err
	}
	created, err := c.createPayment(ctx, p)
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
	if err := c.setOrderID(ctx, created.ID, req.Reference); err != nil {
		return s, orderNotSet(err, created.ID)
	}
	return s, nil
}

// orderNotSet is Create's error when setOrderId failed after createPayment
// made payment id: setOrderId's error, with the payment's id and what to do
// in its message, and never NotSent, since the payment exists.
func orderNotSet(err error, id string) error {
	perr, ok := err.(*payments.Error)
	if !ok {
		return err
	}
	e := *perr
	e.NotSent, e.Retryable = false, false
	msg := e.Message
	if msg == "" {
		msg = string(e.Kind)
	}
	e.Message = "createPayment made payment " + id + " (Session.ID; its page is Session.RedirectURL), but setOrderId failed: " + msg +
		". The payment exists and can be paid: keep its id with the order (Verify " + id + " reads it) rather than create it again"
	return &e
}

// RedirectURL returns the payment page of a payment that can still be paid:
// {payment page}/checkout/{id}. It asks Hero first, and fails with
// ErrNotFound for an unknown payment and ErrConflict for one that is paid or
// failed.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	p, resp, err := c.read(ctx, op, paymentID)
	if err != nil {
		return "", err
	}
	if p.Status != payments.StatusPending {
		e := c.http.Integrity(op, resp, "payment "+paymentID+" is "+string(p.Status)+": nothing left to pay")
		e.Kind = payments.ErrConflict
		return "", e
	}
	return c.checkoutURL(paymentID), nil
}

// Verify asks Hero for the payment's state (getPaymentsInfos). A payment
// Hero does not know is ErrNotFound; an answer about another payment is
// ErrIntegrity. See status.go for how Hero's fields map onto
// payments.Status.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	p, _, err := c.read(ctx, "verify", paymentID)
	return p, err
}

// read verifies one payment and returns Hero's answer with it, for errors
// built from it.
func (c *Client) read(ctx context.Context, op, paymentID string) (*payments.Payment, *httpx.Response, error) {
	if err := check.PaymentID(payments.Hero, op, paymentID); err != nil {
		return nil, nil, err
	}
	infos, resp, err := c.getPaymentsInfos(ctx, []string{paymentID})
	if err != nil {
		return nil, resp, namePaymentID(err)
	}
	if len(infos) == 0 {
		e := c.http.Integrity(op, resp, "Hero knows no payment "+paymentID)
		e.Kind = payments.ErrNotFound
		return nil, resp, e
	}
	// getPaymentsInfos refused any entry about another payment.
	return infos[0].payment(), resp, nil
}

// namePaymentID renames the field of Hero's validation errors about the
// one id a Checkout method asked for: PaymentID, as in the merchant's call.
func namePaymentID(err error) error {
	if perr, ok := err.(*payments.Error); ok {
		for i, f := range perr.Fields {
			if strings.HasPrefix(f.Field, "paymentIDs") {
				perr.Fields[i].Field = "PaymentID"
			}
		}
	}
	return err
}

// VerifyMany verifies many payments with few requests, for a nightly
// reconciliation: ids go to getPaymentsInfos 100 at a time, one batch after
// the other. The result maps each id Hero knows to its payment; unknown ids
// are absent; an id given twice is asked once. Each id must be a payment id
// (a bad one is named "paymentIDs[7]", and nothing is sent). An answer about
// a payment not asked for, or two about one, is ErrIntegrity. On an error
// it returns what it read so far with the error.
func (c *Client) VerifyMany(ctx context.Context, paymentIDs []string) (map[string]*payments.Payment, error) {
	const op = "verify many"
	var fe check.FieldErrors
	for i, id := range paymentIDs {
		checkIDAt(&fe, i, id)
	}
	if err := fe.Err(payments.Hero, op); err != nil {
		return map[string]*payments.Payment{}, err
	}
	out := make(map[string]*payments.Payment, len(paymentIDs))
	ids := unique(paymentIDs)
	for len(ids) > 0 {
		batch := ids[:min(verifyBatch, len(ids))]
		ids = ids[len(batch):]
		infos, _, err := c.getPaymentsInfos(ctx, batch)
		if err != nil {
			return out, err
		}
		ps := make([]payments.Payment, len(infos)) // one allocation for the batch
		for i := range infos {
			infos[i].fill(&ps[i])
			out[infos[i].PaymentID] = &ps[i]
		}
	}
	return out, nil
}

// unique returns ids without the repeats, in their order: ids itself when
// none repeats.
func unique(ids []string) []string {
	if len(ids) < 2 {
		return ids
	}
	seen := make(map[string]struct{}, len(ids))
	var out []string
	for i, id := range ids {
		if _, dup := seen[id]; dup {
			if out == nil {
				out = slices.Clone(ids[:i])
			}
			continue
		}
		seen[id] = struct{}{}
		if out != nil {
			out = append(out, id)
		}
	}
	if out == nil {
		return ids
	}
	return out
}

// Refund refunds a paid payment with refundPaymentCheckout, in part or in
// full. A zero Amount refunds what remains: the payment is read first
// (Hero's refund always takes an amount), and a payment with nothing left to
// refund is ErrConflict. The refund goes to the payment's id unless
// RefundOptions.PaymentCheckoutID names another. Hero gives refunds no id,
// so Refund.ID is empty, and takes no reason, so Reason is checked (at most
// 1,024 bytes of text) but not sent.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	const op = "refund"
	fe := check.Refund(req)
	opts := check.OptionsAs[RefundOptions](req.Options, &fe)
	if !req.Amount.IsZero() {
		checkAmount(&fe, req.Amount)
	}
	if opts.PaymentCheckoutID != "" {
		check.ID(&fe, "Options.PaymentCheckoutID", opts.PaymentCheckoutID)
	}
	if err := fe.Err(payments.Hero, op); err != nil {
		return nil, err
	}
	amount := req.Amount.Amount
	if req.Amount.IsZero() {
		p, resp, err := c.read(ctx, op, req.PaymentID)
		if err != nil {
			return nil, err
		}
		amount = p.Amount.Amount - p.RefundedAmount.Amount - p.PendingRefundAmount.Amount
		if !p.Status.Paid() || amount <= 0 {
			e := c.http.Integrity(op, resp, "payment "+req.PaymentID+" is "+string(p.Status)+": nothing to refund")
			e.Kind, e.Code = payments.ErrConflict, p.FailureCode
			return nil, e
		}
	}
	checkout, checkoutField := req.PaymentID, "PaymentID"
	if opts.PaymentCheckoutID != "" {
		checkout, checkoutField = opts.PaymentCheckoutID, "Options.PaymentCheckoutID"
	}
	out, err := c.refundPaymentCheckout(ctx, RefundPaymentCheckoutInput{PaymentCheckoutID: checkout, Amount: amount})
	if err != nil {
		var perr *payments.Error
		if errors.As(err, &perr) {
			for i, f := range perr.Fields {
				if f.Field == "PaymentCheckoutID" {
					perr.Fields[i].Field = checkoutField
				}
			}
			// Hero's docs do not say whether the payment id is a payment
			// checkout id: when Hero says it is not, point at the setting.
			if opts.PaymentCheckoutID == "" && perr.Code == CodeInvalidPaymentCheckout {
				perr.Message += "; Hero may refund this payment only by its \"paycheckout-…\" id: pass it in hero.RefundOptions.PaymentCheckoutID"
			}
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
	case !fe.Has("ReturnURL"): // check.Create found it a good URL
		if u, err := url.Parse(req.ReturnURL); err == nil && hostOK(&fe, "ReturnURL", u) {
			redirect = withReference(&fe, u, req.Reference)
			if len(redirect) > check.MaxURL {
				fe.Addf("ReturnURL", "with the %s parameter, is %d bytes long; at most %d are allowed", ReturnReferenceParam, len(redirect), check.MaxURL)
			}
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
	}
	checkType(&fe, "Options.Type", opts.Type)
	checkSiren(&fe, "Options.Siren", opts.Siren)
	check.Text(&fe, "Options.CompanyName", opts.CompanyName, check.MaxName)

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

// withReference adds ReturnReferenceParam=reference to the return URL,
// keeping the merchant's own query as it is.
func withReference(fe *check.FieldErrors, u *url.URL, reference string) string {
	if hasParam(u.RawQuery, ReturnReferenceParam) {
		fe.Addf("ReturnURL", "must not have a %s parameter: Create puts the Reference there", ReturnReferenceParam)
		return ""
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

// hasParam reports whether the query names the parameter key, as
// url.ParseQuery reads names (escapes decoded), without building the map.
func hasParam(query, key string) bool {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		name, _, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(name, "%+") {
			if unescaped, err := url.QueryUnescape(name); err == nil {
				name = unescaped
			}
		}
		if name == key {
			return true
		}
	}
	return false
}
