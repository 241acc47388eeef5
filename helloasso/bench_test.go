package helloasso_test

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
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/internal/benchkit"
	"github.com/unipay/payments/paymentstest"
)

// The benchmarks pair each operation of the library with a hand-written
// net/http + encoding/json client doing the same exchange against the same
// canned local server: same request bytes, same answers, the same facts read
// from them, each request bounded by http.Client.Timeout as the library
// bounds each attempt. Their ratio is the library's overhead (make bench
// prints the table). The library's client has its token already: the token
// request is not the operation measured (BenchmarkHelloAssoColdVerify
// measures it).
// HelloAsso publishes no rate limit, so the client has none to lift.

const (
	benchToken = "eyJhbGciOiJSUzI1NiJ9.bench-access-token.signature"
	benchKey   = "partner-signature-key-4c1d"
	benchSlug  = "club-de-tennis"
	benchID    = 30674
)

// benchFixture reads a fixture compacted, as HelloAsso sends it.
func benchFixture(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "helloasso", name))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// benchServer answers HelloAsso's token, checkout-intent creation and
// checkout-intent read with canned bodies.
func benchServer(b *testing.B) *httptest.Server {
	token := []byte(`{"access_token":"` + benchToken + `","refresh_token":"bench-refresh-token","token_type":"bearer","expires_in":1800}`)
	created := benchFixture(b, "checkout-intent-created.json")
	intent := benchFixture(b, "checkout-intent-paid.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.URL.Path == "/oauth2/token":
			_, _ = w.Write(token)
		case r.Header.Get("Authorization") != "Bearer "+benchToken:
			w.WriteHeader(http.StatusUnauthorized)
		case r.Method == http.MethodPost:
			_, _ = w.Write(created)
		default:
			_, _ = w.Write(intent)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClient returns a library client of srv with its token.
func benchClient(b *testing.B, srv *httptest.Server, warm bool) *helloasso.Client {
	b.Helper()
	c, err := helloasso.New(helloasso.Config{ClientID: "bench-client", ClientSecret: "bench-secret-9a8b7c", OrganizationSlug: benchSlug,
		SignatureKey: benchKey}, payments.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	if warm {
		if _, err := c.TokenSource().Token(); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

// benchRequest is the checkout both sides open: the guide's example payer.
func benchRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
		Reference:   "A42",
		Description: "Adhésion 2025",
		Customer: &payments.Customer{
			FirstName: "Jean", LastName: "Dupont", Email: "jean.dupont@example.org",
			DateOfBirth:    time.Date(1986, 7, 6, 0, 0, 0, 0, time.UTC),
			BillingAddress: &payments.Address{Line1: "23 rue du Palmier", City: "Paris", ZipCode: "75000", Country: "FR"},
		},
		ReturnURL: "https://shop.example.org/helloasso/return?ref=A42",
		Metadata:  map[string]string{"cart": "c-981"},
		Options:   helloasso.Options{ContainsDonation: false},
	}
}

// baseline is the hand-written client: one http.Client, the token in a
// string, the request and answer shapes it needs.
type baseline struct {
	hc   *http.Client
	base string
}

type basePayer struct {
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	Email       string `json:"email,omitempty"`
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	Address     string `json:"address,omitempty"`
	City        string `json:"city,omitempty"`
	ZipCode     string `json:"zipCode,omitempty"`
	Country     string `json:"country,omitempty"`
}

type baseCreate struct {
	TotalAmount      int64             `json:"totalAmount"`
	InitialAmount    int64             `json:"initialAmount"`
	ItemName         string            `json:"itemName"`
	BackURL          string            `json:"backUrl"`
	ErrorURL         string            `json:"errorUrl"`
	ReturnURL        string            `json:"returnUrl"`
	ContainsDonation bool              `json:"containsDonation"`
	Payer            *basePayer        `json:"payer,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

func (c *baseline) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *baseline) create(ctx context.Context, r payments.CreateRequest) (string, string, error) {
	cu, a := r.Customer, r.Customer.BillingAddress
	meta := map[string]string{"reference": r.Reference}
	for k, v := range r.Metadata {
		meta[k] = v
	}
	body, err := json.Marshal(baseCreate{
		TotalAmount: r.Amount.Amount, InitialAmount: r.Amount.Amount, ItemName: r.Description,
		BackURL: r.ReturnURL, ErrorURL: r.ReturnURL, ReturnURL: r.ReturnURL,
		Payer: &basePayer{FirstName: cu.FirstName, LastName: cu.LastName, Email: cu.Email, DateOfBirth: cu.DateOfBirth.Format("2006-01-02"),
			Address: a.Line1, City: a.City, ZipCode: a.ZipCode, Country: "FRA"},
		Metadata: meta,
	})
	if err != nil {
		return "", "", err
	}
	var out struct {
		ID          int64  `json:"id"`
		RedirectURL string `json:"redirectUrl"`
	}
	if err := c.do(ctx, http.MethodPost, "/v5/organizations/"+benchSlug+"/checkout-intents", body, &out); err != nil {
		return "", "", err
	}
	if out.ID <= 0 || out.RedirectURL == "" {
		return "", "", fmt.Errorf("no id")
	}
	return strconv.FormatInt(out.ID, 10), out.RedirectURL, nil
}

// baseIntent is what a hand-written Verify reads of a checkout intent.
type baseIntent struct {
	ID       int64             `json:"id"`
	Metadata map[string]string `json:"metadata"`
	Order    *struct {
		ID               int64  `json:"id"`
		Date             string `json:"date"`
		CheckoutIntentID int64  `json:"checkoutIntentId"`
		Amount           struct {
			Total int64 `json:"total"`
		} `json:"amount"`
		Payments []struct {
			Amount            int64  `json:"amount"`
			State             string `json:"state"`
			PaymentMeans      string `json:"paymentMeans"`
			InstallmentNumber int    `json:"installmentNumber"`
			RefundOperations  []struct {
				Amount int64  `json:"amount"`
				Status string `json:"status"`
			} `json:"refundOperations"`
		} `json:"payments"`
	} `json:"order"`
}

func (c *baseline) verify(ctx context.Context, id string) (payments.Status, int64, error) {
	var in baseIntent
	if err := c.do(ctx, http.MethodGet, "/v5/organizations/"+benchSlug+"/checkout-intents/"+id, nil, &in); err != nil {
		return "", 0, err
	}
	if strconv.FormatInt(in.ID, 10) != id {
		return "", 0, fmt.Errorf("another intent")
	}
	if in.Order == nil || len(in.Order.Payments) == 0 {
		return payments.StatusPending, 0, nil
	}
	if _, err := time.Parse(time.RFC3339Nano, in.Order.Date); err != nil {
		return "", 0, err
	}
	status := payments.StatusFailed
	if in.Order.Payments[0].State == "Authorized" {
		status = payments.StatusSucceeded
	}
	return status, in.Order.Amount.Total, nil
}

func BenchmarkHelloAssoCreate(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv, true)
		b.ReportAllocs()
		for b.Loop() {
			s, err := c.Create(ctx, benchRequest())
			if err != nil || s.ID == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := &baseline{hc: &http.Client{Timeout: payments.DefaultTimeout}, base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			id, _, err := c.create(ctx, benchRequest())
			if err != nil || id == "" {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHelloAssoVerify(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	id := strconv.Itoa(benchID)
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv, true)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Verify(ctx, id)
			if err != nil || p.Status != payments.StatusSucceeded {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := &baseline{hc: &http.Client{Timeout: payments.DefaultTimeout}, base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			status, _, err := c.verify(ctx, id)
			if err != nil || status != payments.StatusSucceeded {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHelloAssoColdVerify is a new client's first Verify: a token
// request, then the read (beside the same two exchanges by hand).
func BenchmarkHelloAssoColdVerify(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	id := strconv.Itoa(benchID)
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		b.ReportAllocs()
		for b.Loop() {
			c := benchClient(b, srv, false)
			if _, err := c.Verify(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		hc := &http.Client{Timeout: payments.DefaultTimeout}
		b.ReportAllocs()
		for b.Loop() {
			resp, err := hc.PostForm(srv.URL+"/oauth2/token", map[string][]string{
				"grant_type": {"client_credentials"}, "client_id": {"bench-client"}, "client_secret": {"bench-secret-9a8b7c"}})
			if err != nil {
				b.Fatal(err)
			}
			var tok struct {
				AccessToken  string `json:"access_token"`
				RefreshToken string `json:"refresh_token"`
				ExpiresIn    int    `json:"expires_in"`
			}
			err = json.NewDecoder(resp.Body).Decode(&tok)
			resp.Body.Close()
			if err != nil || tok.AccessToken != benchToken {
				b.Fatal(err)
			}
			c := &baseline{hc: hc, base: srv.URL}
			if _, _, err := c.verify(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// notificationOf returns an Order notification of about size bytes: the
// fixture's order (about 1 KiB compacted), with more items to reach size.
func notificationOf(b *testing.B, size int, reference string) []byte {
	body := benchFixture(b, "notification-order.json")
	body = bytes.Replace(body, []byte(`"reference":"A42"`), []byte(`"reference":"`+reference+`"`), 1)
	item := []byte(`{"payments":[{"id":41234,"shareAmount":3000}],"name":"Adhésion 2025","priceCategory":"Fixed","qrCode":"MjkxOTM6NjM4ODQ5MTg2NzUyOTcyNTEw","id":29193,"amount":3000,"type":"Payment","state":"Processed"}`)
	at := bytes.Index(body, []byte(`"items":[`)) + len(`"items":[`)
	var extra []byte
	for len(body)+len(extra) < size-len(item) {
		extra = append(append(extra, item...), ',')
	}
	return append(append(append([]byte(nil), body[:at]...), extra...), body[at:]...)
}

// baseNotification is what a hand-written handler reads of a notification:
// the checkout, the payments' states, the reference.
type baseNotification struct {
	EventType string `json:"eventType"`
	Data      struct {
		ID               int64  `json:"id"`
		CheckoutIntentID *int64 `json:"checkoutIntentId"`
		FormType         string `json:"formType"`
		State            string `json:"state"`
		Payments         []struct {
			State string `json:"state"`
		} `json:"payments"`
		Order *struct {
			ID               int64  `json:"id"`
			CheckoutIntentID *int64 `json:"checkoutIntentId"`
		} `json:"order"`
	} `json:"data"`
	Metadata struct {
		Reference string `json:"reference"`
	} `json:"metadata"`
}

// baseParse checks the signature and reads the notification, by hand.
func baseParse(h http.Header, body []byte) (*baseNotification, error) {
	got, err := hex.DecodeString(h.Get("X-Ha-Signature"))
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, []byte(benchKey))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return nil, fmt.Errorf("bad signature")
	}
	var n baseNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, err
	}
	if n.EventType == "" || n.Data.CheckoutIntentID == nil {
		return nil, fmt.Errorf("not a checkout's order")
	}
	return &n, nil
}

func BenchmarkHelloAssoParseWebhook(b *testing.B) {
	srv := benchServer(b)
	for _, size := range []int{1 << 10, 64 << 10} {
		body := notificationOf(b, size, "A42")
		h := paymentstest.SignHelloAsso(benchKey, body)
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.Run("library", func(b *testing.B) {
				defer benchkit.CPU(b)()
				c := benchClient(b, srv, false)
				b.ReportAllocs()
				for b.Loop() {
					ev, err := c.ParseWebhook(h, body)
					if err != nil || ev.PaymentID == "" || ev.Reference != "A42" {
						b.Fatal(err)
					}
				}
			})
			b.Run("baseline", func(b *testing.B) {
				defer benchkit.CPU(b)()
				b.ReportAllocs()
				for b.Loop() {
					n, err := baseParse(h, body)
					if err != nil || n.Metadata.Reference != "A42" {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkHelloAssoWebhookHandler serves deliveries of 1 KiB Order
// notifications (1,024 bodies in turn), each handled as new: the library's
// payments.WebhookHandler with a memory event log that remembers an event
// for a nanosecond, and a hand-written handler doing the same (body cap,
// signature, decoding, an in-memory log of the bodies' digests, since
// HelloAsso sends no event id, remembering them as briefly). A log that
// forgets at once keeps the measure on a new delivery's path, not on the
// redelivery's, nor on the eviction of a full log.
func BenchmarkHelloAssoWebhookHandler(b *testing.B) {
	const ring = 1024
	type delivery struct {
		h    http.Header
		body []byte
	}
	deliveries := make([]delivery, ring)
	for i := range deliveries {
		body := notificationOf(b, 1<<10, fmt.Sprintf("A%04d", i))
		deliveries[i] = delivery{paymentstest.SignHelloAsso(benchKey, body), body}
	}
	serve := func(b *testing.B, handler http.Handler) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			d := deliveries[i%ring]
			i++
			r := httptest.NewRequest(http.MethodPost, "/webhooks/helloasso", bytes.NewReader(d.body))
			r.Header = d.h
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("HTTP %d", w.Code)
			}
		}
	}
	var handled int
	handle := func(context.Context, *payments.Event) error { handled++; return nil }
	srv := benchServer(b)
	b.Run("library", func(b *testing.B) {
		defer benchkit.CPU(b)()
		c := benchClient(b, srv, false)
		serve(b, payments.WebhookHandler(c, handle,
			payments.WithEventLog(payments.NewMemoryEventLog(1<<20)), payments.WithRetention(time.Nanosecond)))
	})
	b.Run("baseline", func(b *testing.B) {
		defer benchkit.CPU(b)()
		var (
			mu   sync.Mutex
			done = map[[sha256.Size]byte]time.Time{}
		)
		serve(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
			if err != nil {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			n, err := baseParse(r.Header, body)
			if err != nil {
				http.Error(w, "invalid webhook", http.StatusBadRequest)
				return
			}
			key := sha256.Sum256(body)
			mu.Lock()
			until, seen := done[key]
			dup := seen && time.Now().Before(until)
			mu.Unlock()
			if !dup {
				ev := &payments.Event{Provider: payments.HelloAsso, Type: n.EventType, Reference: n.Metadata.Reference, Verified: true}
				if err := handle(r.Context(), ev); err != nil {
					http.Error(w, "handler failed", http.StatusInternalServerError)
					return
				}
				mu.Lock()
				done[key] = time.Now().Add(time.Nanosecond)
				mu.Unlock()
			}
			w.WriteHeader(http.StatusOK)
		}))
	})
	if handled == 0 {
		b.Fatal("no delivery was handled")
	}
}
