package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// telemetryShop runs the shop over Moneroo's simulator with the telemetry
// getenv asks for, as run does, and buys a coffee. It returns the
// telemetry, shut down, so that everything was exported.
func telemetryShop(t *testing.T, getenv func(string) string, out io.Writer) {
	t.Helper()
	tel, err := newTelemetry(context.Background(), getenv, out)
	require.NoError(t, err)
	require.NotNil(t, tel)
	observer = tel.observer
	t.Cleanup(func() { observer = nil })

	logger := slog.New(slog.DiscardHandler)
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	p, err := monerooProvider(func(string) string { return "" }, srv.URL, logger, nil)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	handler = tel.handler(NewShop(srv.URL, []*Provider{p}, logger).Handler())

	resp, err := noRedirect.PostForm(srv.URL+"/checkout", url.Values{"product": {"coffee"}, "provider": {"moneroo"},
		"first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa@example.com"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.NoError(t, tel.shutdown(context.Background()))
}

func TestTelemetryIsOffUnlessAskedFor(t *testing.T) {
	tel, err := newTelemetry(context.Background(), func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	assert.Nil(t, tel)
	assert.Len(t, clientOptions(slog.New(slog.DiscardHandler)), 1, "the logger only")
	assert.Len(t, webhookOptions(slog.New(slog.DiscardHandler)), 1)
}

// stdoutSpan is what the test reads of a span stdouttrace printed.
type stdoutSpan struct {
	Name        string
	SpanContext struct{ TraceID, SpanID string }
	Parent      struct{ SpanID string }
	Attributes  []struct {
		Key   string
		Value struct{ Value any }
	}
}

func TestTelemetryToStdout(t *testing.T) {
	var out bytes.Buffer
	telemetryShop(t, func(k string) string {
		if k == "PAYMENTS_OTEL" {
			return "stdout"
		}
		return ""
	}, &out)

	spans := map[string]stdoutSpan{}
	var metrics int
	dec := json.NewDecoder(&out)
	for {
		var v map[string]json.RawMessage
		if err := dec.Decode(&v); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		if _, ok := v["ScopeMetrics"]; ok {
			metrics++
			assert.Contains(t, string(v["ScopeMetrics"]), `"payments.client.operation.duration"`)
			continue
		}
		var s stdoutSpan
		b, _ := json.Marshal(v)
		require.NoError(t, json.Unmarshal(b, &s))
		spans[s.Name] = s
	}
	require.Contains(t, spans, "POST /checkout", "the shop's own span, named after the route")
	require.Contains(t, spans, "moneroo initialize payment")
	require.Contains(t, spans, "POST /v1/payments/initialize")
	page, create, attempt := spans["POST /checkout"], spans["moneroo initialize payment"], spans["POST /v1/payments/initialize"]
	assert.Equal(t, page.SpanContext.TraceID, create.SpanContext.TraceID, "one trace per page")
	assert.Equal(t, page.SpanContext.SpanID, create.Parent.SpanID)
	assert.Equal(t, create.SpanContext.SpanID, attempt.Parent.SpanID)
	assert.Equal(t, 1, metrics, "the metrics, flushed at shutdown")
}

func TestTelemetryOverOTLP(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") == "application/x-protobuf" && len(body) > 0 {
			got[r.URL.Path]++
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)

	telemetryShop(t, os.Getenv, io.Discard)
	mu.Lock()
	defer mu.Unlock()
	assert.Positive(t, got["/v1/traces"], "spans sent to the collector")
	assert.Positive(t, got["/v1/metrics"], "metrics too")
}
