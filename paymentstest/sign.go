package paymentstest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
)

// The Sign functions build the headers each provider puts on a webhook
// delivery, from the secret the merchant configured, so that tests (and the
// simulators) can produce deliveries the adapters accept. body must be sent
// exactly as signed: the signatures cover the raw bytes.

// SignMoneroo returns Moneroo's headers: X-Moneroo-Signature, the lowercase
// hex HMAC-SHA256 of body keyed with the webhook secret.
func SignMoneroo(secret string, body []byte) http.Header {
	h := jsonHeader()
	h.Set("X-Moneroo-Signature", hmacHex(secret, body))
	return h
}

// SignHub2 returns Hub2's headers: Hub2-Signature "s1=<sig>,s0=<sig>", s1
// with the current secret and, during a rotation, s0 with the previous one
// (pass previous as "" when there is none).
func SignHub2(current, previous string, body []byte) http.Header {
	parts := []string{"s1=" + hmacHex(current, body)}
	if previous != "" {
		parts = append(parts, "s0="+hmacHex(previous, body))
	}
	h := jsonHeader()
	h.Set("Hub2-Signature", strings.Join(parts, ","))
	return h
}

// SignHelloAsso returns HelloAsso's headers: x-ha-signature, the hex
// HMAC-SHA256 of body keyed with the partner's signature key.
func SignHelloAsso(key string, body []byte) http.Header {
	h := jsonHeader()
	h.Set("X-Ha-Signature", hmacHex(key, body))
	return h
}

// WebhookRequest returns an incoming POST request to target carrying header
// and body, to serve to a webhook http.Handler with httptest.NewRecorder.
func WebhookRequest(target string, header http.Header, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	for k, v := range header {
		r.Header[k] = append([]string(nil), v...)
	}
	return r
}

func jsonHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return h
}
