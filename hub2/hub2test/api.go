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

// errorBody is Hub2's standard error body.
func errorBody(status int, code, message string) map[string]any {
	return map[string]any{"status": status, "code": code, "message": message, "request_id": simkit.NewID("req_", 21)}
}

// writeError answers Hub2's standard error body.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeRaw(w, status, mustJSON(errorBody(status, code, message)))
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
		BusinessName      string          `json:"overrideBusinessName"`
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
		businessName: req.BusinessName,
	}
	pi.Token = s.newToken(pi.ID)
	s.intents[pi.ID] = pi
	body := mustJSON(pi)
	evs := []event{s.intentEvent("payment_intent.created", pi)}
	s.mu.Unlock()
	s.deliver(evs)
	writeRaw(w, http.StatusCreated, body)
}

// reply is a handler's answer, built under the lock: a status, a body to
// encode, and the webhooks to deliver once the lock is released.
type reply struct {
	status int
	body   any
	events []event
}

func errorReply(status int, code, message string) reply {
	return reply{status: status, body: errorBody(status, code, message)}
}

// onIntent runs f on the intent the path names, under the lock (404 when
// there is none); then, unlocked, it delivers f's webhooks and answers.
func (s *Server) onIntent(w http.ResponseWriter, r *http.Request, f func(pi *intent) reply) {
	s.mu.Lock()
	rep := errorReply(http.StatusNotFound, "Not Found", "PaymentIntent not found")
	if pi, ok := s.intents[r.PathValue("id")]; ok {
		rep = f(pi)
	}
	body := mustJSON(rep.body)
	s.mu.Unlock()
	s.deliver(rep.events)
	writeRaw(w, rep.status, body)
}

func (s *Server) getIntent(w http.ResponseWriter, r *http.Request) {
	s.readIntent(w, r, "intent:", 1, func(pi *intent) any { return pi })
}

// intentStatus answers {"id", "status"}, the sample of Hub2's reference.
func (s *Server) intentStatus(w http.ResponseWriter, r *http.Request) {
	s.readIntent(w, r, "intent-status:", 5, func(pi *intent) any {
		return map[string]string{"id": pi.ID, "status": pi.Status}
	})
}

// readIntent answers a read of an intent, authorized by the API headers or
// by the intent's token in ?token= (Hub2's reference lists it on both
// reads), or by both. A token that is not the intent's is refused, and
// RequireReadToken makes it required. n is the reads allowed per 5 s.
func (s *Server) readIntent(w http.ResponseWriter, r *http.Request, limit string, n int, body func(*intent) any) {
	token := r.URL.Query().Get("token")
	if !authorized(w, r, token != "") || s.limited(w, limit+r.PathValue("id"), n) {
		return
	}
	s.onIntent(w, r, func(pi *intent) reply {
		switch {
		case token == "" && s.readToken:
			return errorReply(http.StatusUnauthorized, "Unauthorized", "The token query parameter is required")
		case token != "" && !equal(token, pi.Token):
			return errorReply(http.StatusUnauthorized, "Unauthorized", "Invalid token")
		}
		return reply{status: http.StatusOK, body: body(pi)}
	})
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

// mobileMoney is the mobileMoney object of an attempt. Wave reads the
// success and failed URLs, the other redirection flows the finish and
// cancel URLs (see the package doc).
type mobileMoney struct {
	MSISDN                  string `json:"msisdn"`
	OTP                     string `json:"otp"`
	Workflow                string `json:"workflow"`
	OnSuccessRedirectionURL string `json:"onSuccessRedirectionUrl"`
	OnFailedRedirectionURL  string `json:"onFailedRedirectionUrl"`
	OnCancelRedirectionURL  string `json:"onCancelRedirectionUrl"`
	OnFinishRedirectionURL  string `json:"onFinishRedirectionUrl"`
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
	s.onIntent(w, r, func(pi *intent) reply {
		if rep, refused := s.refuseAttempt(pi, req.Token, req.PaymentMethod, req.Country, req.Provider, req.MobileMoney); refused {
			return rep
		}
		mm := req.MobileMoney
		p := s.newPayment(pi, req.Country, req.Provider, mm.MSISDN)
		if req.Provider == ProviderRedirect {
			p.okURL, p.koURL = mm.OnSuccessRedirectionURL, mm.OnFailedRedirectionURL
		} else {
			p.okURL = first(mm.OnFinishRedirectionURL, req.OnFinishRedirectionURL)
			p.koURL = first(mm.OnCancelRedirectionURL, req.OnCancelRedirectionURL)
		}
		pi.Payments = append(pi.Payments, p)
		pi.Status, pi.UpdatedAt = "processing", p.CreatedAt
		evs := []event{s.paymentEvent("payment.created", p), s.intentEvent("payment_intent.processing", pi)}
		action := providers[req.Provider]
		if req.Provider == ProviderOTP && mm.Workflow == "redirection" {
			action = "redirection" // Orange's payment link
		}
		switch {
		case mm.MSISDN == MSISDNInsufficientFunds:
			evs = append(evs, s.finish(pi, p, "customer_insufficient_funds")...)
		case !validMSISDN(mm.MSISDN):
			evs = append(evs, s.finish(pi, p, "invalid_msisdn")...)
		case action == "otp" && mm.OTP != "":
			evs = append(evs, s.finish(pi, p, otpOutcome(mm.OTP))...)
		case action == "redirection" && s.redirectStatus != "action_required":
			// The redirection is out while the payment shows another
			// status (SetRedirectStatus): no action_required events.
			p.NextAction = s.nextAction(action, p)
			p.Status = s.redirectStatus
			if p.Status == "pending" {
				evs = append(evs, s.paymentEvent("payment.pending", p))
			}
		default:
			p.NextAction = s.nextAction(action, p)
			p.Status, pi.Status = "action_required", "action_required"
			evs = append(evs, s.paymentEvent("payment.action_required", p), s.intentEvent("payment_intent.action_required", pi))
		}
		return reply{status: http.StatusCreated, body: pi, events: evs}
	})
}

// refuseAttempt answers an attempt Hub2 would refuse with an HTTP error.
func (s *Server) refuseAttempt(pi *intent, token, method, country, provider string, mm *mobileMoney) (reply, bool) {
	switch {
	case !equal(token, pi.Token):
		return errorReply(http.StatusUnauthorized, "Unauthorized", "Invalid token"), true
	case pi.expired:
		return errorReply(http.StatusConflict, "Conflict", "The PaymentIntent has expired"), true
	case pi.Status == "successful":
		return errorReply(http.StatusConflict, "Conflict", "The PaymentIntent is already paid"), true
	case pi.Status == "processing" || pi.Status == "action_required":
		return errorReply(http.StatusConflict, "Conflict", "A payment is already in progress on this PaymentIntent"), true
	case method != "mobile_money":
		return errorReply(http.StatusBadRequest, "Bad Request", "paymentMethod must be mobile_money (credit_card is not enabled in the simulator)"), true
	case countries[country] == "":
		return errorReply(http.StatusNotFound, "Not Found", "Country not found"), true
	case providers[provider] == "":
		return errorReply(http.StatusNotFound, "Not Found", "Provider not found"), true
	case countries[country] != pi.Currency:
		return errorReply(http.StatusBadRequest, "invalid-currency", pi.Currency+" is not the currency of "+country), true
	case mm == nil || mm.MSISDN == "":
		return errorReply(http.StatusBadRequest, "Bad Request", "mobileMoney.msisdn is required"), true
	case mm.Workflow != "" && mm.Workflow != "otp" && mm.Workflow != "redirection":
		return errorReply(http.StatusBadRequest, "Bad Request", "mobileMoney.workflow must be otp or redirection"), true
	case provider == ProviderRedirect && (mm.OnSuccessRedirectionURL == "" || mm.OnFailedRedirectionURL == ""):
		return errorReply(http.StatusBadRequest, "Bad Request",
			"mobileMoney.onSuccessRedirectionUrl and mobileMoney.onFailedRedirectionUrl are required for wave"), true
	}
	return reply{}, false
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
	s.onIntent(w, r, func(pi *intent) reply {
		p := pending(pi)
		switch {
		case !equal(req.Token, pi.Token):
			return errorReply(http.StatusUnauthorized, "Unauthorized", "Invalid token")
		case req.ConfirmationCode == "":
			return errorReply(http.StatusBadRequest, "Bad Request", "confirmationCode is required")
		case p == nil || p.NextAction == nil || p.NextAction.Type != "otp":
			return errorReply(http.StatusConflict, "Conflict", "No payment of this PaymentIntent waits for an authentication")
		}
		evs := s.finish(pi, p, otpOutcome(req.ConfirmationCode))
		return reply{status: http.StatusCreated, body: pi, events: evs}
	})
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
	s.onIntent(w, r, func(pi *intent) reply {
		switch {
		case countries[country] == "":
			return errorReply(http.StatusNotFound, "Not Found", "Country not found")
		case providers[provider] == "":
			return errorReply(http.StatusNotFound, "Not Found", "Provider not found")
		}
		return reply{status: http.StatusOK, body: []fee{newFee(pi.Amount, pi.Currency, "Frais "+provider+" "+country)}}
	})
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
