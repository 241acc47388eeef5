package main

import (
	"net/http"
	"net/url"

	"github.com/unipay/payments"
)

// card is one product's checkout form on the front page: as the customer
// filled it in when it comes back with a problem, else with the defaults.
type card struct {
	Product Product
	Chosen  payments.ProviderName // the provider ticked
	Form    url.Values            // what the customer sent; nil for a fresh form
	Message string                // what went wrong, in plain words
	Errors  map[string]string     // input name → what to fix
}

// defaults are the demo customer's details, so that a visitor can buy in
// one click.
var defaults = url.Values{"first_name": {"Awa"}, "last_name": {"Diallo"}, "email": {"awa.diallo@example.com"}}

// Value is the input's value: what the customer typed, else the default.
func (c card) Value(name string) string {
	if c.Form != nil {
		return c.Form.Get(name)
	}
	return defaults.Get(name)
}

// Open reports whether the customer's details should show unfolded: when
// one of them needs fixing.
func (c card) Open() bool {
	for _, name := range []string{"first_name", "last_name", "email"} {
		if c.Errors[name] != "" {
			return true
		}
	}
	return false
}

// indexView is the front page, with the form that came back (nil if none).
func (s *Shop) indexView(back *card) map[string]any {
	cards := make([]card, 0, len(s.products))
	for _, p := range s.products {
		c := card{Product: p}
		if len(s.providers) > 0 {
			c.Chosen = s.providers[0].Name
		}
		if back != nil && back.Product.ID == p.ID {
			c = *back
		}
		cards = append(cards, c)
	}
	return map[string]any{"Cards": cards, "Providers": s.providers}
}

// renderForm shows the checkout form the customer sent, as filled in, with
// msg and the inputs to fix: the direct mobile-money form for providers
// that have one, else the product's form on the front page.
func (s *Shop) renderForm(w http.ResponseWriter, status int, product Product, prov *Provider, form url.Values, msg string, errs map[string]string) {
	c := card{Product: product, Chosen: prov.Name, Form: form, Message: msg, Errors: errs}
	if prov.Direct != nil {
		amount, _ := product.Price(prov.Currency)
		s.render(w, status, "direct.html", map[string]any{"Card": c, "Provider": prov, "Amount": amount, "Providers": s.providers})
		return
	}
	s.render(w, status, "index.html", s.indexView(&c))
}

// input is one text input of a checkout form, for the "input" template.
type input struct {
	ID, Name, Label, Type, Value, Error string
}

// field is the input name of form c, labelled label, of HTML type typ.
func field(c card, name, label, typ string) input {
	return input{ID: c.Product.ID + "-" + name, Name: name, Label: label, Type: typ, Value: c.Value(name), Error: c.Errors[name]}
}

// sameMode returns the mode every provider is in, or "" when they differ:
// the header then says it once.
func sameMode(providers []*Provider) string {
	if len(providers) == 0 {
		return ""
	}
	for _, p := range providers[1:] {
		if p.Mode != providers[0].Mode {
			return ""
		}
	}
	return providers[0].Mode
}
