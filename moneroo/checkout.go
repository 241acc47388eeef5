package moneroo

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Options are Moneroo's own settings for a checkout. Pass them (value or
// pointer) in payments.CreateRequest.Options.
type Options struct {
	// Methods limits the checkout to these payment methods, by short code
	// ("mtn_bj", "wave_sn", "card_xof"; see PaymentMethods). Empty allows
	// every method the app has enabled for the currency.
	Methods []string
	// RestrictCountryCode limits the checkout to payers of one country, as
	// an ISO 3166-1 alpha-2 code ("BJ").
	RestrictCountryCode string
	// RestrictedPhone limits the checkout to one phone number. Moneroo takes
	// RestrictCountryCode or RestrictedPhone, never both.
	RestrictedPhone *RestrictedPhone
}

// check records what is wrong with o in fe.
func (o Options) check(fe *check.FieldErrors) {
	for i, m := range o.Methods {
		if !isShortCode(m) {
			fe.Addf("Options.Methods", "entry %d, %q, is not a Moneroo method short code such as mtn_bj", i, m)
		}
	}
	if o.RestrictCountryCode != "" && !isCountryCode(o.RestrictCountryCode) {
		fe.Addf("Options.RestrictCountryCode", "%q is not an ISO 3166-1 alpha-2 code such as BJ", o.RestrictCountryCode)
	}
	if p := o.RestrictedPhone; p != nil {
		if o.RestrictCountryCode != "" {
			fe.Add("Options.RestrictedPhone", "cannot be set with Options.RestrictCountryCode: Moneroo takes one or the other")
		}
		if strings.TrimSpace(p.Number) == "" {
			fe.Add("Options.RestrictedPhone.Number", "is required when RestrictedPhone is set")
		}
		if strings.TrimSpace(p.CountryCode) == "" {
			fe.Add("Options.RestrictedPhone.CountryCode", "is required when RestrictedPhone is set")
		}
	}
}

// Capabilities reports what Moneroo supports: webhooks signed with the
// webhook secret and a return URL, but no refunds (Moneroo has no refund
// API; money goes back through a payout).
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund:         false,
		PartialRefund:  false,
		Webhooks:       true,
		SignedWebhooks: true,
		ReturnURL:      true,
		Currencies:     Currencies(),
	}
}

// Create opens a Moneroo hosted checkout for req and returns its id and
// checkout URL.
//
// Before sending anything it refuses, with ErrInvalidRequest naming the
// field: a currency Moneroo does not list, an amount with a fractional major
// part (Moneroo documents whole units: 10.50 USD is not sent, and never
// rounded, unless Config.DecimalAmounts is set), a customer without email, first or last name, a missing
// ReturnURL, both Options.RestrictCountryCode and Options.RestrictedPhone,
// a Metadata key ReferenceMetadataKey holding something other than
// Reference, and more Metadata than Moneroo takes: MaxMetadataEntries (10)
// entries, ReferenceMetadataKey included, so at most 9 of the merchant's own.
// An empty Description becomes "Order <Reference>". CancelURL and
// ErrorURL are not sent: Moneroo returns the payer to ReturnURL whatever the
// outcome.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	const op = "create checkout"
	fe := check.Create(req)
	opts := check.OptionsAs[Options](req.Options, &fe)
	var amount json.Number
	if cur := req.Amount.Currency; cur != "" && !SupportsCurrency(cur) {
		if _, known := payments.MinorUnits(cur); known {
			fe.Addf("Amount.Currency", "Moneroo does not take %s; it takes %s", cur, strings.Join(currencies, ", "))
		}
	} else if cur != "" && req.Amount.Amount > 0 {
		a, err := majorAmount(req.Amount, c.cfg.DecimalAmounts)
		if err != nil {
			fe.Addf("Amount", "%s: Moneroo documents whole %s units only, and the library never rounds "+
				"(Config.DecimalAmounts sends decimals, once Moneroo has confirmed it charges them exactly)", req.Amount, cur)
		}
		amount = a
	}
	if req.ReturnURL == "" {
		fe.Add("ReturnURL", "is required: Moneroo sends the payer back there")
	}
	cust := req.Customer
	if cust == nil {
		cust = &payments.Customer{}
	}
	for _, f := range []struct{ name, v string }{
		{"Customer.Email", cust.Email}, {"Customer.FirstName", cust.FirstName}, {"Customer.LastName", cust.LastName},
	} {
		if strings.TrimSpace(f.v) == "" {
			fe.Add(f.name, "is required by Moneroo")
		}
	}
	v, own := req.Metadata[ReferenceMetadataKey]
	if own && v != req.Reference {
		fe.Addf("Metadata", "key %q is where the library keeps Reference; leave it out", ReferenceMetadataKey)
	}
	if n := metadataEntries(req.Metadata, own); n > MaxMetadataEntries {
		fe.Addf("Metadata", "has %d entries, and with the library's %q Moneroo would receive %d: it takes at most %d",
			len(req.Metadata), ReferenceMetadataKey, n, MaxMetadataEntries)
	}
	opts.check(&fe)
	if err := fe.Err(payments.Moneroo, op); err != nil {
		return nil, err
	}

	out, err := c.InitializePayment(ctx, initializeRequest(req, amount, opts))
	if err != nil {
		return nil, withOp(err, op)
	}
	if out.ID == "" {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse,
			Message: "Moneroo answered without a payment id", Raw: c.http.Redactor().Bytes(out.Raw)}
	}
	redirect := out.RedirectURL()
	if msg := check.URL(redirect, false); msg != "" {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse,
			Message: "payment " + out.ID + " was created, but its checkout URL is unusable: " + msg, Raw: c.http.Redactor().Bytes(out.Raw)}
	}
	return &payments.Session{
		Provider:    payments.Moneroo,
		ID:          out.ID,
		RedirectURL: redirect,
		Status:      payments.StatusPending,
		Raw:         out.Raw,
	}, nil
}

// RedirectURL returns the checkout URL of a payment the payer has not
// finished, read from Moneroo (GET /v1/payments/{id}). A payment that
// already succeeded, failed or was cancelled has nothing left to pay: that
// is an ErrConflict error.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	t, err := c.RetrievePayment(ctx, paymentID)
	if err != nil {
		return "", withOp(err, op)
	}
	if st := mapStatus(t.Status); st.Final() {
		return "", &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrConflict,
			Message: "payment " + paymentID + " is already " + t.Status + ": there is nothing left to pay"}
	}
	u := t.CheckoutURL
	if u == "" {
		u = t.Link
	}
	if u == "" {
		return "", check.Unsupported(payments.Moneroo, op,
			"Moneroo did not return the checkout URL of payment "+paymentID+"; keep Session.RedirectURL from Create")
	}
	return u, nil
}

// Verify asks Moneroo for the payment's state (GET /v1/payments/{id}/verify)
// and returns it with the amount in minor units, Reference from the
// metadata Create stored it in, and the raw answer. With a Production
// config, a payment Moneroo reports as made in its sandbox is an
// ErrIntegrity error: a test key is in use where real money was expected.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	const op = "verify"
	t, err := c.VerifyPayment(ctx, paymentID)
	if err != nil {
		return nil, withOp(err, op)
	}
	p, err := t.payment()
	if err != nil {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrMalformedResponse,
			Message: err.Error(), Raw: c.http.Redactor().Bytes(t.Raw)}
	}
	if c.cfg.Environment == payments.Production && strings.EqualFold(t.Environment, "sandbox") {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrIntegrity, Raw: t.Raw,
			Message: "payment " + paymentID + " was made in Moneroo's sandbox, but the client is configured for Production: is a sandbox key in use?"}
	}
	return p, nil
}

// Refund always fails with ErrUnsupported: Moneroo has no refund API. To
// give money back, send a payout to the payer (POST /v1/payouts/initialize,
// or the dashboard); Moneroo does not link it to the payment.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	return nil, check.Unsupported(payments.Moneroo, "refund",
		"Moneroo has no refund API; give money back with a payout to the payer (Moneroo's Payout API or dashboard)")
}

// withOp names the provider-neutral operation on an error from the typed
// API, keeping the provider's own operation in the message.
func withOp(err error, op string) error {
	var perr *payments.Error
	if errors.As(err, &perr) && perr.Op != op {
		perr.Op = op + " (" + perr.Op + ")"
	}
	return err
}

// metadataEntries is how many metadata entries Create sends: the merchant's
// and ReferenceMetadataKey, unless the merchant gave that key (own) already.
func metadataEntries(m map[string]string, own bool) int {
	if own {
		return len(m)
	}
	return len(m) + 1
}

// isShortCode reports whether s looks like a method short code: lowercase
// letters, digits and underscores.
func isShortCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
