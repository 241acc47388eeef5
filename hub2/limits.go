package hub2

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// amountLimit is Hub2's pay-in policy for one country: amounts from Min to Max
// inclusive, multiples of Multiple, in the country's currency (whole francs).
type amountLimit struct {
	Country  string
	Currency string
	Min, Max int64
	Multiple int64
}

// payInLimits is the one table of amount limits the adapter enforces before
// sending anything.
//
// Source: Hub2's policies page, https://docs.hub2.io/documentation/en/policies
// (pay-in: BJ XOF 100–3,000,000; CM XAF 500–500,000; a rounding fee makes
// amounts in BF, CM, SN and ML multiples of 5; GN amounts are multiples of
// 1000). Where the page gives no pay-in range for a country, the range of its
// payout table is used (100–1,500,000, and 10,000–1,500,000 in GN): the
// stricter reading, so that an amount this table accepts is one Hub2
// documents as accepted.
var payInLimits = []amountLimit{
	{Country: "CI", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 1},
	{Country: "SN", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "BF", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "ML", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "BJ", Currency: "XOF", Min: 100, Max: 3_000_000, Multiple: 1},
	{Country: "TG", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 1},
	{Country: "CM", Currency: "XAF", Min: 500, Max: 500_000, Multiple: 5},
	{Country: "GA", Currency: "XAF", Min: 100, Max: 1_500_000, Multiple: 1},
	{Country: "GN", Currency: "GNF", Min: 10_000, Max: 1_500_000, Multiple: 1000},
}

// providerCountries lists where a provider operates, for the providers whose
// coverage Hub2 documents (same source): Wave only in CI and SN.
var providerCountries = map[string][]string{
	"wave": {"CI", "SN"},
}

// currencyLimits holds, per currency, the widest limits over its countries:
// what can be checked before the country is known.
var currencyLimits, currencyCountries = widestLimits()

func widestLimits() (map[string]amountLimit, map[string][]string) {
	limits := map[string]amountLimit{}
	countries := map[string][]string{}
	for _, l := range payInLimits {
		countries[l.Currency] = append(countries[l.Currency], l.Country)
		w, ok := limits[l.Currency]
		if !ok {
			limits[l.Currency] = amountLimit{Currency: l.Currency, Min: l.Min, Max: l.Max, Multiple: l.Multiple}
			continue
		}
		w.Min, w.Max, w.Multiple = min(w.Min, l.Min), max(w.Max, l.Max), gcd(w.Multiple, l.Multiple)
		limits[l.Currency] = w
	}
	return limits, countries
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func countryLimit(country string) (amountLimit, bool) {
	for _, l := range payInLimits {
		if l.Country == country {
			return l, true
		}
	}
	return amountLimit{}, false
}

// checkAmount records in fe what Hub2 would refuse about m paid in country
// through provider; country and provider may be empty when not known yet.
func checkAmount(fe *check.FieldErrors, m payments.Money, country, provider string) {
	wide, ok := currencyLimits[m.Currency]
	if !ok {
		if m.Currency != "" {
			fe.Addf("Amount.Currency", "%q is not a Hub2 currency: use XOF, XAF or GNF", check.Quote(m.Currency))
		}
		return
	}
	l, where := wide, "any Hub2 country"
	if country != "" {
		cl, ok := countryLimit(country)
		if !ok {
			fe.Addf("Options.Country", "%q is not a Hub2 country (%s)", check.Quote(country), strings.Join(hub2Countries(), ", "))
			return
		}
		if cl.Currency != m.Currency {
			fe.Addf("Amount.Currency", "payments in %s are in %s, not %s", country, cl.Currency, m.Currency)
			return
		}
		l, where = cl, country
		if cs, ok := providerCountries[provider]; ok && !slices.Contains(cs, country) {
			fe.Addf("Options.Provider", "%s operates only in %s, not %s", provider, strings.Join(cs, ", "), country)
		}
	}
	if m.Amount <= 0 {
		return // CreateRequest.Validate has said so
	}
	switch {
	case m.Amount < l.Min || m.Amount > l.Max:
		fe.Addf("Amount", "%s is outside Hub2's limits for %s: %d to %d %s", m, where, l.Min, l.Max, m.Currency)
	case m.Amount%l.Multiple != 0:
		fe.Addf("Amount", "%s is not a multiple of %d, as Hub2 requires in %s", m, l.Multiple, where)
	}
}

func hub2Countries() []string {
	out := make([]string, len(payInLimits))
	for i, l := range payInLimits {
		out[i] = l.Country
	}
	sort.Strings(out)
	return out
}

// checkReference records in fe when a non-empty reference holds a character
// Hub2 refuses: only A-Z, a-z, 0-9, hyphen, underscore, dot and space pass.
func checkReference(fe *check.FieldErrors, field, ref string) {
	for _, r := range ref {
		if !referenceRune(r) {
			fe.Add(field, fmt.Sprintf("%q has %q: Hub2 takes only letters, digits, '-', '_', '.' and space", check.Quote(ref), r))
			return
		}
	}
}

func referenceRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '-' || r == '_' || r == '.' || r == ' '
}

// digits reports whether s is between minLen and maxLen ASCII digits.
func digits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
