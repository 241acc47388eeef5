package helloasso_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/paymentstest/suite"
)

// noBody is why the faults that change an answer's JSON do not apply to
// CancelOrder: no source shows a body in HelloAsso's answer, and it reads none.
const noBody = "CancelOrder reads no answer body: no source shows HelloAsso sending one"

// coldOp is the operation whose cells need a client without a token: its
// faults hit the first token request.
const coldOp = "Token request"

func TestHostileProvider(t *testing.T) {
	var (
		srv *helloassotest.Server
		mu  sync.Mutex
		// What Prepare learnt for Run, by the id it returned.
		events  = map[string]*payments.Event{}
		returns = map[string]url.Values{}
	)
	client := func(c payments.Checkout) *helloasso.Client { return c.(*helloasso.Client) }
	created := func(t *testing.T, c payments.Checkout) *payments.Session {
		s, err := c.Create(context.Background(), validRequest())
		require.NoError(t, err, "Create against the working provider")
		return s
	}
	// paidOrder pays a new checkout and returns its order's id.
	paidOrder := func(t *testing.T, c payments.Checkout) (*payments.Session, string) {
		s := created(t, c)
		require.NoError(t, srv.Pay(s.ID))
		id, err := strconv.ParseInt(s.ID, 10, 64)
		require.NoError(t, err)
		ci, err := client(c).GetCheckoutIntent(context.Background(), id)
		require.NoError(t, err)
		require.NotNil(t, ci.Order)
		return s, strconv.FormatInt(ci.Order.ID, 10)
	}
	number := func(id string) int64 {
		n, _ := strconv.ParseInt(id, 10, 64)
		return n
	}
	// paymentOf pays a new checkout and returns HelloAsso's payment id.
	paymentOf := func(t *testing.T, c payments.Checkout) string {
		s, _ := paidOrder(t, c)
		ci, err := client(c).GetCheckoutIntent(context.Background(), number(s.ID))
		require.NoError(t, err)
		return strconv.FormatInt(ci.Order.Payments[0].ID, 10)
	}
	isPath := func(method, prefix string) func(r *http.Request, _ []byte) bool {
		return func(r *http.Request, _ []byte) bool {
			return r.Method == method && strings.HasPrefix(r.URL.Path, prefix)
		}
	}
	intent := isPath(http.MethodGet, "/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents/")
	order := isPath(http.MethodGet, "/v5/orders/")
	refund := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v5/payments/") && strings.HasSuffix(r.URL.Path, "/refund")
	}
	grant := func(g string) func(r *http.Request, body []byte) bool {
		return func(r *http.Request, body []byte) bool {
			form, _ := url.ParseQuery(string(body))
			return r.Method == http.MethodPost && r.URL.Path == "/oauth2/token" && form.Get("grant_type") == g
		}
	}

	suite.Hostile(t, suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			srv = helloassotest.NewServer()
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(opts...)
			require.NoError(t, err)
			if !strings.Contains(t.Name(), "/"+strings.ReplaceAll(coldOp, " ", "_")+"/") {
				// A warm client, as in a running service: the suite learns
				// the provider's host from this first request, and the
				// operations' faults hit their own requests.
				_, err := c.TokenSource().Token()
				require.NoError(t, err)
			}
			return c
		},
		NewRequest: validRequest,
		Pay:        func(t *testing.T, s *payments.Session) { require.NoError(t, srv.Pay(s.ID)) },
		Secrets:    []string{helloassotest.ClientSecret, helloassotest.SignatureKey},
		Create:     isPath(http.MethodPost, "/v5/organizations/"+helloassotest.OrganizationSlug+"/checkout-intents"),
		Verify:     intent,
		// RedirectURL reads the intent too.
		RedirectURL: intent,
		Refund:      refund,
		Extra: []suite.HostileOp{
			{
				// A cold client's first call asks for a token with client
				// credentials: the checkout is made by another client.
				Name: coldOp, Match: grant("client_credentials"),
				Prepare: func(t *testing.T, _ payments.Checkout) string {
					other, err := srv.NewClient()
					require.NoError(t, err)
					return created(t, other).ID
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					return c.Verify(ctx, id)
				},
			},
			{
				// A client whose token is no longer usable renews it with
				// the refresh-token grant.
				Name: "Refresh token", Match: grant("refresh_token"),
				Prepare: func(t *testing.T, c payments.Checkout) string {
					s := created(t, c)
					inv, ok := client(c).TokenSource().(interface{ Invalidate(context.Context) error })
					require.True(t, ok, "the token source can be invalidated")
					require.NoError(t, inv.Invalidate(context.Background()))
					return s.ID
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					return c.Verify(ctx, id)
				},
			},
			{
				// Refund reads the intent to find HelloAsso's payment: a bad
				// answer there must never lead to refunding anything.
				Name: "Refund's intent read", Match: intent,
				Prepare: func(t *testing.T, c payments.Checkout) string {
					s := created(t, c)
					require.NoError(t, srv.Pay(s.ID))
					return s.ID
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id})
					return nil, err
				},
			},
			{
				Name: "GetCheckoutIntent", Match: intent,
				Prepare: func(t *testing.T, c payments.Checkout) string {
					s, _ := paidOrder(t, c)
					return s.ID
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					_, err := client(c).GetCheckoutIntent(ctx, number(id))
					return nil, err
				},
			},
			{
				Name: "GetPayment", Match: isPath(http.MethodGet, "/v5/payments/"),
				Prepare: func(t *testing.T, c payments.Checkout) string { return paymentOf(t, c) },
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					_, err := client(c).GetPayment(ctx, number(id))
					return nil, err
				},
			},
			{
				Name: "RefundPayment", Match: refund, Unsafe: true,
				Prepare: func(t *testing.T, c payments.Checkout) string { return paymentOf(t, c) },
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					_, err := client(c).RefundPayment(ctx, number(id), helloasso.RefundParams{SendRefundMail: true})
					return nil, err
				},
			},
			{
				Name: "CancelOrder", Match: isPath(http.MethodPost, "/v5/orders/"),
				Prepare: func(t *testing.T, c payments.Checkout) string {
					_, id := paidOrder(t, c)
					return id
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					return nil, client(c).CancelOrder(ctx, number(id))
				},
				Skip: map[string]string{
					"truncated JSON": noBody, "empty body": noBody, "null": noBody, "wrong JSON types": noBody,
				},
			},
			{
				Name: "GetOrder", Match: order,
				Prepare: func(t *testing.T, c payments.Checkout) string {
					_, id := paidOrder(t, c)
					return id
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					_, err := client(c).GetOrder(ctx, number(id))
					return nil, err
				},
			},
			{
				// A Payment notification does not name the checkout intent:
				// ResolvePaymentID reads the order it names. The id the faults
				// see is the order's.
				Name: "ResolvePaymentID", Match: order,
				Prepare: func(t *testing.T, c payments.Checkout) string {
					s, id := paidOrder(t, c)
					h, body, err := srv.Notification(s.ID, helloasso.EventPayment)
					require.NoError(t, err)
					ev, err := client(c).ParseWebhook(h, body)
					require.NoError(t, err)
					require.Empty(t, ev.PaymentID, "the notification names no checkout intent")
					mu.Lock()
					events[id] = ev
					mu.Unlock()
					return id
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					mu.Lock()
					ev := events[id]
					mu.Unlock()
					_, err := client(c).ResolvePaymentID(ctx, ev)
					return nil, err
				},
			},
			{
				// A refused card: the intent shows no order, VerifyReturn
				// reads the one the return URL names. The id the faults see
				// is the order's.
				Name: "VerifyReturn", Match: order,
				Prepare: func(t *testing.T, c payments.Checkout) string {
					s := created(t, c)
					back, err := srv.Walk(context.Background(), s, false)
					require.NoError(t, err)
					id := back.Query().Get("orderId")
					require.NotEmpty(t, id)
					mu.Lock()
					returns[id] = back.Query()
					mu.Unlock()
					return id
				},
				Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
					mu.Lock()
					q := returns[id]
					mu.Unlock()
					ret, err := client(c).ParseReturn(q)
					if err != nil {
						return nil, err
					}
					return client(c).VerifyReturn(ctx, ret)
				},
			},
		},
	})
}
