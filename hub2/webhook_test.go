package hub2

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
)

const (
	oldSecret = "whsec_old_5b1d"
	newSecret = "whsec_new_93fa"
)

var succeeded = []byte(`{"type":"payment_intent.succeeded","data":{"id":"pi_tffiDaXyWQu203rIXhujW","purchaseReference":"Test_01","amount":200,"currency":"XOF","status":"successful","payments":[]}}`)

func hookClient(t *testing.T, secrets ...string) *Client {
	t.Helper()
	c, err := New(Config{APIKey: "k", MerchantID: "3", WebhookSecrets: secrets})
	require.NoError(t, err)
	return c
}

func sig(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestWebhookSignatureAndRotation(t *testing.T) {
	cases := []struct {
		name    string
		secrets []string // the client's configuration
		header  string
		ok      bool
	}{
		{"current secret in s1", []string{newSecret}, "s1=" + sig(newSecret, succeeded), true},
		{"rotation: the client knows only the old secret, Hub2 signs s0 with it", []string{oldSecret}, "s1=" + sig(newSecret, succeeded) + ",s0=" + sig(oldSecret, succeeded), true},
		{"rotation: the client has both, Hub2 already dropped s0", []string{newSecret, oldSecret}, "s1=" + sig(newSecret, succeeded), true},
		{"rotation: the client has both, Hub2 still signs with the old one", []string{newSecret, oldSecret}, "s1=" + sig(oldSecret, succeeded), true},
		{"spaces and upper-case hex", []string{newSecret}, " s1 = " + strings.ToUpper(sig(newSecret, succeeded)) + " ", true},
		{"upper-case hex", []string{newSecret}, "s1=" + strings.ToUpper(sig(newSecret, succeeded)), true},
		{"order does not matter", []string{oldSecret}, "s0=" + sig(oldSecret, succeeded) + ",s1=" + sig(newSecret, succeeded), true},
		{"wrong secret", []string{newSecret}, "s1=" + sig("whsec_someone_else", succeeded), false},
		{"the old secret once the client dropped it", []string{newSecret}, "s1=" + sig("whsec_x", succeeded) + ",s0=" + sig(oldSecret, succeeded), false},
		{"no header", []string{newSecret}, "", false},
		{"bare signature without s1=", []string{newSecret}, sig(newSecret, succeeded), false},
		{"another scheme's name", []string{newSecret}, "v1=" + sig(newSecret, succeeded), false},
		{"sha256= prefix", []string{newSecret}, "sha256=" + sig(newSecret, succeeded), false},
		{"truncated signature", []string{newSecret}, "s1=" + sig(newSecret, succeeded)[:40], false},
		{"base64 signature", []string{newSecret}, "s1=q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := hookClient(t, tc.secrets...)
			h := http.Header{}
			if tc.header != "" {
				h.Set("Hub2-Signature", tc.header)
			}
			ev, err := c.ParseWebhook(h, succeeded)
			if !tc.ok {
				require.ErrorIs(t, err, payments.ErrInvalidSignature)
				assert.Nil(t, ev)
				for _, s := range tc.secrets {
					assert.NotContains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.True(t, ev.Verified)
		})
	}
}

func TestWebhookSignedByTheTestKitSigner(t *testing.T) {
	c := hookClient(t, oldSecret)
	ev, err := c.ParseWebhook(paymentstest.SignHub2(newSecret, oldSecret, succeeded), succeeded)
	require.NoError(t, err)
	assert.Equal(t, "pi_tffiDaXyWQu203rIXhujW", ev.PaymentID)
	_, err = c.ParseWebhook(paymentstest.SignHub2(newSecret, "", succeeded), succeeded)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "after the 24 h, s0 is gone")
}

func TestWebhookEvents(t *testing.T) {
	c := hookClient(t, newSecret)
	cases := []struct {
		body                     string
		id, paymentID, eventType string
		status                   payments.Status
	}{
		{succeeded2, "payment_intent.succeeded:pi_1:successful", "pi_1", "payment_intent.succeeded", payments.StatusSucceeded},
		{`{"type":"payment_intent.payment_failed","data":{"id":"pi_1","status":"failed"}}`, "payment_intent.payment_failed:pi_1:failed", "pi_1", "payment_intent.payment_failed", payments.StatusFailed},
		{`{"type":"payment.action_required","data":{"id":"pay_9","intentId":"pi_1","status":"action_required","nextAction":{"type":"ussd","message":"*144#"}}}`,
			"payment.action_required:pay_9:action_required", "pi_1", "payment.action_required", payments.StatusActionRequired},
		{`{"type":"payment.pending","data":{"id":"pay_9","intentId":"pi_1","status":"pending"}}`, "payment.pending:pay_9:pending", "pi_1", "payment.pending", payments.StatusProcessing},
		{`{"type":"transfer.succeeded","data":{"id":"tr_5","status":"successful"}}`, "transfer.succeeded:tr_5:successful", "", "transfer.succeeded", payments.StatusSucceeded},
		{`{"type":"payment_intent.created","data":{"id":"pi_2","status":"payment_required"}}`, "payment_intent.created:pi_2:payment_required", "pi_2", "payment_intent.created", payments.StatusPending},
		{`{"type":"payment.created","data":{"id":"pay_3","intentId":"pi_2","status":"reversed"}}`, "payment.created:pay_3:reversed", "pi_2", "payment.created", payments.StatusUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.eventType, func(t *testing.T) {
			body := []byte(tc.body)
			ev, err := c.ParseWebhook(paymentstest.SignHub2(newSecret, "", body), body)
			require.NoError(t, err)
			assert.Equal(t, payments.Hub2, ev.Provider)
			assert.Equal(t, tc.id, ev.ID)
			assert.Equal(t, tc.paymentID, ev.PaymentID)
			assert.Equal(t, tc.eventType, ev.Type)
			assert.Equal(t, tc.status, ev.Status)
			assert.Equal(t, tc.body, string(ev.Raw))
		})
	}
}

const succeeded2 = `{"type":"payment_intent.succeeded","data":{"id":"pi_1","status":"successful"}}`

func TestWebhookBodiesThatAreNotHub2Events(t *testing.T) {
	c := hookClient(t, newSecret)
	for _, body := range []string{
		``, `null`, `[]`, `{"type":"payment_intent.succeeded"}`, `{"data":{"id":"pi_1"}}`,
		`{"type":"charge.succeeded","data":{"id":"ch_1"}}`, `{"type":"payment","data":{"id":"pi_1"}}`,
		`{"type":"payment_intent.succeeded","data":"pi_1"}`, `{"type":"payment_intent.succeeded","data":{"id":"pi_1"}`,
	} {
		t.Run(body, func(t *testing.T) {
			b := []byte(body)
			_, err := c.ParseWebhook(paymentstest.SignHub2(newSecret, "", b), b)
			assert.ErrorIs(t, err, payments.ErrInvalidRequest)
		})
	}
}

func TestWebhookWithoutConfiguredSecret(t *testing.T) {
	c := hookClient(t)
	_, err := c.ParseWebhook(paymentstest.SignHub2(newSecret, "", succeeded), succeeded)
	require.ErrorIs(t, err, payments.ErrInvalidSignature)
	assert.Contains(t, err.Error(), "WebhookSecrets")
	_, err = New(Config{APIKey: "k", MerchantID: "3", WebhookSecrets: []string{newSecret, ""}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "an empty secret would be a mistake")
}

func TestParseReturn(t *testing.T) {
	c := hookClient(t)
	r, err := c.ParseReturn(url.Values{"hub2_intent": {"pi_1"}, "hub2_outcome": {"cancel"}, "order": {"7"}})
	require.NoError(t, err)
	assert.Equal(t, "pi_1", r.PaymentID)
	assert.Equal(t, payments.StatusCanceled, r.ClaimedStatus)
	assert.Equal(t, "7", r.Query.Get("order"))
	r, err = c.ParseReturn(url.Values{"hub2_intent": {"pi_1"}, "hub2_outcome": {"paid!"}})
	require.NoError(t, err)
	assert.Equal(t, payments.StatusUnknown, r.ClaimedStatus, "an invented outcome claims nothing")
	_, err = c.ParseReturn(url.Values{"order": {"7"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest)
}

func FuzzParseWebhook(f *testing.F) {
	c, err := New(Config{APIKey: "k", MerchantID: "3", WebhookSecrets: []string{newSecret, oldSecret}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("s1="+sig(newSecret, succeeded), succeeded)
	f.Add("s1="+sig(newSecret, succeeded)+",s0="+sig(oldSecret, succeeded), succeeded)
	f.Add("s0=zz,s1=", []byte(`{"type":"payment.failed","data":{"id":"pay_1","intentId":"pi_1","status":"failed"}}`))
	f.Add(",,=,s1==", []byte(`{"type":"transfer.created","data":{"id":"tr_1"}}`))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		// Sign half of the inputs so that the decoding runs too.
		h := http.Header{"Hub2-Signature": {header}}
		if len(header)%2 == 0 {
			h.Set("Hub2-Signature", header+",s1="+sig(newSecret, body))
		}
		ev, err := c.ParseWebhook(h, body)
		if err != nil {
			var perr *payments.Error
			if !assert.ErrorAs(t, err, &perr) {
				return
			}
			assert.Contains(t, []payments.Kind{payments.ErrInvalidSignature, payments.ErrInvalidRequest}, perr.Kind)
			assert.NotContains(t, err.Error(), newSecret)
			return
		}
		assert.True(t, ev.Verified)
		assert.Equal(t, string(body), string(ev.Raw))
		assert.NotEmpty(t, ev.ID)
		assert.NotEmpty(t, ev.Type)
		if !c.signedBy(header, body) {
			assert.Equal(t, 0, len(header)%2, "an unsigned body passed")
		}
	})
}

// TestSignaturesAreReadAsHexDecodeStringReadsThem holds decodeSignature to
// encoding/hex: the same bytes for every valid signature, in either case,
// and a refusal of everything hex.DecodeString refuses or reads to
// another length.
func TestSignaturesAreReadAsHexDecodeStringReadsThem(t *testing.T) {
	good := sig(newSecret, succeeded)
	cases := []string{good, strings.ToUpper(good), good[:63], good + "0", good[:62] + "g0", good[:62] + "0G", "", " " + good[1:],
		good[:len(good)-2], good + "00"}
	for c := range 256 {
		cases = append(cases, good[:10]+string([]byte{byte(c)})+good[11:])
	}
	for _, s := range cases {
		want, err := hex.DecodeString(s)
		got, ok := decodeSignature(s)
		if err != nil || len(want) != sha256.Size {
			assert.False(t, ok, "%q", s)
			continue
		}
		require.True(t, ok, "%q", s)
		assert.Equal(t, want, got[:], "%q", s)
	}
}
