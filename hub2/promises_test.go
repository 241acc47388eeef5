package hub2_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest"
)

// The promises of issue 10, each held against Hub2's answers: an answer
// about another payment proves nothing, Raw is kept and scrubbed, a body
// that is not what the operation expects is malformed, and bad input is
// refused before anything is sent.

// answer queues a 200 JSON answer with body for the next request to path.
func answer(srv *hub2test.Server, method, path, body string) {
	srv.Faults.Add(paymentstest.Fault{Method: method, Path: path, Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: body})
}

// intentBody returns the intent as Hub2 answers a read of it, token
// included.
func intentBody(t *testing.T, srv *hub2test.Server, id string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/payment-intents/"+id, nil)
	require.NoError(t, err)
	req.Header.Set("ApiKey", hub2test.APIKey)
	req.Header.Set("MerchantId", hub2test.MerchantID)
	req.Header.Set("Environment", "sandbox")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	return string(b)
}

func requireIntegrity(t *testing.T, err error, raw string) {
	t.Helper()
	require.ErrorIs(t, err, payments.ErrIntegrity)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Contains(t, string(perr.Raw), raw, "Raw keeps the answer")
}

// TestAnAnswerAboutAnotherIntentProvesNothing: Hub2 answering a read of
// intent A with paid intent B must not make A look paid (issue 10: "a
// succeeded answer about intent B given to Verify(A) makes VerifyPaid(A)
// succeed"). Every operation that names an intent or a payment checks the
// answer is about it.
func TestAnAnswerAboutAnotherIntentProvesNothing(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t, payments.WithRetries(0))
	unpaid, err := c.Create(ctx, order(hub2test.ProviderRedirect))
	require.NoError(t, err)
	paid, err := c.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, srv.Pay(paid.ID))
	paidBody := intentBody(t, srv, paid.ID)
	paidStatus := `{"id":"` + paid.ID + `","status":"successful"}`

	answer(srv, http.MethodGet, "/payment-intents/"+unpaid.ID, paidBody)
	_, err = payments.VerifyPaid(ctx, c, unpaid.ID, xof5000)
	requireIntegrity(t, err, paid.ID)

	answer(srv, http.MethodGet, "/payment-intents/"+unpaid.ID, paidBody)
	_, err = c.RedirectURL(ctx, unpaid.ID)
	requireIntegrity(t, err, paid.ID)

	answer(srv, http.MethodGet, "/payment-intents/"+unpaid.ID, paidBody)
	_, err = c.GetPaymentIntent(ctx, unpaid.ID)
	requireIntegrity(t, err, paid.ID)

	answer(srv, http.MethodGet, "/payment-intents/"+unpaid.ID+"/status", paidStatus)
	_, err = c.PaymentIntentStatus(ctx, unpaid.ID)
	requireIntegrity(t, err, paid.ID)

	// WaitForFinal on a paid intent reads its status, then the intent.
	waiting, err := c.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	require.NoError(t, srv.Pay(waiting.ID))
	answer(srv, http.MethodGet, "/payment-intents/"+waiting.ID+"/status", paidStatus)
	_, err = c.WaitForFinal(ctx, waiting.ID)
	requireIntegrity(t, err, paid.ID)
	answer(srv, http.MethodGet, "/payment-intents/"+waiting.ID, strings.ReplaceAll(paidBody, `"status":"successful"`, `"status":"successful" `))
	answer(srv, http.MethodGet, "/payment-intents/"+waiting.ID, paidBody)
	_, err = c.WaitForFinal(ctx, waiting.ID)
	requireIntegrity(t, err, paid.ID)
	srv.Faults.Reset()

	// The attempt's and the OTP's answers too.
	fresh := order("")
	fresh.Options = nil
	s, err := c.Create(ctx, fresh)
	require.NoError(t, err)
	answer(srv, http.MethodPost, "/payment-intents/"+s.ID+"/payments", paidBody)
	_, err = c.AttemptPayment(ctx, s.ID, hub2.AttemptRequest{Token: s.ClientToken, PaymentMethod: hub2.MobileMoney, Country: "CI",
		Provider: "mtn", MobileMoney: &hub2.MobileMoneyDetail{MSISDN: hub2test.TestMSISDN}})
	requireIntegrity(t, err, paid.ID)
	otp, err := c.Create(ctx, order(hub2test.ProviderOTP))
	require.NoError(t, err)
	answer(srv, http.MethodPost, "/payment-intents/"+otp.ID+"/authentication", paidBody)
	_, err = c.Authenticate(ctx, otp.ID, otp.ClientToken, "1234")
	requireIntegrity(t, err, paid.ID)

	// A payment's status, asked by its pay_… id.
	pi, err := c.GetPaymentIntent(ctx, paid.ID)
	require.NoError(t, err)
	payID := pi.LastPayment().ID
	answer(srv, http.MethodGet, "/payments/"+payID+"/status", `{"id":"pay_someoneelse","status":"successful"}`)
	_, err = c.PaymentStatus(ctx, payID)
	requireIntegrity(t, err, "pay_someoneelse")

	// An answer about the right intent that holds another intent's payment.
	mixed := strings.Replace(intentBody(t, srv, unpaid.ID), `"intentId":"`+unpaid.ID+`"`, `"intentId":"`+paid.ID+`"`, 1)
	require.Contains(t, mixed, paid.ID)
	answer(srv, http.MethodGet, "/payment-intents/"+unpaid.ID, mixed)
	_, err = c.Verify(ctx, unpaid.ID)
	requireIntegrity(t, err, paid.ID)

	// The intent read is still the provider's own when nothing is wrong.
	p, err := c.Verify(ctx, unpaid.ID)
	require.NoError(t, err)
	assert.Equal(t, unpaid.ID, p.ID)
}

// TestACreatedIntentForAnotherAmountIsRefused: an intent whose amount or
// currency is not what was asked is not shown to the customer.
func TestACreatedIntentForAnotherAmountIsRefused(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t)
	answer(srv, http.MethodPost, "/payment-intents",
		`{"id":"pi_tffiDaXyWQu203rIXhujW","status":"payment_required","amount":50,"currency":"XOF","payments":[]}`)
	s, err := c.Create(ctx, order(hub2test.ProviderOTP))
	assert.Nil(t, s)
	requireIntegrity(t, err, `"amount":50`)
	assert.Equal(t, 1, srv.Requests(), "no attempt on it")
}

// TestEveryRawIsScrubbedAndKept: Raw fields and errors built from an answer
// keep its body, without the intent's token.
func TestEveryRawIsScrubbedAndKept(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t)
	s, err := c.Create(ctx, order(hub2test.ProviderOTP))
	require.NoError(t, err)
	token := s.ClientToken
	require.NotEmpty(t, token)
	assert.Contains(t, string(s.Raw), s.ID)
	assert.NotContains(t, string(s.Raw), token)

	// An OTP flow waits for no redirection: the error says why, with the
	// intent read.
	_, err = c.RedirectURL(ctx, s.ID)
	require.ErrorIs(t, err, payments.ErrUnsupported)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Contains(t, string(perr.Raw), `"status":"action_required"`, "the answer that shows it")
	assert.NotContains(t, string(perr.Raw), token)
	assert.True(t, payments.MaybeSent(err), "a read was sent")

	// An intent read without its token, when Authenticate needs it.
	answer(srv, http.MethodGet, "/payment-intents/"+s.ID, strings.ReplaceAll(intentBody(t, srv, s.ID), `"token":"`+token+`",`, ""))
	_, err = c.Authenticate(ctx, s.ID, "", "1234")
	require.ErrorIs(t, err, payments.ErrMalformedResponse)
	require.ErrorAs(t, err, &perr)
	assert.Contains(t, string(perr.Raw), s.ID)
}

// TestBodiesThatAreNotTheExpectedObjectAreMalformed: a 200 that is null,
// empty, an array, or an object without the id or status the operation
// needs is ErrMalformedResponse, with the body.
func TestBodiesThatAreNotTheExpectedObjectAreMalformed(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t, payments.WithRetries(0))
	s, err := c.Create(ctx, order(hub2test.ProviderUSSD))
	require.NoError(t, err)
	pi, err := c.GetPaymentIntent(ctx, s.ID)
	require.NoError(t, err)
	payID := pi.LastPayment().ID
	type op struct {
		method, path string
		run          func() error
	}
	ops := map[string]op{
		"Create": {http.MethodPost, "/payment-intents", func() error {
			_, err := c.Create(ctx, order(hub2test.ProviderUSSD))
			return err
		}},
		"Verify":      {http.MethodGet, "/payment-intents/" + s.ID, func() error { _, err := c.Verify(ctx, s.ID); return err }},
		"RedirectURL": {http.MethodGet, "/payment-intents/" + s.ID, func() error { _, err := c.RedirectURL(ctx, s.ID); return err }},
		"PaymentIntentStatus": {http.MethodGet, "/payment-intents/" + s.ID + "/status", func() error {
			_, err := c.PaymentIntentStatus(ctx, s.ID)
			return err
		}},
		"PaymentStatus": {http.MethodGet, "/payments/" + payID, func() error { _, err := c.PaymentStatus(ctx, payID); return err }},
		"Authenticate": {http.MethodPost, "/payment-intents/" + s.ID + "/authentication", func() error {
			_, err := c.Authenticate(ctx, s.ID, s.ClientToken, "1234")
			return err
		}},
		"RegisterWebhook": {http.MethodPost, "/webhooks", func() error {
			_, err := c.RegisterWebhook(ctx, hub2.WebhookRequest{URL: "https://shop.example.com/h", Events: []string{"payment.failed"}})
			return err
		}},
		"PaymentFees": {http.MethodGet, "/payment-intents/" + s.ID + "/payment-fees", func() error {
			_, err := c.PaymentFees(ctx, s.ID, hub2.FeesQuery{Country: "CI", Provider: "mtn"})
			return err
		}},
	}
	bodies := []string{"null", "{}", `{"id":null,"status":null}`, `"pi_x"`, "[]"}
	for name, o := range ops {
		for _, body := range bodies {
			if name == "PaymentFees" && body == "[]" {
				continue // no fees is an answer
			}
			t.Run(name+"/"+body, func(t *testing.T) {
				answer(srv, o.method, o.path, body)
				err := o.run()
				require.ErrorIs(t, err, payments.ErrMalformedResponse)
				var perr *payments.Error
				require.ErrorAs(t, err, &perr)
				assert.Equal(t, body, string(perr.Raw))
				srv.Faults.Reset()
			})
		}
	}
}

// TestTheIntentTokenNeverLeaksFromABrokenAnswer: an intent answer cut
// short, or not JSON, carries the intent's JWT before the client could
// learn it; neither the Debug log nor Error.Raw may show it (issue 10).
func TestTheIntentTokenNeverLeaksFromABrokenAnswer(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpbnRlbnRJZCI6InBpX2xlYWsiLCJtZXJjaGFudElkIjoiMTYifQ.c2lnbmF0dXJlLW9mLXRoZS1pbnRlbnQ_-x"
	whole := `{"id":"pi_leak","createdAt":"2025-03-01T12:00:00.000Z","amount":5000,"currency":"XOF","token":"` + jwt +
		`","status":"payment_required","payments":[],"mode":"sandbox"}`
	start := strings.Index(whole, jwt)
	var bodies []string
	// Cut anywhere from the key to past the token's end.
	for cut := start - 10; cut <= start+len(jwt)+12; cut++ {
		bodies = append(bodies, whole[:cut])
	}
	bodies = append(bodies,
		strings.Replace(whole, `"status"`, `status`, 1),         // not JSON
		strings.Replace(whole, `"amount":5000`, `"amount":`, 1), // not JSON
		`{"token" : "`+jwt+`" , "id": "pi_leak", }`,             // a trailing comma
		`{"data":{"token":"`+jwt+`"}}garbage`,                   // text after the value
		`<html><body>{"token":"`+jwt+`"}</body></html>`,         // an HTML page around it
		`{"id":"pi_leak","token":"`+jwt+`","amount":[true]}`,    // wrong types
		`{"id":"pi_leak","token":"`+jwt+`","amount":12.5}`,      // a fraction of a franc
	)
	// What would give the token away: any 12 bytes of its claims or
	// signature (its first part is the same for every HS256 JWT).
	secret := jwt[strings.IndexByte(jwt, '.')+1:]
	for i, body := range bodies {
		var logs syncBuffer
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, srv := newSim(t, payments.WithLogger(logger), payments.WithRetries(0))
		answer(srv, http.MethodPost, "/payment-intents", body)
		req := order("")
		req.Options = nil
		_, err := c.Create(context.Background(), req)
		require.ErrorIs(t, err, payments.ErrMalformedResponse, "body %d: %s: %v", i, body, err)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		require.NotEmpty(t, perr.Raw, "body %d: the body is kept", i)
		for _, place := range []string{logs.String(), string(perr.Raw), err.Error()} {
			for j := 0; j+12 <= len(secret); j++ {
				if !assert.NotContains(t, place, secret[j:j+12], "body %d cut at %d", i, len(body)) {
					break
				}
			}
		}
		assert.Contains(t, logs.String(), `"msg":"http response"`, "the answer was logged at Debug")
	}
}

// TestBadInputIsRefusedBeforeAnyRequest: ids that would change the path,
// runaway text, control characters and invalid UTF-8 are refused, naming
// the field, before anything reaches Hub2.
func TestBadInputIsRefusedBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t)
	huge := strings.Repeat("x", 1<<20)
	badIDs := []string{"", "..", ".", "a/b", "../pi_x", "pi_x?token=1", "pi x", "pi_é", "pi\x00", strings.Repeat("p", 129)}
	for _, id := range badIDs {
		for name, run := range map[string]func() error{
			"Verify":      func() error { _, err := c.Verify(ctx, id); return err },
			"RedirectURL": func() error { _, err := c.RedirectURL(ctx, id); return err },
		} {
			requireField(t, run(), "PaymentID", name+" %q", id)
		}
		for name, run := range map[string]func() error{
			"GetPaymentIntent":    func() error { _, err := c.GetPaymentIntent(ctx, id); return err },
			"PaymentIntentStatus": func() error { _, err := c.PaymentIntentStatus(ctx, id); return err },
			"WaitForFinal":        func() error { _, err := c.WaitForFinal(ctx, id); return err },
			"AttemptPayment": func() error {
				_, err := c.AttemptPayment(ctx, id, hub2.AttemptRequest{Token: "t.o.k", PaymentMethod: hub2.MobileMoney, Country: "CI", Provider: "mtn",
					MobileMoney: &hub2.MobileMoneyDetail{MSISDN: hub2test.TestMSISDN}})
				return err
			},
			"Authenticate": func() error { _, err := c.Authenticate(ctx, id, "t.o.k", "1234"); return err },
			"PaymentFees": func() error {
				_, err := c.PaymentFees(ctx, id, hub2.FeesQuery{Country: "CI", Provider: "mtn"})
				return err
			},
		} {
			requireField(t, run(), "intentID", name+" %q", id)
		}
		_, err := c.PaymentStatus(ctx, id)
		requireField(t, err, "paymentID", "PaymentStatus %q", id)
		if id != "" {
			_, err = c.ParseReturn(url.Values{hub2.ReturnIntentParam: {id}})
			requireField(t, err, hub2.ReturnIntentParam, "ParseReturn %q", id)
		}
	}

	create := func(f func(*payments.CreateRequest)) error {
		r := order(hub2test.ProviderOTP)
		f(&r)
		_, err := c.Create(ctx, r)
		return err
	}
	opts := func(f func(*hub2.Options)) func(*payments.CreateRequest) {
		return func(r *payments.CreateRequest) {
			o := r.Options.(hub2.Options)
			f(&o)
			r.Options = o
		}
	}
	for field, f := range map[string]func(*payments.CreateRequest){
		"Reference":            func(r *payments.CreateRequest) { r.Reference = huge },
		"Customer.Reference":   func(r *payments.CreateRequest) { r.Customer.Reference = strings.Repeat("c", hub2.MaxReference+1) },
		"Description":          func(r *payments.CreateRequest) { r.Description = huge },
		`Metadata["note"]`:     func(r *payments.CreateRequest) { r.Metadata = map[string]string{"note": "a\x00b"} },
		"Options.BusinessName": opts(func(o *hub2.Options) { o.BusinessName = strings.Repeat("é", hub2.MaxBusinessName) }),
		"Options.Provider":     opts(func(o *hub2.Options) { o.Provider = strings.Repeat("m", 33) }),
		"Options.MSISDN":       opts(func(o *hub2.Options) { o.MSISDN = huge }),
		"Options.OTP":          opts(func(o *hub2.Options) { o.OTP = "12\n34" }),
		"Options.Workflow":     opts(func(o *hub2.Options) { o.Workflow = huge }),
	} {
		requireField(t, create(f), field, "Create")
	}
	requireField(t, create(opts(func(o *hub2.Options) { o.BusinessName = "Shop\x1b[31m" })), "Options.BusinessName", "Create")
	requireField(t, create(opts(func(o *hub2.Options) { o.BusinessName = "bad \xff" })), "Options.BusinessName", "Create")

	_, err := c.CreatePaymentIntent(ctx, hub2.CreateIntentRequest{PurchaseReference: "o-1", CustomerReference: "c-1", Amount: 5000,
		Currency: "XOF", OverrideBusinessName: huge})
	requireField(t, err, "OverrideBusinessName", "CreatePaymentIntent")

	attempt := func(f func(*hub2.AttemptRequest)) error {
		r := hub2.AttemptRequest{Token: "t.o.k", PaymentMethod: hub2.MobileMoney, Country: "CI", Provider: "mtn",
			MobileMoney: &hub2.MobileMoneyDetail{MSISDN: hub2test.TestMSISDN}}
		f(&r)
		_, err := c.AttemptPayment(ctx, "pi_x", r)
		return err
	}
	for field, f := range map[string]func(*hub2.AttemptRequest){
		"Token":                               func(r *hub2.AttemptRequest) { r.Token = "a token" },
		"PaymentMethod":                       func(r *hub2.AttemptRequest) { r.PaymentMethod = "Mobile Money" },
		"Country":                             func(r *hub2.AttemptRequest) { r.Country = "CIV" },
		"Provider":                            func(r *hub2.AttemptRequest) { r.Provider = huge },
		"MobileMoney":                         func(r *hub2.AttemptRequest) { r.MobileMoney = nil },
		"MobileMoney.MSISDN":                  func(r *hub2.AttemptRequest) { r.MobileMoney.MSISDN = "+2250700000000" },
		"MobileMoney.Workflow":                func(r *hub2.AttemptRequest) { r.MobileMoney.Workflow = "redirection\x00" },
		"MobileMoney.OnSuccessRedirectionURL": func(r *hub2.AttemptRequest) { r.MobileMoney.OnSuccessRedirectionURL = "javascript:x" },
		"OnFinishRedirectionURL":              func(r *hub2.AttemptRequest) { r.OnFinishRedirectionURL = "https://x.example.com/" + huge },
	} {
		requireField(t, attempt(f), field, "AttemptPayment")
	}
	_, err = c.Authenticate(ctx, "pi_x", strings.Repeat("t", hub2.MaxToken+1), "1234")
	requireField(t, err, "token", "Authenticate")
	_, err = c.PaymentFees(ctx, "pi_x", hub2.FeesQuery{Country: "C I", Provider: "mtn"})
	requireField(t, err, "Country", "PaymentFees")

	webhook := func(f func(*hub2.WebhookRequest)) error {
		r := hub2.WebhookRequest{URL: "https://shop.example.com/h", Events: []string{"payment.failed"}}
		f(&r)
		_, err := c.RegisterWebhook(ctx, r)
		return err
	}
	for field, f := range map[string]func(*hub2.WebhookRequest){
		"URL":           func(r *hub2.WebhookRequest) { r.URL = "" },
		"Events":        func(r *hub2.WebhookRequest) { r.Events = slices.Repeat([]string{"payment.failed"}, 51) },
		"Events[1]":     func(r *hub2.WebhookRequest) { r.Events = append(r.Events, "payment.failed&x=1") },
		"Description":   func(r *hub2.WebhookRequest) { r.Description = huge },
		`Metadata["k"]`: func(r *hub2.WebhookRequest) { r.Metadata = map[string]string{"k": "\x00"} },
		"Metadata":      func(r *hub2.WebhookRequest) { r.Metadata = map[string]string{"k": huge} },
	} {
		requireField(t, webhook(f), field, "RegisterWebhook")
	}
	assert.Zero(t, srv.Requests(), "nothing reached Hub2")
}

// requireField checks err is ErrInvalidRequest naming field, refused before
// sending, without echoing a huge value.
func requireField(t *testing.T, err error, field string, msgAndArgs ...any) {
	t.Helper()
	require.ErrorIs(t, err, payments.ErrInvalidRequest, msgAndArgs...)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, ok := perr.Field(field)
	assert.True(t, ok, "names %s: %v", field, perr.Fields)
	assert.False(t, payments.MaybeSent(err), "refused before sending")
	assert.Less(t, len(err.Error()), 1000, "a huge value is not echoed back")
}

// TestHub2sFieldsAreTheMerchantsFields: a field Hub2 refuses in the
// requests Create builds is named by its Go path in the merchant's
// CreateRequest, Hub2's own name beside it (issue 12.6).
func TestHub2sFieldsAreTheMerchantsFields(t *testing.T) {
	ctx := context.Background()
	c, srv := newSim(t)
	refuse := func(method, path string, messages ...string) {
		b, err := json.Marshal(map[string]any{"status": 400, "code": "Bad Request", "message": messages, "request_id": "req_1"})
		require.NoError(t, err)
		srv.Faults.Add(paymentstest.Fault{Method: method, Path: path, Status: http.StatusBadRequest,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: string(b)})
	}
	refuse(http.MethodPost, "/payment-intents", "customerReference must match /^[a-zA-Z0-9-_. ]+$/ regular expression",
		"overrideBusinessName must be shorter than or equal to 50 characters", "currency must be one of XOF, XAF, GNF")
	req := order(hub2test.ProviderRedirect)
	req.CancelURL = "https://shop.example.com/cart"
	_, err := c.Create(ctx, req)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, []payments.FieldError{
		{Field: "Customer.Reference", ProviderField: "customerReference", Message: "customerReference must match /^[a-zA-Z0-9-_. ]+$/ regular expression"},
		{Field: "Options.BusinessName", ProviderField: "overrideBusinessName", Message: "overrideBusinessName must be shorter than or equal to 50 characters"},
		{Field: "Amount.Currency", ProviderField: "currency", Message: "currency must be one of XOF, XAF, GNF"},
	}, perr.Fields)

	refuse(http.MethodPost, "/payment-intents/pi_", "mobileMoney.msisdn must be a valid phone number",
		"mobileMoney.onFailedRedirectionUrl must be a URL address", "token must be a jwt string")
	s, err := c.Create(ctx, req)
	require.NotNil(t, s, "the intent exists")
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "attempt payment", perr.Op)
	assert.Equal(t, []payments.FieldError{
		{Field: "Options.MSISDN", ProviderField: "mobileMoney.msisdn", Message: "mobileMoney.msisdn must be a valid phone number"},
		{Field: "CancelURL", ProviderField: "mobileMoney.onFailedRedirectionUrl", Message: "mobileMoney.onFailedRedirectionUrl must be a URL address"},
		{Field: "token", ProviderField: "token", Message: "token must be a jwt string"},
	}, perr.Fields, "a field the merchant does not fill keeps Hub2's name")
}

// TestTheTokenSentIsScrubbedFromEveryEcho: the client JWT a request sends
// is scrubbed wherever Hub2 echoes it, in an error's message or in an
// answer outside its "token" key, whether the client logs at Debug or not.
func TestTheTokenSentIsScrubbedFromEveryEcho(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(map[bool]string{false: "quiet", true: "debug"}[debug], func(t *testing.T) {
			ctx := context.Background()
			var logs syncBuffer
			level := slog.LevelInfo
			if debug {
				level = slog.LevelDebug
			}
			c, srv := newSim(t, payments.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: level}))))
			s, err := c.Create(ctx, order(hub2test.ProviderOTP))
			require.NoError(t, err)
			token := s.ClientToken

			srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Status: http.StatusBadRequest,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   `{"status":400,"code":"Bad Request","message":["token ` + token + ` is not valid"],"request_id":"req_` + token + `"}`})
			_, err = c.Authenticate(ctx, s.ID, token, "1234")
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.NotContains(t, err.Error(), token)
			assert.NotContains(t, perr.Message, token)
			assert.NotContains(t, perr.RequestID, token)
			assert.NotContains(t, string(perr.Raw), token)
			require.NotEmpty(t, perr.Fields, "the message names the token field")
			assert.NotContains(t, perr.Fields[0].Message, token)

			// A 201 to the attempt that quotes the token outside its key:
			// Session.Raw keeps the answer, without the token.
			echoing := &echoToken{inner: http.DefaultTransport}
			c2, err := srv.NewClient(payments.WithHTTPClient(&http.Client{Transport: echoing}),
				payments.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: level}))))
			require.NoError(t, err)
			s2, err := c2.Create(ctx, order(hub2test.ProviderOTP))
			require.NoError(t, err)
			require.Equal(t, 1, echoing.echoed, "the attempt's answer quoted the token")
			assert.Contains(t, string(s2.Raw), `"note":"paid with `, "the answer is kept")
			assert.NotContains(t, string(s2.Raw), s2.ClientToken)
			assert.NotContains(t, logs.String(), s2.ClientToken)
			assert.NotContains(t, logs.String(), token)
		})
	}
}

// echoToken adds to the answer of an attempt a note quoting the token the
// attempt sent.
type echoToken struct {
	inner  http.RoundTripper
	echoed int
}

func (e *echoToken) RoundTrip(r *http.Request) (*http.Response, error) {
	var sent struct{ Token string }
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/payments") && r.GetBody != nil {
		body, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		if err := json.NewDecoder(body).Decode(&sent); err != nil {
			return nil, err
		}
	}
	resp, err := e.inner.RoundTrip(r)
	if err != nil || sent.Token == "" {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], []byte(`,"note":"paid with `+sent.Token+`"}`)...)
	e.echoed++
	resp.Body, resp.ContentLength = io.NopCloser(strings.NewReader(string(b))), int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}
