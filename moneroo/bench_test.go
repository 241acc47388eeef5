package moneroo_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/benchkit"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

// The benchmarks pair each operation of the library ("library") with a
// hand-written net/http + encoding/json client doing the same exchange
// ("baseline") against the same canned local server: the same request
// bytes, the same answer, the same checks a careful hand-written client
// makes (status, id, exact amount), and a timeout on each request
// (http.Client.Timeout), as the library bounds each attempt. make bench
// prints their ratios.

const (
	benchKey    = "pvk_bench|01HBENCHMARK00000000000000"
	benchSecret = "whsec_bench"
	benchID     = "k4su1ii7abdz"
)

// benchServer answers initialize with the docs' 201 example and verify
// with the docs' verify example, compacted as a server sends them.
func benchServer(b testing.TB) *httptest.Server {
	b.Helper()
	compact := func(name string) []byte {
		var buf bytes.Buffer
		if err := json.Compact(&buf, fixture(b, name)); err != nil {
			b.Fatal(err)
		}
		return buf.Bytes()
	}
	created, verified := compact("initialize_201.json"), compact("verify_success_xof.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/payments/initialize":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(created)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/payments/"+benchID+"/verify":
			_, _ = w.Write(verified)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClient is the library's client for srv, without the built-in rate
// limit (which would otherwise pace the benchmark).
func benchClient(b testing.TB, srv *httptest.Server) *moneroo.Client {
	b.Helper()
	c, err := moneroo.New(moneroo.Config{SecretKey: benchKey, WebhookSecret: benchSecret},
		payments.WithBaseURL(srv.URL), payments.WithProviderLimit("requests", 0, time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 5000, Currency: "XOF"},
		Reference:   "order-1042",
		Description: "Two bags of rice",
		ReturnURL:   "https://shop.example.com/return?order=1042",
		Customer:    &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		Metadata:    map[string]string{"cart": "c-1"},
		Options:     moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
	}
}

// baseInitialize is the body a hand-written client sends: the same bytes
// as the library's.
type baseInitialize struct {
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	Description string            `json:"description"`
	ReturnURL   string            `json:"return_url"`
	Customer    baseCustomer      `json:"customer"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	Methods     []string          `json:"methods,omitempty"`
}

type baseCustomer struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// baseDo sends a request as a hand-written client does.
func baseDo(hc *http.Client, method, url string, body []byte, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, json.Unmarshal(b, out)
}

// baselineBody is the initialize body the hand-written client sends for r.
func baselineBody(tb testing.TB, r payments.CreateRequest) []byte {
	in := baseInitialize{
		Amount: r.Amount.Amount, Currency: r.Amount.Currency, Description: r.Description, ReturnURL: r.ReturnURL,
		Customer: baseCustomer{Email: r.Customer.Email, FirstName: r.Customer.FirstName, LastName: r.Customer.LastName},
		Metadata: map[string]string{"unipay_reference": r.Reference}, Methods: r.Options.(moneroo.Options).Methods,
	}
	for k, v := range r.Metadata {
		in.Metadata[k] = v
	}
	body, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// TestTheCreateBaselineSendsTheLibrarysBytes keeps the Create pair honest:
// both sides send Moneroo the same body.
func TestTheCreateBaselineSendsTheLibrarysBytes(t *testing.T) {
	m, c := newMock(t, moneroo.Config{})
	m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
	_, err := c.Create(context.Background(), benchRequest())
	require.NoError(t, err)
	require.Equal(t, string(baselineBody(t, benchRequest())), string(m.requests()[0].Body))
}

func BenchmarkMonerooCreate(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			s, err := c.Create(ctx, benchRequest())
			if err != nil || s.ID == "" {
				b.Fatal(s, err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		hc := &http.Client{Timeout: payments.DefaultTimeout}
		b.ReportAllocs()
		for b.Loop() {
			body := baselineBody(b, benchRequest())
			var out struct {
				Data struct {
					ID          string `json:"id"`
					CheckoutURL string `json:"checkout_url"`
				} `json:"data"`
			}
			status, err := baseDo(hc, http.MethodPost, srv.URL+"/v1/payments/initialize", body, &out)
			if err != nil || status != http.StatusCreated || out.Data.ID == "" || out.Data.CheckoutURL == "" {
				b.Fatal(status, err)
			}
		}
	})
}

// baseTransaction is what a hand-written client reads of a verify answer:
// the fields Verify returns, in the shape the verify example has.
type baseTransaction struct {
	Data struct {
		ID          string                `json:"id"`
		Status      string                `json:"status"`
		Amount      json.Number           `json:"amount"`
		Currency    struct{ Code string } `json:"currency"`
		Environment string                `json:"environment"`
		InitiatedAt time.Time             `json:"initiated_at"`
		ProcessedAt *time.Time            `json:"processed_at"`
		Metadata    map[string]string     `json:"metadata"`
		Capture     *struct {
			FailureMessage   *string `json:"failure_message"`
			FailureErrorCode *string `json:"failure_error_code"`
			Method           struct {
				ShortCode string `json:"short_code"`
			} `json:"method"`
		} `json:"capture"`
	} `json:"data"`
}

func BenchmarkMonerooVerify(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	want := payments.Money{Amount: 200, Currency: "XOF"}
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Verify(ctx, benchID)
			if err != nil || p.Amount != want {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		hc := &http.Client{Timeout: payments.DefaultTimeout}
		b.ReportAllocs()
		for b.Loop() {
			var out baseTransaction
			status, err := baseDo(hc, http.MethodGet, srv.URL+"/v1/payments/"+benchID+"/verify", nil, &out)
			if err != nil || status != http.StatusOK || out.Data.ID != benchID {
				b.Fatal(status, err)
			}
			m, err := payments.ParseMajor(out.Data.Amount.String(), out.Data.Currency.Code)
			if err != nil || m != want {
				b.Fatal(m, err)
			}
		}
	})
}

// webhookBody is a payment.success delivery in the docs' shape, padded to
// about size bytes with a long customer address, for event number n.
func webhookBody(size, n int) []byte {
	head := `{"event":"payment.success","data":{"id":"pay` + strconv.Itoa(n) + `","amount":100,"currency":"USD","status":"success",` +
		`"customer":{"id":"123456","email":"hello@example.com","firstName":"John","lastName":"Doe","phone":"+1 555 555 5555","address":"`
	tail := `"}}}`
	pad := max(0, size-len(head)-len(tail))
	return []byte(head + strings.Repeat("x", pad) + tail)
}

func signBody(body []byte) string {
	m := hmac.New(sha256.New, []byte(benchSecret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// baseEvent is what a hand-written webhook endpoint reads.
type baseEvent struct {
	Event string `json:"event"`
	Data  struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"data"`
}

// baseParse checks the signature and decodes the event, as a hand-written
// endpoint does.
func baseParse(h http.Header, body []byte) (*baseEvent, bool) {
	if !hmac.Equal([]byte(h.Get(moneroo.SignatureHeader)), []byte(signBody(body))) {
		return nil, false
	}
	var ev baseEvent
	if json.Unmarshal(body, &ev) != nil || ev.Data.ID == "" {
		return nil, false
	}
	return &ev, true
}

func BenchmarkMonerooParseWebhook(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10} {
		body := webhookBody(size, 1)
		h := paymentstest.SignMoneroo(benchSecret, body)
		name := strconv.Itoa(size>>10) + "KiB"
		b.Run(name+"/library", func(b *testing.B) {
			defer benchkit.CPU(b)()
			c, err := moneroo.New(moneroo.Config{SecretKey: benchKey, WebhookSecret: benchSecret})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				ev, err := c.ParseWebhook(h, body)
				if err != nil || ev.PaymentID != "pay1" {
					b.Fatal(ev, err)
				}
			}
		})
		b.Run(name+"/baseline", func(b *testing.B) {
			defer benchkit.CPU(b)()
			b.ReportAllocs()
			for b.Loop() {
				ev, ok := baseParse(h, body)
				if !ok || ev.Data.ID != "pay1" {
					b.Fatal(ev)
				}
			}
		})
	}
}

// deliveries are signed webhook requests about distinct payments; the
// handler benchmarks cycle through them, so that after the first round
// every delivery is a redelivery, dropped after its claim.
type delivery struct {
	header http.Header
	body   []byte
}

func deliveries(n int) []delivery {
	out := make([]delivery, n)
	for i := range out {
		body := webhookBody(1<<10, i)
		out[i] = delivery{header: paymentstest.SignMoneroo(benchSecret, body), body: body}
	}
	return out
}

func serveDeliveries(b *testing.B, h http.Handler, ds []delivery) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d := ds[i%len(ds)]
		i++
		r := httptest.NewRequest(http.MethodPost, "/webhooks/moneroo", bytes.NewReader(d.body))
		r.Header = d.header.Clone()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

func BenchmarkMonerooWebhookHandler(b *testing.B) {
	ds := deliveries(1024)
	handle := func(context.Context, string) error { return nil }
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c, err := moneroo.New(moneroo.Config{SecretKey: benchKey, WebhookSecret: benchSecret})
		if err != nil {
			b.Fatal(err)
		}
		serveDeliveries(b, payments.WebhookHandler(c, func(ctx context.Context, ev *payments.Event) error {
			return handle(ctx, ev.PaymentID)
		}), ds)
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		var mu sync.Mutex
		seen := map[string]bool{}
		serveDeliveries(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
			if err != nil {
				http.Error(w, "cannot read body", http.StatusBadRequest)
				return
			}
			ev, ok := baseParse(r.Header, body)
			if !ok {
				http.Error(w, "invalid webhook", http.StatusForbidden)
				return
			}
			key := ev.Event + ":" + ev.Data.ID + ":" + ev.Data.Status
			mu.Lock()
			done := seen[key]
			seen[key] = true
			mu.Unlock()
			if !done {
				if err := handle(r.Context(), ev.Data.ID); err != nil {
					mu.Lock()
					delete(seen, key)
					mu.Unlock()
					http.Error(w, "try again", http.StatusInternalServerError)
					return
				}
			}
			w.WriteHeader(http.StatusOK)
		}), ds)
	})
}
