package main

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/unipay/payments"
)

// What the shop tells its customers. A *payments.Error is written for the
// developer (provider, operation, Go field paths, the provider's codes): the
// shop logs it and shows the customer a sentence instead.

// action is what the shop was doing when an error came back.
type action int

const (
	actStart    action = iota // opening the checkout
	actCode                   // sending the customer's one-time code
	actRefund                 // refunding
	actVerify                 // asking for the payment's state
	actContinue               // sending the customer back to the payment page
	actSimulate               // playing the customer's phone (simulator)
)

// plainMessage says in plain words what went wrong while the shop was doing
// what, with provider label.
func plainMessage(err error, what action, label string) string {
	switch {
	case what == actCode && (errors.Is(err, payments.ErrInvalidRequest) || errors.Is(err, payments.ErrDeclined)):
		return "The code was not accepted. Check it and try again."
	case what == actRefund && refundUncertain(err):
		return "We could not tell whether " + label + " made the refund. Do not refund again: the order shows the refund once " + label + " confirms it."
	case errors.Is(err, payments.ErrUnavailable), errors.Is(err, payments.ErrRateLimited):
		return label + " is not answering right now. Please try again in a few minutes."
	case errors.Is(err, payments.ErrAuthentication), errors.Is(err, payments.ErrPermission):
		return "The shop cannot use " + label + " right now. Please choose another way to pay, or come back later."
	case errors.Is(err, payments.ErrDeclined):
		if what == actRefund {
			return label + " refused the refund."
		}
		return label + " declined the payment."
	case errors.Is(err, payments.ErrUnsupported) && what == actRefund:
		return label + " cannot refund this payment here."
	case errors.Is(err, payments.ErrConflict), errors.Is(err, payments.ErrNotPaid):
		switch what {
		case actRefund:
			return label + " cannot refund this payment in its current state."
		case actContinue:
			return "This payment can no longer be completed at " + label + "."
		}
	case errors.Is(err, payments.ErrInvalidRequest):
		switch what {
		case actStart:
			return label + " could not take these details. Check them and try again."
		case actRefund:
			return label + " did not accept this refund. Check the amount."
		}
	case errors.Is(err, payments.ErrIntegrity):
		return "The payment " + label + " reports does not match this order, so the shop will not ship it. We are looking into it."
	}
	switch what {
	case actStart:
		return "The payment could not be started with " + label + ". Please try again later."
	case actVerify:
		return "We could not check this payment with " + label + " just now. Please check again in a moment."
	case actRefund:
		return "The refund could not be made with " + label + ". Please try again later."
	}
	return "Something went wrong with " + label + ". Please try again later."
}

// refundUncertain reports whether a refund that failed with err may still
// have been made: the request may have reached the provider, and its answer
// is not a refusal. Sending it again could refund twice.
func refundUncertain(err error) bool {
	if !payments.MaybeSent(err) {
		return false
	}
	for _, refused := range []payments.Kind{payments.ErrInvalidRequest, payments.ErrDeclined, payments.ErrConflict,
		payments.ErrNotFound, payments.ErrUnsupported, payments.ErrAuthentication, payments.ErrPermission, payments.ErrRateLimited} {
		if errors.Is(err, refused) {
			return false
		}
	}
	return true
}

// formFields maps the request fields the checkout form fills to the form's
// inputs, with what to tell the customer when the provider refuses one.
var formFields = map[string]struct{ input, message string }{
	"Customer.FirstName": {"first_name", "Please enter your first name."},
	"Customer.LastName":  {"last_name", "Please enter your last name."},
	"Customer.Email":     {"email", "Please enter a valid email address."},
	"Options.MSISDN":     {"phone", "Please enter the mobile number in local format, without the country code, such as 0700000000."},
}

// fieldMessages returns, for each input of the checkout form that err finds
// fault with, what to tell the customer. Fields the customer cannot fix are
// left out: they are the shop's mistakes, and the log has them.
func fieldMessages(err error) map[string]string {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return nil
	}
	out := map[string]string{}
	for _, f := range perr.Fields {
		if in, ok := formFields[f.Field]; ok {
			out[in.input] = in.message
		}
	}
	return out
}

// declineReason is why the provider declined or cancelled p, in its words
// where it gives them ("The customer's balance is insufficient"), else its
// code made readable ("PAYMENT_DECLINED": "Payment declined").
func declineReason(p *payments.Payment) string {
	if p == nil || (p.Status != payments.StatusFailed && p.Status != payments.StatusCanceled) {
		return ""
	}
	if m := strings.TrimSpace(p.FailureMessage); m != "" {
		return sentence(m)
	}
	code := strings.TrimSpace(p.FailureCode)
	if code == "" {
		return ""
	}
	return sentence(strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(code)))
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}
