package hub2fake_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2fake"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/internal/jsonshape"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

// authenticator is hub2.Client's Authenticate: the posed Fake has the same,
// so that the merchant's code can take either.
type authenticator interface {
	Authenticate(ctx context.Context, intentID, token, code string) (*hub2.PaymentIntent, error)
}

var (
	_ authenticator = (*hub2.Client)(nil)
	_ authenticator = (*hub2fake.Fake)(nil)
)

var orderSeq atomic.Int64

// order is a request Hub2 takes: 5000 XOF, paid through provider in CI
// with the sandbox's test number ("" for the intent alone).
func order(provider string) payments.CreateRequest {
	n := orderSeq.Add(1)
	r := payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: fmt.Sprintf("order-%d", n),
		ReturnURL: fmt.Sprintf("https://shop.example.com/return?order=%d", n),
		Customer:  &payments.Customer{Reference: "customer_42"},
	}
	if provider != "" {
		r.Options = hub2.Options{Country: hub2test.Country, Provider: provider, MSISDN: hub2test.TestMSISDN}
	}
	return r
}

func with(r payments.CreateRequest, f func(*payments.CreateRequest)) payments.CreateRequest {
	f(&r)
	return r
}

// realClient is what the merchant runs in production, configured with the
// Fake's webhook secret.
func realClient(t *testing.T) *hub2.Client {
	t.Helper()
	c, err := hub2.New(hub2.Config{APIKey: "hub2_sk_test", MerchantID: "16", WebhookSecrets: []string{hub2fake.WebhookSecret}})
	require.NoError(t, err)
	return c
}

// The contract runs once per flow: each makes the customer pay in its own
// way.
func TestPosedFakePassesTheContract(t *testing.T) {
	for _, flow := range []struct {
		name     string
		provider string
		pay      func(t *testing.T, f *hub2fake.Fake, s *payments.Session) url.Values
	}{
		{"OTP", hub2test.ProviderOTP, func(t *testing.T, f *hub2fake.Fake, s *payments.Session) url.Values {
			_, err := f.Authenticate(context.Background(), s.ID, s.ClientToken, "1234")
			require.NoError(t, err)
			return f.ReturnQuery(s.ID)
		}},
		{"USSD", hub2test.ProviderUSSD, nil},
		{"Wave", hub2test.ProviderRedirect, nil},
		{"IntentOnly", "", nil},
	} {
		t.Run(flow.name, func(t *testing.T) {
			suite.Contract(t, func(t *testing.T) suite.Harness {
				f := hub2fake.New()
				bad := func(g func(*payments.CreateRequest)) payments.CreateRequest { return with(order(flow.provider), g) }
				return suite.Harness{
					Checkout:   f,
					NewRequest: func() payments.CreateRequest { return order(flow.provider) },
					Pay: func(t *testing.T, s *payments.Session) url.Values {
						if flow.pay != nil {
							return flow.pay(t, f, s)
						}
						require.NoError(t, f.Pay(s.ID))
						return f.ReturnQuery(s.ID)
					},
					Decline: func(t *testing.T, s *payments.Session) url.Values {
						require.NoError(t, f.Decline(s.ID))
						return f.ReturnQuery(s.ID)
					},
					Requests: f.Payments,
					Webhook: func(t *testing.T, id string) (http.Header, []byte) {
						h, b, err := f.Webhook(id)
						require.NoError(t, err)
						return h, b
					},
					UnknownID: "pi_000000000000000000000",
					// The adapter's own rules, which the Fake runs.
					Invalid: []suite.InvalidCase{
						{Name: "reference with a slash", Field: "Reference", Request: bad(func(r *payments.CreateRequest) { r.Reference = "order/1" })},
						{Name: "euros", Field: "Amount.Currency", Request: bad(func(r *payments.CreateRequest) { r.Amount = payments.Money{Amount: 5000, Currency: "EUR"} })},
						{Name: "above the maximum", Field: "Amount", Request: bad(func(r *payments.CreateRequest) { r.Amount.Amount = 3_000_001 })},
						{Name: "international number", Field: "Options.MSISDN", Request: bad(func(r *payments.CreateRequest) {
							r.Options = hub2.Options{Country: "CI", Provider: "orange", MSISDN: "+2250700000000"}
						})},
						{Name: "Wave without a return URL", Field: "ReturnURL", Request: bad(func(r *payments.CreateRequest) {
							r.ReturnURL = ""
							r.Options = hub2.Options{Country: "CI", Provider: "wave", MSISDN: hub2test.TestMSISDN}
						})},
					},
				}
			})
		})
	}
}

func TestRefusesAnotherProvidersOptions(t *testing.T) {
	f := hub2fake.New()
	for _, o := range []any{
		moneroo.Options{Methods: []string{"mtn_bj"}},
		&helloasso.Options{ItemName: "Adhésion"},
		paymentstest.FakeOptions{Note: "neutral"},
	} {
		_, err := f.Create(context.Background(), with(order(""), func(r *payments.CreateRequest) { r.Options = o }))
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%T", o)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, payments.Hub2, perr.Provider)
		_, named := perr.Field("Options")
		assert.True(t, named, "%T: the error names Options: %v", o, perr.Fields)
	}
	assert.Zero(t, f.Payments())
}

func TestAcceptsItsOwnOptions(t *testing.T) {
	f := hub2fake.New()
	for _, o := range []any{
		nil,
		hub2.Options{Country: "CI", Provider: "mtn", MSISDN: hub2test.TestMSISDN},
		&hub2.Options{Country: "SN", Provider: "wave", MSISDN: "771234567", BusinessName: "Shop"},
	} {
		s, err := f.Create(context.Background(), with(order(""), func(r *payments.CreateRequest) { r.Options = o }))
		require.NoError(t, err, "%T", o)
		assert.Equal(t, payments.Hub2, s.Provider)
		assert.Regexp(t, `^pi_[0-9A-Za-z]{21}$`, s.ID, "Hub2's id shape")
		assert.NotEmpty(t, s.ClientToken)
	}
}

func TestTakesOnlyHub2sCurrencies(t *testing.T) {
	f := hub2fake.New()
	assert.Equal(t, realClient(t).Capabilities(), f.Capabilities())
	for _, cur := range payments.Currencies() {
		amount, err := payments.FromMajor(10000, cur)
		require.NoError(t, err)
		_, err = f.Create(context.Background(), with(order(""), func(r *payments.CreateRequest) { r.Amount = amount }))
		if f.Capabilities().SupportsCurrency(cur) {
			assert.NoError(t, err, cur)
			continue
		}
		require.ErrorIs(t, err, payments.ErrInvalidRequest, cur)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field("Amount.Currency")
		assert.True(t, named, cur)
	}
}

func TestRefundIsUnsupported(t *testing.T) {
	ctx := context.Background()
	f := hub2fake.New()
	s, err := f.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status, "nothing was refunded")
	assert.Equal(t, "successful", p.ProviderStatus)
	assert.Equal(t, "mtn_ci", p.Method)
}

// unlimited lets the real client talk to the simulator without keeping to
// Hub2's caps, which the simulator does not enforce here.
type unlimited struct{}

func (unlimited) Wait(context.Context, payments.Limit) error { return nil }

// TestSessionsAreTheSimulators creates the same requests on the posed Fake
// and, through the real adapter, on the simulator, and compares what the
// merchant's code sees: the session's status, next action and ways back,
// and the outcome of the attempts decided at once.
func TestSessionsAreTheSimulators(t *testing.T) {
	ctx := context.Background()
	srv := hub2test.NewServer()
	t.Cleanup(srv.Close)
	sim, err := hub2.New(hub2.Config{APIKey: hub2test.APIKey, MerchantID: hub2test.MerchantID, WebhookSecrets: []string{hub2test.WebhookSecret}},
		payments.WithBaseURL(srv.URL), payments.WithRateLimiter(unlimited{}))
	require.NoError(t, err)
	f := hub2fake.New()
	opts := func(provider, msisdn, otp, workflow string) func(*payments.CreateRequest) {
		return func(r *payments.CreateRequest) {
			r.Options = hub2.Options{Country: "CI", Provider: provider, MSISDN: msisdn, OTP: otp, Workflow: workflow}
		}
	}
	for _, c := range []struct {
		name string
		set  func(*payments.CreateRequest)
	}{
		{"intent only", func(r *payments.CreateRequest) { r.Options = nil }},
		{"Orange: an OTP", opts("orange", hub2test.TestMSISDN, "", "")},
		{"Orange with the code: paid at once", opts("orange", hub2test.TestMSISDN, "4321", "")},
		{"Orange with a wrong code: failed at once", opts("orange", hub2test.TestMSISDN, "43210", "")},
		{"Orange's payment link", opts("orange", hub2test.TestMSISDN, "", hub2.WorkflowRedirection)},
		{"MTN: USSD", opts("mtn", hub2test.TestMSISDN, "", "")},
		{"Moov: USSD", opts("moov", hub2test.TestMSISDN, "", "")},
		{"Wave: a page", opts("wave", hub2test.TestMSISDN, "", "")},
		{"no funds", opts("mtn", hub2test.MSISDNInsufficientFunds, "", "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := with(order(""), c.set)
			want, err := sim.Create(ctx, req)
			require.NoError(t, err)
			got, err := f.Create(ctx, req)
			require.NoError(t, err)
			assert.Equal(t, want.Status, got.Status)
			assert.Equal(t, want.RedirectURL != "", got.RedirectURL != "", "a page to send the customer to")
			assert.Equal(t, want.ClientToken != "", got.ClientToken != "")
			if assert.Equal(t, want.NextAction == nil, got.NextAction == nil, "a next action") && want.NextAction != nil {
				assert.Equal(t, want.NextAction.Type, got.NextAction.Type)
				assert.Equal(t, want.NextAction.Message, got.NextAction.Message)
				assert.Equal(t, want.NextAction.URL != "", got.NextAction.URL != "")
			}
			wp, err := sim.Verify(ctx, want.ID)
			require.NoError(t, err)
			gp, err := f.Verify(ctx, got.ID)
			require.NoError(t, err)
			assert.Equal(t, wp.Status, gp.Status)
			assert.Equal(t, wp.ProviderStatus, gp.ProviderStatus)
			assert.Equal(t, wp.FailureCode, gp.FailureCode)
			assert.Equal(t, wp.Method, gp.Method)
			assert.Equal(t, wp.Reference, gp.Reference)
			assert.Equal(t, wp.Amount, gp.Amount)
			if wp.Status.Final() {
				return
			}
			// The customer refuses: on the handset, or on the page.
			require.NoError(t, srv.Decline(want.ID))
			require.NoError(t, f.Decline(got.ID))
			wp, err = sim.Verify(ctx, want.ID)
			require.NoError(t, err)
			gp, err = f.Verify(ctx, got.ID)
			require.NoError(t, err)
			assert.Equal(t, wp.Status, gp.Status, "declined")
			assert.Equal(t, wp.ProviderStatus, gp.ProviderStatus, "declined")
			assert.Equal(t, wp.FailureCode, gp.FailureCode, "declined")
		})
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	f := hub2fake.New()
	otp := func() *payments.Session {
		s, err := f.Create(ctx, order(hub2test.ProviderOTP))
		require.NoError(t, err)
		require.Equal(t, payments.NextActionOTP, s.NextAction.Type)
		return s
	}

	s := otp()
	pi, err := f.Authenticate(ctx, s.ID, s.ClientToken, "1234")
	require.NoError(t, err)
	assert.Equal(t, s.ID, pi.ID)
	assert.Equal(t, hub2.IntentSuccessful, pi.Status)
	assert.Nil(t, pi.PendingAction())
	assert.Equal(t, int64(5000), int64(pi.Amount))
	calls := f.Calls()
	assert.Equal(t, paymentstest.Call{Method: "Authenticate", PaymentID: s.ID, Detail: hub2fake.Authentication{Token: s.ClientToken, Code: "1234"}}, calls[len(calls)-1])
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)

	s = otp()
	pi, err = f.Authenticate(ctx, s.ID, "", "98765")
	require.NoError(t, err, "Hub2 answers a wrong code with the failed intent")
	assert.Equal(t, hub2.IntentFailed, pi.Status)
	require.NotNil(t, pi.LastPayment())
	require.NotNil(t, pi.LastPayment().Failure)
	assert.Equal(t, "authentication_failed", pi.LastPayment().Failure.Code)
	p, err = f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, "authentication_failed", p.FailureCode)

	s = otp()
	_, err = f.Authenticate(ctx, s.ID, s.ClientToken, "12a4")
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "the adapter's check of the code")
	_, err = f.Authenticate(ctx, s.ID, "another.token.jwt", "1234")
	assert.ErrorIs(t, err, payments.ErrAuthentication)
	_, err = f.Authenticate(ctx, "pi_000000000000000000000", "", "1234")
	assert.ErrorIs(t, err, payments.ErrNotFound)
	f.FailNext("Authenticate", &payments.Error{Provider: payments.Hub2, Kind: payments.ErrUnavailable})
	_, err = f.Authenticate(ctx, s.ID, s.ClientToken, "1234")
	assert.ErrorIs(t, err, payments.ErrUnavailable)
	p, err = f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusActionRequired, p.Status, "none of these changed the payment")

	ussd, err := f.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	_, err = f.Authenticate(ctx, ussd.ID, ussd.ClientToken, "1234")
	assert.ErrorIs(t, err, payments.ErrConflict, "a USSD payment waits for no code")
}

func TestWebhooksTheRealAdapterAccepts(t *testing.T) {
	ctx := context.Background()
	f := hub2fake.New()
	real := realClient(t)
	for _, c := range []struct {
		provider string
		set      func(string) error
		event    string
		want     payments.Status
	}{
		{"", func(string) error { return nil }, "payment_intent.created", payments.StatusPending},
		{hub2test.ProviderUSSD, func(string) error { return nil }, "payment_intent.action_required", payments.StatusActionRequired},
		{hub2test.ProviderUSSD, f.Pay, "payment_intent.succeeded", payments.StatusSucceeded},
		{hub2test.ProviderRedirect, f.Decline, "payment_intent.payment_failed", payments.StatusFailed},
	} {
		s, err := f.Create(ctx, order(c.provider))
		require.NoError(t, err)
		require.NoError(t, c.set(s.ID))
		h, body, err := f.Webhook(s.ID)
		require.NoError(t, err)
		ev, err := real.ParseWebhook(h, body)
		require.NoError(t, err, c.event)
		assert.Equal(t, s.ID, ev.PaymentID)
		assert.Equal(t, c.event, ev.Type)
		assert.Equal(t, c.want, ev.Status)
		assert.True(t, ev.Verified)
		assert.NotContains(t, string(body), s.ClientToken, "Hub2's deliveries carry no JWT")
	}
}

func TestWebhookHasTheShapeOfHub2s(t *testing.T) {
	f := hub2fake.New()
	s, err := f.Create(context.Background(), order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	want, err := os.ReadFile("../../testdata/hub2/webhook_payment_intent_succeeded.json")
	require.NoError(t, err)
	diff, err := jsonshape.Diff(want, body, jsonshape.Options{})
	require.NoError(t, err)
	assert.Empty(t, diff)
}

func TestReturnQueriesTheRealAdapterAccepts(t *testing.T) {
	ctx := context.Background()
	f := hub2fake.New()
	real := realClient(t)
	for _, c := range []struct {
		name     string
		options  hub2.Options
		cancel   string
		set      func(string) error
		want     payments.Status
		wantPath string
	}{
		{"Wave, paid", hub2.Options{Provider: "wave"}, "", f.Pay, payments.StatusSucceeded, "/return"},
		{"Wave, declined", hub2.Options{Provider: "wave"}, "https://shop.example.com/cart", f.Decline, payments.StatusFailed, "/cart"},
		{"Orange's link, paid", hub2.Options{Provider: "orange", Workflow: hub2.WorkflowRedirection}, "", f.Pay, payments.StatusProcessing, "/return"},
		{"Orange's link, declined", hub2.Options{Provider: "orange", Workflow: hub2.WorkflowRedirection}, "", f.Decline, payments.StatusCanceled, "/return"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := order("")
			c.options.Country, c.options.MSISDN = "CI", hub2test.TestMSISDN
			req.Options, req.CancelURL = c.options, c.cancel
			s, err := f.Create(ctx, req)
			require.NoError(t, err)
			require.NoError(t, c.set(s.ID))
			q := f.ReturnQuery(s.ID)
			if c.wantPath == "/return" {
				assert.NotEmpty(t, q.Get("order"), "the ReturnURL's own query comes back")
			}
			r, err := real.ParseReturn(q)
			require.NoError(t, err)
			assert.Equal(t, s.ID, r.PaymentID)
			assert.Equal(t, c.want, r.ClaimedStatus)
		})
	}
	s, err := f.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	assert.Nil(t, f.ReturnQuery(s.ID), "a USSD payment brings the customer back nowhere")
}

func TestWebhookSecretIsTheFakes(t *testing.T) {
	f := hub2fake.New()
	s, err := f.Create(context.Background(), order(""))
	require.NoError(t, err)
	f.WebhookSecret = "whsec_rotated"
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	_, err = f.ParseWebhook(h, body)
	require.NoError(t, err, "signed and checked with the secret the test set")
	_, err = realClient(t).ParseWebhook(h, body)
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "not with the old one")

	f.WebhookSecret = ""
	assert.NotPanics(t, func() { _, err = f.ParseWebhook(h, body) })
	assert.ErrorIs(t, err, payments.ErrInvalidSignature, "no secret: every delivery is refused, as by the adapter")
}

// payer is what the shop knows of the customer who paid: the number as
// typed at checkout, and a name.
var payer = hub2.RefundOptions{MSISDN: hub2test.TestMSISDN, RecipientName: "Awa Diallo"}

// With refunds by transfer on, the posed Fake passes the contract's
// refunds, in full and in part, given the payer's number and name.
func TestPosedFakeRefundsByTransferWhenItsConfigSaysSo(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		f := hub2fake.NewFor(hub2.Config{RefundByTransfer: true})
		return suite.Harness{
			Checkout:   f,
			NewRequest: func() payments.CreateRequest { return order(hub2test.ProviderUSSD) },
			Pay: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Pay(s.ID))
				return nil
			},
			Decline: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Decline(s.ID))
				return nil
			},
			Requests:      f.Payments,
			RefundOptions: payer,
			Webhook: func(t *testing.T, id string) (http.Header, []byte) {
				h, b, err := f.Webhook(id)
				require.NoError(t, err)
				return h, b
			},
			UnknownID: "pi_000000000000000000000",
		}
	})
}

func TestRefundByTransferRefusesWhatTheClientRefuses(t *testing.T) {
	ctx := context.Background()
	f := hub2fake.NewFor(hub2.Config{RefundByTransfer: true})
	assert.True(t, f.Capabilities().Refund)
	assert.True(t, f.Capabilities().PartialRefund)
	s, err := f.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)

	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: payer})
	require.ErrorIs(t, err, payments.ErrConflict, "not paid yet, as the client says")
	require.NoError(t, f.Pay(s.ID))

	for field, opts := range map[string]any{
		"Options.MSISDN":        hub2.RefundOptions{RecipientName: "Awa Diallo"},
		"Options.RecipientName": hub2.RefundOptions{MSISDN: hub2test.TestMSISDN},
		"Options":               hub2.Options{MSISDN: hub2test.TestMSISDN},
	} {
		_, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: opts})
		require.ErrorIs(t, err, payments.ErrInvalidRequest, field)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field(field)
		assert.True(t, named, "%s: %v", field, perr.Fields)
	}

	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 2000, Currency: "XOF"}, Options: payer})
	require.NoError(t, err)
	assert.Regexp(t, `^tr_[a-z0-9]{21}$`, r.ID, "a transfer's id")
	assert.Equal(t, payments.StatusSucceeded, r.Status, "the Fake's transfers succeed at once")
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, "successful", p.ProviderStatus, "Hub2's intent stays paid")
	assert.Equal(t, int64(2000), p.RefundedAmount.Amount)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Options: payer})
	require.Error(t, err, "more than what remains")
	calls := f.Calls()
	assert.Equal(t, "Refund", calls[len(calls)-1].Method)
	assert.Equal(t, payer, calls[len(calls)-1].Refund.Options, "the test sees the options the code passed")

	// New is a client with refunds off.
	_, err = hub2fake.New().Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: payer})
	require.ErrorIs(t, err, payments.ErrUnsupported)
}
