package httpx

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// formIndex tells whether a text holds any form of any secret, reading the
// text once instead of once per form: a body almost never holds a secret,
// so the redactor asks it first and searches form by form only when it says
// yes.
//
// Forms of minStride+gramLen-1 bytes or more (nearly all: keys, tokens and
// their encodings are long) are found by sampling: every stride-th group of
// gramLen bytes of the text is looked up in a table of each form's groups at
// offsets 0 to stride-1. An occurrence of a form at p covers the sample at
// the first multiple of stride from p on, which is one of those groups, so
// no occurrence is missed; a sample found in the table is checked against
// the whole form, so none is invented. Shorter forms are searched as before,
// by their rarest byte, forms sharing that byte in one pass.
//
// A formIndex is built for a set of secrets and never changed: the
// redactor builds a new one when it learns a secret.
type formIndex struct {
	stride int // the sampling step; 0 when no form is long enough
	// heads[h] is 1 + the index in grams of the first entry whose gram
	// hashes to h, 0 if none; each entry links to the next. Chains rather
	// than open addressing: tokens share their first bytes (every JWT's
	// header), so many entries share a gram, and a chain takes one more
	// in constant time where a probe would walk past all of them.
	heads []uint32
	grams []gramEntry
	shift uint32   // 32 - log2(len(heads)): a hash's top bits pick the chain
	long  [][]byte // the forms entries refer to
	// short holds the forms too short to sample, by their rarest byte: each
	// run of forms sharing it is searched in one pass.
	short []form
}

const (
	gramLen = 4
	// minStride is the smallest sampling step: forms shorter than
	// minStride+gramLen-1 bytes (11) are searched by their rarest byte.
	minStride = 8
	// maxStride bounds the table (each long form has stride entries), so
	// that learning a token stays cheap: with 32 learnt JWTs and a few keys,
	// about 4,000 entries, built in about 35 µs (BenchmarkLearn).
	maxStride = 16
)

// gramEntry says that the long form number ref>>4 holds gram at offset
// ref&15 (maxStride is 16); next is 1 + the index of the next entry of the
// chain, 0 at its end.
type gramEntry struct {
	gram, ref, next uint32
}

func gramAt(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[i : i+gramLen]) }

// slot returns where g's entries start: the top bits of a multiplicative
// hash (Fibonacci hashing), which depend on every byte of g.
func (x *formIndex) slot(g uint32) uint32 { return (g * 0x9E3779B1) >> x.shift }

// newFormIndex indexes every form of secrets.
func newFormIndex(secrets []*secretForms) *formIndex {
	x := &formIndex{}
	minLong, nLong, nForms := 0, 0, 0
	for _, s := range secrets {
		for _, f := range s.forms {
			nForms++
			if n := len(f.b); n >= minStride+gramLen-1 {
				nLong++
				if minLong == 0 || n < minLong {
					minLong = n
				}
			}
		}
	}
	if nForms > nLong {
		x.short = make([]form, 0, nForms-nLong)
	}
	if nLong > 0 {
		x.stride = min(minLong-gramLen+1, maxStride)
		size, log := 16, uint32(4)
		for size < 2*nLong*x.stride { // twice the entries: most samples meet an empty chain
			size, log = size*2, log+1
		}
		x.heads = make([]uint32, size)
		x.grams = make([]gramEntry, 0, nLong*x.stride)
		x.shift = 32 - log
		x.long = make([][]byte, 0, nLong)
	}
	for _, s := range secrets {
		for _, f := range s.forms {
			if nLong == 0 || len(f.b) < minLong {
				x.short = append(x.short, f)
				continue
			}
			n := uint32(len(x.long))
			x.long = append(x.long, f.b)
			for off := 0; off < x.stride; off++ {
				g := gramAt(f.b, off)
				h := x.slot(g)
				x.grams = append(x.grams, gramEntry{gram: g, ref: n<<4 | uint32(off), next: x.heads[h]})
				x.heads[h] = uint32(len(x.grams))
			}
		}
	}
	slices.SortStableFunc(x.short, func(a, b form) int { return int(a.b[a.anchor]) - int(b.b[b.anchor]) })
	return x
}

// any reports whether b holds a form of a secret.
func (x *formIndex) any(b []byte) bool {
	if x.stride > 0 {
		for i := 0; i+gramLen <= len(b); i += x.stride {
			g := gramAt(b, i)
			for e := x.heads[x.slot(g)]; e != 0; {
				entry := &x.grams[e-1]
				e = entry.next
				if entry.gram != g {
					continue
				}
				ref := entry.ref
				f := x.long[ref>>4]
				if start := i - int(ref&15); start >= 0 && start+len(f) <= len(b) && bytes.Equal(b[start:start+len(f)], f) {
					return true
				}
			}
		}
	}
	for i := 0; i < len(x.short); {
		c := x.short[i].b[x.short[i].anchor]
		j := i + 1
		for j < len(x.short) && x.short[j].b[x.short[j].anchor] == c {
			j++
		}
		if anyAt(b, c, x.short[i:j]) {
			return true
		}
		i = j
	}
	return false
}

// anyAt reports whether one of forms, whose rarest byte is c, occurs in b:
// one pass over the occurrences of c.
func anyAt(b []byte, c byte, forms []form) bool {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], c)
		if j < 0 {
			return false
		}
		at := i + j
		for _, f := range forms {
			if start := at - f.anchor; start >= 0 && start+len(f.b) <= len(b) && bytes.Equal(b[start:start+len(f.b)], f.b) {
				return true
			}
		}
		i = at + 1
	}
	return false
}
