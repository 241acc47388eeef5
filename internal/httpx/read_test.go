package httpx

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadCappedReadsEveryBodyWhole reads bodies of announced and unknown
// length, in one read or many small ones, and checks each is kept whole
// and apart from the pooled buffers the next reads reuse.
func TestReadCappedReadsEveryBodyWhole(t *testing.T) {
	var kept [][]byte
	var want []string
	for _, n := range []int{0, 1, 511, 512, 513, 16 << 10, 100 << 10} {
		body := strings.Repeat(string(rune('a'+n%26)), n)
		for _, size := range []int64{int64(n), -1, 0} {
			for _, r := range []io.Reader{strings.NewReader(body), iotest.OneByteReader(strings.NewReader(body)), iotest.HalfReader(strings.NewReader(body))} {
				got, err := readCapped(r, size, 1<<20)
				require.NoError(t, err)
				require.NotNil(t, got, "an empty body is empty, not nil")
				require.Equal(t, len(body), len(got))
				kept, want = append(kept, got), append(want, body)
			}
		}
	}
	for i := range kept {
		require.Equal(t, want[i], string(kept[i]), "body %d was overwritten by a later read", i)
	}
}

func TestReadCappedStopsAtTheCap(t *testing.T) {
	for _, size := range []int64{-1, 0, 300} {
		got, err := readCapped(bytes.NewReader(bytes.Repeat([]byte("x"), 300)), size, 100)
		assert.ErrorIs(t, err, errTooLarge, "size %d", size)
		assert.Len(t, got, 100)
	}
	got, err := readCapped(iotest.ErrReader(io.ErrUnexpectedEOF), -1, 100)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Empty(t, got)
}

// BenchmarkReadChunked reads a 20 KB body of unknown length, as Hero's
// answer to a batch of 100 arrives.
func BenchmarkReadChunked(b *testing.B) {
	body := bytes.Repeat([]byte(`{"paymentId":"payment_id_001","isSuccess":true},`), 420)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readCapped(bytes.NewReader(body), -1, 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}
