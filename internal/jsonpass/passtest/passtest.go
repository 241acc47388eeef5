// Package passtest holds an adapter's one-pass readers (internal/jsonpass)
// to encoding/json's result, in tests.
package passtest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// ReadsAsEncodingJSON reads body into a zero V with read, a one-pass
// reader, and, if it takes body, checks that body is a JSON object that
// encoding/json reads into an equal V without an error. It reports whether
// read took body.
func ReadsAsEncodingJSON[V any](t testing.TB, body []byte, read func(*V, []byte) bool) bool {
	t.Helper()
	var got V
	if !read(&got, body) {
		return false
	}
	var want V
	require.NoError(t, json.Unmarshal(body, &want), "the reader took what encoding/json refuses: %q", body)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	require.True(t, len(trimmed) > 0 && trimmed[0] == '{', "the reader took a body that is not an object: %q", body)
	require.Equal(t, want, got, "%q", body)
	return true
}
