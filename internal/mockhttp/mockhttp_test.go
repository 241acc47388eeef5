package mockhttp

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMockTransportAnswersByMethodAndURL(t *testing.T) {
	m := NewMockTransport()
	m.RegisterResponder(http.MethodGet, "https://api.example.com/v1/x", NewStringResponder(200, `{"a":1}`).HeaderSet(http.Header{"X-Id": {"r1"}}))
	m.RegisterResponder(http.MethodGet, "https://api.example.com/v1/x?page=2", NewStringResponder(200, `{"page":2}`))
	c := &http.Client{Transport: m}

	resp, err := c.Get("https://api.example.com/v1/x?page=1")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, `{"a":1}`, string(b), "the query is optional")
	assert.Equal(t, "r1", resp.Header.Get("X-Id"))

	resp, err = c.Get("https://api.example.com/v1/x?page=2")
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	assert.Equal(t, `{"page":2}`, string(b), "an exact match wins")

	_, err = c.Post("https://api.example.com/v1/x", "application/json", strings.NewReader("{}"))
	assert.ErrorContains(t, err, "no responder for POST")
	m.RegisterNoResponder(NewStringResponder(404, "nope"))
	resp, err = c.Post("https://api.example.com/v1/y", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, 4, m.GetTotalCallCount())
}
