package herotest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/internal/simkit"
)

// NewClient returns a Hero client pointed at the simulator: its API
// (payments.WithBaseURL) and its payment page (Config.PaymentPageURL), with
// APIKey, the key the simulator accepts, and opts (payments.WithRetries,
// WithLogger…) after those.
func (s *Server) NewClient(opts ...payments.Option) (*hero.Client, error) {
	return hero.New(hero.Config{APIKey: APIKey, PaymentPageURL: s.URL},
		append([]payments.Option{payments.WithBaseURL(s.URL)}, opts...)...)
}

// Start starts a simulator for t, closed when t ends, and returns it with a
// client pointed at it (NewClient with opts).
func Start(t testing.TB, opts ...payments.Option) (*Server, *hero.Client) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	c, err := s.NewClient(opts...)
	if err != nil {
		t.Fatalf("herotest: %v", err)
	}
	return s, c
}

// Walk does on the session's payment page what the customer's browser
// would: it presses Pay (pay true) or Decline and returns where the page
// sends the browser back, the redirect URI Create built (the ReturnURL with
// hero.ReturnReferenceParam), with nothing added, as Hero adds nothing. The
// session must come from a client pointed at this simulator.
func (s *Server) Walk(ctx context.Context, session *payments.Session, pay bool) (*url.URL, error) {
	if session == nil || !strings.HasPrefix(session.RedirectURL, s.URL+"/checkout/") {
		return nil, &payments.Error{Provider: payments.Hero, Op: "simulator", Kind: payments.ErrInvalidRequest,
			Message: "the session's payment page is not this simulator's: create it with a client from NewClient or Start"}
	}
	button := "/decline"
	if pay {
		button = "/pay"
	}
	return simkit.SubmitForm(ctx, session.RedirectURL+button, nil)
}
