package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTablePairsLibraryAndBaseline(t *testing.T) {
	in := `goos: linux
BenchmarkMonerooVerify/library-2         	   10000	    110000 ns/op	   12000 B/op	     130 allocs/op
BenchmarkMonerooVerify/baseline-2        	   10000	    100000 ns/op	   10000 B/op	     110 allocs/op
BenchmarkMonerooVerify/library-2         	   10000	    130000 ns/op	   12000 B/op	     130 allocs/op
BenchmarkMonerooVerify/baseline-2        	   10000	    100000 ns/op	   10000 B/op	     110 allocs/op
BenchmarkMonerooVerify/library-2         	   10000	    120000 ns/op	   12000 B/op	     130 allocs/op
BenchmarkMonerooVerify/baseline-2        	   10000	    100000 ns/op	   10000 B/op	     110 allocs/op
BenchmarkLonely/library-2                	   10000	    100000 ns/op
PASS`
	rows, err := read(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, rows, 1, "a benchmark without its baseline is left out")
	var out bytes.Buffer
	write(&out, rows)
	assert.Contains(t, out.String(), "| MonerooVerify")
	assert.Contains(t, out.String(), "120.0 µs", "the median")
	assert.Contains(t, out.String(), " 1.20×")
	assert.Contains(t, out.String(), "+20 |")
}
