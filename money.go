package payments

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Money is an amount in a currency's ISO 4217 minor unit: for EUR (two decimals)
// Amount 5000 is 50.00 EUR; for XOF (no decimals) Amount 5000 is 5000 F CFA.
//
// Money never holds a float. Adapters convert it to their provider's unit
// exactly and refuse, rather than round, an amount the provider cannot take.
type Money struct {
	Amount   int64  // in the currency's minor unit
	Currency string // ISO 4217 alphabetic code, upper case
}

// minorUnits is the ISO 4217 exponent of every currency the library knows.
// Zero-decimal currencies are marked; an amount in them is whole units.
var minorUnits = map[string]int{
	// Europe and the Americas.
	"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2,
	// West and Central Africa.
	"XOF": 0, // zero-decimal: West African CFA franc
	"XAF": 0, // zero-decimal: Central African CFA franc
	"GNF": 0, // zero-decimal: Guinean franc
	"NGN": 2, "GHS": 2, "SLE": 2, "LRD": 2, "GMD": 2, "CVE": 2, "MRU": 2,
	"CDF": 2,
	// East and Southern Africa.
	"KES": 2,
	"RWF": 0, // zero-decimal: Rwandan franc
	"UGX": 0, // zero-decimal: Ugandan shilling
	"BIF": 0, // zero-decimal: Burundian franc
	"DJF": 0, // zero-decimal: Djiboutian franc
	"KMF": 0, // zero-decimal: Comorian franc
	"TZS": 2, "ETB": 2, "ZAR": 2, "ZMW": 2, "MWK": 2, "MZN": 2, "BWP": 2,
	"NAD": 2, "AOA": 2, "MGA": 2, "MUR": 2, "SCR": 2,
	// North Africa.
	"MAD": 2, "EGP": 2, "DZD": 2,
	"TND": 3, // three decimals: Tunisian dinar
	"LYD": 3, // three decimals: Libyan dinar
}

// MinorUnits returns the number of decimals of currency's minor unit
// (2 for EUR, 0 for XOF) and whether the library knows the currency.
func MinorUnits(currency string) (int, bool) {
	d, ok := minorUnits[currency]
	return d, ok
}

// Currencies returns the ISO 4217 codes the library knows, sorted.
func Currencies() []string {
	out := make([]string, 0, len(minorUnits))
	for c := range minorUnits {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// pow10 returns 10^n for the small exponents of the table.
func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// FromMajor returns major whole units of currency as Money: FromMajor(50, "EUR")
// is 5000 cents. It fails for an unknown currency or an amount that overflows.
func FromMajor(major int64, currency string) (Money, error) {
	d, ok := MinorUnits(currency)
	if !ok {
		return Money{}, unknownCurrency(currency)
	}
	p := pow10(d)
	if major > maxInt64/p || major < -maxInt64/p {
		return Money{}, invalid("Amount", fmt.Sprintf("%d %s overflows", major, currency))
	}
	return Money{Amount: major * p, Currency: currency}, nil
}

// ParseMajor reads a decimal amount in major units, such as "10.50" or "200",
// as Money. It refuses more decimals than the currency has ("10.505" EUR,
// "200.5" XOF) instead of rounding; trailing zeros are fine ("100.0" XOF).
// Use it for amounts that providers send as decimal numbers.
func ParseMajor(s, currency string) (Money, error) {
	d, ok := MinorUnits(currency)
	if !ok {
		return Money{}, unknownCurrency(currency)
	}
	str := strings.TrimSpace(s)
	neg := strings.HasPrefix(str, "-")
	str = strings.TrimPrefix(str, "-")
	whole, frac, _ := strings.Cut(str, ".")
	frac = strings.TrimRight(frac, "0")
	if whole == "" || !digitsOnly(whole) || !digitsOnly(frac) {
		return Money{}, invalid("Amount", fmt.Sprintf("%q is not a decimal amount", s))
	}
	if len(frac) > d {
		return Money{}, invalid("Amount", fmt.Sprintf("%s %s has more than %d decimals; refusing to round", s, currency, d))
	}
	frac += strings.Repeat("0", d-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, invalid("Amount", fmt.Sprintf("%s %s overflows", s, currency))
	}
	if neg {
		n = -n
	}
	return Money{Amount: n, Currency: currency}, nil
}

// Major returns the amount in whole major units: 5000 EUR cents is 50.
// It fails when the amount has a fractional major part (5050 cents), so that
// an adapter for a provider that only takes whole units never rounds.
func (m Money) Major() (int64, error) {
	d, ok := MinorUnits(m.Currency)
	if !ok {
		return 0, unknownCurrency(m.Currency)
	}
	p := pow10(d)
	if m.Amount%p != 0 {
		return 0, invalid("Amount", fmt.Sprintf("%s has a fractional part; only whole %s units can be sent, and the library never rounds", m, m.Currency))
	}
	return m.Amount / p, nil
}

// String formats the amount in major units with the currency's decimals,
// such as "50.00 EUR" or "5000 XOF". An unknown currency prints minor units.
func (m Money) String() string {
	d, ok := MinorUnits(m.Currency)
	if !ok || d == 0 {
		return strconv.FormatInt(m.Amount, 10) + " " + m.Currency
	}
	a := m.Amount
	sign := ""
	if a < 0 {
		sign = "-"
	}
	// Work on the decimal string so that math.MinInt64 needs no negation.
	digits := strings.TrimPrefix(strconv.FormatInt(a, 10), "-")
	if len(digits) <= d {
		digits = strings.Repeat("0", d-len(digits)+1) + digits
	}
	cut := len(digits) - d
	return sign + digits[:cut] + "." + digits[cut:] + " " + m.Currency
}

// IsZero reports whether m is the zero Money (no amount, no currency).
func (m Money) IsZero() bool { return m == Money{} }

const maxInt64 = int64(^uint64(0) >> 1)

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func unknownCurrency(c string) *Error {
	return invalid("Currency", fmt.Sprintf("%q is not a supported ISO 4217 currency", c))
}

// invalid builds an ErrInvalidRequest error about one field.
func invalid(field, msg string) *Error {
	return &Error{Kind: ErrInvalidRequest, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
}
