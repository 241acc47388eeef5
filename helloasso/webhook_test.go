package helloasso_test

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/paymentstest"
)

const testKey = "partner-signature-key-4c1d"

func notification(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "helloasso", "notification-"+name+".json"))
	require.NoError(t, err)
	return b
}

func webhookClient(t testing.TB, key string) *helloasso.Client {
	t.Helper()
	c, err := helloasso.New(helloasso.Config{ClientID: "id", ClientSecret: "secret", OrganizationSlug: "club-de-tennis", SignatureKey: key})
	require.NoError(t, err)
	return c
}

func TestParseWebhookReadsEveryEventType(t *testing.T) {
	c := webhookClient(t, testKey)
	for _, tc := range []struct {
		name, typ, paymentID string
		status               payments.Status
	}{
		{"order", "Order", "30674", payments.StatusSucceeded},
		// HelloAsso's own examples: an Order names its checkout intent, a
		// Payment does not.
		{"order-checkout-terms", "Order", "14250", payments.StatusSucceeded},
		{"payment-checkout", "Payment", "", payments.StatusSucceeded},
		{"payment", "Payment", "", payments.StatusSucceeded},
		{"payment-refunded", "Payment", "", payments.StatusRefunded},
		// HelloAsso's notification sample: a payment form, no checkout.
		{"order-paymentform", "Order", "", payments.StatusSucceeded},
		{"payment-paymentform", "Payment", "", payments.StatusSucceeded},
		{"organization", "Organization", "", ""},
		{"form", "Form", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := notification(t, tc.name)
			ev, err := c.ParseWebhook(paymentstest.SignHelloAsso(testKey, body), body)
			require.NoError(t, err)
			assert.Equal(t, payments.HelloAsso, ev.Provider)
			assert.Equal(t, tc.typ, ev.Type)
			assert.Equal(t, tc.paymentID, ev.PaymentID)
			assert.Equal(t, tc.status, ev.Status)
			assert.True(t, ev.Verified)
			assert.Empty(t, ev.ID, "HelloAsso sends no event id")
			assert.Equal(t, string(body), string(ev.Raw))
		})
	}
}

func TestParseWebhookRefusesBadSignatures(t *testing.T) {
	c := webhookClient(t, testKey)
	body := notification(t, "order")
	good := paymentstest.SignHelloAsso(testKey, body).Get(helloasso.SignatureHeader)
	for name, sig := range map[string]string{
		"missing":      "",
		"not hex":      "zz" + good[2:],
		"short":        good[:32],
		"other key":    paymentstest.SignHelloAsso("another-key-1234", body).Get(helloasso.SignatureHeader),
		"one bit off":  flip(good),
		"with garbage": good + "00",
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if sig != "" {
				h.Set("x-ha-signature", sig)
			}
			_, err := c.ParseWebhook(h, body)
			require.ErrorIs(t, err, payments.ErrInvalidSignature)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

// flip changes the last hex digit of sig.
func flip(sig string) string {
	b, _ := hex.DecodeString(sig)
	b[len(b)-1] ^= 1
	return hex.EncodeToString(b)
}

func TestParseWebhookWithoutKeyIsUnverified(t *testing.T) {
	c := webhookClient(t, "")
	body := notification(t, "order")
	ev, err := c.ParseWebhook(http.Header{"X-Ha-Signature": {"whatever"}}, body)
	require.NoError(t, err)
	assert.False(t, ev.Verified, "no key: the event is a hint, never verified")
	assert.Equal(t, "30674", ev.PaymentID)
	assert.False(t, c.Capabilities().SignedWebhooks)
	assert.True(t, webhookClient(t, testKey).Capabilities().SignedWebhooks)
}

func TestParseWebhookRefusesWhatIsNotANotification(t *testing.T) {
	c := webhookClient(t, "")
	for name, body := range map[string]string{
		"not JSON":       "<html>",
		"no eventType":   `{"data":{}}`,
		"order as array": `{"eventType":"Order","data":[1,2]}`,
		"order no data":  `{"eventType":"Order"}`,
		"payment string": `{"eventType":"Payment","data":"x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.ParseWebhook(http.Header{}, []byte(body))
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
		})
	}
}

// TestSimulatorNotificationsReachTheHandler pays on the simulator's page
// with a webhook URL set: HelloAsso sends a Payment and an Order
// notification, both signed. The Order names the checkout intent; the
// Payment only carries the metadata, and each leads to the checkout.
func TestSimulatorNotificationsReachTheHandler(t *testing.T) {
	srv, c := newSim(t)
	var mu sync.Mutex
	var events []*payments.Event
	var resolved []string
	hook := httptest.NewServer(payments.WebhookHandler(c, func(ctx context.Context, ev *payments.Event) error {
		id, err := c.ResolvePaymentID(ctx, ev)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		events, resolved = append(events, ev), append(resolved, id)
		return nil
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)

	req := validRequest()
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	walk(t, srv, s, true)
	_, err = c.Refund(context.Background(), payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, events, 3)
	for i, want := range []struct {
		typ       string
		status    payments.Status
		paymentID string
	}{{"Payment", payments.StatusSucceeded, ""}, {"Order", payments.StatusSucceeded, s.ID}, {"Payment", payments.StatusRefunded, ""}} {
		assert.Equal(t, want.typ, events[i].Type)
		assert.Equal(t, want.status, events[i].Status)
		assert.Equal(t, want.paymentID, events[i].PaymentID)
		assert.True(t, events[i].Verified)
		assert.Equal(t, s.ID, resolved[i], "every notification leads to the checkout")
		d, err := helloasso.ReadEvent(events[i])
		require.NoError(t, err)
		assert.Equal(t, req.Reference, d.Reference, "the Reference Create stored in the metadata")
		assert.Equal(t, req.Reference, events[i].Reference, "the event itself names the order")
		assert.Equal(t, map[string]string{"cart": "c-981"}, d.Metadata)
	}
}

func TestReadEvent(t *testing.T) {
	c := webhookClient(t, "")
	for _, tc := range []struct {
		name string
		want helloasso.EventDetails
	}{
		{"payment", helloasso.EventDetails{EventType: "Payment", Reference: "A42", Metadata: map[string]string{"cart": "c-981"},
			OrderID: 29193, HelloAssoPaymentID: 41234, FormType: "Checkout"}},
		{"order", helloasso.EventDetails{EventType: "Order", CheckoutIntentID: "30674", Reference: "A42",
			Metadata: map[string]string{"cart": "c-981"}, OrderID: 29193, FormType: "Checkout"}},
		// HelloAsso's own example: the partner's metadata is {"id": 75698555}.
		{"payment-checkout", helloasso.EventDetails{EventType: "Payment", Metadata: map[string]string{"id": "75698555"},
			OrderID: 22707, HelloAssoPaymentID: 15222, FormType: "Checkout"}},
		{"payment-paymentform", helloasso.EventDetails{EventType: "Payment", OrderID: 1, HelloAssoPaymentID: 7269832, FormType: "PaymentForm"}},
		{"form", helloasso.EventDetails{EventType: "Form"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := c.ParseWebhook(http.Header{}, notification(t, tc.name))
			require.NoError(t, err)
			d, err := helloasso.ReadEvent(ev)
			require.NoError(t, err)
			assert.Equal(t, tc.want, *d)
		})
	}
	_, err := helloasso.ReadEvent(&payments.Event{Provider: payments.Moneroo, Raw: notification(t, "order")})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = helloasso.ReadEvent(nil)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = helloasso.ReadEvent(&payments.Event{Provider: payments.HelloAsso, Raw: []byte("<html>")})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
}

func TestParseReturn(t *testing.T) {
	c := webhookClient(t, "")
	for _, tc := range []struct {
		query   string // from HelloAsso's guide
		id      string
		claimed payments.Status
	}{
		{"checkoutIntentId=3&code=succeeded&orderId=462873", "3", payments.StatusSucceeded},
		{"type=return&checkoutIntentId=3&code=refused", "3", payments.StatusFailed},
		{"checkoutIntentId=3", "3", payments.StatusPending},
		{"checkoutIntentId=3&error=reason", "3", payments.StatusFailed},
		{"type=error&checkoutIntentId=3&error=reason", "3", payments.StatusFailed},
		{"checkoutIntentId=3&error=", "3", payments.StatusFailed},
		{"checkoutIntentId=3&code=maybe", "3", payments.StatusUnknown},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			r, err := c.ParseReturn(q)
			require.NoError(t, err)
			assert.Equal(t, payments.HelloAsso, r.Provider)
			assert.Equal(t, tc.id, r.PaymentID)
			assert.Equal(t, tc.claimed, r.ClaimedStatus)
			assert.Equal(t, q, r.Query)
		})
	}
	for _, bad := range []string{"", "code=succeeded&orderId=1", "checkoutIntentId=abc", "checkoutIntentId=-3", "checkoutIntentId=0"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			q, _ := url.ParseQuery(bad)
			_, err := c.ParseReturn(q)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, named := perr.Field("checkoutIntentId")
			assert.True(t, named)
		})
	}
}

func FuzzParseWebhook(f *testing.F) {
	for _, n := range []string{"order", "payment", "payment-refunded", "payment-checkout", "order-checkout-terms", "organization", "form"} {
		f.Add(notification(f, n), true, "")
		f.Add(notification(f, n), false, "deadbeef")
	}
	f.Add([]byte(`{"eventType":"Order","data":{"payments":[{"state":"Refunding","amount":-5,"refundOperations":[{"amount":0}]}]}}`), true, "")
	f.Add([]byte(`{"eventType":"Payment","data":{"order":{"checkoutIntentId":-1}}}`), true, "")
	signed, unsigned := webhookClient(f, testKey), webhookClient(f, "")
	f.Fuzz(func(t *testing.T, body []byte, sign bool, header string) {
		h := http.Header{}
		if sign {
			h = paymentstest.SignHelloAsso(testKey, body)
		} else if header != "" {
			h.Set(helloasso.SignatureHeader, header)
		}
		ev, err := signed.ParseWebhook(h, body)
		switch {
		case err == nil:
			assert.True(t, ev.Verified)
			assert.Equal(t, string(body), string(ev.Raw))
			d, rerr := helloasso.ReadEvent(ev)
			require.NoError(t, rerr, "what ParseWebhook took, ReadEvent reads")
			assert.Equal(t, ev.PaymentID, d.CheckoutIntentID)
			assert.Equal(t, ev.Type, d.EventType)
			if ev.PaymentID != "" {
				n, perr := strconv.ParseInt(ev.PaymentID, 10, 64)
				assert.True(t, perr == nil && n > 0, "PaymentID %q", ev.PaymentID)
			}
		case sign:
			assert.False(t, errors.Is(err, payments.ErrInvalidSignature), "a correctly signed body: %v", err)
		default:
			assert.ErrorIs(t, err, payments.ErrInvalidSignature)
		}
		if ev, err := unsigned.ParseWebhook(h, body); err == nil {
			assert.False(t, ev.Verified)
		} else {
			assert.ErrorIs(t, err, payments.ErrInvalidRequest)
		}
	})
}

func FuzzParseReturn(f *testing.F) {
	for _, q := range []string{
		"checkoutIntentId=3&code=succeeded&orderId=462873", "checkoutIntentId=3&error=reason",
		"type=return&checkoutIntentId=3&code=refused", "checkoutIntentId=99999999999999999999", "checkoutIntentId=%00",
		"checkoutIntentId=1&checkoutIntentId=2", "",
	} {
		f.Add(q)
	}
	c := webhookClient(f, "")
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		r, err := c.ParseReturn(q)
		if err != nil {
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			return
		}
		n, perr := strconv.ParseInt(r.PaymentID, 10, 64)
		require.NoError(t, perr)
		assert.Positive(t, n)
		assert.Equal(t, strconv.FormatInt(n, 10), r.PaymentID, "a canonical id")
		assert.Contains(t, []payments.Status{payments.StatusPending, payments.StatusSucceeded, payments.StatusFailed, payments.StatusUnknown}, r.ClaimedStatus)
	})
}

// TestParseWebhookReadsAnyMetadata: metadata is any JSON at HelloAsso; a
// checkout made by other code may carry metadata that is not the adapter's
// object, which is no reason to refuse its notification. What is wrong in
// the data still is, whatever the metadata.
func TestParseWebhookReadsAnyMetadata(t *testing.T) {
	c := webhookClient(t, "")
	for metadata, ref := range map[string]string{
		`"not an object"`:                    "",
		`[1,2]`:                              "",
		`null`:                               "",
		`{"reference":12345678901234567890}`: "12345678901234567890",
		`{"reference":"A\u00e9\"1","cart":{"n":1}}`: `Aé"1`,
	} {
		body := `{"eventType":"Order","data":{"id":7,"checkoutIntentId":5,"payments":[{"state":"Authorized","amount":100}]},"metadata":` + metadata + `}`
		ev, err := c.ParseWebhook(http.Header{}, []byte(body))
		require.NoError(t, err, metadata)
		assert.Equal(t, "5", ev.PaymentID, metadata)
		assert.Equal(t, ref, ev.Reference, metadata)
		assert.Equal(t, payments.StatusSucceeded, ev.Status, metadata)
		d, err := helloasso.ReadEvent(ev)
		require.NoError(t, err, metadata)
		assert.Equal(t, ref, d.Reference, metadata)
	}
	for _, body := range []string{
		`{"eventType":"Order","metadata":[1],"data":{"payments":"x"}}`,
		`{"eventType":"Order","data":{"payments":"x"},"metadata":"y"}`,
		`{"eventType":"Payment","data":{"amount":"x"}}`,
		`{"eventType":"Payment","data":null}`,
	} {
		_, err := c.ParseWebhook(http.Header{}, []byte(body))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, body)
	}
}
