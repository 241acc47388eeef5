package hero_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
)

// These tests give the client answers Hero should not send: about other
// payments, without what the operation expects, with secrets in them. What
// comes back must be an error of the right kind that keeps the body,
// scrubbed, or a result whose Raw is scrubbed.

// scripted is a transport that answers each GraphQL operation with what its
// function returns, and counts the requests per operation.
type scripted struct {
	mu     sync.Mutex
	counts map[string]int
	answer func(op string) (status int, body string, err error)
}

func (s *scripted) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	m := opName.FindSubmatch(bytes.TrimPrefix(body, []byte(`{"query":"`)))
	op := "?"
	if m != nil {
		op = string(m[1])
	}
	s.mu.Lock()
	s.counts[op]++
	s.mu.Unlock()
	status, answer, err := s.answer(op)
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(answer)), Request: r}, nil
}

func (s *scripted) count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

func (s *scripted) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}

// answering returns a client whose every operation gets its answer from
// answers (operation name → body, HTTP 200).
func answering(t *testing.T, answers map[string]string, opts ...payments.Option) (*hero.Client, *scripted) {
	t.Helper()
	tr := &scripted{counts: map[string]int{}, answer: func(op string) (int, string, error) {
		body, ok := answers[op]
		if !ok {
			return http.StatusOK, `{"errors":[{"message":"unexpected operation ` + op + `"}]}`, nil
		}
		return http.StatusOK, body, nil
	}}
	c, err := hero.New(hero.Config{APIKey: testKey},
		append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	require.NoError(t, err)
	return c, tr
}

// infos is a getPaymentsInfos answer with one paid entry per id.
func infos(ids ...string) string {
	entries := make([]string, len(ids))
	for i, id := range ids {
		entries[i] = `{"paymentId":"` + id + `","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"",` +
			`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0}`
	}
	return `{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[` + strings.Join(entries, ",") + `]}}}`
}

// requireKept checks that err is a Hero error of kind that keeps body as
// Raw, and returns it.
func requireKept(t *testing.T, err error, kind payments.Kind, body string) *payments.Error {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, payments.Hero, perr.Provider)
	assert.Equal(t, body, string(perr.Raw), "Raw keeps Hero's answer")
	return perr
}

func TestAnswersAboutOtherPaymentsAreRefused(t *testing.T) {
	ctx := context.Background()
	another := infos("payment_id_9")
	twice := infos("payment_id_1", "payment_id_1")
	oneMore := infos("payment_id_1", "payment_id_3")

	for name, tc := range map[string]struct {
		answer string
		call   func(*hero.Client) error
	}{
		"Verify, another payment": {another, func(c *hero.Client) error { _, err := c.Verify(ctx, "payment_id_1"); return err }},
		"Verify, twice":           {twice, func(c *hero.Client) error { _, err := c.Verify(ctx, "payment_id_1"); return err }},
		"RedirectURL":             {another, func(c *hero.Client) error { _, err := c.RedirectURL(ctx, "payment_id_1"); return err }},
		"Refund of what remains": {another, func(c *hero.Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1"})
			return err
		}},
		"VerifyMany, one not asked": {oneMore, func(c *hero.Client) error {
			_, err := c.VerifyMany(ctx, []string{"payment_id_1", "payment_id_2"})
			return err
		}},
		"VerifyMany, twice": {twice, func(c *hero.Client) error {
			_, err := c.VerifyMany(ctx, []string{"payment_id_1", "payment_id_2"})
			return err
		}},
		"GetPaymentsInfos, twice": {twice, func(c *hero.Client) error {
			_, err := c.GetPaymentsInfos(ctx, []string{"payment_id_1"})
			return err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			c, tr := answering(t, map[string]string{"getPaymentsInfos": tc.answer, "refundPaymentCheckout": `{"data":{"refundPaymentCheckout":{"success":true}}}`})
			perr := requireKept(t, tc.call(c), payments.ErrIntegrity, tc.answer)
			assert.Equal(t, 200, perr.HTTPStatus)
			assert.Zero(t, tr.count("refundPaymentCheckout"), "nothing is refunded on the strength of another payment's answer")
		})
	}

	// A long batch is checked the same way.
	ids := benchIDs(50)
	c, _ := answering(t, map[string]string{"getPaymentsInfos": infos(append(ids[:49:49], "payment_id_1")...)})
	requireKept(t, func() error { _, err := c.VerifyMany(ctx, ids); return err }(), payments.ErrIntegrity, infos(append(ids[:49:49], "payment_id_1")...))
	c, _ = answering(t, map[string]string{"getPaymentsInfos": infos(append(ids[:49:49], ids[3])...)})
	requireKept(t, func() error { _, err := c.VerifyMany(ctx, ids); return err }(), payments.ErrIntegrity, infos(append(ids[:49:49], ids[3])...))
}

func TestErrorsBuiltFromAnAnswerKeepIt(t *testing.T) {
	ctx := context.Background()
	empty := `{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[]}}}`
	c, _ := answering(t, map[string]string{"getPaymentsInfos": empty})
	_, err := c.Verify(ctx, "payment_id_1")
	requireKept(t, err, payments.ErrNotFound, empty)
	_, err = c.RedirectURL(ctx, "payment_id_1")
	requireKept(t, err, payments.ErrNotFound, empty)
	got, err := c.VerifyMany(ctx, []string{"payment_id_1"})
	require.NoError(t, err, "an unknown id is absent from VerifyMany's result")
	assert.Empty(t, got)

	paid := infos("payment_id_1")
	c, _ = answering(t, map[string]string{"getPaymentsInfos": paid})
	_, err = c.RedirectURL(ctx, "payment_id_1")
	requireKept(t, err, payments.ErrConflict, paid)

	unpaid := `{"data":{"getPaymentsInfos":{"result":[{"paymentId":"payment_id_1","isSuccess":false,"error":"PAYMENT_NOT_INITIATED",` +
		`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0}]}}}`
	c, tr := answering(t, map[string]string{"getPaymentsInfos": unpaid})
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1"})
	perr := requireKept(t, err, payments.ErrConflict, unpaid)
	assert.Equal(t, hero.CodePaymentNotInitiated, perr.Code)
	assert.Zero(t, tr.count("refundPaymentCheckout"))

	refused := `{"data":{"refundPaymentCheckout":{"__typename":"RefundPaymentCheckoutOutput","success":false}}}`
	c, _ = answering(t, map[string]string{"refundPaymentCheckout": refused})
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur(100)})
	requireKept(t, err, payments.ErrDeclined, refused)
}

func TestRawIsScrubbed(t *testing.T) {
	ctx := context.Background()
	leak := `"echo":"` + testKey + `","hint":"Api-Key ` + testKey + `"`
	entry := `{"paymentId":"payment_id_1","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"` + testKey + `",` +
		`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0}`
	c, _ := answering(t, map[string]string{
		"createPayment":         `{"data":{"createPayment":{"id":"payment_id_1"}},` + leak + `}`,
		"setOrderId":            `{"data":{"setOrderId":true},` + leak + `}`,
		"getPaymentsInfos":      `{"data":{"getPaymentsInfos":{"result":[` + entry + `]}},` + leak + `}`,
		"refundPaymentCheckout": `{"data":{"refundPaymentCheckout":{"success":true}},` + leak + `}`,
	})
	s, err := c.Create(ctx, validRequest())
	require.NoError(t, err)
	p, err := c.Verify(ctx, "payment_id_1")
	require.NoError(t, err)
	many, err := c.VerifyMany(ctx, []string{"payment_id_1"})
	require.NoError(t, err)
	infos, err := c.GetPaymentsInfos(ctx, []string{"payment_id_1"})
	require.NoError(t, err)
	r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur(100)})
	require.NoError(t, err)
	for name, raw := range map[string][]byte{
		"Session": s.Raw, "Payment": p.Raw, "VerifyMany": many["payment_id_1"].Raw, "PaymentInfo": infos[0].Raw, "Refund": r.Raw,
	} {
		assert.NotEmpty(t, raw, name)
		assert.NotContains(t, string(raw), testKey, name)
	}
	assert.Equal(t, strings.Replace(entry, testKey, "[REDACTED]", 1), string(p.Raw), "an entry's Raw is that entry, scrubbed")

	// And in an error's.
	refused := `{"data":{"refundPaymentCheckout":{"__typename":"GqlHeroError","errorCode":"UNAUTHORIZED","message":"bad key ` + testKey + `"}}}`
	c, _ = answering(t, map[string]string{"refundPaymentCheckout": refused})
	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur(100)})
	requireKept(t, err, payments.ErrPermission, strings.Replace(refused, testKey, "[REDACTED]", 1))
	assert.NotContains(t, err.Error(), testKey)
}

// The client reads Hero's usual answer by hand and leaves any other to
// encoding/json; both must come to the same payments, each with its own
// entry as Raw, scrubbed.
func TestAnswersReadByHandOrNotReadAlike(t *testing.T) {
	ctx := context.Background()
	plain := []string{
		`{"paymentId":"payment_id_1","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"` + testKey + `",` +
			`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":2000}`,
		`{"paymentId":"payment_id_2","isSuccess":false,"error":"PAYMENT_NOT_INITIATED","reviewStatus":"NONE","reason":"None",` +
			`"initialPaymentAmount":5000,"pendingRefundAmount":0,"refundedAmount":0}`,
	}
	// The same, each id's name in another case: encoding/json's to read.
	other := []string{
		strings.Replace(plain[0], `"paymentId"`, `"PaymentID"`, 1),
		strings.Replace(plain[1], `"paymentId"`, `"PAYMENTID"`, 1),
	}
	read := func(entries []string) map[string]*payments.Payment {
		c, _ := answering(t, map[string]string{"getPaymentsInfos": `{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[` +
			strings.Join(entries, ",") + `]}}}`})
		got, err := c.VerifyMany(ctx, []string{"payment_id_1", "payment_id_2"})
		require.NoError(t, err)
		require.Len(t, got, 2)
		for i, id := range []string{"payment_id_1", "payment_id_2"} {
			require.Contains(t, got, id)
			assert.Equal(t, strings.Replace(entries[i], testKey, "[REDACTED]", 1), string(got[id].Raw), "%s's Raw is its entry, scrubbed", id)
		}
		return got
	}
	byHand, byJSON := read(plain), read(other)
	for _, id := range []string{"payment_id_1", "payment_id_2"} {
		a, b := *byHand[id], *byJSON[id]
		a.Raw, b.Raw = nil, nil
		assert.Equal(t, a, b, id)
	}
	assert.Equal(t, payments.StatusPartiallyRefunded, byHand["payment_id_1"].Status)
	assert.Equal(t, payments.StatusPending, byHand["payment_id_2"].Status)
}

func TestAnswersWithoutWhatTheOperationExpectsAreMalformed(t *testing.T) {
	ctx := context.Background()
	ops := []struct {
		name, op string
		call     func(*hero.Client) error
	}{
		{"Create", "createPayment", func(c *hero.Client) error { _, err := c.Create(ctx, validRequest()); return err }},
		{"SetOrderID", "setOrderId", func(c *hero.Client) error { return c.SetOrderID(ctx, "payment_id_1", "order-1") }},
		{"Verify", "getPaymentsInfos", func(c *hero.Client) error { _, err := c.Verify(ctx, "payment_id_1"); return err }},
		{"VerifyMany", "getPaymentsInfos", func(c *hero.Client) error {
			_, err := c.VerifyMany(ctx, []string{"payment_id_1", "payment_id_2"})
			return err
		}},
		{"Refund", "refundPaymentCheckout", func(c *hero.Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "payment_id_1", Amount: eur(100)})
			return err
		}},
		{"AvailablePaymentTypes", "availablePaymentTypes", func(c *hero.Client) error {
			_, err := c.AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 100, CustomerReference: "c"})
			return err
		}},
	}
	for _, o := range ops {
		for _, body := range []string{
			`null`, `[]`, `"data"`, `{}`, `{"data":null}`, `{"data":{}}`, `{"data":{"` + o.op + `":null}}`, `{"data":[]}`,
			`{"errors":[]}`, `{"data":null,"errors":[]}`,
		} {
			t.Run(o.name+" "+body, func(t *testing.T) {
				answers := map[string]string{o.op: body}
				if o.op != "createPayment" {
					answers["createPayment"] = `{"data":{"createPayment":{"id":"payment_id_1"}}}`
				}
				c, tr := answering(t, answers)
				requireKept(t, o.call(c), payments.ErrMalformedResponse, body)
				assert.Equal(t, 1, tr.count(o.op), "an answer is not retried")
			})
		}
	}
}

func TestGraphQLErrorsWithHTTP200(t *testing.T) {
	ctx := context.Background()
	body := `{"errors":[{"message":"NOT_LOGGED","path":["getPaymentsInfos"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"getPaymentsInfos":null}}`
	c, _ := answering(t, map[string]string{"getPaymentsInfos": body})
	_, err := c.Verify(ctx, "payment_id_1")
	perr := requireKept(t, err, payments.ErrAuthentication, body)
	assert.Equal(t, hero.CodeNotLogged, perr.Code)
	_, err = c.VerifyMany(ctx, []string{"payment_id_1"})
	requireKept(t, err, payments.ErrAuthentication, body)
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	huge := strings.Repeat("x", 1<<20)
	many := benchIDs(101)
	for name, tc := range map[string]struct {
		field string
		call  func(*hero.Client) error
	}{
		"Verify ..":         {"PaymentID", func(c *hero.Client) error { _, err := c.Verify(ctx, ".."); return err }},
		"Verify a/b":        {"PaymentID", func(c *hero.Client) error { _, err := c.Verify(ctx, "a/b"); return err }},
		"Verify huge":       {"PaymentID", func(c *hero.Client) error { _, err := c.Verify(ctx, huge); return err }},
		"RedirectURL blank": {"PaymentID", func(c *hero.Client) error { _, err := c.RedirectURL(ctx, " "); return err }},
		"RedirectURL NUL":   {"PaymentID", func(c *hero.Client) error { _, err := c.RedirectURL(ctx, "a\x00"); return err }},
		"Refund a?b": {"PaymentID", func(c *hero.Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "a?b"})
			return err
		}},
		"Refund checkout id": {"Options.PaymentCheckoutID", func(c *hero.Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "p", Options: hero.RefundOptions{PaymentCheckoutID: "x/../y"}})
			return err
		}},
		"Refund reason": {"Reason", func(c *hero.Client) error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: "p", Reason: huge})
			return err
		}},
		"VerifyMany":             {"paymentIDs[1]", func(c *hero.Client) error { _, err := c.VerifyMany(ctx, []string{"p", "a%2Fb"}); return err }},
		"GetPaymentsInfos bad":   {"paymentIDs[1]", func(c *hero.Client) error { _, err := c.GetPaymentsInfos(ctx, []string{"p", "a b"}); return err }},
		"GetPaymentsInfos twice": {"paymentIDs[1]", func(c *hero.Client) error { _, err := c.GetPaymentsInfos(ctx, []string{"p", "p"}); return err }},
		"GetPaymentsInfos none":  {"paymentIDs", func(c *hero.Client) error { _, err := c.GetPaymentsInfos(ctx, nil); return err }},
		"GetPaymentsInfos 101":   {"paymentIDs", func(c *hero.Client) error { _, err := c.GetPaymentsInfos(ctx, many); return err }},
		"SetOrderID id":          {"paymentID", func(c *hero.Client) error { return c.SetOrderID(ctx, "..", "order-1") }},
		"SetOrderID huge order":  {"orderID", func(c *hero.Client) error { return c.SetOrderID(ctx, "p", huge) }},
		"SetOrderID NUL order":   {"orderID", func(c *hero.Client) error { return c.SetOrderID(ctx, "p", "order\x00") }},
		"RefundPaymentCheckout id": {"PaymentCheckoutID", func(c *hero.Client) error {
			_, err := c.RefundPaymentCheckout(ctx, hero.RefundPaymentCheckoutInput{PaymentCheckoutID: "a/b", Amount: 100})
			return err
		}},
		"RefundPaymentCheckout zero": {"Amount", func(c *hero.Client) error {
			_, err := c.RefundPaymentCheckout(ctx, hero.RefundPaymentCheckoutInput{PaymentCheckoutID: "p"})
			return err
		}},
		"AvailablePaymentTypes reference": {"CustomerReference", func(c *hero.Client) error {
			_, err := c.AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 100, CustomerReference: huge})
			return err
		}},
		"AvailablePaymentTypes siren": {"Siren", func(c *hero.Client) error {
			_, err := c.AvailablePaymentTypes(ctx, hero.AvailablePaymentTypesInput{Amount: 100, CustomerReference: "c", Siren: "12"})
			return err
		}},
		"CreatePayment city": {"Issuer.Address.City", func(c *hero.Client) error {
			p := hero.NewPayment{Amount: 100, RedirectURI: "https://shop.example.com/r", Type: hero.Pay1X,
				Issuer: hero.Issuer{Name: "Corp", ContactEmail: "a@example.com", ContactPhone: "+33600000000",
					Address: hero.Address{Line1: "1 rue", City: "Pa\xffris", ZipCode: "75001"}}}
			_, err := c.CreatePayment(ctx, p)
			return err
		}},
		"CreatePayment no issuer": {"Issuer.Name", func(c *hero.Client) error {
			_, err := c.CreatePayment(ctx, hero.NewPayment{Amount: 100, RedirectURI: "https://shop.example.com/r", Type: hero.Pay1X})
			return err
		}},
		"Create company option": {"Options.CompanyName", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) { r.Options = hero.Options{CompanyName: huge} }))
			return err
		}},
		"Create company NUL": {"Options.CompanyName", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) { r.Options = hero.Options{CompanyName: "Corp\x00"} }))
			return err
		}},
		"Create type": {"Options.Type", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) {
				r.Options = hero.Options{Type: hero.PaymentType(strings.Repeat("P", 65))}
			}))
			return err
		}},
		"Create reference": {"Reference", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) { r.Reference = huge }))
			return err
		}},
		"Create return URL with the reference": {"ReturnURL", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) {
				r.ReturnURL = "https://shop.example.com/" + strings.Repeat("r", 2000)
				r.Reference = strings.Repeat("o", 200)
			}))
			return err
		}},
		"Create address": {"Customer.BillingAddress.Line1", func(c *hero.Client) error {
			_, err := c.Create(ctx, with(func(r *payments.CreateRequest) { r.Customer.BillingAddress.Line1 = "\x1b[31m1 rue" }))
			return err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			c, tr := answering(t, nil)
			err := tc.call(c)
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, ok := perr.Field(tc.field)
			assert.True(t, ok, "%s in %v", tc.field, perr.Fields)
			assert.True(t, perr.NotSent)
			assert.Zero(t, tr.total(), "nothing is sent")
			assert.Less(t, len(err.Error()), 600, "a huge value is not echoed back")
		})
	}
}

func TestParseReturnRefusesWhatCreateNeverSent(t *testing.T) {
	c, err := hero.New(hero.Config{APIKey: testKey})
	require.NoError(t, err)
	for name, ref := range map[string]string{
		"huge": strings.Repeat("x", 256), "NUL": "order\x00", "escape": "\x1b[2J", "not UTF-8": "order-\xff", "blank": " ",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.ParseReturn(url.Values{hero.ReturnReferenceParam: {ref}})
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			_, ok := perr.Field(hero.ReturnReferenceParam)
			assert.True(t, ok, "fields: %v", perr.Fields)
		})
	}
	r, err := c.ParseReturn(url.Values{hero.ReturnReferenceParam: {`order "42" & co`}})
	require.NoError(t, err, "any reference Create takes comes back")
	assert.Equal(t, `order "42" & co`, r.Reference)
}

func TestSetOrderIDFailingKeepsThePayment(t *testing.T) {
	for name, fail := range map[string]func() (int, string, error){
		"refused": func() (int, string, error) {
			return 0, "", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		},
		"503":  func() (int, string, error) { return http.StatusServiceUnavailable, `{"message":"maintenance"}`, nil },
		"null": func() (int, string, error) { return http.StatusOK, `{"data":{"setOrderId":null}}`, nil },
	} {
		t.Run(name, func(t *testing.T) {
			tr := &scripted{counts: map[string]int{}, answer: func(op string) (int, string, error) {
				if op == "createPayment" {
					return http.StatusOK, `{"data":{"createPayment":{"id":"payment_id_7"}}}`, nil
				}
				return fail()
			}}
			c, err := hero.New(hero.Config{APIKey: testKey}, payments.WithHTTPClient(&http.Client{Transport: tr}),
				payments.WithRetries(2), payments.WithBackoff(1, 1))
			require.NoError(t, err)
			s, err := c.Create(context.Background(), validRequest())
			require.Error(t, err)
			require.NotNil(t, s, "the session comes back with the error")
			assert.Equal(t, "payment_id_7", s.ID)
			assert.True(t, payments.MaybeSent(err), "createPayment reached Hero: the create may not be sent again")
			assert.Contains(t, err.Error(), "payment_id_7", "the error names the payment")
			assert.Contains(t, err.Error(), "Verify payment_id_7", "and says how to find it")
			assert.Equal(t, 1, tr.count("createPayment"), "createPayment is never sent again")
			assert.GreaterOrEqual(t, tr.count("setOrderId"), 1)
		})
	}
}
