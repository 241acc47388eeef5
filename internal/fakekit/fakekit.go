// Package fakekit holds what the persona packages (moneroo/monerofake,
// hub2/hub2fake, helloasso/helloassofake, hero/herofake) share to pose a
// paymentstest.Fake as their provider.
//
// A posed Fake refuses exactly what its adapter refuses before sending,
// because it asks the adapter itself: each persona keeps a client of its
// adapter whose every request fails at the transport (Offline), runs the
// adapter's Create or Refund, and reads the outcome with Checked. The
// adapter's own checks run first and their error comes back as it is; an
// error that carries errOffline means the request passed them and was about
// to be sent, which it never is. Nothing leaves the process, and the rules
// live in one place: the adapter.
package fakekit

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/unipay/payments"
)

// errOffline is what every request of an Offline client fails with.
var errOffline = errors.New("fakekit: the request passed the adapter's checks; a fake sends nothing")

// Offline returns the client options that keep an adapter's client from
// sending anything: every request fails at the transport with errOffline,
// before any connection is made; no retry; no wait for the provider's rate
// limits, so that a test may create as many payments as it likes.
func Offline() []payments.Option {
	return []payments.Option{
		payments.WithHTTPClient(&http.Client{Transport: offline{}}),
		payments.WithRetries(0),
		payments.WithRateLimiter(unlimited{}),
	}
}

// Checked reads the error of an Offline client's call: nil when the
// adapter's checks passed and the call reached the transport (or, which an
// Offline client never does, succeeded), else the adapter's own error.
func Checked(err error) error {
	if err == nil || errors.Is(err, errOffline) {
		return nil
	}
	return err
}

type offline struct{}

func (offline) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return nil, errOffline
}

type unlimited struct{}

func (unlimited) Wait(context.Context, payments.Limit) error { return nil }

// ReturnQuery returns the query a browser brings back to returnURL when the
// provider adds params to it: the URL's own parameters, then the
// provider's. A returnURL that does not parse gives params alone.
func ReturnQuery(returnURL string, params url.Values) url.Values {
	q := url.Values{}
	if u, err := url.Parse(returnURL); err == nil {
		q = u.Query()
	}
	for k, vs := range params {
		q[k] = append(q[k], vs...)
	}
	return q
}
