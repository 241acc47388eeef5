package helloassotest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
)

// handlePage is the checkout page a checkout intent's redirectUrl points to.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	in, ok := s.pages[r.PathValue("key")]
	if !ok || r.PathValue("slug") != OrganizationSlug {
		s.mu.Unlock()
		http.Error(w, "Cette page n'existe pas.", http.StatusNotFound)
		return
	}
	page := simkit.Page{
		Provider:      "HelloAsso (simulator)",
		Title:         in.body.ItemName,
		Amount:        payments.Money{Amount: in.body.initial(), Currency: "EUR"},
		Merchant:      "Association simulée",
		PayAction:     s.pageURL(in) + "/pay",
		DeclineAction: s.pageURL(in) + "/decline",
		Notice:        terms(in.body),
	}
	switch {
	case in.order != nil: // paid; after a refused card the payer may try again
		page.Closed = "Ce paiement a déjà été traité."
	case in.expired:
		page.Closed = "Ce lien de paiement a expiré."
	}
	s.mu.Unlock()
	simkit.RenderPage(w, page)
}

// terms describes the instalments under the amount paid now.
func terms(b createBody) string {
	if len(b.Terms) == 0 {
		return "Test card payment: no real money moves."
	}
	parts := make([]string, len(b.Terms))
	for i, t := range b.Terms {
		parts[i] = fmt.Sprintf("%s on %s", payments.Money{Amount: deref(t.Amount), Currency: "EUR"}, t.Date)
	}
	return "Then " + strings.Join(parts, ", ") + "."
}

// handlePageAction handles the page's Pay (pay true) and Decline buttons:
// the attempt gets its order, the notifications of a payment go out, and the
// browser is sent back (303) to the returnUrl with checkoutIntentId, code
// and orderId. Once paid, a second submission (a double click, the back
// button) is sent back with the outcome already decided; after a refused
// card, it is another attempt.
func (s *Server) handlePageAction(pay bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		in, ok := s.pages[r.PathValue("key")]
		var id string
		if ok {
			id = strconv.FormatInt(in.id, 10)
		}
		s.mu.Unlock()
		if !ok {
			http.Error(w, "Cette page n'existe pas.", http.StatusNotFound)
			return
		}
		back, err := s.decide(r.Context(), id, pay)
		if errors.Is(err, ErrCheckoutClosed) {
			back, err = s.decided(in)
		}
		if err != nil {
			http.Error(w, "Ce lien de paiement a expiré.", http.StatusGone)
			return
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

// decided returns where the browser goes back to for an intent already
// paid; an error if it expired unpaid.
func (s *Server) decided(in *intent) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.order == nil {
		return "", ErrCheckoutClosed
	}
	return returnTo(in), nil
}

// returnTo is the returnUrl with HelloAsso's parameters for the payer's
// last attempt, paid or refused; s.mu must be held.
func returnTo(in *intent) string {
	o := in.last()
	code := "succeeded"
	if o.payments[0].state == "Refused" {
		code = "refused"
	}
	return simkit.AppendQuery(in.body.ReturnURL, url.Values{
		"checkoutIntentId": {strconv.FormatInt(in.id, 10)},
		"code":             {code},
		"orderId":          {strconv.FormatInt(o.id, 10)},
	})
}

// Walk does what a payer's browser does on the checkout page of session s
// (s.RedirectURL): it posts the Pay form (pay true: the card is authorised)
// or the Decline form (the card is refused), and returns the URL the
// browser is sent back to: the merchant's ReturnURL with checkoutIntentId,
// code (succeeded or refused) and orderId, as HelloAsso appends them.
// Notifications, if SetWebhookURL set a target, are delivered before it
// returns.
func (s *Server) Walk(ctx context.Context, session *payments.Session, pay bool) (*url.URL, error) {
	if session == nil || session.RedirectURL == "" {
		return nil, errors.New("helloassotest: Walk needs a session with a RedirectURL")
	}
	action := "/decline"
	if pay {
		action = "/pay"
	}
	return simkit.SubmitForm(ctx, strings.TrimSuffix(session.RedirectURL, "/")+action, url.Values{})
}
