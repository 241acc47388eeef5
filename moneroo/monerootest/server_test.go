package monerootest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest"
)

func order(currency string, minor int64) payments.CreateRequest {
	return payments.CreateRequest{
		Amount: payments.Money{Amount: minor, Currency: currency}, Reference: "order-9",
		ReturnURL: "https://shop.example.com/return?order=9",
		Customer:  &payments.Customer{FirstName: "John", LastName: "Doe", Email: "john@example.com"},
	}
}

// payWith walks the hosted page, paying with phone, and returns where the
// browser is sent.
func payWith(t *testing.T, srv *monerootest.Server, s *payments.Session, phone string) *url.URL {
	t.Helper()
	loc, err := srv.WalkWithPhone(context.Background(), s, phone)
	require.NoError(t, err)
	return loc
}

// hook runs a merchant webhook endpoint that parses with c and records events.
type hook struct {
	mu     sync.Mutex
	events []*payments.Event
}

func (h *hook) got() []*payments.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*payments.Event(nil), h.events...)
}

func listen(t *testing.T, srv *monerootest.Server, c *moneroo.Client) *hook {
	h := &hook{}
	ts := httptest.NewServer(payments.WebhookHandler(c, func(_ context.Context, ev *payments.Event) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.events = append(h.events, ev)
		return nil
	}))
	t.Cleanup(ts.Close)
	srv.SetWebhookURL(ts.URL)
	return h
}

func TestTheSandboxTestNumbersDecideTheOutcome(t *testing.T) {
	for _, tc := range []struct {
		phone   string
		status  string
		want    payments.Status
		webhook string
	}{
		{"(414) 951-8161", "success", payments.StatusSucceeded, "payment.success"},
		{"+1 414 951 8162", "pending", payments.StatusProcessing, ""},
		{"4149518163", "failed", payments.StatusFailed, "payment.failed"},
		{"", "success", payments.StatusSucceeded, "payment.success"},
	} {
		t.Run(tc.phone, func(t *testing.T) {
			srv, c := monerootest.Start(t)
			h := listen(t, srv, c)
			s, err := c.Create(context.Background(), order("USD", 10000))
			require.NoError(t, err)

			loc := payWith(t, srv, s, tc.phone)
			q := loc.Query()
			assert.Equal(t, "shop.example.com", loc.Host)
			assert.Equal(t, "9", q.Get("order"), "the merchant's own parameters stay")
			assert.Equal(t, s.ID, q.Get("paymentId"))
			assert.Equal(t, tc.status, q.Get("paymentStatus"))
			assert.Equal(t, s.ID, q.Get("monerooPaymentId"))
			assert.Equal(t, tc.status, q.Get("monerooPaymentStatus"))

			p, err := c.Verify(context.Background(), s.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Status)
			assert.Equal(t, tc.status, p.ProviderStatus)
			assert.Equal(t, "moneroo_payment_demo", p.Method, "USD payers use Moneroo's test method")
			if tc.status == "failed" {
				assert.NotEmpty(t, p.FailureMessage)
			}

			types := []string{}
			for _, ev := range h.got() {
				assert.True(t, ev.Verified)
				assert.Equal(t, s.ID, ev.PaymentID)
				types = append(types, ev.Type)
			}
			want := []string{"payment.initiated"}
			if tc.webhook != "" {
				want = append(want, tc.webhook)
			}
			assert.Equal(t, want, types, "webhooks arrive before the redirect")
		})
	}
}

func TestAPendingPaymentSettlesLater(t *testing.T) {
	srv, c := monerootest.Start(t)
	req := order("XOF", 5000)
	req.Options = moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}}
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	payWith(t, srv, s, monerootest.PhonePending)
	st, err := srv.Status(s.ID)
	require.NoError(t, err)
	assert.Equal(t, "pending", st)

	require.NoError(t, srv.Pay(s.ID))
	p, err := payments.VerifyPaid(context.Background(), c, s.ID, payments.Money{Amount: 5000, Currency: "XOF"})
	require.NoError(t, err)
	assert.Equal(t, "order-9", p.Reference)
	assert.Equal(t, "mtn_bj", p.Method, "the payer used the first method the checkout allows")
	assert.Error(t, srv.Pay(s.ID), "a final payment cannot change")
	assert.Error(t, srv.Decline(s.ID))
	assert.Error(t, srv.Expire(s.ID))
}

func TestExpireCancelsAndNotifies(t *testing.T) {
	srv, c := monerootest.Start(t)
	h := listen(t, srv, c)
	s, err := c.Create(context.Background(), order("XOF", 5000))
	require.NoError(t, err)
	require.NoError(t, srv.Expire(s.ID))
	p, err := c.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusCanceled, p.Status)
	assert.Equal(t, "cancelled", p.ProviderStatus)
	evs := h.got()
	require.Len(t, evs, 2)
	assert.Equal(t, "payment.cancelled", evs[1].Type)
	assert.Equal(t, payments.StatusCanceled, evs[1].Status)

	// The page now says the checkout is over, and resuming is refused.
	resp, err := http.Get(s.RedirectURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), `id="closed"`)
	assert.NotContains(t, string(page), `id="pay"`)
	_, err = c.RedirectURL(context.Background(), s.ID)
	assert.ErrorIs(t, err, payments.ErrConflict)

	for _, f := range []func(string) error{srv.Pay, srv.Decline, srv.Expire} {
		assert.Error(t, f("nope"), "an unknown payment")
	}
}

func TestWalkActsAsTheBrowserOnTheHostedPage(t *testing.T) {
	srv, c := monerootest.Start(t)
	ctx := context.Background()
	s, err := c.Create(ctx, order("XOF", 5000))
	require.NoError(t, err)
	back, err := srv.Walk(ctx, s, true)
	require.NoError(t, err)
	assert.Equal(t, "shop.example.com", back.Host)
	assert.Equal(t, "9", back.Query().Get("order"), "the merchant's own parameters are kept")
	assert.Equal(t, s.ID, back.Query().Get("monerooPaymentId"))
	assert.Equal(t, "success", back.Query().Get("monerooPaymentStatus"), "the page suggests the success test number")
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)

	s, err = c.Create(ctx, order("XOF", 5000))
	require.NoError(t, err)
	back, err = srv.Walk(ctx, s, false)
	require.NoError(t, err)
	assert.Equal(t, "failed", back.Query().Get("paymentStatus"))

	for name, bad := range map[string]*payments.Session{
		"no session":      nil,
		"no RedirectURL":  {ID: s.ID},
		"another host":    {ID: s.ID, RedirectURL: "https://checkout.moneroo.io/" + s.ID},
		"an unknown page": {ID: "nope", RedirectURL: srv.CheckoutURL("nope")},
	} {
		_, err := srv.Walk(ctx, bad, true)
		assert.Error(t, err, name)
	}
}

func TestAPayerComingBackTwiceChangesNothing(t *testing.T) {
	srv, c := monerootest.Start(t)
	h := listen(t, srv, c)
	s, err := c.Create(context.Background(), order("XOF", 5000))
	require.NoError(t, err)
	first := payWith(t, srv, s, monerootest.PhoneSuccess)
	// The page now shows no form; a browser that kept the old one (the Back
	// button) posts it again.
	_, err = srv.Walk(context.Background(), s, true)
	require.ErrorContains(t, err, "takes no payment")
	second, err := simkit.SubmitForm(context.Background(), s.RedirectURL+"/pay", url.Values{"phone": {monerootest.PhoneFailed}})
	require.NoError(t, err)
	assert.Equal(t, first.String(), second.String())
	st, _ := srv.Status(s.ID)
	assert.Equal(t, "success", st)
	assert.Len(t, h.got(), 2, "initiated and success only")
	assert.Len(t, srv.Deliveries(), 2)
	for _, d := range srv.Deliveries() {
		assert.Equal(t, http.StatusOK, d.Status)
		assert.NoError(t, d.Err)
	}
}

func TestTheHostedPage(t *testing.T) {
	srv, c := monerootest.Start(t)
	s, err := c.Create(context.Background(), order("XOF", 5000))
	require.NoError(t, err)
	assert.Equal(t, srv.CheckoutURL(s.ID), s.RedirectURL)
	resp, err := http.Get(s.RedirectURL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for _, want := range []string{`id="pay"`, `id="decline"`, `name="phone"`, "5000 XOF", "(414) 951-8162"} {
		assert.Contains(t, string(body), want)
	}
	assert.Equal(t, 1, srv.Requests(), "page views are not API requests")

	resp, err = http.Get(srv.CheckoutURL("unknown"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	loc, err := srv.Walk(context.Background(), s, false)
	require.NoError(t, err)
	assert.Equal(t, "failed", loc.Query().Get("paymentStatus"))
}

func TestTheAPIWantsTheSecretKey(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	for _, key := range []string{"", "Bearer wrong", "Bearer " + monerootest.SecretKey + "x", monerootest.SecretKey} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/payments/abc/verify", nil)
		if key != "" {
			req.Header.Set("Authorization", key)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body struct{ Message string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "Authorization %q", key)
		assert.NotEmpty(t, body.Message)
	}

	c, err := moneroo.New(moneroo.Config{SecretKey: "pvk_other|01HOTHER"}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Verify(context.Background(), "abc")
	require.ErrorIs(t, err, payments.ErrAuthentication)

	// The catalogue is public.
	resp, err := http.Get(srv.URL + "/utils/payment/methods")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func post(t *testing.T, srv *monerootest.Server, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/payments/initialize", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+monerootest.SecretKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out), "every answer is JSON")
	return resp.StatusCode, out
}

func TestInitializeAppliesMonerooRules(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	valid := `"currency":"XOF","description":"d","return_url":"https://shop.example.com/r","customer":{"email":"a@example.com","first_name":"A","last_name":"B"}`
	for _, tc := range []struct {
		name, body, field string
	}{
		{"a fractional amount", `{"amount":10.5,` + valid + `}`, "amount"},
		{"a fractional amount in a string", `{"amount":"10.5",` + valid + `}`, "amount"},
		{"a zero amount", `{"amount":0,` + valid + `}`, "amount"},
		{"no customer email", `{"amount":100,"currency":"XOF","description":"d","return_url":"https://x.example/r","customer":{"first_name":"A","last_name":"B"}}`, "customer.email"},
		{"a bad email", `{"amount":100,"currency":"XOF","description":"d","return_url":"https://x.example/r","customer":{"email":"nope","first_name":"A","last_name":"B"}}`, "customer.email"},
		{"no customer", `{"amount":100,"currency":"XOF","description":"d","return_url":"https://x.example/r"}`, "customer"},
		{"an unlisted currency", `{"amount":100,"currency":"GBP","description":"d","return_url":"https://x.example/r","customer":{"email":"a@example.com","first_name":"A","last_name":"B"}}`, "currency"},
		{"no description", `{"amount":100,"currency":"XOF","return_url":"https://x.example/r","customer":{"email":"a@example.com","first_name":"A","last_name":"B"}}`, "description"},
		{"a relative return url", `{"amount":100,"currency":"XOF","description":"d","return_url":"/r","customer":{"email":"a@example.com","first_name":"A","last_name":"B"}}`, "return_url"},
		{"metadata that is not a string", `{"amount":100,` + valid + `,"metadata":{"n":5}}`, "metadata.n"},
		{"an unknown method", `{"amount":100,` + valid + `,"methods":["mtn_bj","paypal"]}`, "methods.1"},
		{"both restrictions", `{"amount":100,` + valid + `,"restrict_country_code":"BJ","restricted_phone":{"number":"1","country_code":"BJ"}}`, "restricted_phone"},
		{"a restricted phone without number", `{"amount":100,` + valid + `,"restricted_phone":{"country_code":"BJ"}}`, "restricted_phone.number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(t, srv, tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, status)
			errs, ok := out["errors"].(map[string]any)
			require.True(t, ok, "errors is a field → messages map: %v", out)
			assert.Contains(t, errs, tc.field)
			assert.NotEmpty(t, out["message"])
		})
	}

	status, out := post(t, srv, `{"amount":100,`+valid+`,"metadata":[],"methods":["mtn_bj"],"customer":{"email":"a@example.com","first_name":"A","last_name":"B","phone":22951345780}}`)
	assert.Equal(t, http.StatusCreated, status, "%v", out)
}

func TestTheSimulatorNeverPanicsOnGarbage(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	for _, body := range []string{"", "null", "[]", "{", `"x"`, `{"amount":1e400}`, `{"amount":-1}`, `{"customer":[]}`,
		`{"metadata":5}`, `{"methods":"mtn_bj"}`, `{"methods":[1]}`, `{"restricted_phone":"x"}`, `{"amount":9223372036854775808}`,
		`{"currency":7,"description":[],"return_url":{},"customer":{"email":1}}`} {
		status, _ := post(t, srv, body)
		assert.GreaterOrEqual(t, status, 400, "body %q", body)
		assert.Less(t, status, 500, "body %q", body)
	}
}

func TestInitializeRefusesTheLaravelSDKsLengths(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	body := func(description, first, address string) string {
		return `{"amount":100,"currency":"XOF","description":"` + description + `","return_url":"https://shop.example.com/r",` +
			`"customer":{"email":"a@example.com","first_name":"` + first + `","last_name":"B","address":"` + address + `"}}`
	}
	status, out := post(t, srv, body(strings.Repeat("é", 155), strings.Repeat("ï", 100), strings.Repeat("a", 200)))
	assert.Equal(t, http.StatusCreated, status, "at the limits: %v", out)

	status, out = post(t, srv, body(strings.Repeat("é", 156), strings.Repeat("ï", 101), strings.Repeat("a", 201)))
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	errs, ok := out["errors"].(map[string]any)
	require.True(t, ok, "%v", out)
	assert.Equal(t, []any{"The description field must not be greater than 155 characters."}, errs["description"])
	assert.Equal(t, []any{"The customer.first name field must not be greater than 100 characters."}, errs["customer.first_name"])
	assert.Equal(t, []any{"The customer.address field must not be greater than 200 characters."}, errs["customer.address"])
}

func TestTheProvidersFieldErrorsReachTheMerchant(t *testing.T) {
	srv, c := monerootest.Start(t)
	// A method short code that is well formed but not in Moneroo's
	// catalogue passes the client's checks; the simulator's 422 comes back
	// with the field named by its Go path, and Moneroo's name beside it.
	_, err := c.InitializePayment(context.Background(), &moneroo.InitializeRequest{
		Amount: "100", Currency: "XOF", Description: "d", ReturnURL: "https://shop.example.com/r",
		Customer: moneroo.CustomerInput{Email: "a@example.com", FirstName: "A", LastName: "B"}, Methods: []string{"mtn_bj", "paypal"},
	})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Equal(t, 1, srv.Requests(), "the client sent it")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, http.StatusUnprocessableEntity, perr.HTTPStatus)
	assert.Equal(t, "The selected methods.1 is invalid.", perr.Message)
	f, ok := perr.Field("Methods[1]")
	require.True(t, ok, "%v", perr.Fields)
	assert.Equal(t, "methods.1", f.ProviderField)
	assert.Equal(t, "The selected methods.1 is invalid.", f.Message)
}

func TestTheRateLimit(t *testing.T) {
	srv, c := monerootest.Start(t, payments.WithRetries(0))
	srv.SetRateLimit(3)
	for range 3 {
		_, err := c.PaymentMethods(context.Background())
		require.NoError(t, err)
	}
	_, err := c.Verify(context.Background(), "abc")
	require.ErrorIs(t, err, payments.ErrRateLimited)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, 60*time.Second, perr.RetryAfter, "Moneroo's documented wait")
	assert.Equal(t, "Too Many Attempts.", perr.Message)
}

func TestFaultsHitTheAPI(t *testing.T) {
	srv, c := monerootest.Start(t)
	s, err := c.Create(context.Background(), order("XOF", 5000))
	require.NoError(t, err)

	// A read is retried through a 503.
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	before := srv.Requests()
	_, err = c.Verify(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, before+2, srv.Requests())

	// A create is not: Moneroo may have made the payment.
	srv.Faults.Add(paymentstest.ServerError(http.StatusInternalServerError))
	before = srv.Requests()
	_, err = c.Create(context.Background(), order("XOF", 5000))
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, before+1, srv.Requests())

	// A truncated answer is a malformed response, not a panic.
	srv.Faults.Add(paymentstest.Truncated())
	_, err = c.Verify(context.Background(), s.ID)
	require.ErrorIs(t, err, payments.ErrMalformedResponse)

	// An HTML page from a proxy keeps its body.
	srv.Faults.Add(paymentstest.HTMLError(http.StatusBadGateway))
	_, err = c.Create(context.Background(), order("XOF", 5000))
	require.ErrorIs(t, err, payments.ErrUnavailable)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Contains(t, string(perr.Raw), "502 Bad Gateway")
}

func TestTheCatalogueMatchesTheAdaptersCurrencies(t *testing.T) {
	_, c := monerootest.Start(t)
	methods, err := c.PaymentMethods(context.Background())
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, m := range methods {
		seen[string(m.Currency)] = true
		assert.True(t, m.Enabled)
	}
	var got []string
	for _, cur := range moneroo.Currencies() {
		if seen[cur] {
			got = append(got, cur)
		}
	}
	assert.Equal(t, moneroo.Currencies(), got, "every currency the adapter takes has a method")
	assert.Len(t, seen, len(moneroo.Currencies()), "and no method is in a currency the adapter refuses")
}

func TestWebhookIsSignedWithTheSimulatorSecret(t *testing.T) {
	srv, c := monerootest.Start(t)
	s, err := c.Create(context.Background(), order("XOF", 5000))
	require.NoError(t, err)
	h, body, err := srv.Webhook(s.ID)
	require.NoError(t, err)
	assert.Equal(t, paymentstest.SignMoneroo(monerootest.WebhookSecret, body), h)
	ev, err := c.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.Equal(t, "payment.initiated", ev.Type)
	assert.Equal(t, payments.StatusPending, ev.Status)
	_, _, err = srv.Webhook("unknown")
	assert.Error(t, err)
}

func TestInitializeRefusesMoreThanTenMetadataEntries(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	valid := `{"amount":100,"currency":"XOF","description":"d","return_url":"https://shop.example.com/r",` +
		`"customer":{"email":"a@example.com","first_name":"A","last_name":"B"},"metadata":`
	meta := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = `"k` + strconv.Itoa(i) + `":"v"`
		}
		return "{" + strings.Join(parts, ",") + "}"
	}

	status, out := post(t, srv, valid+meta(10)+"}")
	assert.Equal(t, http.StatusCreated, status, "10 entries are fine: %v", out)

	status, out = post(t, srv, valid+meta(11)+"}")
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	errs, ok := out["errors"].(map[string]any)
	require.True(t, ok, "errors is a field → messages map: %v", out)
	assert.Equal(t, []any{"The metadata field must not have more than 10 items."}, errs["metadata"])
	assert.Equal(t, "The metadata field must not have more than 10 items.", out["message"])

	// The client refuses the eleventh entry before sending.
	srv2, c := monerootest.Start(t)
	m := map[string]string{}
	for i := range 11 {
		m["k"+strconv.Itoa(i)] = "v"
	}
	_, err := c.InitializePayment(context.Background(), &moneroo.InitializeRequest{
		Amount: "100", Currency: "XOF", Description: "d", ReturnURL: "https://shop.example.com/r",
		Customer: moneroo.CustomerInput{Email: "a@example.com", FirstName: "A", LastName: "B"}, Metadata: m,
	})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, ok = perr.Field("Metadata")
	assert.True(t, ok, "%v", perr.Fields)
	assert.Zero(t, srv2.Requests())
}

func TestDecimalAmountsOnlyWhenSwitchedOn(t *testing.T) {
	srv := monerootest.NewServer()
	defer srv.Close()
	body := func(amount, currency string) string {
		return `{"amount":` + amount + `,"currency":"` + currency + `","description":"d","return_url":"https://shop.example.com/r",` +
			`"customer":{"email":"a@example.com","first_name":"A","last_name":"B"}}`
	}
	status, _ := post(t, srv, body("10.5", "USD"))
	assert.Equal(t, http.StatusUnprocessableEntity, status, "Moneroo's docs type amount as an integer")

	srv.SetDecimalAmounts(true)
	for _, tc := range []struct {
		amount, currency string
		status           int
	}{
		{"10.5", "USD", http.StatusCreated},
		{"10.50", "USD", http.StatusCreated},
		{"100", "USD", http.StatusCreated},
		{"10.505", "USD", http.StatusUnprocessableEntity},
		{"200.5", "XOF", http.StatusUnprocessableEntity},
		{"1e2", "USD", http.StatusUnprocessableEntity},
	} {
		status, out := post(t, srv, body(tc.amount, tc.currency))
		assert.Equal(t, tc.status, status, "%s %s: %v", tc.amount, tc.currency, out)
		if tc.status != http.StatusCreated {
			errs, _ := out["errors"].(map[string]any)
			assert.Contains(t, errs, "amount")
		}
	}

	// End to end: the client sends 10.5, the payer pays it, Verify reads it
	// back exactly.
	c, err := moneroo.New(moneroo.Config{SecretKey: monerootest.SecretKey, DecimalAmounts: true}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	s, err := c.Create(context.Background(), order("USD", 1050))
	require.NoError(t, err)
	payWith(t, srv, s, monerootest.PhoneSuccess)
	p, err := payments.VerifyPaid(context.Background(), c, s.ID, payments.Money{Amount: 1050, Currency: "USD"})
	require.NoError(t, err)
	assert.Equal(t, payments.Money{Amount: 1050, Currency: "USD"}, p.Amount)
}
