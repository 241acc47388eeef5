package hub2test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/unipay/payments"
)

// Walk plays the customer's part in what the session asks of them
// (Session.NextAction), as they would, and returns the URL their browser
// lands on, or nil when the step sends the browser nowhere. With pay the
// customer goes through with the payment; without it they refuse.
//
//   - A redirection (Wave, Orange's payment link): the browser opens
//     Session.RedirectURL, the provider's page, and presses Pay or Decline;
//     the page settles the attempt and sends the browser to the URL the
//     attempt gave for that outcome, returned as it is: the merchant's
//     ReturnURL (or CancelURL) with the hub2_intent and hub2_outcome
//     parameters the adapter added, which Client.ParseReturn reads. Without
//     such a URL the page shows the outcome and Walk returns nil.
//   - An OTP: the customer types the code on the merchant's page; with pay
//     it is right (the attempt succeeds), without it is wrong (the attempt
//     fails with authentication_failed), as when the merchant's page calls
//     Client.Authenticate. The browser stays on the merchant's page: nil.
//   - USSD: the customer confirms on the handset, or refuses
//     (canceled_by_customer). nil.
//
// Webhooks are delivered before Walk returns. Walk's own steps are not API
// requests: Requests does not count them and Faults do not hit them. A
// session with no next action (no attempt yet, or a settled payment), or
// whose attempt no longer waits for that step, is an error.
func (s *Server) Walk(ctx context.Context, sess *payments.Session, pay bool) (*url.URL, error) {
	if sess == nil || sess.NextAction == nil {
		return nil, errors.New("hub2test: the session asks nothing of the customer (no attempt, or a settled payment)")
	}
	switch sess.NextAction.Type {
	case payments.NextActionRedirect:
		return s.walkPage(ctx, sess, pay)
	case payments.NextActionOTP:
		code := otpRefused
		if pay {
			code = otpAccepted
		}
		return nil, s.act(sess.ID, "otp", otpOutcome(code))
	case payments.NextActionUSSD:
		failure := ""
		if !pay {
			failure = "canceled_by_customer"
		}
		return nil, s.act(sess.ID, "ussd", failure)
	}
	return nil, fmt.Errorf("hub2test: no customer step for a next action %q", sess.NextAction.Type)
}

// The codes Walk types for an OTP: any 4 digits authenticate in the
// sandbox; anything else fails.
const (
	otpAccepted = "1234"
	otpRefused  = "12345"
)

// walkPage opens the provider's page at the session's RedirectURL and
// submits its Pay or Decline form, as a browser would, without following
// where the page sends the browser.
func (s *Server) walkPage(ctx context.Context, sess *payments.Session, pay bool) (*url.URL, error) {
	page := sess.RedirectURL
	if page == "" {
		page = sess.NextAction.URL
	}
	if !strings.HasPrefix(page, s.URL+"/checkout/") {
		return nil, fmt.Errorf("hub2test: %q is not a page of this simulator", page)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
	if err != nil {
		return nil, err
	}
	resp, err := browser.Do(get)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("hub2test: the page %s answered %d", page, resp.StatusCode)
	}
	if strings.Contains(string(body), `id="closed"`) {
		return nil, fmt.Errorf("hub2test: the page %s offers no payment: the attempt is settled", page)
	}
	action := page + "/decline"
	if pay {
		action = page + "/pay"
	}
	post, err := http.NewRequestWithContext(ctx, http.MethodPost, action, strings.NewReader(""))
	if err != nil {
		return nil, err
	}
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = browser.Do(post)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.Location()
	case resp.StatusCode == http.StatusOK:
		return nil, nil // no return URL: the page shows the outcome
	}
	return nil, fmt.Errorf("hub2test: the page's form answered %d", resp.StatusCode)
}

// act settles the attempt of intent id that waits for the customer's step
// (an OTP or a USSD confirmation): a success when failureCode is empty.
func (s *Server) act(id, step, failureCode string) error {
	s.mu.Lock()
	pi := s.lookup(id)
	if pi == nil {
		s.mu.Unlock()
		return errors.New("hub2test: no payment intent " + id)
	}
	p := pending(pi)
	if p == nil || p.NextAction == nil || p.NextAction.Type != step {
		s.mu.Unlock()
		return fmt.Errorf("hub2test: payment intent %s (%s) waits for no %s step", id, pi.Status, step)
	}
	evs := s.finish(pi, p, failureCode)
	s.mu.Unlock()
	s.deliver(evs)
	return nil
}
