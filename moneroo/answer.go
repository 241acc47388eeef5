package moneroo

import "github.com/unipay/payments/internal/jsonpass"

// This file reads the two answers every checkout waits for, initialize's and
// verify's, in one pass over their bytes (internal/jsonpass). encoding/json
// reads a body twice (once to check it is valid JSON, once to decode it)
// with a scanner that costs a function call per byte; a verify answer is
// 3 KB of which Verify keeps a dozen fields, so that was most of what the
// library spent reading it. Here one pass checks the whole body exactly as
// strictly as encoding/json would and decodes the fields Verify and Create
// read as it meets them, through the same lenient types (lenient.go), so
// both documented shapes of each are still read: the verify example, read
// into a Payment, takes about 6 µs instead of 23.
//
// The reader only answers for what it is sure encoding/json reads the same
// way. For anything else it gives up, and the answer goes through
// encoding/json instead (httpx.Client.Decode), with its errors: a body that
// is not valid JSON; a key that is not a field's and has an uppercase
// letter, an escape or a byte beyond ASCII (encoding/json matches keys to
// fields regardless of case); a value of a type its field does not take; an
// error from a lenient type; nesting deeper than jsonpass.MaxDepth. A key
// met twice is read as encoding/json reads it: the last value wins, and two
// objects for the same struct merge. Either way the result is the same:
// TestAnswerReaderReadsAsEncodingJSON and FuzzAnswerReader compare the two.

// answerReader is a type whose answers can be read in one pass
// (readAnswer), instead of through encoding/json.
type answerReader interface {
	// readAnswer reads body, a whole answer {"message", "data", ...}, its
	// data into the receiver. It reports false when it cannot be sure to
	// read body as encoding/json would: the receiver must then be zeroed
	// and body read by encoding/json.
	readAnswer(body []byte) bool
}

// readEnvelope reads a whole answer, {"message": …, "data": …}, the data
// through data, and reports whether b was valid JSON read to its end. The
// top-level checks (an object, not null or empty) are httpx's: a body that
// is not an object gives up.
func readEnvelope(b []byte, data jsonpass.Member) bool {
	return jsonpass.Document(b, func(key []byte, plain bool, b []byte, i, depth int) int {
		switch {
		case !plain:
		case string(key) == "message": // a string, which nothing reads
			return jsonpass.Text(b, i, nil)
		case string(key) == "data":
			return jsonpass.Struct(b, i, depth, data)
		}
		return jsonpass.Skip(key, plain, b, i, depth)
	})
}

// readAnswer reads an initialize answer (answerReader).
func (in *Initialized) readAnswer(body []byte) bool {
	return readEnvelope(body, func(key []byte, plain bool, b []byte, i, depth int) int {
		switch {
		case !plain:
		case string(key) == "id":
			return jsonpass.Text(b, i, &in.ID)
		case string(key) == "checkout_url":
			return jsonpass.Text(b, i, &in.CheckoutURL)
		case string(key) == "link":
			return jsonpass.Text(b, i, &in.Link)
		}
		return jsonpass.Skip(key, plain, b, i, depth)
	})
}

// readAnswer reads a verify answer (answerReader).
func (v *verified) readAnswer(body []byte) bool {
	return readEnvelope(body, v.member)
}

func (v *verified) member(key []byte, plain bool, b []byte, i, depth int) int {
	if !plain {
		return jsonpass.Skip(key, plain, b, i, depth)
	}
	switch string(key) {
	case "id":
		return jsonpass.Text(b, i, &v.ID)
	case "status":
		return jsonpass.Text(b, i, &v.Status)
	case "environment":
		return jsonpass.Text(b, i, &v.Environment)
	case "amount":
		return jsonpass.Unmarshaler(b, i, depth, v.Amount.UnmarshalJSON)
	case "currency":
		return jsonpass.Unmarshaler(b, i, depth, v.Currency.UnmarshalJSON)
	case "initiated_at":
		return jsonpass.Unmarshaler(b, i, depth, v.InitiatedAt.UnmarshalJSON)
	case "created_at":
		return jsonpass.Unmarshaler(b, i, depth, v.CreatedAt.UnmarshalJSON)
	case "processed_at":
		return jsonpass.Unmarshaler(b, i, depth, v.ProcessedAt.UnmarshalJSON)
	case "metadata":
		return jsonpass.Unmarshaler(b, i, depth, v.Metadata.UnmarshalJSON)
	case "method":
		return jsonpass.Unmarshaler(b, i, depth, v.Method.UnmarshalJSON)
	case "capture":
		return jsonpass.Struct(b, i, depth, v.captureMember)
	}
	return jsonpass.Skip(key, plain, b, i, depth)
}

func (v *verified) captureMember(key []byte, plain bool, b []byte, i, depth int) int {
	c := &v.Capture
	if !plain {
		return jsonpass.Skip(key, plain, b, i, depth)
	}
	switch string(key) {
	case "failure_message":
		return jsonpass.Unmarshaler(b, i, depth, c.FailureMessage.UnmarshalJSON)
	case "failure_error_code":
		return jsonpass.Unmarshaler(b, i, depth, c.FailureErrorCode.UnmarshalJSON)
	case "method":
		return jsonpass.Unmarshaler(b, i, depth, c.Method.UnmarshalJSON)
	case "gateway":
		return jsonpass.Struct(b, i, depth, func(key []byte, plain bool, b []byte, i, depth int) int {
			if plain && string(key) == "transaction_failure_message" {
				return jsonpass.Unmarshaler(b, i, depth, c.Gateway.TransactionFailureMessage.UnmarshalJSON)
			}
			return jsonpass.Skip(key, plain, b, i, depth)
		})
	}
	return jsonpass.Skip(key, plain, b, i, depth)
}

// The names of the fields a webhook event's reader reads: a key matching one
// in another case is left to encoding/json.
var (
	eventFields     = []string{"event", "data"}
	eventDataFields = []string{"id", "status", "metadata"}
)

// readEvent reads a webhook delivery into ev, which must be zero, and
// reports whether it could; if not, ev must be zeroed and the body read by
// encoding/json. A key met twice gives up.
func (ev *webhookEvent) readEvent(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(eventFields, func(f int, b []byte, i, depth int) int {
		if f == 0 {
			return jsonpass.Text(b, i, &ev.Event)
		}
		d := &ev.Data
		return jsonpass.Struct(b, i, depth, jsonpass.Fields(eventDataFields, func(f int, b []byte, i, depth int) int {
			switch f {
			case 0:
				return jsonpass.Unmarshaler(b, i, depth, d.ID.UnmarshalJSON)
			case 1:
				return jsonpass.Unmarshaler(b, i, depth, d.Status.UnmarshalJSON)
			}
			return jsonpass.Unmarshaler(b, i, depth, d.Metadata.UnmarshalJSON)
		}))
	}))
}
