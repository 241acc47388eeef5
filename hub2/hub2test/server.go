// Package hub2test is a Hub2 simulator: an httptest server that speaks Hub2's
// PaymentIntent API (same paths, headers, JSON shapes, status transitions,
// error bodies and signed webhooks) so that code using package hub2 can be
// tested with no account and no network.
//
//	srv, client := hub2test.Start(t) // closed when the test ends
//	s, err := client.Create(ctx, payments.CreateRequest{…, Options: hub2.Options{
//		Country: hub2test.Country, Provider: hub2test.ProviderUSSD, MSISDN: hub2test.TestMSISDN}})
//	back, err := srv.Walk(ctx, s, true) // the customer confirms on the handset
//
// Outside a test, NewServer starts one (Close it) and NewClient returns a
// client pointed at it; Config gives the simulator's credentials to build
// your own. The shape is the same for every simulator of this module:
// Start, NewServer, NewClient, URL, Close, Requests, Faults, SetWebhookURL,
// Pay, Decline and Expire to decide an outcome directly, and Walk to play
// the customer's part as they would (here, Hub2's next action: the
// provider's page of a redirection, an OTP or a USSD confirmation). Hub2's
// own extras are RotateSecret, Event, Deliveries, SetRateLimits, SetClock,
// Throttled, SetRedirectStatus and RequireReadToken, and for transfers
// Transfers, Balance, SetBalance, SetTransferFee, SetPermission,
// AutoSettleTransfers, SettleTransfer, FailTransfer and TransferEvent.
//
// # Sandbox behaviour
//
// Hub2 does not publish its sandbox's magic numbers, so the simulator chooses
// its own; what comes from Hub2's docs is marked so.
//
//   - Provider ProviderOTP ("orange") answers an attempt with an OTP
//     NextAction whose message is the one Hub2's docs show; any 4 digits
//     authenticate, as Hub2's sandbox says; other codes fail the payment with
//     authentication_failed. An attempt that carries the OTP
//     (mobileMoney.otp) is decided at once the same way. With
//     mobileMoney.workflow "redirection" (Orange's payment link) it answers
//     like Wave below, returning to onFinishRedirectionUrl or
//     onCancelRedirectionUrl. A workflow other than "otp" or "redirection"
//     is refused with 400.
//   - ProviderUSSD ("mtn", and "moov") answers with a USSD NextAction; the
//     customer's confirmation on the handset is played by Walk, or by Pay
//     or Decline.
//   - ProviderRedirect ("wave") answers with a redirection NextAction to a
//     hosted page under URL whose Pay and Decline buttons settle the payment,
//     then send the browser to the attempt's
//     mobileMoney.onSuccessRedirectionUrl or onFailedRedirectionUrl,
//     unchanged: Hub2 documents no parameters of its own. A Wave attempt
//     without both is refused with 400, as integrations that met Hub2's live
//     API report them required; onFinish and onCancel are ignored for Wave.
//   - MSISDN TestMSISDN ("00000001", the example number of Hub2's docs)
//     behaves as above; MSISDNInsufficientFunds (invented) fails at once with
//     customer_insufficient_funds; a number that is not 8 to 10 digits fails
//     with invalid_msisdn. (Hub2's own sandbox, in a 2026 capture, paid MTN
//     with 00000001 within a second, without a USSD step: the simulator
//     waits, so that tests can play the customer's answer.)
//
// # Answers
//
// The answers have the keys and JSON types of responses captured from
// api.hub2.io (Hub2's Postman collection, an integration's 2026 sandbox run)
// and of the samples of Hub2's reference; fidelity_test.go compares them, and
// testdata/hub2/SOURCES.md lists the sources. The intent status endpoint
// answers {"id", "status"}, the reference's sample; the payment status
// endpoint, whose body is not published, {"id", "intentId", "status"}.
//
// Reads of an intent (GET /payment-intents/{id} and its /status) take the
// API headers, the intent's token as ?token=, or both; a token that is not
// the intent's is refused. RequireReadToken(true) refuses reads without the
// token. SetRedirectStatus chooses the status a payment shows while its
// redirection waits (action_required by default). Both play readings Hub2
// has not settled (see package hub2).
//
// Rate limits: SetRateLimits(true) enforces Hub2's per-intent limits (one
// read of an intent per 5 s, five status reads per 5 s; the same per
// transfer), answering 429 with a Retry-After header (Hub2's own header
// names are not published). They are off by default, so that tests and
// demos may verify as often as they like. SetClock makes their windows
// follow a test's clock.
//
// # Transfers
//
// POST /transfers, GET /transfers/{id}, GET /transfers/{id}/status and GET
// /transfers?from=&to= (with reference, page from 1 and perPage, at most
// 100) answer in the shapes of Hub2's Postman captures. The simulator's
// choices, where Hub2 publishes nothing:
//
//   - The transfer account holds StartBalance (100,000, as Hub2's sandbox
//     account starts in XOF) in XOF and XAF, 10,000,000 GNF; SetBalance
//     changes it. Each transfer takes its amount and a flat TransferFee
//     (297, the fee of a live capture on a 200 XOF transfer; SetTransferFee
//     changes it) in its currency; a failed transfer gives both back. A
//     transfer the balance does not cover is refused with 402 and code
//     insufficient-funds (one of Hub2's documented codes).
//   - A transfer needs the Api.transfer_create permission, a read
//     Api.transfer_read; SetPermission revokes one: 403 "Forbidden
//     resource".
//   - Refused with 400: a reference with characters other than letters,
//     digits, '-', '_', '.' and space (Hub2's documented rule); a number
//     that is not "+", the country's calling code and 8 to 12 digits; an
//     amount outside Hub2's payout policy (100 to 1,500,000 in multiples
//     of 5; in GNF 10,000 to 1,500,000 in multiples of 1000); a destination
//     that is not mobile_money. An unknown country or provider is 404.
//   - A new transfer is created, and its answer masks the number to its
//     last 4 digits, as the live capture does. It stays created until
//     SettleTransfer (processing, then successful) or FailTransfer (failed,
//     with a failure code); AutoSettleTransfers(true) settles each one
//     right after its answer has left. Each change sends its signed
//     webhook: transfer.created, transfer.processing, transfer.succeeded,
//     transfer.failed; TransferEvent signs one on demand.
//   - The status endpoint answers {"id", "status"}; the list answers a JSON
//     array, newest first, with a Content-Range header ("0-99/2453", as
//     Hub2's guide describes it; "*/0" for an empty page).
//   - Transfers returns what the simulator received, the whole number and
//     the recipient's name included.
package hub2test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// The credentials the simulator accepts, and its webhook secret.
const (
	APIKey        = "hub2_sk_sandbox_7c3e91d0a4b24f6a"
	MerchantID    = "16"
	WebhookSecret = "whsec_hub2sim_0c7d2e5b8a914f36"
)

// The providers and numbers of the simulated sandbox (see the package doc).
const (
	Country                 = "CI"
	ProviderOTP             = "orange"
	ProviderUSSD            = "mtn"
	ProviderRedirect        = "wave"
	TestMSISDN              = "00000001"
	MSISDNInsufficientFunds = "00000002"
	// OTPMessage is Hub2's sandbox OTP instruction, from its docs.
	OTPMessage = "Mode Sandbox. Entrez un numéro à 4 chiffres pour authentifier le paiement."
	// USSDMessage is the simulator's USSD instruction (invented).
	USSDMessage = "Mode Sandbox. Confirmez le paiement sur votre téléphone en composant le code USSD de votre opérateur."
)

// countries maps each Hub2 country to its currency.
var countries = map[string]string{
	"CI": "XOF", "SN": "XOF", "BF": "XOF", "ML": "XOF", "BJ": "XOF", "TG": "XOF",
	"CM": "XAF", "GA": "XAF", "GN": "GNF",
}

// providers maps each simulated provider to its next action.
var providers = map[string]string{
	"orange": "otp", "mtn": "ussd", "moov": "ussd", "wave": "redirection",
}

// Server is a running Hub2 simulator. Its methods are safe for concurrent use.
type Server struct {
	// URL is the simulator's origin: give it to payments.WithBaseURL.
	URL string
	// Faults injects failures in front of the API: not the provider's page
	// a redirection opens, nor Walk, Pay, Decline or Expire.
	Faults *paymentstest.Faults

	srv      *httptest.Server
	requests simkit.Counter

	mu         sync.Mutex
	intents    map[string]*intent
	paymentIdx map[string]*payment
	webhookURL string
	events     map[string]bool // the events registered; nil: all
	secret     string
	previous   string
	rotations  int
	limits     bool
	// redirectStatus is the status of a payment whose redirection waits
	// for the customer (see SetRedirectStatus).
	redirectStatus string
	// readToken makes intent reads require ?token= (RequireReadToken).
	readToken bool
	now       func() time.Time
	hits      map[string][]time.Time
	throttled int
	delivered []Delivery

	// The transfer account: transfers by id and in creation order, the
	// balance per currency, the flat fee, the permissions revoked, and
	// whether transfers settle by themselves.
	transfers    map[string]*transfer
	transferList []*transfer
	balance      map[string]int64
	transferFee  int64
	revoked      map[string]bool
	autoSettle   bool
}

// Delivery records one webhook the simulator sent.
type Delivery struct {
	Type   string // the event's type, such as payment_intent.succeeded
	Status int    // the answer's HTTP status, 0 if none came
	Err    error  // why no answer came
}

type intent struct {
	ID                string `json:"id"`
	MerchantID        string `json:"merchantId"`
	CreatedAt         string `json:"createdAt"`
	UpdatedAt         string `json:"updatedAt"`
	PurchaseReference string `json:"purchaseReference"`
	CustomerReference string `json:"customerReference"`
	Amount            int64  `json:"amount"`
	Currency          string `json:"currency"`
	Token             string `json:"token,omitempty"`
	Status            string `json:"status"`
	// OverrideBusinessName appears once a payment was attempted, as in
	// Hub2's sandbox capture (its creation answer has no such key).
	OverrideBusinessName *string    `json:"overrideBusinessName,omitempty"`
	Payments             []*payment `json:"payments"`
	Mode                 string     `json:"mode"`

	businessName string // the overrideBusinessName the intent was created with
	expired      bool
}

type payment struct {
	ID         string      `json:"id"`
	IntentID   string      `json:"intentId"`
	CreatedAt  string      `json:"createdAt"`
	UpdatedAt  string      `json:"updatedAt"`
	Status     string      `json:"status"`
	Amount     int64       `json:"amount"`
	Currency   string      `json:"currency"`
	Method     string      `json:"method"`
	Country    string      `json:"country"`
	Provider   string      `json:"provider"`
	Failure    *failure    `json:"failure,omitempty"`
	Fees       []fee       `json:"fees"`
	NextAction *nextAction `json:"nextAction,omitempty"`
	Number     string      `json:"number"`
	// GatewayID, IsDelegated and PaymentInformation are in Hub2's sandbox
	// captures with these values; delegated payments (processing-only
	// merchants) are not simulated.
	GatewayID          string `json:"gatewayId"`
	IsDelegated        bool   `json:"isDelegated"`
	PaymentInformation any    `json:"paymentInformation"`

	// okURL and koURL are where the hosted page sends the customer after a
	// success or a failure: Wave's success and failed URLs, or the finish
	// and cancel URLs of the other flows.
	okURL, koURL string
}

type failure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type fee struct {
	ID       string `json:"id"`
	Rate     int64  `json:"rate"`
	RateType string `json:"rateType"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Label    string `json:"label"`
	Taxes    []any  `json:"taxes"` // the simulator charges no tax
}

// feeRate is the simulator's fee, in percent of the amount, rounded up to
// the franc (Hub2's sandbox capture shows 5 %; the docs' sample 123 %: the
// rate is the simulator's own).
const feeRate = 2

// newFee returns the simulator's fee on amount.
func newFee(amount int64, currency, label string) fee {
	return fee{ID: simkit.NewID("fee_", 21), Rate: feeRate, RateType: "percent", Amount: (amount*feeRate + 99) / 100,
		Currency: currency, Label: label, Taxes: []any{}}
}

type nextAction struct {
	Type    string          `json:"type"`
	Message string          `json:"message"`
	Data    *nextActionData `json:"data,omitempty"`
}

type nextActionData struct {
	URL     string            `json:"url"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Data    map[string]string `json:"data"`
}

// event is a webhook to deliver once the lock is released.
type event struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

// NewServer starts a simulator on 127.0.0.1 with a random port.
func NewServer() *Server {
	s := &Server{
		Faults:  &paymentstest.Faults{},
		intents: map[string]*intent{}, paymentIdx: map[string]*payment{},
		secret: WebhookSecret, now: time.Now, hits: map[string][]time.Time{},
		redirectStatus: "action_required",
		transfers:      map[string]*transfer{},
		balance:        map[string]int64{"XOF": StartBalance, "XAF": StartBalance, "GNF": 100 * StartBalance},
		transferFee:    TransferFee,
		revoked:        map[string]bool{},
	}
	api := http.NewServeMux()
	api.HandleFunc("POST /payment-intents", s.createIntent)
	api.HandleFunc("GET /payment-intents/{id}", s.getIntent)
	api.HandleFunc("GET /payment-intents/{id}/status", s.intentStatus)
	api.HandleFunc("POST /payment-intents/{id}/payments", s.attempt)
	api.HandleFunc("POST /payment-intents/{id}/authentication", s.authenticate)
	api.HandleFunc("GET /payment-intents/{id}/payment-fees", s.fees)
	api.HandleFunc("GET /payments/{id}/status", s.paymentStatus)
	api.HandleFunc("POST /webhooks", s.registerWebhook)
	api.HandleFunc("POST /transfers", s.createTransfer)
	api.HandleFunc("GET /transfers", s.listTransfers)
	api.HandleFunc("GET /transfers/{id}", s.getTransfer)
	api.HandleFunc("GET /transfers/{id}/status", s.transferStatus)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found", "Cannot "+r.Method+" "+r.URL.Path)
	})

	root := http.NewServeMux()
	root.HandleFunc("GET /checkout/{id}", s.page)
	root.HandleFunc("POST /checkout/{id}/pay", s.pagePay)
	root.HandleFunc("POST /checkout/{id}/decline", s.pageDecline)
	root.Handle("/", s.requests.Middleware(s.Faults.Middleware(api)))

	s.srv = httptest.NewServer(root)
	s.URL = s.srv.URL
	return s
}

// Start starts a simulator for test t, closed when t ends, and returns it
// with a client pointed at it (NewClient with opts).
func Start(t testing.TB, opts ...payments.Option) (*Server, *hub2.Client) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	c, err := s.NewClient(opts...)
	if err != nil {
		t.Fatalf("hub2test: %v", err)
	}
	return s, c
}

// Config returns the configuration NewClient uses: the credentials the
// simulator accepts and its webhook secrets (the current one, then the
// previous one after a RotateSecret). Change it (ReadWithToken…) and give
// it to hub2.New with payments.WithBaseURL(s.URL).
func (s *Server) Config() hub2.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	secrets := []string{s.secret}
	if s.previous != "" {
		secrets = append(secrets, s.previous)
	}
	return hub2.Config{APIKey: APIKey, MerchantID: MerchantID, WebhookSecrets: secrets}
}

// NewClient returns a Hub2 client pointed at the simulator (Config, and
// payments.WithBaseURL(s.URL) before opts: WithRetries, WithLogger…).
func (s *Server) NewClient(opts ...payments.Option) (*hub2.Client, error) {
	return hub2.New(s.Config(), append([]payments.Option{payments.WithBaseURL(s.URL)}, opts...)...)
}

// Close shuts the simulator down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests the simulator received (hosted-page
// hits not included).
func (s *Server) Requests() int { return s.requests.Count() }

// SetWebhookURL makes the simulator deliver every event, signed, to u.
// POST /webhooks does the same for the events it names.
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL, s.events = u, nil
}

// RotateSecret replaces the webhook secret, as a rotation in Hub2's dashboard
// does, and returns the new one. Deliveries are then signed s1 with the new
// secret and s0 with the previous one (Hub2 keeps s0 for 24 hours; the
// simulator until the next rotation).
func (s *Server) RotateSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotations++
	s.previous = s.secret
	s.secret = WebhookSecret + "_r" + strconv.Itoa(s.rotations)
	return s.secret
}

// Deliveries returns the webhooks sent so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.delivered...)
}

// SetRateLimits turns Hub2's per-intent rate limits on or off (off by
// default).
func (s *Server) SetRateLimits(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = on
}

// SetRedirectStatus sets the status a payment shows while its redirection
// (Wave, Orange's payment link) waits for the customer: "action_required"
// by default, as Hub2's docs describe payments that need the customer, or
// "created", "pending" or "processing", as integrations report seeing
// Wave's payment while its link is out. The intent is action_required with
// an action_required payment, processing otherwise. Hub2 does not settle
// which; this lets tests cover each.
func (s *Server) SetRedirectStatus(status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirectStatus = status
}

// RequireReadToken makes reads of an intent (GET /payment-intents/{id} and
// its /status) require the intent's client JWT as ?token=, with or without
// the API headers, answering 401 without it. Off by default: Hub2's
// reference makes the token optional, its Postman collection sends it with
// the headers, and whether Hub2 ever requires it is not settled.
func (s *Server) RequireReadToken(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readToken = on
}

// SetClock makes the simulator read the time from now (for timestamps and
// rate-limit windows), so that tests control time instead of waiting.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Throttled returns how many requests the rate limits answered with 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Pay settles an intent (or a pay_… attempt) as paid, as if the customer
// confirmed: the pending attempt succeeds, or, when none is pending, a new
// mobile-money attempt is made and succeeds. Webhooks are sent before it
// returns.
func (s *Server) Pay(id string) error { return s.settle(id, "") }

// Decline makes an intent's pending attempt (or a new one) fail with
// canceled_by_customer, as if the customer refused on the handset or page.
func (s *Server) Decline(id string) error { return s.settle(id, "canceled_by_customer") }

// Expire ends an intent: its pending attempt fails with
// payment_intent_expired (the code third-party integrations see), the intent
// fails, and no new attempt is accepted.
func (s *Server) Expire(id string) error {
	s.mu.Lock()
	pi := s.lookup(id)
	if pi == nil {
		s.mu.Unlock()
		return errors.New("hub2test: no payment intent " + id)
	}
	pi.expired = true
	var evs []event
	if p := pending(pi); p != nil {
		evs = s.finish(pi, p, "payment_intent_expired")
	} else if pi.Status != "successful" {
		pi.Status, pi.UpdatedAt = "failed", s.stamp()
		evs = append(evs, s.intentEvent("payment_intent.payment_failed", pi))
	}
	s.mu.Unlock()
	s.deliver(evs)
	return nil
}

// Event returns a signed webhook delivery telling of the intent's current
// state (payment_intent.succeeded for a paid one), as Hub2 would send it.
func (s *Server) Event(id string) (http.Header, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pi := s.lookup(id)
	if pi == nil {
		return nil, nil, errors.New("hub2test: no payment intent " + id)
	}
	body, err := json.Marshal(s.intentEvent(intentEventType(pi.Status), pi))
	if err != nil {
		return nil, nil, err
	}
	return paymentstest.SignHub2(s.secret, s.previous, body), body, nil
}

func (s *Server) settle(id, failureCode string) error {
	s.mu.Lock()
	pi := s.lookup(id)
	if pi == nil {
		s.mu.Unlock()
		return errors.New("hub2test: no payment intent " + id)
	}
	if pi.Status == "successful" || pi.expired {
		s.mu.Unlock()
		return errors.New("hub2test: payment intent " + id + " is " + pi.Status + " already")
	}
	var evs []event
	p := pending(pi)
	if p == nil {
		p = s.newPayment(pi, "CI", ProviderOTP, TestMSISDN)
		pi.Payments = append(pi.Payments, p)
		evs = append(evs, s.paymentEvent("payment.created", p))
	}
	evs = append(evs, s.finish(pi, p, failureCode)...)
	s.mu.Unlock()
	s.deliver(evs)
	return nil
}

// lookup finds an intent by its id or by one of its payments' ids.
func (s *Server) lookup(id string) *intent {
	if pi, ok := s.intents[id]; ok {
		return pi
	}
	if p, ok := s.paymentIdx[id]; ok {
		return s.intents[p.IntentID]
	}
	return nil
}

// pending returns the intent's attempt that waits for an outcome.
func pending(pi *intent) *payment {
	for i := len(pi.Payments) - 1; i >= 0; i-- {
		if waiting(pi.Payments[i]) {
			return pi.Payments[i]
		}
	}
	return nil
}

// waiting reports whether p waits for an outcome.
func waiting(p *payment) bool {
	switch p.Status {
	case "created", "pending", "processing", "action_required":
		return true
	}
	return false
}

// finish settles p (success when failureCode is empty) and returns the
// webhooks to send.
func (s *Server) finish(pi *intent, p *payment, failureCode string) []event {
	now := s.stamp()
	p.NextAction, p.UpdatedAt, pi.UpdatedAt = nil, now, now
	if failureCode == "" {
		p.Status, pi.Status = "successful", "successful"
		return []event{s.paymentEvent("payment.succeeded", p), s.intentEvent("payment_intent.succeeded", pi)}
	}
	p.Status, pi.Status = "failed", "failed"
	p.Failure = &failure{Code: failureCode, Message: failureMessages[failureCode]}
	return []event{s.paymentEvent("payment.failed", p), s.intentEvent("payment_intent.payment_failed", pi)}
}

var failureMessages = map[string]string{
	"canceled_by_customer":        "The customer canceled the payment",
	"customer_insufficient_funds": "The customer's balance is insufficient",
	"authentication_failed":       "The customer could not be authenticated",
	"invalid_msisdn":              "The phone number is not valid",
	"payment_intent_expired":      "The payment intent has expired",
}

func (s *Server) newPayment(pi *intent, country, provider, msisdn string) *payment {
	now := s.stamp()
	p := &payment{
		ID: simkit.NewID("pay_", 21), IntentID: pi.ID, CreatedAt: now, UpdatedAt: now, Status: "created",
		Amount: pi.Amount, Currency: pi.Currency, Method: "mobile_money", Country: country, Provider: provider,
		Fees: []fee{newFee(pi.Amount, pi.Currency, "")}, Number: mask(msisdn),
	}
	if pi.OverrideBusinessName == nil {
		name := pi.businessName
		pi.OverrideBusinessName = &name
	}
	s.paymentIdx[p.ID] = p
	return p
}

// mask hides a number's middle, as Hub2 shows payers' numbers.
func mask(n string) string {
	if len(n) <= 4 {
		return n
	}
	return n[:2] + strings.Repeat("*", len(n)-4) + n[len(n)-2:]
}

func (s *Server) stamp() string { return s.now().UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// intentEvent builds a payment_intent.* webhook; the data is the intent
// without its token.
func (s *Server) intentEvent(typ string, pi *intent) event {
	c := *pi
	c.Token = ""
	c.Payments = make([]*payment, len(pi.Payments))
	for i, p := range pi.Payments {
		pc := *p
		c.Payments[i] = &pc
	}
	return event{Type: typ, Data: &c}
}

func (s *Server) paymentEvent(typ string, p *payment) event {
	c := *p
	return event{Type: typ, Data: &c}
}

func intentEventType(status string) string {
	switch status {
	case "successful":
		return "payment_intent.succeeded"
	case "failed":
		return "payment_intent.payment_failed"
	case "payment_required":
		return "payment_intent.created"
	}
	return "payment_intent." + status
}

// deliver sends the events, signed, to the webhook URL, one after the
// other; it runs without the lock, so that the receiver may call the API.
func (s *Server) deliver(evs []event) {
	for _, ev := range evs {
		s.mu.Lock()
		target, secret, previous := s.webhookURL, s.secret, s.previous
		wanted := s.events == nil || s.events[ev.Type]
		body, err := json.Marshal(ev)
		s.mu.Unlock()
		if target == "" || !wanted || err != nil {
			continue
		}
		// Deliveries outlive the request that caused them, as Hub2's do.
		status, err := simkit.Deliver(context.Background(), target, paymentstest.SignHub2(secret, previous, body), body)
		s.mu.Lock()
		s.delivered = append(s.delivered, Delivery{Type: ev.Type, Status: status, Err: err})
		s.mu.Unlock()
	}
}

// newToken returns a client JWT for an intent, shaped as Hub2's: HS256 over
// {"intentId", "merchantId", "mode", "iat"}, with no expiry.
func (s *Server) newToken(intentID string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"intentId": intentID, "merchantId": MerchantID, "mode": "sandbox", "iat": s.now().Unix()})
	unsigned := header + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, []byte(APIKey+"/jwt"))
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}
