package helloassotest

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/unipay/payments/internal/simkit"
)

// writeErrors answers status with HelloAsso's error body.
func writeErrors(w http.ResponseWriter, status int, code, message string) {
	type apiError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	simkit.WriteJSON(w, status, struct {
		Errors []apiError `json:"errors"`
	}{[]apiError{{code, message}}})
}

// writeOAuthError answers the token endpoint's OAuth error (RFC 6749 §5.2).
func writeOAuthError(w http.ResponseWriter, code, description string) {
	simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": description})
}

// handleToken is POST /oauth2/token: client_credentials (client_id and
// client_secret in the form) and refresh_token (client_id and
// refresh_token; a client_secret, if sent, must be right). Each refresh
// rotates the refresh token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeOAuthError(w, "invalid_request", "The request must be application/x-www-form-urlencoded.")
		return
	}
	f := r.PostForm
	grant := f.Get("grant_type")
	if f.Get("client_id") != ClientID {
		writeOAuthError(w, "invalid_client", "The client is unknown.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	switch grant {
	case GrantClientCredentials:
		if f.Get("client_secret") != ClientSecret {
			writeOAuthError(w, "invalid_client", "The client credentials are invalid.")
			return
		}
	case GrantRefreshToken:
		if sec := f.Get("client_secret"); sec != "" && sec != ClientSecret {
			writeOAuthError(w, "invalid_client", "The client credentials are invalid.")
			return
		}
		rt := f.Get("refresh_token")
		exp, ok := s.refresh[rt]
		if !ok || !now.Before(exp) {
			writeOAuthError(w, "invalid_grant", "The refresh token is invalid or expired.")
			return
		}
		delete(s.refresh, rt) // rotated: each refresh token serves once
	default:
		writeOAuthError(w, "unsupported_grant_type", "The grant type is not supported.")
		return
	}
	at, rt := simkit.NewID("sim_at_", 40), simkit.NewID("sim_rt_", 40)
	s.access[at] = now.Add(s.lifetime)
	s.refresh[rt] = now.Add(refreshLifetime)
	s.issued[grant]++
	simkit.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": at, "refresh_token": rt, "token_type": "bearer", "expires_in": int64(s.lifetime.Seconds()),
	})
}

// authed checks the bearer token and the organization, then runs h.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		exp, known := s.access[tok]
		valid := ok && known && s.now().Before(exp)
		s.mu.Unlock()
		if !valid {
			writeErrors(w, http.StatusUnauthorized, "Unauthorized",
				"you must add a valid JWT into Authorization Header with the format : Bearer TOKEN")
			return
		}
		if slug := r.PathValue("slug"); slug != "" && slug != OrganizationSlug {
			writeErrors(w, http.StatusForbidden, "Forbidden", "The JWT token hasn't the privileges or Roles for this action")
			return
		}
		h(w, r)
	})
}

// handleCreate is POST /v5/organizations/{slug}/checkout-intents.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeErrors(w, http.StatusRequestEntityTooLarge, "BadRequest", "The request body is too large.")
		return
	}
	b, bad := decodeCreate(raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if bad == nil {
		bad = b.validate(s.now())
	}
	if len(bad) > 0 {
		simkit.WriteJSON(w, http.StatusBadRequest, bad.body())
		return
	}
	in := &intent{id: s.id(), body: *b, page: simkit.NewID("", 32), metadata: b.Metadata, created: s.now()}
	s.intents[in.id] = in
	s.pages[in.page] = in
	simkit.WriteJSON(w, http.StatusOK, map[string]any{"id": in.id, "redirectUrl": s.pageURL(in)})
}

// handleGetIntent is GET /v5/organizations/{slug}/checkout-intents/{id}.
func (s *Server) handleGetIntent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.lookup(r.PathValue("id"))
	if err != nil {
		writeErrors(w, http.StatusNotFound, "NotFound", "The checkout intent was not found.")
		return
	}
	simkit.WriteJSON(w, http.StatusOK, s.intentJSON(in))
}

// handleGetOrder is GET /v5/orders/{id}.
func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := found(w, r, s.orders, "order"); ok {
		simkit.WriteJSON(w, http.StatusOK, o.json())
	}
}

// handleGetPayment is GET /v5/payments/{id}.
func (s *Server) handleGetPayment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := found(w, r, s.payments, "payment"); ok {
		simkit.WriteJSON(w, http.StatusOK, p.detail())
	}
}

// handleCancelOrder is POST /v5/orders/{id}/cancel: the future instalments
// are canceled; nothing is refunded.
func (s *Server) handleCancelOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := found(w, r, s.orders, "order"); ok {
		cancelFuture(o)
		o.updated = s.now()
		w.WriteHeader(http.StatusOK)
	}
}

// found returns the resource the path's {id} names, or answers 404.
func found[T any](w http.ResponseWriter, r *http.Request, m map[int64]T, what string) (T, bool) {
	v, ok := m[pathID(r)]
	if !ok {
		writeErrors(w, http.StatusNotFound, "NotFound", "The "+what+" was not found.")
	}
	return v, ok
}

func cancelFuture(o *order) {
	for _, p := range o.payments {
		if p.state == "Pending" {
			p.state = "Canceled"
		}
	}
}

// handleRefund is POST /v5/payments/{id}/refund?amount=&comment=&cancelOrder=&sendRefundMail=.
// amount is in cents; absent or 0 refunds what remains. Refunds are
// processed at once, and a Payment notification is posted.
func (s *Server) handleRefund(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	amount, cancel, mail := int64(0), false, true
	var perr error
	if v := q.Get("amount"); v != "" {
		amount, perr = strconv.ParseInt(v, 10, 32)
	}
	if v := q.Get("cancelOrder"); v != "" && perr == nil {
		cancel, perr = strconv.ParseBool(v)
	}
	if v := q.Get("sendRefundMail"); v != "" && perr == nil {
		mail, perr = strconv.ParseBool(v)
	}
	if perr != nil || amount < 0 {
		writeErrors(w, http.StatusBadRequest, "BadRequest", "The refund parameters are invalid.")
		return
	}
	s.mu.Lock()
	p, ok := s.payments[pathID(r)]
	if !ok {
		s.mu.Unlock()
		writeErrors(w, http.StatusBadRequest, "Error", notFound(r.PathValue("id")))
		return
	}
	if p.state != "Authorized" {
		s.mu.Unlock()
		writeErrors(w, http.StatusBadRequest, "Error", "Code : 113 - The transfer operation cannot be processed, the payment is not authorized.")
		return
	}
	left := p.refundable()
	if amount == 0 {
		amount = left
	}
	if amount > left {
		s.mu.Unlock()
		writeErrors(w, http.StatusBadRequest, "Error", "The amount to refund is greater than the amount left to refund on the payment.")
		return
	}
	now := s.now()
	op := refundOp{id: s.id(), amount: amount, cancelOrder: cancel, sendMail: mail, date: now, state: "Processed", paymentID: p.id}
	p.refunds = append(p.refunds, op)
	if p.refundable() == 0 {
		p.state = "Refunded"
	}
	if cancel {
		cancelFuture(p.order)
	}
	p.order.updated = now
	note := s.notification("Payment", p.detail(), p.order.intent)
	target := s.webhookURL
	s.mu.Unlock()
	s.deliver(r.Context(), target, note)
	simkit.WriteJSON(w, http.StatusOK, op.json())
}

// pathID reads the {id} of a path, -1 if it is not a number.
func pathID(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
