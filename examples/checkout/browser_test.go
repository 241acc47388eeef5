package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2/hub2test"
)

// The browser test drives headless Chromium through the demo shop, every
// provider on its simulator: choose, pay on the simulated hosted page, land
// on the return page, see "paid" verified, refund where supported; and see a
// declined payment shown as declined. On failure it saves a screenshot.
//
// It needs Chromium: Debian's `apt-get install -y chromium` (.ci/run does it).
// CHROME_PATH names another Chrome or Chromium binary.

// findChrome returns the browser binary, or fails the test saying how to get one.
func findChrome(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the browser test needs Chromium: apt-get install -y chromium (or set CHROME_PATH)")
	return ""
}

// startShop runs the demo shop with every provider on its simulator, on a
// loopback port, and returns its URL and providers.
func startShop(t *testing.T) (string, []*Provider) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	noEnv := func(string) string { return "" }
	providers, err := buildProviders(noEnv, base, logger, nil)
	require.NoError(t, err)
	srv := &http.Server{Handler: NewShop(base, providers, logger).Handler()}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		for _, p := range providers {
			if p.Close != nil {
				p.Close()
			}
		}
	})
	return base, providers
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// newBrowser starts headless Chromium for the test; each subtest opens a tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(findChrome(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// No UserDataDir: chromedp gives each browser a fresh temporary
		// profile and removes it once Chromium and its helpers are gone.
		// This machine's network is closed: keep Chromium from calling home.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	require.NoError(t, chromedp.Run(browser), "start Chromium")
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return browser
}

// tab opens a tab with a deadline; on failure it saves a screenshot.
func tab(t *testing.T, browser context.Context) context.Context {
	ctx, cancel := chromedp.NewContext(browser)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx)
		}
		cancelTimeout()
		cancel()
	})
	return ctx
}

func screenshot(t *testing.T, ctx context.Context) {
	dir, err := os.MkdirTemp("", "checkout-browser-")
	if err != nil {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var png []byte
	var loc string
	if err := chromedp.Run(sctx, chromedp.Location(&loc), chromedp.FullScreenshot(&png, 90)); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	if os.WriteFile(name, png, 0o644) == nil {
		t.Logf("screenshot of %s saved to %s", loc, name)
	}
}

// statusAfter waits for the order page's verified status and returns it.
func statusText(ctx context.Context) (string, error) {
	var s string
	err := chromedp.Run(ctx, chromedp.WaitVisible(`#status`, chromedp.ByID), chromedp.Text(`#status`, &s, chromedp.ByID))
	return s, err
}

// checkout chooses the product and provider on the shop's front page.
func checkout(ctx context.Context, shop, product, provider string) error {
	return chromedp.Run(ctx,
		chromedp.Navigate(shop+"/"),
		chromedp.Click(fmt.Sprintf(`#product-%s input[value=%q]`, product, provider), chromedp.ByQuery),
		chromedp.Click(`#buy-`+product, chromedp.ByID),
	)
}

// startPayment checks out, and for a direct mobile-money provider also
// picks the operator and types the test number.
func startPayment(ctx context.Context, shop, product string, p *Provider, operator string) error {
	if err := checkout(ctx, shop, product, string(p.Name)); err != nil {
		return err
	}
	if p.Direct == nil {
		return nil
	}
	return chromedp.Run(ctx,
		chromedp.WaitVisible(`#phone`, chromedp.ByID),
		chromedp.SetValue(`#operator`, operator, chromedp.ByID),
		chromedp.SendKeys(`#phone`, hub2test.TestMSISDN, chromedp.ByID),
		chromedp.Click(`#pay-direct`, chromedp.ByID),
	)
}

// onHostedPage clicks the simulated provider page's Pay or Decline button.
func onHostedPage(ctx context.Context, button string) error {
	return chromedp.Run(ctx, chromedp.WaitVisible(`#`+button, chromedp.ByID), chromedp.Click(`#`+button, chromedp.ByID))
}

func TestBrowserCheckout(t *testing.T) {
	shop, providers := startShop(t)
	browser := newBrowser(t)
	for _, p := range providers {
		t.Run(p.Label+"/pay and refund", func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "coffee", p, "wave:CI"))
			require.NoError(t, onHostedPage(ctx, "pay"))
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "paid", status, "the return page shows the verified state")

			if !p.Capabilities().Refund {
				var note string
				require.NoError(t, chromedp.Run(ctx, chromedp.Text(`#no-refund`, &note, chromedp.ByID)))
				assert.Contains(t, note, "no refund API")
				return
			}
			require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#refund`, chromedp.ByID), chromedp.WaitVisible(`#refunded`, chromedp.ByID)))
			status, err = statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "refunded", status)
		})
		t.Run(p.Label+"/decline", func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "wax", p, "wave:CI"))
			require.NoError(t, onHostedPage(ctx, "decline"))
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Contains(t, []string{"declined", "cancelled"}, status)
		})
	}
}

// TestBrowserHub2DirectFlows walks Hub2's flows without a hosted page: an
// OTP typed on the shop's page, and a USSD confirmation on the phone (played
// by the simulator), approved and refused.
func TestBrowserHub2DirectFlows(t *testing.T) {
	shop, providers := startShop(t)
	var hub2 *Provider
	for _, p := range providers {
		if p.Name == payments.Hub2 {
			hub2 = p
		}
	}
	require.NotNil(t, hub2)
	browser := newBrowser(t)

	t.Run("OTP", func(t *testing.T) {
		ctx := tab(t, browser)
		require.NoError(t, startPayment(ctx, shop, "basket", hub2, "orange:CI"))
		var msg string
		require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#otp`, chromedp.ByID), chromedp.Text(`#next-action`, &msg, chromedp.ByID)))
		assert.Contains(t, msg, "4 chiffres", "the operator's instructions are shown")
		require.NoError(t, chromedp.Run(ctx, chromedp.SendKeys(`#otp`, "1234", chromedp.ByID), chromedp.Click(`#send-otp`, chromedp.ByID)))
		require.NoError(t, chromedp.Run(ctx, chromedp.WaitNotPresent(`#otp`, chromedp.ByID)))
		status, err := statusText(ctx)
		require.NoError(t, err)
		assert.Equal(t, "paid", status)
	})
	for _, c := range []struct{ button, want string }{{"simulate-pay", "paid"}, {"simulate-decline", "declined"}} {
		t.Run("USSD/"+c.want, func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "coffee", hub2, "mtn:CI"))
			var ussd string
			require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#ussd`, chromedp.ByID), chromedp.Text(`#ussd`, &ussd, chromedp.ByID)))
			assert.Contains(t, ussd, "USSD")
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "action required", status, "waiting for the customer's phone")
			require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#`+c.button, chromedp.ByID), chromedp.WaitNotPresent(`#ussd`, chromedp.ByID)))
			status, err = statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, c.want, status)
		})
	}
}
