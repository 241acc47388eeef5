package hero

import (
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Hero documents no webhook: no server-to-server notification with a body
// or a signature. It sends the customer's browser back to the redirect URI
// (CreateRequest.ReturnURL with ReturnReferenceParam added) and appends no
// parameter of its own. That return is an untrusted trigger: find the order
// by its reference, then Verify (or payments.VerifyPaid) its payment.

// ParseReturn reads the query the customer's browser brought back to the
// ReturnURL and gives back the order reference Create put there
// (ReturnReferenceParam). Hero says nothing about the payment in the URL, so
// Return.PaymentID and ClaimedStatus are empty: look up the payment id you
// stored with the order, and Verify it. A query without the reference, or
// with one Create would have refused (more than 255 bytes, control
// characters, invalid UTF-8), is ErrInvalidRequest naming the parameter.
func (c *Client) ParseReturn(q url.Values) (*payments.Return, error) {
	ref := q.Get(ReturnReferenceParam)
	var fe check.FieldErrors
	if strings.TrimSpace(ref) == "" {
		fe.Add(ReturnReferenceParam, "is missing: this is not a return from a checkout Create opened")
	} else {
		check.Text(&fe, ReturnReferenceParam, ref, check.MaxReference)
	}
	if err := fe.Err(payments.Hero, "parse return"); err != nil {
		return nil, err
	}
	return &payments.Return{Provider: payments.Hero, Reference: ref, Query: q}, nil
}
