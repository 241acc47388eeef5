package jsonpass

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// The functions of this file write JSON as encoding/json writes it, so that
// a request body an adapter writes by hand (httpx.JSONAppender) is the very
// bytes json.Marshal would send, without its reflection.

// AppendString appends s as a JSON string, escaped as json.Marshal escapes
// it: quotes, backslashes, control characters, <, > and & (HTML-safe), the
// line and paragraph separators U+2028 and U+2029, and invalid UTF-8 as
// U+FFFD.
func AppendString(b []byte, s string) []byte { return appendString(b, s, true) }

// AppendStringRaw is AppendString without the HTML escaping: <, > and & as
// they are, as a json.Encoder with SetEscapeHTML(false) writes them.
func AppendStringRaw(b []byte, s string) []byte { return appendString(b, s, false) }

func appendString(b []byte, s string, html bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

const hex = "0123456789abcdef"

// AppendInt appends n as encoding/json writes an integer.
func AppendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// AppendBool appends v as encoding/json writes a bool.
func AppendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// AppendRaw appends raw, a json.RawMessage, and reports whether it could be
// sure that is what encoding/json writes: raw must be valid JSON that its
// compaction and HTML escaping leave as it is (no white space, no <, > or &,
// no U+2028 or U+2029). When it reports false, b is unchanged and the
// caller leaves the whole body to encoding/json.
func AppendRaw(b []byte, raw json.RawMessage) ([]byte, bool) {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r', '<', '>', '&', 0xE2:
			return b, false
		}
	}
	if !json.Valid(raw) {
		return b, false
	}
	return append(b, raw...), true
}
