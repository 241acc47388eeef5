package paymentsotel

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestServerOfSplitsTheHost(t *testing.T) {
	for host, want := range map[string]server{
		"api.moneroo.io":      {address: "api.moneroo.io", port: 443},
		"api.hub2.io:8443":    {address: "api.hub2.io", port: 8443},
		"127.0.0.1:41234":     {address: "127.0.0.1", port: 41234},
		"[::1]:41234":         {address: "::1", port: 41234},
		"[2001:db8::1]":       {address: "2001:db8::1", port: 443},
		"localhost":           {address: "localhost"}, // plain http may have been meant: no guess
		"127.0.0.1":           {address: "127.0.0.1"},
		"[::1]":               {address: "::1"},
		"api.helloasso.com:0": {address: "api.helloasso.com"},
	} {
		assert.Equal(t, want, serverOf(host), host)
	}
}

func TestMethodAttrNamesUnknownMethodsOther(t *testing.T) {
	assert.Equal(t, "GET", methodAttr("GET").Value.AsString())
	assert.Equal(t, "POST", methodAttr("POST").Value.AsString())
	assert.Equal(t, "_OTHER", methodAttr("get").Value.AsString(), "methods are case-sensitive")
	assert.Equal(t, "_OTHER", methodAttr("PROPFIND").Value.AsString())
}

func TestTruncateKeepsWholeRunes(t *testing.T) {
	assert.Equal(t, "payment.success", truncate("payment.success", maxEventType))
	long := strings.Repeat("é", 40) // 80 bytes
	got := truncate(long, maxEventType)
	assert.LessOrEqual(t, len(got), maxEventType)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, strings.Repeat("é", 32), got)
}
