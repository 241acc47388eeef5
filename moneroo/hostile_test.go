package moneroo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest/suite"
)

// TestHostileProvider crosses every Moneroo call, the provider-neutral
// ones and the typed API's, with a provider that answers badly.
func TestHostileProvider(t *testing.T) {
	var srv *monerootest.Server
	created := func(t *testing.T, c payments.Checkout) string {
		s, err := c.Create(context.Background(), validRequest())
		require.NoError(t, err, "Create against the simulator")
		return s.ID
	}
	isInitialize := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/v1/payments/initialize"
	}
	isVerify := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payments/") && strings.HasSuffix(r.URL.Path, "/verify")
	}
	isRetrieve := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payments/") && !strings.HasSuffix(r.URL.Path, "/verify")
	}
	suite.Hostile(t, suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			srv = monerootest.NewServer()
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(opts...)
			require.NoError(t, err)
			return c
		},
		NewRequest:  validRequest,
		Pay:         func(t *testing.T, s *payments.Session) { require.NoError(t, srv.Pay(s.ID)) },
		Secrets:     []string{monerootest.SecretKey, monerootest.WebhookSecret},
		Create:      isInitialize,
		Verify:      isVerify,
		RedirectURL: isRetrieve,
		// Refund is nil: Moneroo has no refund API, and the suite checks
		// that Refund sends nothing.
		Extra: []suite.HostileOp{
			{Name: "InitializePayment", Match: isInitialize, Unsafe: true,
				Prepare: func(*testing.T, payments.Checkout) string { return "" },
				Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
					_, err := c.(*moneroo.Client).InitializePayment(ctx, initializeRequest())
					return nil, err
				},
				Skip: map[string]string{"another id": "an initialize asks about no payment", "unknown status": "an initialize answers no status"}},
			{Name: "VerifyPayment", Match: isVerify, Prepare: created,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					t, err := c.(*moneroo.Client).VerifyPayment(ctx, id)
					return transactionStatus(t), err
				}},
			{Name: "RetrievePayment", Match: isRetrieve, Prepare: created,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					t, err := c.(*moneroo.Client).RetrievePayment(ctx, id)
					return transactionStatus(t), err
				}},
			{Name: "PaymentMethods", Prepare: func(*testing.T, payments.Checkout) string { return "" },
				Match: func(r *http.Request, _ []byte) bool {
					return r.Method == http.MethodGet && r.URL.Path == "/utils/payment/methods"
				},
				Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
					_, err := c.(*moneroo.Client).PaymentMethods(ctx)
					return nil, err
				},
				Skip: map[string]string{"another id": "the catalogue is about no payment", "unknown status": "the catalogue has no status"}},
		},
	})
}

// transactionStatus returns t's status as a Payment, for the suite's
// unknown-status cells, which read Status and ProviderStatus.
func transactionStatus(t *moneroo.Transaction) *payments.Payment {
	if t == nil {
		return nil
	}
	return &payments.Payment{ID: t.ID, Status: t.PaymentStatus(), ProviderStatus: t.Status, Raw: t.Raw}
}

// initializeRequest is a body Moneroo's initialize takes.
func initializeRequest() *moneroo.InitializeRequest {
	return &moneroo.InitializeRequest{
		Amount: "5000", Currency: "XOF", Description: "Two bags of rice",
		ReturnURL: "https://shop.example.com/return",
		Customer:  moneroo.CustomerInput{Email: "awa@example.com", FirstName: "Awa", LastName: "Diallo"},
		Metadata:  map[string]string{"order": "order-1"},
	}
}

// TestHostileProviderRefundByPayout crosses the refund by payout (its
// payout POST, Unsafe: never sent twice unless it surely never arrived)
// and the typed payout calls with a provider that answers badly.
func TestHostileProviderRefundByPayout(t *testing.T) {
	var srv *monerootest.Server
	isPayout := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/v1/payouts/initialize"
	}
	isPayoutVerify := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payouts/") && strings.HasSuffix(r.URL.Path, "/verify")
	}
	isPayoutRetrieve := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payouts/") && !strings.HasSuffix(r.URL.Path, "/verify")
	}
	// paidOut makes a payout at the working simulator and returns its id.
	paidOut := func(t *testing.T, c payments.Checkout) string {
		out, err := c.(*moneroo.Client).InitializePayout(context.Background(), docsPayout())
		require.NoError(t, err, "InitializePayout against the simulator")
		return out.ID
	}
	none := func(*testing.T, payments.Checkout) string { return "" }
	suite.Hostile(t, suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			srv = monerootest.NewServer()
			t.Cleanup(srv.Close)
			c, err := moneroo.New(moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret, RefundByPayout: true},
				append([]payments.Option{payments.WithBaseURL(srv.URL)}, opts...)...)
			require.NoError(t, err)
			return c
		},
		NewRequest: refundableRequest,
		Pay: func(t *testing.T, s *payments.Session) {
			_, err := srv.Walk(context.Background(), s, true)
			require.NoError(t, err)
		},
		Secrets: []string{monerootest.SecretKey, monerootest.WebhookSecret},
		Create: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodPost && r.URL.Path == "/v1/payments/initialize"
		},
		Verify: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payments/") && strings.HasSuffix(r.URL.Path, "/verify")
		},
		RedirectURL: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payments/") && !strings.HasSuffix(r.URL.Path, "/verify")
		},
		Refund: isPayout,
		Extra: []suite.HostileOp{
			{Name: "InitializePayout", Match: isPayout, Unsafe: true, Prepare: none,
				Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
					out, err := c.(*moneroo.Client).InitializePayout(ctx, docsPayout())
					if out != nil {
						return &payments.Payment{Raw: out.Raw}, err
					}
					return nil, err
				},
				Skip: map[string]string{"another id": "an initialize asks about no payout", "unknown status": "an initialize answers no status"}},
			{Name: "VerifyPayout", Match: isPayoutVerify, Prepare: paidOut,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					p, err := c.(*moneroo.Client).VerifyPayout(ctx, id)
					return payoutStatus(p), err
				}},
			{Name: "RetrievePayout", Match: isPayoutRetrieve, Prepare: paidOut,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					p, err := c.(*moneroo.Client).RetrievePayout(ctx, id)
					return payoutStatus(p), err
				}},
		},
	})
}

// payoutStatus returns p's status as a Payment, for the suite's
// unknown-status cells.
func payoutStatus(p *moneroo.Payout) *payments.Payment {
	if p == nil {
		return nil
	}
	return &payments.Payment{ID: p.ID, Status: p.PayoutStatus(), ProviderStatus: p.Status, Raw: p.Raw}
}
