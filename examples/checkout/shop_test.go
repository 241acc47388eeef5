package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

// fakeShop is the shop over the in-memory Fake, for tests of the shop's own
// logic; the browser test runs it over the real simulators.
func fakeShop(t *testing.T) (*httptest.Server, *paymentstest.Fake) {
	t.Helper()
	fake := paymentstest.NewFake()
	var shop *Shop
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.Handler().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	prov := &Provider{Name: paymentstest.FakeProvider, Label: "Fake", Mode: "simulator", Currency: "EUR",
		Checkout: fake, Webhooks: fake, Returns: fake,
		Simulate: &Simulate{Pay: fake.Pay, Decline: fake.Decline}}
	shop = NewShop(srv.URL, []*Provider{prov}, slog.New(slog.DiscardHandler))
	return srv, fake
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func buy(t *testing.T, srv *httptest.Server, product string, extra url.Values) (orderID string, location string) {
	t.Helper()
	form := url.Values{"product": {product}, "provider": {"fake"}, "first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa@example.com"}}
	for k, v := range extra {
		form[k] = v
	}
	resp, err := noRedirect.PostForm(srv.URL+"/checkout", form)
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

func TestCheckoutRedirectsToThePaymentPage(t *testing.T) {
	srv, fake := fakeShop(t)
	_, loc := buy(t, srv, "coffee", nil)
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
	srv, fake := fakeShop(t)
	buy(t, srv, "coffee", nil)

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

func TestDeclinedPaymentIsShownDeclined(t *testing.T) {
	srv, fake := fakeShop(t)
	buy(t, srv, "wax", nil)
	require.NoError(t, fake.Decline("fake_pay_1"))
	_, body := page(t, srv.URL+"/return/fake?order=A1001")
	assert.Contains(t, body, `>declined<`)
	assert.NotContains(t, body, `id="refund"`)
}

func TestWebhookUpdatesTheOrderAfterVerifying(t *testing.T) {
	srv, fake := fakeShop(t)
	buy(t, srv, "basket", nil)
	require.NoError(t, fake.Pay("fake_pay_1"))
	h, body, err := fake.Webhook("fake_pay_1")
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/fake", strings.NewReader(string(body)))
	req.Header = h
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

func TestRefundHalfThenTheRest(t *testing.T) {
	srv, fake := fakeShop(t)
	buy(t, srv, "coffee", nil)
	require.NoError(t, fake.Pay("fake_pay_1"))
	page(t, srv.URL+"/return/fake?order=A1001")

	resp, err := http.PostForm(srv.URL+"/orders/A1001/refund", url.Values{"amount": {"half"}})
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), "partially refunded")
	assert.Contains(t, string(b), "12,00\u00a0€")

	resp, err = http.PostForm(srv.URL+"/orders/A1001/refund", nil)
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), `>refunded<`)
	assert.Contains(t, string(b), "24,00\u00a0€")
}

func TestBadInputShowsTheFields(t *testing.T) {
	srv, _ := fakeShop(t)
	form := url.Values{"product": {"coffee"}, "provider": {"fake"}, "email": {"not an email"}}
	resp, err := http.PostForm(srv.URL+"/checkout", form)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(b), "<code>Customer.Email</code>")
}

func TestSimulatedPhoneApproval(t *testing.T) {
	srv, _ := fakeShop(t)
	buy(t, srv, "coffee", nil)
	resp, err := http.PostForm(srv.URL+"/orders/A1001/simulate", url.Values{"outcome": {"pay"}})
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), `>paid<`)
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
}
