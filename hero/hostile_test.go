package hero_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/paymentstest/suite"
)

// Every Hero operation is a POST to /api/graphql: the suite's matchers tell
// them apart by the operation the body names.
func operation(name string) func(*http.Request, []byte) bool {
	var prefixes [][]byte
	for _, kind := range []string{"query ", "mutation "} {
		prefixes = append(prefixes, []byte(`{"query":"`+kind+name+`(`))
	}
	return func(r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/api/graphql" {
			return false
		}
		for _, p := range prefixes {
			if bytes.HasPrefix(body, p) {
				return true
			}
		}
		return false
	}
}

// noStatus is why the suite's unknown status cannot apply to Hero.
const noStatus = "Hero's answer has no status field: isSuccess and error say it all, and an error Hero has not documented reads failed"

func TestHostileProvider(t *testing.T) {
	var srv *herotest.Server
	created := func(t *testing.T, c payments.Checkout) string {
		s, err := c.Create(context.Background(), validRequest())
		require.NoError(t, err, "Create against the simulator")
		return s.ID
	}
	none := func(*testing.T, payments.Checkout) string { return "" }
	noPayment := map[string]string{
		"another id":     "the answer names no payment",
		"unknown status": "the answer carries no status",
	}
	suite.Hostile(t, suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			srv = herotest.NewServer()
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(opts...)
			require.NoError(t, err)
			return c
		},
		NewRequest:  validRequest,
		Pay:         func(t *testing.T, s *payments.Session) { require.NoError(t, srv.Pay(s.ID)) },
		Secrets:     []string{herotest.APIKey},
		Create:      operation("createPayment"),
		Verify:      operation("getPaymentsInfos"),
		RedirectURL: operation("getPaymentsInfos"),
		Refund:      operation("refundPaymentCheckout"),
		// The fault rewrites no key of Hero's answer, only their order,
		// which the suite counts as a rewrite.
		Skip: map[string]string{"Verify/unknown status": noStatus},
		Extra: []suite.HostileOp{
			{
				// Create's second request: the payment exists by then.
				Name: "Create/setOrderId", Match: operation("setOrderId"), Prepare: none,
				Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
					_, err := c.Create(ctx, validRequest())
					return nil, err
				},
				Skip: map[string]string{
					"another id":     "the answer names no payment",
					"unknown status": "the answer carries no status",
					// TestSetOrderIDFailingKeepsThePayment checks this case:
					// setOrderId never left, but createPayment did, so
					// Create's error must say the request may have arrived.
					"connection refused": "createPayment reached Hero before setOrderId was refused: Create's error is MaybeSent",
				},
			},
			{
				Name: "SetOrderID", Match: operation("setOrderId"), Prepare: created,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					return nil, c.(*hero.Client).SetOrderID(ctx, id, "order-hostile")
				},
				Skip: noPayment,
			},
			{
				Name: "VerifyMany", Match: operation("getPaymentsInfos"), Prepare: created,
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					got, err := c.(*hero.Client).VerifyMany(ctx, []string{id, "payment_unknown_1"})
					return got[id], err
				},
				Skip: map[string]string{"unknown status": noStatus},
			},
			{
				Name: "AvailablePaymentTypes", Match: operation("availablePaymentTypes"), Prepare: none,
				Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
					_, err := c.(*hero.Client).AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 5000, CustomerReference: "cust_42"})
					return nil, err
				},
				Skip: noPayment,
			},
		},
	})
}
