package hub2_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/internal/benchkit"
	"github.com/unipay/payments/paymentstest"
)

// The benchmarks pair each operation of the adapter ("library") with a
// hand-written net/http + encoding/json client doing the same exchange
// ("baseline") against the same canned server, which answers with Hub2's
// own captured bodies (testdata/hub2, a 2026 sandbox run). The baseline
// bounds each request with http.Client.Timeout, as the library bounds each
// attempt. make bench prints the ratios (internal/cmd/benchtable).

const (
	benchKey      = "hub2_sk_bench_7c3e91d0a4b24f6a"
	benchMerchant = "16"
	benchSecret   = "whsec_bench_0c7d2e5b8a914f36"
	benchIntent   = "pi_yV4SCH7ChIbKWZ3DEEqNT" // the captures' intent
)

func benchFixture(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// benchServer answers as Hub2 did in the captures: the intent's creation,
// an attempt on it, and a read of it once paid. Each creation answers with
// a new client JWT (the capture's, its signature changed), as each new
// intent has its own: a client meets a token it has never seen.
func benchServer(b *testing.B) *httptest.Server {
	capture := benchFixture(b, "warimcp_create_intent_sandbox.json")
	var created [][]byte
	for i := range 4096 {
		created = append(created, bytes.Replace(capture, []byte(`.BzV62U0iREMsq7RqADMwWN0YIKpJLQRoLjYzJB9VwIc"`),
			fmt.Appendf(nil, ".BzV62U0iREMsq7RqADMwWN0YIKpJLQR%012d\"", i), 1))
	}
	if bytes.Equal(created[1], capture) || !json.Valid(created[1]) {
		b.Fatal("the capture's token was not replaced")
	}
	var next atomic.Int64
	attempted := benchFixture(b, "warimcp_attempt_mtn_sandbox.json")
	paid := benchFixture(b, "warimcp_get_intent_successful_sandbox.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/payment-intents":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(created[next.Add(1)%int64(len(created))])
		case r.Method == http.MethodPost && r.URL.Path == "/payment-intents/"+benchIntent+"/payments":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(attempted)
		case r.Method == http.MethodGet && r.URL.Path == "/payment-intents/"+benchIntent:
			_, _ = w.Write(paid)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClient is the library, with its built-in rate limit off (the
// benchmark would otherwise measure the limiter's waits).
func benchClient(b *testing.B, base string) *hub2.Client {
	b.Helper()
	c, err := hub2.New(hub2.Config{APIKey: benchKey, MerchantID: benchMerchant, WebhookSecrets: []string{benchSecret}},
		payments.WithBaseURL(base), payments.WithProviderLimit("requests", 0, time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// The baseline's hand-written client: Hub2's headers, a JSON body, the
// answer decoded into the fields a careful integration reads, and the
// checks it would make (the status code, the intent's id).

type baseIntent struct {
	ID                string    `json:"id"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
	PurchaseReference string    `json:"purchaseReference"`
	CustomerReference string    `json:"customerReference"`
	Amount            int64     `json:"amount"`
	Currency          string    `json:"currency"`
	Token             string    `json:"token"`
	Status            string    `json:"status"`
	Payments          []struct {
		ID         string    `json:"id"`
		IntentID   string    `json:"intentId"`
		CreatedAt  time.Time `json:"createdAt"`
		Status     string    `json:"status"`
		Amount     int64     `json:"amount"`
		Currency   string    `json:"currency"`
		Method     string    `json:"method"`
		Country    string    `json:"country"`
		Provider   string    `json:"provider"`
		NextAction *struct {
			Type    string `json:"type"`
			Message string `json:"message"`
			Data    *struct {
				URL    string `json:"url"`
				Method string `json:"method"`
			} `json:"data"`
		} `json:"nextAction"`
		Failure *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"failure"`
	} `json:"payments"`
	Mode string `json:"mode"`
}

type baseClient struct {
	hc   *http.Client
	base string
}

func (c *baseClient) do(ctx context.Context, method, path string, body any, want int) (*baseIntent, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("ApiKey", benchKey)
	req.Header.Set("MerchantId", benchMerchant)
	req.Header.Set("Environment", "sandbox")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		return nil, fmt.Errorf("hub2: HTTP %d", resp.StatusCode)
	}
	var pi baseIntent
	if err := json.NewDecoder(resp.Body).Decode(&pi); err != nil {
		return nil, err
	}
	if pi.ID == "" {
		return nil, fmt.Errorf("hub2: no intent id")
	}
	return &pi, nil
}

func benchRequest(direct bool) payments.CreateRequest {
	r := payments.CreateRequest{
		Amount:    payments.Money{Amount: 100, Currency: "XOF"},
		Reference: "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2",
	}
	if direct {
		r.Options = hub2.Options{Country: "CI", Provider: "mtn", MSISDN: "00000001"}
	}
	return r
}

// BenchmarkHub2Create: Create without Options, one POST /payment-intents.
func BenchmarkHub2Create(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv.URL)
		req := benchRequest(false)
		b.ReportAllocs()
		for b.Loop() {
			if s, err := c.Create(ctx, req); err != nil || s.ID != benchIntent {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := &baseClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			pi, err := c.do(ctx, http.MethodPost, "/payment-intents", map[string]any{
				"customerReference": "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2", "purchaseReference": "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2",
				"amount": 100, "currency": "XOF",
			}, http.StatusCreated)
			if err != nil || pi.ID != benchIntent || pi.Amount != 100 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHub2CreateDirect: Create with Options, Hub2's direct flow: the
// intent's creation, then the attempt (two requests by design).
func BenchmarkHub2CreateDirect(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv.URL)
		req := benchRequest(true)
		b.ReportAllocs()
		for b.Loop() {
			if s, err := c.Create(ctx, req); err != nil || s.ID != benchIntent {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := &baseClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			pi, err := c.do(ctx, http.MethodPost, "/payment-intents", map[string]any{
				"customerReference": "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2", "purchaseReference": "2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2",
				"amount": 100, "currency": "XOF",
			}, http.StatusCreated)
			if err != nil || pi.ID != benchIntent {
				b.Fatal(err)
			}
			after, err := c.do(ctx, http.MethodPost, "/payment-intents/"+pi.ID+"/payments", map[string]any{
				"token": pi.Token, "paymentMethod": "mobile_money", "country": "CI", "provider": "mtn",
				"mobileMoney": map[string]string{"msisdn": "00000001"},
			}, http.StatusCreated)
			if err != nil || after.ID != pi.ID {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHub2Verify: GET /payment-intents/{id}, the intent as Hub2's
// sandbox answered it once paid.
func BenchmarkHub2Verify(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			if p, err := c.Verify(ctx, benchIntent); err != nil || p.Status != payments.StatusSucceeded {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := &baseClient{hc: &http.Client{Timeout: payments.DefaultTimeout}, base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			pi, err := c.do(ctx, http.MethodGet, "/payment-intents/"+benchIntent, nil, http.StatusOK)
			if err != nil || pi.ID != benchIntent || pi.Status != "successful" {
				b.Fatal(err)
			}
		}
	})
}

// webhookBody returns a signed payment_intent.succeeded delivery of about
// size bytes: the captured intent, with as many attempts as it takes, its
// id made unique by n.
func webhookBody(b *testing.B, size, n int) (http.Header, []byte) {
	b.Helper()
	var ev map[string]any
	if err := json.Unmarshal(benchFixture(b, "webhook_payment_intent_succeeded.json"), &ev); err != nil {
		b.Fatal(err)
	}
	data := ev["data"].(map[string]any)
	data["id"] = fmt.Sprintf("pi_bench%013d", n)
	attempt := data["payments"].([]any)[0]
	for {
		body, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		if len(body) >= size-size/16 {
			return paymentstest.SignHub2(benchSecret, "", body), body
		}
		data["payments"] = append(data["payments"].([]any), attempt)
	}
}

// baseEnvelope is what a hand-written receiver reads of a delivery.
type baseEnvelope struct {
	Type string `json:"type"`
	Data struct {
		ID       string `json:"id"`
		IntentID string `json:"intentId"`
		Status   string `json:"status"`
	} `json:"data"`
}

// baseParse checks the delivery's s1 signature and decodes it, as a
// hand-written receiver would.
func baseParse(header http.Header, body []byte) (*baseEnvelope, error) {
	var sig []byte
	for part := range strings.SplitSeq(header.Get("Hub2-Signature"), ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "s1="); ok {
			sig, _ = hex.DecodeString(v)
		}
	}
	mac := hmac.New(sha256.New, []byte(benchSecret))
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, fmt.Errorf("bad signature")
	}
	var ev baseEnvelope
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, err
	}
	return &ev, nil
}

// BenchmarkHub2ParseWebhook: a signed delivery of 1 KiB and of 64 KiB.
func BenchmarkHub2ParseWebhook(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10} {
		header, body := webhookBody(b, size, 1)
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.Run("library", func(b *testing.B) {
				defer benchkit.CPU(b)()
				c := benchClient(b, "https://api.hub2.io")
				b.ReportAllocs()
				for b.Loop() {
					if ev, err := c.ParseWebhook(header, body); err != nil || ev.PaymentID == "" {
						b.Fatal(err)
					}
				}
			})
			b.Run("baseline", func(b *testing.B) {
				defer benchkit.CPU(b)()
				b.ReportAllocs()
				for b.Loop() {
					if ev, err := baseParse(header, body); err != nil || ev.Data.ID == "" {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// baseHandler is a hand-written webhook endpoint doing what
// payments.WebhookHandler does: read at most 1 MiB, check, decode, drop an
// event already handled, handle, answer 200.
type baseHandler struct {
	handle func(*baseEnvelope)
	mu     sync.Mutex
	seen   map[string]bool
}

func (h *baseHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	ev, err := baseParse(r.Header, body)
	if err != nil {
		http.Error(w, "invalid webhook", http.StatusBadRequest)
		return
	}
	key := ev.Type + ":" + ev.Data.ID + ":" + ev.Data.Status
	h.mu.Lock()
	dup := h.seen[key]
	h.seen[key] = true
	h.mu.Unlock()
	if !dup {
		h.handle(ev)
	}
	w.WriteHeader(http.StatusOK)
}

// BenchmarkHub2WebhookHandler: a 1 KiB delivery through the whole endpoint,
// each one a new event (a pool of them, the endpoint renewed with it).
func BenchmarkHub2WebhookHandler(b *testing.B) {
	const pool = 2048
	headers := make([]http.Header, pool)
	bodies := make([][]byte, pool)
	for i := range pool {
		headers[i], bodies[i] = webhookBody(b, 1<<10, i)
	}
	run := func(b *testing.B, newHandler func() http.Handler) {
		h := newHandler()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i == pool {
				b.StopTimer()
				h, i = newHandler(), 0
				b.StartTimer()
			}
			req := httptest.NewRequest(http.MethodPost, "/webhooks/hub2", bytes.NewReader(bodies[i]))
			req.Header = headers[i]
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatal(w.Code, w.Body.String())
			}
			i++
		}
	}
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, "https://api.hub2.io")
		run(b, func() http.Handler {
			return payments.WebhookHandler(c, func(_ context.Context, ev *payments.Event) error {
				if ev.PaymentID == "" {
					return fmt.Errorf("no payment")
				}
				return nil
			})
		})
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		run(b, func() http.Handler {
			return &baseHandler{seen: map[string]bool{}, handle: func(ev *baseEnvelope) {
				if ev.Data.ID == "" {
					b.Fatal("no payment")
				}
			}}
		})
	})
}
