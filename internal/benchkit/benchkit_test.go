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
	defer CPU(b)() // and skipped with the library's side
	sum := sha256.Sum256(nil)
	for b.Loop() {
		sum = sha256.Sum256(sum[:])
	}
}

func TestSideSkipsTheOtherSideOfEachPair(t *testing.T) {
	for _, name := range []string{"BenchmarkHeroVerify/library", "BenchmarkMonerooParseWebhook/1KiB/library", "BenchmarkHTTPX/baseline"} {
		assert.False(t, skips("", name), "without a side, everything runs")
	}
	assert.False(t, skips("library", "BenchmarkHeroVerify/library"))
	assert.False(t, skips("library", "BenchmarkMonerooParseWebhook/1KiB/library"))
	assert.True(t, skips("library", "BenchmarkHeroVerify/baseline"))
	assert.False(t, skips("library", "BenchmarkHTTPX/library+observer"), "what is not a baseline runs on the library's side")
	assert.False(t, skips("baseline", "BenchmarkHeroVerify/baseline"))
	assert.True(t, skips("baseline", "BenchmarkHeroVerify/library"))
	assert.True(t, skips("baseline", "BenchmarkHTTPX/library+observer"))
}
