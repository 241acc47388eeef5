package moneroo

import (
	"slices"

	"github.com/unipay/payments/internal/jsonpass"
)

// initializeBody is the body initialize sends: written by hand
// (httpx.JSONAppender), the very bytes json.Marshal writes for the request,
// which costs Create a reflective encoding. It embeds the request, so that
// json.Marshal writes the same bytes from it when AppendJSON is not sure of
// them. FuzzInitializeBody holds the two to the same bytes.
type initializeBody struct{ *InitializeRequest }

// AppendJSON implements httpx.JSONAppender.
func (r initializeBody) AppendJSON(b []byte) ([]byte, bool) {
	if r.InitializeRequest == nil {
		return b, false
	}
	amount := string(r.Amount)
	if amount == "" {
		amount = "0" // as encoding/json writes an empty json.Number
	}
	if jsonpass.Number([]byte(amount), 0) != len(amount) {
		return b, false // encoding/json refuses it: let it say so
	}
	b = append(append(b, `{"amount":`...), amount...)
	b = jsonpass.AppendString(append(b, `,"currency":`...), r.Currency)
	b = jsonpass.AppendString(append(b, `,"description":`...), r.Description)
	b = jsonpass.AppendString(append(b, `,"return_url":`...), r.ReturnURL)
	c := &r.Customer
	b = jsonpass.AppendString(append(b, `,"customer":{"email":`...), c.Email)
	b = jsonpass.AppendString(append(b, `,"first_name":`...), c.FirstName)
	b = jsonpass.AppendString(append(b, `,"last_name":`...), c.LastName)
	for _, f := range [...]struct{ key, value string }{
		{`,"phone":`, c.Phone}, {`,"address":`, c.Address}, {`,"city":`, c.City},
		{`,"state":`, c.State}, {`,"country":`, c.Country}, {`,"zip":`, c.Zip},
	} {
		if f.value != "" { // omitempty
			b = jsonpass.AppendString(append(b, f.key...), f.value)
		}
	}
	b = append(b, '}')
	if len(r.Metadata) > 0 {
		keys := make([]string, 0, len(r.Metadata))
		for k := range r.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys) // encoding/json sorts a map's keys
		b = append(b, `,"metadata":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonpass.AppendString(append(jsonpass.AppendString(b, k), ':'), r.Metadata[k])
		}
		b = append(b, '}')
	}
	if len(r.Methods) > 0 {
		b = append(b, `,"methods":[`...)
		for i, m := range r.Methods {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonpass.AppendString(b, m)
		}
		b = append(b, ']')
	}
	if r.RestrictCountryCode != "" {
		b = jsonpass.AppendString(append(b, `,"restrict_country_code":`...), r.RestrictCountryCode)
	}
	if p := r.RestrictedPhone; p != nil {
		b = jsonpass.AppendString(append(b, `,"restricted_phone":{"number":`...), p.Number)
		b = append(jsonpass.AppendString(append(b, `,"country_code":`...), p.CountryCode), '}')
	}
	return append(b, '}'), true
}
