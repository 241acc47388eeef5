package helloasso

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/mockhttp"
)

// These tests hold the promises of issue 10 against HelloAsso's own answers,
// replayed with one thing wrong: about another checkout, null or empty,
// echoing a secret.

const intentURL = sandbox + "/v5/organizations/club-de-tennis/checkout-intents/"

// requireKind checks that err is a *payments.Error of kind with Raw kept
// when raw is true, and returns it.
func requireKind(t *testing.T, err error, kind payments.Kind, raw bool) *payments.Error {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	if raw {
		assert.NotEmpty(t, perr.Raw, "Raw keeps the body HelloAsso sent")
	}
	return perr
}

// paths returns the method and path of each request m received.
func (m *mockAPI) paths() []string {
	var out []string
	for _, r := range m.requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// TestAnAnswerAboutAnotherCheckoutIsAnIntegrityError: a paid intent
// (30674) given to a question about 30675 must not make 30675 paid, nor
// resume, nor refund its payment.
func TestAnAnswerAboutAnotherCheckoutIsAnIntegrityError(t *testing.T) {
	ctx := context.Background()
	for name, run := range map[string]func(c *Client) error{
		"Verify": func(c *Client) error { _, err := c.Verify(ctx, "30675"); return err },
		"VerifyPaid": func(c *Client) error {
			_, err := payments.VerifyPaid(ctx, c, "30675", payments.Money{Amount: 3000, Currency: "EUR"})
			return err
		},
		"RedirectURL": func(c *Client) error { _, err := c.RedirectURL(ctx, "30675"); return err },
		"Refund": func(c *Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "30675"})
			return err
		},
		"VerifyReturn": func(c *Client) error {
			ret, err := c.ParseReturn(url.Values{"checkoutIntentId": {"30675"}, "code": {"succeeded"}, "orderId": {"29193"}})
			require.NoError(t, err)
			_, err = c.VerifyReturn(ctx, ret)
			return err
		},
		"GetCheckoutIntent": func(c *Client) error { _, err := c.GetCheckoutIntent(ctx, 30675); return err },
	} {
		t.Run(name, func(t *testing.T) {
			m := newMockAPI(t)
			m.respond(t, http.MethodGet, intentURL+"30675", http.StatusOK, "checkout-intent-paid.json")
			m.respond(t, http.MethodPost, sandbox+"/v5/payments/41234/refund", http.StatusOK, "refund-operation-full.json")
			perr := requireKind(t, run(m.client(t)), payments.ErrIntegrity, true)
			assert.Contains(t, perr.Message, "30674")
			assert.NotContains(t, m.paths(), "POST /v5/payments/41234/refund", "another checkout's payment is never refunded")
		})
	}

	t.Run("an order naming another checkout", func(t *testing.T) {
		// The intent is the one asked for, its order says it came from
		// another: the payment in it is not this checkout's to refund.
		m := newMockAPI(t)
		body := bytes.Replace(fixture(t, "checkout-intent-paid.json"), []byte(`"checkoutIntentId": 30674`), []byte(`"checkoutIntentId": 30999`), 1)
		m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, body)
		m.respond(t, http.MethodPost, sandbox+"/v5/payments/41234/refund", http.StatusOK, "refund-operation-full.json")
		c := m.client(t)
		_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "30674"})
		requireKind(t, err, payments.ErrIntegrity, true)
		_, err = c.Verify(ctx, "30674")
		requireKind(t, err, payments.ErrIntegrity, true)
		assert.NotContains(t, m.paths(), "POST /v5/payments/41234/refund")
	})
}

func TestTypedReadsRefuseAnswersAboutAnotherResource(t *testing.T) {
	ctx := context.Background()
	m := newMockAPI(t)
	m.respond(t, http.MethodGet, sandbox+"/v5/orders/29194", http.StatusOK, "order-refused.json")
	m.respondBody(http.MethodGet, sandbox+"/v5/payments/41235", http.StatusOK, notificationData(t, "notification-payment.json"))
	m.respond(t, http.MethodPost, sandbox+"/v5/payments/41299/refund", http.StatusOK, "refund-operation.json")
	c := m.client(t)

	_, err := c.GetOrder(ctx, 29194)
	requireKind(t, err, payments.ErrIntegrity, true)
	_, err = c.GetPayment(ctx, 41235)
	requireKind(t, err, payments.ErrIntegrity, true)
	// The refund went out and HelloAsso answers about another payment: say
	// so, with the answer, rather than report a refund that may not be it.
	_, err = c.RefundPayment(ctx, 41299, RefundParams{Amount: 1000})
	requireKind(t, err, payments.ErrIntegrity, true)
}

// TestAnswersThatAreNotTheObjectAreMalformed: a 200 null, an empty object,
// an object without the resource… is never taken for a checkout, a refund
// or an order.
func TestAnswersThatAreNotTheObjectAreMalformed(t *testing.T) {
	ctx := context.Background()
	bodies := map[string]string{
		"null": "null", "empty object": "{}", "data null": `{"data":null}`, "array": "[]",
		"an id of 0": `{"id":0,"redirectUrl":"https://x.example/p"}`, "a string": `"30674"`,
	}
	for what, body := range bodies {
		t.Run(what, func(t *testing.T) {
			for name, run := range map[string]func(m *mockAPI, c *Client) error{
				"Verify": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, []byte(body))
					_, err := c.Verify(ctx, "30674")
					return err
				},
				"RedirectURL": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, []byte(body))
					_, err := c.RedirectURL(ctx, "30674")
					return err
				},
				"Refund's read": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, []byte(body))
					_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "30674"})
					return err
				},
				"Refund": func(m *mockAPI, c *Client) error {
					m.respond(t, http.MethodGet, intentURL+"30674", http.StatusOK, "checkout-intent-paid.json")
					m.respondBody(http.MethodPost, sandbox+"/v5/payments/41234/refund", http.StatusOK, []byte(body))
					_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "30674"})
					return err
				},
				"Create": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodPost, sandbox+"/v5/organizations/club-de-tennis/checkout-intents", http.StatusOK, []byte(body))
					_, err := c.Create(ctx, baseRequest())
					return err
				},
				"GetOrder": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodGet, sandbox+"/v5/orders/29193", http.StatusOK, []byte(body))
					_, err := c.GetOrder(ctx, 29193)
					return err
				},
				"GetPayment": func(m *mockAPI, c *Client) error {
					m.respondBody(http.MethodGet, sandbox+"/v5/payments/41234", http.StatusOK, []byte(body))
					_, err := c.GetPayment(ctx, 41234)
					return err
				},
			} {
				t.Run(name, func(t *testing.T) {
					m := newMockAPI(t)
					perr := requireKind(t, run(m, m.client(t)), payments.ErrMalformedResponse, true)
					assert.Equal(t, body, string(perr.Raw))
					if name == "Refund" {
						assert.Equal(t, []string{"POST /oauth2/token", "GET /v5/organizations/club-de-tennis/checkout-intents/30674",
							"POST /v5/payments/41234/refund"}, m.paths(), "sent once")
					}
				})
			}
		})
	}
}

// TestErrorsBuiltFromAnAnswerKeepIt: the conflicts Refund and RedirectURL
// find in HelloAsso's answer carry it.
func TestErrorsBuiltFromAnAnswerKeepIt(t *testing.T) {
	ctx := context.Background()
	m := newMockAPI(t)
	m.respond(t, http.MethodGet, intentURL+"30674", http.StatusOK, "checkout-intent-paid.json")
	_, err := m.client(t).RedirectURL(ctx, "30674")
	perr := requireKind(t, err, payments.ErrConflict, true)
	assert.JSONEq(t, string(fixture(t, "checkout-intent-paid.json")), string(perr.Raw))

	m = newMockAPI(t)
	m.respond(t, http.MethodGet, intentURL+"30674", http.StatusOK, "checkout-intent-sandbox-unpaid.json")
	_, err = m.client(t).Refund(ctx, payments.RefundRequest{PaymentID: "30674"})
	requireKind(t, err, payments.ErrConflict, true)
}

// TestRawIsScrubbed: an answer echoing the client secret keeps its shape in
// Raw, without the secret, on success and on error.
func TestRawIsScrubbed(t *testing.T) {
	ctx := context.Background()
	echo := func(name string) []byte {
		b := fixture(t, name)
		return append(b[:bytes.LastIndexByte(b, '}')], []byte(`,"echo":"`+mockSecret+`","client_secret":"x-y-z-w"}`)...)
	}
	m := newMockAPI(t)
	m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, echo("checkout-intent-paid.json"))
	m.respondBody(http.MethodPost, sandbox+"/v5/payments/41234/refund", http.StatusOK, echo("refund-operation-full.json"))
	m.respondBody(http.MethodGet, sandbox+"/v5/orders/29193", http.StatusOK, echo("order-refused.json"))
	m.respondBody(http.MethodGet, intentURL+"30675", http.StatusBadRequest, []byte(`{"errors":[{"code":"Error","message":"bad secret `+mockSecret+`"}]}`))
	c := m.client(t)

	p, err := c.Verify(ctx, "30674")
	require.NoError(t, err)
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "30674"})
	require.NoError(t, err)
	o, err := c.GetOrder(ctx, 29193)
	require.NoError(t, err)
	ci, err := c.GetCheckoutIntent(ctx, 30674)
	require.NoError(t, err)
	_, err = c.Verify(ctx, "30675")
	perr := requireKind(t, err, payments.ErrInvalidRequest, true)
	for name, raw := range map[string][]byte{"Payment": p.Raw, "Refund": r.Raw, "Order": o.Raw, "CheckoutIntent": ci.Raw, "Error": perr.Raw} {
		assert.NotContains(t, string(raw), mockSecret, name)
		assert.NotContains(t, string(raw), "x-y-z-w", name)
		assert.Contains(t, string(raw), "[REDACTED]", name)
	}
}

// TestTruncatedTokenAnswersLeakNoToken goes through the real token flow: a
// token answer cut short, or not JSON at all, still holds the new tokens;
// neither reaches the Debug log nor the error, whose Raw keeps the rest.
func TestTruncatedTokenAnswersLeakNoToken(t *testing.T) {
	const access, refresh = "eyJhbGciOi.AT-9f8e7d6c5b4a+/=", "RT-0a1b2c3d4e5f&<>|%"
	whole := `{"access_token":"` + access + `","refresh_token":"` + refresh + `","token_type":"bearer","expires_in":1800}`
	for name, body := range map[string]string{
		"truncated":         whole[:len(whole)-20],
		"cut in the secret": whole[:strings.Index(whole, "AT-")+6],
		"not JSON":          `access_token=` + access + `&refresh_token=` + url.QueryEscape(refresh) + `<html>`,
	} {
		t.Run(name, func(t *testing.T) {
			m := mockhttp.NewMockTransport()
			m.RegisterResponder(http.MethodPost, sandbox+"/oauth2/token",
				mockhttp.NewStringResponder(http.StatusOK, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
			var logs bytes.Buffer
			c, err := New(Config{ClientID: mockID, ClientSecret: mockSecret, OrganizationSlug: mockSlug},
				payments.WithHTTPClient(&http.Client{Transport: m}), payments.WithRetries(0),
				payments.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			require.NoError(t, err)
			_, err = c.Verify(context.Background(), "30674")
			perr := requireKind(t, err, payments.ErrMalformedResponse, true)
			assert.False(t, payments.MaybeSent(err), "the API call never left: its token could not be had")
			assert.Contains(t, logs.String(), "/oauth2/token", "the exchange is logged")
			for _, secret := range []string{access, refresh, "AT-9f8e7d6c5b4a", "RT-0a1b2c3d4e5f", mockSecret} {
				for where, text := range map[string]string{"log": logs.String(), "error": err.Error(), "Raw": string(perr.Raw)} {
					assert.NotContains(t, text, secret, where)
				}
			}
		})
	}
}

// TestOneRetryBudgetPerCallTokenRequestsIncluded: a token endpoint that
// keeps failing is asked once plus the call's retries, never the retries of
// the token request times those of the call.
func TestOneRetryBudgetPerCallTokenRequestsIncluded(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []payments.Option
		want int
	}{
		{"WithRetries(1)", []payments.Option{payments.WithRetries(1)}, 2},
		{"the default", nil, payments.DefaultRetries + 1},
		{"WithRetries(0)", []payments.Option{payments.WithRetries(0)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mockhttp.NewMockTransport()
			m.RegisterResponder(http.MethodPost, sandbox+"/oauth2/token",
				mockhttp.NewStringResponder(http.StatusServiceUnavailable, `{"message":"maintenance"}`).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
			opts := append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: m}),
				payments.WithBackoff(1, 1)}, tc.opts...)
			c, err := New(Config{ClientID: mockID, ClientSecret: mockSecret, OrganizationSlug: mockSlug}, opts...)
			require.NoError(t, err)
			_, err = c.Verify(context.Background(), "30674")
			requireKind(t, err, payments.ErrUnavailable, true)
			assert.Equal(t, tc.want, m.GetTotalCallCount(), "token requests")
		})
	}
}

// TestIDsAreCheckedBeforeAnyRequest: ids that would change the path, or are
// not HelloAsso's (numbers), are refused naming the field, with nothing sent.
func TestIDsAreCheckedBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	m := newMockAPI(t)
	c := m.client(t)
	for _, id := range []string{"", "..", "a/b", "30674/refund", "../30674", "0", "-1", "1e3", " 30674", "30674\x00",
		strings.Repeat("9", 200), "99999999999999999999"} {
		_, err := c.Verify(ctx, id)
		f := requireKind(t, err, payments.ErrInvalidRequest, false)
		assert.Equal(t, "PaymentID", f.Fields[0].Field, "%q", id)
		assert.False(t, payments.MaybeSent(err))
		_, err = c.RedirectURL(ctx, id)
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: id})
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.VerifyReturn(ctx, &payments.Return{Provider: payments.HelloAsso, PaymentID: id})
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.ParseReturn(url.Values{"checkoutIntentId": {id}})
		requireKind(t, err, payments.ErrInvalidRequest, false)
	}
	for _, id := range []int64{0, -1} {
		_, err := c.GetCheckoutIntent(ctx, id)
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.GetOrder(ctx, id)
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.GetPayment(ctx, id)
		requireKind(t, err, payments.ErrInvalidRequest, false)
		_, err = c.RefundPayment(ctx, id, RefundParams{})
		requireKind(t, err, payments.ErrInvalidRequest, false)
		require.ErrorIs(t, c.CancelOrder(ctx, id), payments.ErrInvalidRequest)
	}
	assert.Empty(t, m.requests(), "nothing reaches HelloAsso, not even a token request")
}

// TestVerifyKeepsAnUnknownState: a payment state HelloAsso has not
// documented is unknown, never paid, and kept as HelloAsso wrote it.
func TestVerifyKeepsAnUnknownState(t *testing.T) {
	m := newMockAPI(t)
	body := bytes.Replace(fixture(t, "checkout-intent-paid.json"), []byte(`"state": "Authorized"`), []byte(`"state": "UNHEARD_OF"`), 1)
	m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, body)
	p, err := m.client(t).Verify(context.Background(), "30674")
	require.NoError(t, err)
	assert.Equal(t, payments.StatusUnknown, p.Status)
	assert.Equal(t, "UNHEARD_OF", p.ProviderStatus)
	assert.False(t, p.Status.Paid())
}

// TestVerifyReadsAnyMetadata: metadata set by other code than this
// adapter is any JSON; Verify reads it, non-strings as their JSON text.
func TestVerifyReadsAnyMetadata(t *testing.T) {
	for metadata, want := range map[string]struct {
		ref  string
		rest map[string]string
	}{
		`{"reference":"A42","cart":"c-981"}`:      {"A42", map[string]string{"cart": "c-981"}},
		`{"reference":"A42","n":5,"o":{"k":[1]}}`: {"A42", map[string]string{"n": "5", "o": `{"k":[1]}`}},
		`{"reference":7}`:                         {"7", nil},
		`"a string"`:                              {"", nil},
		`[1,2]`:                                   {"", nil},
		`null`:                                    {"", nil},
	} {
		m := newMockAPI(t)
		m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, []byte(`{"id":30674,"redirectUrl":"https://x.example/p","metadata":`+metadata+`}`))
		p, err := m.client(t).Verify(context.Background(), "30674")
		require.NoError(t, err, metadata)
		assert.Equal(t, want.ref, p.Reference, metadata)
		assert.Equal(t, want.rest, p.Metadata, metadata)
	}
}

// TestVerifyReadsTheOrderTimes: CreatedAt is the order's date, else its
// meta's createdAt; UpdatedAt is its meta's updatedAt; a meta that is null
// or absent leaves them zero (orderView keeps Meta as a value).
func TestVerifyReadsTheOrderTimes(t *testing.T) {
	const date = `"2025-06-07T14:11:15+02:00"`
	const meta = `{"createdAt":"2025-06-07T14:10:49+02:00","updatedAt":"2025-06-08T09:00:00+02:00"}`
	created := time.Date(2025, 6, 7, 12, 10, 49, 0, time.UTC)
	dated := time.Date(2025, 6, 7, 12, 11, 15, 0, time.UTC)
	updated := time.Date(2025, 6, 8, 7, 0, 0, 0, time.UTC)
	for order, want := range map[string]struct{ created, updated time.Time }{
		`"date":` + date + `,"meta":` + meta: {dated, updated},
		`"meta":` + meta:                     {created, updated},
		`"date":` + date + `,"meta":null`:    {dated, time.Time{}},
		`"date":` + date:                     {dated, time.Time{}},
		`"meta":null`:                        {time.Time{}, time.Time{}},
	} {
		m := newMockAPI(t)
		m.respondBody(http.MethodGet, intentURL+"30674", http.StatusOK, []byte(`{"id":30674,"metadata":{"reference":"A42"},"order":{"id":29193,`+
			`"checkoutIntentId":30674,"amount":{"total":3000},"payments":[{"id":1,"amount":3000,"state":"Authorized","installmentNumber":1}],`+order+`}}`))
		p, err := m.client(t).Verify(context.Background(), "30674")
		require.NoError(t, err, order)
		assert.True(t, want.created.Equal(p.CreatedAt), "%s: CreatedAt %v", order, p.CreatedAt)
		assert.True(t, want.updated.Equal(p.UpdatedAt), "%s: UpdatedAt %v", order, p.UpdatedAt)
		assert.Equal(t, want.updated.IsZero(), p.UpdatedAt.IsZero(), order)
	}
}
