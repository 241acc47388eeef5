package moneroo

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/unipay/payments/internal/jsonpass"
)

// This file reads the shapes Moneroo's examples disagree on (a currency as
// an object or a string, an amount as an integer, a float or a numeric
// string, metadata as an object or [], a failure code as a string or a
// number) in one pass: each type looks at the first byte of its value and
// decodes the one shape it announces. encoding/json hands an UnmarshalJSON
// the exact bytes of one value it has already checked; these methods still
// stay within the bounds of any input, valid or not, and never panic.

// String is a text field Moneroo may send as a string, a number, a boolean
// or null (failure codes, phone numbers). Anything but a string keeps its
// JSON text; null is "".
type String string

// UnmarshalJSON never fails: it keeps whatever was sent as text.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		v, ok := jsonpass.Unquote(b)
		if !ok {
			v = string(b) // not a valid string: keep the text
		}
		*s = String(v)
	default:
		*s = String(b)
	}
	return nil
}

// Amount is an amount in major units as Moneroo sends it: 200, 100.0 or,
// leniently, "200". It keeps the decimal text; payments.ParseMajor converts
// it to Money without rounding.
type Amount string

// UnmarshalJSON reads a JSON number, a numeric string, or null.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if isNull(b) {
		*a = ""
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		s, ok := jsonpass.Unquote(b)
		if !ok {
			return errors.New("moneroo: amount is not a number")
		}
		text = string(bytes.TrimSpace([]byte(s)))
	}
	if !isNumber(text) {
		return errors.New("moneroo: amount is not a number")
	}
	*a = Amount(text)
	return nil
}

// Currency is an ISO 4217 code. Moneroo sends "USD" or an object
// ({"code": "XOF", "name": …}); both read as the code.
type Currency string

// UnmarshalJSON reads a code, an object with a "code", or null.
func (c *Currency) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b):
		*c = ""
	case len(b) > 0 && b[0] == '"':
		s, ok := jsonpass.Unquote(b)
		if !ok {
			return errors.New("moneroo: currency is not a valid string")
		}
		*c = Currency(s)
	case len(b) > 0 && b[0] == '{':
		var code String
		err := eachMember(b, func(key, value []byte) error {
			if string(key) != "code" {
				return nil
			}
			if !isNull(value) && (len(value) == 0 || value[0] != '"') {
				return errSyntax // a code is text
			}
			return code.UnmarshalJSON(value)
		})
		if err != nil {
			return errors.New("moneroo: currency is neither a code nor an object")
		}
		*c = Currency(code)
	default:
		return errors.New("moneroo: currency is neither a code nor an object")
	}
	return nil
}

// Metadata is a payment's metadata. Moneroo only takes string values, but
// answers with an object, or [] (PHP's empty array) when there is none; a
// value that is not a string keeps its JSON text.
type Metadata map[string]string

// UnmarshalJSON reads an object, an array (as empty) or null.
func (m *Metadata) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b), len(b) > 0 && b[0] == '[':
		*m = nil
		return nil
	case len(b) == 0 || b[0] != '{':
		return errors.New("moneroo: metadata is not an object")
	}
	out := Metadata{}
	err := eachMember(b, func(key, value []byte) error {
		var s String
		_ = s.UnmarshalJSON(value)
		out[string(key)] = string(s)
		return nil
	})
	if err != nil {
		return errors.New("moneroo: metadata is not an object")
	}
	*m = out
	return nil
}

// Timestamp is a time Moneroo sends as RFC 3339 with microseconds
// ("2024-01-31T14:46:13.000000Z"). null, "" and text that is not a time read
// as the zero time rather than failing the whole answer.
type Timestamp struct{ time.Time }

// UnmarshalJSON reads an RFC 3339 time, or "2006-01-02 15:04:05" (UTC),
// leniently.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '"' {
		return nil
	}
	if t.Time.UnmarshalJSON(b) == nil { // RFC 3339, without allocating
		return nil
	}
	t.Time = time.Time{}
	if s, ok := jsonpass.Unquote(b); ok {
		if v, err := time.Parse(time.DateTime, s); err == nil {
			t.Time = v
		}
	}
	return nil
}

// UnmarshalJSON reads a method or gateway object, or a bare code.
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*r = Ref{}
	switch {
	case isNull(b):
		return nil
	case len(b) > 0 && b[0] == '"':
		return r.ShortCode.UnmarshalJSON(b)
	case len(b) == 0 || b[0] != '{':
		return errors.New("moneroo: a method or gateway is neither a code nor an object")
	}
	return eachMember(b, func(key, value []byte) error {
		switch string(key) {
		case "name":
			return r.Name.UnmarshalJSON(value)
		case "short_code":
			return r.ShortCode.UnmarshalJSON(value)
		case "code":
			return r.Code.UnmarshalJSON(value)
		case "transaction_id":
			return r.TransactionID.UnmarshalJSON(value)
		case "transaction_status":
			return r.TransactionStatus.UnmarshalJSON(value)
		case "transaction_failure_message":
			return r.TransactionFailureMessage.UnmarshalJSON(value)
		}
		return nil
	})
}

// UnmarshalJSON reads an array of country objects or codes.
func (c *Countries) UnmarshalJSON(b []byte) error {
	if isNull(bytes.TrimSpace(b)) {
		*c = nil
		return nil
	}
	var items []Currency // the same shapes: a code, or an object with "code"
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make(Countries, 0, len(items))
	for _, it := range items {
		if it != "" {
			out = append(out, string(it))
		}
	}
	*c = out
	return nil
}

var errSyntax = errors.New("moneroo: not valid JSON")

// eachMember calls f with the key (unescaped) and the raw value of each
// member of the JSON object b, in order, and stops at f's first error.
func eachMember(b []byte, f func(key, value []byte) error) error {
	i := jsonpass.SkipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSyntax
	}
	i = jsonpass.SkipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		end := skipString(b, i)
		if end < 0 {
			return errSyntax
		}
		key := b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			s, ok := jsonpass.Unquote(b[i:end])
			if !ok {
				return errSyntax
			}
			key = []byte(s)
		}
		i = jsonpass.SkipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errSyntax
		}
		i = jsonpass.SkipSpace(b, i+1)
		end = skipValue(b, i)
		if end < 0 {
			return errSyntax
		}
		if err := f(key, b[i:end]); err != nil {
			return err
		}
		i = jsonpass.SkipSpace(b, end)
		if i >= len(b) {
			return errSyntax
		}
		switch b[i] {
		case ',':
			i = jsonpass.SkipSpace(b, i+1)
		case '}':
			return nil
		default:
			return errSyntax
		}
	}
}

// skipValue returns where the JSON value starting at b[i] ends, or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				end := skipString(b, i)
				if end < 0 {
					return -1
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	start := i
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if i == start {
				return -1
			}
			return i
		}
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// skipString returns where the JSON string starting at b[i] ends (after
// its closing quote), or -1.
func skipString(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// isNumber reports whether s is a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(s)
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }
