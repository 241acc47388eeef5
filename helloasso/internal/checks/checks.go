// Package checks holds the field controls HelloAsso applies to a checkout
// intent, so that the adapter (which refuses bad input before sending it)
// and the simulator (which answers 400 as HelloAsso does) apply the same
// rules. Each check returns why a value is refused, or "" if it passes.
//
// Source: HelloAsso's checkout guide, "Fonctionnement de HelloAsso Checkout",
// section "Contrôle des champs", and the OpenAPI description of
// InitCheckoutBody.
package checks

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits of a checkout intent.
const (
	MaxItemName   = 250       // itemName, in characters
	MaxPayerField = 255       // payer firstName, lastName, email, companyName
	MaxMetadata   = 20000     // metadata, serialised, in characters
	MaxAmount     = 1<<31 - 1 // amounts are int32 cents in the API
	AdultAge      = 18        // a payer's date of birth must make them an adult
)

// ReturnParams are the query parameters HelloAsso appends to the return and
// error URLs; a merchant's own URL must not use them.
var ReturnParams = []string{"checkoutIntentId", "code", "orderId", "error"}

// placeholders are the names HelloAsso refuses as obvious fillers. The guide
// lists them; the comparison ignores case.
var placeholders = [...]string{
	"firstname", "lastname", "unknown", "first_name", "last_name",
	"anonyme", "user", "admin", "name", "nom", "prénom", "test",
}

// placeholder reports whether s is one of the placeholders, in any case.
func placeholder(s string) bool {
	for _, p := range placeholders {
		if strings.EqualFold(s, p) {
			return true
		}
	}
	return false
}

// accented are the only letters outside a–z the guide allows in a name:
// accented e, a and u, and ç.
const accented = "éèêëàâäùûüçÉÈÊËÀÂÄÙÛÜÇ"

// vowels counts y as a vowel, as French does, so that names such as "Flynn"
// pass; the guide only says "no vowel".
const vowels = "aeiouyAEIOUYéèêëàâäùûüÉÈÊËÀÂÄÙÛÜ"

// Name returns why s is not a payer first or last name HelloAsso accepts:
// a single character, a digit, the same character three times in a row, no
// vowel, a placeholder ("test", "nom"…), a character outside the Latin
// alphabet, or a special character other than accented e, a, u, ç, the
// apostrophe and the hyphen. Spaces between words are allowed.
func Name(s string) string {
	t := strings.TrimSpace(s)
	runes := []rune(t)
	switch {
	case len(runes) == 0:
		return "must not be blank"
	case len(runes) == 1:
		return "must be more than one character"
	case len(runes) > MaxPayerField:
		return fmt.Sprintf("must be at most %d characters", MaxPayerField)
	case placeholder(t):
		return fmt.Sprintf("%q is a placeholder HelloAsso refuses", t)
	}
	for _, r := range runes {
		switch {
		case unicode.IsDigit(r):
			return "must not contain a digit"
		case r < 0x80 && unicode.IsLetter(r), strings.ContainsRune(accented, r), r == '\'', r == '’', r == '-', r == ' ':
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return fmt.Sprintf("must use the Latin alphabet (found %q)", r)
		default:
			return fmt.Sprintf("must not contain %q: HelloAsso allows letters, accented e, a and u, ç, the apostrophe and the hyphen", r)
		}
	}
	for i := 2; i < len(runes); i++ {
		a, b, c := unicode.ToLower(runes[i-2]), unicode.ToLower(runes[i-1]), unicode.ToLower(runes[i])
		if a == b && b == c {
			return fmt.Sprintf("must not repeat %q three times in a row", runes[i])
		}
	}
	if !strings.ContainsAny(t, vowels) {
		return "must contain a vowel"
	}
	return ""
}

// SameName reports whether first and last name are the same, which HelloAsso
// refuses; case and surrounding spaces are ignored.
func SameName(first, last string) bool {
	return strings.EqualFold(strings.TrimSpace(first), strings.TrimSpace(last))
}

// Adult reports whether someone born on dob is at least AdultAge years old
// on now's calendar date.
func Adult(dob, now time.Time) bool {
	y, m, d := dob.Date()
	ny, nm, nd := now.Date()
	birthday := time.Date(y+AdultAge, m, d, 0, 0, 0, 0, time.UTC)
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	return !birthday.After(today)
}

// URL returns why raw is not a back, error or return URL HelloAsso accepts:
// an absolute https URL whose query does not use the parameters HelloAsso
// appends. With loopbackHTTP, plain http on a loopback host (localhost,
// 127.0.0.1, ::1) passes too: a simulator's client sends a shop running on
// the developer's machine there.
func URL(raw string, loopbackHTTP bool) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopbackHTTP && Loopback(u.Hostname()):
	default:
		return fmt.Sprintf("%q must use https: HelloAsso accepts https URLs only", raw)
	}
	// The query's names, read in place: url.Values would cost a map per URL.
	for rest := u.RawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		for _, p := range ReturnParams {
			if name == p {
				return fmt.Sprintf("%q must not carry the query parameter %q: HelloAsso appends it", raw, p)
			}
		}
	}
	return ""
}

// Loopback reports whether host is localhost or a loopback IP address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Length returns the length of s as HelloAsso counts it: in UTF-16 code
// units, as .NET strings do. For ASCII it is the byte length.
func Length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}

// LengthBytes is Length for UTF-8 text in a byte slice.
func LengthBytes(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		n += utf16Len(r)
		i += size
	}
	return n
}

// utf16Len is how many UTF-16 code units r takes (1 for an invalid rune,
// written as U+FFFD).
func utf16Len(r rune) int {
	if l := utf16.RuneLen(r); l > 0 {
		return l
	}
	return 1
}
