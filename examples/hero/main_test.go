package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hero/herotest"
)

func TestSimulatedFlow(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 7, out.String())
	assert.Regexp(t, `^created payment payment_\w+ for order-1042: pending$`, lines[1])
	assert.Regexp(t, `^payment page: http://127\.0\.0\.1:\d+/checkout/payment_\w+$`, lines[2])
	assert.Equal(t, "customer came back to https://shop.example.com/hero/return?hero_ref=order-1042 for order order-1042", lines[3])
	assert.Equal(t, "verified: succeeded, 50.00 EUR", lines[4])
	assert.Equal(t, "refunded 20.00 EUR: partially_refunded, 20.00 EUR refunded", lines[5])
	assert.Equal(t, "refunded the rest, 30.00 EUR: refunded", lines[6])
}

// payOnSight pays the payment whose page the program prints, as the person
// running the live demo would.
type payOnSight struct {
	mu  sync.Mutex
	srv *herotest.Server
	buf bytes.Buffer
	err error
}

func (p *payOnSight) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if page, ok := strings.CutPrefix(string(b), "open the payment page: "); ok {
		id := strings.TrimSpace(page[strings.LastIndex(page, "/")+1:])
		p.err = p.srv.Pay(id)
	}
	return p.buf.Write(b)
}

func TestLiveFlowAgainstTheSimulator(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	env := map[string]string{
		"HERO_API_KEY": herotest.APIKey, "HERO_BASE_URL": srv.URL, "HERO_PAYMENT_PAGE_URL": srv.URL,
		"HERO_POLL_INTERVAL": "10ms",
	}
	w := &payOnSight{srv: srv}
	require.NoError(t, run(context.Background(), w, func(k string) string { return env[k] }))
	require.NoError(t, w.err)
	out := w.buf.String()
	assert.Contains(t, out, "open the payment page: "+srv.URL+"/checkout/payment_")
	assert.Contains(t, out, "status: succeeded (isSuccess=true)")
	assert.Contains(t, out, "paid: 50.00 EUR")
}

func TestLiveFlowGivesUp(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	env := map[string]string{
		"HERO_API_KEY": herotest.APIKey, "HERO_BASE_URL": srv.URL, "HERO_PAYMENT_PAGE_URL": srv.URL,
		"HERO_POLL_INTERVAL": "10ms", "HERO_TIMEOUT": "1s",
	}
	var out bytes.Buffer
	err := run(context.Background(), &out, func(k string) string { return env[k] })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not paid after 1s (last status pending)")
	assert.Contains(t, out.String(), "status: pending (isSuccess=false error=PAYMENT_NOT_INITIATED)")
}

func TestLiveFlowChecksItsSettings(t *testing.T) {
	for k, v := range map[string]string{"HERO_ENV": "prod", "HERO_TIMEOUT": "soon", "HERO_POLL_INTERVAL": "-1s"} {
		env := map[string]string{"HERO_API_KEY": "k", k: v}
		err := run(context.Background(), &bytes.Buffer{}, func(k string) string { return env[k] })
		require.Error(t, err, k)
		assert.Contains(t, err.Error(), k)
	}
}
