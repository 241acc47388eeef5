// Package monerootest is a Moneroo simulator for tests and demos: an
// httptest server that speaks Moneroo's Standard-checkout API as its docs
// describe it, with a hosted checkout page, signed webhooks and Moneroo's
// sandbox test phone numbers.
//
//	srv, client := monerootest.Start(t) // closed when the test ends
//	session, err := client.Create(ctx, req)
//	back, err := srv.Walk(ctx, session, true) // the payer pays on the hosted page
//	ret, err := client.ParseReturn(back.Query())
//
// Outside a test, NewServer starts one (Close it) and srv.NewClient returns
// a client pointed at it; or give moneroo.New SecretKey, WebhookSecret and
// payments.WithBaseURL(srv.URL). Like every simulator of this module, a
// Server has URL, Close, NewClient, Pay, Decline and Expire (the payment
// changes state as if the payer or the operator had acted, and the webhook
// goes out), Walk (the payer's browser on the hosted page), SetWebhookURL,
// Faults and Requests; Moneroo's own extras are WalkWithPhone, Status,
// Webhook, Deliveries, CheckoutURL, SetRateLimit and SetDecimalAmounts, and
// for payouts Payouts, PayoutWebhook, SettlePayout, SetPayoutsPending,
// SetBalance and Balance.
//
// What it serves, under srv.URL:
//
//   - POST /v1/payments/initialize, GET /v1/payments/{id}/verify and
//     GET /v1/payments/{id}, with the Bearer SecretKey (401 otherwise),
//     amounts in whole major units, Moneroo's field rules (422 with a
//     Laravel-style "errors" map: field → messages; metadata at most 10
//     string entries; the lengths of Moneroo's Laravel SDK, as
//     moneroo.MaxDescription, MaxName and MaxAddress), 404 for unknown ids,
//     and Moneroo's limit of 120 requests a minute (429, no Retry-After);
//   - POST /v1/payouts/initialize, GET /v1/payouts/{id}/verify and
//     GET /v1/payouts/{id} (payouts.go): the payout methods of Moneroo's
//     docs, amounts in whole major units, recipient.msisdn of 8 to 15
//     digits (recipient.account_number for moneroo_payout_demo), the
//     payout test numbers (PayoutSuccess, PayoutFailed, PayoutPending), a
//     balance per currency a test can set (400 beyond it), no fees (no
//     source names any), and the payout.* webhooks;
//   - GET /utils/payment/methods, the public catalogue from Moneroo's docs;
//   - the hosted checkout page at each payment's checkout_url
//     (/checkout/{id}), whose Pay form takes the payer's phone number and
//     whose Decline form fails the payment. Both redirect (303) to the
//     return_url with paymentId, paymentStatus, monerooPaymentId and
//     monerooPaymentStatus, the parameter names of both editions of the
//     docs.
//
// Moneroo's sandbox test numbers decide the Pay form's outcome, as on the
// real sandbox: PhoneSuccess pays, PhonePending leaves the payment pending,
// PhoneFailed fails it. Any other number, or none, pays. Walk pays with the
// number the page suggests, PhoneSuccess; WalkWithPhone with another.
//
// Its answers have the keys and types of the examples in Moneroo's docs and
// of the official SDKs' models (shape_test.go compares them with
// testdata/moneroo). Amounts are whole major units, as the docs type them;
// SetDecimalAmounts(true) takes decimals too, to test
// moneroo.Config.DecimalAmounts.
//
// Every status change sends a signed webhook (payment.initiated on create,
// then payment.success, payment.failed or payment.cancelled) to the URL
// given to SetWebhookURL, synchronously, before the API answers or the page
// redirects. Faults injects errors in front of the API, not the page.
package monerootest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

// The credentials the simulator accepts. SecretKey has the shape of a real
// key, "|" included.
const (
	SecretKey     = "pvk_sandbox_sim|01HSIMULATOR0000000000000000"
	WebhookSecret = "whsec_moneroo_simulator"
)

// Moneroo's sandbox test numbers ("(414) 951-8161" and so on), digits only;
// the Pay form accepts them in any format, with or without a leading 1.
const (
	PhoneSuccess = "4149518161" // the payment succeeds
	PhonePending = "4149518162" // the payment stays pending
	PhoneFailed  = "4149518163" // the payment fails
)

// RateLimit is how many API requests a minute the simulator answers before
// it sends 429, as Moneroo does.
const RateLimit = 120

// Moneroo's payment states.
const (
	statusInitiated = "initiated"
	statusPending   = "pending"
	statusSuccess   = "success"
	statusFailed    = "failed"
	statusCancelled = "cancelled"
)

// Server is a running Moneroo simulator. Its methods are safe for
// concurrent use.
type Server struct {
	// URL is the simulator's origin: pass payments.WithBaseURL(srv.URL).
	URL string
	// Faults injects errors in front of the API (not the hosted page):
	// srv.Faults.Add(paymentstest.ServerError(503)).
	Faults *paymentstest.Faults

	srv      *httptest.Server
	requests simkit.Counter

	mu         sync.Mutex
	payments   map[string]*payment
	webhookURL string
	deliveries []Delivery
	rateLimit  int
	// decimalAmounts makes initialize take amounts with decimals.
	decimalAmounts bool
	recent         []time.Time // API request times within the last minute
	payouts        map[string]*payout
	payoutOrder    []string         // payout ids, oldest first
	balances       map[string]int64 // payout balance by currency, in minor units; none: no limit
	payoutsPending bool             // new payouts stay pending until SettlePayout
}

// Delivery is a webhook the simulator sent.
type Delivery struct {
	// Event is Moneroo's event name, such as "payment.success" or
	// "payout.failed".
	Event string
	// PaymentID is the payment a payment.* webhook is about.
	PaymentID string
	// PayoutID is the payout a payout.* webhook is about.
	PayoutID string
	// Status is the merchant's HTTP answer, 0 if none arrived.
	Status int
	// Err says why no answer arrived, if none did.
	Err error
}

type payment struct {
	id, status     string
	amount         payments.Money
	currency       string
	description    string
	returnURL      string
	customerID     string
	customer       customerIn
	metadata       map[string]string
	methods        []string
	phone          string // the number the payer paid with
	payerIP        string // where the payer's browser submitted the page from
	userAgent      string // and with which browser
	method         method
	failureMessage string
	failureCode    string
	initiatedAt    time.Time
	updatedAt      time.Time
}

// NewServer starts a simulator on 127.0.0.1 at a random port.
func NewServer() *Server {
	s := &Server{payments: map[string]*payment{}, rateLimit: RateLimit, Faults: &paymentstest.Faults{}}
	api := http.NewServeMux()
	api.HandleFunc("POST /v1/payments/initialize", s.auth(s.initialize))
	api.HandleFunc("GET /v1/payments/{id}/verify", s.auth(s.verify))
	api.HandleFunc("GET /v1/payments/{id}", s.auth(s.retrieve))
	api.HandleFunc("POST /v1/payouts/initialize", s.auth(s.initializePayout))
	api.HandleFunc("GET /v1/payouts/{id}/verify", s.auth(s.verifyPayout))
	api.HandleFunc("GET /v1/payouts/{id}", s.auth(s.retrievePayout))
	api.HandleFunc("GET /utils/payment/methods", s.methods)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Route not found.", nil)
	})
	apiHandler := s.requests.Middleware(s.Faults.Middleware(s.limit(api)))

	mux := http.NewServeMux()
	mux.Handle("/v1/", apiHandler)
	mux.Handle("/utils/", apiHandler)
	mux.HandleFunc("GET /checkout/{id}", s.page)
	mux.HandleFunc("POST /checkout/{id}/pay", s.submit(true))
	mux.HandleFunc("POST /checkout/{id}/decline", s.submit(false))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Route not found.", nil)
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// NewClient returns a Moneroo client pointed at the simulator, with the
// credentials it accepts and opts (payments.WithRetries, WithLogger…).
func (s *Server) NewClient(opts ...payments.Option) (*moneroo.Client, error) {
	return moneroo.New(moneroo.Config{SecretKey: SecretKey, WebhookSecret: WebhookSecret},
		append([]payments.Option{payments.WithBaseURL(s.URL)}, opts...)...)
}

// Start starts a simulator for test t, closed when t ends, and returns it
// with a client pointed at it (NewClient with opts).
func Start(t testing.TB, opts ...payments.Option) (*Server, *moneroo.Client) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	c, err := s.NewClient(opts...)
	if err != nil {
		t.Fatalf("monerootest: %v", err)
	}
	return s, c
}

// Close shuts the simulator down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests the simulator received (hosted
// page hits are not counted).
func (s *Server) Requests() int { return s.requests.Count() }

// SetWebhookURL makes the simulator send its signed webhooks to u ("" stops
// them).
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL = u
}

// SetRateLimit changes how many API requests a minute are answered before
// 429 (RateLimit by default; 0 removes the limit).
func (s *Server) SetRateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = n
	s.recent = nil
}

// SetDecimalAmounts makes initialize take amounts with decimals (up to the
// currency's: 10.5 USD, not 10.505), to test moneroo.Config.DecimalAmounts.
// By default it refuses them (422 on amount), as Moneroo's docs type the
// amount as an integer; what Moneroo's API does, no source says.
func (s *Server) SetDecimalAmounts(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decimalAmounts = on
}

// Deliveries returns the webhooks sent so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// CheckoutURL returns the hosted page of payment id.
func (s *Server) CheckoutURL(id string) string { return s.URL + "/checkout/" + url.PathEscape(id) }

// Pay completes payment id as a payer with a good test number would
// (PhoneSuccess, as the number the payer paid with, unless the page took
// another). A payment already final cannot change.
func (s *Server) Pay(id string) error { return s.settle(id, statusSuccess, "", "") }

// Decline fails payment id, as an operator refusing the debit would.
func (s *Server) Decline(id string) error {
	return s.settle(id, statusFailed, "Payment declined (simulator)", "declined")
}

// Expire cancels payment id, as Moneroo does when the payer abandons the
// checkout page.
func (s *Server) Expire(id string) error { return s.settle(id, statusCancelled, "", "") }

// Status returns payment id's Moneroo state ("initiated", "pending",
// "success", "failed" or "cancelled").
func (s *Server) Status(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return "", fmt.Errorf("monerootest: no payment %q", id)
	}
	return p.status, nil
}

// Webhook returns the signed delivery Moneroo would send about payment id in
// its current state (headers and body), for a test to feed a webhook
// handler directly.
func (s *Server) Webhook(id string) (http.Header, []byte, error) {
	s.mu.Lock()
	p, ok := s.payments[id]
	var body []byte
	if ok {
		body = webhookBody(p)
	}
	s.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("monerootest: no payment %q", id)
	}
	return paymentstest.SignMoneroo(WebhookSecret, body), body, nil
}

// settle moves payment id to status and sends its webhook.
func (s *Server) settle(id, status, failure, code string) error {
	s.mu.Lock()
	p, ok := s.payments[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("monerootest: no payment %q", id)
	}
	if final(p.status) {
		s.mu.Unlock()
		return fmt.Errorf("monerootest: payment %q is already %s", id, p.status)
	}
	if status == statusSuccess && p.phone == "" {
		p.phone = PhoneSuccess
	}
	s.transition(p, status, failure, code)
	body, target := webhookBody(p), s.webhookURL
	s.mu.Unlock()
	s.deliver(target, "payment."+status, id, body)
	return nil
}

// transition changes p's state; s.mu is held.
func (s *Server) transition(p *payment, status, failure, code string) {
	p.status = status
	p.failureMessage, p.failureCode = failure, code
	p.updatedAt = time.Now().UTC()
	if p.method.Code == "" {
		p.method = methodFor(p.currency, p.methods)
	}
}

// deliver sends a signed webhook to target, if there is one, and records it.
// It must be called without s.mu: the merchant's handler may call the API.
func (s *Server) deliver(target, event, id string, body []byte) {
	if target == "" {
		return
	}
	status, err := simkit.Deliver(context.Background(), target, paymentstest.SignMoneroo(WebhookSecret, body), body)
	s.mu.Lock()
	s.deliveries = append(s.deliveries, Delivery{Event: event, PaymentID: id, Status: status, Err: err})
	s.mu.Unlock()
}

func final(status string) bool {
	return status == statusSuccess || status == statusFailed || status == statusCancelled
}

// auth checks the Bearer secret key.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+SecretKey {
			writeError(w, http.StatusUnauthorized, "Unauthenticated. Check your secret key.", nil)
			return
		}
		next(w, r)
	}
}

// limit answers 429 beyond the rate limit over the last minute.
func (s *Server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		s.mu.Lock()
		keep := s.recent[:0]
		for _, t := range s.recent {
			if now.Sub(t) < time.Minute {
				keep = append(keep, t)
			}
		}
		s.recent = keep
		limited := s.rateLimit > 0 && len(s.recent) >= s.rateLimit
		if !limited {
			s.recent = append(s.recent, now)
		}
		s.mu.Unlock()
		if limited {
			writeError(w, http.StatusTooManyRequests, "Too Many Attempts.", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// envelope is Moneroo's answer: message, data, errors.
type envelope struct {
	Message string `json:"message"`
	Data    any    `json:"data"`
	Errors  any    `json:"errors"`
}

// writeError answers an error in Moneroo's envelope: data is {} ("if no
// data is available, this field will be represented as an empty object"),
// errors the field → messages map, or null.
func writeError(w http.ResponseWriter, status int, msg string, errs map[string][]string) {
	var e any
	if len(errs) > 0 {
		e = errs
	}
	simkit.WriteJSON(w, status, envelope{Message: msg, Data: struct{}{}, Errors: e})
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (*payment, bool) {
	p, ok := s.payments[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, "Payment transaction not found.", nil)
	}
	return p, ok
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.lookup(w, r); ok {
		simkit.WriteJSON(w, http.StatusOK, envelope{Message: "Payment transaction fetched successfully!", Data: s.verifyData(p)})
	}
}

func (s *Server) retrieve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.lookup(w, r); ok {
		simkit.WriteJSON(w, http.StatusOK, map[string]any{
			"success": true, "message": "Payment transaction fetched successfully", "data": s.retrieveData(p),
		})
	}
}

func (s *Server) methods(w http.ResponseWriter, r *http.Request) {
	data := make([]map[string]any, 0, len(catalogue))
	for _, m := range catalogue {
		countries := make([]map[string]any, 0, len(m.Countries))
		for _, c := range m.Countries {
			if obj := countryObject(c); obj != nil {
				countries = append(countries, obj)
			}
		}
		data = append(data, map[string]any{
			"name": m.Name, "short_code": m.Code, "description": m.Name, "is_enabled": true,
			"icon_url":  "https://assets.cdn.moneroo.io/icons/circle/" + m.Code + ".svg",
			"currency":  methodCurrency(m.Currency),
			"countries": countries, "gateways": []any{}, "fields": m.fields(),
		})
	}
	simkit.WriteJSON(w, http.StatusOK, envelope{Message: "Payment methods fetched successfully", Data: data})
}

// page serves the hosted checkout page.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.payments[r.PathValue("id")]
	var pg simkit.Page
	if ok {
		pg = s.pageFor(p)
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "This checkout does not exist.", http.StatusNotFound)
		return
	}
	simkit.RenderPage(w, pg)
}

func (s *Server) pageFor(p *payment) simkit.Page {
	pg := simkit.Page{
		Provider:      "Moneroo (simulator)",
		Title:         p.description,
		Amount:        p.amount,
		PayAction:     "/checkout/" + url.PathEscape(p.id) + "/pay",
		DeclineAction: "/checkout/" + url.PathEscape(p.id) + "/decline",
		Fields:        []simkit.Field{{Name: "phone", Label: "Phone number", Value: "(414) 951-8161"}},
		Notice: "Sandbox test numbers: (414) 951-8161 succeeds, (414) 951-8162 stays pending, " +
			"(414) 951-8163 fails.",
	}
	if final(p.status) {
		pg.Closed = "This payment is " + p.status + "."
	}
	return pg
}

// submit handles the hosted page's Pay (pay true) and Decline forms: it
// settles the payment, sends the webhook, and sends the payer back.
func (s *Server) submit(pay bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		p, ok := s.payments[r.PathValue("id")]
		if !ok {
			s.mu.Unlock()
			http.Error(w, "This checkout does not exist.", http.StatusNotFound)
			return
		}
		var body []byte
		var target string
		if !final(p.status) { // a payer coming back to a settled checkout changes nothing
			if pay {
				phone := digits(r.PostFormValue("phone"))
				p.phone = phone
				p.userAgent = r.UserAgent()
				p.payerIP, _, _ = net.SplitHostPort(r.RemoteAddr)
				switch {
				case strings.HasSuffix(phone, PhonePending):
					s.transition(p, statusPending, "", "")
				case strings.HasSuffix(phone, PhoneFailed):
					s.transition(p, statusFailed, "Insufficient funds (sandbox test number)", "insufficient_funds")
				default:
					s.transition(p, statusSuccess, "", "")
				}
			} else {
				s.transition(p, statusFailed, "Payment declined by the payer (simulator)", "declined")
			}
			if p.status != statusPending { // Moneroo has no payment.pending event
				body, target = webhookBody(p), s.webhookURL
			}
		}
		id, status, back := p.id, p.status, p.returnURL
		s.mu.Unlock()
		if body != nil {
			s.deliver(target, "payment."+status, id, body)
		}
		q := url.Values{
			"paymentId": {id}, "paymentStatus": {status},
			"monerooPaymentId": {id}, "monerooPaymentStatus": {status},
		}
		http.Redirect(w, r, simkit.AppendQuery(back, q), http.StatusSeeOther)
	}
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stamp formats t as Moneroo does: "2024-01-31T14:46:13.000000Z".
func stamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// metadataJSON is p's metadata as Moneroo (PHP) answers it: [] when empty.
func metadataJSON(m map[string]string) any {
	if len(m) == 0 {
		return []any{}
	}
	return m
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// appObject is the simulated merchant app, as payment answers embed it.
func appObject() map[string]any {
	return map[string]any{
		"id": "01HSIMULATORAPP00000000000", "name": "Simulated shop", "website_url": "https://shop.example.com",
		"icon_url":   "https://assets.cdn.moneroo.io/samples/business.svg",
		"created_at": "2024-01-01T00:00:00.000000Z", "updated_at": "2024-01-01T00:00:00.000000Z", "is_enabled": true,
	}
}

// customerObject is p's payer as payment answers describe it.
func customerObject(p *payment) map[string]any {
	return customerJSON(p.customerID, p.customer, p.initiatedAt, p.updatedAt)
}

// customerJSON is a customer as Moneroo's payment and payout answers
// describe one.
func customerJSON(id string, c customerIn, created, updated time.Time) map[string]any {
	return map[string]any{
		"id": id, "first_name": c.FirstName, "last_name": c.LastName, "email": c.Email,
		"phone": nullable(c.Phone), "address": nullable(c.Address), "city": nullable(c.City),
		"state": nullable(c.State), "country_code": nullable(c.Country), "country": nullable(countryName(c.Country)),
		"zip_code":    nullable(c.Zip),
		"profile_url": "https://eu.ui-avatars.com/api/?name=" + url.QueryEscape(c.FirstName+" "+c.LastName),
		"created_at":  stamp(created), "updated_at": stamp(updated),
	}
}

// payerCountry is where the payer paid from: the method's country, else
// the customer's.
func payerCountry(p *payment) string {
	if len(p.method.Countries) > 0 {
		return p.method.Countries[0]
	}
	return p.customer.Country
}

// verifyData is the payment as the verify endpoint describes it: currency
// an object, method and gateway under capture, the payer's context parsed.
func (s *Server) verifyData(p *payment) map[string]any {
	d := map[string]any{
		"id": p.id, "status": p.status, "is_processed": false, "processed_at": nil,
		"amount": major(p.amount, ""), "amount_formatted": formatted(p),
		"currency": currencyObject(p.currency), "description": p.description, "return_url": p.returnURL,
		"environment": "sandbox", "initiated_at": stamp(p.initiatedAt), "created_at": stamp(p.initiatedAt),
		"metadata": metadataJSON(p.metadata),
		"app":      appObject(),
		"customer": customerObject(p),
		"capture":  nil,
	}
	if p.status != statusInitiated {
		d["capture"] = map[string]any{
			"identifier": p.id + "-capture", "rate": nil, "rate_formatted": nil, "correction_rate": nil,
			"phone_number":    nullable(p.phone),
			"failure_message": nullable(p.failureMessage), "failure_error_code": nullable(p.failureCode),
			"failure_error_type": nullable(p.failureCode),
			"metadata": map[string]any{
				"network_transaction_id": nil, "amount_debited": nil, "commission": nil, "fees": nil,
				"selected_payment_method": nil,
			},
			"amount": major(p.amount, ""), "amount_formatted": formatted(p), "currency": currencyObject(p.currency),
			"method": map[string]any{
				"id": "sim_" + p.method.Code, "name": p.method.Name, "short_code": p.method.Code,
				"icon_url": "https://assets.cdn.moneroo.io/icons/circle/" + p.method.Code + ".svg",
			},
			"gateway": map[string]any{
				"id": "sim_gateway", "account_name": "Simulated shop", "name": "Moneroo Test Payment Gateway",
				"short_code": "moneroo_sandbox", "icon_url": "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg",
				"transaction_id": p.id, "transaction_status": strings.ToUpper(p.status),
				"transaction_failure_message": nullable(p.failureMessage),
			},
			"context": map[string]any{
				"ip": p.payerIP,
				"user_agent": map[string]any{
					"is_desktop": true, "is_robot": false, "platform": "Unknown", "browser": p.userAgent,
					"version": "", "device": "Unknown", "is_mobile": false, "is_phone": false, "is_tablet": false,
					"is_ios": false, "is_android": false,
				},
				"country": countryObject(payerCountry(p)), "local": "en",
			},
		}
	}
	return d
}

// retrieveData is the payment as the retrieve endpoint describes it:
// currency a string, the amount a float, checkout_url, method and gateway at
// the top level with "code", the payer's context as plain strings.
func (s *Server) retrieveData(p *payment) map[string]any {
	cust := customerObject(p)
	delete(cust, "profile_url")
	cust["environment"] = "sandbox"
	d := map[string]any{
		"id": p.id, "status": p.status, "is_processed": false, "processed_at": nil,
		"amount": major(p.amount, ".0"), "currency": p.currency,
		"amount_formatted": formatted(p),
		"description":      p.description, "return_url": p.returnURL, "environment": "sandbox",
		"initiated_at": stamp(p.initiatedAt), "checkout_url": s.CheckoutURL(p.id),
		"payment_phone_number": nullable(p.phone),
		"app": map[string]any{
			"id": "01HSIMULATORAPP00000000000", "name": "Simulated shop",
			"icon_url": "https://assets.cdn.moneroo.io/samples/business.svg",
		},
		"customer": cust,
		"metadata": metadataJSON(p.metadata),
		"method":   nil, "gateway": nil, "context": nil,
	}
	if p.method.Code != "" {
		d["method"] = map[string]any{
			"name": p.method.Name, "code": p.method.Code, "environment": "sandbox",
			"icon_url": "https://assets.cdn.moneroo.io/icons/circle/" + p.method.Code + ".svg",
		}
		d["gateway"] = map[string]any{
			"name": "Moneroo Test Payment Gateway", "account_name": "Simulated shop", "code": "moneroo_sandbox",
			"icon_url": "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg", "environment": "sandbox",
		}
		d["context"] = map[string]any{
			"ip": p.payerIP, "user_agent": p.userAgent, "country": nullable(payerCountry(p)), "local": "en",
		}
	}
	return d
}

// formatted is p's amount as Moneroo prints it: "XOF 200".
func formatted(p *payment) string { return p.currency + " " + string(major(p.amount, "")) }

// major writes m in major units as a JSON number: 200 (XOF), 10.5 (USD
// 1050 cents); a whole amount gets wholeSuffix (the retrieve example prints
// 100.0).
func major(m payments.Money, wholeSuffix string) json.Number {
	d, _ := payments.MinorUnits(m.Currency)
	p := int64(1)
	for range d {
		p *= 10
	}
	s := strconv.FormatInt(m.Amount/p, 10)
	frac := m.Amount % p
	if frac == 0 {
		return json.Number(s + wholeSuffix)
	}
	f := strconv.FormatInt(frac, 10)
	return json.Number(s + "." + strings.TrimRight(strings.Repeat("0", d-len(f))+f, "0"))
}

// webhookBody is the webhook Moneroo sends about p in its current state, in
// the docs' shape (customer fields in camelCase, currency a string). Like
// Moneroo's, it is partial (no metadata): the merchant verifies.
func webhookBody(p *payment) []byte {
	b, _ := json.Marshal(map[string]any{
		"event": "payment." + p.status,
		"data": map[string]any{
			"id": p.id, "amount": major(p.amount, ""), "currency": p.currency, "status": p.status,
			"customer": map[string]any{
				"id": p.customerID, "email": p.customer.Email, "firstName": p.customer.FirstName,
				"lastName": p.customer.LastName, "phone": nullable(p.customer.Phone),
			},
		},
	})
	return b
}
