package check

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments"
)

// The bounds every adapter applies before its provider's own. Providers
// publish few limits; where none does, these are generous enough for any
// real order and small enough that a runaway value (a 1 MiB reference) is
// refused here, naming the field, rather than by the provider with a bare
// 413. Adapters tighten them where their provider documents less.
//
// Lengths are in bytes: an accented letter takes two. The bounds on names
// and text are far above any provider's own (counted in characters), so that
// the provider's rule is the one a merchant meets.
const (
	MaxReference   = 255    // CreateRequest.Reference, Customer.Reference
	MaxDescription = 4096   // CreateRequest.Description
	MaxName        = 1024   // names, company, address lines, city
	MaxShort       = 64     // zip code, state
	MaxEmail       = 254    // RFC 5321's longest forward path
	MaxURL         = 2048   // return, cancel and error URLs
	MaxMetadata    = 50     // metadata entries
	MaxMetaKey     = 64     // a metadata key
	MaxMetaTotal   = 20_000 // all metadata keys and values together (HelloAsso's cap, the largest published)
	MaxReason      = 1024   // RefundRequest.Reason
)

// Create checks what every provider needs of a create request: a positive
// amount in a known currency, a Reference, absolute http(s) URLs, a
// well-formed customer if one is given, and text that is valid UTF-8, free
// of control characters and within the bounds above. Adapters add their
// provider's rules to what it returns.
func Create(r payments.CreateRequest) FieldErrors {
	var fe FieldErrors
	Money(&fe, "Amount", r.Amount)
	if strings.TrimSpace(r.Reference) == "" {
		fe.Add("Reference", "is required: it is the merchant's order id")
	} else {
		Text(&fe, "Reference", r.Reference, MaxReference)
	}
	Prose(&fe, "Description", r.Description, MaxDescription)
	for _, u := range []struct{ name, v string }{{"ReturnURL", r.ReturnURL}, {"CancelURL", r.CancelURL}, {"ErrorURL", r.ErrorURL}} {
		if u.v == "" {
			continue
		}
		if msg := URL(u.v, false); msg != "" {
			fe.Add(u.name, msg)
		}
	}
	if c := r.Customer; c != nil {
		customer(&fe, c)
	}
	Metadata(&fe, r.Metadata, MaxMetadata)
	return fe
}

func customer(fe *FieldErrors, c *payments.Customer) {
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"Customer.FirstName", c.FirstName, MaxName}, {"Customer.LastName", c.LastName, MaxName},
		{"Customer.CompanyName", c.CompanyName, MaxName}, {"Customer.Reference", c.Reference, MaxReference},
	} {
		Text(fe, f.name, f.v, f.max)
	}
	if c.Email != "" && !Email(c.Email) {
		fe.Addf("Customer.Email", "%q is not a valid email address", Quote(c.Email))
	}
	if c.Phone != "" && !E164(c.Phone) {
		fe.Addf("Customer.Phone", "%q is not an E.164 number such as +22507000000", Quote(c.Phone))
	}
	if !c.DateOfBirth.IsZero() && c.DateOfBirth.After(time.Now()) {
		fe.Add("Customer.DateOfBirth", "is in the future")
	}
	address(fe, "Customer.BillingAddress", c.BillingAddress)
	address(fe, "Customer.DeliveryAddress", c.DeliveryAddress)
}

func address(fe *FieldErrors, field string, a *payments.Address) {
	if a == nil {
		return
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{".Line1", a.Line1, MaxName}, {".Line2", a.Line2, MaxName}, {".City", a.City, MaxName},
		{".ZipCode", a.ZipCode, MaxShort}, {".State", a.State, MaxShort},
	} {
		// The field's name is built only for a value that is wrong.
		var one FieldErrors
		Text(&one, "", f.v, f.max)
		if len(one) > 0 {
			fe.Add(field+f.name, one[0].Message)
		}
	}
	if a.Country != "" && (len(a.Country) != 2 || !isUpperASCII(a.Country)) {
		fe.Addf(field+".Country", "%q is not an ISO 3166-1 alpha-2 code such as FR", Quote(a.Country))
	}
}

// Metadata checks metadata: at most max entries, keys not blank, keys and
// values valid text, keys within MaxMetaKey bytes, and all of it within
// MaxMetaTotal. A bad entry is named by its key: Metadata["color"].
func Metadata(fe *FieldErrors, m map[string]string, max int) {
	if len(m) > max {
		fe.Addf("Metadata", "has %d entries; at most %d are allowed", len(m), max)
		return
	}
	total := 0
	for k, v := range m {
		total += len(k) + len(v)
	}
	if total > MaxMetaTotal {
		fe.Addf("Metadata", "holds %d bytes; at most %d are allowed", total, MaxMetaTotal)
		return
	}
	for k, v := range m {
		if strings.TrimSpace(k) == "" {
			fe.Add("Metadata", "keys must not be blank")
			continue
		}
		// The field's name is built only for an entry that is wrong.
		var entry FieldErrors
		Text(&entry, "", k, MaxMetaKey)
		if len(entry) == 0 {
			Text(&entry, "", v, 0)
		}
		if len(entry) > 0 {
			fe.Add("Metadata["+strconv.Quote(Quote(k))+"]", entry[0].Message)
		}
	}
}

// Refund checks a refund request: a PaymentID fit for a URL path, a
// positive amount in a known currency when one is given, and a Reason that
// is valid text of at most MaxReason bytes.
func Refund(r payments.RefundRequest) FieldErrors {
	var fe FieldErrors
	ID(&fe, "PaymentID", r.PaymentID)
	if !r.Amount.IsZero() {
		Money(&fe, "Amount", r.Amount)
	}
	Prose(&fe, "Reason", r.Reason, MaxReason)
	return fe
}

// Money records in fe why m is not a positive amount in a currency the
// library knows. A wrong currency is named field+".Currency"; a zero or
// negative amount is named field itself ("Amount"), the Money the merchant
// set.
func Money(fe *FieldErrors, field string, m payments.Money) {
	switch _, known := payments.MinorUnits(m.Currency); {
	case m.Currency == "":
		fe.Add(field+".Currency", "is required")
	case !known:
		fe.Addf(field+".Currency", "%q is not a supported ISO 4217 currency", Quote(m.Currency))
	}
	if m.Amount <= 0 {
		fe.Add(field, fmt.Sprintf("must be positive, got %d", m.Amount))
	}
}
