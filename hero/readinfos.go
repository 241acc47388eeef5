package hero

import (
	"encoding/json"
	"unicode/utf8"
)

// readInfos reads getPaymentsInfos' usual answer into out, as
// encoding/json would, and reports whether it did; on false, out is
// untouched and the answer is for encoding/json to read (httpx's Decode),
// errors and all.
//
// Why by hand: encoding/json reads each entry by reflection, member by
// member, grows the slice entry by entry, and arrayAt then walked the
// answer once more to find each entry's bytes for Raw. This reading finds
// the bytes on the way and sizes the slice from hint: VerifyMany's
// benchmark (100 entries) went from 423 µs of CPU a call to about 225.
//
// What it reads is narrow: {"data": {"getPaymentsInfos": {"__typename": …,
// "result": [entries]}}} with members in any order, names spelt exactly,
// none twice; strings without escapes; integers; true, false and null where
// encoding/json takes them; members of no field skipped, as encoding/json
// skips them. An entry's reviewStatus and reason go through Text's own
// UnmarshalJSON. Anything else (GraphQL errors, another union member, an
// escape, a name in another case, a duplicate, a fraction, a type
// encoding/json would refuse, text that is not JSON) gives up, so that
// every answer outside that shape, rare from Hero, reads exactly as
// before. hint is how many entries are expected.
//
// It checks that the text is JSON as it reads it: each byte it reads
// against JSON's grammar, and a member it skips with json.Valid. Running
// json.Valid over the whole answer first, simpler, cost about 40 µs more on
// the benchmark, more than the reading itself.
func readInfos(b []byte, hint int, out *gqlResponse[getPaymentsInfosData]) bool {
	i := skipWS(b, 0)
	if i == len(b) || b[i] != '{' {
		return false // null and other tops: Decode names them
	}
	var data *getPaymentsInfosData
	var r objectReader
	for f, v, ok := r.open(b, i, answerFields); ok; f, v, ok = r.next() {
		switch f {
		case skip:
			r.end = skipValue(b, v)
		case 0: // data
			if b[v] != '{' {
				return false
			}
			data = new(getPaymentsInfosData)
			if r.end = readData(b, v, hint, data); r.end < 0 {
				return false
			}
		default: // errors: encoding/json reads them
			return false
		}
	}
	if r.bad || data == nil || skipWS(b, r.end) != len(b) {
		return false
	}
	out.Data = data
	return true
}

// The names each level of the answer has fields for, as the Go types
// (gqlResponse, getPaymentsInfosData, unionResult, PaymentInfo) name them
// in their json tags.
var (
	answerFields = []string{"data", "errors"}
	dataFields   = []string{"getPaymentsInfos"}
	unionFields  = []string{"__typename", "result", "success", "errorCode", "message", "validationErrors"}
	entryFields  = []string{"paymentId", "isSuccess", "error", "reviewStatus", "reason",
		"initialPaymentAmount", "pendingRefundAmount", "refundedAmount"}
)

// skip is the field of a member encoding/json would decode into no field.
const skip = -1

// readData reads the object at b[i] into d and returns the index past it,
// or -1 to give up.
func readData(b []byte, i, hint int, d *getPaymentsInfosData) int {
	var r objectReader
	for f, v, ok := r.open(b, i, dataFields); ok; f, v, ok = r.next() {
		if f == skip {
			r.end = skipValue(b, v)
			continue
		}
		if b[v] != '{' { // null would leave the union nil: Decode's case
			return -1
		}
		d.GetPaymentsInfos = new(unionResult)
		r.end = readUnion(b, v, hint, d.GetPaymentsInfos)
	}
	return r.close()
}

// readUnion reads getPaymentsInfos' union, a GetPaymentsInfosResult, into u.
func readUnion(b []byte, i, hint int, u *unionResult) int {
	var r objectReader
	for f, v, ok := r.open(b, i, unionFields); ok; f, v, ok = r.next() {
		switch f {
		case skip:
			r.end = skipValue(b, v)
		case 0:
			r.end = readString(b, v, &u.Typename)
		case 1:
			if b[v] != '[' {
				return -1
			}
			r.end, u.Result = readEntries(b, v, hint)
		default: // the other members of the union: Decode's case
			return -1
		}
	}
	return r.close()
}

// readEntries reads the array of entries at b[i], each with its bytes as
// Raw (a slice of b, its capacity cut to its length).
func readEntries(b []byte, i, hint int) (end int, infos []PaymentInfo) {
	infos = make([]PaymentInfo, 0, hint)
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, infos
	}
	for {
		if i == len(b) || b[i] != '{' {
			return -1, nil
		}
		infos = append(infos, PaymentInfo{})
		p := &infos[len(infos)-1]
		end := readEntry(b, i, p)
		if end < 0 {
			return -1, nil
		}
		p.Raw = b[i:end:end]
		i = skipWS(b, end)
		switch {
		case i == len(b):
			return -1, nil
		case b[i] == ']':
			return i + 1, infos
		case b[i] != ',':
			return -1, nil
		}
		i = skipWS(b, i+1)
	}
}

// readEntry reads the entry at b[i] into p.
func readEntry(b []byte, i int, p *PaymentInfo) int {
	var r objectReader
	for f, v, ok := r.open(b, i, entryFields); ok; f, v, ok = r.next() {
		switch f {
		case skip:
			r.end = skipValue(b, v)
		case 0:
			r.end = readString(b, v, &p.PaymentID)
		case 1:
			r.end = readBool(b, v, &p.IsSuccess)
		case 2:
			r.end = readString(b, v, &p.Error)
		case 3:
			r.end = readText(b, v, &p.ReviewStatus)
		case 4:
			r.end = readText(b, v, &p.Reason)
		case 5:
			r.end = readInt(b, v, &p.InitialAmount)
		case 6:
			r.end = readInt(b, v, &p.PendingRefundAmount)
		case 7:
			r.end = readInt(b, v, &p.RefundedAmount)
		}
	}
	return r.close()
}

// objectReader walks the members of one object, checking the text between
// them is JSON. open and next return each member's field (its index in the
// names, or skip) and where its value starts; the caller reads the value
// and sets end past it, or to -1 to give up. A name the readers should not
// judge (an escape, a byte beyond ASCII, another case of a field's name,
// whose matching encoding/json does by Unicode folding), a field met twice
// (encoding/json would merge or overwrite) or text that is not JSON sets
// bad and ends the walk.
type objectReader struct {
	b     []byte
	names []string
	seen  uint64
	end   int // past the current value; -1 to give up
	bad   bool
}

func (r *objectReader) open(b []byte, i int, names []string) (field, v int, ok bool) {
	r.b, r.names = b, names
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		r.end = i + 1
		return 0, 0, false
	}
	return r.member(i)
}

func (r *objectReader) next() (field, v int, ok bool) {
	if r.end < 0 {
		return r.fail()
	}
	i := skipWS(r.b, r.end)
	switch {
	case i == len(r.b):
		return r.fail()
	case r.b[i] == '}':
		r.end = i + 1
		return 0, 0, false
	case r.b[i] != ',':
		return r.fail()
	}
	return r.member(skipWS(r.b, i+1))
}

func (r *objectReader) fail() (field, v int, ok bool) {
	r.bad, r.end = true, -1
	return 0, 0, false
}

// member reads the name at b[i] and the colon after it.
func (r *objectReader) member(i int) (field, v int, ok bool) {
	b := r.b
	if i == len(b) || b[i] != '"' {
		return r.fail()
	}
	end := stringEnd(b, i)
	if end < 0 {
		return r.fail()
	}
	name := b[i+1 : end-1]
	field = skip
	for k, n := range r.names {
		if string(name) == n {
			field = k
			break
		}
	}
	if field == skip {
		for _, c := range name {
			if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
				return r.fail()
			}
		}
		for _, n := range r.names {
			if asciiEqualFold(name, n) {
				return r.fail()
			}
		}
	} else {
		if r.seen&(1<<field) != 0 {
			return r.fail()
		}
		r.seen |= 1 << field
	}
	i = skipWS(b, end)
	if i == len(b) || b[i] != ':' {
		return r.fail()
	}
	v = skipWS(b, i+1)
	if v == len(b) {
		return r.fail()
	}
	r.end = -1
	return field, v, true
}

// close returns the index past the object, or -1 if the walk gave up.
func (r *objectReader) close() int {
	if r.bad {
		return -1
	}
	return r.end
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// maxSkipped is the longest value readInfos skips. Longer ones give up:
// json.Valid on a skipped value alone does not see how deep it lies, and
// encoding/json refuses text nested more than 10,000 deep, which a value
// this short cannot reach.
const maxSkipped = 4096

// skipValue returns the index past the value at b[i], a member of no
// field, if it is JSON; else -1.
func skipValue(b []byte, i int) int {
	end := valueEnd(b, i)
	if end < 0 || end-i > maxSkipped || !json.Valid(b[i:end]) {
		return -1
	}
	return end
}

// literal returns the index past the literal word at b[i], or -1.
func literal(b []byte, i int, word string) int {
	if len(b)-i < len(word) || string(b[i:i+len(word)]) != word {
		return -1
	}
	return i + len(word)
}

// readString reads a string without escapes in valid UTF-8 (what
// encoding/json keeps byte for byte) into s; null leaves s as it is, as
// encoding/json does.
func readString(b []byte, i int, s *string) (end int) {
	switch b[i] {
	case 'n':
		return literal(b, i, "null")
	case '"':
		end = stringEnd(b, i)
		if end < 0 {
			return -1
		}
		in := b[i+1 : end-1]
		for _, c := range in {
			if c == '\\' || c < ' ' {
				return -1
			}
		}
		if !utf8.Valid(in) {
			return -1
		}
		*s = string(in)
		return end
	}
	return -1
}

// readBool reads true or false into p; null leaves it as it is.
func readBool(b []byte, i int, p *bool) (end int) {
	switch b[i] {
	case 'n':
		return literal(b, i, "null")
	case 't':
		*p = true
		return literal(b, i, "true")
	case 'f':
		*p = false
		return literal(b, i, "false")
	}
	return -1
}

// readInt reads an integer of at most 18 digits (no int64 overflows),
// written as JSON writes it, into p; null leaves it as it is. A fraction
// or an exponent, which encoding/json refuses for an int64, gives up.
func readInt(b []byte, i int, p *int64) (end int) {
	if b[i] == 'n' {
		return literal(b, i, "null")
	}
	end = valueEnd(b, i)
	j, neg := i, b[i] == '-'
	if neg {
		j++
	}
	if j == end || end-j > 18 || b[j] == '0' && end-j > 1 {
		return -1 // no digits, too many, or a leading zero
	}
	var n int64
	for ; j < end; j++ {
		c := b[j]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	*p = n
	return end
}

// readText reads any value through Text's UnmarshalJSON, as encoding/json
// would (null included). A string is JSON if UnmarshalJSON takes it (it
// decodes any string that is not plain ASCII with encoding/json); another
// value must pass json.Valid first, since UnmarshalJSON trims Unicode
// spaces that are not JSON's.
func readText(b []byte, i int, t *Text) (end int) {
	end = valueEnd(b, i)
	if end < 0 || b[i] != '"' && !json.Valid(b[i:end]) || t.UnmarshalJSON(b[i:end]) != nil {
		return -1
	}
	return end
}
