//go:build unix

package benchkit

import (
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCPUCountsTheWorkDone(t *testing.T) {
	start := cpu()
	sum := sha256.Sum256(nil)
	for range 200000 {
		sum = sha256.Sum256(sum[:])
	}
	assert.Positive(t, cpu()-start, "hashing takes CPU time")
}

func BenchmarkCPU(b *testing.B) {
	defer CPU(b)()
	sum := sha256.Sum256(nil)
	for b.Loop() {
		sum = sha256.Sum256(sum[:])
	}
}
