package paymentstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

// acme is a provider of the test's own: XOF and EUR, refunds in full only,
// no webhooks, its own options and ids, a decline that leaves the checkout
// open.
type acmeOptions struct{ Plan string }

func acme() paymentstest.Persona {
	return paymentstest.Persona{
		Provider: "acme",
		Capabilities: payments.Capabilities{
			Refund: true, ReturnURL: true, Currencies: []string{"EUR", "XOF"},
		},
		Validate: func(req payments.CreateRequest) error {
			var fields []payments.FieldError
			if _, ok := req.Options.(acmeOptions); !ok {
				fields = append(fields, payments.FieldError{Field: "Options", Message: "must be acmeOptions"})
			}
			if req.Reference == "" {
				fields = append(fields, payments.FieldError{Field: "Reference", Message: "is required"})
			}
			if len(fields) > 0 {
				return &payments.Error{Provider: "acme", Op: "create checkout", Kind: payments.ErrInvalidRequest, Fields: fields, NotSent: true}
			}
			return nil
		},
		UnpaidRefund: payments.ErrConflict,
		Open: func(n int, req payments.CreateRequest) (payments.Session, paymentstest.Failure) {
			id := "acme-" + string(rune('0'+n))
			if req.Options.(acmeOptions).Plan == "broke" {
				return payments.Session{ID: id, Status: payments.StatusFailed}, paymentstest.Failure{Code: "no_funds", Message: "no funds"}
			}
			return payments.Session{ID: id, NextAction: &payments.NextAction{Type: payments.NextActionUSSD, Message: "dial"}}, paymentstest.Failure{}
		},
		Payment: func(s paymentstest.Snapshot, p *payments.Payment) { p.ProviderStatus = "ACME_" + string(s.Status) },
		Refund:  func(s paymentstest.Snapshot, r *payments.Refund) { r.ID = "rf-" + s.ID },
		Decline: paymentstest.Failure{Status: payments.StatusPending},
		ReturnQuery: func(s paymentstest.Snapshot) url.Values {
			return url.Values{"acme_id": {s.ID}, "declined": {map[bool]string{true: "yes", false: "no"}[s.Declined]}}
		},
		ParseReturn: func(q url.Values) (*payments.Return, error) {
			if q.Get("acme_id") == "" {
				return nil, &payments.Error{Provider: "acme", Kind: payments.ErrInvalidRequest}
			}
			return &payments.Return{Provider: "acme", PaymentID: q.Get("acme_id"), Query: q}, nil
		},
		RefusalStatus: func(error) int { return http.StatusUnauthorized },
	}
}

func acmeRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "o-1",
		ReturnURL: "https://shop.example.com/r", Options: acmeOptions{Plan: "basic"},
	}
}

func TestAPersonaPassesTheContract(t *testing.T) {
	suite.Contract(t, func(t *testing.T) suite.Harness {
		f := paymentstest.NewFakeAs(acme())
		return suite.Harness{
			Checkout:   f,
			NewRequest: acmeRequest,
			Pay: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Pay(s.ID))
				return f.ReturnQuery(s.ID)
			},
			Decline: func(t *testing.T, s *payments.Session) url.Values {
				require.NoError(t, f.Decline(s.ID))
				return nil
			},
			DeclineStaysOpen: true,
			Requests:         f.Payments,
			UnknownID:        "acme-x",
		}
	})
}

func TestAPersonaIsWhatTheFakeReports(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFakeAs(acme())
	assert.Equal(t, payments.ProviderName("acme"), f.Provider())
	assert.Equal(t, []string{"EUR", "XOF"}, f.Capabilities().Currencies)

	_, err := f.Create(ctx, payments.CreateRequest{Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "o-1",
		Options: paymentstest.FakeOptions{}})
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.ProviderName("acme"), perr.Provider)
	_, named := perr.Field("Options")
	assert.True(t, named, "the persona's rules, not the neutral ones")

	_, err = f.Create(ctx, with(acmeRequest(), func(r *payments.CreateRequest) { r.Amount.Currency = "USD" }))
	require.ErrorAs(t, err, &perr)
	_, named = perr.Field("Amount.Currency")
	assert.True(t, named, "a currency outside the capabilities")
	assert.Equal(t, payments.ProviderName("acme"), perr.Provider)

	s, err := f.Create(ctx, acmeRequest())
	require.NoError(t, err)
	assert.Equal(t, "acme-1", s.ID)
	assert.Equal(t, payments.ProviderName("acme"), s.Provider)
	assert.Equal(t, payments.StatusPending, s.Status, "a persona's empty status is pending")
	require.NotNil(t, s.NextAction)
	s.NextAction.Message = "changed by the caller"
	snap, err := f.Snapshot(s.ID)
	require.NoError(t, err)
	assert.Equal(t, "dial", snap.Session.NextAction.Message, "the Fake keeps its own copy")
	_, err = f.RedirectURL(ctx, s.ID)
	assert.ErrorIs(t, err, payments.ErrUnsupported, "a session without a page")

	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, "ACME_pending", p.ProviderStatus)
	assert.Empty(t, p.Method, "the neutral fake's method is not the persona's")

	require.NoError(t, f.Decline(s.ID))
	snap, err = f.Snapshot(s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPending, snap.Status, "the persona's decline leaves the checkout open")
	assert.True(t, snap.Declined)
	assert.Equal(t, "yes", f.ReturnQuery(s.ID).Get("declined"))

	broke, err := f.Create(ctx, with(acmeRequest(), func(r *payments.CreateRequest) { r.Options = acmeOptions{Plan: "broke"} }))
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, broke.Status)
	p, err = f.Verify(ctx, broke.ID)
	require.NoError(t, err)
	assert.Equal(t, "no_funds", p.FailureCode, "the failure Open reported")
}

func TestAPersonasRefundRules(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFakeAs(acme())
	s, err := f.Create(ctx, acmeRequest())
	require.NoError(t, err)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrConflict, "the persona's UnpaidRefund")
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 100, Currency: "XOF"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "no partial refunds")
	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, "rf-"+s.ID, r.ID)
	assert.Equal(t, payments.ProviderName("acme"), r.Provider)

	none := acme()
	none.Capabilities.Refund = false
	f = paymentstest.NewFakeAs(none)
	s, err = f.Create(ctx, acmeRequest())
	require.NoError(t, err)
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrUnsupported)
}

func TestAPersonaWithoutWebhooks(t *testing.T) {
	f := paymentstest.NewFakeAs(acme())
	s, err := f.Create(context.Background(), acmeRequest())
	require.NoError(t, err)
	_, _, err = f.Webhook(s.ID)
	assert.ErrorIs(t, err, payments.ErrUnsupported)
	_, err = f.ParseWebhook(http.Header{}, []byte(`{}`))
	assert.ErrorIs(t, err, payments.ErrUnsupported)
	assert.Equal(t, http.StatusUnauthorized, f.RefusalStatus(errors.New("x")), "the persona's refusal status")
	assert.Equal(t, http.StatusBadRequest, paymentstest.NewFake().RefusalStatus(errors.New("x")))
}

func TestFailAndBegin(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFake()
	s, err := f.Create(ctx, payments.CreateRequest{Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "r1", ReturnURL: "https://x.example/r"})
	require.NoError(t, err)
	require.NoError(t, f.Fail(s.ID, "insufficient_funds", "no money"))
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, p.Status)
	assert.Equal(t, "insufficient_funds", p.FailureCode)
	assert.Equal(t, "no money", p.FailureMessage)
	require.NoError(t, f.SetStatus(s.ID, payments.StatusFailed))
	p, err = f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, "declined", p.FailureCode, "SetStatus(failed) reports the decline's code, as before")

	boom := errors.New("boom")
	f.FailNext("Charge", boom)
	err = f.Begin(ctx, paymentstest.Call{Method: "Charge", PaymentID: s.ID, Detail: 42}, "charge")
	assert.Same(t, boom, err)
	assert.NoError(t, f.Begin(ctx, paymentstest.Call{Method: "Charge"}, "charge"), "FailNext fails one call")
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	err = f.Begin(canceled, paymentstest.Call{Method: "Charge"}, "charge")
	assert.ErrorIs(t, err, payments.ErrUnavailable)
	assert.ErrorIs(t, err, context.Canceled)
	calls := f.Calls()
	assert.Equal(t, paymentstest.Call{Method: "Charge", PaymentID: s.ID, Detail: 42}, calls[len(calls)-3])

	_, err = f.Snapshot("nope")
	assert.ErrorIs(t, err, payments.ErrNotFound)
}

func TestNeutralFakeWebhookHandler(t *testing.T) {
	f := paymentstest.NewFake()
	s, err := f.Create(context.Background(), payments.CreateRequest{Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "r1", ReturnURL: "https://x.example/r"})
	require.NoError(t, err)
	h, body, err := f.Webhook(s.ID)
	require.NoError(t, err)
	h.Set(paymentstest.FakeSignatureHeader, "bad")
	rec := httptest.NewRecorder()
	payments.WebhookHandler(f, func(context.Context, *payments.Event) error { return nil }).
		ServeHTTP(rec, paymentstest.WebhookRequest("/wh", h, body))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}

func with(r payments.CreateRequest, f func(*payments.CreateRequest)) payments.CreateRequest {
	f(&r)
	return r
}
