package httpx

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Redacted replaces every secret in logs and errors.
const Redacted = "[REDACTED]"

var redacted = []byte(Redacted)

// maxLearnt bounds the secrets learnt at run time (rotating OAuth tokens,
// Hub2's intent tokens): the oldest are forgotten first. Tokens that old
// have long expired.
const maxLearnt = 32

// Redactor removes secrets from what the library logs or keeps in errors
// and Raw fields: known secret values anywhere in a text, in every form a
// body may carry them (as they are, JSON-escaped, URL-encoded, base64); the
// values of sensitive headers; and the values of sensitive keys, found by a
// tolerant scan that needs no valid JSON (a truncated token answer is
// scrubbed as well as a whole one). It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	fixed   []*secretForms      // secrets from the configuration, kept for good
	learnt  []*secretForms      // a ring of secrets learnt at run time
	next    int                 // next slot of learnt to overwrite
	known   map[string]struct{} // every secret held, for cheap lookups
	order   []*secretForms      // every secret, longest first; replaced, never changed, once shared
	index   *formIndex          // every form of order; replaced with it
	gen     uint64              // counts the changes of order
	headers map[string]struct{} // canonical header names; replaced, never changed, once shared
	keys    *keySet             // JSON and form keys; replaced, never changed, once shared
}

// secretForms is a secret value with the forms it may be written in.
type secretForms struct {
	value string
	forms []form
}

func newSecret(s string) *secretForms {
	fs := forms(s)
	out := &secretForms{value: s, forms: make([]form, len(fs))}
	for i, f := range fs {
		out.forms[i] = newForm(f)
	}
	return out
}

// form is one way a secret may be written, with the index of its rarest
// byte in JSON text: searching for that byte first skips most of a body.
type form struct {
	b      []byte
	anchor int
}

func newForm(s string) form {
	f := form{b: []byte(s)}
	best := 99
	for i := 0; i < len(s); i++ {
		if r := rarity(s[i]); r < best {
			best, f.anchor = r, i
		}
	}
	return f
}

// rarity ranks how often a byte appears in the JSON providers send: lower
// is rarer.
func rarity(c byte) int {
	switch {
	case c == '"' || c == ':' || c == ',' || c == '{' || c == '}' || c == ' ' || c == '_' || c == '-' || c == '.':
		return 5
	case c >= 'a' && c <= 'z':
		return 4
	case c >= '0' && c <= '9':
		return 3
	case c >= 'A' && c <= 'Z':
		return 2
	}
	return 1
}

// in reports whether f occurs in b.
func (f form) in(b []byte) bool {
	a := f.b[f.anchor]
	for i := f.anchor; i < len(b); {
		j := bytes.IndexByte(b[i:], a)
		if j < 0 {
			return false
		}
		at := i + j
		if start := at - f.anchor; start+len(f.b) <= len(b) && bytes.Equal(b[start:start+len(f.b)], f.b) {
			return true
		}
		i = at + 1
	}
	return false
}

// NewRedactor returns a Redactor that knows the usual secret-bearing headers
// (Authorization, Cookie, ApiKey…) and keys (token, access_token,
// client_secret, secret…).
func NewRedactor() *Redactor {
	return &Redactor{known: map[string]struct{}{}, headers: defaultHeaders, keys: defaultKeys, index: newFormIndex(nil)}
}

// The usual secret-bearing headers and keys, made once and shared by every
// Redactor: AddHeaders and AddKeys replace a Redactor's set by a copy, never
// change one, so that a new client costs no copy of them.
var (
	defaultHeaders = headerSet(nil, "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "ApiKey", "Api-Key", "X-Api-Key")
	defaultKeys    = keysWith(newKeySet(), "authorization", "apikey", "api_key", "token", "access_token", "refresh_token",
		"id_token", "client_secret", "secret", "password", "code_verifier", "webhook_secret", "secret_key")
)

// headerSet returns a new set: the names of set, and names, canonical.
func headerSet(set map[string]struct{}, names ...string) map[string]struct{} {
	out := make(map[string]struct{}, len(set)+len(names))
	for n := range set {
		out[n] = struct{}{}
	}
	for _, n := range names {
		out[http.CanonicalHeaderKey(n)] = struct{}{}
	}
	return out
}

// keysWith returns a copy of ks with keys added.
func keysWith(ks *keySet, keys ...string) *keySet {
	ks = ks.clone()
	for _, k := range keys {
		ks.add(k)
	}
	return ks
}

// AddHeaders marks header names whose values are always redacted.
func (r *Redactor) AddHeaders(names ...string) {
	if len(names) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.headers = headerSet(r.headers, names...) // readers keep the set they took
}

// AddKeys marks JSON and form keys whose values are always redacted.
func (r *Redactor) AddKeys(keys ...string) {
	if len(keys) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = keysWith(r.keys, keys...)
}

// minSecret is the shortest secret redacted: shorter values would garble
// every log line without protecting anything real.
const minSecret = 4

// Add registers secret values for good: wherever they appear, in any of
// their forms, they are replaced.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		if _, ok := r.known[s]; ok {
			continue
		}
		r.known[s] = struct{}{}
		sec := newSecret(s)
		r.fixed = append(r.fixed, sec)
		r.order = insertByLength(r.order, sec, nil)
		added = true
	}
	if added {
		r.index = newFormIndex(r.order)
		r.gen++
	}
}

// Learn registers secrets met at run time (tokens in a response). Only the
// most recent maxLearnt are kept. Secrets met together (an access token and
// its refresh token) are learnt together: the forms of all of them are
// indexed once.
func (r *Redactor) Learn(secrets ...string) {
	r.mu.RLock()
	var fresh []string
	for _, s := range secrets {
		if _, ok := r.known[s]; !ok && len(s) >= minSecret && !slices.Contains(fresh, s) {
			fresh = append(fresh, s)
		}
	}
	r.mu.RUnlock()
	if len(fresh) > maxLearnt {
		fresh = fresh[len(fresh)-maxLearnt:] // the older ones would be pushed out at once
	}
	// Outside the lock: finding a secret's forms is the costly part.
	all := make([]*secretForms, len(fresh))
	for i, s := range fresh {
		all[i] = newSecret(s)
	}
	for {
		r.mu.Lock()
		add := make([]*secretForms, 0, len(all))
		for _, sec := range all {
			if _, ok := r.known[sec.value]; !ok {
				add = append(add, sec)
			}
		}
		if len(add) == 0 {
			r.mu.Unlock()
			return
		}
		// Plan the ring's turn as the commit below takes it: each new
		// secret takes a free slot or pushes out the oldest. At most
		// maxLearnt are added, so only secrets learnt before are pushed out.
		gen, order := r.gen, r.order
		n, next := len(r.learnt), r.next
		for _, sec := range add {
			var gone *secretForms
			if n == maxLearnt {
				gone, next = r.learnt[next], (next+1)%maxLearnt
			} else {
				n++
			}
			order = insertByLength(order, sec, gone)
		}
		r.mu.Unlock()
		// Indexing the forms is the other costly part: done outside the
		// lock too, then kept unless another secret came in meanwhile.
		index := newFormIndex(order)
		r.mu.Lock()
		if r.gen != gen {
			r.mu.Unlock()
			continue
		}
		for _, sec := range add {
			if len(r.learnt) < maxLearnt {
				r.learnt = append(r.learnt, sec)
			} else {
				delete(r.known, r.learnt[r.next].value)
				r.learnt[r.next] = sec
				r.next = (r.next + 1) % maxLearnt
			}
			r.known[sec.value] = struct{}{}
		}
		r.order, r.index = order, index
		r.gen++
		r.mu.Unlock()
		return
	}
}

// insertByLength returns a new list: order without gone, and with sec
// placed among the longest-first secrets, so that a secret containing
// another is replaced whole. Readers keep the list they took.
func insertByLength(order []*secretForms, sec, gone *secretForms) []*secretForms {
	out := make([]*secretForms, 0, len(order)+1)
	placed := false
	for _, x := range order {
		if x == gone {
			continue
		}
		if !placed && len(sec.value) > len(x.value) {
			out = append(out, sec)
			placed = true
		}
		out = append(out, x)
	}
	if !placed {
		out = append(out, sec)
	}
	return out
}

// forms returns the ways s may be written in a body or a log line: as it
// is; JSON-escaped (with and without HTML escaping, with "\/"); URL-encoded
// (query and path escaping, upper- and lower-case hex); and the part of its
// base64 encodings (standard and URL alphabets) that is the same wherever
// it sits in the encoded text. s itself comes first.
func forms(s string) []string {
	out := []string{s}
	add := func(f string) {
		if len(f) < minSecret {
			return
		}
		for _, x := range out {
			if x == f {
				return
			}
		}
		out = append(out, f)
	}
	if strings.IndexFunc(s, needsJSONEscape) >= 0 || strings.Contains(s, "/") {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, html := range []bool{true, false} {
			b.Reset()
			enc.SetEscapeHTML(html)
			if enc.Encode(s) == nil {
				q := strings.TrimSuffix(b.String(), "\n")
				q = q[1 : len(q)-1]
				add(q)
				add(strings.ReplaceAll(q, "/", `\/`))
			}
		}
	}
	if strings.IndexFunc(s, needsURLEscape) >= 0 {
		for _, e := range []string{url.QueryEscape(s), url.PathEscape(s)} {
			add(e)
			add(lowerHex(e))
		}
	}
	for _, alphabet := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for shift := 0; shift < 3; shift++ {
			add(base64Core(alphabet, s, shift))
		}
	}
	return out
}

// needsJSONEscape reports whether encoding/json writes r otherwise than as
// it is: quotes, backslashes, control characters, HTML's <, > and &, and
// the line separators JSON escapes for JavaScript.
func needsJSONEscape(r rune) bool {
	return r < 0x20 || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029' || r == utf8.RuneError
}

// needsURLEscape reports whether a URL encoder writes r otherwise than as
// it is: anything but letters, digits and - . _ ~.
func needsURLEscape(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_' || r == '~')
}

// base64Core returns the characters of the base64 encoding of s, preceded
// by shift other bytes, that depend on s alone: what any base64 text holding
// s at that offset modulo 3 contains.
func base64Core(enc *base64.Encoding, s string, shift int) string {
	src := make([]byte, shift+len(s))
	copy(src[shift:], s)
	full := enc.EncodeToString(src)
	// Characters encoding bytes of the prefix, or the partial group at the
	// end, depend on more than s.
	start := (shift*8 + 5) / 6
	end := (len(src) / 3) * 4
	if start >= end {
		return ""
	}
	return full[start:end]
}

// lowerHex lowers the hex digits of every %XX escape in s.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if b[j] >= 'A' && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// learnAuth learns the credentials an Auth put on h: each sensitive header's
// value, and its last word ("Bearer <token>" → the token).
func (r *Redactor) learnAuth(h http.Header) { r.authSecrets(h, func(s string) { r.Learn(s) }) }

// addAuth is learnAuth for credentials that never change (an API key): they
// are kept for good, as Add keeps them, not in the ring of learnt ones that
// newer tokens push out.
func (r *Redactor) addAuth(h http.Header) { r.authSecrets(h, func(s string) { r.Add(s) }) }

func (r *Redactor) authSecrets(h http.Header, keep func(string)) {
	r.mu.RLock()
	names := r.headers
	r.mu.RUnlock()
	for name, vs := range h {
		if _, ok := names[name]; !ok {
			continue
		}
		for _, v := range vs {
			keep(v)
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				keep(v[i+1:])
			}
		}
	}
}

// String returns s with every known secret, in any of its forms, and every
// value of a sensitive key replaced.
func (r *Redactor) String(s string) string {
	out := r.Bytes([]byte(s))
	return string(out)
}

// Bytes is String for a byte slice. It returns b itself when nothing needs
// replacing, so scrubbing a clean body costs no allocation.
func (r *Redactor) Bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	r.mu.RLock()
	order, keys, index := r.order, r.keys, r.index
	r.mu.RUnlock()
	out := b
	if index.any(b) {
		// Rare: replace form by form, longest secret first, so that a
		// secret holding another is replaced whole.
		for _, sec := range order {
			for _, f := range sec.forms {
				if f.in(out) {
					out = bytes.ReplaceAll(out, f.b, redacted)
				}
			}
		}
	}
	if scrubbed, changed := scrubKeys(out, keys); changed {
		out = scrubbed
	}
	return out
}

// Header returns a copy of h fit to log: sensitive headers show Redacted,
// the others have known secrets removed.
func (r *Redactor) Header(h http.Header) http.Header {
	r.mu.RLock()
	names := r.headers
	r.mu.RUnlock()
	out := make(http.Header, len(h))
	for k, vs := range h {
		if _, ok := names[http.CanonicalHeaderKey(k)]; ok {
			out[k] = []string{Redacted}
			continue
		}
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = r.String(v)
		}
		out[k] = c
	}
	return out
}

// URL returns raw with sensitive query parameters and known secrets redacted.
func (r *Redactor) URL(raw string) string { return r.String(raw) }

// Body returns a body fit to log: sensitive keys' values and known secrets
// replaced, whatever the body is (JSON, a form, truncated or not), and bytes
// that are not UTF-8 shown as such.
func (r *Redactor) Body(_ string, b []byte) string {
	out := r.Bytes(b)
	if !utf8.Valid(out) {
		return strings.ToValidUTF8(string(out), "\uFFFD")
	}
	return string(out)
}
