package herotest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/internal/simkit"
)

// Tests of the switches for what Hero's sources leave unsettled.

func TestRefundByCheckoutIDOnly(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	id := create(t, srv)
	require.NoError(t, srv.Pay(id))
	refund := func(checkoutID string) string {
		_, out := post(t, srv, herotest.APIKey, refundDoc, map[string]any{"id": checkoutID, "amount": 100})
		require.Empty(t, out.Errors)
		return string(out.Data["refundPaymentCheckout"])
	}

	srv.RefundByCheckoutIDOnly(true)
	assert.JSONEq(t, `{"__typename":"GqlHeroError","errorCode":"FUNCTIONAL_ERROR","message":"INVALID_PAYMENT_CHECKOUT"}`, refund(id),
		"the payment id is not a payment checkout id")
	assert.JSONEq(t, `{"__typename":"RefundPaymentCheckoutOutput","success":true}`, refund(srv.PaymentCheckoutID(id)))

	srv.RefundByCheckoutIDOnly(false)
	assert.JSONEq(t, `{"__typename":"RefundPaymentCheckoutOutput","success":true}`, refund(id))
	p, _ := srv.Payment(id)
	assert.Equal(t, int64(200), p.Refunded)
}

// shop is a merchant's return handler that records every hit.
type shop struct {
	*httptest.Server
	mu   sync.Mutex
	hits []*http.Request
}

func newShop(t *testing.T) *shop {
	s := &shop{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.Clone(context.Background()))
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *shop) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hits)
}

func TestNotifyRedirectURI(t *testing.T) {
	srv := herotest.NewServer()
	defer srv.Close()
	merchant := newShop(t)
	createFor := func() string {
		p := newPayment(5000)
		p["redirectUri"] = merchant.URL + "/hero/return?order=42"
		_, out := post(t, srv, herotest.APIKey, createDoc, map[string]any{"p": p})
		require.Empty(t, out.Errors)
		var created struct{ ID string }
		require.NoError(t, json.Unmarshal(out.Data["createPayment"], &created))
		return created.ID
	}
	ctx := context.Background()

	// Off by default: only the browser goes back.
	quiet := createFor()
	_, err := simkit.SubmitForm(ctx, srv.URL+"/checkout/"+quiet+"/pay", nil)
	require.NoError(t, err)
	assert.Zero(t, merchant.count())

	srv.NotifyRedirectURI(true)
	paid := createFor()
	loc, err := simkit.SubmitForm(ctx, srv.URL+"/checkout/"+paid+"/pay", nil)
	require.NoError(t, err)
	assert.Equal(t, merchant.URL+"/hero/return?order=42", loc.String(), "the browser still goes back")
	require.Equal(t, 1, merchant.count(), "one server-side call, before the browser's")
	hit := merchant.hits[0]
	assert.Equal(t, http.MethodGet, hit.Method)
	assert.Equal(t, "/hero/return?order=42", hit.URL.RequestURI(), "the URI as given, nothing added")
	assert.Empty(t, hit.Header.Get("Cookie"))
	assert.Equal(t, "herotest-notify", hit.Header.Get("User-Agent"))

	// Paying again changes nothing and notifies nothing.
	_, err = simkit.SubmitForm(ctx, srv.URL+"/checkout/"+paid+"/pay", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, merchant.count())

	require.NoError(t, srv.Decline(createFor()))
	assert.Equal(t, 2, merchant.count(), "a declined payment is notified too")
	require.NoError(t, srv.Expire(createFor()))
	assert.Equal(t, 2, merchant.count(), "an abandoned one is not: the customer never finished")
}
