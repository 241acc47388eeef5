package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
)

// startRedis starts Debian's redis-server on a free loopback port for the
// test (make servers installs it), and returns its URL.
func startRedis(t *testing.T) string {
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server is not installed: run make servers")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	require.NoError(t, l.Close())
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	u := "redis://127.0.0.1:" + port + "/0"
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "redis-server did not start")
	return u
}

func TestWithoutRedisURLTheShopKeepsItsStateInMemory(t *testing.T) {
	sh, err := openShared(func(string) string { return "" })
	require.NoError(t, err)
	assert.Nil(t, sh)
	assert.Nil(t, sh.options())
	assert.Nil(t, sh.tokenStore())
	assert.Nil(t, sh.handlerOptions())
	sh.Close()

	_, err = openShared(func(string) string { return "redis://127.0.0.1:1/0" })
	assert.ErrorContains(t, err, "REDIS_URL", "an unreachable Redis stops the shop at start-up, with the variable named")
}

// Two replicas of the shop with the same REDIS_URL handle a webhook once,
// whichever of them the provider delivers it to.
func TestReplicasOfTheShopShareRedis(t *testing.T) {
	env := map[string]string{"REDIS_URL": startRedis(t)}
	sim, client := monerootest.Start(t)
	s, err := client.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "order-1", ReturnURL: "http://localhost/return",
		Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	})
	require.NoError(t, err)
	require.NoError(t, sim.Pay(s.ID))
	header, body, err := sim.Webhook(s.ID)
	require.NoError(t, err)

	var handled atomic.Int32
	var replicas []http.Handler
	for range 2 {
		sh, err := openShared(func(k string) string { return env[k] })
		require.NoError(t, err)
		t.Cleanup(sh.Close)
		require.NotNil(t, sh.tokenStore())
		require.Len(t, sh.options(), 1, "the rate limiter")
		replicas = append(replicas, payments.WebhookHandler(client, func(context.Context, *payments.Event) error {
			handled.Add(1)
			return nil
		}, sh.handlerOptions()...))
	}
	for _, h := range append(replicas, replicas...) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, paymentstest.WebhookRequest("/webhooks/moneroo", header, body))
		assert.Equal(t, http.StatusOK, rec.Code)
	}
	assert.Equal(t, int32(1), handled.Load(), "one handling across the replicas")
}
