package hero

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Hero publishes no length limit for any field. The library's own bounds
// (internal/check) apply: generous for any real order, small enough that a
// runaway value is refused here, naming the field, rather than sent.

// graphQLName is what a GraphQL enum value looks like.
var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// check records in fe what Hero cannot take in p, each field named by its
// Go path in p ("Issuer.Address.City").
func (p NewPayment) check(fe *check.FieldErrors) {
	checkCents(fe, "Amount", p.Amount)
	if p.RedirectURI == "" {
		fe.Add("RedirectURI", "is required")
	} else if msg := check.URL(p.RedirectURI, false); msg != "" {
		fe.Add("RedirectURI", msg)
	} else {
		checkHost(fe, "RedirectURI", p.RedirectURI)
	}
	if p.ComebackURI != "" {
		if msg := check.URL(p.ComebackURI, false); msg != "" {
			fe.Add("ComebackURI", msg)
		} else {
			checkHost(fe, "ComebackURI", p.ComebackURI)
		}
	}
	checkType(fe, "Type", p.Type)
	is := p.Issuer
	required(fe, "Issuer.Name", is.Name, check.MaxName)
	required(fe, "Issuer.ContactEmail", is.ContactEmail, check.MaxEmail)
	required(fe, "Issuer.ContactPhone", is.ContactPhone, check.MaxShort)
	check.Text(fe, "Issuer.CustomerReference", is.CustomerReference, check.MaxReference)
	is.Address.check(fe, "Issuer.Address")
	if is.DeliveryAddress != nil {
		is.DeliveryAddress.check(fe, "Issuer.DeliveryAddress")
	}
}

// check records in fe what Hero cannot take in a, named field.
func (a Address) check(fe *check.FieldErrors, field string) {
	required(fe, field+".Line1", a.Line1, check.MaxName)
	check.Text(fe, field+".Line2", a.Line2, check.MaxName)
	required(fe, field+".City", a.City, check.MaxName)
	required(fe, field+".ZipCode", a.ZipCode, check.MaxShort)
}

// required records in fe that s, the value of field, is blank or not text
// of at most max bytes.
func required(fe *check.FieldErrors, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		fe.Add(field, "is required by Hero")
		return
	}
	check.Text(fe, field, s, max)
}

// maxType bounds a payment type's name: Hero's are six characters.
const maxType = 64

// checkType records in fe that t is not a GraphQL enum value of at most
// maxType bytes. Empty is fine here: the caller says what it defaults to.
func checkType(fe *check.FieldErrors, field string, t PaymentType) {
	if t != "" && (len(t) > maxType || !graphQLName.MatchString(string(t))) {
		fe.Addf(field, "%q is not a payment type such as Pay1X", check.Quote(string(t)))
	}
}

// checkIDAt records in fe why id, paymentIDs[i], is not a payment id (see
// check.ID). The field's name is built only for an id at fault: a batch of
// good ids costs no allocation.
func checkIDAt(fe *check.FieldErrors, i int, id string) {
	var one check.FieldErrors
	check.ID(&one, "", id)
	if len(one) > 0 {
		fe.Add("paymentIDs["+strconv.Itoa(i)+"]", one[0].Message)
	}
}

// checkCents records in fe why n, an amount in euro cents, cannot be sent:
// not positive, or more than GraphQL's Int (a signed 32-bit integer)
// carries, 21,474,836.47 EUR.
func checkCents(fe *check.FieldErrors, field string, n int64) {
	switch {
	case n <= 0:
		fe.Addf(field, "must be positive, got %d", n)
	case n > math.MaxInt32:
		fe.Add(field, "exceeds GraphQL's Int (at most 2147483647 cents)")
	}
}

// checkSiren records in fe that s is neither empty, a SIREN (9 digits) nor
// a SIRET (14).
func checkSiren(fe *check.FieldErrors, field, s string) {
	if s != "" && (len(s) != 9 && len(s) != 14 || strings.Trim(s, "0123456789") != "") {
		fe.Addf(field, "%q is neither a SIREN (9 digits) nor a SIRET (14 digits)", check.Quote(s))
	}
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
	return err == nil && hostOK(fe, field, u)
}

// hostOK is checkHost for a parsed URL.
func hostOK(fe *check.FieldErrors, field string, u *url.URL) bool {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if strings.HasSuffix(host, ".localhost") {
		fe.Addf(field, "%q: Hero refuses URIs on .localhost hosts as suspect; use a public host (a tunnel in development)", check.Quote(u.Host))
		return false
	}
	return true
}
