package hub2test

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments/internal/simkit"
)

// writeError answers Hub2's standard error body.
func writeError(w http.ResponseWriter, status int, code, message string) {
	simkit.WriteJSON(w, status, map[string]any{
		"status": status, "code": code, "message": message, "request_id": simkit.NewID("req_", 21),
	})
}

func badRequest(w http.ResponseWriter, message string) {
	writeError(w, http.StatusBadRequest, "Bad Request", message)
}

func notFound(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotFound, "Not Found", what+" not found")
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// authorized checks the ApiKey, MerchantId and Environment headers. When
// token is true the request may instead carry the intent's JWT (attempts,
// authentication, reads with ?token=), which the handler checks; headers
// present must still be right.
func authorized(w http.ResponseWriter, r *http.Request, token bool) bool {
	key, merchant, env := r.Header.Get("ApiKey"), r.Header.Get("MerchantId"), r.Header.Get("Environment")
	if token && key == "" && merchant == "" {
		return true
	}
	switch {
	case key == "" || merchant == "":
		writeError(w, http.StatusUnauthorized, "Unauthorized", "The ApiKey and MerchantId headers are required")
	case !equal(key, APIKey) || merchant != MerchantID:
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid API key")
	case env == "":
		writeError(w, http.StatusUnauthorized, "Unauthorized", "The Environment header is required (sandbox or live)")
	case env == "live":
		writeError(w, http.StatusUnauthorized, "Unauthorized", "This API key belongs to the sandbox environment")
	case env != "sandbox":
		badRequest(w, "Environment must be sandbox or live")
	default:
		return true
	}
	return false
}

// decode reads a JSON body into v, answering 400 when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		badRequest(w, "The body is not valid JSON")
		return false
	}
	return true
}

// limited applies the per-intent rate limits when they are on: at most n
// requests per 5 s per key. It answers 429 and returns true when over.
func (s *Server) limited(w http.ResponseWriter, key string, n int) bool {
	const window = 5 * time.Second
	s.mu.Lock()
	if !s.limits {
		s.mu.Unlock()
		return false
	}
	now := s.now()
	kept := s.hits[key][:0]
	for _, t := range s.hits[key] {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	over := len(kept) >= n
	var wait time.Duration
	if over {
		wait = window - now.Sub(kept[0])
		s.throttled++
	} else {
		kept = append(kept, now)
	}
	s.hits[key] = kept
	s.mu.Unlock()
	if !over {
		return false
	}
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	writeError(w, http.StatusTooManyRequests, "Too Many Requests", "Too many requests for this resource; retry later")
	return true
}

// validReference reports whether ref holds only what Hub2 accepts.
func validReference(ref string) bool {
	if strings.TrimSpace(ref) == "" {
		return false
	}
	for _, r := range ref {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_. ", r)) {
			return false
		}
	}
	return true
}

// amount reads a positive integer amount: a bare JSON integer.
func amount(n json.RawMessage) (int64, bool) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	return v, err == nil && v > 0
}

func (s *Server) createIntent(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) {
		return
	}
	var req struct {
		CustomerReference string          `json:"customerReference"`
		PurchaseReference string          `json:"purchaseReference"`
		Amount            json.RawMessage `json:"amount"`
		Currency          string          `json:"currency"`
	}
	if !decode(w, r, &req) {
		return
	}
	amt, ok := amount(req.Amount)
	switch {
	case !validReference(req.PurchaseReference):
		badRequest(w, "purchaseReference must match /^[a-zA-Z0-9-_. ]+$/")
		return
	case !validReference(req.CustomerReference):
		badRequest(w, "customerReference must match /^[a-zA-Z0-9-_. ]+$/")
		return
	case !ok:
		badRequest(w, "amount must be a positive integer")
		return
	case req.Currency != "XOF" && req.Currency != "XAF" && req.Currency != "GNF":
		writeError(w, http.StatusBadRequest, "invalid-currency", "currency must be one of XOF, XAF, GNF")
		return
	}
	s.mu.Lock()
	now := s.stamp()
	pi := &intent{
		ID: simkit.NewID("pi_", 21), MerchantID: MerchantID, CreatedAt: now, UpdatedAt: now,
		PurchaseReference: req.PurchaseReference, CustomerReference: req.CustomerReference,
		Amount: amt, Currency: req.Currency, Status: "payment_required", Payments: []*payment{}, Mode: "sandbox",
	}
	pi.Token = s.newToken(pi.ID)
	s.intents[pi.ID] = pi
	body := mustJSON(pi)
	evs := []event{s.intentEvent("payment_intent.created", pi)}
	s.mu.Unlock()
	s.deliver(evs)
	writeRaw(w, http.StatusCreated, body)
}

// intentFor finds the intent of the request's path, answering 404 if none.
func (s *Server) intentFor(w http.ResponseWriter, r *http.Request) (*intent, bool) {
	pi, ok := s.intents[r.PathValue("id")]
	if !ok {
		notFound(w, "PaymentIntent")
	}
	return pi, ok
}

func (s *Server) getIntent(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if !authorized(w, r, token != "") || s.limited(w, "intent:"+r.PathValue("id"), 1) {
		return
	}
	s.mu.Lock()
	pi, ok := s.intentFor(w, r)
	var body []byte
	if ok && r.Header.Get("ApiKey") == "" && !equal(token, pi.Token) {
		ok = false
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid token")
	}
	if ok {
		body = mustJSON(pi)
	}
	s.mu.Unlock()
	if ok {
		writeRaw(w, http.StatusOK, body)
	}
}

func (s *Server) intentStatus(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) || s.limited(w, "intent-status:"+r.PathValue("id"), 5) {
		return
	}
	s.mu.Lock()
	pi, ok := s.intentFor(w, r)
	var body []byte
	if ok {
		body = mustJSON(map[string]string{"id": pi.ID, "status": pi.Status})
	}
	s.mu.Unlock()
	if ok {
		writeRaw(w, http.StatusOK, body)
	}
}

func (s *Server) paymentStatus(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) || s.limited(w, "payment-status:"+r.PathValue("id"), 5) {
		return
	}
	s.mu.Lock()
	p, ok := s.paymentIdx[r.PathValue("id")]
	var body []byte
	if ok {
		body = mustJSON(map[string]string{"id": p.ID, "intentId": p.IntentID, "status": p.Status})
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "Payment")
		return
	}
	writeRaw(w, http.StatusOK, body)
}

type mobileMoney struct {
	MSISDN                 string `json:"msisdn"`
	OTP                    string `json:"otp"`
	OnCancelRedirectionURL string `json:"onCancelRedirectionUrl"`
	OnFinishRedirectionURL string `json:"onFinishRedirectionUrl"`
}

func (s *Server) attempt(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, true) {
		return
	}
	var req struct {
		Token                  string       `json:"token"`
		PaymentMethod          string       `json:"paymentMethod"`
		Country                string       `json:"country"`
		Provider               string       `json:"provider"`
		OnCancelRedirectionURL string       `json:"onCancelRedirectionUrl"`
		OnFinishRedirectionURL string       `json:"onFinishRedirectionUrl"`
		MobileMoney            *mobileMoney `json:"mobileMoney"`
	}
	if !decode(w, r, &req) {
		return
	}
	s.mu.Lock()
	pi, ok := s.intentFor(w, r)
	if !ok {
		s.mu.Unlock()
		return
	}
	var msg string
	status, code := http.StatusBadRequest, "Bad Request"
	switch {
	case !equal(req.Token, pi.Token):
		status, code, msg = http.StatusUnauthorized, "Unauthorized", "Invalid token"
	case pi.expired:
		status, code, msg = http.StatusConflict, "Conflict", "The PaymentIntent has expired"
	case pi.Status == "successful":
		status, code, msg = http.StatusConflict, "Conflict", "The PaymentIntent is already paid"
	case pi.Status == "processing" || pi.Status == "action_required":
		status, code, msg = http.StatusConflict, "Conflict", "A payment is already in progress on this PaymentIntent"
	case req.PaymentMethod != "mobile_money":
		msg = "paymentMethod must be mobile_money (credit_card is not enabled in the simulator)"
	case countries[req.Country] == "":
		status, code, msg = http.StatusNotFound, "Not Found", "Country not found"
	case providers[req.Provider] == "":
		status, code, msg = http.StatusNotFound, "Not Found", "Provider not found"
	case countries[req.Country] != pi.Currency:
		code, msg = "invalid-currency", pi.Currency+" is not the currency of "+req.Country
	case req.MobileMoney == nil || req.MobileMoney.MSISDN == "":
		msg = "mobileMoney.msisdn is required"
	}
	if msg != "" {
		s.mu.Unlock()
		writeError(w, status, code, msg)
		return
	}
	mm := req.MobileMoney
	p := s.newPayment(pi, req.Country, req.Provider, mm.MSISDN)
	p.finishURL, p.cancelURL = first(mm.OnFinishRedirectionURL, req.OnFinishRedirectionURL), first(mm.OnCancelRedirectionURL, req.OnCancelRedirectionURL)
	pi.Payments = append(pi.Payments, p)
	pi.Status, pi.UpdatedAt = "processing", p.CreatedAt
	evs := []event{s.paymentEvent("payment.created", p), s.intentEvent("payment_intent.processing", pi)}
	switch action := providers[req.Provider]; {
	case mm.MSISDN == MSISDNInsufficientFunds:
		evs = append(evs, s.finish(pi, p, "customer_insufficient_funds")...)
	case !validMSISDN(mm.MSISDN):
		evs = append(evs, s.finish(pi, p, "invalid_msisdn")...)
	case action == "otp" && mm.OTP != "":
		evs = append(evs, s.finish(pi, p, otpOutcome(mm.OTP))...)
	default:
		p.NextAction = s.nextAction(action, p)
		p.Status, pi.Status = "action_required", "action_required"
		evs = append(evs, s.paymentEvent("payment.action_required", p), s.intentEvent("payment_intent.action_required", pi))
	}
	body := mustJSON(pi)
	s.mu.Unlock()
	s.deliver(evs)
	writeRaw(w, http.StatusCreated, body)
}

func (s *Server) nextAction(action string, p *payment) *nextAction {
	switch action {
	case "otp":
		return &nextAction{Type: "otp", Message: OTPMessage}
	case "ussd":
		return &nextAction{Type: "ussd", Message: USSDMessage}
	}
	return &nextAction{Type: "redirection", Message: "mm_" + p.Provider + "_sandbox.redirection", Data: &nextActionData{
		URL: s.URL + "/checkout/" + p.ID, Method: "get", Headers: map[string]string{}, Data: map[string]string{},
	}}
}

// otpOutcome is the failure code for a code the sandbox refuses, or "".
func otpOutcome(code string) string {
	if len(code) == 4 && strings.Trim(code, "0123456789") == "" {
		return ""
	}
	return "authentication_failed"
}

func validMSISDN(n string) bool {
	return len(n) >= 8 && len(n) <= 10 && strings.Trim(n, "0123456789") == ""
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, true) {
		return
	}
	var req struct {
		Token            string `json:"token"`
		ConfirmationCode string `json:"confirmationCode"`
	}
	if !decode(w, r, &req) {
		return
	}
	s.mu.Lock()
	pi, ok := s.intentFor(w, r)
	if !ok {
		s.mu.Unlock()
		return
	}
	p := pending(pi)
	switch {
	case !equal(req.Token, pi.Token):
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid token")
		return
	case req.ConfirmationCode == "":
		s.mu.Unlock()
		badRequest(w, "confirmationCode is required")
		return
	case p == nil || p.NextAction == nil || p.NextAction.Type != "otp":
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "Conflict", "No payment of this PaymentIntent waits for an authentication")
		return
	}
	evs := s.finish(pi, p, otpOutcome(req.ConfirmationCode))
	body := mustJSON(pi)
	s.mu.Unlock()
	s.deliver(evs)
	writeRaw(w, http.StatusCreated, body)
}

func (s *Server) fees(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) {
		return
	}
	q := r.URL.Query()
	country, provider, method := q.Get("country"), q.Get("provider"), q.Get("paymentMethod")
	if country == "" || provider == "" || method == "" {
		badRequest(w, "country, provider and paymentMethod are required")
		return
	}
	s.mu.Lock()
	pi, ok := s.intentFor(w, r)
	var amt int64
	var cur string
	if ok {
		amt, cur = pi.Amount, pi.Currency
	}
	s.mu.Unlock()
	switch {
	case !ok:
		return
	case countries[country] == "":
		notFound(w, "Country")
		return
	case providers[provider] == "":
		notFound(w, "Provider")
		return
	}
	// A 2 % fee, rounded up to the franc.
	simkit.WriteJSON(w, http.StatusOK, []fee{{
		ID: simkit.NewID("", 21), Rate: 2, RateType: "percent", Amount: (amt*2 + 99) / 100, Currency: cur,
		Label: "Frais " + provider + " " + country,
	}})
}

func (s *Server) registerWebhook(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) {
		return
	}
	var req struct {
		URL         string            `json:"url"`
		Events      []string          `json:"events"`
		Description string            `json:"description"`
		Metadata    map[string]string `json:"metadata"`
	}
	if !decode(w, r, &req) {
		return
	}
	if u, err := url.Parse(req.URL); err != nil || !u.IsAbs() || u.Host == "" {
		badRequest(w, "url must be an absolute URL")
		return
	}
	if len(req.Events) == 0 {
		badRequest(w, "events must not be empty")
		return
	}
	s.mu.Lock()
	s.webhookURL, s.events = req.URL, map[string]bool{}
	for _, e := range req.Events {
		s.events[e] = true
	}
	now := s.stamp()
	body := mustJSON(map[string]any{
		"id": simkit.NewID("wh_", 21), "mode": "sandbox", "status": "enabled", "url": req.URL, "events": req.Events,
		"description": req.Description, "metadata": req.Metadata, "createdAt": now, "updatedAt": now, "secret": s.secret,
	})
	s.mu.Unlock()
	writeRaw(w, http.StatusCreated, body)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{}`)
	}
	return b
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
