package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso/helloassotest"
)

func TestRunsTheWholeFlowOnTheSimulator(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }))
	got := out.String()
	for _, want := range []string{
		"HelloAsso simulator at http://127.0.0.1:",
		"redirect the payer to http://127.0.0.1:",
		"notification: Payment for checkout ",
		"notification: Order for checkout ",
		"signature verified: true",
		"the return URL claims succeeded",
		"verified: succeeded, 30.00 EUR, order adhesion-2025-117, paid by card (HelloAsso state Authorized)",
		"refunded 10.00 EUR",
		"the payment is partially_refunded",
		"refunded the remaining 20.00 EUR: the payment is refunded, 30.00 EUR refunded in all",
	} {
		assert.Contains(t, got, want)
	}
}

// lines collects the program's output and hands over the checkout URL it
// prints, as a person reading the terminal would.
type lines struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	urls chan string
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(string(p), "\n") {
		if u, ok := strings.CutPrefix(line, "  "); ok && strings.HasPrefix(u, "http") {
			l.urls <- u
		}
	}
	return l.buf.Write(p)
}

func TestSandboxModePollsUntilPaid(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	env := map[string]string{
		"HELLOASSO_CLIENT_ID":     helloassotest.ClientID,
		"HELLOASSO_CLIENT_SECRET": helloassotest.ClientSecret,
		"HELLOASSO_ORGANIZATION":  helloassotest.OrganizationSlug,
		"HELLOASSO_BASE_URL":      srv.URL,
		"HELLOASSO_AMOUNT":        "1500",
		"HELLOASSO_POLL":          "10ms",
		"HELLOASSO_TIMEOUT":       "1m",
	}
	out := &lines{urls: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), out, func(k string) string { return env[k] }) }()

	var checkout string
	select {
	case checkout = <-out.urls:
	case err := <-done:
		t.Fatalf("run ended before printing the checkout URL: %v", err)
	}
	_, err := srv.Walk(context.Background(), &payments.Session{RedirectURL: checkout}, true)
	require.NoError(t, err)
	require.NoError(t, <-done)

	got := out.buf.String()
	assert.Contains(t, got, "created checkout ")
	assert.Contains(t, got, ": succeeded (HelloAsso state \"Authorized\")")
	assert.Contains(t, got, "verified: 15.00 EUR for order example-")
}

func TestSandboxModeStopsAtTheTimeout(t *testing.T) {
	srv := helloassotest.NewServer()
	defer srv.Close()
	env := map[string]string{
		"HELLOASSO_CLIENT_ID": helloassotest.ClientID, "HELLOASSO_CLIENT_SECRET": helloassotest.ClientSecret,
		"HELLOASSO_ORGANIZATION": helloassotest.OrganizationSlug, "HELLOASSO_BASE_URL": srv.URL,
		"HELLOASSO_POLL": "10ms", "HELLOASSO_TIMEOUT": "50ms",
	}
	out := &lines{urls: make(chan string, 1)}
	err := run(context.Background(), out, func(k string) string { return env[k] })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "still pending")
}

func TestSandboxModeNeedsTheWholeConfiguration(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"no secret": {"HELLOASSO_CLIENT_ID": "id", "HELLOASSO_ORGANIZATION": "club"},
		"no slug":   {"HELLOASSO_CLIENT_ID": "id", "HELLOASSO_CLIENT_SECRET": "secret"},
		"bad poll": {"HELLOASSO_CLIENT_ID": "id", "HELLOASSO_CLIENT_SECRET": "secret", "HELLOASSO_ORGANIZATION": "club",
			"HELLOASSO_POLL": "often"},
		"bad amount": {"HELLOASSO_CLIENT_ID": "id", "HELLOASSO_CLIENT_SECRET": "secret", "HELLOASSO_ORGANIZATION": "club",
			"HELLOASSO_AMOUNT": "10.00"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := run(ctx, &bytes.Buffer{}, func(k string) string { return env[k] })
			require.Error(t, err)
		})
	}
}
