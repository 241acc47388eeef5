package httpx

import (
	"os"
	"testing"
)

// BenchmarkScrub measures what scrubbing an answer costs, on HelloAsso's
// paid checkout intent with a HelloAsso client's five secrets.
func BenchmarkScrub(b *testing.B) {
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
	for b.Loop() {
		r.Bytes(body)
	}
}
