package hub2

import "github.com/unipay/payments/internal/jsonpass"

// This file reads the payment intents Create and Verify wait for, and the
// webhook deliveries ParseWebhook checks, in one pass
// (internal/jsonpass) instead of through encoding/json, which reads a body
// twice. The reader answers only for what it is sure encoding/json reads
// the same way into intentView or sessionView; for anything else (invalid
// JSON, a key of a field in another case, a value of another type, a key
// met twice) it gives up and Client.intent decodes the body as before.
// TestViewReadersReadAsEncodingJSON and FuzzViewReaders hold the two to the
// same result.

// passReader is a view an answer can be read into in one pass.
type passReader interface {
	// readAnswer reads body into the view, which must be zero, and reports
	// whether it could; if not, reset must zero the view before
	// encoding/json reads body into it.
	readAnswer(body []byte) bool
	reset()
}

// The names of the fields each view reads: a key matching one in another
// case is left to encoding/json, which would read it into that field.
var (
	intentViewFields  = []string{"id", "createdAt", "updatedAt", "purchaseReference", "amount", "currency", "token", "status", "payments"}
	paymentViewFields = []string{"id", "intentId", "createdAt", "status", "method", "country", "provider", "failure", "number"}
	failureFields     = []string{"code", "message", "params"}
	sessionFields     = []string{"id", "amount", "currency", "token", "status", "payments", "nextAction"}
	attemptFields     = []string{"id", "intentId", "createdAt", "status", "nextAction"}
	actionFields      = []string{"type", "message", "data"}
	actionDataFields  = []string{"url", "method", "headers", "data"}
	envelopeFields    = []string{"type", "data"}
	eventDataFields   = []string{"id", "intentId", "status", "reference"}
)

func (e *webhookEnvelope) reset() { *e = webhookEnvelope{} }

func (e *webhookEnvelope) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(envelopeFields, func(f int, b []byte, i, depth int) int {
		if f == 0 {
			return jsonpass.Text(b, i, &e.Type)
		}
		d := &e.Data
		return jsonpass.Struct(b, i, depth, jsonpass.Fields(eventDataFields, func(f int, b []byte, i, _ int) int {
			return jsonpass.Text(b, i, [...]*string{&d.ID, &d.IntentID, &d.Status, &d.Reference}[f])
		}))
	}))
}

func (v *intentView) reset() { *v = intentView{} }

func (v *intentView) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(intentViewFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &v.ID)
		case 1:
			return jsonpass.Unmarshaler(b, i, depth, v.CreatedAt.UnmarshalJSON)
		case 2:
			return jsonpass.Unmarshaler(b, i, depth, v.UpdatedAt.UnmarshalJSON)
		case 3:
			return jsonpass.Text(b, i, &v.PurchaseReference)
		case 4:
			return jsonpass.Unmarshaler(b, i, depth, v.Amount.UnmarshalJSON)
		case 5:
			return jsonpass.Text(b, i, &v.Currency)
		case 6:
			return jsonpass.Text(b, i, &v.Token)
		case 7:
			return jsonpass.Text(b, i, (*string)(&v.Status))
		}
		return jsonpass.Slice(b, i, depth, &v.Payments, (*paymentView).members)
	}))
}

func (p *paymentView) members() jsonpass.Member {
	return jsonpass.Fields(paymentViewFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &p.ID)
		case 1:
			return jsonpass.Text(b, i, &p.IntentID)
		case 2:
			return jsonpass.Unmarshaler(b, i, depth, p.CreatedAt.UnmarshalJSON)
		case 3:
			return jsonpass.Text(b, i, (*string)(&p.Status))
		case 4:
			return jsonpass.Text(b, i, (*string)(&p.Method))
		case 5:
			return jsonpass.Text(b, i, &p.Country)
		case 6:
			return jsonpass.Text(b, i, &p.Provider)
		case 7:
			if i < len(b) && b[i] == '{' {
				p.Failure = &Failure{}
				return jsonpass.Object(b, i, depth+1, p.Failure.members())
			}
			return jsonpass.Literal(b, i, "null")
		}
		return jsonpass.Text(b, i, &p.Number)
	})
}

func (x *Failure) members() jsonpass.Member {
	return jsonpass.Fields(failureFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &x.Code)
		case 1:
			return jsonpass.Text(b, i, &x.Message)
		}
		return jsonpass.Strings(b, i, depth, &x.Params)
	})
}

func (v *sessionView) reset() { *v = sessionView{} }

func (v *sessionView) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(sessionFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &v.ID)
		case 1:
			return jsonpass.Unmarshaler(b, i, depth, v.Amount.UnmarshalJSON)
		case 2:
			return jsonpass.Text(b, i, &v.Currency)
		case 3:
			return jsonpass.Text(b, i, &v.Token)
		case 4:
			return jsonpass.Text(b, i, (*string)(&v.Status))
		case 5:
			return jsonpass.Slice(b, i, depth, &v.Payments, (*attemptView).members)
		}
		return readAction(b, i, depth, &v.NextAction)
	}))
}

func (p *attemptView) members() jsonpass.Member {
	return jsonpass.Fields(attemptFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &p.ID)
		case 1:
			return jsonpass.Text(b, i, &p.IntentID)
		case 2:
			return jsonpass.Unmarshaler(b, i, depth, p.CreatedAt.UnmarshalJSON)
		case 3:
			return jsonpass.Text(b, i, (*string)(&p.Status))
		}
		return readAction(b, i, depth, &p.NextAction)
	})
}

// readAction reads a next action into *dst, which must be nil: null leaves
// it nil.
func readAction(b []byte, i, depth int, dst **NextAction) int {
	if i >= len(b) || b[i] != '{' {
		return jsonpass.Literal(b, i, "null")
	}
	a := &NextAction{}
	*dst = a
	return jsonpass.Object(b, i, depth+1, jsonpass.Fields(actionFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, (*string)(&a.Type))
		case 1:
			return jsonpass.Text(b, i, &a.Message)
		}
		if i >= len(b) || b[i] != '{' {
			return jsonpass.Literal(b, i, "null")
		}
		d := &NextActionData{}
		a.Data = d
		return jsonpass.Object(b, i, depth+1, jsonpass.Fields(actionDataFields, func(f int, b []byte, i, depth int) int {
			switch f {
			case 0:
				return jsonpass.Text(b, i, &d.URL)
			case 1:
				return jsonpass.Text(b, i, &d.Method)
			case 2:
				return jsonpass.Unmarshaler(b, i, depth, d.Headers.UnmarshalJSON)
			}
			return jsonpass.Unmarshaler(b, i, depth, d.Data.UnmarshalJSON)
		}))
	}))
}
