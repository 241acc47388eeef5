package monerootest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/moneroo"
)

// customerIn is the payer as initialize takes it.
type customerIn struct {
	Email, FirstName, LastName, Phone, Address, City, State, Country, Zip string
}

// initialize handles POST /v1/payments/initialize with Moneroo's rules: the
// documented required fields, an integer amount in major units, a listed
// currency, string-only metadata of at most 10 entries, known method codes,
// restrict_country_code and restricted_phone never together, and the
// lengths of Moneroo's Laravel SDK (moneroo.MaxDescription, MaxName and
// MaxAddress characters).
func (s *Server) initialize(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "The request body is too large.", nil)
		return
	}
	var body map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "The request body is not valid JSON.", nil)
		return
	}
	v := &validator{errs: map[string][]string{}}
	p := &payment{}
	p.currency = v.str(body, "currency", true)
	if p.currency != "" && !currencySupported(p.currency) {
		v.add("currency", "The selected currency is invalid.")
	}
	s.mu.Lock()
	decimals := s.decimalAmounts
	s.mu.Unlock()
	p.amount = v.amount(body["amount"], p.currency, decimals)
	p.description = v.str(body, "description", true)
	v.max("description", p.description, moneroo.MaxDescription)
	p.returnURL = v.str(body, "return_url", true)
	if p.returnURL != "" {
		if u, err := url.Parse(p.returnURL); err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			v.add("return_url", "The return url field must be a valid URL.")
		}
	}
	p.customer = v.customer(body["customer"])
	p.metadata = v.metadata(body["metadata"])
	p.methods = v.methods(body["methods"])
	country := v.str(body, "restrict_country_code", false)
	if country != "" && (len(country) != 2 || strings.ToUpper(country) != country) {
		v.add("restrict_country_code", "The restrict country code field must be a 2-letter country code.")
	}
	if phone, ok := body["restricted_phone"]; ok && string(phone) != "null" {
		var rp map[string]json.RawMessage
		if json.Unmarshal(phone, &rp) != nil {
			v.add("restricted_phone", "The restricted phone field must be an object.")
		} else {
			v.str(rp, "number", true, "restricted_phone.")
			v.str(rp, "country_code", true, "restricted_phone.")
		}
		if country != "" {
			v.add("restricted_phone", "The restricted phone field prohibits restrict country code from being present.")
		}
	}
	if len(v.errs) > 0 {
		writeError(w, http.StatusUnprocessableEntity, v.message(), v.errs)
		return
	}

	p.id = simkit.NewID("", 12)
	p.customerID = simkit.NewID("", 12)
	p.status = statusInitiated
	p.initiatedAt = time.Now().UTC()
	p.updatedAt = p.initiatedAt
	s.mu.Lock()
	s.payments[p.id] = p
	event, target := webhookBody(p), s.webhookURL
	s.mu.Unlock()
	s.deliver(target, "payment.initiated", p.id, event)
	simkit.WriteJSON(w, http.StatusCreated, envelope{
		Message: "Transaction initialized successfully",
		Data:    map[string]string{"id": p.id, "checkout_url": s.CheckoutURL(p.id)},
	})
}

// validator collects field errors as Laravel phrases them.
type validator struct {
	errs  map[string][]string
	order []string
}

func (v *validator) add(field, msg string) {
	if _, ok := v.errs[field]; !ok {
		v.order = append(v.order, field)
	}
	v.errs[field] = append(v.errs[field], msg)
}

// message is Laravel's summary: the first error, and how many more.
func (v *validator) message() string {
	first := v.errs[v.order[0]][0]
	n := 0
	for _, m := range v.errs {
		n += len(m)
	}
	switch n {
	case 1:
		return first
	case 2:
		return first + " (and 1 more error)"
	}
	return fmt.Sprintf("%s (and %d more errors)", first, n-1)
}

// label is how Laravel names a field in a message: "customer.first_name" →
// "customer.first name".
func label(field string) string { return strings.ReplaceAll(field, "_", " ") }

// str reads a string field of obj (prefix names the parent in errors).
func (v *validator) str(obj map[string]json.RawMessage, key string, required bool, prefix ...string) string {
	field := strings.Join(prefix, "") + key
	raw, ok := obj[key]
	if !ok || string(raw) == "null" {
		if required {
			v.add(field, "The "+label(field)+" field is required.")
		}
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		v.add(field, "The "+label(field)+" field must be a string.")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		v.add(field, "The "+label(field)+" field is required.")
	}
	return s
}

// max refuses s, the value of field, if it has more than n characters: the
// length rules of Moneroo's official Laravel SDK, which it dropped as
// redundant with the API's own.
func (v *validator) max(field, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		v.add(field, fmt.Sprintf("The %s field must not be greater than %d characters.", label(field), n))
	}
}

// amount reads a positive amount of major units of currency: an integer,
// as the docs type it (10.5 is refused), or with decimals (at most the
// currency's) when decimals is set. An unknown currency, reported on its
// own field, gives a zero Money.
func (v *validator) amount(raw json.RawMessage, currency string, decimals bool) payments.Money {
	if len(raw) == 0 || string(raw) == "null" {
		v.add("amount", "The amount field is required.")
		return payments.Money{}
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		v.add("amount", "The amount field must be an integer.")
		return payments.Money{}
	}
	d, known := payments.MinorUnits(currency)
	if decimals && known {
		m, err := payments.ParseMajor(n.String(), currency)
		switch {
		case err != nil:
			v.add("amount", fmt.Sprintf("The amount field must have 0-%d decimal places.", d))
		case m.Amount <= 0:
			v.add("amount", "The amount field must be greater than 0.")
		}
		return m
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		v.add("amount", "The amount field must be an integer.")
		return payments.Money{}
	}
	if i < 1 {
		v.add("amount", "The amount field must be at least 1.")
	}
	if !known {
		return payments.Money{}
	}
	m, err := payments.FromMajor(i, currency)
	if err != nil {
		v.add("amount", "The amount field is too large.")
	}
	return m
}

func (v *validator) customer(raw json.RawMessage) customerIn {
	var obj map[string]json.RawMessage
	if len(raw) == 0 || string(raw) == "null" {
		v.add("customer", "The customer field is required.")
		obj = map[string]json.RawMessage{}
	} else if json.Unmarshal(raw, &obj) != nil {
		v.add("customer", "The customer field must be an object.")
		return customerIn{}
	}
	c := customerIn{
		Email:     v.str(obj, "email", true, "customer."),
		FirstName: v.str(obj, "first_name", true, "customer."),
		LastName:  v.str(obj, "last_name", true, "customer."),
		Address:   v.str(obj, "address", false, "customer."),
		City:      v.str(obj, "city", false, "customer."),
		State:     v.str(obj, "state", false, "customer."),
		Country:   v.str(obj, "country", false, "customer."),
		Zip:       v.str(obj, "zip", false, "customer."),
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"first_name", c.FirstName, moneroo.MaxName}, {"last_name", c.LastName, moneroo.MaxName},
		{"address", c.Address, moneroo.MaxAddress}, {"city", c.City, moneroo.MaxName},
		{"state", c.State, moneroo.MaxName}, {"zip", c.Zip, moneroo.MaxName},
	} {
		v.max("customer."+f.name, f.v, f.max)
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			v.add("customer.email", "The customer.email field must be a valid email address.")
		}
	}
	// The docs type the phone as a string; integrations send integers too.
	if ph, ok := obj["phone"]; ok && string(ph) != "null" {
		var n json.Number
		if json.Unmarshal(ph, &c.Phone) != nil {
			if json.Unmarshal(ph, &n) != nil {
				v.add("customer.phone", "The customer.phone field must be a string.")
			}
			c.Phone = n.String()
		}
	}
	return c
}

// maxMetadata is how many metadata entries initialize takes: the cap of
// Moneroo's official Laravel SDK ("metadata" => array, max:10).
const maxMetadata = 10

// metadata reads an object of at most maxMetadata string values.
func (v *validator) metadata(raw json.RawMessage) map[string]string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) == nil && len(arr) == 0 {
			return nil
		}
		v.add("metadata", "The metadata field must be an array of key-value pairs.")
		return nil
	}
	if len(obj) > maxMetadata {
		v.add("metadata", fmt.Sprintf("The metadata field must not have more than %d items.", maxMetadata))
	}
	out := make(map[string]string, len(obj))
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var s string
		if json.Unmarshal(obj[k], &s) != nil {
			v.add("metadata."+k, "The metadata."+label(k)+" field must be a string.")
			continue
		}
		out[k] = s
	}
	return out
}

// methods reads a list of catalogue short codes.
func (v *validator) methods(raw json.RawMessage) []string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var codes []json.RawMessage
	if json.Unmarshal(raw, &codes) != nil {
		v.add("methods", "The methods field must be an array.")
		return nil
	}
	out := make([]string, 0, len(codes))
	for i, c := range codes {
		var s string
		field := "methods." + strconv.Itoa(i)
		if json.Unmarshal(c, &s) != nil {
			v.add(field, "The "+field+" field must be a string.")
			continue
		}
		if _, ok := findMethod(s); !ok {
			v.add(field, "The selected "+field+" is invalid.")
			continue
		}
		out = append(out, s)
	}
	return out
}
