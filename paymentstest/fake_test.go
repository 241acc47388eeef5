package paymentstest_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

func fakeHarness(t *testing.T) suite.Harness {
	f := paymentstest.NewFake()
	n := 0
	return suite.Harness{
		Checkout: f,
		NewRequest: func() payments.CreateRequest {
			n++
			return payments.CreateRequest{
				Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
				Reference: "order-" + string(rune('a'+n)),
				ReturnURL: "https://shop.example.com/return",
				Customer:  &payments.Customer{Email: "awa@example.com"},
				Options:   paymentstest.FakeOptions{Note: "contract"},
			}
		},
		Pay: func(t *testing.T, s *payments.Session) url.Values {
			require.NoError(t, f.Pay(s.ID))
			return f.ReturnQuery(s.ID)
		},
		Decline: func(t *testing.T, s *payments.Session) url.Values {
			require.NoError(t, f.Decline(s.ID))
			return f.ReturnQuery(s.ID)
		},
		Requests: f.Payments,
		Webhook: func(t *testing.T, id string) (http.Header, []byte) {
			h, body, err := f.Webhook(id)
			require.NoError(t, err)
			return h, body
		},
		UnknownID: "fake_pay_999",
		Invalid: []suite.InvalidCase{{
			Name: "no return URL", Field: "ReturnURL",
			Request: payments.CreateRequest{Amount: payments.Money{Amount: 1, Currency: "XOF"}, Reference: "r"},
		}},
	}
}

func TestFakePassesTheContract(t *testing.T) {
	suite.Contract(t, fakeHarness)
}

func TestFakeRefundRules(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFake()
	s, err := f.Create(ctx, payments.CreateRequest{Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "r1", ReturnURL: "https://x.example/r"})
	require.NoError(t, err)

	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "unpaid")
	require.NoError(t, f.Pay(s.ID))
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 10, Currency: "XAF"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "another currency")
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: "nope"})
	assert.ErrorIs(t, err, payments.ErrNotFound)
	_, err = f.Refund(ctx, payments.RefundRequest{})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "no payment id")

	r, err := f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 400, Currency: "XOF"}})
	require.NoError(t, err)
	assert.Equal(t, int64(400), r.Amount.Amount)
	p, err := f.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, payments.Money{Amount: 400, Currency: "XOF"}, p.RefundedAmount)
	_, err = f.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 601, Currency: "XOF"}})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "beyond what remains")
}

func TestFakeRedirectURLOnlyWhilePending(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFake()
	s, err := f.Create(ctx, payments.CreateRequest{Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "r1", ReturnURL: "https://x.example/r"})
	require.NoError(t, err)
	u, err := f.RedirectURL(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, s.RedirectURL, u)
	require.NoError(t, f.Pay(s.ID))
	_, err = f.RedirectURL(ctx, s.ID)
	assert.ErrorIs(t, err, payments.ErrConflict, "a paid checkout cannot be paid again")
}

func TestFakeRecordsCallsAndInjectsFailures(t *testing.T) {
	ctx := context.Background()
	f := paymentstest.NewFake()
	boom := &payments.Error{Kind: payments.ErrUnavailable, Message: "down"}
	f.FailNext("Create", boom)
	req := payments.CreateRequest{Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reference: "r1", ReturnURL: "https://x.example/r"}
	_, err := f.Create(ctx, req)
	assert.ErrorIs(t, err, payments.ErrUnavailable)
	s, err := f.Create(ctx, req)
	require.NoError(t, err, "FailNext fails one call only")
	calls := f.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "Create", calls[1].Method)
	assert.Equal(t, "r1", calls[1].Create.Reference)
	assert.Equal(t, 1, f.Payments())

	ret, err := f.ParseReturn(f.ReturnQuery(s.ID))
	require.NoError(t, err)
	assert.Equal(t, s.ID, ret.PaymentID)
	assert.Equal(t, "r1", ret.Reference)
	assert.Equal(t, payments.StatusPending, ret.ClaimedStatus)
}

func TestSigners(t *testing.T) {
	body := []byte(`{"event":"payment.success"}`)
	// From: printf '%s' "$body" | openssl dgst -sha256 -hmac whsec
	const want = "6cf582494ebb9be378be121d22a5bae64aa80c1d120d22fc0c6dd117c584787b"
	assert.Equal(t, want, paymentstest.SignMoneroo("whsec", body).Get("X-Moneroo-Signature"))
	assert.Equal(t, want, paymentstest.SignHelloAsso("whsec", body).Get("x-ha-signature"))
	assert.Equal(t, "s1="+want, paymentstest.SignHub2("whsec", "", body).Get("Hub2-Signature"))
	assert.Regexp(t, `^s1=`+want+`,s0=[0-9a-f]{64}$`, paymentstest.SignHub2("whsec", "old", body).Get("Hub2-Signature"))

	r := paymentstest.WebhookRequest("/wh", paymentstest.SignMoneroo("whsec", body), body)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, want, r.Header.Get("X-Moneroo-Signature"))
}
