// Package helloassotest is a simulator of HelloAsso's Checkout API (v5), for
// tests and demos: an httptest server on 127.0.0.1 that speaks the real
// paths, with the OAuth2 token endpoint (client credentials and refresh
// grants, expiry, rotation), checkout intents validated as HelloAsso
// validates them, a checkout page with Pay and Decline buttons that sends
// the browser back with HelloAsso's parameters, orders and payments, full
// and partial refunds, order cancellation, signed notifications, and fault
// injection.
//
//	srv, c := helloassotest.Start(t)      // closed when the test ends
//	s, _ := c.Create(ctx, req)
//	back, _ := srv.Walk(ctx, s, true)    // the payer pays on the checkout page
//	ret, _ := c.ParseReturn(back.Query()) // what the return URL brings back
//
// It has the shape of every simulator of this module: NewServer (the
// caller closes it) or Start (closed at the test's end, with a client),
// NewClient, URL, Close, Pay, Decline and Expire to settle a checkout from
// Go, Walk to go through the checkout page as the payer's browser does,
// SetWebhookURL, Faults and Requests; HelloAsso's own extras on top (token
// counts and expiry, Notification, ShowRefusedOrders).
//
// Its answers have the keys and types of sources HelloAsso's team or its
// users published (testdata/helloasso/SOURCES.md; shape_test.go compares
// them): a real sandbox checkout intent, HelloAsso's Order, Payment and
// Form notification examples, and the OpenAPI spec's refund models. So a
// Payment notification does not name its checkout intent (only the
// metadata links it), a payment lists its refunds with "status", and the
// checkout intent carries its order only once a payment is authorised: a
// refused card leaves an order that GET /v5/orders/{id} shows, the intent
// does not (unless ShowRefusedOrders), and the page open for another try.
//
// Where HelloAsso's documentation is silent the simulator makes a choice and
// says so: validation errors (400) use ASP.NET's problem shape
// {"type","title","status","errors":{"field":["…"]}}; refund errors use
// HelloAsso's {"errors":[{"code":"Error","message":"Code : 113 - …"}]}
// with status 400, other errors the same shape; OAuth errors are
// {"error","error_description"} with status 400; a refused card sends no
// notification; refunds are processed at once ("Processed"). Being a local
// simulator, it accepts plain http return URLs on loopback hosts, which the
// real API refuses.
package helloassotest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// The credentials the simulator accepts.
const (
	ClientID         = "helloasso-sim-client"
	ClientSecret     = "helloasso-sim-secret-7f3c9a1e"
	OrganizationSlug = "association-simulee"
	// SignatureKey signs notifications (x-ha-signature), as HelloAsso does
	// for partners.
	SignatureKey = "helloasso-sim-signature-5b8d2e4f"
)

// DefaultTokenLifetime is how long an access token lives, as at HelloAsso.
const DefaultTokenLifetime = 30 * time.Minute

// refreshLifetime is how long a refresh token lives: a month.
const refreshLifetime = 30 * 24 * time.Hour

// The grant types of the token endpoint.
const (
	GrantClientCredentials = "client_credentials"
	GrantRefreshToken      = "refresh_token"
)

// Server is the simulator. Its exported fields may be used once NewServer
// returns; its methods are safe for concurrent use.
type Server struct {
	// URL is the API's base URL: pass payments.WithBaseURL(srv.URL), or
	// use NewClient. The checkout pages are served there too.
	URL string
	// Faults are injected in front of the API (token endpoint included),
	// not the checkout page: srv.Faults.Add(paymentstest.ServerError(503)).
	Faults *paymentstest.Faults

	srv     *httptest.Server
	handler http.Handler
	counter simkit.Counter

	mu          sync.Mutex
	now         func() time.Time
	nextID      int64
	intents     map[int64]*intent
	pages       map[string]*intent // checkout page key → intent
	orders      map[int64]*order
	payments    map[int64]*payment
	access      map[string]time.Time // access token → expiry
	refresh     map[string]time.Time // refresh token → expiry
	issued      map[string]int       // grant type → tokens issued
	lifetime    time.Duration
	webhookURL  string
	showRefused bool
}

// NewServer starts a simulator on 127.0.0.1 (a random port). The caller
// closes it; in a test, Start does.
func NewServer() *Server {
	s := &Server{
		Faults:   &paymentstest.Faults{},
		now:      time.Now,
		nextID:   30000,
		intents:  map[int64]*intent{},
		pages:    map[string]*intent{},
		orders:   map[int64]*order{},
		payments: map[int64]*payment{},
		access:   map[string]time.Time{},
		refresh:  map[string]time.Time{},
		issued:   map[string]int{},
		lifetime: DefaultTokenLifetime,
	}
	api := http.NewServeMux()
	api.HandleFunc("POST /oauth2/token", s.handleToken)
	api.Handle("POST /v5/organizations/{slug}/checkout-intents", s.authed(s.handleCreate))
	api.Handle("GET /v5/organizations/{slug}/checkout-intents/{id}", s.authed(s.handleGetIntent))
	api.Handle("GET /v5/orders/{id}", s.authed(s.handleGetOrder))
	api.Handle("POST /v5/orders/{id}/cancel", s.authed(s.handleCancelOrder))
	api.Handle("GET /v5/payments/{id}", s.authed(s.handleGetPayment))
	api.Handle("POST /v5/payments/{id}/refund", s.authed(s.handleRefund))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeErrors(w, http.StatusNotFound, "NotFound", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	apiChain := s.counter.Middleware(s.Faults.Middleware(api))

	pages := http.NewServeMux()
	pages.HandleFunc("GET /associations/{slug}/checkout/{key}", s.handlePage)
	pages.HandleFunc("POST /associations/{slug}/checkout/{key}/pay", s.handlePageAction(true))
	pages.HandleFunc("POST /associations/{slug}/checkout/{key}/decline", s.handlePageAction(false))

	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v5/") || strings.HasPrefix(r.URL.Path, "/oauth2/") {
			apiChain.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
	s.srv = httptest.NewServer(s.handler)
	s.URL = s.srv.URL
	return s
}

// NewClient returns a HelloAsso client pointed at the simulator, with the
// credentials it accepts (SignatureKey included, so notifications are
// verified) and opts (payments.WithRetries, WithLogger…).
func (s *Server) NewClient(opts ...payments.Option) (*helloasso.Client, error) {
	return helloasso.New(helloasso.Config{
		ClientID: ClientID, ClientSecret: ClientSecret,
		OrganizationSlug: OrganizationSlug, SignatureKey: SignatureKey,
	}, append([]payments.Option{payments.WithBaseURL(s.URL)}, opts...)...)
}

// Start starts a simulator for test t, closed when t ends, and returns it
// with a client pointed at it (NewClient with opts).
func Start(t testing.TB, opts ...payments.Option) (*Server, *helloasso.Client) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	c, err := s.NewClient(opts...)
	if err != nil {
		t.Fatalf("helloassotest: %v", err)
	}
	return s, c
}

// ServeHTTP serves r as the simulator at URL does, without the network:
// for tests that call it through httptest.NewRecorder.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close shuts the simulator down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests (token requests included) the
// simulator has received; checkout page hits are not counted.
func (s *Server) Requests() int { return s.counter.Count() }

// SetWebhookURL sets where notifications are posted, signed with
// SignatureKey. They are sent synchronously, before the checkout page
// redirects the browser, so that tests are deterministic. Empty: none.
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL = u
}

// TokensIssued returns how many access tokens the token endpoint has issued,
// with either grant.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.issued {
		n += c
	}
	return n
}

// TokensIssuedBy returns how many access tokens were issued with grant
// (GrantClientCredentials or GrantRefreshToken).
func (s *Server) TokensIssuedBy(grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued[grant]
}

// ExpireAccessTokens makes every access token issued so far expire now, as
// if their 30 minutes had passed: the API answers 401 to them, and a client
// must renew (with its refresh token).
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for t := range s.access {
		s.access[t] = past
	}
}

// RevokeRefreshTokens makes the token endpoint refuse every refresh token
// issued so far (invalid_grant), as when one expired or was rotated by
// another client: a client must then fall back to client credentials.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.refresh)
}

// SetTokenLifetime changes the lifetime (expires_in) of the access tokens
// issued from now on; DefaultTokenLifetime otherwise.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lifetime = d
}

// ShowRefusedOrders makes GET …/checkout-intents/{id} show the order of a
// refused card (its payment "Refused"), as HelloAsso's woocommerce plugin
// expects it can. By default the simulator follows HelloAsso's OpenAPI
// description instead: the intent carries its order "only when the payment
// is authorised", so a refused checkout reads as not paid yet.
func (s *Server) ShowRefusedOrders(show bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.showRefused = show
}

// FormNotification returns a signed Form notification, as HelloAsso posts
// one when the association creates a form (a donation form formSlug titled
// title): for testing that a handler acknowledges what it does not use.
func (s *Server) FormNotification(formSlug, title string) (http.Header, []byte) {
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	body, _ := json.Marshal(struct {
		Data      any    `json:"data"`
		EventType string `json:"eventType"`
	}{formJSON(formSlug, title, now), "Form"})
	return paymentstest.SignHelloAsso(SignatureKey, body), body
}
