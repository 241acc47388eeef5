package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest"
)

// fakeShop is the shop over the in-memory Fake, for tests of the shop's own
// logic; the browser test runs it over the real simulators. change, if set,
// adjusts the provider first.
func fakeShop(t *testing.T, change func(*Provider)) (*httptest.Server, *paymentstest.Fake, *Shop) {
	t.Helper()
	fake := paymentstest.NewFake()
	var shop *Shop
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.Handler().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	prov := &Provider{Name: paymentstest.FakeProvider, Label: "Fake", Mode: "simulator", Currency: "EUR",
		Checkout: fake, Webhooks: fake, Returns: fake,
		Simulate: &Simulate{Pay: fake.Pay, Decline: fake.Decline}}
	if change != nil {
		change(prov)
	}
	shop = NewShop(srv.URL, []*Provider{prov}, slog.New(slog.DiscardHandler))
	return srv, fake, shop
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// buyForm is the front page's form for product, paid with the Fake.
func buyForm(product string) url.Values {
	return url.Values{"product": {product}, "provider": {"fake"}, "first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa@example.com"}}
}

func buy(t *testing.T, srv *httptest.Server, product string) (orderID string, location string) {
	t.Helper()
	resp, err := noRedirect.PostForm(srv.URL+"/checkout", buyForm(product))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	return "A1001", resp.Header.Get("Location")
}

func page(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends form to u as the shop's own page would (same origin), without
// following redirects.
func post(t *testing.T, u string, form url.Values, header ...string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func refunds(fake *paymentstest.Fake) []payments.RefundRequest {
	var out []payments.RefundRequest
	for _, c := range fake.Calls() {
		if c.Method == "Refund" {
			out = append(out, *c.Refund)
		}
	}
	return out
}

// paidOrder buys a coffee (24,00 €), pays it, and lets the shop verify it.
func paidOrder(t *testing.T, srv *httptest.Server, fake *paymentstest.Fake) {
	t.Helper()
	buy(t, srv, "coffee")
	require.NoError(t, fake.Pay("fake_pay_1"))
	_, body := page(t, srv.URL+"/return/fake?order=A1001")
	require.Contains(t, body, `>paid<`)
}

func TestCheckoutRedirectsToThePaymentPage(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	_, loc := buy(t, srv, "coffee")
	assert.Equal(t, "https://checkout.fake.invalid/pay/fake_pay_1", loc)
	calls := fake.Calls()
	require.Len(t, calls, 1)
	req := calls[0].Create
	assert.Equal(t, payments.Money{Amount: 2400, Currency: "EUR"}, req.Amount)
	assert.Equal(t, "A1001", req.Reference)
	assert.Equal(t, srv.URL+"/return/fake?order=A1001", req.ReturnURL)
	assert.Equal(t, "awa@example.com", req.Customer.Email)
}

func TestReturnPageShowsOnlyTheVerifiedState(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	buy(t, srv, "coffee")

	// The URL claims success; the provider says pending: the page says pending.
	_, body := page(t, srv.URL+"/return/fake?order=A1001&payment_id=fake_pay_1&status=succeeded")
	assert.Contains(t, body, `id="status" class="status st-awaiting-payment">awaiting payment<`)
	assert.Contains(t, body, "claiming succeeded (not trusted)")

	require.NoError(t, fake.Pay("fake_pay_1"))
	_, body = page(t, srv.URL+"/return/fake?order=A1001")
	assert.Contains(t, body, `>paid<`)
	assert.Contains(t, body, "Thank you!")
	assert.Contains(t, body, `id="refund"`)

	code, _ := page(t, srv.URL+"/return/fake?order=nope")
	assert.Equal(t, http.StatusNotFound, code)
}

func TestDeclinedPaymentIsShownDeclinedWithTheReason(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	buy(t, srv, "wax")
	require.NoError(t, fake.Decline("fake_pay_1"))
	_, body := page(t, srv.URL+"/return/fake?order=A1001")
	assert.Contains(t, body, `>declined<`)
	assert.Contains(t, body, "The payment did not go through")
	assert.Contains(t, body, `<p id="decline-reason">Reason given by Fake: The test declined the payment.</p>`)
	assert.NotContains(t, body, `id="refund"`)
	assert.NotContains(t, body, `id="continue"`, "nothing left to pay")
}

func TestDeclineReason(t *testing.T) {
	failed := func(code, msg string) *payments.Payment {
		return &payments.Payment{Status: payments.StatusFailed, FailureCode: code, FailureMessage: msg}
	}
	assert.Equal(t, "The customer's balance is insufficient.", declineReason(failed("customer_insufficient_funds", "The customer's balance is insufficient")))
	assert.Equal(t, "Payment declined.", declineReason(failed("PAYMENT_DECLINED", "")))
	assert.Equal(t, "Payment declined (simulator)", declineReason(failed("declined", "Payment declined (simulator)")))
	assert.Equal(t, "Échec du paiement.", declineReason(failed("", "échec du paiement")))
	assert.Empty(t, declineReason(failed("", "")))
	assert.Empty(t, declineReason(&payments.Payment{Status: payments.StatusPending, FailureCode: "PAYMENT_NOT_INITIATED",
		FailureMessage: "the customer has not paid (yet)"}), "only a declined or cancelled payment has a reason")
}

func TestWebhookUpdatesTheOrderAfterVerifying(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	buy(t, srv, "basket")
	require.NoError(t, fake.Pay("fake_pay_1"))
	h, body, err := fake.Webhook("fake_pay_1")
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/fake", strings.NewReader(string(body)))
	req.Header = h
	// A provider's server is no browser of the shop's: the cross-origin
	// protection of the shop's forms must leave webhooks alone.
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	_, list := page(t, srv.URL+"/orders")
	assert.Contains(t, list, `id="order-A1001"`)
	assert.Contains(t, list, `st-paid">paid`)

	bad, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/fake", strings.NewReader(string(body)))
	resp, err = http.DefaultClient.Do(bad)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "an unsigned webhook is refused")
}

// A HelloAsso Payment notification names no checkout, only the merchant's
// order: the shop finds the order and verifies the payment stored with it.
func TestWebhookFindsTheOrderByReference(t *testing.T) {
	srv, fake, shop := fakeShop(t, nil)
	buy(t, srv, "coffee")
	require.NoError(t, fake.Pay("fake_pay_1"))
	handle := shop.webhook(shop.byName[paymentstest.FakeProvider])
	verifies := func() int {
		n := 0
		for _, c := range fake.Calls() {
			if c.Method == "Verify" {
				n++
			}
		}
		return n
	}

	// Unknown orders, and an event that names nothing, are acknowledged
	// without asking the provider anything.
	for _, ev := range []payments.Event{{Type: "Payment", Reference: "A9999"}, {Type: "Payment"}} {
		require.NoError(t, handle(context.Background(), &ev))
	}
	assert.Zero(t, verifies())
	o, _ := shop.store.Get("A1001")
	assert.Equal(t, payments.StatusPending, o.Status, "as Create left it")

	require.NoError(t, handle(context.Background(), &payments.Event{Type: "Payment", Reference: "A1001", Status: payments.StatusFailed}))
	assert.Equal(t, 1, verifies())
	o, _ = shop.store.Get("A1001")
	assert.Equal(t, payments.StatusSucceeded, o.Status, "the verified state, not the event's claim")
	assert.Equal(t, "fake_pay_1", fake.Calls()[len(fake.Calls())-1].PaymentID, "the payment stored with the order")
}

func TestWebhookByReferenceIgnoresAnotherProvidersOrder(t *testing.T) {
	srv, fake, shop := fakeShop(t, nil)
	other := &Provider{Name: payments.HelloAsso, Label: "Other", Checkout: fake}
	buy(t, srv, "coffee")
	require.NoError(t, fake.Pay("fake_pay_1"))
	require.NoError(t, shop.webhook(other)(context.Background(), &payments.Event{Type: "Payment", Reference: "A1001"}))
	o, _ := shop.store.Get("A1001")
	assert.Equal(t, payments.StatusPending, o.Status, "an order of the Fake is not HelloAsso's to update")
	for _, c := range fake.Calls() {
		assert.NotEqual(t, "Verify", c.Method)
	}
}

func TestRefundAsksForConfirmationThenRefundsTheAmount(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	paidOrder(t, srv, fake)

	// The order page's Refund is a link to a confirmation page: nothing is
	// refunded by opening it.
	_, body := page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `<a class="button" id="refund" href="/orders/A1001/refund">`)
	code, body := page(t, srv.URL+"/orders/A1001/refund")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `value="24,00"`, "the amount defaults to what is left")
	assert.Contains(t, body, `<input type="hidden" name="refunded" value="0">`)
	assert.Empty(t, refunds(fake))

	code, loc, _ := post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"12,00"}, "refunded": {"0"}})
	require.Equal(t, http.StatusSeeOther, code)
	assert.Equal(t, "/orders/A1001", loc)
	require.Len(t, refunds(fake), 1)
	assert.Equal(t, payments.Money{Amount: 1200, Currency: "EUR"}, refunds(fake)[0].Amount)
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, ">partially refunded<")
	assert.Contains(t, body, `<strong id="refunded">12,00`+"\u00a0€</strong>")

	// The same confirmation sent again (a double click, a stale tab) refunds nothing.
	code, _, body = post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"12,00"}, "refunded": {"0"}})
	assert.Equal(t, http.StatusConflict, code)
	assert.Contains(t, body, "This order changed since the page was opened")
	assert.Len(t, refunds(fake), 1)

	_, body = page(t, srv.URL+"/orders/A1001/refund")
	assert.Contains(t, body, `value="12,00"`)
	code, _, _ = post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"12.00"}, "refunded": {"1200"}})
	require.Equal(t, http.StatusSeeOther, code)
	require.Len(t, refunds(fake), 2)
	assert.Equal(t, payments.Money{Amount: 1200, Currency: "EUR"}, refunds(fake)[1].Amount)
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `>refunded<`)
	assert.Contains(t, body, "24,00\u00a0€")
	assert.NotContains(t, body, `id="refund"`)
	code, _ = page(t, srv.URL+"/orders/A1001/refund")
	assert.Equal(t, http.StatusConflict, code, "nothing left to refund")
}

func TestRefundRefusesABadAmountAndKeepsIt(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	paidOrder(t, srv, fake)
	for typed, want := range map[string]string{
		"24,01":  "At most 24,00\u00a0€ can be refunded.",
		"0":      "Enter an amount above zero.",
		"-5":     "Enter an amount above zero.",
		"12,345": "Enter an amount such as 24,00.",
		"douze":  "Enter an amount such as 24,00.",
		"":       "Enter an amount such as 24,00.",
	} {
		code, _, body := post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {typed}, "refunded": {"0"}})
		assert.Equal(t, http.StatusUnprocessableEntity, code, typed)
		assert.Contains(t, body, want, typed)
		assert.Contains(t, body, `value="`+typed+`"`, "the form keeps what was typed")
	}
	assert.Empty(t, refunds(fake))
}

func TestRefundInFullOnlyWhereThatIsAllTheProviderDoes(t *testing.T) {
	srv, fake, _ := fakeShop(t, func(p *Provider) { p.Checkout = fullRefundsOnly{p.Checkout} })
	paidOrder(t, srv, fake)
	_, body := page(t, srv.URL+"/orders/A1001/refund")
	assert.Contains(t, body, `value="24,00" readonly`)
	code, _, body := post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"10"}, "refunded": {"0"}})
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, body, "Fake refunds the whole amount only")
	assert.Empty(t, refunds(fake))
}

// fullRefundsOnly is a Checkout that refunds only in full, as Moneroo would.
type fullRefundsOnly struct{ payments.Checkout }

func (fullRefundsOnly) Capabilities() payments.Capabilities {
	return payments.Capabilities{Refund: true, PartialRefund: false}
}

func TestRefundOfUnknownOutcomeSaysNotToRefundAgain(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	paidOrder(t, srv, fake)
	fake.FailNext("Refund", &payments.Error{Provider: paymentstest.FakeProvider, Op: "refund", Kind: payments.ErrUnavailable,
		Message: "read tcp 10.0.0.1:443: connection reset by peer"})
	code, _, _ := post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"24,00"}, "refunded": {"0"}})
	require.Equal(t, http.StatusSeeOther, code)
	_, body := page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, "We could not tell whether Fake made the refund. Do not refund again")
	assert.NotContains(t, body, "connection reset", "the developer's error stays in the log")
	assert.NotContains(t, body, "provider unavailable")
}

func TestCrossOriginFormsAreRefused(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	paidOrder(t, srv, fake)
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "https://evil.example"}, // an older browser: no Sec-Fetch-Site
	} {
		for _, path := range []string{"/orders/A1001/refund", "/orders/A1001/simulate", "/orders/A1001/otp", "/orders/A1001/verify", "/checkout"} {
			form := url.Values{"amount": {"24,00"}, "refunded": {"0"}, "outcome": {"pay"}, "code": {"1234"}}
			for k, v := range buyForm("wax") {
				form[k] = v
			}
			code, _, body := post(t, srv.URL+path, form, h...)
			assert.Equal(t, http.StatusForbidden, code, path, h)
			assert.Contains(t, body, "This form was sent from another site", path)
		}
	}
	assert.Empty(t, refunds(fake))
	assert.Equal(t, 1, fake.Payments(), "no checkout opened")

	// The shop's own page, as a browser sends it, goes through.
	code, _, _ := post(t, srv.URL+"/orders/A1001/refund", url.Values{"amount": {"24,00"}, "refunded": {"0"}},
		"Sec-Fetch-Site", "same-origin", "Origin", srv.URL)
	assert.Equal(t, http.StatusSeeOther, code)
	assert.Len(t, refunds(fake), 1)
}

func TestBadInputKeepsTheFormAndSaysWhatToFix(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	form := buyForm("coffee")
	form.Set("first_name", "Mariam")
	form.Set("email", "not an email")
	code, _, body := post(t, srv.URL+"/checkout", form)
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, body, "Please check the details below.")
	assert.Contains(t, body, `<span class="field-error" id="coffee-email-error">Please enter a valid email address.</span>`)
	assert.Contains(t, body, `value="Mariam"`)
	assert.Contains(t, body, `value="not an email"`)
	assert.Contains(t, body, `<details open>`)
	assert.NotContains(t, body, "Customer.Email", "no Go field paths for the customer")
	assert.NotContains(t, body, "invalid request")
	assert.Zero(t, fake.Payments())

	// The refused order is not left waiting for a payment that cannot come.
	_, list := page(t, srv.URL+"/orders")
	assert.Contains(t, list, `st-not-started">not started`)
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.NotContains(t, body, `id="check"`)
	assert.NotContains(t, body, `id="simulate-pay"`)
}

func TestProviderErrorsAreShownInPlainWords(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	fake.FailNext("Create", &payments.Error{Provider: paymentstest.FakeProvider, Op: "create checkout", Kind: payments.ErrUnavailable,
		HTTPStatus: 503, Message: "upstream connect error or disconnect/reset before headers"})
	form := buyForm("basket")
	form.Set("last_name", "Koné")
	code, _, body := post(t, srv.URL+"/checkout", form)
	assert.Equal(t, http.StatusBadGateway, code)
	assert.Contains(t, body, `<p class="problem" id="form-problem" role="alert">Fake is not answering right now. Please try again in a few minutes.</p>`)
	assert.Contains(t, body, `value="Koné"`)
	assert.NotContains(t, body, "upstream connect")
	assert.NotContains(t, body, "HTTP 503")
}

func TestPendingHostedCheckoutCanBeContinued(t *testing.T) {
	srv, fake, _ := fakeShop(t, nil)
	buy(t, srv, "coffee")
	_, body := page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `<a class="button" id="continue" href="/orders/A1001/pay">Continue to payment</a>`)
	resp, err := noRedirect.Get(srv.URL + "/orders/A1001/pay")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "https://checkout.fake.invalid/pay/fake_pay_1", resp.Header.Get("Location"))

	// The provider does not answer: the customer stays on the shop, told why.
	fake.FailNext("RedirectURL", &payments.Error{Provider: paymentstest.FakeProvider, Op: "redirect url", Kind: payments.ErrUnavailable,
		Message: "dial tcp: i/o timeout", NotSent: true})
	resp, err = noRedirect.Get(srv.URL + "/orders/A1001/pay")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "/orders/A1001", resp.Header.Get("Location"))
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `<p class="problem" id="problem" role="alert">Fake is not answering right now. Please try again in a few minutes.</p>`)
	assert.Contains(t, body, `id="continue"`, "the checkout is still open")

	// Paid in the meantime (another tab): the provider says there is
	// nothing left to pay, and the order page shows the payment.
	require.NoError(t, fake.Pay("fake_pay_1"))
	resp, err = noRedirect.Get(srv.URL + "/orders/A1001/pay")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "/orders/A1001", resp.Header.Get("Location"))
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `>paid<`)
	assert.NotContains(t, body, `id="continue"`)
	assert.NotContains(t, body, `id="problem"`, "nothing went wrong: it is paid")
}

// ussdCheckout is the Fake answering like Hub2's MTN: no page, the customer
// confirms on the phone.
type ussdCheckout struct{ *paymentstest.Fake }

func (c ussdCheckout) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	s, err := c.Fake.Create(ctx, req)
	if s != nil {
		s.RedirectURL = ""
		s.NextAction = &payments.NextAction{Type: payments.NextActionUSSD, Message: "Composez *133# pour confirmer"}
		s.Status = payments.StatusActionRequired
	}
	return s, err
}

func TestSimulatedPhoneApprovalOnlyWhereAPhoneIsAsked(t *testing.T) {
	t.Run("USSD", func(t *testing.T) {
		srv, _, _ := fakeShop(t, func(p *Provider) { p.Checkout = ussdCheckout{p.Checkout.(*paymentstest.Fake)} })
		_, loc := buy(t, srv, "coffee")
		assert.Equal(t, "/orders/A1001", loc)
		_, body := page(t, srv.URL+loc)
		assert.Contains(t, body, "Composez *133# pour confirmer")
		assert.Contains(t, body, `id="simulate-pay"`)
		code, _, _ := post(t, srv.URL+"/orders/A1001/simulate", url.Values{"outcome": {"pay"}})
		require.Equal(t, http.StatusSeeOther, code)
		_, body = page(t, srv.URL+loc)
		assert.Contains(t, body, `>paid<`)
		assert.NotContains(t, body, `id="simulate-pay"`)
	})
	t.Run("hosted page", func(t *testing.T) {
		srv, fake, _ := fakeShop(t, nil)
		buy(t, srv, "coffee")
		_, body := page(t, srv.URL+"/orders/A1001")
		assert.NotContains(t, body, `id="simulate-pay"`, "the provider's page takes the answer")
		assert.NotContains(t, body, `id="simulate-decline"`)
		code, _, _ := post(t, srv.URL+"/orders/A1001/simulate", url.Values{"outcome": {"pay"}})
		assert.Equal(t, http.StatusConflict, code)
		_, body = page(t, srv.URL+"/orders/A1001")
		assert.Contains(t, body, `>awaiting payment<`)
		assert.Equal(t, 1, fake.Payments())
	})
}

// HelloAsso's intent shows no order until a payment is authorised: a
// refused card reads as pending through Verify. The shop verifies returns
// with VerifyReturn, and keeps doing so for that order.
func TestHelloAssoRefusalIsReadFromTheReturn(t *testing.T) {
	var shop *Shop
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.Handler().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	logger := slog.New(slog.DiscardHandler)
	prov, err := helloassoProvider(func(string) string { return "" }, srv.URL, logger, nil)
	require.NoError(t, err)
	t.Cleanup(prov.Close)
	shop = NewShop(srv.URL, []*Provider{prov}, logger)

	form := buyForm("coffee")
	form.Set("provider", "helloasso")
	code, checkoutPage, _ := post(t, srv.URL+"/checkout", form)
	require.Equal(t, http.StatusSeeOther, code)
	code, back, _ := post(t, checkoutPage+"/decline", nil)
	require.Equal(t, http.StatusSeeOther, code)
	require.True(t, strings.HasPrefix(back, srv.URL+"/return/helloasso?"), back)

	_, body := page(t, back)
	assert.Contains(t, body, `>declined<`)
	assert.Contains(t, body, `<p id="decline-reason">Reason given by HelloAsso: HelloAsso reports the payment as Refused.</p>`)

	// Checking again (or a notification) keeps reading the refusal.
	code, _, _ = post(t, srv.URL+"/orders/A1001/verify", nil)
	require.Equal(t, http.StatusSeeOther, code)
	_, body = page(t, srv.URL+"/orders/A1001")
	assert.Contains(t, body, `>declined<`)
}

func TestParseAmount(t *testing.T) {
	eur := payments.Money{Amount: 2400, Currency: "EUR"}
	xof := payments.Money{Amount: 15000, Currency: "XOF"}
	for _, c := range []struct {
		typed string
		left  payments.Money
		want  int64
	}{
		{"24,00", eur, 2400}, {"24.00", eur, 2400}, {"12,5", eur, 1250}, {" 0,01 ", eur, 1},
		{"15\u202f000", xof, 15000}, {"15 000", xof, 15000}, {"7500", xof, 7500},
	} {
		m, msg := parseAmount(c.typed, c.left)
		assert.Empty(t, msg, c.typed)
		assert.Equal(t, payments.Money{Amount: c.want, Currency: c.left.Currency}, m, c.typed)
	}
	_, msg := parseAmount("7500,5", xof)
	assert.Equal(t, "Enter a whole amount, such as 15000.", msg)
	_, msg = parseAmount("1,2,3", eur)
	assert.Equal(t, "Enter an amount such as 24,00.", msg)
}

func TestFormatMoney(t *testing.T) {
	cases := map[payments.Money]string{
		{Amount: 2400, Currency: "EUR"}:    "24,00\u00a0€",
		{Amount: 123456, Currency: "EUR"}:  "1\u202f234,56\u00a0€",
		{Amount: 5, Currency: "EUR"}:       "0,05\u00a0€",
		{Amount: 15000, Currency: "XOF"}:   "15\u202f000\u00a0F\u00a0CFA",
		{Amount: 500, Currency: "XAF"}:     "500\u00a0F\u00a0CFA",
		{Amount: 1000000, Currency: "GNF"}: "1\u202f000\u202f000\u00a0GNF",
		{Amount: -150, Currency: "EUR"}:    "-1,50\u00a0€",
	}
	for m, want := range cases {
		assert.Equal(t, want, formatMoney(m))
	}
	assert.Equal(t, "0,05", formatAmount(payments.Money{Amount: 5, Currency: "EUR"}))
	assert.Equal(t, "1234,56", formatAmount(payments.Money{Amount: 123456, Currency: "EUR"}))
	assert.Equal(t, "15000", formatAmount(payments.Money{Amount: 15000, Currency: "XOF"}))
}

// hub2Shop runs the shop with Hub2 alone, on its simulator, and returns the
// shop's URL and the simulator.
func hub2Shop(t *testing.T) (string, *hub2test.Server) {
	t.Helper()
	var sim *hub2test.Server
	saved := newHub2Simulator
	newHub2Simulator = func() *hub2test.Server { sim = hub2test.NewServer(); return sim }
	t.Cleanup(func() { newHub2Simulator = saved })
	var shop *Shop
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.Handler().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	p, err := hub2Provider(func(string) string { return "" }, srv.URL, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	shop = NewShop(srv.URL, []*Provider{p}, slog.New(slog.DiscardHandler))
	return srv.URL, sim
}

func TestHub2RefundGoesBackByTransferToTheNumberTyped(t *testing.T) {
	shop, sim := hub2Shop(t)
	code, loc, body := post(t, shop+"/checkout", url.Values{"product": {"coffee"}, "provider": {"hub2"}, "step": {"direct"},
		"operator": {"mtn:CI"}, "phone": {"00 00 00 01"}, "first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa@example.com"}})
	require.Equal(t, http.StatusSeeOther, code, body)
	require.Equal(t, "/orders/A1001", loc)
	code, _, _ = post(t, shop+"/orders/A1001/simulate", url.Values{"outcome": {"pay"}})
	require.Equal(t, http.StatusSeeOther, code)
	_, body = page(t, shop+"/orders/A1001")
	require.Contains(t, body, `>paid<`)
	assert.Contains(t, body, `id="refund"`, "Hub2 orders have a Refund button: the simulator mode refunds by transfer")

	_, body = page(t, shop+"/orders/A1001/refund")
	assert.Contains(t, body, "sends the money back by transfer")
	assert.Contains(t, body, `value="15000"`)
	code, _, _ = post(t, shop+"/orders/A1001/refund", url.Values{"amount": {"5 000"}, "refunded": {"0"}})
	require.Equal(t, http.StatusSeeOther, code)

	sent := sim.Transfers()
	require.Len(t, sent, 1)
	assert.Equal(t, "+225"+hub2test.TestMSISDN, sent[0].MSISDN, "the number the customer typed, in international form")
	assert.Equal(t, "Awa Diallo", sent[0].RecipientName)
	assert.Equal(t, int64(5000), sent[0].Amount)
	assert.Equal(t, "mtn", sent[0].Provider)

	// The transfer arrives; its webhooks tell the shop.
	start := time.Now()
	require.Eventually(t, func() bool {
		_, body = page(t, shop+"/orders/A1001")
		return strings.Contains(body, `<strong id="refunded">5`+"\u202f"+`000`)
	}, 5*time.Second, 20*time.Millisecond, "the order shows the refund once the transfer succeeded: %s", body)
	t.Logf("refund shown after %v", time.Since(start))
	assert.Contains(t, body, ">partially refunded<")
	assert.NotContains(t, body, `id="refund-pending"`)
	// Every transfer webhook answered before the test ends.
	require.Eventually(t, func() bool {
		n := 0
		for _, d := range sim.Deliveries() {
			if strings.HasPrefix(d.Type, "transfer.") {
				n++
			}
		}
		return n == 3
	}, 5*time.Second, 20*time.Millisecond)
	_, body = page(t, shop+"/orders/A1001/refund")
	assert.Contains(t, body, `value="10000"`, "what is left")
}

func TestPendingRefundIsNotRefundableAgain(t *testing.T) {
	shop, sim := hub2Shop(t)
	sim.AutoSettleTransfers(false) // the transfer stays on its way
	code, _, body := post(t, shop+"/checkout", url.Values{"product": {"coffee"}, "provider": {"hub2"}, "step": {"direct"},
		"operator": {"mtn:CI"}, "phone": {hub2test.TestMSISDN}, "first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa@example.com"}})
	require.Equal(t, http.StatusSeeOther, code, body)
	post(t, shop+"/orders/A1001/simulate", url.Values{"outcome": {"pay"}})
	code, _, _ = post(t, shop+"/orders/A1001/refund", url.Values{"amount": {"10 000"}, "refunded": {"0"}})
	require.Equal(t, http.StatusSeeOther, code)

	_, body = page(t, shop+"/orders/A1001")
	assert.Contains(t, body, ">partially refunded<")
	assert.Contains(t, body, `<span id="refund-pending">Refund on its way to the customer: <strong>10`+"\u202f"+`000`)
	assert.NotContains(t, body, `id="refunded"`, "nothing arrived yet")
	assert.Contains(t, body, `id="check-refund"`)
	_, body = page(t, shop+"/orders/A1001/refund")
	assert.Contains(t, body, `value="5000"`, "what is on its way is not offered again")
	code, _, body = post(t, shop+"/orders/A1001/refund", url.Values{"amount": {"10 000"}, "refunded": {"0"}})
	assert.Equal(t, http.StatusConflict, code, "a form from before the first refund: %s", body)
	assert.Len(t, sim.Transfers(), 1)

	require.NoError(t, sim.SettleTransfer(sim.Transfers()[0].ID))
	code, _, _ = post(t, shop+"/orders/A1001/verify", nil)
	require.Equal(t, http.StatusSeeOther, code)
	_, body = page(t, shop+"/orders/A1001")
	assert.Contains(t, body, `<strong id="refunded">10`+"\u202f"+`000`)
}
