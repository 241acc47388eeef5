package moneroo

import (
	"errors"
	"strconv"
	"strings"

	"github.com/unipay/payments"
)

// Moneroo names the fields of a refused initialize by their JSON path in
// its body ("customer.email", "methods.0", "metadata.cart"), the Laravel
// way. The library names a field by its Go path in the merchant's request:
// these map one to the other. Moneroo's name is kept in ProviderField.

// initializeFields maps Moneroo's names to the Go paths of an
// InitializeRequest.
var initializeFields = map[string]string{
	"amount":                        "Amount",
	"currency":                      "Currency",
	"description":                   "Description",
	"return_url":                    "ReturnURL",
	"customer":                      "Customer",
	"customer.email":                "Customer.Email",
	"customer.first_name":           "Customer.FirstName",
	"customer.last_name":            "Customer.LastName",
	"customer.phone":                "Customer.Phone",
	"customer.address":              "Customer.Address",
	"customer.city":                 "Customer.City",
	"customer.state":                "Customer.State",
	"customer.country":              "Customer.Country",
	"customer.zip":                  "Customer.Zip",
	"metadata":                      "Metadata",
	"methods":                       "Methods",
	"restrict_country_code":         "RestrictCountryCode",
	"restricted_phone":              "RestrictedPhone",
	"restricted_phone.number":       "RestrictedPhone.Number",
	"restricted_phone.country_code": "RestrictedPhone.CountryCode",
}

// payoutFields maps Moneroo's names to the Go paths of a PayoutRequest.
var payoutFields = map[string]string{
	"amount":                   "Amount",
	"currency":                 "Currency",
	"description":              "Description",
	"method":                   "Method",
	"customer":                 "Customer",
	"customer.email":           "Customer.Email",
	"customer.first_name":      "Customer.FirstName",
	"customer.last_name":       "Customer.LastName",
	"customer.phone":           "Customer.Phone",
	"customer.address":         "Customer.Address",
	"customer.city":            "Customer.City",
	"customer.state":           "Customer.State",
	"customer.country":         "Customer.Country",
	"customer.zip":             "Customer.Zip",
	"metadata":                 "Metadata",
	"recipient":                "Recipient",
	"recipient.msisdn":         "Recipient.MSISDN",
	"recipient.account_number": "Recipient.AccountNumber",
	"msisdn":                   "Recipient.MSISDN",        // where the Laravel SDK put the method's fields
	"account_number":           "Recipient.AccountNumber", // likewise
}

// payoutField returns the Go path in a PayoutRequest of the field Moneroo
// calls name, or "" if it is not one the library sends.
func payoutField(name string) string {
	if f, ok := payoutFields[name]; ok {
		return f
	}
	if k, ok := strings.CutPrefix(name, "metadata."); ok && k != "" {
		return "Metadata[" + strconv.Quote(k) + "]"
	}
	return ""
}

// createFields maps the Go paths of an InitializeRequest that Create built
// to those of the CreateRequest it came from; the address fields are
// completed with the address Create sent.
var createFields = map[string]string{
	"Currency":                    "Amount.Currency",
	"Customer.Address":            ".Line1",
	"Customer.City":               ".City",
	"Customer.State":              ".State",
	"Customer.Country":            ".Country",
	"Customer.Zip":                ".ZipCode",
	"Methods":                     "Options.Methods",
	"RestrictCountryCode":         "Options.RestrictCountryCode",
	"RestrictedPhone":             "Options.RestrictedPhone",
	"RestrictedPhone.Number":      "Options.RestrictedPhone.Number",
	"RestrictedPhone.CountryCode": "Options.RestrictedPhone.CountryCode",
}

// initializeField returns the Go path in an InitializeRequest of the field
// Moneroo calls name, or "" if it is not one the library sends.
func initializeField(name string) string {
	if f, ok := initializeFields[name]; ok {
		return f
	}
	if i, ok := strings.CutPrefix(name, "methods."); ok {
		if _, err := strconv.Atoi(i); err == nil {
			return "Methods[" + i + "]"
		}
	}
	if k, ok := strings.CutPrefix(name, "metadata."); ok && k != "" {
		return "Metadata[" + strconv.Quote(k) + "]"
	}
	return ""
}

// createField returns the Go path in req of the field Moneroo calls name,
// or "" if it is none of req's.
func createField(name string, req *payments.CreateRequest) string {
	f := initializeField(name)
	if f == "Metadata["+strconv.Quote(ReferenceMetadataKey)+"]" {
		return "Reference" // Create keeps Reference there
	}
	if idx, ok := strings.CutPrefix(f, "Methods["); ok {
		return "Options.Methods[" + idx
	}
	c, ok := createFields[f]
	if !ok {
		return f
	}
	if strings.HasPrefix(c, ".") {
		if req.Customer == nil {
			return ""
		}
		at, a := sentAddress(req.Customer)
		if a == nil {
			return ""
		}
		return at + c
	}
	return c
}

// mapFields names each field error of err (from Moneroo) by its Go path,
// as field says, keeping Moneroo's name in ProviderField. A name field does
// not know stays Moneroo's.
func mapFields(err error, field func(name string) string) {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return
	}
	for i := range perr.Fields {
		f := &perr.Fields[i]
		if f.ProviderField == "" {
			continue
		}
		if g := field(f.ProviderField); g != "" {
			f.Field = g
		}
	}
}
