package helloassotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/unipay/payments/helloasso/internal/checks"
	"github.com/unipay/payments/internal/check"
)

// createBody is InitCheckoutBody as the simulator reads it: pointers where
// HelloAsso tells a missing field from a zero one.
type createBody struct {
	TotalAmount      *int64          `json:"totalAmount"`
	InitialAmount    *int64          `json:"initialAmount"`
	ItemName         string          `json:"itemName"`
	BackURL          string          `json:"backUrl"`
	ErrorURL         string          `json:"errorUrl"`
	ReturnURL        string          `json:"returnUrl"`
	ContainsDonation *bool           `json:"containsDonation"`
	Terms            []createTerm    `json:"terms"`
	Payer            *createPayer    `json:"payer"`
	Metadata         json.RawMessage `json:"metadata"`
	PaymentOptions   *struct {
		EnableSepa bool `json:"enableSepa"`
	} `json:"paymentOptions"`
}

type createTerm struct {
	Amount *int64 `json:"amount"`
	Date   string `json:"date"`
}

type createPayer struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	DateOfBirth string `json:"dateOfBirth"`
	Address     string `json:"address"`
	City        string `json:"city"`
	ZipCode     string `json:"zipCode"`
	Country     string `json:"country"`
	CompanyName string `json:"companyName"`
}

func (b *createBody) total() int64   { return deref(b.TotalAmount) }
func (b *createBody) initial() int64 { return deref(b.InitialAmount) }

// payerJSON is the payer as HelloAsso returns it: "company", where the
// request says "companyName".
func (b *createBody) payerJSON() any {
	p := b.Payer
	if p == nil {
		return nil
	}
	return struct {
		Email       string `json:"email,omitempty"`
		FirstName   string `json:"firstName,omitempty"`
		LastName    string `json:"lastName,omitempty"`
		Address     string `json:"address,omitempty"`
		City        string `json:"city,omitempty"`
		ZipCode     string `json:"zipCode,omitempty"`
		Country     string `json:"country,omitempty"`
		Company     string `json:"company,omitempty"`
		DateOfBirth string `json:"dateOfBirth,omitempty"`
	}{p.Email, p.FirstName, p.LastName, p.Address, p.City, p.ZipCode, p.Country, p.CompanyName, dateTime(p.DateOfBirth)}
}

// problems collects validation errors by field, in HelloAsso's JSON names.
type problems map[string][]string

func (p problems) add(field, format string, args ...any) {
	p[field] = append(p[field], fmt.Sprintf(format, args...))
}

// decodeCreate reads a create body strictly: HelloAsso's schema refuses
// unknown keys.
func decodeCreate(raw []byte) (*createBody, problems) {
	var b createBody
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&b); err != nil {
		return nil, problems{"$": {"The JSON value could not be read: " + err.Error()}}
	}
	return &b, nil
}

// validate applies HelloAsso's controls to a checkout intent.
func (b *createBody) validate(now time.Time) problems {
	p := problems{}
	switch {
	case b.TotalAmount == nil:
		p.add("totalAmount", "The totalAmount field is required.")
	case *b.TotalAmount <= 0 || *b.TotalAmount > checks.MaxAmount:
		p.add("totalAmount", "The totalAmount must be a positive amount in cents.")
	}
	switch {
	case b.InitialAmount == nil:
		p.add("initialAmount", "The initialAmount field is required.")
	case *b.InitialAmount <= 0 || *b.InitialAmount > checks.MaxAmount:
		p.add("initialAmount", "The initialAmount must be a positive amount in cents.")
	}
	switch n := checks.Length(b.ItemName); {
	case n == 0:
		p.add("itemName", "The itemName field is required.")
	case n > checks.MaxItemName:
		p.add("itemName", "The itemName must be at most %d characters.", checks.MaxItemName)
	}
	for _, u := range []struct{ name, v string }{{"backUrl", b.BackURL}, {"errorUrl", b.ErrorURL}, {"returnUrl", b.ReturnURL}} {
		if u.v == "" {
			p.add(u.name, "The %s field is required.", u.name)
		} else if msg := checks.URL(u.v, true); msg != "" {
			p.add(u.name, "The %s is invalid: %s.", u.name, msg)
		}
	}
	if b.ContainsDonation == nil {
		p.add("containsDonation", "The containsDonation field is required.")
	}
	sum := int64(0)
	for i, t := range b.Terms {
		f := fmt.Sprintf("terms[%d]", i)
		if a := deref(t.Amount); a <= 0 || a > checks.MaxAmount {
			p.add(f+".amount", "The amount must be a positive amount in cents.")
		} else {
			sum += a
		}
		d := parseDate(t.Date)
		switch {
		case d.IsZero():
			p.add(f+".date", "The date must be a date such as 2025-12-25.")
		case !d.After(now):
			p.add(f+".date", "The date must be in the future.")
		}
	}
	if b.TotalAmount != nil && b.InitialAmount != nil && *b.TotalAmount != *b.InitialAmount+sum {
		p.add("totalAmount", "The totalAmount must be equal to the initialAmount plus the amounts of the terms.")
	}
	if b.Payer != nil {
		b.validatePayer(p, now)
	}
	if len(b.Metadata) > 0 {
		var c bytes.Buffer
		if json.Compact(&c, b.Metadata) == nil && checks.Length(c.String()) > checks.MaxMetadata {
			p.add("metadata", "The metadata must be at most %d characters once serialised.", checks.MaxMetadata)
		}
	}
	return p
}

func (b *createBody) validatePayer(p problems, now time.Time) {
	py := b.Payer
	for _, n := range []struct{ field, v string }{{"payer.firstName", py.FirstName}, {"payer.lastName", py.LastName}} {
		if n.v == "" {
			continue
		}
		if msg := checks.Name(n.v); msg != "" {
			p.add(n.field, "The name %s.", msg)
		}
	}
	if py.FirstName != "" && py.LastName != "" && checks.SameName(py.FirstName, py.LastName) {
		p.add("payer.lastName", "The first name and the last name must be different.")
	}
	if py.Email != "" && (!check.Email(py.Email) || checks.Length(py.Email) > checks.MaxPayerField) {
		p.add("payer.email", "The email is invalid.")
	}
	if checks.Length(py.CompanyName) > checks.MaxPayerField {
		p.add("payer.companyName", "The companyName must be at most %d characters.", checks.MaxPayerField)
	}
	if py.DateOfBirth != "" {
		d := parseDate(py.DateOfBirth)
		switch {
		case d.IsZero():
			p.add("payer.dateOfBirth", "The dateOfBirth must be a date such as 1986-07-06.")
		case !checks.Adult(d, now):
			p.add("payer.dateOfBirth", "The payer must be an adult.")
		}
	}
	if py.Country != "" && !checks.IsAlpha3(py.Country) {
		p.add("payer.country", "The country must be an ISO 3166-1 alpha-3 code such as FRA.")
	}
}

// body is the ASP.NET validation problem HelloAsso's API answers with.
func (p problems) body() any {
	return struct {
		Type   string              `json:"type"`
		Title  string              `json:"title"`
		Status int                 `json:"status"`
		Errors map[string][]string `json:"errors"`
	}{"https://tools.ietf.org/html/rfc7231#section-6.5.1", "One or more validation errors occurred.", 400, p}
}

// parseDate reads "yyyy-mm-dd" or a date-time, HelloAsso taking both; the
// zero time if neither.
func parseDate(s string) time.Time {
	for _, l := range []string{"2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// dateTime writes a date as HelloAsso's responses do.
func dateTime(s string) string {
	t := parseDate(s)
	if t.IsZero() {
		return s
	}
	return t.Format("2006-01-02T15:04:05+00:00")
}
