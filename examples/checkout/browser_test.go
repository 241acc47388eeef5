package main

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
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
// on the return page, see "paid" verified, refund where supported through
// the confirmation page (Hub2's by transfer, until the transfer arrives); see a declined payment shown as declined, with the
// provider's reason; come back to an unpaid checkout and continue it; get a
// refused form back as typed, in plain words; have a form posted from
// another site refused; and, at a phone's width, see that no page is wider
// than the screen. On failure it saves a screenshot.
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
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
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
	// Quality 100 makes Chromium send a PNG; below, a JPEG.
	if err := chromedp.Run(sctx, chromedp.Location(&loc), chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	if os.WriteFile(name, png, 0o644) == nil {
		t.Logf("screenshot of %s saved to %s", loc, name)
	}
}

// statusText waits for the order page's verified status and returns it.
func statusText(ctx context.Context) (string, error) {
	var s string
	err := chromedp.Run(ctx, chromedp.WaitVisible(`#status`, chromedp.ByID), chromedp.Text(`#status`, &s, chromedp.ByID))
	return s, err
}

// text returns the text the customer sees in the element sel (innerText:
// not what a closed <details> hides).
func text(ctx context.Context, sel string) (string, error) {
	var s string
	err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s, err
}

// present reports whether the page has an element matching sel.
func present(ctx context.Context, sel string) (bool, error) {
	var ok bool
	err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q) !== null`, sel), &ok))
	return ok, err
}

// value returns the value of the form control sel.
func value(ctx context.Context, sel string) (string, error) {
	var v string
	err := chromedp.Run(ctx, chromedp.Value(sel, &v, chromedp.ByQuery))
	return v, err
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
// picks the operator and types the number.
func startPayment(ctx context.Context, shop, product string, p *Provider, operator, phone string) error {
	if err := checkout(ctx, shop, product, string(p.Name)); err != nil {
		return err
	}
	if p.Direct == nil {
		return nil
	}
	return chromedp.Run(ctx,
		chromedp.WaitVisible(`#phone`, chromedp.ByID),
		chromedp.SetValue(`#operator`, operator, chromedp.ByID),
		chromedp.SendKeys(`#phone`, phone, chromedp.ByID),
		chromedp.Click(`#pay-direct`, chromedp.ByID),
	)
}

// onHostedPage clicks the simulated provider page's Pay or Decline button.
func onHostedPage(ctx context.Context, button string) error {
	return chromedp.Run(ctx, chromedp.WaitVisible(`#`+button, chromedp.ByID), chromedp.Click(`#`+button, chromedp.ByID))
}

// refundThroughConfirmation opens the refund page from the order page,
// checks that it offers what is left, types amount (empty: leave it) and
// confirms, and waits for the order page to show the refund (refunded, or
// on its way: Hub2's transfers arrive after their answer).
func refundThroughConfirmation(t *testing.T, ctx context.Context, wantDefault, amount string) {
	t.Helper()
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-amount`, chromedp.ByID)))
	got, err := value(ctx, `#refund-amount`)
	require.NoError(t, err)
	assert.Equal(t, wantDefault, got, "the amount defaults to what is left to refund")
	if amount != "" {
		require.NoError(t, chromedp.Run(ctx, chromedp.SetValue(`#refund-amount`, amount, chromedp.ByID)))
	}
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#confirm-refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-line`, chromedp.ByID)))
}

// refundedAmount waits until the order page shows want refunded: a refund
// on its way is checked again (its button), as a shop's staff would, until
// the provider says it arrived.
func refundedAmount(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	var got string
	for range 50 {
		if ok, err := present(ctx, `#refunded`); err == nil && ok {
			if got, err = text(ctx, `#refunded`); err == nil && got == want {
				return
			}
		}
		if ok, _ := present(ctx, `#check-refund`); ok {
			require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#check-refund`, chromedp.ByID), chromedp.WaitVisible(`#status`, chromedp.ByID)))
		} else {
			require.NoError(t, chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible(`#status`, chromedp.ByID)))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the order shows %q refunded, want %q", got, want)
}

// newestOrder opens the orders page and returns the newest order's id.
func newestOrder(ctx context.Context, shop string) (string, error) {
	var id string
	err := chromedp.Run(ctx, chromedp.Navigate(shop+"/orders"), chromedp.WaitVisible(`#orders`, chromedp.ByID),
		chromedp.Text(`#orders tr:nth-child(2) td a`, &id, chromedp.ByQuery))
	return id, err
}

func TestBrowserCheckout(t *testing.T) {
	shop, providers := startShop(t)
	browser := newBrowser(t)
	for _, p := range providers {
		t.Run(p.Label+"/pay and refund", func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "coffee", p, "wave:CI", hub2test.TestMSISDN))
			require.NoError(t, onHostedPage(ctx, "pay"))
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "paid", status, "the return page shows the verified state")

			caps := p.Capabilities()
			if !caps.Refund {
				note, err := text(ctx, `#no-refund`)
				require.NoError(t, err)
				assert.Contains(t, note, "no refund API")
				return
			}
			price, _ := catalogue[0].Price(p.Currency)
			if p.Name == payments.Hub2 {
				// Hub2 refunds by transfer, to the number the customer typed.
				require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-note`, chromedp.ByID)))
				note, err := text(ctx, `#refund-note`)
				require.NoError(t, err)
				assert.Contains(t, note, "sends the money back by transfer to the number the customer paid with")
				require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#cancel-refund`, chromedp.ByID), chromedp.WaitVisible(`#refund`, chromedp.ByID)))
			}
			if caps.PartialRefund {
				half := payments.Money{Amount: price.Amount / 2, Currency: price.Currency}
				refundThroughConfirmation(t, ctx, formatAmount(price), formatAmount(half))
				status, err = statusText(ctx)
				require.NoError(t, err)
				assert.Equal(t, "partially refunded", status)
				card, err := text(ctx, `main`)
				require.NoError(t, err)
				assert.NotContains(t, card, "provider status", "no provider state that reads as a contradiction")
				assert.NotContains(t, card, "Authorized")
				refundThroughConfirmation(t, ctx, formatAmount(half), "")
			} else {
				refundThroughConfirmation(t, ctx, formatAmount(price), "")
			}
			status, err = statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "refunded", status, "refunds on their way count")
			refundedAmount(t, ctx, formatMoney(price))
		})
		t.Run(p.Label+"/decline", func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "wax", p, "wave:CI", hub2test.TestMSISDN))
			require.NoError(t, onHostedPage(ctx, "decline"))
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Contains(t, []string{"declined", "cancelled"}, status)
			reason, err := text(ctx, `#decline-reason`)
			require.NoError(t, err)
			assert.Regexp(t, `^Reason given by `+p.Label+`: \S`, reason)
		})
		if p.Direct != nil {
			continue
		}
		t.Run(p.Label+"/come back and continue", func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "basket", p, "", ""))
			require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#pay`, chromedp.ByID)))
			// The customer leaves the provider's page and looks at the order.
			id, err := newestOrder(ctx, shop)
			require.NoError(t, err)
			require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/orders/"+id)))
			status, err := statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "awaiting payment", status)
			for _, sel := range []string{`#simulate-pay`, `#simulate-decline`} {
				shown, err := present(ctx, sel)
				require.NoError(t, err)
				assert.False(t, shown, "%s: the provider's own page takes the answer", sel)
			}
			link, err := text(ctx, `#continue`)
			require.NoError(t, err)
			assert.Equal(t, "Continue to payment", link)
			require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#continue`, chromedp.ByID)))
			require.NoError(t, onHostedPage(ctx, "pay"))
			status, err = statusText(ctx)
			require.NoError(t, err)
			assert.Equal(t, "paid", status)
		})
	}
}

// TestBrowserHub2DirectFlows walks Hub2's flows without a hosted page: an
// OTP typed on the shop's page, and a USSD confirmation on the phone (played
// by the simulator), approved and refused; and a number the shop's form
// gets back with what to fix.
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

	t.Run("hint", func(t *testing.T) {
		ctx := tab(t, browser)
		require.NoError(t, checkout(ctx, shop, "coffee", "hub2"))
		hint, err := text(ctx, `#hint`)
		require.NoError(t, err)
		// As hub2test behaves (and the USSD cases below see): the number
		// waits for the customer's answer, and the other one fails.
		assert.Contains(t, hint, "with "+hub2test.TestMSISDN+" the payment waits for you")
		assert.Contains(t, hint, hub2test.MSISDNInsufficientFunds+" has insufficient funds")
		assert.NotContains(t, hint, hub2test.TestMSISDN+" pays")
	})
	t.Run("OTP, after a number to fix", func(t *testing.T) {
		ctx := tab(t, browser)
		// A number with its country code: the library refuses it before
		// sending anything; the customer gets the form back, as typed.
		require.NoError(t, startPayment(ctx, shop, "basket", hub2, "orange:CI", "+2250700000000"))
		require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#phone-error`, chromedp.ByID)))
		fix, err := text(ctx, `#phone-error`)
		require.NoError(t, err)
		assert.Equal(t, "Please enter the mobile number in local format, without the country code, such as 0700000000.", fix)
		page, err := text(ctx, `main`)
		require.NoError(t, err)
		for _, dev := range []string{"Options.MSISDN", "hub2:", "invalid request", "country prefix"} {
			assert.NotContains(t, page, dev)
		}
		phone, err := value(ctx, `#phone`)
		require.NoError(t, err)
		assert.Equal(t, "+2250700000000", phone, "the form keeps what was typed")
		operator, err := value(ctx, `#operator`)
		require.NoError(t, err)
		assert.Equal(t, "orange:CI", operator)

		require.NoError(t, chromedp.Run(ctx, chromedp.SetValue(`#phone`, hub2test.TestMSISDN, chromedp.ByID), chromedp.Click(`#pay-direct`, chromedp.ByID)))
		var msg string
		require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#otp`, chromedp.ByID), chromedp.Text(`#next-action`, &msg, chromedp.ByID)))
		assert.Contains(t, msg, "4 chiffres", "the operator's instructions are shown")
		shown, err := present(ctx, `#simulate-pay`)
		require.NoError(t, err)
		assert.False(t, shown, "no phone buttons beside the code form")
		require.NoError(t, chromedp.Run(ctx, chromedp.SendKeys(`#otp`, "1234", chromedp.ByID), chromedp.Click(`#send-otp`, chromedp.ByID)))
		require.NoError(t, chromedp.Run(ctx, chromedp.WaitNotPresent(`#otp`, chromedp.ByID)))
		status, err := statusText(ctx)
		require.NoError(t, err)
		assert.Equal(t, "paid", status)
	})
	t.Run("insufficient funds", func(t *testing.T) {
		ctx := tab(t, browser)
		require.NoError(t, startPayment(ctx, shop, "wax", hub2, "mtn:CI", hub2test.MSISDNInsufficientFunds))
		status, err := statusText(ctx)
		require.NoError(t, err)
		assert.Equal(t, "declined", status)
		reason, err := text(ctx, `#decline-reason`)
		require.NoError(t, err)
		assert.Equal(t, "Reason given by Hub2: The customer's balance is insufficient.", reason)
	})
	for _, c := range []struct{ button, want string }{{"simulate-pay", "paid"}, {"simulate-decline", "declined"}} {
		t.Run("USSD/"+c.want, func(t *testing.T) {
			ctx := tab(t, browser)
			require.NoError(t, startPayment(ctx, shop, "coffee", hub2, "mtn:CI", hub2test.TestMSISDN))
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

// TestBrowserFormErrors: a checkout the provider refuses comes back as
// typed, with what to fix in plain words, and the order it left is not
// "awaiting payment".
func TestBrowserFormErrors(t *testing.T) {
	shop, _ := startShop(t)
	browser := newBrowser(t)
	ctx := tab(t, browser)
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(shop+"/"),
		chromedp.Click(`#product-coffee input[value="hero"]`, chromedp.ByQuery),
		chromedp.Click(`#product-coffee summary`, chromedp.ByQuery),
		chromedp.SetValue(`#coffee-first_name`, "Mariam", chromedp.ByID),
		chromedp.Clear(`#coffee-email`, chromedp.ByID),
		chromedp.Click(`#buy-coffee`, chromedp.ByID),
		chromedp.WaitVisible(`#coffee-email-error`, chromedp.ByID),
	))
	fix, err := text(ctx, `#coffee-email-error`)
	require.NoError(t, err)
	assert.Equal(t, "Please enter a valid email address.", fix)
	problem, err := text(ctx, `#form-problem`)
	require.NoError(t, err)
	assert.Equal(t, "Please check the details below.", problem)
	first, err := value(ctx, `#coffee-first_name`)
	require.NoError(t, err)
	assert.Equal(t, "Mariam", first, "the form keeps what was typed")
	chosen, err := value(ctx, `#product-coffee input[name=provider]:checked`)
	require.NoError(t, err)
	assert.Equal(t, "hero", chosen)
	page, err := text(ctx, `main`)
	require.NoError(t, err)
	assert.NotContains(t, page, "Customer.Email")
	assert.NotContains(t, page, "is required by Hero")

	id, err := newestOrder(ctx, shop)
	require.NoError(t, err)
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/orders/"+id)))
	status, err := statusText(ctx)
	require.NoError(t, err)
	assert.Equal(t, "not started", status, "no payment will ever come for it")
	for _, sel := range []string{`#check`, `#continue`, `#simulate-pay`} {
		shown, err := present(ctx, sel)
		require.NoError(t, err)
		assert.False(t, shown, sel)
	}
}

// TestBrowserCrossOriginRefund: a page on another site that posts the
// shop's refund form from the visitor's browser refunds nothing.
func TestBrowserCrossOriginRefund(t *testing.T) {
	shop, _ := startShop(t)
	browser := newBrowser(t)
	ctx := tab(t, browser)
	require.NoError(t, checkout(ctx, shop, "coffee", "hero"))
	require.NoError(t, onHostedPage(ctx, "pay"))
	status, err := statusText(ctx)
	require.NoError(t, err)
	require.Equal(t, "paid", status)
	id, err := newestOrder(ctx, shop)
	require.NoError(t, err)

	// The attacker's page is on another site: "localhost", where the shop
	// is 127.0.0.1.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/orders/%s/refund">
<input name="amount" value="24,00"><input name="refunded" value="0"></form>
<script>document.getElementById("f").submit()</script>`, html.EscapeString(shop), html.EscapeString(id))
	}))
	t.Cleanup(evil.Close)
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(evilURL), chromedp.WaitVisible(`#error`, chromedp.ByID)))
	msg, err := text(ctx, `#error`)
	require.NoError(t, err)
	assert.Equal(t, "This form was sent from another site, so the shop ignored it.", msg)

	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/orders/"+id)))
	status, err = statusText(ctx)
	require.NoError(t, err)
	assert.Equal(t, "paid", status, "nothing was refunded")
	refunded, err := present(ctx, `#refunded`)
	require.NoError(t, err)
	assert.False(t, refunded)
}

// phoneWidth is an iPhone's viewport, in CSS pixels.
const phoneWidth = 390

// fitsPhone checks that the page in ctx is no wider than a phone's screen,
// and that the header holds the shop's name and menu on one line.
func fitsPhone(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	var got struct {
		ScrollWidth int      `json:"scrollWidth"`
		Wide        []string `json:"wide"`
		LogoHeight  float64  `json:"logoHeight"`
		NavTop      float64  `json:"navTop"`
		LogoBottom  float64  `json:"logoBottom"`
	}
	require.NoError(t, chromedp.Run(ctx, chromedp.Evaluate(`(() => {
		const width = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > width + 0.5)
			.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""));
		const logo = document.querySelector("header .logo").getBoundingClientRect();
		const nav = document.querySelector("header nav").getBoundingClientRect();
		return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8),
			logoHeight: logo.height, navTop: nav.top, logoBottom: logo.bottom};
	})()`, &got)), what)
	assert.LessOrEqual(t, got.ScrollWidth, phoneWidth, "%s: the page is wider than the phone", what)
	assert.Empty(t, got.Wide, "%s: elements past the right edge", what)
	assert.Less(t, got.LogoHeight, 40.0, "%s: the shop's name wraps", what)
	assert.Less(t, got.NavTop, got.LogoBottom, "%s: the menu fell below the shop's name", what)
}

// TestBrowserPhoneWidth walks every page of the shop at a phone's width.
func TestBrowserPhoneWidth(t *testing.T) {
	shop, providers := startShop(t)
	browser := newBrowser(t)
	ctx := tab(t, browser)
	require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(phoneWidth, 844)))
	var hub2 *Provider
	for _, p := range providers {
		if p.Name == payments.Hub2 {
			hub2 = p
		}
	}
	require.NotNil(t, hub2)

	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/"), chromedp.WaitVisible(`#buy-coffee`, chromedp.ByID)))
	fitsPhone(t, ctx, "front page")

	// The mobile-money form, refused, then an order waiting for a code.
	require.NoError(t, startPayment(ctx, shop, "coffee", hub2, "orange:CI", "+2250700000000"))
	require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#phone-error`, chromedp.ByID)))
	fitsPhone(t, ctx, "mobile-money form with an error")
	require.NoError(t, chromedp.Run(ctx, chromedp.SetValue(`#phone`, hub2test.TestMSISDN, chromedp.ByID),
		chromedp.Click(`#pay-direct`, chromedp.ByID), chromedp.WaitVisible(`#otp`, chromedp.ByID)))
	fitsPhone(t, ctx, "order waiting for a code")

	// A paid order, its refund page, and its refund.
	require.NoError(t, checkout(ctx, shop, "wax", "helloasso"))
	require.NoError(t, onHostedPage(ctx, "pay"))
	_, err := statusText(ctx)
	require.NoError(t, err)
	fitsPhone(t, ctx, "paid order")
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-amount`, chromedp.ByID)))
	fitsPhone(t, ctx, "refund page")
	require.NoError(t, chromedp.Run(ctx, chromedp.SetValue(`#refund-amount`, "10", chromedp.ByID),
		chromedp.Click(`#confirm-refund`, chromedp.ByID), chromedp.WaitVisible(`#refunded`, chromedp.ByID),
		chromedp.Click(`details.tech summary`, chromedp.ByQuery)))
	fitsPhone(t, ctx, "partially refunded order, details open")

	// A declined one, a waiting one, and every order in the list.
	require.NoError(t, checkout(ctx, shop, "basket", "moneroo"))
	require.NoError(t, onHostedPage(ctx, "decline"))
	_, err = statusText(ctx)
	require.NoError(t, err)
	fitsPhone(t, ctx, "declined order")
	require.NoError(t, startPayment(ctx, shop, "basket", hub2, "mtn:CI", hub2test.TestMSISDN))
	require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#simulate-pay`, chromedp.ByID)))
	fitsPhone(t, ctx, "order waiting for the phone")
	// Approved, then refunded in part by transfer: its refund page says how.
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#simulate-pay`, chromedp.ByID), chromedp.WaitVisible(`#refund`, chromedp.ByID),
		chromedp.Click(`#refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-note`, chromedp.ByID)))
	fitsPhone(t, ctx, "Hub2's refund page")
	require.NoError(t, chromedp.Run(ctx, chromedp.SetValue(`#refund-amount`, "5000", chromedp.ByID),
		chromedp.Click(`#confirm-refund`, chromedp.ByID), chromedp.WaitVisible(`#refund-line`, chromedp.ByID)))
	fitsPhone(t, ctx, "order refunded by transfer")
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/orders"), chromedp.WaitVisible(`#orders`, chromedp.ByID)))
	fitsPhone(t, ctx, "orders")
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(shop+"/orders/nope"), chromedp.WaitVisible(`#error`, chromedp.ByID)))
	fitsPhone(t, ctx, "error page")
}

// TestBrowserMonerooRefundByPayout: on its simulator, Moneroo refunds by a
// payout to the number the customer paid with. The customer pays with
// their own number on Moneroo's page; staff refund part of the order
// through the confirmation page; the payout's webhooks, which name only
// the payout, reach the order, which shows the refund verified.
func TestBrowserMonerooRefundByPayout(t *testing.T) {
	shop, _ := startShop(t)
	browser := newBrowser(t)
	ctx := tab(t, browser)
	require.NoError(t, checkout(ctx, shop, "wax", "moneroo"))
	require.NoError(t, chromedp.Run(ctx, chromedp.WaitVisible(`#phone`, chromedp.ByID),
		chromedp.SetValue(`#phone`, "+229 97 00 00 00", chromedp.ByID)))
	require.NoError(t, onHostedPage(ctx, "pay"))
	status, err := statusText(ctx)
	require.NoError(t, err)
	require.Equal(t, "paid", status)

	price, _ := catalogue[1].Price("XOF")
	part := payments.Money{Amount: 5000, Currency: "XOF"}
	refundThroughConfirmation(t, ctx, formatAmount(price), formatAmount(part))
	status, err = statusText(ctx)
	require.NoError(t, err)
	assert.Equal(t, "partially refunded", status)
	refunded, err := text(ctx, `#refunded`)
	require.NoError(t, err)
	assert.Equal(t, formatMoney(part), refunded)
	pending, err := present(ctx, `#refund-pending`)
	require.NoError(t, err)
	assert.False(t, pending, "the simulator's payout is paid at once")
	history, err := text(ctx, `.history`)
	require.NoError(t, err)
	assert.Contains(t, history, "webhook payout.initiated received", "the payout's webhooks name the order's payment")
	assert.Contains(t, history, "webhook payout.success received")
	assert.Contains(t, history, "refund of "+formatMoney(part)+" accepted by Moneroo")

	// What is left, and only that, can still be refunded.
	left := payments.Money{Amount: price.Amount - part.Amount, Currency: "XOF"}
	refundThroughConfirmation(t, ctx, formatAmount(left), "")
	status, err = statusText(ctx)
	require.NoError(t, err)
	assert.Equal(t, "refunded", status)
	shown, err := present(ctx, `#refund`)
	require.NoError(t, err)
	assert.False(t, shown, "nothing left to refund")
}
