package monerootest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
)

// Walk walks the hosted checkout page of session as the payer's browser
// would: it opens session.RedirectURL, then submits the page's Pay form (pay true) with the
// number the page suggests, PhoneSuccess, or its Decline form. It returns
// the URL the browser is sent back to: the ReturnURL with Moneroo's
// paymentId, paymentStatus, monerooPaymentId and monerooPaymentStatus. A
// payment already final shows no forms: that is an error, as is a
// RedirectURL that is not this simulator's.
func (s *Server) Walk(ctx context.Context, session *payments.Session, pay bool) (*url.URL, error) {
	return s.walk(ctx, session, pay, nil)
}

// WalkWithPhone walks the hosted page of session like Walk, paying with phone:
// Moneroo's sandbox numbers decide the outcome (PhoneSuccess pays,
// PhonePending leaves the payment pending, PhoneFailed fails it; any other
// number pays).
func (s *Server) WalkWithPhone(ctx context.Context, session *payments.Session, phone string) (*url.URL, error) {
	return s.walk(ctx, session, true, url.Values{"phone": {phone}})
}

// walk opens the page, fills the chosen form with its inputs' values, then
// with fill, and submits it.
func (s *Server) walk(ctx context.Context, session *payments.Session, pay bool, fill url.Values) (*url.URL, error) {
	if session == nil || session.RedirectURL == "" {
		return nil, errors.New("monerootest: the session has no RedirectURL to walk")
	}
	page, err := url.Parse(session.RedirectURL)
	if err != nil || page.Scheme+"://"+page.Host != s.URL {
		return nil, fmt.Errorf("monerootest: %q is not a checkout page of this simulator (%s)", session.RedirectURL, s.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, page.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("monerootest: the checkout page answered %s", resp.Status)
	}
	action, values, err := pageForm(string(body), pay)
	if err != nil {
		return nil, err
	}
	for k, v := range fill {
		values[k] = v
	}
	target, err := page.Parse(action)
	if err != nil {
		return nil, err
	}
	return simkit.SubmitForm(ctx, target.String(), values)
}

var (
	formRE   = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)">(.*?)</form>`)
	inputRE  = regexp.MustCompile(`<input [^>]*name="([^"]*)" value="([^"]*)"`)
	closedRE = regexp.MustCompile(`<p id="closed">([^<]*)</p>`)
)

// pageForm finds the Pay form (pay) or the Decline form of a checkout page,
// and the values of its inputs.
func pageForm(page string, pay bool) (string, url.Values, error) {
	if m := closedRE.FindStringSubmatch(page); m != nil {
		return "", nil, errors.New("monerootest: the checkout page takes no payment: " + html.UnescapeString(m[1]))
	}
	suffix := "/decline"
	if pay {
		suffix = "/pay"
	}
	for _, f := range formRE.FindAllStringSubmatch(page, -1) {
		action := html.UnescapeString(f[1])
		if !strings.HasSuffix(action, suffix) {
			continue
		}
		values := url.Values{}
		for _, in := range inputRE.FindAllStringSubmatch(f[2], -1) {
			values.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
		}
		return action, values, nil
	}
	return "", nil, fmt.Errorf("monerootest: the checkout page has no form ending in %s", suffix)
}
