package check

import (
	"fmt"

	"github.com/unipay/payments"
)

// FieldErrors collects what is wrong with a request, field by field, so that
// a merchant sees every problem at once.
type FieldErrors []payments.FieldError

// Add records that field is wrong, with why. A field already found wrong
// keeps its first error: the generic rules run before a provider's, and one
// reason a field is wrong is enough to fix it.
func (fe *FieldErrors) Add(field, message string) {
	if fe.Has(field) {
		return
	}
	*fe = append(*fe, payments.FieldError{Field: field, Message: message})
}

// Addf is Add with a format.
func (fe *FieldErrors) Addf(field, format string, args ...any) {
	fe.Add(field, fmt.Sprintf(format, args...))
}

// Has reports whether a field error names field.
func (fe FieldErrors) Has(field string) bool {
	for _, f := range fe {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an ErrInvalidRequest *payments.Error listing the field errors,
// or nil if there are none.
func (fe FieldErrors) Err(provider payments.ProviderName, op string) error {
	if len(fe) == 0 {
		return nil
	}
	return InvalidRequest(provider, op, fe...)
}

// InvalidRequest returns an ErrInvalidRequest error listing what is wrong
// with which field, for input refused before anything was sent: NotSent.
func InvalidRequest(provider payments.ProviderName, op string, fields ...payments.FieldError) *payments.Error {
	return &payments.Error{Provider: provider, Op: op, Kind: payments.ErrInvalidRequest, Fields: fields, NotSent: true}
}

// Unsupported returns an ErrUnsupported error for an operation the provider
// does not offer, with why in message. Nothing was sent.
func Unsupported(provider payments.ProviderName, op, message string) *payments.Error {
	return &payments.Error{Provider: provider, Op: op, Kind: payments.ErrUnsupported, Message: message, NotSent: true}
}

// OptionsAs returns the provider options of type T carried in o (a
// CreateRequest's or RefundRequest's Options): a T, a non-nil *T, or the
// zero T when o is nil. Anything else, such as another provider's options,
// is recorded in fe as an error on the field "Options".
func OptionsAs[T any](o any, fe *FieldErrors) T {
	var zero T
	switch v := o.(type) {
	case nil:
		return zero
	case T:
		return v
	case *T:
		if v != nil {
			return *v
		}
		return zero
	}
	fe.Addf("Options", "%T are not %T", o, zero)
	return zero
}
