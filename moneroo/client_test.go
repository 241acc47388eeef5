package moneroo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/unipay/payments/internal/mockhttp"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

// testKey has the shape of a real Moneroo key, "|" included.
const (
	testKey    = "pvk_t3stky|01HQZX5V6J8K9M2N3P4R5S6T7V"
	testSecret = "whsec-fixture-secret"
)

// fixture returns a file of testdata/moneroo.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "moneroo", name))
	require.NoError(t, err)
	return b
}

// sent is a request the mock received.
type sent struct {
	Method, URL string
	Header      http.Header
	Body        []byte
}

// mock replays Moneroo's answers and records what the client sends.
type mock struct {
	*mockhttp.MockTransport
	mu   sync.Mutex
	reqs []sent
}

func (m *mock) requests() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sent(nil), m.reqs...)
}

// on answers method url with status, body and header, recording each call.
func (m *mock) on(method, url string, status int, body []byte, header http.Header) {
	m.RegisterResponder(method, url, func(r *http.Request) (*http.Response, error) {
		var b []byte
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
		}
		m.mu.Lock()
		m.reqs = append(m.reqs, sent{Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone(), Body: b})
		m.mu.Unlock()
		resp := mockhttp.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			resp.Header[k] = v
		}
		return resp, nil
	})
}

// newMock returns a client for cfg whose requests go to a mock of
// https://api.moneroo.io.
func newMock(t *testing.T, cfg moneroo.Config, opts ...payments.Option) (*mock, *moneroo.Client) {
	t.Helper()
	m := &mock{MockTransport: mockhttp.NewMockTransport()}
	if cfg.SecretKey == "" {
		cfg.SecretKey = testKey
	}
	c, err := moneroo.New(cfg, append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: m})}, opts...)...)
	require.NoError(t, err)
	return m, c
}

const (
	initializeURL = "https://api.moneroo.io/v1/payments/initialize"
	methodsURL    = "https://api.moneroo.io/utils/payment/methods"
)

func verifyURL(id string) string { return "https://api.moneroo.io/v1/payments/" + id + "/verify" }

func TestCreateSendsMonerooBodyInMajorUnits(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  payments.CreateRequest
		want string
	}{
		{
			name: "XOF has no decimals: 5000 goes out as 5000",
			req: payments.CreateRequest{
				Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: "order-1042",
				Description: "Two bags of rice", ReturnURL: "https://shop.example.com/return?order=1042",
				Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
			},
			want: `{"amount":5000,"currency":"XOF","description":"Two bags of rice","return_url":"https://shop.example.com/return?order=1042",` +
				`"customer":{"email":"awa@example.com","first_name":"Awa","last_name":"Diallo"},"metadata":{"unipay_reference":"order-1042"}}`,
		},
		{
			name: "USD 10000 cents goes out as 100",
			req: payments.CreateRequest{
				Amount: payments.Money{Amount: 10000, Currency: "USD"}, Reference: "order-123",
				Description: "Payment for order #123", ReturnURL: "https://example.com/payments/thank-you",
				Customer: &payments.Customer{FirstName: "John", LastName: "Doe", Email: "john@example.com"},
				Metadata: map[string]string{"order_id": "123", "customer_id": "123"},
				Options:  moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
			},
			want: `{"amount":100,"currency":"USD","description":"Payment for order #123","return_url":"https://example.com/payments/thank-you",` +
				`"customer":{"email":"john@example.com","first_name":"John","last_name":"Doe"},` +
				`"metadata":{"customer_id":"123","order_id":"123","unipay_reference":"order-123"},"methods":["mtn_bj","moov_bj"]}`,
		},
		{
			name: "every optional field, and a default description",
			req: payments.CreateRequest{
				Amount: payments.Money{Amount: 2500, Currency: "XAF"}, Reference: "A-7",
				ReturnURL: "https://shop.example.com/r",
				Customer: &payments.Customer{FirstName: "Paul", LastName: "Biya", Email: "paul@example.cm", Phone: "+237650000000",
					BillingAddress: &payments.Address{Line1: "12 rue de la Joie", Line2: "Bâtiment B", City: "Douala", State: "Littoral", ZipCode: "00237", Country: "CM"}},
				Options: &moneroo.Options{RestrictedPhone: &moneroo.RestrictedPhone{Number: "650000000", CountryCode: "CM"}},
			},
			want: `{"amount":2500,"currency":"XAF","description":"Order A-7","return_url":"https://shop.example.com/r",` +
				`"customer":{"email":"paul@example.cm","first_name":"Paul","last_name":"Biya","phone":"+237650000000",` +
				`"address":"12 rue de la Joie Bâtiment B","city":"Douala","state":"Littoral","country":"CM","zip":"00237"},` +
				`"metadata":{"unipay_reference":"A-7"},"restricted_phone":{"number":"650000000","country_code":"CM"}}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)

			s, err := c.Create(context.Background(), tc.req)
			require.NoError(t, err)
			assert.Equal(t, &payments.Session{Provider: payments.Moneroo, ID: "5f7b1b2c",
				RedirectURL: "https://checkout.moneroo.io/5f7b1b2c", Status: payments.StatusPending,
				Raw: fixture(t, "initialize_201.json")}, s)

			reqs := m.requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, http.MethodPost, r.Method)
			assert.Equal(t, initializeURL, r.URL)
			assert.Equal(t, tc.want, string(r.Body))
			assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "unipay-payments/"+payments.Version+" "), r.Header.Get("User-Agent"))
		})
	}
}

func TestCreateSendsTheDocsExampleBody(t *testing.T) {
	// The same payment as the docs' cURL example: the body Moneroo receives
	// is the docs' body, plus the library's reference key.
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	_, err := c.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 10000, Currency: "USD"}, Reference: "order-123",
		Description: "Payment for order #123", ReturnURL: "https://example.com/payments/thank-you",
		Customer: &payments.Customer{FirstName: "John", LastName: "Doe", Email: "john@example.com"},
		Metadata: map[string]string{"order_id": "123", "customer_id": "123"},
		Options:  moneroo.Options{Methods: []string{"qr_ngn", "bank_transfer_ngn"}},
	})
	require.NoError(t, err)

	var want map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "initialize_request.json"), &want))
	want["metadata"].(map[string]any)[moneroo.ReferenceMetadataKey] = "order-123"
	wantBody, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantBody), string(m.requests()[0].Body))
}

func TestCreateReadsTheLinkOfTheFrenchDocs(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201_link.json"), nil)
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	assert.Equal(t, "https://checkout.moneroo.io/5f7b1b2c", s.RedirectURL)
}

func TestCreateRefusesAnAnswerWithoutAUsableCheckoutURL(t *testing.T) {
	for name, body := range map[string]string{
		"no id":           `{"message":"ok","data":{"checkout_url":"https://checkout.moneroo.io/x"}}`,
		"no checkout url": `{"message":"ok","data":{"id":"5f7b1b2c"}}`,
		"relative url":    `{"message":"ok","data":{"id":"5f7b1b2c","checkout_url":"/5f7b1b2c"}}`,
		"data is a list":  `{"message":"ok","data":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodPost, initializeURL, http.StatusCreated, []byte(body), nil)
			_, err := c.Create(context.Background(), validRequest())
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, string(perr.Raw), "the answer is kept")
		})
	}
}

func TestCreateRefusesBadInputBeforeSending(t *testing.T) {
	usd := func(minor int64) payments.CreateRequest {
		r := validRequest()
		r.Amount = payments.Money{Amount: minor, Currency: "USD"}
		return r
	}
	noEmail := validRequest()
	noEmail.Customer.Email = ""
	both := validRequest()
	both.Options = moneroo.Options{RestrictCountryCode: "BJ", RestrictedPhone: &moneroo.RestrictedPhone{Number: "51345780", CountryCode: "BJ"}}
	eur := validRequest()
	eur.Amount = payments.Money{Amount: 5000, Currency: "GBP"}

	for _, tc := range []struct {
		name  string
		req   payments.CreateRequest
		field string
		msg   string
	}{
		{"10.50 USD cannot be sent in whole units", usd(1050), "Amount", "10.50 USD"},
		{"no customer email", noEmail, "Customer.Email", "required by Moneroo"},
		{"both restrictions", both, "Options.RestrictedPhone", "one or the other"},
		{"a currency Moneroo does not list", eur, "Amount.Currency", "Moneroo does not take GBP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			_, err := c.Create(context.Background(), tc.req)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			f, ok := perr.Field(tc.field)
			require.True(t, ok, "fields: %v", perr.Fields)
			assert.Contains(t, f.Message, tc.msg)
			assert.Equal(t, 0, m.GetTotalCallCount(), "nothing may be sent")
		})
	}

	// Whole USD amounts are fine.
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	_, err := c.Create(context.Background(), usd(1000))
	require.NoError(t, err)
	assert.Contains(t, string(m.requests()[0].Body), `"amount":10,"currency":"USD"`)
}

func TestVerifyReadsTheDocsVerifyExample(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	body := fixture(t, "verify_success_xof.json")
	m.on(http.MethodGet, verifyURL("k4su1ii7abdz"), http.StatusOK, body, nil)

	p, err := c.Verify(context.Background(), "k4su1ii7abdz")
	require.NoError(t, err)
	assert.Equal(t, &payments.Payment{
		Provider: payments.Moneroo, ID: "k4su1ii7abdz",
		Status: payments.StatusSucceeded, ProviderStatus: "success",
		Amount:    payments.Money{Amount: 200, Currency: "XOF"},
		Method:    "mtn_bj",
		CreatedAt: time.Date(2024, 1, 31, 14, 46, 13, 0, time.UTC),
		Metadata:  map[string]string{"order_id": "124", "customer_id": "124"},
		Raw:       body,
	}, p)

	r := m.requests()[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Empty(t, r.Body)
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func TestVerifyDecodesEveryShapeTheDocsShow(t *testing.T) {
	for _, tc := range []struct {
		file, id string
		want     func(p *payments.Payment)
	}{
		{"retrieve_success_usd.json", "abc123", func(p *payments.Payment) {
			// currency a string, amount the float 100.0, method.code at the top.
			assert.Equal(t, payments.Money{Amount: 10000, Currency: "USD"}, p.Amount)
			assert.Equal(t, payments.StatusSucceeded, p.Status)
			assert.Equal(t, "cc", p.Method)
			assert.Equal(t, time.Date(2023, 5, 21, 11, 0, 0, 0, time.UTC), p.CreatedAt, "initiated_at when created_at is absent")
			assert.Equal(t, time.Date(2023, 5, 21, 12, 0, 0, 0, time.UTC), p.UpdatedAt, "processed_at")
		}},
		{"verify_pending_metadata_array.json", "p3nd1ngpay01", func(p *payments.Payment) {
			assert.Equal(t, payments.Money{Amount: 1000, Currency: "USD"}, p.Amount)
			assert.Equal(t, payments.StatusProcessing, p.Status)
			assert.Equal(t, "pending", p.ProviderStatus)
			assert.Nil(t, p.Metadata, "metadata [] is no metadata")
			assert.Equal(t, "moneroo_payment_demo", p.Method)
		}},
		{"verify_failed.json", "fa1ledpay001", func(p *payments.Payment) {
			assert.Equal(t, payments.StatusFailed, p.Status)
			assert.Equal(t, payments.Money{Amount: 5000, Currency: "XOF"}, p.Amount)
			assert.Equal(t, "4001", p.FailureCode, "a numeric code is kept as text")
			assert.Equal(t, "Insufficient balance", p.FailureMessage)
			assert.Equal(t, "order-7", p.Reference, "the reference comes back from the metadata")
			assert.Equal(t, map[string]string{"cart": "c-9"}, p.Metadata, "the library's own key is not the merchant's metadata")
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodGet, verifyURL(tc.id), http.StatusOK, fixture(t, tc.file), nil)
			p, err := c.Verify(context.Background(), tc.id)
			require.NoError(t, err)
			tc.want(p)
		})
	}
}

// Verify and Create read their answers in one pass, and leave to
// encoding/json what that pass cannot read as encoding/json would: keys in
// another case, which encoding/json matches to fields, and bodies that are
// not JSON, whose errors are httpx's.
func TestAnswersTheOnePassReaderLeavesAreReadByEncodingJSON(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, verifyURL("x1"), http.StatusOK,
		[]byte(`{"Message":"ok","Data":{"ID":"x1","Status":"success","Amount":200,"Currency":"XOF","Metadata":{"unipay_reference":"o-1"}}}`), nil)
	p, err := c.Verify(context.Background(), "x1")
	require.NoError(t, err)
	assert.Equal(t, payments.StatusSucceeded, p.Status)
	assert.Equal(t, payments.Money{Amount: 200, Currency: "XOF"}, p.Amount)
	assert.Equal(t, "o-1", p.Reference)

	m.on(http.MethodPost, initializeURL, http.StatusCreated, []byte(`{"data":{"ID":"5f7b1b2c","Checkout_URL":"https://checkout.moneroo.io/5f7b1b2c"}}`), nil)
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	assert.Equal(t, "5f7b1b2c", s.ID)
	assert.Equal(t, "https://checkout.moneroo.io/5f7b1b2c", s.RedirectURL)

	for body, msg := range map[string]string{
		`{"data":{"id":"x1"`:         "cannot decode the response: unexpected end of JSON input",
		`{"data":{"id":5}}`:          "cannot decode the response: json: cannot unmarshal number into Go struct field verified.data.id of type string",
		`{"data":{"amount":"lots"}}`: "cannot decode the response: moneroo: amount is not a number",
		`null`:                       "the response is null",
		``:                           "the response body is empty",
	} {
		m.on(http.MethodGet, verifyURL("x1"), http.StatusOK, []byte(body), nil)
		_, err := c.Verify(context.Background(), "x1")
		require.ErrorIs(t, err, payments.ErrMalformedResponse, body)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, msg, perr.Message, body)
		assert.Equal(t, body, string(perr.Raw), "the answer is kept")
	}
}

func TestVerifyRefusesAmountsItCannotReadExactly(t *testing.T) {
	for name, data := range map[string]string{
		"a fraction of a franc":    `{"id":"x1","status":"success","amount":200.5,"currency":"XOF"}`,
		"no currency":              `{"id":"x1","status":"success","amount":200}`,
		"a currency nobody knows":  `{"id":"x1","status":"success","amount":200,"currency":"ZZZ"}`,
		"no amount":                `{"id":"x1","status":"success","currency":"XOF"}`,
		"an amount that is a word": `{"id":"x1","status":"success","amount":"lots","currency":"XOF"}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			body := []byte(`{"message":"ok","data":` + data + `}`)
			m.on(http.MethodGet, verifyURL("x1"), http.StatusOK, body, nil)
			_, err := c.Verify(context.Background(), "x1")
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, perr.Raw, "the answer is kept")
		})
	}
}

func TestVerifyInProductionRefusesASandboxPayment(t *testing.T) {
	m, c := newMock(t, moneroo.Config{Environment: payments.Production})
	m.on(http.MethodGet, verifyURL("k4su1ii7abdz"), http.StatusOK, fixture(t, "verify_success_xof.json"), nil)
	_, err := payments.VerifyPaid(context.Background(), c, "k4su1ii7abdz", payments.Money{Amount: 200, Currency: "XOF"})
	require.ErrorIs(t, err, payments.ErrIntegrity)
	assert.Contains(t, err.Error(), "sandbox")

	// The same answer in a Sandbox config is a paid payment.
	m2, sandbox := newMock(t, moneroo.Config{})
	m2.on(http.MethodGet, verifyURL("k4su1ii7abdz"), http.StatusOK, fixture(t, "verify_success_xof.json"), nil)
	_, err = payments.VerifyPaid(context.Background(), sandbox, "k4su1ii7abdz", payments.Money{Amount: 200, Currency: "XOF"})
	require.NoError(t, err)
}

func TestVerifyRefusesAnAnswerAboutAnotherPayment(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	body := fixture(t, "verify_success_xof.json") // about k4su1ii7abdz
	m.on(http.MethodGet, verifyURL("other"), http.StatusOK, body, nil)
	_, err := c.Verify(context.Background(), "other")
	require.ErrorIs(t, err, payments.ErrIntegrity)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, body, perr.Raw, "the answer is kept")
}

func TestPaymentIDsThatWouldChangeThePathAreRefusedBeforeSending(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	ctx := context.Background()
	ops := map[string]func(id string) error{
		"Verify":          func(id string) error { _, err := c.Verify(ctx, id); return err },
		"RedirectURL":     func(id string) error { _, err := c.RedirectURL(ctx, id); return err },
		"VerifyPayment":   func(id string) error { _, err := c.VerifyPayment(ctx, id); return err },
		"RetrievePayment": func(id string) error { _, err := c.RetrievePayment(ctx, id); return err },
	}
	for name, op := range ops {
		for _, id := range []string{"", " ", ".", "..", "a/b", "../initialize", "a?b", "a#b", "a%2Fb", "a b", "k4su\x00", strings.Repeat("a", 129)} {
			err := op(id)
			require.ErrorIs(t, err, payments.ErrInvalidRequest, "%s(%q)", name, id)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.True(t, perr.NotSent)
			f, ok := perr.Field("PaymentID")
			assert.True(t, ok, "%s(%q): %v", name, id, perr.Fields)
			assert.Less(t, len(f.Message), 200, "a long id is not echoed back")
		}
	}
	assert.Zero(t, m.GetTotalCallCount(), "nothing may be sent")
}

func TestVerifyRefusesAnAnswerWithoutIDOrStatus(t *testing.T) {
	for name, body := range map[string]string{
		"data null":  `{"message":"ok","data":null}`,
		"data empty": `{"message":"ok","data":{}}`,
		"no data":    `{"message":"ok"}`,
		"no id":      `{"message":"ok","data":{"status":"success","amount":200,"currency":"XOF"}}`,
		"no status":  `{"message":"ok","data":{"id":"k4su1ii7abdz","amount":200,"currency":"XOF"}}`,
		"data list":  `{"message":"ok","data":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodGet, verifyURL("k4su1ii7abdz"), http.StatusOK, []byte(body), nil)
			_, err := c.Verify(context.Background(), "k4su1ii7abdz")
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, string(perr.Raw), "the answer is kept")
		})
	}
}

func TestRedirectURLReadsTheCheckoutURLOfAnOpenPayment(t *testing.T) {
	open := `{"message":"ok","data":{"id":"5f7b1b2c","status":"initiated","amount":100,"currency":"USD","checkout_url":"https://checkout.moneroo.io/5f7b1b2c"}}`
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, "https://api.moneroo.io/v1/payments/5f7b1b2c", http.StatusOK, []byte(open), nil)
	u, err := c.RedirectURL(context.Background(), "5f7b1b2c")
	require.NoError(t, err)
	assert.Equal(t, "https://checkout.moneroo.io/5f7b1b2c", u)

	// The docs' retrieve example is a paid payment: nothing left to pay.
	paid := fixture(t, "retrieve_success_usd.json")
	m.on(http.MethodGet, "https://api.moneroo.io/v1/payments/abc123", http.StatusOK, paid, nil)
	_, err = c.RedirectURL(context.Background(), "abc123")
	require.ErrorIs(t, err, payments.ErrConflict)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, paid, perr.Raw, "the answer is kept")
}

func TestRedirectURLRefusesAnUnusableCheckoutURL(t *testing.T) {
	for name, u := range map[string]string{
		"none":       ``,
		"javascript": `,"checkout_url":"javascript:alert(1)"`,
		"relative":   `,"checkout_url":"/checkout/5f7b1b2c"`,
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"message":"ok","data":{"id":"5f7b1b2c","status":"initiated","amount":100,"currency":"USD"` + u + `}}`
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodGet, "https://api.moneroo.io/v1/payments/5f7b1b2c", http.StatusOK, []byte(body), nil)
			_, err := c.RedirectURL(context.Background(), "5f7b1b2c")
			require.ErrorIs(t, err, payments.ErrMalformedResponse)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, body, string(perr.Raw), "the answer is kept")
			assert.Contains(t, perr.Message, "Session.RedirectURL")
		})
	}
}

func TestRetrievePaymentRefusesAnAnswerAboutAnotherPayment(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	body := fixture(t, "retrieve_success_usd.json") // about abc123
	m.on(http.MethodGet, "https://api.moneroo.io/v1/payments/abc124", http.StatusOK, body, nil)
	for name, op := range map[string]func() error{
		"RetrievePayment": func() error { _, err := c.RetrievePayment(context.Background(), "abc124"); return err },
		"RedirectURL":     func() error { _, err := c.RedirectURL(context.Background(), "abc124"); return err },
	} {
		err := op()
		require.ErrorIs(t, err, payments.ErrIntegrity, name)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, body, perr.Raw, "the answer is kept")
	}
}

func TestPaymentMethodsReadsTheCatalogueWithoutCredentials(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodGet, methodsURL, http.StatusOK, fixture(t, "payment_methods.json"), nil)
	methods, err := c.PaymentMethods(context.Background())
	require.NoError(t, err)
	require.Len(t, methods, 2)
	assert.Equal(t, moneroo.String("mtn_bj"), methods[0].ShortCode)
	assert.Equal(t, moneroo.Currency("XOF"), methods[0].Currency)
	assert.Equal(t, moneroo.Countries{"BJ"}, methods[0].Countries)
	assert.True(t, methods[0].Enabled)
	assert.Equal(t, moneroo.Countries{"CI", "BF", "TG", "BJ", "ML"}, methods[1].Countries)
	assert.False(t, methods[1].Enabled)
	assert.Empty(t, m.requests()[0].Header.Get("Authorization"), "the catalogue is public: the key stays home")
}

func TestErrorsMapToKindsAndKeepTheProviderMessage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    []byte
		header  http.Header
		kind    payments.Kind
		message string
		fields  []payments.FieldError
		after   time.Duration
	}{
		{name: "401", status: 401, body: fixture(t, "error_401.json"), kind: payments.ErrAuthentication, message: "Unauthorized"},
		{name: "403", status: 403, body: []byte(`{"message":"This action is unauthorized.","data":null,"errors":null}`), kind: payments.ErrPermission, message: "This action is unauthorized."},
		{name: "404", status: 404, body: fixture(t, "error_404.json"), kind: payments.ErrNotFound, message: "Payment transaction not found"},
		{name: "422 errors as a map", status: 422, body: fixture(t, "error_422_map.json"), kind: payments.ErrInvalidRequest,
			message: "The customer.email field is required. (and 1 more error)",
			fields: []payments.FieldError{ // a verify has no request fields to map them to
				{Field: "customer.email", ProviderField: "customer.email", Message: "The customer.email field is required."},
				{Field: "methods.0", ProviderField: "methods.0", Message: "The selected methods.0 is invalid."},
			}},
		{name: "422 errors as an array", status: 422, body: fixture(t, "error_422_array.json"), kind: payments.ErrInvalidRequest,
			message: "The given data was invalid.",
			fields: []payments.FieldError{
				{Code: "validation_error", Message: "The amount field must be an integer. (Send the amount in whole units)"},
				{Code: "validation_error", Message: "The customer.email field is required."},
			}},
		{name: "422 errors as strings", status: 422, body: []byte(`{"message":"Invalid","errors":["amount is invalid"]}`), kind: payments.ErrInvalidRequest,
			message: "Invalid", fields: []payments.FieldError{{Message: "amount is invalid"}}},
		{name: "429 without Retry-After waits Moneroo's 60 s", status: 429, body: fixture(t, "error_429.json"), kind: payments.ErrRateLimited,
			message: "Too Many Attempts.", after: 60 * time.Second},
		{name: "429 with Retry-After", status: 429, body: fixture(t, "error_429.json"), header: http.Header{"Retry-After": {"7"}},
			kind: payments.ErrRateLimited, message: "Too Many Attempts.", after: 7 * time.Second},
		{name: "500", status: 500, body: fixture(t, "error_500.json"), kind: payments.ErrUnavailable, message: "Server Error"},
		{name: "503 maintenance page", status: 503, body: []byte("<html><body>Down for maintenance</body></html>"), kind: payments.ErrUnavailable, message: "Service Unavailable"},
		{name: "200 with truncated JSON", status: 200, body: []byte(`{"message":"Payment transaction fetched successfully!","data":{"id":"k4su`), kind: payments.ErrMalformedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{}, payments.WithRetries(0))
			m.on(http.MethodGet, verifyURL("k4su1ii7abdz"), tc.status, tc.body, tc.header)
			_, err := c.Verify(context.Background(), "k4su1ii7abdz")
			require.ErrorIs(t, err, tc.kind)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, payments.Moneroo, perr.Provider)
			assert.Equal(t, tc.body, perr.Raw, "the provider's body is kept")
			if tc.message != "" {
				assert.Equal(t, tc.message, perr.Message)
			}
			assert.Equal(t, tc.fields, perr.Fields)
			assert.Equal(t, tc.after, perr.RetryAfter)
			if tc.status >= 400 {
				assert.Equal(t, tc.status, perr.HTTPStatus)
			}
		})
	}
}

func TestCreateIsNotRetriedAfterA5xx(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusInternalServerError, fixture(t, "error_500.json"), nil)
	_, err := c.Create(context.Background(), validRequest())
	require.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, 1, m.GetTotalCallCount(), "Moneroo may have created the payment: never send it twice")
}

func TestCreateIsRetriedAfterA429(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	calls := 0
	m.RegisterResponder(http.MethodPost, initializeURL, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			resp := mockhttp.NewBytesResponse(http.StatusTooManyRequests, fixture(t, "error_429.json"))
			resp.Header.Set("Retry-After", "0")
			return resp, nil
		}
		return mockhttp.NewBytesResponse(http.StatusCreated, fixture(t, "initialize_201.json")), nil
	})
	s, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err, "a rate-limited create was not handled: sending it again is safe")
	assert.Equal(t, "5f7b1b2c", s.ID)
	assert.Equal(t, 2, calls)
}

func TestRefundIsUnsupportedAndSendsNothing(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	_, err := c.Refund(context.Background(), payments.RefundRequest{PaymentID: "k4su1ii7abdz"})
	require.ErrorIs(t, err, payments.ErrUnsupported)
	assert.Contains(t, err.Error(), "payout")
	assert.Equal(t, 0, m.GetTotalCallCount())

	caps := c.Capabilities()
	assert.False(t, caps.Refund)
	assert.False(t, caps.PartialRefund)
	assert.True(t, caps.SignedWebhooks)
	assert.True(t, caps.ReturnURL)
	assert.True(t, caps.SupportsCurrency("XOF"))
	assert.False(t, caps.SupportsCurrency("GBP"))
	assert.Equal(t, moneroo.Currencies(), caps.Currencies)
}

func TestNewChecksTheConfigWithoutEchoingSecrets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   moneroo.Config
		opts  []payments.Option
		field string
	}{
		{"no key", moneroo.Config{}, nil, "SecretKey"},
		{"a key with a newline", moneroo.Config{SecretKey: testKey + "\n"}, nil, "SecretKey"},
		{"an unknown environment", moneroo.Config{SecretKey: testKey, Environment: 7}, nil, "Environment"},
		{"plain http off loopback", moneroo.Config{SecretKey: testKey}, []payments.Option{payments.WithBaseURL("http://api.moneroo.io")}, "BaseURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := moneroo.New(tc.cfg, tc.opts...)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, ok := perr.Field(tc.field)
			assert.True(t, ok, "fields: %v", perr.Fields)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, c := newMock(t, moneroo.Config{WebhookSecret: testSecret}, payments.WithLogger(logger), payments.WithRetries(0))
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	// A provider that echoes the key back in an error.
	m.on(http.MethodGet, verifyURL("5f7b1b2c"), http.StatusUnauthorized,
		[]byte(`{"message":"Invalid key `+testKey+`","data":null,"errors":null}`), nil)

	_, err := c.Create(context.Background(), validRequest())
	require.NoError(t, err)
	_, verr := c.Verify(context.Background(), "5f7b1b2c")
	require.ErrorIs(t, verr, payments.ErrAuthentication)
	_, werr := c.ParseWebhook(paymentstest.SignMoneroo("forged", []byte(`{}`)), []byte(`{}`))
	require.Error(t, werr)

	assert.Contains(t, logs.String(), "initialize payment", "the requests were logged")
	var perr *payments.Error
	require.ErrorAs(t, verr, &perr)
	for _, text := range []string{logs.String(), verr.Error(), string(perr.Raw), werr.Error()} {
		assert.NotContains(t, text, testKey)
		assert.NotContains(t, text, "01HQZX5V6J8K9M2N3P4R5S6T7V", "not even the part after the |")
		assert.NotContains(t, text, testSecret)
	}
}

func TestEveryRawIsScrubbedOfTheSecrets(t *testing.T) {
	// A provider that echoes the key and the webhook secret in its answers.
	echo := func(body string) []byte {
		return []byte(strings.Replace(body, `"message":"ok"`, `"message":"ok","key":"`+testKey+`","hook":"`+testSecret+`"`, 1))
	}
	created := echo(`{"message":"ok","data":{"id":"5f7b1b2c","checkout_url":"https://checkout.moneroo.io/5f7b1b2c"}}`)
	open := echo(`{"message":"ok","data":{"id":"5f7b1b2c","status":"initiated","amount":200,"currency":"XOF","checkout_url":"https://checkout.moneroo.io/5f7b1b2c"}}`)
	m, c := newMock(t, moneroo.Config{WebhookSecret: testSecret})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, created, nil)
	m.on(http.MethodGet, verifyURL("5f7b1b2c"), http.StatusOK, open, nil)
	m.on(http.MethodGet, "https://api.moneroo.io/v1/payments/5f7b1b2c", http.StatusOK, open, nil)
	ctx := context.Background()

	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	in, err := c.InitializePayment(ctx, initializeRequest())
	require.NoError(t, err)
	p, err := c.Verify(ctx, "5f7b1b2c")
	require.NoError(t, err)
	v, err := c.VerifyPayment(ctx, "5f7b1b2c")
	require.NoError(t, err)
	r, err := c.RetrievePayment(ctx, "5f7b1b2c")
	require.NoError(t, err)
	for name, raw := range map[string][]byte{"Session": s.Raw, "Initialized": in.Raw, "Payment": p.Raw, "VerifyPayment": v.Raw, "RetrievePayment": r.Raw} {
		assert.Contains(t, string(raw), `"id":"5f7b1b2c"`, name)
		assert.NotContains(t, string(raw), testSecret, name)
		assert.NotContains(t, string(raw), "01HQZX5V6J8K9M2N3P4R5S6T7V", name)
	}
}
