package hero_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
)

func FuzzParseReturn(f *testing.F) {
	f.Add("hero_ref=order-42")
	f.Add("lang=fr&hero_ref=order+%2242%22+%26+co")
	f.Add("hero_ref=&hero_ref=x")
	f.Add("hero_ref=%20")
	f.Add("%zz&hero_ref=a;b")
	f.Add("")
	c, err := hero.New(hero.Config{APIKey: "k"})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		r, err := c.ParseReturn(q)
		if err != nil {
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			return
		}
		assert.Equal(t, q.Get(hero.ReturnReferenceParam), r.Reference)
		assert.NotEmpty(t, r.Reference)
		assert.Equal(t, payments.Hero, r.Provider)
		assert.Empty(t, r.PaymentID, "Hero's return names no payment")
		assert.False(t, r.ClaimedStatus.Paid(), "nothing in the URL claims a payment")
	})
}

// answer is a transport that answers every request with one body.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(a.body))}, nil
}

// FuzzGraphQLAnswers feeds arbitrary answers to every operation: whatever
// Hero (or a proxy in front of it) sends, the client returns a result or a
// *payments.Error with a kind, never panics, never loses the body, and
// never keeps the API key in it. The seeds include answers that echo it.
func FuzzGraphQLAnswers(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(testdataDir, "*.json"))
	require.NoError(f, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		for op := range 6 {
			f.Add(uint8(op), 200, b)
		}
	}
	f.Add(uint8(1), 200, []byte(`{"errors":[{"message":"NOT_LOGGED","path":["x"],"extensions":{"code":7}}]}`))
	f.Add(uint8(2), 200, []byte(`{"data":{"refundPaymentCheckout":{"errorCode":null,"success":false}}}`))
	f.Add(uint8(0), 429, []byte(`{"errors":[{"message":"slow"}]}`))
	f.Add(uint8(3), 500, []byte(`<html>`))
	f.Add(uint8(4), 204, []byte(``))
	f.Add(uint8(0), 200, []byte(`{"errors":[{"message":"bad key `+testKey+`"}]}`))
	f.Add(uint8(2), 200, []byte(`{"data":{"refundPaymentCheckout":{"__typename":"GqlHeroError","errorCode":"UNAUTHORIZED","message":"`+testKey+`"}}}`))
	f.Add(uint8(4), 200, []byte(`{"data":{"getPaymentsInfos":{"result":[{"paymentId":"payment_id_3","isSuccess":true}]}},"k":"`+testKey+`"}`))
	f.Fuzz(func(t *testing.T, op uint8, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		c, err := hero.New(hero.Config{APIKey: testKey},
			payments.WithHTTPClient(&http.Client{Transport: answer{status, body}}), payments.WithRetries(0))
		require.NoError(t, err)
		ctx := context.Background()
		eur := payments.Money{Amount: 100, Currency: "EUR"}
		switch op % 6 {
		case 0:
			_, err = c.Verify(ctx, "payment_id_1")
		case 1:
			_, err = c.Create(ctx, validRequest())
		case 2:
			_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur})
		case 3:
			_, err = c.AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 100, CustomerReference: "c"})
		case 4:
			_, err = c.VerifyMany(ctx, []string{"payment_id_1", "payment_id_2"})
		case 5:
			err = c.SetOrderID(ctx, "payment_id_1", "order")
		}
		if err == nil {
			return
		}
		var perr *payments.Error
		require.True(t, errors.As(err, &perr), "%T: %v", err, err)
		assert.Equal(t, payments.Hero, perr.Provider)
		assert.NotEmpty(t, perr.Kind)
		assert.NotEmpty(t, perr.Op)
		assert.NotContains(t, err.Error(), testKey)
		if len(bytes.TrimSpace(body)) > 0 {
			assert.NotEmpty(t, perr.Raw, "the body of a %d is kept", status)
		}
		assert.NotContains(t, string(perr.Raw), testKey, "Raw is scrubbed")
	})
}
