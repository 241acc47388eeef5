package httpx

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
)

// keySet is the set of sensitive keys, grouped by length, so that a key of
// a body is compared with the few sensitive keys of its length, without a
// lookup or a lower-case copy.
type keySet struct {
	byLen [maxKey + 1][]string // lower-case names by length
	short int                  // the length of the shortest name
}

// maxKey is the longest sensitive key: no API names a secret more verbosely.
const maxKey = 64

func newKeySet() *keySet { return &keySet{} }

func (k *keySet) add(name string) {
	name = strings.ToLower(name)
	if len(name) == 0 || len(name) > maxKey {
		return
	}
	for _, n := range k.byLen[len(name)] {
		if n == name {
			return
		}
	}
	k.byLen[len(name)] = append(k.byLen[len(name)], name)
	if k.short == 0 || len(name) < k.short {
		k.short = len(name)
	}
}

// mayHave reports whether a JSON string of n bytes between its quotes may
// be a sensitive key: one of that length, or an escaped one (escapes are
// longer than what they stand for, so no shorter than the shortest key).
func (k *keySet) mayHave(n int) bool {
	return n >= k.short && k.short > 0
}

// clone returns a copy of k, so that the Redactor can swap sets without
// locking readers.
func (k *keySet) clone() *keySet {
	c := newKeySet()
	for n, names := range k.byLen {
		c.byLen[n] = append([]string(nil), names...)
	}
	c.short = k.short
	return c
}

// has reports whether key, in any case, is sensitive.
func (k *keySet) has(key []byte) bool {
	if len(key) > maxKey {
		return false
	}
	for _, n := range k.byLen[len(key)] {
		if asciiEqualFold(key, n) {
			return true
		}
	}
	return false
}

// asciiEqualFold reports whether b equals the lower-case s, ignoring the
// case of ASCII letters.
func asciiEqualFold(b []byte, s string) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// scrubKeys replaces the values of sensitive keys in b, found by a tolerant
// scan: JSON members ("key": value, whatever the value and even when the
// text is cut short or not JSON at all), then form fields and query
// parameters (key=value), wherever they are, inside JSON strings too. It
// returns b untouched and false when no sensitive key is there, else a new
// slice.
func scrubKeys(b []byte, keys *keySet) ([]byte, bool) {
	out, changed := replaceSpans(b, jsonSpans(b, keys))
	out, changed2 := replaceSpans(out, formSpans(out, keys))
	return out, changed || changed2
}

// replaceSpans replaces each span of b (sorted, not overlapping) by
// Redacted. It returns b itself when there is none.
func replaceSpans(b []byte, spans [][2]int) ([]byte, bool) {
	if len(spans) == 0 {
		return b, false
	}
	out := make([]byte, 0, len(b))
	last := 0
	for _, s := range spans {
		out = append(out, b[last:s[0]]...)
		out = append(out, Redacted...)
		last = s[1]
	}
	return append(out, b[last:]...), true
}

// jsonSpans returns where the values of sensitive JSON members are: a
// string's content (its quotes stay, so the text stays JSON), or a whole
// number, object or array; to the text's end when it is cut short.
func jsonSpans(b []byte, keys *keySet) [][2]int {
	var spans [][2]int
	for i := 0; i < len(b); {
		start := indexQuote(b, i)
		if start < 0 {
			break
		}
		end := stringEnd(b, start)
		if end < 0 {
			break
		}
		i = end + 1
		j := end + 1
		if j < len(b) && b[j] != ':' { // most often: a value, or a key with no space before its colon
			j = skipSpace(b, j)
		}
		if j >= len(b) || b[j] != ':' {
			continue // a value, not a key
		}
		if !keys.mayHave(end - start - 1) {
			continue // no key is that long, even unescaped
		}
		key, ok := jsonKey(b[start : end+1])
		if !ok || !keys.has(key) {
			continue
		}
		v := skipSpace(b, j+1)
		if v >= len(b) {
			break
		}
		vEnd := valueEnd(b, v)
		if b[v] == '"' {
			inner := vEnd
			if stringEnd(b, v) == vEnd-1 {
				inner = vEnd - 1
			}
			if inner > v+1 {
				spans = append(spans, [2]int{v + 1, inner})
			}
		} else {
			spans = append(spans, [2]int{v, vEnd})
		}
		i = vEnd
	}
	return spans
}

// formSpans returns where the values of sensitive form fields and query
// parameters are: key=value, the key at the text's start or after a
// separator, the value up to the next separator.
func formSpans(b []byte, keys *keySet) [][2]int {
	var spans [][2]int
	for i := 0; i < len(b); {
		e := bytes.IndexByte(b[i:], '=')
		if e < 0 {
			break
		}
		eq := i + e
		i = eq + 1
		start := eq
		for start > 0 && formKeyByte(b[start-1]) {
			start--
		}
		if start == eq || (start > 0 && !formSep(b[start-1])) || !keys.has(b[start:eq]) {
			continue
		}
		end := eq + 1
		for end < len(b) && !valueStop(b[end]) {
			end++
		}
		if end > eq+1 {
			spans = append(spans, [2]int{eq + 1, end})
		}
		i = end
	}
	return spans
}

func valueStop(c byte) bool {
	return c == '&' || c == ';' || c == '"' || c == '\\' || c == '<' || isSpace(c)
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at b[i], or -1 when the text ends first.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); {
		at := indexQuote(b, j)
		if at < 0 {
			return -1
		}
		// The quote is escaped if an odd number of backslashes precede it.
		n := 0
		for k := at - 1; k > i && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return at
		}
		j = at + 1
	}
	return -1
}

// indexQuote returns the index of the first '"' in b from i on, or -1.
// Strings and the gaps between them are short in JSON, where
// bytes.IndexByte's setup costs more than the search: the first 32 bytes
// are read 8 at a time, in a word, the rest by bytes.IndexByte.
func indexQuote(b []byte, i int) int {
	const ones, highs, quotes = 0x0101010101010101, 0x8080808080808080, 0x2222222222222222
	for stop := min(len(b), i+32); i+8 <= stop; i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ quotes // a quote is now a zero byte
		// The lowest byte flagged is the first zero byte: a borrow can
		// only flag bytes above one.
		if t := (x - ones) &^ x & highs; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	if i >= len(b) {
		return -1
	}
	if j := bytes.IndexByte(b[i:], '"'); j >= 0 {
		return i + j
	}
	return -1
}

// jsonKey decodes a quoted JSON string (escapes included, so that
// "access\u005ftoken" is found too).
func jsonKey(q []byte) ([]byte, bool) {
	if bytes.IndexByte(q, '\\') < 0 {
		return q[1 : len(q)-1], true
	}
	s, err := strconv.Unquote(string(q))
	if err != nil {
		return nil, false
	}
	return []byte(s), true
}

// valueEnd returns the index just past the JSON value that starts at b[i]:
// a string, a balanced object or array, or a scalar; the text's end when
// it is cut short.
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		if e := stringEnd(b, i); e >= 0 {
			return e + 1
		}
		return len(b)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := stringEnd(b, j)
				if e < 0 {
					return len(b)
				}
				j = e
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && !isSpace(b[j]) {
		j++
	}
	return j
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func formKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

func formSep(c byte) bool { return c == '&' || c == '?' || c == ';' || isSpace(c) || c == '"' }
