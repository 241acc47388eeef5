package paymentsotel_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/moneroo/monerootest"
)

// A checkout's whole life against each simulator (create, pay, verify,
// refund where the provider has refunds, and the provider's own reads) must
// leave no id, secret or customer detail in any span: only templates.

// journey runs a checkout against one simulator with the given client
// options, and returns what no span may contain.
type journey func(t *testing.T, ctx context.Context, opts []payments.Option) (forbidden []string)

func monerooJourney(t *testing.T, ctx context.Context, opts []payments.Option) []string {
	srv := monerootest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(opts...)
	require.NoError(t, err)
	s, err := c.Create(ctx, monerooOrder())
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatusSucceeded, p.Status)
	_, err = c.RetrievePayment(ctx, s.ID)
	require.NoError(t, err)
	return []string{s.ID, monerootest.SecretKey, "awa@example.com", "Diallo", "order-42"}
}

func hub2Journey(t *testing.T, ctx context.Context, opts []payments.Option) []string {
	srv := hub2test.NewServer()
	t.Cleanup(srv.Close)
	c, err := hub2.New(hub2.Config{APIKey: hub2test.APIKey, MerchantID: hub2test.MerchantID, WebhookSecrets: []string{hub2test.WebhookSecret}},
		append([]payments.Option{payments.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
		Reference: "order-42",
		ReturnURL: "https://shop.example.com/return?order=42",
		Customer:  &payments.Customer{Reference: "customer_42"},
		Options:   hub2.Options{Country: hub2test.Country, Provider: hub2test.ProviderRedirect, MSISDN: hub2test.TestMSISDN},
	})
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatusSucceeded, p.Status)
	pi, err := c.GetPaymentIntent(ctx, s.ID)
	require.NoError(t, err)
	require.NotEmpty(t, pi.Payments)
	_, err = c.PaymentStatus(ctx, pi.Payments[0].ID)
	require.NoError(t, err)
	_, err = c.PaymentFees(ctx, s.ID, hub2.FeesQuery{Country: hub2test.Country, Provider: hub2test.ProviderRedirect})
	require.NoError(t, err)
	return []string{s.ID, pi.Payments[0].ID, hub2test.APIKey, hub2test.TestMSISDN, "customer_42", "order-42"}
}

func helloassoJourney(t *testing.T, ctx context.Context, opts []payments.Option) []string {
	srv := helloassotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := helloasso.New(helloasso.Config{
		ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug, SignatureKey: helloassotest.SignatureKey,
	}, append([]payments.Option{payments.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   "A42",
		Description: "Adhésion 2025",
		Customer: &payments.Customer{
			FirstName: "Jean", LastName: "Dupont", Email: "jean.dupont@example.org",
			DateOfBirth:    time.Date(1986, 7, 6, 0, 0, 0, 0, time.UTC),
			BillingAddress: &payments.Address{Line1: "23 rue du Palmier", City: "Paris", ZipCode: "75000", Country: "FR"},
		},
		ReturnURL: "https://shop.example.org/helloasso/return?ref=A42",
	})
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	require.True(t, p.Status.Paid(), p.Status)
	id, err := strconv.ParseInt(s.ID, 10, 64)
	require.NoError(t, err)
	ci, err := c.GetCheckoutIntent(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, ci.Order)
	require.NotEmpty(t, ci.Order.Payments)
	_, err = c.GetOrder(ctx, ci.Order.ID)
	require.NoError(t, err)
	payID := ci.Order.Payments[0].ID
	_, err = c.GetPayment(ctx, payID)
	require.NoError(t, err)
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Reason: "changed my mind"})
	require.NoError(t, err)
	forbidden := []string{s.ID, strconv.FormatInt(ci.Order.ID, 10), strconv.FormatInt(payID, 10),
		helloassotest.OrganizationSlug, helloassotest.ClientSecret, "jean.dupont@example.org", "Dupont", "A42"}
	if r.ID != "" {
		forbidden = append(forbidden, r.ID)
	}
	return forbidden
}

func heroJourney(t *testing.T, ctx context.Context, opts []payments.Option) []string {
	srv := herotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := hero.New(hero.Config{APIKey: herotest.APIKey, PaymentPageURL: srv.URL},
		append([]payments.Option{payments.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	s, err := c.Create(ctx, payments.CreateRequest{
		Amount:    payments.Money{Amount: 5000, Currency: "EUR"},
		Reference: "order-42",
		ReturnURL: "https://shop.example.com/hero/return?lang=fr",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000", Reference: "cust_42",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001", Country: "FR"},
		},
	})
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatusSucceeded, p.Status)
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}})
	require.NoError(t, err)
	forbidden := []string{s.ID, herotest.APIKey, "laura@example.com", "Super Corp", "cust_42", "order-42"}
	if r.ID != "" {
		forbidden = append(forbidden, r.ID)
	}
	return forbidden
}

func TestNoSpanNamesAPaymentOrASecret(t *testing.T) {
	for _, tc := range []struct {
		provider payments.ProviderName
		run      journey
		routes   []string // url.template values the journey must show
	}{
		{payments.Moneroo, monerooJourney, []string{"/v1/payments/initialize", "/v1/payments/{paymentId}/verify", "/v1/payments/{paymentId}"}},
		{payments.Hub2, hub2Journey, []string{"/payment-intents", "/payment-intents/{intentId}/payments", "/payment-intents/{intentId}",
			"/payments/{paymentId}/status", "/payment-intents/{intentId}/payment-fees"}},
		{payments.HelloAsso, helloassoJourney, []string{"/oauth2/token", "/v5/organizations/{organizationSlug}/checkout-intents",
			"/v5/organizations/{organizationSlug}/checkout-intents/{checkoutIntentId}", "/v5/orders/{orderId}",
			"/v5/payments/{paymentId}", "/v5/payments/{paymentId}/refund"}},
		{payments.Hero, heroJourney, []string{"/api/graphql"}},
	} {
		t.Run(string(tc.provider), func(t *testing.T) {
			tm := newTelemetry(t)
			ctx := context.Background()
			forbidden := tc.run(t, ctx, []payments.Option{payments.WithObserver(tm.obs)})
			spans := tm.ended()
			require.NotEmpty(t, spans)

			templates := map[string]bool{}
			for _, s := range spans {
				if v, ok := attrs(s)["url.template"]; ok {
					templates[v.AsString()] = true
				}
				for _, text := range spanText(s) {
					for _, f := range forbidden {
						assert.NotContains(t, text, f, "span %q", s.Name())
					}
				}
				if s.SpanKind().String() == "client" {
					assert.Equal(t, string(tc.provider), attrs(s)["payments.provider"].AsString())
				}
			}
			for _, r := range tc.routes {
				assert.True(t, templates[r], "%s among %v", r, templates)
			}
		})
	}
}

// spanText is every string a span carries: its name, its string
// attributes, its status, its events'.
func spanText(s sdktrace.ReadOnlySpan) []string {
	out := []string{s.Name(), s.Status().Description}
	add := func(kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			if kv.Value.Type() == attribute.STRING || kv.Value.Type() == attribute.STRINGSLICE {
				out = append(out, kv.Value.Emit())
			}
		}
	}
	add(s.Attributes())
	for _, e := range s.Events() {
		out = append(out, e.Name)
		add(e.Attributes)
	}
	return out
}

func TestATokenRequestIsAnOperationWithinTheAttemptThatNeededIt(t *testing.T) {
	tm := newTelemetry(t)
	helloassoJourney(t, context.Background(), []payments.Option{payments.WithObserver(tm.obs)})
	var token sdktrace.ReadOnlySpan
	for _, s := range tm.ended() {
		if strings.HasPrefix(s.Name(), "helloasso ") && attrs(s)["payments.operation"].AsString() != "" &&
			len(tm.childrenOf(s)) == 1 && attrs(tm.childrenOf(s)[0])["url.template"].AsString() == "/oauth2/token" {
			token = s
		}
	}
	require.NotNil(t, token, "an operation span whose attempt asks for a token, among %v", names(tm.ended()))
	var parent sdktrace.ReadOnlySpan
	for _, s := range tm.ended() {
		if s.SpanContext().SpanID() == token.Parent().SpanID() {
			parent = s
		}
	}
	require.NotNil(t, parent, "the token operation has a parent")
	assert.Equal(t, "POST /v5/organizations/{organizationSlug}/checkout-intents", parent.Name(), "the first call's attempt")
}

// Hero reports its failures inside a 200 (GraphQL errors, a GqlHeroError
// member): the operation's span and the error count must say so, though
// the HTTP exchange went well.
func TestAFailureHeroSendsInA200IsTheOperations(t *testing.T) {
	tm := newTelemetry(t)
	srv, c := herotest.Start(t, payments.WithObserver(tm.obs))
	ctx := context.Background()
	order := payments.CreateRequest{
		Amount: payments.Money{Amount: 5000, Currency: "EUR"}, Reference: "order-42",
		ReturnURL: "https://shop.example.com/hero/return",
		Customer: &payments.Customer{CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000", Reference: "cust_42",
			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001", Country: "FR"}},
	}
	s, err := c.Create(ctx, order)
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	srv.FailNextRefund("FUNCTIONAL_ERROR", "BA_BALANCE_INSUFFICIENT")
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "EUR"}})
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	srv.DisableMerchant(true)
	_, err = c.Create(ctx, order)
	var cerr *payments.Error
	require.ErrorAs(t, err, &cerr)

	refund := tm.one(t, "hero refundPaymentCheckout")
	assert.Equal(t, string(perr.Kind), attrs(refund)["error.type"].AsString())
	attempts := tm.childrenOf(refund)
	require.Len(t, attempts, 1)
	assert.Equal(t, int64(200), attrs(attempts[0])["http.response.status_code"].AsInt64())
	creates := tm.named("hero createPayment")
	require.Len(t, creates, 2)
	assert.NotContains(t, attrs(creates[0]), attribute.Key("error.type"))
	assert.Equal(t, string(cerr.Kind), attrs(creates[1])["error.type"].AsString())

	m := tm.collect(t)
	assert.Equal(t, map[string]int64{
		"error.type=" + string(perr.Kind) + ",payments.operation=refundPaymentCheckout,payments.provider=hero": 1,
		"error.type=" + string(cerr.Kind) + ",payments.operation=createPayment,payments.provider=hero":         1,
	}, counts(t, m["payments.client.errors"]))
}
