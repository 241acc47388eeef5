package httpx

import (
	"os"
	"strconv"
	"testing"

	"github.com/unipay/payments/internal/benchkit"
)

// scrubBench is HelloAsso's paid checkout intent (pretty-printed, 2 KB) and a
// redactor with a HelloAsso client's five secrets.
func scrubBench(b *testing.B) ([]byte, *Redactor) {
	benchkit.Side(b)
	body, err := os.ReadFile("../../testdata/helloasso/checkout-intent-paid.json")
	if err != nil {
		b.Fatal(err)
	}
	r := NewRedactor()
	r.Add("ha_client_secret_0123456789abcdef", "ha_signature_key_0123456789abcdef")
	r.Learn("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJhYmMiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlc2lnbmF0dXJl")
	r.Learn("Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJhYmMiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlc2lnbmF0dXJl")
	r.Learn("0d9b1c8e4f3a2b1c0d9e8f7a6b5c4d3e")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	return body, r
}

// BenchmarkScrub measures what scrubbing an answer costs: every form of
// every secret, then the secret keys.
func BenchmarkScrub(b *testing.B) {
	body, r := scrubBench(b)
	for b.Loop() {
		r.Bytes(body)
	}
}

// BenchmarkFormIndex is the search for every form of every secret alone
// (22 forms here), through the index.
func BenchmarkFormIndex(b *testing.B) {
	body, r := scrubBench(b)
	for b.Loop() {
		r.index.any(body)
	}
}

// BenchmarkScrubKeys is the tolerant scan for secret keys alone.
func BenchmarkScrubKeys(b *testing.B) {
	body, r := scrubBench(b)
	for b.Loop() {
		scrubKeys(body, r.keys)
	}
}

// BenchmarkLearn learns a new token with 32 learnt already and two fixed
// secrets: its forms, and the index of every form rebuilt.
func BenchmarkLearn(b *testing.B) {
	benchkit.Side(b)
	r := NewRedactor()
	r.Add("ha_client_secret_0123456789abcdef", "ha_signature_key_0123456789abcdef")
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InBpX3lWNFNDSDdDaEliS1daM0RFRXFOVCIsIm1lcmNoYW50SWQiOiIxNiJ9.BzV62U0iREMsq7RqADMwWN0YIKpJLQR"
	for i := range maxLearnt {
		r.Learn(jwt + strconv.Itoa(i))
	}
	i := maxLearnt
	b.ReportAllocs()
	for b.Loop() {
		i++
		r.Learn(jwt + strconv.Itoa(i))
	}
}
