package httpx

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteAny is what formIndex.any must answer: whether any form of any
// secret occurs in b, each searched in turn.
func bruteAny(secrets []*secretForms, b []byte) bool {
	for _, s := range secrets {
		for _, f := range s.forms {
			if bytes.Contains(b, f.b) {
				return true
			}
		}
	}
	return false
}

func randomText(r *rand.Rand, n int, alphabet string) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}

const jsonish = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"{}[]:,._-/ +=%\`

// TestFormIndexFindsEveryFormWhereverItIs plants forms of secrets of every
// length, from the shortest redacted to JWT-long, at every kind of place (the
// text's first and last bytes, across sampling steps), and checks the index
// against a search of each form in turn, near misses included.
func TestFormIndexFindsEveryFormWhereverItIs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		var secrets []*secretForms
		for range 1 + r.IntN(6) {
			n := minSecret + r.IntN(60)
			if round%5 == 0 {
				n = minSecret + r.IntN(8) // short forms only, or a mix
			}
			secrets = append(secrets, newSecret(string(randomText(r, n, jsonish))))
		}
		x := newFormIndex(secrets)
		for range 20 {
			body := randomText(r, r.IntN(300), jsonish)
			s := secrets[r.IntN(len(secrets))]
			f := s.forms[r.IntN(len(s.forms))].b
			switch r.IntN(5) {
			case 0: // nothing planted
			case 1: // at the start
				body = append(append([]byte{}, f...), body...)
			case 2: // at the end
				body = append(body, f...)
			case 3: // anywhere
				at := r.IntN(len(body) + 1)
				body = append(body[:at:at], append(append([]byte{}, f...), body[at:]...)...)
			case 4: // a near miss: one byte changed
				g := append([]byte{}, f...)
				g[r.IntN(len(g))] ^= 0x01
				body = append(body, g...)
			}
			require.Equal(t, bruteAny(secrets, body), x.any(body), "secrets %q, body %q", s.value, body)
		}
	}
}

func TestFormIndexOfNothingFindsNothing(t *testing.T) {
	x := newFormIndex(nil)
	assert.False(t, x.any([]byte(`{"a":"b"}`)))
	assert.False(t, x.any(nil))
}

func FuzzFormIndex(f *testing.F) {
	f.Add("sk_live_0123456789abcdef", []byte(`{"key":"sk_live_0123456789abcdef"}`))
	f.Add("whsec_bench", []byte(`d2hzZWNfYmVuY2g=`))
	f.Add("abcd", []byte(`xxabcd`))
	f.Fuzz(func(t *testing.T, secret string, body []byte) {
		if len(secret) < minSecret {
			return
		}
		secrets := []*secretForms{newSecret(secret), newSecret(secret + "-second")}
		if got, want := newFormIndex(secrets).any(body), bruteAny(secrets, body); got != want {
			t.Fatalf("any = %v, want %v (secret %q, body %q)", got, want, secret, body)
		}
	})
}

func TestIndexQuoteFindsTheFirstQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		b := randomText(r, r.IntN(120), `ab"\ `+"\x00\x22\xa2")
		from := r.IntN(len(b) + 1)
		want := bytes.IndexByte(b[from:], '"')
		if want >= 0 {
			want += from
		}
		require.Equal(t, want, indexQuote(b, from), "%q from %d", b, from)
	}
}

// TestLearningWhileScrubbing learns secrets while other goroutines scrub:
// a scrub never shows a secret whose Learn returned before it started.
func TestLearningWhileScrubbing(t *testing.T) {
	r := NewRedactor()
	r.Add("fixed-secret-0123456789")
	secrets := make([]string, 24)
	for i := range secrets {
		secrets[i] = "learnt-token-" + strconv.Itoa(i) + "-" + strings.Repeat("x", i)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < len(secrets); i += 4 {
				r.Learn(secrets[i])
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			var known []string // learnt before this scrub starts
			for i := range secrets {
				r.mu.RLock()
				_, ok := r.known[secrets[i]]
				r.mu.RUnlock()
				if ok {
					known = append(known, secrets[i])
				}
			}
			body := []byte(`{"a":"` + strings.Join(known, `","`) + `","f":"fixed-secret-0123456789"}`)
			out := string(r.Bytes(body))
			for _, s := range known {
				assert.NotContains(t, out, s)
			}
			assert.NotContains(t, out, "fixed-secret-0123456789")
		}
	}()
	wg.Wait()
	out := string(r.Bytes([]byte(strings.Join(secrets, " "))))
	for _, s := range secrets {
		assert.NotContains(t, out, s)
	}
}
