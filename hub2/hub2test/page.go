package hub2test

import (
	"net/http"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
)

// page serves the provider's page a redirection NextAction points to (the
// Wave checkout, in the simulator): Pay and Decline buttons that settle the
// attempt, then send the browser back to the merchant.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.paymentIdx[r.PathValue("id")]
	var pg simkit.Page
	if ok {
		pi := s.intents[p.IntentID]
		pg = simkit.Page{
			Provider:      "Hub2 · " + p.Provider + " (simulator)",
			Title:         "Payment " + pi.PurchaseReference,
			Amount:        payments.Money{Amount: p.Amount, Currency: p.Currency},
			Merchant:      "merchant " + MerchantID,
			PayAction:     s.URL + "/checkout/" + p.ID + "/pay",
			DeclineAction: s.URL + "/checkout/" + p.ID + "/decline",
			Notice:        "Sandbox: Pay confirms the payment, Decline refuses it. No money moves.",
		}
		if !waiting(p) || p.NextAction == nil || p.NextAction.Type != "redirection" {
			pg.Closed = "This payment is " + p.Status + "."
		}
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "no such payment", http.StatusNotFound)
		return
	}
	simkit.RenderPage(w, pg)
}

func (s *Server) pagePay(w http.ResponseWriter, r *http.Request) { s.pageSubmit(w, r, "") }
func (s *Server) pageDecline(w http.ResponseWriter, r *http.Request) {
	s.pageSubmit(w, r, "canceled_by_customer")
}

// pageSubmit settles the attempt behind the page (once: a customer who posts
// again is only sent back), delivers the webhooks, then redirects the browser
// to the URL the attempt gave for the outcome: Wave's success or failed URL,
// the finish or cancel URL of the other flows.
func (s *Server) pageSubmit(w http.ResponseWriter, r *http.Request, failureCode string) {
	s.mu.Lock()
	p, ok := s.paymentIdx[r.PathValue("id")]
	if !ok {
		s.mu.Unlock()
		http.Error(w, "no such payment", http.StatusNotFound)
		return
	}
	var evs []event
	if waiting(p) && p.NextAction != nil && p.NextAction.Type == "redirection" {
		evs = s.finish(s.intents[p.IntentID], p, failureCode)
	}
	back := p.okURL
	if p.Status != "successful" && p.koURL != "" {
		back = p.koURL
	}
	status := p.Status
	s.mu.Unlock()
	s.deliver(evs)
	if back == "" {
		simkit.RenderPage(w, simkit.Page{Provider: "Hub2 (simulator)", Title: "Payment " + status, Closed: "You may close this page."})
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
