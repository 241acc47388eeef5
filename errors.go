package payments

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Kind classifies an error so that callers can decide what to do about it
// without parsing messages. Each Kind is itself an error, so
//
//	errors.Is(err, payments.ErrNotFound)
//
// reports whether err, or any error it wraps, is a *Error of that kind.
type Kind string

// Error returns the kind's description.
func (k Kind) Error() string { return string(k) }

// The kinds of error the library returns. Every adapter maps its provider's
// errors onto these.
const (
	// ErrInvalidRequest: the request was refused as malformed, before it was
	// sent (Fields names what is wrong) or by the provider. Fix the input.
	ErrInvalidRequest Kind = "invalid request"
	// ErrAuthentication: the credentials are missing, wrong or expired.
	ErrAuthentication Kind = "authentication failed"
	// ErrPermission: the credentials are valid but not allowed to do this.
	ErrPermission Kind = "permission denied"
	// ErrNotFound: the provider does not know the payment or resource.
	ErrNotFound Kind = "not found"
	// ErrConflict: the request conflicts with the resource's current state,
	// such as a refund already under way.
	ErrConflict Kind = "conflict"
	// ErrRateLimited: too many requests. Error.RetryAfter says how long to wait.
	ErrRateLimited Kind = "rate limited"
	// ErrDeclined: the provider refused the payment or refund itself.
	ErrDeclined Kind = "declined"
	// ErrUnavailable: the provider answered 5xx, timed out or could not be
	// reached, or the caller gave up. For a create or a refund the outcome is
	// unknown unless Error.NotSent says the request never left: verify before
	// trying again.
	ErrUnavailable Kind = "provider unavailable"
	// ErrUnsupported: the provider has no such operation (a refund at Moneroo).
	ErrUnsupported Kind = "unsupported"
	// ErrNotPaid: VerifyPaid found a payment that is not (or no longer) paid.
	ErrNotPaid Kind = "not paid"
	// ErrIntegrity: the payment's amount or currency is not what the merchant
	// expected. Do not fulfil the order.
	ErrIntegrity Kind = "integrity check failed"
	// ErrInvalidSignature: a webhook's signature is missing or does not match.
	ErrInvalidSignature Kind = "invalid signature"
	// ErrMalformedResponse: the provider sent something the library could not
	// read (HTML, truncated JSON, a body over the size limit). Raw keeps it.
	ErrMalformedResponse Kind = "malformed response"
)

// Error is the one error type the library returns. Use errors.As to read its
// details and errors.Is with a Kind to classify it.
//
// Code, Message and Raw are the provider's own, kept so that nothing the
// provider said is lost; secrets are removed from them before they get here.
//
// Before sending a create or a refund again after an error, look at NotSent
// (or call MaybeSent): when the request may have reached the provider, it
// may have acted on it, and only Verify tells.
type Error struct {
	Provider   ProviderName  // which adapter returned it
	Op         string        // the operation, such as "create checkout"
	Kind       Kind          // the classification; errors.Is matches it
	Code       string        // the provider's error code, if any
	Message    string        // the provider's (or the library's) message
	HTTPStatus int           // the HTTP status, 0 if no response arrived
	RequestID  string        // the provider's request id, for its support
	Fields     []FieldError  // what is wrong with which field
	Retryable  bool          // whether the same request may be sent again
	RetryAfter time.Duration // how long the provider asked to wait, if it said
	Raw        []byte        // the provider's response body, possibly truncated, secrets removed
	Err        error         // the underlying cause, if any
	// NotSent reports that the request surely never reached the provider:
	// the input was refused before sending, the connection could not be
	// made, or the caller's context ended before the request left. Sending
	// it again cannot charge or refund twice. When false, the provider may
	// have received it (it answered, or the exchange broke midway).
	NotSent bool
}

// MaybeSent reports whether the request that failed with err may have
// reached the provider, so that a create or a refund must be verified
// before it is sent again. It is false only for a *Error whose NotSent is
// set; any other error may hide a request that arrived.
func MaybeSent(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return !e.NotSent
	}
	return err != nil
}

// FieldError says what is wrong with one field of a request.
//
// Field is the Go path of the field in the merchant's request, as it is
// written in Go: "Amount", "Customer.Email", "Options.Methods[0]",
// "Metadata[\"color\"]". When the provider reported the problem, its own
// name for the field is in ProviderField ("methods.0", "payer.email"), and
// Field is the Go path it maps to, or the provider's name when the adapter
// does not know which field of the request it is.
type FieldError struct {
	Field         string // the Go path of the field: "Customer.Email"
	ProviderField string // the provider's name for it, when the provider reported it
	Code          string // the provider's code for the problem, if any
	Message       string // what is wrong
}

// String formats the field error as "field: message".
func (f FieldError) String() string {
	if f.Field == "" {
		return f.Message
	}
	return f.Field + ": " + f.Message
}

// Error formats the error on one line: provider, operation, kind, code,
// message, HTTP status and request id, whichever are known.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Provider != "" {
		b.WriteString(string(e.Provider))
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	kind := e.Kind
	if kind == "" {
		kind = "error"
	}
	b.WriteString(string(kind))
	if e.Code != "" {
		b.WriteString(" [")
		b.WriteString(e.Code)
		b.WriteString("]")
	}
	msg := e.Message
	if msg == "" && len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.String()
		}
		msg = strings.Join(parts, "; ")
	}
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.HTTPStatus != 0 || e.RequestID != "" {
		b.WriteString(" (")
		if e.HTTPStatus != 0 {
			b.WriteString("HTTP ")
			b.WriteString(strconv.Itoa(e.HTTPStatus))
		}
		if e.RequestID != "" {
			if e.HTTPStatus != 0 {
				b.WriteString(", ")
			}
			b.WriteString("request ")
			b.WriteString(e.RequestID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is e's Kind, so errors.Is(err, ErrNotFound) works.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Unwrap returns the underlying cause, such as a context or network error.
func (e *Error) Unwrap() error { return e.Err }

// Field returns the error about the named field, if there is one.
func (e *Error) Field(name string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}
