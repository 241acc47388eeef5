package helloasso

import "github.com/unipay/payments/internal/jsonpass"

// checkoutBody is the body CreateCheckoutIntent sends: written by hand
// (httpx.JSONAppender), the very bytes json.Marshal writes for the request,
// which costs Create a reflective encoding. It embeds the request, so that
// json.Marshal writes the same bytes from it when AppendJSON is not sure of
// them. FuzzCheckoutBody holds the two to the same bytes.
type checkoutBody struct{ *CheckoutIntentRequest }

// AppendJSON implements httpx.JSONAppender.
func (r checkoutBody) AppendJSON(b []byte) ([]byte, bool) {
	if r.CheckoutIntentRequest == nil {
		return b, false
	}
	b = append(b, `{"totalAmount":`...)
	b = jsonpass.AppendInt(b, r.TotalAmount)
	b = append(b, `,"initialAmount":`...)
	b = jsonpass.AppendInt(b, r.InitialAmount)
	b = append(b, `,"itemName":`...)
	b = jsonpass.AppendString(b, r.ItemName)
	b = append(b, `,"backUrl":`...)
	b = jsonpass.AppendString(b, r.BackURL)
	b = append(b, `,"errorUrl":`...)
	b = jsonpass.AppendString(b, r.ErrorURL)
	b = append(b, `,"returnUrl":`...)
	b = jsonpass.AppendString(b, r.ReturnURL)
	b = append(b, `,"containsDonation":`...)
	b = jsonpass.AppendBool(b, r.ContainsDonation)
	if len(r.Terms) > 0 {
		b = append(b, `,"terms":[`...)
		for i, t := range r.Terms {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"amount":`...)
			b = jsonpass.AppendInt(b, t.Amount)
			b = append(b, `,"date":`...)
			b = jsonpass.AppendString(b, t.Date)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if p := r.Payer; p != nil {
		b = append(b, `,"payer":{`...)
		n := len(b)
		for _, f := range [...]struct{ key, value string }{
			{`"firstName":`, p.FirstName}, {`"lastName":`, p.LastName}, {`"email":`, p.Email},
			{`"dateOfBirth":`, p.DateOfBirth}, {`"address":`, p.Address}, {`"city":`, p.City},
			{`"zipCode":`, p.ZipCode}, {`"country":`, p.Country}, {`"companyName":`, p.CompanyName},
		} {
			if f.value == "" {
				continue // omitempty
			}
			if len(b) > n {
				b = append(b, ',')
			}
			b = jsonpass.AppendString(append(b, f.key...), f.value)
		}
		b = append(b, '}')
	}
	if len(r.Metadata) > 0 {
		var ok bool
		if b, ok = jsonpass.AppendRaw(append(b, `,"metadata":`...), r.Metadata); !ok {
			return b, false
		}
	}
	if o := r.PaymentOptions; o != nil {
		b = append(b, `,"paymentOptions":{"enableSepa":`...)
		b = append(jsonpass.AppendBool(b, o.EnableSepa), '}')
	}
	return append(b, '}'), true
}
