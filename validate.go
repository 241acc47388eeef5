package payments

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// FieldErrors collects what is wrong with a request, field by field, so that
// a merchant sees every problem at once. Adapters start from
// CreateRequest.Validate, add their provider's own rules, and return Err.
type FieldErrors []FieldError

// Add records that field is wrong, with why.
func (fe *FieldErrors) Add(field, message string) {
	*fe = append(*fe, FieldError{Field: field, Message: message})
}

// Addf is Add with a format.
func (fe *FieldErrors) Addf(field, format string, args ...any) {
	fe.Add(field, fmt.Sprintf(format, args...))
}

// Err returns an ErrInvalidRequest *Error listing the field errors, or nil if
// there are none.
func (fe FieldErrors) Err(provider ProviderName, op string) error {
	if len(fe) == 0 {
		return nil
	}
	return InvalidRequest(provider, op, fe...)
}

// Validate checks what every provider needs of a create request: a positive
// amount in a known currency, a Reference, absolute http(s) URLs, and a
// well-formed customer if one is given. Field names are CreateRequest's own
// ("Amount.Currency", "Customer.Email"). Adapters add their provider's rules.
func (r CreateRequest) Validate() FieldErrors {
	var fe FieldErrors
	if e := r.Amount.validate("Amount"); e != nil {
		fe = append(fe, *e)
	}
	switch ref := strings.TrimSpace(r.Reference); {
	case ref == "":
		fe.Add("Reference", "is required: it is the merchant's order id")
	case hasControl(r.Reference):
		fe.Add("Reference", "must not contain control characters")
	}
	for _, u := range []struct{ name, v string }{{"ReturnURL", r.ReturnURL}, {"CancelURL", r.CancelURL}, {"ErrorURL", r.ErrorURL}} {
		if u.v == "" {
			continue
		}
		if msg := CheckURL(u.v, false); msg != "" {
			fe.Add(u.name, msg)
		}
	}
	if c := r.Customer; c != nil {
		if c.Email != "" && !ValidEmail(c.Email) {
			fe.Addf("Customer.Email", "%q is not a valid email address", c.Email)
		}
		if c.Phone != "" && !ValidE164(c.Phone) {
			fe.Addf("Customer.Phone", "%q is not an E.164 number such as +22507000000", c.Phone)
		}
		if !c.DateOfBirth.IsZero() && c.DateOfBirth.After(time.Now()) {
			fe.Add("Customer.DateOfBirth", "is in the future")
		}
		checkAddress(&fe, "Customer.BillingAddress", c.BillingAddress)
		checkAddress(&fe, "Customer.DeliveryAddress", c.DeliveryAddress)
	}
	for k := range r.Metadata {
		if strings.TrimSpace(k) == "" {
			fe.Add("Metadata", "keys must not be empty")
			break
		}
	}
	return fe
}

// Validate checks a refund request: a PaymentID and, when an amount is given,
// a positive one in a known currency.
func (r RefundRequest) Validate() FieldErrors {
	var fe FieldErrors
	if strings.TrimSpace(r.PaymentID) == "" {
		fe.Add("PaymentID", "is required")
	}
	if !r.Amount.IsZero() {
		if e := r.Amount.validate("Amount"); e != nil {
			fe = append(fe, *e)
		}
	}
	return fe
}

func checkAddress(fe *FieldErrors, field string, a *Address) {
	if a == nil || a.Country == "" {
		return
	}
	if len(a.Country) != 2 || !isUpperASCII(a.Country) {
		fe.Addf(field+".Country", "%q is not an ISO 3166-1 alpha-2 code such as FR", a.Country)
	}
}

// CheckURL returns why u is not an absolute http or https URL with a host, or
// "" if it is. With httpsOnly, plain http is refused too.
func CheckURL(u string, httpsOnly bool) string {
	p, err := url.Parse(u)
	if err != nil || !p.IsAbs() || p.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", u)
	}
	switch p.Scheme {
	case "https":
	case "http":
		if httpsOnly {
			return fmt.Sprintf("%q must use https", u)
		}
	default:
		return fmt.Sprintf("%q must be an http or https URL", u)
	}
	return ""
}

// ValidEmail reports whether s is a plain email address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// ValidE164 reports whether s is a phone number in E.164 form: a plus sign,
// then 8 to 15 digits with no leading zero.
func ValidE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return digitsOnly(s[1:])
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// OptionsAs returns the provider options of type T carried in o (a
// CreateRequest's or RefundRequest's Options): a T, a non-nil *T, or the
// zero T when o is nil. Anything else, such as another provider's options,
// is recorded in fe as an error on the field "Options".
func OptionsAs[T any](o any, fe *FieldErrors) T {
	var zero T
	switch v := o.(type) {
	case nil:
		return zero
	case T:
		return v
	case *T:
		if v != nil {
			return *v
		}
		return zero
	}
	fe.Addf("Options", "%T are not %T", o, zero)
	return zero
}
