package paymentstest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/paymentstest"
)

func faultServer(t *testing.T) (*paymentstest.Faults, *httptest.Server) {
	var f paymentstest.Faults
	srv := httptest.NewServer(f.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok","padding":"0123456789"}`)
	})))
	t.Cleanup(srv.Close)
	return &f, srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestFaultsHitInOrderThenPassThrough(t *testing.T) {
	f, srv := faultServer(t)
	f.Add(paymentstest.RateLimited(60*time.Second), paymentstest.ServerError(503), paymentstest.HTMLError(502))

	resp, _ := get(t, srv.URL+"/v1/x")
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "60", resp.Header.Get("Retry-After"))
	resp, _ = get(t, srv.URL+"/v1/x")
	assert.Equal(t, 503, resp.StatusCode)
	resp, body := get(t, srv.URL+"/v1/x")
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "<html>")
	resp, body = get(t, srv.URL+"/v1/x")
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"status":"ok","padding":"0123456789"}`, body)
	assert.Equal(t, 3, f.Injected())
}

func TestFaultsMatchPathMethodAndTimes(t *testing.T) {
	f, srv := faultServer(t)
	f.Add(paymentstest.Fault{Method: "GET", Path: "/v1/payments/", Status: 500, Times: 2})
	resp, _ := get(t, srv.URL+"/other")
	assert.Equal(t, 200, resp.StatusCode, "another path")
	for range 2 {
		resp, _ = get(t, srv.URL+"/v1/payments/p1")
		assert.Equal(t, 500, resp.StatusCode)
	}
	resp, _ = get(t, srv.URL+"/v1/payments/p1")
	assert.Equal(t, 200, resp.StatusCode, "Times is spent")

	f.Add(paymentstest.Fault{Status: 500})
	f.Reset()
	resp, _ = get(t, srv.URL+"/v1/payments/p1")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestTruncatedAndSlowFaults(t *testing.T) {
	f, srv := faultServer(t)
	f.Add(paymentstest.Truncated())
	_, body := get(t, srv.URL+"/x")
	full := `{"status":"ok","padding":"0123456789"}`
	assert.Equal(t, full[:len(full)/2], body)

	f.Add(paymentstest.Slow(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/x", nil)
	_, err := http.DefaultClient.Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
