package moneroo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

const payoutInitializeURL = "https://api.moneroo.io/v1/payouts/initialize"

func payoutURL(id, suffix string) string { return "https://api.moneroo.io/v1/payouts/" + id + suffix }

// docsPayout is the payout of the docs' cURL example
// (payout_initialize_request.json).
func docsPayout() *moneroo.PayoutRequest {
	return &moneroo.PayoutRequest{
		Amount: 1000, Currency: "XOF", Description: "Order refund",
		Customer:  moneroo.CustomerInput{Email: "john@example.com", FirstName: "John", LastName: "Doe"},
		Metadata:  map[string]string{"payout_request": "123", "customer_id": "123"},
		Method:    "mtn_bj",
		Recipient: moneroo.Recipient{MSISDN: "22951345020"},
	}
}

func TestInitializePayoutSendsTheDocsBody(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, payoutInitializeURL, http.StatusCreated, fixture(t, "payout_initialize.json"), nil)

	out, err := c.InitializePayout(context.Background(), docsPayout())
	require.NoError(t, err)
	assert.Equal(t, "5f7b1b2c-1b2c-5f7b-0000-000000000000", out.ID)
	assert.JSONEq(t, string(fixture(t, "payout_initialize.json")), string(out.Raw))

	reqs := m.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, payoutInitializeURL, r.URL)
	assert.JSONEq(t, string(fixture(t, "payout_initialize_request.json")), string(r.Body), "the docs' body, key for key")
	assert.Equal(t, `{"amount":1000,"currency":"XOF","description":"Order refund",`+
		`"customer":{"email":"john@example.com","first_name":"John","last_name":"Doe"},`+
		`"metadata":{"customer_id":"123","payout_request":"123"},"method":"mtn_bj","recipient":{"msisdn":"22951345020"}}`, string(r.Body))
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func TestInitializePayoutSendsTheDemoAccountNumberUnderRecipient(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, payoutInitializeURL, http.StatusCreated, fixture(t, "payout_initialize.json"), nil)
	in := docsPayout()
	in.Amount, in.Currency, in.Method, in.Metadata = 5, "USD", moneroo.DemoPayoutMethod, nil
	in.Recipient = moneroo.Recipient{AccountNumber: "4149518161"}
	_, err := c.InitializePayout(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, `{"amount":5,"currency":"USD","description":"Order refund",`+
		`"customer":{"email":"john@example.com","first_name":"John","last_name":"Doe"},`+
		`"method":"moneroo_payout_demo","recipient":{"account_number":"4149518161"}}`, string(m.requests()[0].Body))
}

func TestInitializePayoutRefusesBadInputBeforeSending(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*moneroo.PayoutRequest)
		fields []string
	}{
		{"zero amount", func(p *moneroo.PayoutRequest) { p.Amount = 0 }, []string{"Amount"}},
		{"negative amount", func(p *moneroo.PayoutRequest) { p.Amount = -5 }, []string{"Amount"}},
		{"no currency", func(p *moneroo.PayoutRequest) { p.Currency = "" }, []string{"Currency"}},
		{"a currency no payout method takes", func(p *moneroo.PayoutRequest) { p.Currency = "EUR" }, []string{"Currency"}},
		{"no description", func(p *moneroo.PayoutRequest) { p.Description = " " }, []string{"Description"}},
		{"a description too long", func(p *moneroo.PayoutRequest) { p.Description = strings.Repeat("é", moneroo.MaxDescription+1) }, []string{"Description"}},
		{"no method", func(p *moneroo.PayoutRequest) { p.Method = "" }, []string{"Method"}},
		{"a method that is no short code", func(p *moneroo.PayoutRequest) { p.Method = "MTN Benin" }, []string{"Method"}},
		{"no customer", func(p *moneroo.PayoutRequest) { p.Customer = moneroo.CustomerInput{} },
			[]string{"Customer.Email", "Customer.FirstName", "Customer.LastName"}},
		{"a bad email", func(p *moneroo.PayoutRequest) { p.Customer.Email = "john at example" }, []string{"Customer.Email"}},
		{"11 metadata entries", func(p *moneroo.PayoutRequest) {
			for i := range 9 {
				p.Metadata["k"+string(rune('a'+i))] = "v"
			}
		}, []string{"Metadata"}},
		{"no MSISDN", func(p *moneroo.PayoutRequest) { p.Recipient = moneroo.Recipient{} }, []string{"Recipient.MSISDN"}},
		{"an MSISDN with +", func(p *moneroo.PayoutRequest) { p.Recipient.MSISDN = "+22951345020" }, []string{"Recipient.MSISDN"}},
		{"an MSISDN with spaces", func(p *moneroo.PayoutRequest) { p.Recipient.MSISDN = "229 51 34 50 20" }, []string{"Recipient.MSISDN"}},
		{"an MSISDN too short", func(p *moneroo.PayoutRequest) { p.Recipient.MSISDN = "5134502" }, []string{"Recipient.MSISDN"}},
		{"an MSISDN too long", func(p *moneroo.PayoutRequest) { p.Recipient.MSISDN = "2295134502012345" }, []string{"Recipient.MSISDN"}},
		{"the demo method without an account number", func(p *moneroo.PayoutRequest) {
			p.Method, p.Currency, p.Recipient = moneroo.DemoPayoutMethod, "USD", moneroo.Recipient{}
		}, []string{"Recipient.AccountNumber"}},
		{"the demo method with letters", func(p *moneroo.PayoutRequest) {
			p.Method, p.Currency, p.Recipient = moneroo.DemoPayoutMethod, "USD", moneroo.Recipient{AccountNumber: "41495l8161"}
		}, []string{"Recipient.AccountNumber"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			in := docsPayout()
			tc.change(in)
			_, err := c.InitializePayout(context.Background(), in)
			requireFields(t, err, tc.fields...)
			assert.Zero(t, m.GetTotalCallCount(), "nothing sent")
		})
	}
	m, c := newMock(t, moneroo.Config{})
	_, err := c.InitializePayout(context.Background(), nil)
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Zero(t, m.GetTotalCallCount())
}

func TestInitializePayoutNamesTheFieldsMonerooRefuses(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, payoutInitializeURL, http.StatusUnprocessableEntity, []byte(`{"message":"The recipient.msisdn field must be a valid phone number.",`+
		`"data":{},"errors":{"recipient.msisdn":["The recipient.msisdn field must be a valid phone number."],"metadata.payout_request":["must be a string"],"gateway":["down"]}}`), nil)
	_, err := c.InitializePayout(context.Background(), docsPayout())
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.False(t, perr.NotSent, "Moneroo answered")
	got := map[string]string{}
	for _, f := range perr.Fields {
		got[f.ProviderField] = f.Field
	}
	assert.Equal(t, map[string]string{"recipient.msisdn": "Recipient.MSISDN", "metadata.payout_request": `Metadata["payout_request"]`,
		"gateway": "gateway"}, got)
}

func TestInitializePayoutIsNeverResentAfterA5xx(t *testing.T) {
	m, c := newMock(t, moneroo.Config{}, payments.WithRetries(3), payments.WithBackoff(time.Millisecond, time.Millisecond))
	m.on(http.MethodPost, payoutInitializeURL, http.StatusBadGateway, []byte(`{"message":"bad gateway"}`), nil)
	_, err := c.InitializePayout(context.Background(), docsPayout())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.True(t, payments.MaybeSent(err))
	assert.Equal(t, 1, m.GetTotalCallCount(), "a payout that may have been made is never sent again")
}

func TestInitializePayoutRefusesAnAnswerWithoutAUsableID(t *testing.T) {
	for name, body := range map[string]string{
		"no id":            `{"success":true,"message":"ok","data":{}}`,
		"an id with a /":   `{"success":true,"message":"ok","data":{"id":"../payments/x"}}`,
		"null data":        `{"success":true,"message":"ok","data":null}`,
		"not the envelope": `[1,2]`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodPost, payoutInitializeURL, http.StatusCreated, []byte(body), nil)
			_, err := c.InitializePayout(context.Background(), docsPayout())
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.NotEmpty(t, perr.Raw)
		})
	}
}

func TestVerifyPayoutReadsTheDocsExample(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, payoutURL("go86j8csuq51", "/verify"), http.StatusOK, fixture(t, "payout_verify_success.json"), nil)
	p, err := c.VerifyPayout(context.Background(), "go86j8csuq51")
	require.NoError(t, err)
	assert.Equal(t, "go86j8csuq51", p.ID)
	assert.Equal(t, "success", p.Status)
	assert.Equal(t, payments.StatusSucceeded, p.PayoutStatus())
	money, err := p.Money()
	require.NoError(t, err)
	assert.Equal(t, payments.Money{Amount: 50000, Currency: "USD"}, money, "500 USD, in cents")
	assert.Equal(t, "$ 500.00", p.AmountFormatted)
	assert.Equal(t, "hello", p.Description)
	assert.Equal(t, "sandbox", p.Environment)
	assert.Empty(t, p.Metadata, "[] is no metadata")
	require.NotNil(t, p.Customer)
	assert.Equal(t, moneroo.String("john@test.com"), p.Customer.Email)
	require.NotNil(t, p.Disburse)
	assert.Equal(t, moneroo.String("pd_65miz6qf4u9y"), p.Disburse.Identifier)
	assert.Equal(t, moneroo.DemoPayoutMethod, p.MethodCode())
	assert.Equal(t, moneroo.String("b1f26365-3e02-4360-b646-39c2e91adce1"), p.Disburse.Gateway.TransactionID)
	assert.Equal(t, moneroo.String("test_success"), p.Disburse.Gateway.TransactionStatus)
	assert.Equal(t, time.Date(2023, 12, 26, 22, 4, 49, 0, time.UTC), p.PendingAt.Time)
	assert.Equal(t, time.Date(2023, 12, 26, 22, 4, 50, 0, time.UTC), p.SuccessAt.Time)
	assert.True(t, p.FailedAt.IsZero())
	assert.Equal(t, "This is a failed test payout, you do not use valid test phone number.", p.FailureReason(),
		"the docs' example carries the gateway's message even on success")
	assert.Equal(t, fixture(t, "payout_verify_success.json"), []byte(p.Raw))
}

func TestRetrievePayoutReadsTheDocsExample(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, payoutURL("abc123", ""), http.StatusOK, fixture(t, "payout_retrieve_success.json"), nil)
	p, err := c.RetrievePayout(context.Background(), "abc123")
	require.NoError(t, err)
	money, err := p.Money()
	require.NoError(t, err)
	assert.Equal(t, payments.Money{Amount: 10000, Currency: "USD"}, money, "100.0 USD, a string currency")
	assert.Equal(t, "cc", p.MethodCode(), "the method at the top level, under code")
	assert.Equal(t, moneroo.String("+1234567890"), p.PayoutPhoneNumber)
	assert.Equal(t, moneroo.Metadata{"custom_field1": "custom_value1", "custom_field2": "custom_value2"}, p.Metadata)
}

func TestPayoutReadsRefuseAnotherPayoutAndBadIDs(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, payoutURL("po-1", "/verify"), http.StatusOK, []byte(`{"message":"ok","data":{"id":"po-2","status":"success"}}`), nil)
	m.on(http.MethodGet, payoutURL("po-3", ""), http.StatusOK, []byte(`{"message":"ok","data":{"id":"po-3"}}`), nil)
	_, err := c.VerifyPayout(context.Background(), "po-1")
	require.ErrorIs(t, err, payments.ErrIntegrity)
	_, err = c.RetrievePayout(context.Background(), "po-3")
	require.ErrorIs(t, err, payments.ErrMalformedResponse, "no status")
	for _, id := range []string{"", "../payments/x", "a?b", strings.Repeat("x", 129)} {
		_, err := c.VerifyPayout(context.Background(), id)
		requireFields(t, err, "PayoutID")
	}
	assert.Equal(t, 2, m.GetTotalCallCount())
}

func TestPayoutMethodMapsTheMethodsBothWaysTake(t *testing.T) {
	both := []string{
		"airtel_cd", "airtel_mw", "airtel_ng", "airtel_rw", "airtel_tz", "airtel_ug", "airtel_zm",
		"e_money_sn", "eu_mobile_cm", "freemoney_sn", "halopesa_tz",
		"moov_bj", "moov_ci", "moov_tg", "mpesa_ke", "mpesa_tz",
		"mtn_bj", "mtn_ci", "mtn_cm", "mtn_gh", "mtn_ng", "mtn_rw", "mtn_ug", "mtn_zm",
		"orange_cd", "orange_ci", "orange_cm", "orange_ml", "orange_sn",
		"tigo_gh", "tigo_tz", "tnm_mw", "togocel", "vodacom_cd", "vodafone_gh", "wave_ci", "wave_sn", "zamtel_zm",
	}
	require.Len(t, both, 38)
	for _, m := range both {
		got, ok := moneroo.PayoutMethod(m)
		assert.True(t, ok, m)
		assert.Equal(t, m, got)
	}
	got, ok := moneroo.PayoutMethod("moneroo_payment_demo")
	assert.True(t, ok)
	assert.Equal(t, moneroo.DemoPayoutMethod, got)
	assert.Equal(t, append(append([]string(nil), both[:11]...), append([]string{"moneroo_payment_demo"}, both[11:]...)...),
		moneroo.RefundableMethods(), "sorted, the demo method in its place")

	for _, m := range []string{
		"card_xof", "card_usd", "crypto_usd", "crypto_xof", "bank_transfer_ng", "barter", "qr_ngn", "ussd_ngn",
		"airtel_ne", "mobi_cash_ml", "moov_bf", "moov_ml", "mtn_gn", "orange_bf", "orange_gn", "wizall_sn",
		"djamo_ci", "moneroo_payout_demo", "", "unknown_xx",
	} {
		_, ok := moneroo.PayoutMethod(m)
		assert.False(t, ok, "%q has no payout counterpart", m)
	}
	assert.Len(t, moneroo.PayoutMethods(), 41, "the docs' payout table")
}
