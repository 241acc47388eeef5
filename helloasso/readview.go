package helloasso

import "github.com/unipay/payments/internal/jsonpass"

// This file reads the checkout intents Create, Verify and Refund wait for,
// and the notifications ParseWebhook and ReadEvent read, in one pass (internal/jsonpass) instead of through encoding/json, which reads a
// body twice: that was a quarter of a Verify's cost. The reader answers only
// for what it is sure encoding/json reads the same way into intentView; for
// anything else (invalid JSON, a key of a field in another case, a value of
// another type, a key met twice, metadata that are not strings) it gives up
// and decodeIntent (readNotification) reads the body as before. TestIntentReaderReadsAsEncodingJSON
// and FuzzIntentReader hold the two to the same result.

// The names of the fields each view reads: a key matching one in another
// case is left to encoding/json, which would read it into that field.
var (
	createdFields = []string{"id", "redirectUrl"}
	intentFields  = []string{"id", "redirectUrl", "metadata", "order"}
	orderFields   = []string{"id", "date", "checkoutIntentId", "meta", "amount", "payments"}
	metaFields    = []string{"createdAt", "updatedAt"}
	amountFields  = []string{"total", "vat", "discount"}
	paymentFields = []string{"id", "amount", "paymentMeans", "installmentNumber", "state", "refundOperations"}
	refundFields  = []string{"amount", "status"}

	notificationFields = []string{"eventType", "data", "metadata"}
	eventDataFields    = []string{"id", "formType", "checkoutIntentId", "payments", "amount", "installmentNumber", "state", "refundOperations", "order"}
	eventOrderFields   = []string{"id", "formType", "checkoutIntentId"}
	referenceFields    = []string{"reference"}
)

// readAnswer reads a created checkout intent into c, which must be zero,
// and reports whether it could; if not, c must be zeroed and the body read
// by encoding/json.
func (c *CheckoutIntentCreated) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(createdFields, func(f int, b []byte, i, _ int) int {
		if f == 0 {
			return jsonpass.Int64(b, i, &c.ID)
		}
		return jsonpass.Text(b, i, &c.RedirectURL)
	}))
}

// readAnswer reads a checkout intent into v, which must be zero, and
// reports whether it could; if not, v must be zeroed and the body read by
// decodeIntent.
func (v *intentView) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(intentFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Int64(b, i, &v.ID)
		case 1:
			return jsonpass.Text(b, i, &v.RedirectURL)
		case 2:
			return jsonpass.StringMap(b, i, depth, &v.Metadata)
		}
		if i < len(b) && b[i] == '{' {
			v.Order = &orderView{}
			return jsonpass.Object(b, i, depth+1, v.Order.members())
		}
		return jsonpass.Literal(b, i, "null")
	}))
}

func (o *orderView) members() jsonpass.Member {
	return jsonpass.Fields(orderFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Int64(b, i, &o.ID)
		case 1:
			return jsonpass.Unmarshaler(b, i, depth, o.Date.UnmarshalJSON)
		case 2:
			return jsonpass.Int64(b, i, &o.CheckoutIntentID)
		case 3:
			return jsonpass.Struct(b, i, depth, jsonpass.Fields(metaFields, func(f int, b []byte, i, depth int) int {
				if f == 0 {
					return jsonpass.Unmarshaler(b, i, depth, o.Meta.CreatedAt.UnmarshalJSON)
				}
				return jsonpass.Unmarshaler(b, i, depth, o.Meta.UpdatedAt.UnmarshalJSON)
			}))
		case 4:
			return jsonpass.Struct(b, i, depth, jsonpass.Fields(amountFields, func(f int, b []byte, i, _ int) int {
				return jsonpass.Int64(b, i, [...]*int64{&o.Amount.Total, &o.Amount.Vat, &o.Amount.Discount}[f])
			}))
		}
		return jsonpass.Slice(b, i, depth, &o.Payments, (*paymentView).members)
	})
}

func (p *paymentView) members() jsonpass.Member {
	return jsonpass.Fields(paymentFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Int64(b, i, &p.ID)
		case 1:
			return jsonpass.Int64(b, i, &p.Amount)
		case 2:
			return jsonpass.Text(b, i, &p.PaymentMeans)
		case 3:
			return jsonpass.Int(b, i, &p.InstallmentNumber)
		case 4:
			return jsonpass.Text(b, i, &p.State)
		}
		return jsonpass.Slice(b, i, depth, &p.RefundOperations, (*refundView).members)
	})
}

func (r *refundView) members() jsonpass.Member {
	return jsonpass.Fields(refundFields, func(f int, b []byte, i, _ int) int {
		if f == 0 {
			return jsonpass.Int64(b, i, &r.Amount)
		}
		return jsonpass.Text(b, i, &r.Status)
	})
}

// readAnswer reads a notification into n, which must be zero, and reports
// whether it could; if not, n must be zeroed and the body read by
// encoding/json.
func (n *notificationIn[M]) readAnswer(body []byte) bool {
	return jsonpass.Document(body, jsonpass.Fields(notificationFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &n.EventType)
		case 1:
			if i < len(b) && b[i] == '{' {
				n.Data = &eventData{}
				return jsonpass.Object(b, i, depth+1, n.Data.members())
			}
			return jsonpass.Literal(b, i, "null")
		}
		switch m := any(&n.Metadata).(type) {
		case *referenceOnly:
			return jsonpass.Struct(b, i, depth, jsonpass.Fields(referenceFields, func(_ int, b []byte, i, depth int) int {
				return jsonpass.Unmarshaler(b, i, depth, m.Reference.UnmarshalJSON)
			}))
		case *metadata:
			return jsonpass.Unmarshaler(b, i, depth, m.UnmarshalJSON)
		}
		return -1
	}))
}

func (d *eventData) members() jsonpass.Member {
	return jsonpass.Fields(eventDataFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Int64(b, i, &d.ID)
		case 1:
			return jsonpass.Text(b, i, &d.FormType)
		case 2:
			return jsonpass.Int64(b, i, &d.CheckoutIntentID)
		case 3:
			return jsonpass.Slice(b, i, depth, &d.Payments, (*paymentView).members)
		case 4:
			return jsonpass.Unmarshaler(b, i, depth, d.Amount.UnmarshalJSON)
		case 5:
			return jsonpass.Int(b, i, &d.InstallmentNumber)
		case 6:
			return jsonpass.Text(b, i, &d.State)
		case 7:
			return jsonpass.Slice(b, i, depth, &d.RefundOperations, (*refundView).members)
		}
		if i >= len(b) || b[i] != '{' {
			return jsonpass.Literal(b, i, "null")
		}
		o := &eventOrder{}
		d.Order = o
		return jsonpass.Object(b, i, depth+1, jsonpass.Fields(eventOrderFields, func(f int, b []byte, i, _ int) int {
			switch f {
			case 0:
				return jsonpass.Int64(b, i, &o.ID)
			case 1:
				return jsonpass.Text(b, i, &o.FormType)
			}
			return jsonpass.Int64(b, i, &o.CheckoutIntentID)
		}))
	})
}
