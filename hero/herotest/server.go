// Package herotest is a simulator of Hero's merchant API, for tests and
// demos: an httptest server that speaks Hero's GraphQL API at /api/graphql
// and serves its payment page at /checkout/{id}.
//
// The API is a real GraphQL server (github.com/graph-gophers/graphql-go)
// running a schema written from Hero's API reference, so a document Hero
// would reject as invalid GraphQL (an unknown field, a missing required
// input, a float for an Int) is rejected here too, with GraphQL's errors.
// Then it answers as Hero documents: HTTP 200 whatever happens, NOT_LOGGED
// without a valid "Authorization: Api-Key <key>" (APIKey, or OtherAPIKey for
// a second merchant), MERCHANT_PRODUCT_DISABLED, INVALID_PAYMENT_TYPE, the
// paymentMin/paymentMax messages, getPaymentsInfos for many ids, refunds
// with Hero's ValidationErrors and GqlHeroError codes (AMOUNT_TOO_HIGH,
// INVALID_AMOUNT, PAYMENT_NOT_STARTED, INVALID_PAYMENT_CHECKOUT,
// UNAUTHORIZED), and HTTP 429 beyond 200 requests a second or 1,800 a minute.
//
// In a test, Start gives a simulator and a client pointed at it, both gone
// when the test ends:
//
//	srv, client := herotest.Start(t)
//	session, err := client.Create(ctx, req)
//	back, err := srv.Walk(ctx, session, true) // the customer pays on the page
//	ret, err := client.ParseReturn(back.Query())
//
// Elsewhere (a demo, a program), NewServer starts one and NewClient points a
// client at it; Close stops it. The payment page has Pay and Decline
// buttons; both send the browser to the payment's redirectUri (303)
// unchanged, since Hero adds no parameter. Walk presses one as a browser
// would; Pay, Decline and Expire settle a payment without the page.
// Faults queues failures in front of the API, Requests counts its requests,
// and SetWebhookURL does nothing: Hero sends no webhooks.
//
// Its answers have the keys and types of the fixtures in testdata/hero,
// which come from Hero's docs and Hero's WooCommerce plugin (see SOURCES.md
// there); a test sends the docs' own GraphQL documents, verbatim, and
// compares.
//
// What Hero does not document, the simulator chooses, and says so: a
// declined payment reports error PAYMENT_DECLINED and an expired one
// PAYMENT_EXPIRED in getPaymentsInfos; its own input checks (an empty
// issuer.name, a suspect redirectUri) come as errors[] with
// extensions.code BAD_USER_INPUT; refunds succeed at once unless
// HoldRefunds is set. Where Hero's sources leave a question open that a
// client must cope with, a switch plays each answer:
//
//   - SetErrorCodes: createPayment's documented codes as the errors[]
//     message, with the generic extensions.code INTERNAL_SERVER_ERROR an
//     Apollo server adds (CodesInMessage, the default), or in
//     extensions.code (CodesInExtensions).
//   - RefundByCheckoutIDOnly: refundPaymentCheckout takes a payment's id or
//     its separate "paycheckout-…" id (PaymentCheckoutID) by default, or
//     only the latter.
//   - NotifyRedirectURI: Hero's docs say Hero "will notify your system" at
//     the redirect URI; when on, the simulator calls it from the server
//     (GET) when the customer pays or declines, as well as sending the
//     browser there.
package herotest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// The API keys the simulator accepts, each its own merchant account: a
// payment made with one is invisible to the other, and refunding it with the
// other is UNAUTHORIZED.
const (
	APIKey      = "hero_sim_key_4f9c2b7e1d"
	OtherAPIKey = "hero_sim_key_other_8a3e6c"
)

// Codes the simulator answers with. The first ones are Hero's; ErrDeclined
// and ErrExpired are the simulator's choice, as Hero documents no error
// value for a refused or abandoned payment besides PAYMENT_NOT_INITIATED.
const (
	ErrNotLogged               = "NOT_LOGGED"
	ErrMerchantProductDisabled = "MERCHANT_PRODUCT_DISABLED"
	ErrInvalidPaymentType      = "INVALID_PAYMENT_TYPE"
	ErrPaymentNotInitiated     = "PAYMENT_NOT_INITIATED"
	ErrInvalidPaymentCheckout  = "INVALID_PAYMENT_CHECKOUT"
	ErrPaymentNotStarted       = "PAYMENT_NOT_STARTED"
	ErrInvalidAmount           = "INVALID_AMOUNT"
	ErrAmountTooHigh           = "AMOUNT_TOO_HIGH"
	ErrDeclined                = "PAYMENT_DECLINED"
	ErrExpired                 = "PAYMENT_EXPIRED"
)

// Defaults of a new Server.
const (
	DefaultPaymentMin = 100        // 1.00 EUR
	DefaultPaymentMax = 10_000_000 // 100,000.00 EUR
	DefaultPerSecond  = 200
	DefaultPerMinute  = 1800
)

// DefaultPaymentTypes are the types a new Server's merchant may use: those
// Hero's docs list today. Pay15D and Pay45D exist in the schema but are not
// enabled, so they get INVALID_PAYMENT_TYPE.
var DefaultPaymentTypes = []string{"Pay1X", "Pay3X", "Pay4X", "Pay30D", "Pay60D"}

// Server is a running simulator. Its methods are safe for concurrent use.
type Server struct {
	// URL is the simulator's origin: give it to payments.WithBaseURL and to
	// hero.Config.PaymentPageURL.
	URL string
	// Faults injects failures in front of the API (not the payment page):
	// srv.Faults.Add(paymentstest.ServerError(503)).
	Faults *paymentstest.Faults

	srv     *httptest.Server
	schema  *graphql.Schema
	counter simkit.Counter
	limit   window

	errorCodes atomic.Int32 // an ErrorCodes

	mu             sync.Mutex
	payments       map[string]*payment
	byCheckout     map[string]*payment
	min, max       int64
	types          []string
	disabled       bool
	holdRefunds    bool
	refundFault    *gqlHeroError
	checkoutIDOnly bool
	notify         bool
}

type state int

const (
	stateNotInitiated state = iota
	statePaid
	stateDeclined
	stateExpired
)

// errorCode is what getPaymentsInfos says in error for an unpaid payment.
func (s state) errorCode() string {
	switch s {
	case stateDeclined:
		return ErrDeclined
	case stateExpired:
		return ErrExpired
	}
	return ErrPaymentNotInitiated
}

type payment struct {
	id, checkoutID, owner string
	in                    Payment
	orderID               string
	state                 state
	refunded              int64
	pendingRefund         int64
}

// Payment is what a merchant sent to createPayment, as the simulator
// stored it, with what happened since.
type Payment struct {
	Amount        int64  // euro cents
	RedirectURI   string // redirectUri, where the page sends the browser back
	ComebackURI   string // comebackUri, the page's "back to the merchant" link; "" if none
	Type          string // the payment type, such as "Pay1X"
	Issuer        Issuer // the customer
	OrderID       string // from setOrderId; "" until it is set
	CheckoutID    string // the payment's "paycheckout-…" id
	Paid          bool   // the customer paid
	Refunded      int64  // euro cents refunded
	PendingRefund int64  // euro cents accepted for refund, not yet paid back (HoldRefunds)
}

// Issuer is the customer createPayment received.
type Issuer struct {
	Address           Address  // the billing address
	DeliveryAddress   *Address // nil when none was sent
	Name              string   // the company's name
	ContactEmail      string   // the customer's email address
	ContactPhone      string   // the customer's phone number
	CustomerReference string   // "" when none was sent
}

// Address is an issuer's address as received.
type Address struct {
	Line1   string // street and number
	Line2   string // "" when none was sent
	City    string // city
	ZipCode string // zip code
}

// NewServer starts a simulator on 127.0.0.1 on a random port.
func NewServer() *Server {
	s := &Server{
		Faults:   &paymentstest.Faults{},
		payments: map[string]*payment{}, byCheckout: map[string]*payment{},
		min: DefaultPaymentMin, max: DefaultPaymentMax, types: slices.Clone(DefaultPaymentTypes),
		limit: window{perSecond: DefaultPerSecond, perMinute: DefaultPerMinute},
	}
	s.schema = graphql.MustParseSchema(schema, &root{s}, graphql.UseFieldResolvers(), graphql.MaxDepth(10))
	mux := http.NewServeMux()
	mux.Handle("/api/graphql", s.counter.Middleware(s.Faults.Middleware(http.HandlerFunc(s.serveAPI))))
	mux.HandleFunc("GET /checkout/{id}", s.servePage)
	mux.HandleFunc("POST /checkout/{id}/pay", s.servePay)
	mux.HandleFunc("POST /checkout/{id}/decline", s.serveDecline)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close shuts the simulator down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests the simulator received; payment
// page hits are not counted.
func (s *Server) Requests() int { return s.counter.Count() }

// SetWebhookURL does nothing: Hero sends no webhooks. It exists so that code
// driving every simulator alike can call it.
func (s *Server) SetWebhookURL(string) {}

// Pay marks the payment paid, as if the customer paid on the page.
func (s *Server) Pay(id string) error { return s.finishPayment(id, statePaid) }

// Decline marks the payment refused: getPaymentsInfos then reports error
// PAYMENT_DECLINED.
func (s *Server) Decline(id string) error { return s.finishPayment(id, stateDeclined) }

// Expire marks the payment abandoned: getPaymentsInfos then reports error
// PAYMENT_EXPIRED, and its page is closed. The redirect URI is not notified:
// the customer never finished.
func (s *Server) Expire(id string) error {
	_, err := s.settle(id, stateExpired)
	return err
}

// finishPayment settles a payment the customer finished on the page (paid
// or declined) and, with NotifyRedirectURI, notifies its redirect URI once.
func (s *Server) finishPayment(id string, to state) error {
	notify, err := s.settle(id, to)
	if err != nil || notify == "" {
		return err
	}
	// Hero's reference says only that Hero "will notify your system" at the
	// redirect URI: no method, body or retry is documented, so this is one
	// GET of the URI as given, from the server, with no browser cookies. Its
	// outcome changes nothing.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if req, err := http.NewRequestWithContext(ctx, http.MethodGet, notify, nil); err == nil {
		req.Header.Set("User-Agent", "herotest-notify")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	return nil
}

// settle moves a payment to its final state. It returns the redirect URI to
// notify when the state changed and NotifyRedirectURI is on.
func (s *Server) settle(id string, to state) (notify string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return "", &payments.Error{Provider: payments.Hero, Op: "simulator", Kind: payments.ErrNotFound, Message: "no payment " + id}
	}
	if p.state != stateNotInitiated && p.state != to {
		return "", &payments.Error{Provider: payments.Hero, Op: "simulator", Kind: payments.ErrConflict,
			Message: "payment " + id + " is already settled (" + p.state.errorCode() + ")"}
	}
	if p.state == to || !s.notify {
		p.state = to
		return "", nil
	}
	p.state = to
	return p.in.RedirectURI, nil
}

// Payment returns what the simulator holds for a payment.
func (s *Server) Payment(id string) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return Payment{}, false
	}
	out := p.in
	out.OrderID, out.CheckoutID, out.Paid = p.orderID, p.checkoutID, p.state == statePaid
	out.Refunded, out.PendingRefund = p.refunded, p.pendingRefund
	return out, true
}

// Payments returns how many payments were created.
func (s *Server) Payments() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.payments)
}

// PaymentCheckoutID returns the payment's "paycheckout-…" id, which
// refundPaymentCheckout takes as well as the payment id.
func (s *Server) PaymentCheckoutID(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.payments[id]; ok {
		return p.checkoutID
	}
	return ""
}

// SetPaymentLimits changes the merchant's paymentMin and paymentMax (euro
// cents).
func (s *Server) SetPaymentLimits(min, max int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.min, s.max = min, max
}

// SetPaymentTypes changes the payment types the merchant may use.
func (s *Server) SetPaymentTypes(types ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.types = slices.Clone(types)
}

// DisableMerchant makes createPayment fail with MERCHANT_PRODUCT_DISABLED
// (and availablePaymentTypes offer nothing) while disabled is true.
func (s *Server) DisableMerchant(disabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled = disabled
}

// HoldRefunds makes accepted refunds wait in pendingRefundAmount, until
// SettleRefunds, rather than be refunded at once.
func (s *Server) HoldRefunds(hold bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdRefunds = hold
}

// SettleRefunds completes the payment's pending refunds.
func (s *Server) SettleRefunds(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.payments[id]; ok {
		p.refunded += p.pendingRefund
		p.pendingRefund = 0
	}
}

// FailNextRefund makes the next refundPaymentCheckout answer a GqlHeroError
// with errorCode and message, such as ("FUNCTIONAL_ERROR",
// "BA_BALANCE_INSUFFICIENT") or ("INTERNAL_SERVER_ERROR", "…").
func (s *Server) FailNextRefund(errorCode, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refundFault = &gqlHeroError{ErrorCode: errorCode, Message: message}
}

// ErrorCodes says where the simulator puts the codes Hero's reference lists
// for createPayment (NOT_LOGGED, MERCHANT_PRODUCT_DISABLED,
// INVALID_PAYMENT_TYPE) in an errors[] entry. Hero does not say which it
// does; clients should cope with both.
type ErrorCodes int32

const (
	// CodesInMessage (the default) makes the code the entry's message, as
	// Hero's reference lists them, with the generic extensions.code
	// INTERNAL_SERVER_ERROR that a Node GraphQL server (Apollo) adds to any
	// error a resolver throws.
	CodesInMessage ErrorCodes = iota
	// CodesInExtensions puts the code in extensions.code and Hero's
	// description of it (from its reference, in French) in the message.
	CodesInExtensions
)

// SetErrorCodes changes where errors[] entries carry Hero's codes. The
// paymentMin/paymentMax messages read the same either way.
func (s *Server) SetErrorCodes(where ErrorCodes) { s.errorCodes.Store(int32(where)) }

// RefundByCheckoutIDOnly makes refundPaymentCheckout take only a payment's
// "paycheckout-…" id (PaymentCheckoutID) and answer INVALID_PAYMENT_CHECKOUT
// for its payment id, while only is true. By default it takes either: Hero
// does not document how the id it refunds by relates to createPayment's.
func (s *Server) RefundByCheckoutIDOnly(only bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkoutIDOnly = only
}

// NotifyRedirectURI makes the simulator, while on is true, also call a
// payment's redirect URI from the server (one GET, no browser cookies) when
// the customer pays or declines, before the browser is sent there. Hero's
// reference says Hero "will notify your system" at that URI but documents
// no such call; turn it on to check that a return handler treats every hit
// as an untrusted trigger and stays idempotent.
func (s *Server) NotifyRedirectURI(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify = on
}

// SetRateLimit changes how many API requests are answered per second and
// per minute before HTTP 429.
func (s *Server) SetRateLimit(perSecond, perMinute int) {
	s.limit.mu.Lock()
	defer s.limit.mu.Unlock()
	s.limit.perSecond, s.limit.perMinute = perSecond, perMinute
}

// maxBody bounds a GraphQL request body.
const maxBody = 1 << 20

// serveAPI is Hero's GraphQL endpoint.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		simkit.WriteJSON(w, http.StatusMethodNotAllowed, errorsBody("only POST is supported"))
		return
	}
	if !s.limit.allow(time.Now()) {
		simkit.WriteJSON(w, http.StatusTooManyRequests, map[string]string{"message": "Too Many Requests"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		simkit.WriteJSON(w, http.StatusRequestEntityTooLarge, errorsBody("request body too large"))
		return
	}
	var params struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	if err := json.Unmarshal(body, &params); err != nil {
		simkit.WriteJSON(w, http.StatusBadRequest, errorsBody("the body is not a GraphQL request: "+err.Error()))
		return
	}
	ctx := context.WithValue(r.Context(), callerKey{}, account(r.Header.Get("Authorization")))
	resp := s.schema.Exec(ctx, params.Query, params.OperationName, params.Variables)
	simkit.WriteJSON(w, http.StatusOK, resp)
}

// account returns the merchant an Authorization header authenticates, or "".
func account(h string) string {
	key, ok := strings.CutPrefix(h, "Api-Key ")
	switch {
	case !ok:
		return ""
	case key == APIKey:
		return "merchant"
	case key == OtherAPIKey:
		return "other merchant"
	}
	return ""
}

func errorsBody(msg string) map[string]any {
	return map[string]any{"errors": []map[string]string{{"message": msg}}}
}

// window counts the API requests answered in the last minute.
type window struct {
	mu                   sync.Mutex
	perSecond, perMinute int
	hits                 []time.Time
}

// allow reports whether a request at now stays within both limits, and
// counts it if so.
func (w *window) allow(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	cut := 0
	for cut < len(w.hits) && now.Sub(w.hits[cut]) >= time.Minute {
		cut++
	}
	w.hits = w.hits[cut:]
	lastSecond := 0
	for i := len(w.hits) - 1; i >= 0 && now.Sub(w.hits[i]) < time.Second; i-- {
		lastSecond++
	}
	if len(w.hits) >= w.perMinute || lastSecond >= w.perSecond {
		return false
	}
	w.hits = append(w.hits, now)
	return true
}
