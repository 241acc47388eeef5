package hero

import (
	"bytes"
	"strconv"
)

// arrayAt returns the elements of the array found by following keys from
// the top of the JSON text b, each a slice of b, without decoding them; ok
// is false when there is no such array. hint is how many elements are
// expected. At each level it takes the member encoding/json would decode
// last into a struct field of that name: the last whose name is the key,
// escapes read and case folded. Where encoding/json would merge duplicate
// objects, arrayAt may find nothing, never another array. It reads text
// that encoding/json has already accepted; on anything else it gives up
// rather than guess.
//
// getPaymentsInfos uses it to give each entry its own Raw when
// encoding/json read the answer (readInfos finds the entries as it reads).
func arrayAt(b []byte, hint int, keys ...string) (elems [][]byte, ok bool) {
	i := skipWS(b, 0)
	end, elems, ok := walk(b, i, keys, hint)
	if end < 0 || skipWS(b, end) != len(b) {
		return nil, false
	}
	return elems, ok
}

// walk reads the value at b[i] and returns the index just past it (-1 if
// the text is cut short or not JSON as expected) with the array found at
// keys under it. Each byte is read once: a member that matches is walked
// into, the others are skipped.
func walk(b []byte, i int, keys []string, hint int) (end int, elems [][]byte, ok bool) {
	if len(keys) == 0 {
		if i < len(b) && b[i] == '[' {
			return elements(b, i, hint)
		}
		return valueEnd(b, i), nil, false
	}
	if i >= len(b) || b[i] != '{' {
		return valueEnd(b, i), nil, false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil, false
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1, nil, false
		}
		end := stringEnd(b, i)
		if end < 0 {
			return -1, nil, false
		}
		name := b[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			s, err := strconv.Unquote(string(b[i:end]))
			if err != nil {
				return -1, nil, false
			}
			name = []byte(s)
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return -1, nil, false
		}
		v := skipWS(b, i+1)
		if string(name) == keys[0] || bytes.EqualFold(name, []byte(keys[0])) {
			// The last member of that name is the one decoded.
			end, elems, ok = walk(b, v, keys[1:], hint)
		} else {
			end = valueEnd(b, v)
		}
		if end < 0 {
			return -1, nil, false
		}
		i = skipWS(b, end)
		if i >= len(b) {
			return -1, nil, false
		}
		switch b[i] {
		case '}':
			return i + 1, elems, ok
		case ',':
			i = skipWS(b, i+1)
		default:
			return -1, nil, false
		}
	}
}

// elements splits the array at b[i] into its elements.
func elements(b []byte, i int, hint int) (end int, elems [][]byte, ok bool) {
	i = skipWS(b, i+1)
	elems = make([][]byte, 0, hint)
	if i < len(b) && b[i] == ']' {
		return i + 1, elems, true
	}
	for {
		end := valueEnd(b, i)
		if end < 0 {
			return -1, nil, false
		}
		elems = append(elems, b[i:end])
		i = skipWS(b, end)
		if i >= len(b) {
			return -1, nil, false
		}
		switch b[i] {
		case ']':
			return i + 1, elems, true
		case ',':
			i = skipWS(b, i+1)
		default:
			return -1, nil, false
		}
	}
}

// valueEnd returns the index just past the JSON value that starts at b[i],
// or -1 when the text ends first.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			for j < len(b) && !structural[b[j]] {
				j++
			}
			if j == len(b) {
				break
			}
			switch b[j] {
			case '"':
				end := stringEnd(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && !isWS(b[j]) {
		j++
	}
	return j
}

// stringEnd returns the index just past the string that opens at b[i], or
// -1 when the text ends first. A quote ends the string unless an odd
// number of backslashes comes before it.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		n := 0
		for n < j-i-1 && b[j-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return j + 1
		}
		j++
	}
	return -1
}

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// structural marks the bytes valueEnd stops at inside an object or array:
// every other byte is skipped at once.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}
