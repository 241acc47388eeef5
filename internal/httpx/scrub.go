package httpx

import (
	"bytes"
	"strconv"
	"strings"
)

// scrubKeys replaces the values of sensitive keys in b, found by a tolerant
// scan: JSON members ("key": value, whatever the value and even when the
// text is cut short or not JSON at all), then form fields and query
// parameters (key=value), wherever they are, inside JSON strings too. It
// returns b untouched and false when no sensitive key is there, else a new
// slice.
func scrubKeys(b []byte, keys map[string]struct{}) ([]byte, bool) {
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
func jsonSpans(b []byte, keys map[string]struct{}) [][2]int {
	var spans [][2]int
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end := stringEnd(b, i)
		if end < 0 {
			break
		}
		key, ok := jsonKey(b[i : end+1])
		j := skipSpace(b, end+1)
		if !ok || j >= len(b) || b[j] != ':' || !sensitive(keys, key) {
			i = end
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
		i = vEnd - 1
	}
	return spans
}

// formSpans returns where the values of sensitive form fields and query
// parameters are: key=value, the key at the text's start or after a
// separator, the value up to the next separator.
func formSpans(b []byte, keys map[string]struct{}) [][2]int {
	var spans [][2]int
	for i := 0; i < len(b); i++ {
		if b[i] != '=' {
			continue
		}
		start := i
		for start > 0 && formKeyByte(b[start-1]) {
			start--
		}
		if start == i || (start > 0 && !formSep(b[start-1])) || !sensitive(keys, b[start:i]) {
			continue
		}
		end := i + 1
		for end < len(b) && !valueStop(b[end]) {
			end++
		}
		if end > i+1 {
			spans = append(spans, [2]int{i + 1, end})
		}
		i = end - 1
	}
	return spans
}

func valueStop(c byte) bool {
	return c == '&' || c == ';' || c == '"' || c == '\\' || c == '<' || isSpace(c)
}

// sensitive reports whether key, in any case, is one of keys (which are
// lower case). It does not allocate for keys of up to 64 bytes.
func sensitive(keys map[string]struct{}, key []byte) bool {
	if len(key) == 0 {
		return false
	}
	var buf [64]byte
	if len(key) > len(buf) {
		_, ok := keys[strings.ToLower(string(key))]
		return ok
	}
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := keys[string(buf[:len(key)])]
	return ok
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at b[i], or -1 when the text ends first.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
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
