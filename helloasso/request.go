package helloasso

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso/internal/checks"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/jsonpass"
)

// Options are HelloAsso's own checkout options, passed in
// payments.CreateRequest.Options.
type Options struct {
	// ItemName describes the purchase to the payer and in the association's
	// account (1–250 characters). Empty: CreateRequest.Description.
	ItemName string
	// ContainsDonation says the payment is, in whole or in part, a donation
	// to the association. HelloAsso requires the answer for compliance.
	ContainsDonation bool
	// Terms are future instalments, in date order, each after today. The
	// first payment is then InitialAmount, and CreateRequest.Amount is the
	// total: InitialAmount plus every term.
	Terms []Term
	// InitialAmount is what the payer pays now when there are Terms. Zero:
	// Amount minus the terms.
	InitialAmount payments.Money
	// EnableSepa offers SEPA direct debit where HelloAsso allows it.
	EnableSepa bool
	// StrictPayer refuses the request (ErrInvalidRequest, naming the field)
	// when a payer field is one HelloAsso would refuse: a name such as
	// "Loïc" (HelloAsso takes no ï, ô…), a minor's date of birth, a company
	// name over 255 characters, a country HelloAsso does not know. By
	// default such fields are left out of the checkout intent, since
	// HelloAsso's payer fields are optional and the payer types what is
	// missing on HelloAsso's page; CreateWithReport says which were left
	// out, and an Info log line names them.
	StrictPayer bool
}

// Term is a future instalment: Amount (EUR) taken on Date.
type Term struct {
	// Amount is the instalment, in EUR cents.
	Amount payments.Money
	// Date is when HelloAsso takes it: after today, and after the previous
	// term. Only its calendar day, in its own location, is sent.
	Date time.Time
}

// dateLayout is how HelloAsso writes dates: terms and dates of birth.
const dateLayout = "2006-01-02"

// checkoutRequest checks req against what HelloAsso validates and returns
// the body to send, and the payer fields it left out because HelloAsso would
// refuse them (unless Options.StrictPayer). Every problem is reported at
// once, each naming its field in the library's terms (Customer.FirstName,
// Options.Terms[1].Date…).
func (c *Client) checkoutRequest(req payments.CreateRequest) (*CheckoutIntentRequest, []payments.FieldError, error) {
	fe := check.Create(req)
	opts := check.OptionsAs[Options](req.Options, &fe)
	now := c.now()

	total := req.Amount.Amount
	if cur := req.Amount.Currency; cur != "EUR" && !has(fe, "Amount.Currency") {
		fe.Addf("Amount.Currency", "HelloAsso takes EUR only, not %q", cur)
	}
	if total > checks.MaxAmount {
		fe.Addf("Amount", "exceeds HelloAsso's maximum of %d cents", checks.MaxAmount)
	}

	body := &CheckoutIntentRequest{TotalAmount: total, ContainsDonation: opts.ContainsDonation}
	c.checkURLs(&fe, req, body)

	body.ItemName, body.InitialAmount, body.Terms = checkItems(&fe, req, opts, now)
	var leftOut []payments.FieldError
	body.Payer, leftOut = checkPayer(&fe, req.Customer, now, opts.StrictPayer)
	body.Metadata = checkMetadata(&fe, req)
	if opts.EnableSepa {
		body.PaymentOptions = &PaymentOptions{EnableSepa: true}
	}
	if err := fe.Err(payments.HelloAsso, "create checkout"); err != nil {
		return nil, nil, err
	}
	return body, leftOut, nil
}

// checkURLs fills the back, error and return URLs: https only (plain http
// on loopback hosts when the client talks to a local simulator), and free
// of the query parameters HelloAsso appends. ErrorURL and CancelURL default
// to ReturnURL: HelloAsso adds "error" to the query of the error URL, so one
// route can tell them apart.
func (c *Client) checkURLs(fe *check.FieldErrors, req payments.CreateRequest, body *CheckoutIntentRequest) {
	if req.ReturnURL == "" {
		fe.Add("ReturnURL", "is required: HelloAsso sends the payer back there")
	}
	for _, u := range []struct {
		field, value string
		dst          *string
	}{
		{"ReturnURL", req.ReturnURL, &body.ReturnURL},
		{"ErrorURL", req.ErrorURL, &body.ErrorURL},
		{"CancelURL", req.CancelURL, &body.BackURL},
	} {
		*u.dst = u.value
		if u.value == "" {
			*u.dst = req.ReturnURL
			continue
		}
		if has(*fe, u.field) {
			continue // the core already said what is wrong
		}
		if msg := checks.URL(u.value, c.loopbackHTTP); msg != "" {
			fe.Add(u.field, msg)
		}
	}
}

// checkItems returns the item name, the first payment and the terms, and
// checks that the total is the first payment plus the terms.
func checkItems(fe *check.FieldErrors, req payments.CreateRequest, opts Options, now time.Time) (string, int64, []CheckoutTerm) {
	name, nameField := opts.ItemName, "Options.ItemName"
	if strings.TrimSpace(name) == "" {
		name, nameField = req.Description, "Description"
	}
	name = strings.TrimSpace(name)
	switch {
	case has(*fe, nameField):
		// The core already said what is wrong with Description.
	case name == "":
		fe.Add("Options.ItemName", "is required: set it or Description (HelloAsso shows it to the payer)")
	case checks.Length(name) > checks.MaxItemName:
		fe.Addf(nameField, "must be at most %d characters, not %d", checks.MaxItemName, checks.Length(name))
	default:
		check.Prose(fe, nameField, name, 0)
	}

	today := civilDate(now)
	terms := make([]CheckoutTerm, 0, len(opts.Terms))
	var sum int64
	for i, t := range opts.Terms {
		field := fmt.Sprintf("Options.Terms[%d]", i)
		switch {
		case t.Amount.Currency != "EUR":
			fe.Addf(field+".Amount.Currency", "must be EUR, not %q", t.Amount.Currency)
		case t.Amount.Amount <= 0:
			fe.Addf(field+".Amount", "must be positive, got %d", t.Amount.Amount)
		case t.Amount.Amount > checks.MaxAmount:
			fe.Addf(field+".Amount", "exceeds HelloAsso's maximum of %d cents", checks.MaxAmount)
		default:
			sum += t.Amount.Amount
		}
		switch {
		case t.Date.IsZero():
			fe.Add(field+".Date", "is required")
		case !civilDate(t.Date).After(today):
			fe.Addf(field+".Date", "%s must be after today", t.Date.Format(dateLayout))
		case i > 0 && !opts.Terms[i-1].Date.IsZero() && !civilDate(t.Date).After(civilDate(opts.Terms[i-1].Date)):
			fe.Addf(field+".Date", "%s must be after Options.Terms[%d].Date", t.Date.Format(dateLayout), i-1)
		}
		terms = append(terms, CheckoutTerm{Amount: t.Amount.Amount, Date: t.Date.Format(dateLayout)})
	}
	if len(terms) == 0 {
		terms = nil
	}

	total := req.Amount.Amount
	initial := total - sum
	if ia := opts.InitialAmount; !ia.IsZero() {
		switch {
		case ia.Currency != "EUR":
			fe.Addf("Options.InitialAmount.Currency", "must be EUR, not %q", ia.Currency)
		case ia.Amount <= 0:
			fe.Addf("Options.InitialAmount", "must be positive, got %d", ia.Amount)
		case ia.Amount+sum != total:
			fe.Addf("Options.InitialAmount", "%s plus the terms (%s) is %s, not Amount (%s): HelloAsso requires totalAmount = initialAmount + the terms",
				ia, eur(sum), eur(ia.Amount+sum), eur(total))
		}
		initial = ia.Amount
	} else if len(opts.Terms) > 0 && total > 0 && initial <= 0 {
		fe.Addf("Options.Terms", "add up to %s, which leaves nothing of Amount (%s) to pay now", eur(sum), eur(total))
	}
	return name, initial, terms
}

// checkPayer converts the customer to HelloAsso's payer. HelloAsso's payer
// fields are optional (the payer types what is missing on HelloAsso's page),
// yet it refuses a whole checkout over one it does not take: a first or last
// name against its rules (checks.Name: "Loïc" and "Jérôme" among them), a
// last name equal to the first, a minor's date of birth, a company name over
// 255 characters, a country it does not know. Those are left out and
// returned, each naming the field, HelloAsso's name for it and why; with
// strict they are refused instead. What the core already refused (invalid
// UTF-8, an invalid email…) stays refused.
func checkPayer(fe *check.FieldErrors, cu *payments.Customer, now time.Time, strict bool) (*CheckoutPayer, []payments.FieldError) {
	if cu == nil {
		return nil, nil
	}
	var leftOut []payments.FieldError
	// drop reports whether field, which HelloAsso would refuse for msg, is
	// to be left out (false when the request is refused instead).
	drop := func(field, providerField, msg string) bool {
		if strict {
			fe.Add(field, msg)
			return false
		}
		leftOut = append(leftOut, payments.FieldError{Field: field, ProviderField: providerField, Message: msg})
		return true
	}
	p := &CheckoutPayer{
		FirstName:   strings.TrimSpace(cu.FirstName),
		LastName:    strings.TrimSpace(cu.LastName),
		Email:       cu.Email,
		CompanyName: strings.TrimSpace(cu.CompanyName),
	}
	for _, n := range []struct {
		field, providerField string
		v                    *string
	}{{"Customer.FirstName", "payer.firstName", &p.FirstName}, {"Customer.LastName", "payer.lastName", &p.LastName}} {
		if *n.v == "" || has(*fe, n.field) {
			continue
		}
		if msg := checks.Name(*n.v); msg != "" && drop(n.field, n.providerField, msg) {
			*n.v = ""
		}
	}
	if p.FirstName != "" && p.LastName != "" && checks.SameName(p.FirstName, p.LastName) &&
		drop("Customer.LastName", "payer.lastName", "must differ from Customer.FirstName") {
		p.LastName = ""
	}
	if checks.Length(p.CompanyName) > checks.MaxPayerField && !has(*fe, "Customer.CompanyName") &&
		drop("Customer.CompanyName", "payer.companyName", fmt.Sprintf("must be at most %d characters", checks.MaxPayerField)) {
		p.CompanyName = ""
	}
	if !cu.DateOfBirth.IsZero() && !has(*fe, "Customer.DateOfBirth") {
		p.DateOfBirth = cu.DateOfBirth.Format(dateLayout)
		if !checks.Adult(cu.DateOfBirth, now) &&
			drop("Customer.DateOfBirth", "payer.dateOfBirth", fmt.Sprintf("makes the payer a minor: HelloAsso requires an adult (%d or older)", checks.AdultAge)) {
			p.DateOfBirth = ""
		}
	}
	addr, field := cu.BillingAddress, "Customer.BillingAddress"
	if addr == nil {
		addr, field = cu.DeliveryAddress, "Customer.DeliveryAddress"
	}
	if addr != nil {
		p.Address = strings.TrimSpace(strings.Join(nonEmpty([]string{addr.Line1, addr.Line2}), ", "))
		p.City, p.ZipCode = addr.City, addr.ZipCode
		if addr.Country != "" && !has(*fe, field+".Country") {
			if a3, ok := checks.Alpha3(addr.Country); ok {
				p.Country = a3
			} else {
				drop(field+".Country", "payer.country", fmt.Sprintf("%q is not an ISO 3166-1 country code HelloAsso knows", addr.Country))
			}
		}
	}
	if *p == (CheckoutPayer{}) {
		return nil, leftOut
	}
	return p, leftOut
}

// checkMetadata returns the metadata to send: Reference under "reference",
// so that Verify and notifications give it back, and Metadata beside it.
// HelloAsso keeps at most 20,000 characters of it.
func checkMetadata(fe *check.FieldErrors, req payments.CreateRequest) json.RawMessage {
	for _, f := range *fe {
		if f.Field == "Reference" || strings.HasPrefix(f.Field, "Metadata") {
			return nil // the core refused them already: no need to say it twice
		}
	}
	if v, ok := req.Metadata[referenceKey]; ok && v != req.Reference {
		fe.Addf("Metadata", "the key %q is the adapter's: it holds Reference", referenceKey)
		return nil
	}
	raw := metadataJSON(req.Reference, req.Metadata)
	// HelloAsso counts the characters of the JSON it stores, which does not
	// escape <, > and &: measure that, not Go's escaped encoding.
	if n := checks.LengthBytes(raw); n > checks.MaxMetadata {
		fe.Addf("Metadata", "is %d characters serialised with Reference; HelloAsso keeps at most %d", n, checks.MaxMetadata)
	}
	return raw
}

// metadataJSON writes metadata and the reference as the JSON object
// encoding/json writes for a map[string]string, without HTML escaping:
// keys sorted, strings escaped alike. It is written by hand because it runs
// on every Create, and the map and encoder it would take cost more than the
// rest of the check.
func metadataJSON(reference string, metadata map[string]string) json.RawMessage {
	keys := make([]string, 0, len(metadata)+1)
	size := len(`{"reference":""}`) + len(reference)
	for k, v := range metadata {
		if k != referenceKey {
			keys = append(keys, k)
			size += len(k) + len(v) + len(`,"":""`)
		}
	}
	keys = append(keys, referenceKey)
	sort.Strings(keys)
	b := make([]byte, 0, size+size/8)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		v := reference
		if k != referenceKey {
			v = metadata[k]
		}
		b = jsonpass.AppendStringRaw(append(jsonpass.AppendStringRaw(b, k), ':'), v)
	}
	return append(b, '}')
}

// civilDate returns t's calendar day at midnight UTC, to compare days.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// has reports whether fe already names field.
func has(fe check.FieldErrors, field string) bool {
	for _, f := range fe {
		if f.Field == field {
			return true
		}
	}
	return false
}
