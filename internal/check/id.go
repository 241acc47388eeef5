package check

import (
	"strings"

	"github.com/unipay/payments"
)

// MaxID is the longest payment id the library sends. No provider documents
// one; theirs are at most a few dozen characters.
const MaxID = 128

// ID records in fe why id, the value of field, is not a provider id that can
// be put in a URL path as it is: empty, longer than MaxID, "." or "..", or
// holding anything but ASCII letters, digits and - _ . ~ : (a slash, a
// question mark, a percent sign, a space would change which resource the
// request names).
func ID(fe *FieldErrors, field, id string) {
	switch {
	case strings.TrimSpace(id) == "":
		fe.Add(field, "is required")
	case len(id) > MaxID:
		fe.Addf(field, "is %d bytes long; provider ids are at most %d", len(id), MaxID)
	case id == "." || id == "..":
		fe.Addf(field, "%q is not a payment id", id)
	case strings.IndexFunc(id, func(r rune) bool { return !idChar(r) }) >= 0:
		fe.Addf(field, "%q is not a payment id: only letters, digits and - _ . ~ : are allowed", Quote(id))
	}
}

// PaymentID returns an ErrInvalidRequest error when id cannot be a payment
// id (see ID), naming the field PaymentID, or nil.
func PaymentID(provider payments.ProviderName, op, id string) error {
	var fe FieldErrors
	ID(&fe, "PaymentID", id)
	return fe.Err(provider, op)
}

func idChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '-' || r == '_' || r == '.' || r == '~' || r == ':'
}

// Quote shortens s for an error message: a 1 MiB value is not echoed back.
func Quote(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
