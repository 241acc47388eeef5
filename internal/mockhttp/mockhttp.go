// Package mockhttp is the replay transport of the adapters' tests: an
// http.RoundTripper that answers each request with the responder registered
// for its method and URL, and counts the calls. It serves fixtures taken
// from the providers' documentation without a network, so that a test can
// compare the exact bytes an adapter sends with what the provider expects.
// It keeps the library's module free of a mocking dependency.
package mockhttp

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Responder answers one request.
type Responder func(*http.Request) (*http.Response, error)

// HeaderSet returns a responder that answers as r does, with h's headers
// added to the answer.
func (r Responder) HeaderSet(h http.Header) Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		if err == nil && resp != nil {
			for k, v := range h {
				resp.Header[http.CanonicalHeaderKey(k)] = v
			}
		}
		return resp, err
	}
}

// MockTransport is an http.RoundTripper answering from registered
// responders. It is safe for concurrent use.
type MockTransport struct {
	mu         sync.Mutex
	responders map[string]Responder // "METHOD URL" → responder
	noResponse Responder
	calls      int
}

// NewMockTransport returns a MockTransport with no responder.
func NewMockTransport() *MockTransport {
	return &MockTransport{responders: map[string]Responder{}}
}

// RegisterResponder answers requests with method to url (with or without
// its query: an exact match wins) with r.
func (m *MockTransport) RegisterResponder(method, url string, r Responder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.responders[strings.ToUpper(method)+" "+url] = r
}

// RegisterNoResponder answers the requests no responder matches with r;
// by default they fail.
func (m *MockTransport) RegisterNoResponder(r Responder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.noResponse = r
}

// GetTotalCallCount returns how many requests the transport received.
func (m *MockTransport) GetTotalCallCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// RoundTrip implements http.RoundTripper.
func (m *MockTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	m.mu.Lock()
	m.calls++
	r, ok := m.responders[req.Method+" "+req.URL.String()]
	if !ok {
		u := *req.URL
		u.RawQuery = ""
		r, ok = m.responders[req.Method+" "+u.String()]
	}
	if !ok {
		r = m.noResponse
	}
	m.mu.Unlock()
	if r == nil {
		return nil, fmt.Errorf("mockhttp: no responder for %s %s", req.Method, req.URL)
	}
	resp, err := r(req)
	if resp != nil && resp.Request == nil {
		resp.Request = req
	}
	return resp, err
}

// NewStringResponse returns an answer with status and body.
func NewStringResponse(status int, body string) *http.Response {
	return NewBytesResponse(status, []byte(body))
}

// NewBytesResponse returns an answer with status and body.
func NewBytesResponse(status int, body []byte) *http.Response {
	return &http.Response{
		Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
}

// NewStringResponder returns a responder that always answers status and body.
func NewStringResponder(status int, body string) Responder {
	return NewBytesResponder(status, []byte(body))
}

// NewBytesResponder returns a responder that always answers status and body.
func NewBytesResponder(status int, body []byte) Responder {
	return func(*http.Request) (*http.Response, error) { return NewBytesResponse(status, body), nil }
}
