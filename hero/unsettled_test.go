package hero_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
)

// These tests drive the adapter against each answer the simulator can give
// where Hero's sources leave the question open (see the package doc).

func TestRefundByPaymentIDRefusedHintsAtPaymentCheckoutID(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s := paid(t, srv, c)
	srv.RefundByCheckoutIDOnly(true)

	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1000)})
	perr := requireHeroError(t, err, payments.ErrNotFound, hero.CodeInvalidPaymentCheckout)
	assert.Contains(t, perr.Message, "hero.RefundOptions.PaymentCheckoutID",
		"the merchant learns which setting to use")

	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1000),
		Options: hero.RefundOptions{PaymentCheckoutID: srv.PaymentCheckoutID(s.ID)}})
	require.NoError(t, err)
	assert.Equal(t, s.ID, r.PaymentID)

	// Given the checkout id, an unknown one is not blamed on the setting.
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1000),
		Options: hero.RefundOptions{PaymentCheckoutID: "paycheckout-unknown"}})
	perr = requireHeroError(t, err, payments.ErrNotFound, hero.CodeInvalidPaymentCheckout)
	assert.NotContains(t, perr.Message, "RefundOptions")
}

func TestCreateErrorsWhereverHeroPutsTheCode(t *testing.T) {
	for name, where := range map[string]herotest.ErrorCodes{
		"in the message":    herotest.CodesInMessage,
		"in the extensions": herotest.CodesInExtensions,
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newSim(t)
			srv.SetErrorCodes(where)
			ctx := context.Background()

			bad, err := hero.New(hero.Config{APIKey: "not_the_key", PaymentPageURL: srv.URL}, payments.WithBaseURL(srv.URL))
			require.NoError(t, err)
			_, err = bad.Create(ctx, validRequest())
			requireHeroError(t, err, payments.ErrAuthentication, hero.CodeNotLogged)
			_, err = bad.Verify(ctx, "payment_x")
			requireHeroError(t, err, payments.ErrAuthentication, hero.CodeNotLogged)

			_, err = c.Create(ctx, with(func(r *payments.CreateRequest) { r.Options = hero.Options{Type: hero.Pay45D} }))
			requireHeroError(t, err, payments.ErrInvalidRequest, hero.CodeInvalidPaymentType)

			srv.SetPaymentLimits(10000, 20000)
			_, err = c.Create(ctx, validRequest())
			perr := requireHeroError(t, err, payments.ErrInvalidRequest, "")
			_, ok := perr.Field("Amount")
			assert.True(t, ok, "fields: %v", perr.Fields)

			srv.SetPaymentLimits(100, 20000)
			srv.DisableMerchant(true)
			_, err = c.Create(ctx, validRequest())
			requireHeroError(t, err, payments.ErrPermission, hero.CodeMerchantProductDisabled)
			assert.Zero(t, srv.Payments())
		})
	}
}

// TestReturnHandlerSurvivesServerSideNotification runs a return handler
// written as the package doc advises (ParseReturn, then VerifyPaid of the
// stored id) against a simulator that also calls the redirect URI from the
// server: the handler needs nothing from the browser.
func TestReturnHandlerSurvivesServerSideNotification(t *testing.T) {
	srv, c := newSim(t)
	srv.NotifyRedirectURI(true)
	ctx := context.Background()

	var mu sync.Mutex
	orders := map[string]string{} // reference → Hero payment id
	var verified []string
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ret, err := c.ParseReturn(r.URL.Query())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		id := orders[ret.Reference]
		mu.Unlock()
		if _, err := payments.VerifyPaid(r.Context(), c, id, eur(5000)); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		mu.Lock()
		verified = append(verified, ret.Reference)
		mu.Unlock()
	}))
	defer shop.Close()

	req := validRequest()
	req.ReturnURL = shop.URL + "/hero/return"
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	mu.Lock()
	orders[req.Reference] = s.ID
	mu.Unlock()

	q := walk(t, srv, s, true)
	mu.Lock()
	assert.Equal(t, []string{req.Reference}, verified, "the server-side call alone confirmed the order")
	mu.Unlock()
	// The browser arrives next, with the same query; it confirms again.
	r, err := c.ParseReturn(q)
	require.NoError(t, err)
	assert.Equal(t, req.Reference, r.Reference)
}
