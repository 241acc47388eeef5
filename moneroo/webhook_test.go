package moneroo_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

func webhookClient(t testing.TB) *moneroo.Client {
	t.Helper()
	c, err := moneroo.New(moneroo.Config{SecretKey: testKey, WebhookSecret: testSecret})
	require.NoError(t, err)
	return c
}

func hmacSum(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

func TestParseWebhookReadsTheDocsExample(t *testing.T) {
	c := webhookClient(t)
	body := fixture(t, "webhook_payment_success.json")
	ev, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, body), body)
	require.NoError(t, err)
	assert.Equal(t, &payments.Event{
		Provider: payments.Moneroo, ID: "payment.success:123456:success", Type: "payment.success",
		PaymentID: "123456", Status: payments.StatusSucceeded, Verified: true, Raw: body,
	}, ev)
}

func TestParseWebhookReadsTheDocsMinimalExample(t *testing.T) {
	c := webhookClient(t)
	body := fixture(t, "webhook_payment_success_minimal.json")
	ev, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, body), body)
	require.NoError(t, err)
	assert.Equal(t, "123456", ev.PaymentID)
	assert.Equal(t, payments.StatusSucceeded, ev.Status)
	assert.Equal(t, "payment.success:123456:success", ev.ID)
}

func TestParseWebhookReadsPayoutEventsWithoutAPaymentID(t *testing.T) {
	c := webhookClient(t)
	body := fixture(t, "webhook_payout_success.json")
	ev, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, body), body)
	require.NoError(t, err)
	assert.Equal(t, "payout.success", ev.Type)
	assert.Empty(t, ev.PaymentID, "a payout id is not a payment to Verify")
	assert.Equal(t, payments.StatusSucceeded, ev.Status)
	assert.Equal(t, "payout.success:0b8a5f4e-8f53-4a1f-9a53-2d1b1c1a7e10:success", ev.ID)
}

func TestParseWebhookEventIDsAreStableAndDistinct(t *testing.T) {
	c := webhookClient(t)
	parse := func(body string) *payments.Event {
		ev, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, []byte(body)), []byte(body))
		require.NoError(t, err)
		return ev
	}
	a := parse(`{"event":"payment.initiated","data":{"id":"p1","status":"initiated"}}`)
	b := parse(`{"event":"payment.success","data":{"id":"p1","status":"success"}}`)
	again := parse(`{"event": "payment.success", "data": {"status": "success", "id": "p1", "amount": 100}}`)
	assert.NotEqual(t, a.ID, b.ID, "two notifications of one payment")
	assert.Equal(t, b.ID, again.ID, "a redelivery, even re-serialised, is the same event")

	noStatus := parse(`{"event":"payment.cancelled","data":{"id":"p2"}}`)
	assert.Equal(t, payments.StatusCanceled, noStatus.Status, "the event name says the state when data.status is absent")
	assert.Equal(t, "p2", noStatus.PaymentID)

	numericID := parse(`{"event":"payment.failed","data":{"id":42,"status":"failed"}}`)
	assert.Equal(t, "42", numericID.PaymentID)
	assert.Equal(t, payments.StatusFailed, numericID.Status)

	future := parse(`{"event":"payment.refunded","data":{"id":"p3","status":"refunded"}}`)
	assert.Equal(t, payments.StatusUnknown, future.Status, "an event Moneroo may add later")
	assert.Equal(t, "payment.refunded", future.Type)
}

func TestParseWebhookRefusesBadSignatures(t *testing.T) {
	c := webhookClient(t)
	body := fixture(t, "webhook_payment_success.json")
	good := hex.EncodeToString(hmacSum(testSecret, body))
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, body))

	for _, tc := range []struct {
		name   string
		header http.Header
		body   []byte
	}{
		{"no header", http.Header{"Content-Type": {"application/json"}}, body},
		{"empty header", http.Header{moneroo.SignatureHeader: {""}}, body},
		{"forged: another secret", paymentstest.SignMoneroo("not-the-secret", body), body},
		{"the body re-encoded after signing", paymentstest.SignMoneroo(testSecret, body), compact.Bytes()},
		{"a tampered body", paymentstest.SignMoneroo(testSecret, body), bytes.Replace(body, []byte(`"amount": 100`), []byte(`"amount": 1`), 1)},
		{"the signature re-encoded in base64", http.Header{moneroo.SignatureHeader: {base64.StdEncoding.EncodeToString(hmacSum(testSecret, body))}}, body},
		{"the signature re-encoded in upper case", http.Header{moneroo.SignatureHeader: {strings.ToUpper(good)}}, body},
		{"a truncated signature", http.Header{moneroo.SignatureHeader: {good[:32]}}, body},
		{"the signature of an empty body", paymentstest.SignMoneroo(testSecret, nil), body},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ParseWebhook(tc.header, tc.body)
			require.ErrorIs(t, err, payments.ErrInvalidSignature)
			assert.NotContains(t, err.Error(), testSecret)
		})
	}

	// The reference signature, and the same with a "sha256=" prefix, pass.
	_, err := c.ParseWebhook(http.Header{moneroo.SignatureHeader: {good}}, body)
	require.NoError(t, err)
	_, err = c.ParseWebhook(http.Header{moneroo.SignatureHeader: {"sha256=" + good}}, body)
	require.NoError(t, err)
}

func TestParseWebhookWithoutASecretRefusesEverything(t *testing.T) {
	c, err := moneroo.New(moneroo.Config{SecretKey: testKey})
	require.NoError(t, err)
	body := fixture(t, "webhook_payment_success.json")
	_, err = c.ParseWebhook(paymentstest.SignMoneroo("", body), body)
	require.ErrorIs(t, err, payments.ErrInvalidSignature)
	assert.Contains(t, err.Error(), "WebhookSecret")
}

func TestParseWebhookRefusesSignedBodiesThatAreNoEvent(t *testing.T) {
	c := webhookClient(t)
	for _, body := range []string{``, `not json`, `[]`, `{"event":"payment.success"}`, `{"data":{"id":"p1"}}`,
		`{"event":"payment.success","data":"p1"}`, `{"event":7,"data":{"id":"p1"}}`} {
		_, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, []byte(body)), []byte(body))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "body %q", body)
	}
}

func TestParseReturnReadsBothParameterNames(t *testing.T) {
	c := webhookClient(t)
	for _, tc := range []struct {
		name   string
		query  string
		id     string
		status payments.Status
	}{
		{"English docs", "paymentId=k4su1ii7abdz&paymentStatus=success", "k4su1ii7abdz", payments.StatusSucceeded},
		{"French docs", "monerooPaymentId=k4su1ii7abdz&monerooPaymentStatus=failed", "k4su1ii7abdz", payments.StatusFailed},
		{"both: the moneroo ones win", "paymentId=old&paymentStatus=success&monerooPaymentId=new&monerooPaymentStatus=cancelled", "new", payments.StatusCanceled},
		{"the merchant's own parameters stay", "order=42&paymentId=p1&paymentStatus=pending", "p1", payments.StatusProcessing},
		{"no status", "paymentId=p1", "p1", payments.StatusUnknown},
		{"an empty moneroo id falls back", "monerooPaymentId=&paymentId=p1&paymentStatus=initiated", "p1", payments.StatusPending},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			r, err := c.ParseReturn(q)
			require.NoError(t, err)
			assert.Equal(t, payments.Moneroo, r.Provider)
			assert.Equal(t, tc.id, r.PaymentID)
			assert.Equal(t, tc.status, r.ClaimedStatus)
			assert.Equal(t, q, r.Query)
		})
	}
	for _, query := range []string{"", "order=42", "paymentStatus=success", "paymentId=%20", "paymentId=a%0Ab"} {
		q, _ := url.ParseQuery(query)
		_, err := c.ParseReturn(q)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "query %q", query)
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add(fixture(f, "webhook_payment_success.json"), "", true)
	f.Add(fixture(f, "webhook_payout_success.json"), "", true)
	f.Add([]byte(`{"event":"payment.failed","data":{"id":1e400,"status":null}}`), "", true)
	f.Add([]byte(`{"event":"payment.success","data":{"id":"p1","status":"success"}}`), "deadbeef", false)
	f.Add([]byte(`{`), "sha256=", false)
	c := webhookClient(f)
	f.Fuzz(func(t *testing.T, body []byte, sig string, signIt bool) {
		good := hex.EncodeToString(hmacSum(testSecret, body))
		if signIt {
			sig = good
		}
		ev, err := c.ParseWebhook(http.Header{moneroo.SignatureHeader: {sig}}, body)
		if err != nil {
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Contains(t, []payments.Kind{payments.ErrInvalidSignature, payments.ErrInvalidRequest}, perr.Kind)
			return
		}
		// Accepted: the signature must have been the body's.
		got := strings.TrimPrefix(strings.TrimSpace(sig), "sha256=")
		require.Equal(t, good, got, "accepted a signature that is not the body's")
		assert.True(t, ev.Verified)
		assert.Equal(t, body, []byte(ev.Raw))
		assert.NotEmpty(t, ev.Type)
		assert.NotEmpty(t, ev.ID)
		if strings.HasPrefix(ev.Type, "payment.") {
			assert.NotEmpty(t, ev.PaymentID)
		} else {
			assert.Empty(t, ev.PaymentID)
		}
	})
}

func FuzzParseReturn(f *testing.F) {
	f.Add("paymentId=k4su1ii7abdz&paymentStatus=success")
	f.Add("monerooPaymentId=k4su1ii7abdz&monerooPaymentStatus=failed&paymentId=x")
	f.Add("order=42&paymentId=%00")
	f.Add(";;&&==%zz")
	c := webhookClient(f)
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		r, err := c.ParseReturn(q)
		if err != nil {
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			return
		}
		assert.NotEmpty(t, r.PaymentID)
		want := strings.TrimSpace(q.Get("monerooPaymentId"))
		if want == "" {
			want = strings.TrimSpace(q.Get("paymentId"))
		}
		assert.Equal(t, want, r.PaymentID)
		assert.NotEqual(t, payments.Status(""), r.ClaimedStatus)
	})
}

// Moneroo's webhook guide asks receivers to answer a bad signature with 403.
func TestWebhookHandlerAnswers403ToABadSignature(t *testing.T) {
	c, err := moneroo.New(moneroo.Config{SecretKey: "sk_test|x", WebhookSecret: "whsec"})
	require.NoError(t, err)
	handled := false
	h := payments.WebhookHandler(c, func(context.Context, *payments.Event) error { handled = true; return nil })
	body := []byte(`{"event":"payment.success","data":{"id":"py_1","status":"success"}}`)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", paymentstest.SignMoneroo("another secret", body), body))
	assert.Equal(t, http.StatusForbidden, rec.Code, "a wrong signature")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", http.Header{}, body))
	assert.Equal(t, http.StatusForbidden, rec.Code, "no signature")
	rec = httptest.NewRecorder()
	notJSON := []byte("not json")
	h.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", paymentstest.SignMoneroo("whsec", notJSON), notJSON))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a signed body that is no event")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, paymentstest.WebhookRequest("/wh", paymentstest.SignMoneroo("whsec", body), body))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, handled)
}

func TestAPayoutWebhookMonerooCannotFindSettlesNothing(t *testing.T) {
	m, c := newMock(t, moneroo.Config{WebhookSecret: testSecret, RefundByPayout: true})
	m.on(http.MethodGet, payoutURL("0b8a5f4e-8f53-4a1f-9a53-2d1b1c1a7e10", "/verify"), http.StatusNotFound, fixture(t, "error_404.json"), nil)
	body := fixture(t, "webhook_payout_success.json")
	ev, err := c.ParseWebhook(paymentstest.SignMoneroo(testSecret, body), body)
	require.NoError(t, err, "a redelivery would not help")
	assert.Empty(t, ev.PaymentID)
	assert.Equal(t, payments.StatusSucceeded, ev.Status, "the state the event claims")
	assert.Equal(t, 1, m.GetTotalCallCount())
}
