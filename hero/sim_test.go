package hero_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
	"github.com/unipay/payments/paymentstest"
)

// These tests drive the adapter against the simulator.

func TestAwkwardTextRoundTrips(t *testing.T) {
	srv, c := newSim(t)
	req := validRequest()
	name := "Super \"Corp\" } { mutation Second line \\ 'quoted' ${x} é"
	req.Customer.CompanyName = name
	req.Customer.BillingAddress.Line1 = `10 "Rue" de l'Église`
	req.Reference = `order "42" & co`
	req.ReturnURL = "https://shop.example.com/hero/return?lang=fr&q=a%20b#done"
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err)

	p, ok := srv.Payment(s.ID)
	require.True(t, ok)
	assert.Equal(t, name, p.Issuer.Name)
	assert.Equal(t, `10 "Rue" de l'Église`, p.Issuer.Address.Line1)
	assert.Equal(t, `order "42" & co`, p.OrderID, "setOrderId got the Reference")
	assert.Equal(t, "https://shop.example.com/hero/return?lang=fr&q=a%20b&hero_ref=order+%2242%22+%26+co#done", p.RedirectURI,
		"the merchant's query is kept as it was")

	u, err := url.Parse(p.RedirectURI)
	require.NoError(t, err)
	r, err := c.ParseReturn(u.Query())
	require.NoError(t, err)
	assert.Equal(t, req.Reference, r.Reference)
	assert.Equal(t, "fr", r.Query.Get("lang"))
}

func TestCreateSendsEverythingHeroTakes(t *testing.T) {
	srv, c := newSim(t)
	req := validRequest()
	req.CancelURL = "https://shop.example.com/cart"
	req.Customer.DeliveryAddress = &payments.Address{Line1: "2 High Street", City: "Lyon", ZipCode: "69001"}
	req.Options = &hero.Options{Type: hero.Pay3X, CompanyName: "Override SAS", Siren: "882221385"}
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	p, _ := srv.Payment(s.ID)
	assert.Equal(t, "Override SAS", p.Issuer.Name, "Options.CompanyName wins")
	assert.Equal(t, "https://shop.example.com/cart", p.ComebackURI, "CancelURL is the comeback URI")
	assert.Equal(t, "Pay3X", p.Type)
	assert.Equal(t, &herotest.Address{Line1: "2 High Street", City: "Lyon", ZipCode: "69001"}, p.Issuer.DeliveryAddress)
	assert.Equal(t, "cust_42", p.Issuer.CustomerReference)
	assert.Equal(t, "2nd door on the left", p.Issuer.Address.Line2)

	req.Options = hero.Options{ComebackURL: "https://shop.example.com/choose"}
	s, err = c.Create(context.Background(), req)
	require.NoError(t, err)
	p, _ = srv.Payment(s.ID)
	assert.Equal(t, "https://shop.example.com/choose", p.ComebackURI, "Options.ComebackURL wins")
	assert.Equal(t, "Pay1X", p.Type, "the default type")
}

func TestVerifyManyBatches(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	var known []string
	for range 3 {
		s, err := c.Create(ctx, validRequest())
		require.NoError(t, err)
		known = append(known, s.ID)
	}
	require.NoError(t, srv.Pay(known[1]))

	ids := make([]string, 0, 1000)
	for i := range 997 {
		ids = append(ids, "payment_unknown_"+strconv.Itoa(i))
	}
	ids = append(ids, known...)
	before := srv.Requests()
	got, err := c.VerifyMany(ctx, ids)
	require.NoError(t, err)
	assert.LessOrEqual(t, srv.Requests()-before, 10, "1,000 ids in at most 10 requests")
	require.Len(t, got, 3, "unknown ids are absent")
	assert.Equal(t, payments.StatusPending, got[known[0]].Status)
	assert.Equal(t, payments.StatusSucceeded, got[known[1]].Status)
	assert.Equal(t, known[2], got[known[2]].ID)

	before = srv.Requests()
	got, err = c.VerifyMany(ctx, []string{known[0], known[0]})
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.Equal(t, 1, srv.Requests()-before, "an id given twice is asked once")

	// A bad id is refused before anything is sent, named by its index.
	got, err = c.VerifyMany(ctx, []string{known[0], "a/b", ""})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	for _, field := range []string{"paymentIDs[1]", "paymentIDs[2]"} {
		_, ok := perr.Field(field)
		assert.True(t, ok, "%s in %v", field, perr.Fields)
	}
	assert.Empty(t, got)
	assert.Equal(t, 1, srv.Requests()-before)
	got, err = c.VerifyMany(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// paid creates a payment at the simulator and pays it.
func paid(t *testing.T, srv *herotest.Server, c *hero.Client) *payments.Session {
	t.Helper()
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	require.NoError(t, srv.Pay(s.ID))
	return s
}

func TestRefunds(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s := paid(t, srv, c)

	// Above the paid amount: Hero's INVALID_AMOUNT, kept as Code.
	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(5001)})
	requireHeroError(t, err, payments.ErrInvalidRequest, "INVALID_AMOUNT")

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(2000)})
	require.NoError(t, err)
	// Above what remains: AMOUNT_TOO_HIGH.
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(3001)})
	perr := requireHeroError(t, err, payments.ErrInvalidRequest, "AMOUNT_TOO_HIGH")
	assert.Contains(t, perr.Message, "FUNCTIONAL_ERROR: AMOUNT_TOO_HIGH")

	// Refused before sending: dollars, and more than GraphQL's Int.
	before := srv.Requests()
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 100, Currency: "USD"}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1 << 32)})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: struct{}{}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Equal(t, before, srv.Requests())

	// By the paycheckout id, for what remains.
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Options: hero.RefundOptions{PaymentCheckoutID: srv.PaymentCheckoutID(s.ID)}})
	require.NoError(t, err)
	assert.Equal(t, eur(3000), r.Amount)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, eur(5000), p.RefundedAmount)

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.ErrorIs(t, err, payments.ErrConflict, "nothing left")
}

func TestPendingRefunds(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s := paid(t, srv, c)
	srv.HoldRefunds(true)

	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: eur(1000)})
	require.NoError(t, err)
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusPartiallyRefunded, p.Status)
	assert.Equal(t, int64(1000), p.PendingRefundAmount.Amount)
	assert.Zero(t, p.RefundedAmount.Amount)

	// Refunding "the rest" leaves out what is already on its way.
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, int64(4000), r.Amount.Amount)
	p, err = c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	srv.SettleRefunds(s.ID)
	p, err = c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusRefunded, p.Status)
	assert.Equal(t, int64(5000), p.RefundedAmount.Amount)
	assert.Zero(t, p.PendingRefundAmount.Amount)
}

func TestRefundErrorsFromTheSimulator(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	hundred := eur(100)

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: hundred})
	requireHeroError(t, err, payments.ErrConflict, "PAYMENT_NOT_STARTED")

	require.NoError(t, srv.Pay(s.ID))
	for _, tc := range []struct {
		errorCode, message string
		kind               payments.Kind
		code               string
	}{
		{"FUNCTIONAL_ERROR", "BA_BALANCE_INSUFFICIENT", payments.ErrDeclined, "BA_BALANCE_INSUFFICIENT"},
		{"FUNCTIONAL_ERROR", "REFUND_IS_FROZEN", payments.ErrConflict, "REFUND_IS_FROZEN"},
		{"FUNCTIONAL_ERROR", "SOMETHING_NEW", payments.ErrDeclined, "SOMETHING_NEW"},
		{"INTERNAL_SERVER_ERROR", "boom", payments.ErrUnavailable, "INTERNAL_SERVER_ERROR"},
		{"CORE_PAYMENT_REFUND_FAILED", "", payments.ErrUnavailable, "CORE_PAYMENT_REFUND_FAILED"},
		{"UNAUTHORIZED", "UNAUTHORIZED", payments.ErrPermission, "UNAUTHORIZED"},
		{"BRAND_NEW", "", payments.ErrUnavailable, "BRAND_NEW"},
	} {
		srv.FailNextRefund(tc.errorCode, tc.message)
		_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: hundred})
		requireHeroError(t, err, tc.kind, tc.code)
	}

	// Another merchant's payment.
	other, err := hero.New(hero.Config{APIKey: herotest.OtherAPIKey, PaymentPageURL: srv.URL}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = other.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: hundred})
	require.ErrorIs(t, err, payments.ErrPermission)
	_, err = other.Verify(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrNotFound, "another merchant does not see it")
}

func TestCreateErrorsFromTheSimulator(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()

	bad, err := hero.New(hero.Config{APIKey: "not_the_key", PaymentPageURL: srv.URL}, payments.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.Create(ctx, validRequest())
	perr := requireHeroError(t, err, payments.ErrAuthentication, "NOT_LOGGED")
	assert.NotContains(t, string(perr.Raw), "not_the_key")

	req := validRequest()
	req.Options = hero.Options{Type: hero.Pay45D}
	_, err = c.Create(ctx, req)
	requireHeroError(t, err, payments.ErrInvalidRequest, "INVALID_PAYMENT_TYPE")

	srv.SetPaymentLimits(10000, 20000)
	_, err = c.Create(ctx, validRequest())
	perr = requireHeroError(t, err, payments.ErrInvalidRequest, "")
	assert.Equal(t, "Amount 5000 is smaller than paymentMin 10000", perr.Message)
	_, ok := perr.Field("Amount")
	assert.True(t, ok)

	srv.SetPaymentLimits(100, 20000)
	srv.DisableMerchant(true)
	_, err = c.Create(ctx, validRequest())
	require.ErrorIs(t, err, payments.ErrPermission)
	assert.Zero(t, srv.Payments())
}

func TestDeclinedExpiredAndResumed(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)

	page, err := c.RedirectURL(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/checkout/"+s.ID, page)

	require.NoError(t, srv.Expire(s.ID))
	p, err := c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, payments.StatusFailed, p.Status)
	assert.Equal(t, herotest.ErrExpired, p.FailureCode)
	assert.Equal(t, "isSuccess=false error=PAYMENT_EXPIRED", p.ProviderStatus)
	_, err = c.RedirectURL(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrConflict)
	_, err = c.RedirectURL(ctx, "payment_unknown")
	require.ErrorIs(t, err, payments.ErrNotFound)
	_, err = c.Verify(ctx, " ")
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
}

func TestCustomerComesBackTwice(t *testing.T) {
	srv, c := newSim(t)
	ctx := context.Background()
	req := validRequest()
	s, err := c.Create(ctx, req)
	require.NoError(t, err)
	first := walk(t, srv, s, true)
	second := walk(t, srv, s, true)
	assert.Equal(t, first, second)
	for _, q := range []url.Values{first, second} {
		r, err := c.ParseReturn(q)
		require.NoError(t, err)
		assert.Equal(t, req.Reference, r.Reference)
		_, err = payments.VerifyPaid(ctx, c, s.ID, req.Amount)
		require.NoError(t, err)
	}
}

func TestFaults(t *testing.T) {
	srv, c := newSim(t, payments.WithRetries(2))
	ctx := context.Background()
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)

	// A read survives a 503 and a 429: it is retried.
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable), paymentstest.RateLimited(0))
	_, err = c.Verify(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Faults.Injected())

	// createPayment after a 503 is not retried: it may have been made.
	before := srv.Requests()
	srv.Faults.Add(paymentstest.ServerError(http.StatusServiceUnavailable))
	_, err = c.Create(ctx, validRequest())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 1, srv.Requests()-before)

	// A 429 proves createPayment was not handled: it is retried.
	before = srv.Requests()
	srv.Faults.Add(paymentstest.RateLimited(0))
	_, err = c.Create(ctx, validRequest())
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Requests()-before, "429, createPayment, setOrderId")

	srv.Faults.Add(paymentstest.Truncated())
	_, err = c.Verify(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrMalformedResponse)

	srv.Faults.Add(paymentstest.Fault{Status: http.StatusBadGateway, Body: "<html>502</html>", Times: 3})
	_, err = c.Verify(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrUnavailable)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "<html>502</html>", string(perr.Raw))

	// setOrderId failing after createPayment: the session comes back with
	// the error, so the payment id is not lost.
	// A fault with no status lets createPayment through; setOrderId then
	// meets a 502 on every attempt.
	srv.Faults.Add(paymentstest.Fault{}, paymentstest.Fault{Status: http.StatusBadGateway, Times: 3})
	s2, err := c.Create(ctx, validRequest())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	require.NotNil(t, s2)
	assert.NotEmpty(t, s2.ID)
	_, ok := srv.Payment(s2.ID)
	assert.True(t, ok)
}

func TestRateLimitedBySimulator(t *testing.T) {
	srv, c := newSim(t, payments.WithRetries(0))
	srv.SetRateLimit(2, 1000)
	ctx := context.Background()
	var err error
	for range 3 {
		_, err = c.AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 5000, CustomerReference: "c"})
	}
	require.ErrorIs(t, err, payments.ErrRateLimited)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, http.StatusTooManyRequests, perr.HTTPStatus)
}

func TestAvailablePaymentTypesFromTheSimulator(t *testing.T) {
	srv, c := newSim(t)
	srv.SetPaymentTypes("Pay1X", "Pay60D")
	types, err := c.AvailablePaymentTypes(context.Background(), hero.AvailablePaymentTypesInput{Amount: 5000, CustomerReference: "c"})
	require.NoError(t, err)
	assert.Equal(t, []hero.PaymentType{hero.Pay1X, hero.Pay60D}, types)
	_, err = c.AvailablePaymentTypes(context.Background(), hero.AvailablePaymentTypesInput{Amount: 1 << 40})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
}

func TestCapabilities(t *testing.T) {
	_, c := newSim(t)
	caps := c.Capabilities()
	assert.Equal(t, payments.Capabilities{Refund: true, PartialRefund: true, ReturnURL: true, Currencies: []string{"EUR"}}, caps)
	assert.Equal(t, payments.Hero, c.Provider())
	_, isParser := any(c).(payments.WebhookParser)
	assert.False(t, isParser, "Hero has no webhooks")
}
