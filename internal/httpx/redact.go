package httpx

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Redacted replaces every secret in logs and errors.
const Redacted = "[REDACTED]"

// maxLearnt bounds the secrets learnt at run time (rotating OAuth tokens):
// the oldest are forgotten first. Tokens that old have long expired.
const maxLearnt = 64

// Redactor removes secrets from what the library logs or returns in errors:
// known secret values anywhere in a text, the values of sensitive headers,
// and the values of sensitive JSON or form keys. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	fixed   []string            // secrets from the configuration, kept for good
	learnt  []string            // a ring of secrets learnt at run time
	next    int                 // next slot of learnt to overwrite
	known   map[string]struct{} // every secret held, for cheap lookups
	headers map[string]struct{} // canonical header names
	keys    map[string]struct{} // lower-case JSON and form keys
}

// NewRedactor returns a Redactor that knows the usual secret-bearing headers
// (Authorization, Cookie, ApiKey…) and keys (token, access_token,
// client_secret, secret…).
func NewRedactor() *Redactor {
	r := &Redactor{known: map[string]struct{}{}, headers: map[string]struct{}{}, keys: map[string]struct{}{}}
	r.AddHeaders("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "ApiKey", "Api-Key", "X-Api-Key")
	r.AddKeys("authorization", "apikey", "api_key", "token", "access_token", "refresh_token", "id_token",
		"client_secret", "secret", "password", "code_verifier", "webhook_secret", "secret_key")
	return r
}

// AddHeaders marks header names whose values are always redacted.
func (r *Redactor) AddHeaders(names ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		r.headers[http.CanonicalHeaderKey(n)] = struct{}{}
	}
}

// AddKeys marks JSON and form keys whose values are always redacted.
func (r *Redactor) AddKeys(keys ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		r.keys[strings.ToLower(k)] = struct{}{}
	}
}

// Add registers secret values for good: wherever they appear, they are
// replaced. Values shorter than 4 bytes are ignored: redacting them would
// garble every log line without protecting anything real.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		if _, ok := r.known[s]; ok {
			continue
		}
		r.known[s] = struct{}{}
		r.fixed = append(r.fixed, s)
	}
}

// Learn registers a secret met at run time (a token in a response). Only the
// most recent ones are kept.
func (r *Redactor) Learn(secret string) {
	if len(secret) < 4 {
		return
	}
	r.mu.RLock()
	_, ok := r.known[secret]
	r.mu.RUnlock()
	if ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.known[secret]; ok {
		return
	}
	if len(r.learnt) < maxLearnt {
		r.learnt = append(r.learnt, secret)
	} else {
		delete(r.known, r.learnt[r.next])
		r.learnt[r.next] = secret
		r.next = (r.next + 1) % maxLearnt
	}
	r.known[secret] = struct{}{}
}

// learnAuth learns the credentials an Auth put on h: each sensitive header's
// value, and its last word ("Bearer <token>" → the token).
func (r *Redactor) learnAuth(h http.Header) {
	r.mu.RLock()
	names := r.headers
	r.mu.RUnlock()
	for name, vs := range h {
		if _, ok := names[name]; !ok {
			continue
		}
		for _, v := range vs {
			r.Learn(v)
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				r.Learn(v[i+1:])
			}
		}
	}
}

// String returns s with every known secret value replaced.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, list := range [][]string{r.fixed, r.learnt} {
		for _, v := range list {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, Redacted)
			}
		}
	}
	return s
}

// Bytes is String for a byte slice. It returns b itself when nothing needs
// replacing.
func (r *Redactor) Bytes(b []byte) []byte {
	r.mu.RLock()
	found := false
	for _, list := range [][]string{r.fixed, r.learnt} {
		for _, v := range list {
			if bytes.Contains(b, []byte(v)) {
				found = true
			}
		}
	}
	r.mu.RUnlock()
	if !found {
		return b
	}
	return []byte(r.String(string(b)))
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
func (r *Redactor) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return r.String(raw)
	}
	q := u.Query()
	r.values(q)
	u.RawQuery = q.Encode()
	return r.String(u.String())
}

// Body returns a body fit to log: JSON with sensitive keys' values replaced
// at any depth, a form with sensitive fields replaced, and known secrets
// removed from whatever remains.
func (r *Redactor) Body(contentType string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		if q, err := url.ParseQuery(string(b)); err == nil {
			r.values(q)
			return r.String(q.Encode())
		}
	case json.Valid(b):
		var v any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if d.Decode(&v) == nil {
			if out, err := json.Marshal(r.walk(v)); err == nil {
				return r.String(string(out))
			}
		}
	}
	return r.String(string(b))
}

func (r *Redactor) values(q url.Values) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for k := range q {
		if _, ok := r.keys[strings.ToLower(k)]; ok {
			q[k] = []string{Redacted}
		}
	}
}

func (r *Redactor) walk(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			r.mu.RLock()
			_, secret := r.keys[strings.ToLower(k)]
			r.mu.RUnlock()
			if secret {
				t[k] = Redacted
			} else {
				t[k] = r.walk(x)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = r.walk(x)
		}
	}
	return v
}
