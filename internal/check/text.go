package check

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text records in fe why s, the value of field, cannot be sent: invalid
// UTF-8, a control character (a NUL, an escape), or more than max bytes.
// Zero max means no length limit. Empty text is fine: say so elsewhere when
// a field is required.
func Text(fe *FieldErrors, field, s string, max int) {
	textRule(fe, field, s, max, false)
}

// Prose is Text for free text that may span lines (a description, a refund
// reason): newlines and tabs are allowed, other control characters are not.
func Prose(fe *FieldErrors, field, s string, max int) {
	textRule(fe, field, s, max, true)
}

func textRule(fe *FieldErrors, field, s string, max int, lines bool) {
	switch {
	case max > 0 && len(s) > max:
		fe.Addf(field, "is %d bytes long; at most %d are allowed", len(s), max)
	case plainText(s, lines):
		// Most text is printable ASCII: valid UTF-8 without a control
		// character, seen in one pass over its bytes.
	case !utf8.ValidString(s):
		fe.Add(field, "is not valid UTF-8")
	case strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\r' || r == '\t'))
	}) >= 0:
		fe.Add(field, "must not contain control characters")
	}
}

// plainText reports whether s is printable ASCII, with tabs and line
// breaks when lines is set: text that textRule accepts, whatever its
// length. Anything else (non-ASCII included) gets textRule's full checks.
func plainText(s string, lines bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			if !lines || (c != '\n' && c != '\r' && c != '\t') {
				return false
			}
		}
	}
	return true
}

// URL returns why u is not an absolute http or https URL with a host, or ""
// if it is. With httpsOnly, plain http is refused too.
func URL(u string, httpsOnly bool) string {
	if len(u) > MaxURL {
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(u), MaxURL)
	}
	if plainURL(u, httpsOnly) {
		return "" // what url.Parse would accept, checked without its cost
	}
	if strings.IndexFunc(u, func(r rune) bool { return r < 0x21 || r == 0x7f }) >= 0 || !utf8.ValidString(u) {
		return "must not contain spaces, control characters or invalid UTF-8"
	}
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

// plainURL reports whether u is an absolute URL of the usual shape, which
// URL accepts: "https://" (or, unless httpsOnly, "http://") in lower case,
// a host of letters, digits, dots and hyphens with an optional numeric port,
// then nothing, or a path, query or fragment of printable ASCII without '%'
// (url.Parse checks escapes). It is true only of URLs that url.Parse takes
// as absolute with a host; any other goes through url.Parse.
func plainURL(u string, httpsOnly bool) bool {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok && !httpsOnly {
		rest, ok = strings.CutPrefix(u, "http://")
	}
	if !ok {
		return false
	}
	i := 0
	for i < len(rest) && (isLabelByte(rest[i]) || rest[i] == '.') {
		i++
	}
	if i == 0 {
		return false
	}
	if i < len(rest) && rest[i] == ':' {
		i++
		port := i
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == port {
			return false
		}
	}
	if i < len(rest) && rest[i] != '/' && rest[i] != '?' && rest[i] != '#' {
		return false
	}
	for ; i < len(rest); i++ {
		if c := rest[i]; c < 0x21 || c > 0x7e || c == '%' {
			return false
		}
	}
	return true
}

// Email reports whether s is a plain email address (no display name) of at
// most 254 bytes.
func Email(s string) bool {
	if len(s) > MaxEmail {
		return false
	}
	if plainAddress(s) {
		return true // what net/mail would accept, checked without its cost
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// E164 reports whether s is a phone number in E.164 form: a plus sign, then
// 8 to 15 digits with no leading zero.
func E164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return digitsOnly(s[1:])
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// plainAddress reports whether s is local@domain with a dot-atom local part
// (RFC 5322 atext separated by single dots) and a domain of letter, digit
// and hyphen labels, at least two of them: the common case, which
// net/mail.ParseAddress accepts too. Anything else is left to it.
func plainAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') {
		return false
	}
	return dotAtoms(s[:at], isAtext) && dotAtoms(s[at+1:], isLabelByte) && strings.IndexByte(s[at+1:], '.') > 0
}

// dotAtoms reports whether s is non-empty runs of ok bytes separated by
// single dots.
func dotAtoms(s string, ok func(byte) bool) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if run == 0 {
				return false
			}
			run = 0
		case ok(c):
			run++
		default:
			return false
		}
	}
	return run > 0
}

func isAtext(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func isLabelByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}
