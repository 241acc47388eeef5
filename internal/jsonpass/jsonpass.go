// Package jsonpass reads a JSON answer in one pass over its bytes: it checks
// the whole text as strictly as encoding/json would and decodes the fields
// an adapter names as it meets them.
//
// encoding/json reads a body twice (once to check it is valid JSON, once to
// decode it) with a scanner that costs a function call per byte; an answer
// of a few kilobytes of which an adapter keeps a dozen fields spends most of
// its reading there. An adapter's reader built on this package answers only
// for what it is sure encoding/json reads the same way; for anything else (a
// text that is not valid JSON, a key that is not plain lowercase ASCII, a
// value of a type the field does not take, nesting deeper than MaxDepth) its
// functions return -1, and the adapter reads the body with encoding/json
// instead, with encoding/json's errors. Each adapter holds its reader to
// encoding/json's result with a test and a fuzz test.
//
// The functions take the text b and the index i where a value starts, and
// return the index just past it, or -1 to give up.
//
// The package also writes JSON as encoding/json writes it (write.go), for
// the request bodies adapters write by hand (httpx.JSONAppender).
package jsonpass

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// MaxDepth bounds the nesting the reader follows (objects and arrays within
// each other); a deeper text is left to encoding/json, which allows 10,000
// levels.
const MaxDepth = 256

// Member reads the member key of an object at depth: it consumes the value
// starting at b[i] and returns where it ends, or -1 to give up. plain
// reports that the key is printable ASCII without escapes: key is then its
// text.
type Member func(key []byte, plain bool, b []byte, i, depth int) int

// Document reads b, a whole JSON object, through f, and reports whether b
// was valid JSON read to its end.
func Document(b []byte, f Member) bool {
	i := SkipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	end := Object(b, i, 1, f)
	return end >= 0 && SkipSpace(b, end) == len(b)
}

// Object checks the JSON object starting at b[i], at depth, calling f for
// each member, and returns where it ends, or -1.
func Object(b []byte, i, depth int, f Member) int {
	if depth > MaxDepth {
		return -1
	}
	i = SkipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		end, plain := String(b, i)
		if end < 0 {
			return -1
		}
		key := b[i+1 : end-1]
		i = SkipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		if i = f(key, plain, b, SkipSpace(b, i+1), depth); i < 0 {
			return -1
		}
		i = SkipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = SkipSpace(b, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

// Skip checks the value of a member no field takes, for a struct whose
// fields all have lowercase names (snake_case providers). encoding/json
// matches keys to fields case-insensitively (and folds a few non-ASCII
// letters): a key that is not lowercase ASCII might be a field's, so Skip
// gives up on it.
func Skip(key []byte, plain bool, b []byte, i, depth int) int {
	if !plain {
		return -1
	}
	for _, c := range key {
		if c >= 'A' && c <= 'Z' {
			return -1
		}
	}
	return Value(b, i, depth)
}

// Other checks the value of a member no field takes, for a struct whose
// fields are named names (camelCase providers): a key that matches one of
// them in another case, or that is not plain ASCII, gives up, since
// encoding/json would read it into that field.
func Other(names []string, key []byte, plain bool, b []byte, i, depth int) int {
	if !plain {
		return -1
	}
	for _, n := range names {
		if len(n) == len(key) && foldEqual(key, n) {
			return -1
		}
	}
	return Value(b, i, depth)
}

// foldEqual reports whether ASCII key and name are equal but for case.
func foldEqual(key []byte, name string) bool {
	for i := range key {
		a, b := key[i], name[i]
		if a >= 'A' && a <= 'Z' {
			a += 'a' - 'A'
		}
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// anyMember checks a member of an object nothing reads: its key matters to
// no field.
func anyMember(_ []byte, _ bool, b []byte, i, depth int) int { return Value(b, i, depth) }

// Value checks the JSON value starting at b[i], within an object or array
// at depth, and returns where it ends, or -1.
func Value(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := String(b, i)
		return end
	case c == '{':
		return Object(b, i, depth+1, anyMember)
	case c == '[':
		return Array(b, i, depth+1, Value)
	case c == 't':
		return Literal(b, i, "true")
	case c == 'f':
		return Literal(b, i, "false")
	case c == 'n':
		return Literal(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return Number(b, i)
	}
	return -1
}

// Array checks the JSON array starting at b[i], at depth, reading each
// element with elem, and returns where it ends, or -1.
func Array(b []byte, i, depth int, elem func(b []byte, i, depth int) int) int {
	if depth > MaxDepth {
		return -1
	}
	i = SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for {
		if i = elem(b, i, depth); i < 0 {
			return -1
		}
		i = SkipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = SkipSpace(b, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}

// String checks the JSON string starting at b[i] and returns where it ends
// (after its closing quote), or -1. plain reports that it holds printable
// ASCII only, without escapes: its text is then its bytes.
func String(b []byte, i int) (end int, plain bool) {
	plain = true
	for i++; i < len(b); i++ {
		c := b[i]
		if plainByte[c] {
			continue
		}
		switch {
		case c == '"':
			return i + 1, plain
		case c < 0x20:
			return -1, false // a control character must be escaped
		case c >= 0x80:
			plain = false
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return -1, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(b)-i <= 4 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1, false
				}
				i += 4
			default:
				return -1, false
			}
		}
	}
	return -1, false
}

// plainByte holds the bytes a string holds as they are: printable ASCII
// but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// Number checks the JSON number starting at b[i] and returns where it
// ends, or -1. What follows it is the caller's to check.
func Number(b []byte, i int) int {
	digits := func(i int) int {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(i + 1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		d := digits(i + 1)
		if d == i+1 {
			return -1
		}
		i = d
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := digits(i)
		if d == i {
			return -1
		}
		i = d
	}
	return i
}

// Literal checks that word (true, false, null) starts at b[i].
func Literal(b []byte, i int, word string) int {
	if len(b)-i < len(word) || string(b[i:i+len(word)]) != word {
		return -1
	}
	return i + len(word)
}

// Text reads a JSON string into *dst as encoding/json reads one into a
// string field: null leaves *dst as it is, any other type gives up. A nil
// dst checks the type only, for a field nothing reads.
func Text(b []byte, i int, dst *string) int {
	if i >= len(b) || b[i] != '"' {
		return Literal(b, i, "null")
	}
	end, plain := String(b, i)
	if end < 0 || dst == nil {
		return end
	}
	if plain {
		*dst = string(b[i+1 : end-1])
		return end
	}
	s, ok := Unquote(b[i:end])
	if !ok {
		return -1
	}
	*dst = s
	return end
}

// Int64 reads a JSON number into *dst as encoding/json reads one into an
// int64 field: an integer in range; null leaves *dst as it is; a fraction,
// an exponent, a number out of range or any other type gives up.
func Int64(b []byte, i int, dst *int64) int {
	if i >= len(b) || (b[i] != '-' && (b[i] < '0' || b[i] > '9')) {
		return Literal(b, i, "null")
	}
	end := Number(b, i)
	if end < 0 {
		return -1
	}
	n, ok := parseInt(b[i:end])
	if !ok {
		return -1
	}
	*dst = n
	return end
}

// parseInt reads a JSON number as strconv.ParseInt(s, 10, 64) would, which
// encoding/json calls, without a string to allocate.
func parseInt(s []byte) (int64, bool) {
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var u uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false // a fraction or an exponent
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	switch {
	case neg:
		return -int64(u), true // -(1<<63) wraps to itself, as it should
	case u == 1<<63:
		return 0, false
	}
	return int64(u), true
}

// Bool reads true or false into *dst as encoding/json reads one into a bool
// field: null leaves *dst as it is, any other type gives up.
func Bool(b []byte, i int, dst *bool) int {
	if i < len(b) && b[i] == 't' {
		*dst = true
		return Literal(b, i, "true")
	}
	if i < len(b) && b[i] == 'f' {
		*dst = false
		return Literal(b, i, "false")
	}
	return Literal(b, i, "null")
}

// Int is Int64 for an int field.
func Int(b []byte, i int, dst *int) int {
	var n int64
	end := Int64(b, i, &n)
	if end < 0 || n != int64(int(n)) {
		return -1
	}
	if i < len(b) && b[i] != 'n' {
		*dst = int(n)
	}
	return end
}

// Unmarshaler checks the value at b[i] and hands it to unmarshal, as
// encoding/json hands a json.Unmarshaler the bytes of its value (null
// included). An error gives up: encoding/json returns it.
func Unmarshaler(b []byte, i, depth int, unmarshal func([]byte) error) int {
	end := Value(b, i, depth)
	if end < 0 || unmarshal(b[i:end]) != nil {
		return -1
	}
	return end
}

// Struct reads an object into a struct field through f, as encoding/json
// decodes into the struct it has; null leaves it as it is, any other type
// gives up.
func Struct(b []byte, i, depth int, f Member) int {
	if i < len(b) && b[i] == '{' {
		return Object(b, i, depth+1, f)
	}
	return Literal(b, i, "null")
}

// SkipSpace returns the index of the first byte from i on that is not JSON
// white space.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// Unquote returns the text of the JSON string b, quotes included, as
// encoding/json reads it. A string without escapes is read directly; one
// with escapes goes through encoding/json.
func Unquote(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// Fields reads an object's members into the fields named names through
// read, which takes the index of the field in names. A key met twice, which
// encoding/json would merge or overwrite, gives up; so does a key of a
// field in another case (Other). names holds at most 32 names.
func Fields(names []string, read func(field int, b []byte, i, depth int) int) Member {
	var seen uint32
	return func(key []byte, plain bool, b []byte, i, depth int) int {
		if plain {
			for f, n := range names {
				if string(key) == n {
					if seen&(1<<f) != 0 {
						return -1
					}
					seen |= 1 << f
					return read(f, b, i, depth)
				}
			}
		}
		return Other(names, key, plain, b, i, depth)
	}
}

// Slice reads an array of objects into *dst, which must be nil, as
// encoding/json reads one into a slice of structs: null leaves it nil, []
// makes it empty, a null element is a zero one; members reads an element's
// members.
func Slice[T any](b []byte, i, depth int, dst *[]T, members func(*T) Member) int {
	if i >= len(b) || b[i] != '[' {
		return Literal(b, i, "null")
	}
	out := make([]T, 0, 1)
	end := Array(b, i, depth+1, func(b []byte, i, depth int) int {
		out = append(out, *new(T))
		if i < len(b) && b[i] == '{' {
			return Object(b, i, depth+1, members(&out[len(out)-1]))
		}
		return Literal(b, i, "null")
	})
	*dst = out
	return end
}

// Strings reads an array of strings into *dst, which must be nil, as
// encoding/json reads one into a []string: null leaves it nil, [] makes it
// empty, a null element is "".
func Strings(b []byte, i, depth int, dst *[]string) int {
	if i >= len(b) || b[i] != '[' {
		return Literal(b, i, "null")
	}
	out := make([]string, 0, 1)
	end := Array(b, i, depth+1, func(b []byte, i, _ int) int {
		out = append(out, "")
		return Text(b, i, &out[len(out)-1])
	})
	*dst = out
	return end
}

// StringMap reads an object of strings into *dst, which must be nil, as
// encoding/json reads one into a map[string]string: null leaves it nil, a
// null value is "", a key met twice keeps its last value. A key with
// escapes, or a value that is not a string, gives up.
func StringMap(b []byte, i, depth int, dst *map[string]string) int {
	if i >= len(b) || b[i] != '{' {
		return Literal(b, i, "null")
	}
	m := map[string]string{}
	*dst = m
	return Object(b, i, depth+1, func(key []byte, plain bool, b []byte, i, _ int) int {
		if !plain {
			return -1
		}
		var s string
		end := Text(b, i, &s)
		m[string(key)] = s
		return end
	})
}
