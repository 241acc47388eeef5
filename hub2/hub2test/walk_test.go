package hub2test_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest"
)

func walkOrder(provider string) payments.CreateRequest {
	return payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-7",
		ReturnURL: "https://shop.example.com/return?order=7",
		CancelURL: "https://shop.example.com/cart",
		Options:   hub2.Options{Country: hub2test.Country, Provider: provider, MSISDN: hub2test.TestMSISDN},
	}
}

// TestWalkPlaysEachNextAction: Walk plays the customer's part in each flow,
// and the outcome is what Verify reads afterwards.
func TestWalkPlaysEachNextAction(t *testing.T) {
	cases := []struct {
		provider string
		pay      bool
		status   payments.Status
		failure  string
		back     string // the hub2_outcome the browser brings back; "" when it is sent nowhere
	}{
		{hub2test.ProviderOTP, true, payments.StatusSucceeded, "", ""},
		{hub2test.ProviderOTP, false, payments.StatusFailed, "authentication_failed", ""},
		{hub2test.ProviderUSSD, true, payments.StatusSucceeded, "", ""},
		{hub2test.ProviderUSSD, false, payments.StatusFailed, "canceled_by_customer", ""},
		{hub2test.ProviderRedirect, true, payments.StatusSucceeded, "", "success"},
		{hub2test.ProviderRedirect, false, payments.StatusFailed, "canceled_by_customer", "failed"},
	}
	for _, tc := range cases {
		name := tc.provider + map[bool]string{true: "/pay", false: "/refuse"}[tc.pay]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := hub2test.Start(t)
			s, err := c.Create(ctx, walkOrder(tc.provider))
			require.NoError(t, err)
			before := srv.Requests()
			back, err := srv.Walk(ctx, s, tc.pay)
			require.NoError(t, err)
			assert.Equal(t, before, srv.Requests(), "the customer's steps are not the merchant's API requests")
			if tc.back == "" {
				assert.Nil(t, back, "the browser stays on the merchant's page")
			} else {
				require.NotNil(t, back)
				assert.Equal(t, tc.back, back.Query().Get(hub2.ReturnOutcomeParam))
				r, err := c.ParseReturn(back.Query())
				require.NoError(t, err)
				assert.Equal(t, s.ID, r.PaymentID)
				if tc.pay {
					assert.Equal(t, "7", back.Query().Get("order"), "back to ReturnURL, its own parameters kept")
				} else {
					assert.Equal(t, "/cart", back.Path, "back to CancelURL")
				}
			}
			p, err := c.Verify(ctx, s.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.status, p.Status)
			assert.Equal(t, tc.failure, p.FailureCode)

			_, err = srv.Walk(ctx, s, tc.pay)
			assert.Error(t, err, "a settled attempt waits for no step")
		})
	}
}

func TestWalkRefusesWhatItCannotPlay(t *testing.T) {
	ctx := context.Background()
	srv, c := hub2test.Start(t)
	req := walkOrder("")
	req.Options = nil
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	_, err = srv.Walk(ctx, s, true)
	assert.Error(t, err, "no attempt yet: nothing to do")
	_, err = srv.Walk(ctx, nil, true)
	assert.Error(t, err)
	_, err = srv.Walk(ctx, &payments.Session{ID: s.ID, NextAction: &payments.NextAction{Type: payments.NextActionRedirect},
		RedirectURL: "https://pay.wave.com/c/x"}, true)
	assert.Error(t, err, "only the simulator's own pages")
}

func TestStartAndNewClient(t *testing.T) {
	ctx := context.Background()
	srv, c := hub2test.Start(t)
	srv.Faults.Add(paymentstest.ServerError(503))
	_, err := c.Create(ctx, walkOrder(hub2test.ProviderUSSD))
	require.ErrorIs(t, err, payments.ErrUnavailable, "Faults hit the client's requests")
	assert.Equal(t, 1, srv.Faults.Injected())

	fresh := srv.RotateSecret()
	cfg := srv.Config()
	assert.Equal(t, []string{fresh, hub2test.WebhookSecret}, cfg.WebhookSecrets, "the current secret, then the previous one")
	other, err := srv.NewClient()
	require.NoError(t, err)
	s, err := other.Create(ctx, walkOrder(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	h, body, err := srv.Event(s.ID)
	require.NoError(t, err)
	ev, err := other.ParseWebhook(h, body)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, ev.Status)
}
