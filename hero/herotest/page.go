package herotest

import (
	"net/http"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
)

// servePage is Hero's payment page, /checkout/{id}.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	p, ok := s.payments[id]
	var in Payment
	var st state
	if ok {
		in, st = p.in, p.state
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "This payment does not exist.", http.StatusNotFound)
		return
	}
	page := simkit.Page{
		Provider:      "Hero (simulator)",
		Title:         "Payment to " + in.Issuer.Name,
		Amount:        payments.Money{Amount: in.Amount, Currency: "EUR"},
		Merchant:      "the merchant",
		PayAction:     s.URL + "/checkout/" + id + "/pay",
		DeclineAction: s.URL + "/checkout/" + id + "/decline",
		Notice:        "Staging: no money moves. Hero's test card is 4010 0617 0000 0021, 12/26, CVV 123. Type: " + in.Type + ".",
	}
	switch st {
	case statePaid:
		page.Closed = "This payment is paid."
	case stateDeclined:
		page.Closed = "This payment was declined."
	case stateExpired:
		page.Closed = "This payment has expired."
	}
	simkit.RenderPage(w, page)
}

// servePay is the page's Pay button: the payment is made and the browser
// goes back to the redirect URI. Paying a paid payment again (a customer
// who comes back twice) just goes back again.
func (s *Server) servePay(w http.ResponseWriter, r *http.Request) { s.finish(w, r, statePaid) }

// serveDecline is the page's Decline button: the payment is refused and the
// browser goes back to the redirect URI.
func (s *Server) serveDecline(w http.ResponseWriter, r *http.Request) {
	s.finish(w, r, stateDeclined)
}

func (s *Server) finish(w http.ResponseWriter, r *http.Request, to state) {
	id := r.PathValue("id")
	if err := s.finishPayment(id, to); err != nil {
		status := http.StatusConflict
		if _, ok := s.Payment(id); !ok {
			status = http.StatusNotFound
		}
		http.Error(w, err.Error(), status)
		return
	}
	p, _ := s.Payment(id)
	// Hero adds no parameter of its own to the redirect URI.
	http.Redirect(w, r, p.RedirectURI, http.StatusSeeOther)
}
