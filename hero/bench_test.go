package hero_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/internal/benchkit"
)

// These benchmarks pair each operation of the library with a hand-written
// client (net/http and encoding/json, no library) doing the same exchange
// with the same canned local server: the same request bodies, the same
// answers. `make bench` prints their ratios (internal/cmd/benchtable).
// The hand-written client bounds each request with http.Client.Timeout, as
// the library bounds each attempt: a client without one can wait forever.
// Hero has no webhooks, so there is no ParseWebhook or WebhookHandler pair.

// benchBatch is how many payments the VerifyMany pair reads: one batch.
const benchBatch = 100

// benchEntry is one getPaymentsInfos entry as Hero's docs print it.
func benchEntry(id string) string {
	return `{"paymentId":"` + id + `","isSuccess":true,"error":null,"reviewStatus":"ACCEPTED","reason":"",` +
		`"initialPaymentAmount":8000,"pendingRefundAmount":0,"refundedAmount":0}`
}

func benchIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("payment_id_%03d", i)
	}
	return ids
}

// benchServer answers each GraphQL operation, told apart by its name in the
// body, with a canned answer.
func benchServer(b *testing.B) *httptest.Server {
	entries := make([]string, benchBatch)
	for i, id := range benchIDs(benchBatch) {
		entries[i] = benchEntry(id)
	}
	answers := map[string][]byte{
		"createPayment":  []byte(`{"data":{"createPayment":{"id":"payment_id_1"}}}`),
		"setOrderId":     []byte(`{"data":{"setOrderId":true}}`),
		"infos one":      []byte(`{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[` + benchEntry("payment_id_1") + `]}}}`),
		"infos many":     []byte(`{"data":{"getPaymentsInfos":{"__typename":"GetPaymentsInfosResult","result":[` + strings.Join(entries, ",") + `]}}}`),
		"no such answer": []byte(`{"errors":[{"message":"unknown operation"}]}`),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		body := buf.Bytes()
		key := "no such answer"
		switch {
		case bytes.HasPrefix(body, []byte(`{"query":"mutation createPayment`)):
			key = "createPayment"
		case bytes.HasPrefix(body, []byte(`{"query":"mutation setOrderId`)):
			key = "setOrderId"
		case bytes.HasPrefix(body, []byte(`{"query":"query getPaymentsInfos`)) && bytes.Count(body, []byte("payment_id_")) > 1:
			key = "infos many"
		case bytes.HasPrefix(body, []byte(`{"query":"query getPaymentsInfos`)):
			key = "infos one"
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answers[key])
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClient is the library, its rate limits off (they would measure the
// limiter's waits, not the client).
func benchClient(b *testing.B, srv *httptest.Server) *hero.Client {
	c, err := hero.New(hero.Config{APIKey: testKey, PaymentPageURL: "https://pay.example.com"},
		payments.WithBaseURL(srv.URL),
		payments.WithProviderLimit("second", 0, time.Second),
		payments.WithProviderLimit("minute", 0, time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// handClient is the hand-written baseline: a plain POST of a GraphQL
// request, its answer decoded with encoding/json.
type handClient struct {
	hc  *http.Client
	url string
	key string
}

type handRequest struct {
	Query     string `json:"query"`
	Variables any    `json:"variables"`
}

type handError struct {
	Message string `json:"message"`
}

func (h *handClient) post(ctx context.Context, query string, vars, out any) error {
	body, err := json.Marshal(handRequest{Query: query, Variables: vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Api-Key "+h.key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := h.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// The documents the library sends, written out again for the baseline.
const (
	handCreate   = `mutation createPayment($payment: NewPayment!) { createPayment(payment: $payment) { id } }`
	handSetID    = `mutation setOrderId($paymentId: String!, $orderId: String!) { setOrderId(paymentId: $paymentId, orderId: $orderId) }`
	handInfosDoc = `query getPaymentsInfos($paymentIds: [String!]!) { getPaymentsInfos(paymentIds: $paymentIds) { __typename ` +
		`... on GetPaymentsInfosResult { result { paymentId isSuccess error reviewStatus reason initialPaymentAmount pendingRefundAmount refundedAmount } } ` +
		`... on ValidationErrors { validationErrors { path validationError } } } }`
)

type handAddress struct {
	Line1   string `json:"line1"`
	Line2   string `json:"line2,omitempty"`
	City    string `json:"city"`
	ZipCode string `json:"zipCode"`
}

type handPayment struct {
	Amount      int64  `json:"amount"`
	RedirectURI string `json:"redirectUri"`
	Type        string `json:"type"`
	Issuer      struct {
		Address           handAddress `json:"address"`
		Name              string      `json:"name"`
		ContactEmail      string      `json:"contactEmail"`
		ContactPhone      string      `json:"contactPhone"`
		CustomerReference string      `json:"customerReference,omitempty"`
	} `json:"issuer"`
}

type handInfo struct {
	PaymentID           string  `json:"paymentId"`
	IsSuccess           bool    `json:"isSuccess"`
	Error               *string `json:"error"`
	ReviewStatus        string  `json:"reviewStatus"`
	Reason              string  `json:"reason"`
	InitialAmount       int64   `json:"initialPaymentAmount"`
	PendingRefundAmount int64   `json:"pendingRefundAmount"`
	RefundedAmount      int64   `json:"refundedAmount"`
}

type handInfos struct {
	Data struct {
		GetPaymentsInfos struct {
			Typename string     `json:"__typename"`
			Result   []handInfo `json:"result"`
		} `json:"getPaymentsInfos"`
	} `json:"data"`
	Errors []handError `json:"errors"`
}

func (h *handClient) create(ctx context.Context, req payments.CreateRequest) (string, error) {
	p := handPayment{Amount: req.Amount.Amount, RedirectURI: req.ReturnURL + "&hero_ref=" + req.Reference, Type: "Pay1X"}
	c := req.Customer
	a := c.BillingAddress
	p.Issuer.Address = handAddress{Line1: a.Line1, Line2: a.Line2, City: a.City, ZipCode: a.ZipCode}
	p.Issuer.Name, p.Issuer.ContactEmail, p.Issuer.ContactPhone, p.Issuer.CustomerReference = c.CompanyName, c.Email, c.Phone, c.Reference
	var created struct {
		Data struct {
			CreatePayment struct {
				ID string `json:"id"`
			} `json:"createPayment"`
		} `json:"data"`
		Errors []handError `json:"errors"`
	}
	if err := h.post(ctx, handCreate, map[string]any{"payment": p}, &created); err != nil {
		return "", err
	}
	id := created.Data.CreatePayment.ID
	if len(created.Errors) > 0 || id == "" {
		return "", fmt.Errorf("createPayment failed: %v", created.Errors)
	}
	var set struct {
		Data struct {
			SetOrderID bool `json:"setOrderId"`
		} `json:"data"`
		Errors []handError `json:"errors"`
	}
	if err := h.post(ctx, handSetID, map[string]any{"orderId": req.Reference, "paymentId": id}, &set); err != nil {
		return id, err
	}
	if len(set.Errors) > 0 || !set.Data.SetOrderID {
		return id, fmt.Errorf("setOrderId failed: %v", set.Errors)
	}
	return id, nil
}

func (h *handClient) infos(ctx context.Context, ids []string) ([]handInfo, error) {
	var out handInfos
	if err := h.post(ctx, handInfosDoc, map[string]any{"paymentIds": ids}, &out); err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("getPaymentsInfos failed: %v", out.Errors)
	}
	return out.Data.GetPaymentsInfos.Result, nil
}

func benchRequest() payments.CreateRequest {
	r := validRequest()
	r.Reference = "order-42"
	return r
}

func BenchmarkHeroCreate(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	req := benchRequest()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			s, err := c.Create(ctx, req)
			if err != nil || s.ID != "payment_id_1" {
				b.Fatal(s, err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		h := &handClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, url: srv.URL + "/api/graphql", key: testKey}
		b.ReportAllocs()
		for b.Loop() {
			id, err := h.create(ctx, req)
			if err != nil || id != "payment_id_1" {
				b.Fatal(id, err)
			}
		}
	})
}

func BenchmarkHeroVerify(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Verify(ctx, "payment_id_1")
			if err != nil || p.Status != payments.StatusSucceeded {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		h := &handClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, url: srv.URL + "/api/graphql", key: testKey}
		b.ReportAllocs()
		for b.Loop() {
			infos, err := h.infos(ctx, []string{"payment_id_1"})
			if err != nil || len(infos) != 1 || infos[0].PaymentID != "payment_id_1" || !infos[0].IsSuccess {
				b.Fatal(infos, err)
			}
		}
	})
}

func BenchmarkHeroVerifyMany(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	ids := benchIDs(benchBatch)
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			got, err := c.VerifyMany(ctx, ids)
			if err != nil || len(got) != benchBatch {
				b.Fatal(len(got), err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		h := &handClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, url: srv.URL + "/api/graphql", key: testKey}
		b.ReportAllocs()
		for b.Loop() {
			infos, err := h.infos(ctx, ids)
			if err != nil || len(infos) != benchBatch {
				b.Fatal(len(infos), err)
			}
			got := make(map[string]*handInfo, len(infos))
			for i := range infos {
				got[infos[i].PaymentID] = &infos[i]
			}
			if len(got) != benchBatch {
				b.Fatal(len(got))
			}
		}
	})
}
