package jsonpass

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var strings_ = []string{"", "plain", `"quoted" \ back`, "<a href='x'>&amp;</a>", "\b\f\n\r\t\x00\x01\x1f\x7f", "café ü ç",
	"\u2028\u2029", "bad \xff\xfe utf8", "\xe2\x80", "emoji 🎉", "Adhésion 2025"}

func TestAppendStringWritesAsEncodingJSON(t *testing.T) {
	for _, s := range strings_ {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(AppendString(nil, s)), "%q", s)
	}
}

func TestAppendStringRawWritesAsAnEncoderWithoutHTMLEscaping(t *testing.T) {
	for _, s := range strings_ {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(s))
		assert.Equal(t, strings.TrimSuffix(b.String(), "\n"), string(AppendStringRaw(nil, s)), "%q", s)
	}
}

func TestAppendRawTakesOnlyWhatEncodingJSONKeeps(t *testing.T) {
	for _, raw := range []string{`{"reference":"A42","cart":"c-981"}`, `[1,2]`, `"x"`, `null`} {
		got, ok := AppendRaw([]byte("x"), json.RawMessage(raw))
		require.True(t, ok, raw)
		want, err := json.Marshal(json.RawMessage(raw))
		require.NoError(t, err)
		assert.Equal(t, "x"+string(want), string(got))
	}
	for _, raw := range []string{`{"a": 1}`, `{"a":"<b>"}`, "{\"a\":\"\u2028\"}", `{"a":`, ``} {
		got, ok := AppendRaw([]byte("x"), json.RawMessage(raw))
		assert.False(t, ok, raw)
		assert.Equal(t, "x", string(got))
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range strings_ {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendString(nil, s)), "%q", s)
	})
}

func FuzzAppendRaw(f *testing.F) {
	f.Add([]byte(`{"reference":"A42"}`))
	f.Add([]byte(`{"a": "<"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := AppendRaw(nil, raw)
		if !ok {
			return
		}
		want, err := json.Marshal(json.RawMessage(raw))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%q", raw)
	})
}
