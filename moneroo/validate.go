package moneroo

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Moneroo's documentation states no length for any field. These are the
// bounds of Moneroo's official Laravel SDK, which refused longer values
// before sending from June 2023 until January 2025, when it dropped its
// rules "as redundant" with the API's own validation. The library keeps
// them, so that a value Moneroo would most likely refuse is refused before
// sending, naming the field. They count characters (Unicode code points, as
// Laravel's max rule does), not bytes: "Jérôme" is 6.
const (
	// MaxDescription is the longest description Create and
	// InitializePayment send: 155 characters. With an empty
	// CreateRequest.Description, "Order <Reference>" must fit.
	MaxDescription = 155
	// MaxName is the longest first name, last name, city, state or zip
	// code sent: 100 characters.
	MaxName = 100
	// MaxAddress is the longest address sent: 200 characters. Create sends
	// Line1 and Line2 of the address, joined by a space.
	MaxAddress = 200
)

// Bounds the library chose where neither Moneroo nor its SDKs state one,
// generous enough for any real request.
const (
	// maxMethods is how many method short codes Options.Methods may list:
	// three times Moneroo's whole catalogue (66 methods in 2025).
	maxMethods = 200
	// maxShortCode is the longest method short code ("mobi_cash_ml").
	maxShortCode = 64
	// maxPhone bounds RestrictedPhone.Number and CustomerInput.Phone, whose
	// format Moneroo does not document: E.164 numbers have at most 15 digits.
	maxPhone = 32
	// maxPhoneCountry bounds RestrictedPhone.CountryCode, whose format
	// (BJ? 229? +229?) Moneroo does not document.
	maxPhoneCountry = 8
)

// checkCreate checks req for Moneroo, on top of check.Create, and returns
// the amount in major units (majorAmount) and the request's Options.
func checkCreate(req payments.CreateRequest, decimals bool) (check.FieldErrors, json.Number, Options) {
	fe := check.Create(req)
	opts := check.OptionsAs[Options](req.Options, &fe)
	var amount json.Number
	if cur := req.Amount.Currency; cur != "" && !SupportsCurrency(cur) {
		if _, known := payments.MinorUnits(cur); known {
			fe.Addf("Amount.Currency", "Moneroo does not take %s; it takes %s", cur, strings.Join(currencies, ", "))
		}
	} else if cur != "" && req.Amount.Amount > 0 {
		a, err := majorAmount(req.Amount, decimals)
		if err != nil {
			fe.Addf("Amount", "%s: Moneroo documents whole %s units only, and the library never rounds "+
				"(Config.DecimalAmounts sends decimals, once Moneroo has confirmed it charges them exactly)", req.Amount, cur)
		}
		amount = a
	}
	if req.ReturnURL == "" {
		fe.Add("ReturnURL", "is required: Moneroo sends the payer back there")
	}
	if req.Description == "" {
		if n := utf8.RuneCountInString(defaultDescription(req.Reference)); n > MaxDescription && !fe.Has("Reference") {
			fe.Addf("Description", "is empty, and the description sent instead, %q, would be %d characters; "+
				"Moneroo takes at most %d: give a shorter Description", "Order <Reference>", n, MaxDescription)
		}
	} else {
		chars(&fe, "Description", req.Description, MaxDescription)
	}
	cust := req.Customer
	if cust == nil {
		cust = &payments.Customer{}
	}
	for _, f := range []struct{ name, v string }{
		{"Customer.Email", cust.Email}, {"Customer.FirstName", cust.FirstName}, {"Customer.LastName", cust.LastName},
	} {
		if strings.TrimSpace(f.v) == "" {
			fe.Add(f.name, "is required by Moneroo")
		}
	}
	chars(&fe, "Customer.FirstName", cust.FirstName, MaxName)
	chars(&fe, "Customer.LastName", cust.LastName, MaxName)
	if field, a := sentAddress(cust); a != nil {
		line1, address := a.Line1, joinAddress(a)
		if utf8.RuneCountInString(line1) > MaxAddress {
			chars(&fe, field+".Line1", line1, MaxAddress)
		} else if n := utf8.RuneCountInString(address); n > MaxAddress {
			fe.Addf(field+".Line2", "makes the address Moneroo receives (Line1 and Line2) %d characters long; it takes at most %d", n, MaxAddress)
		}
		chars(&fe, field+".City", a.City, MaxName)
		chars(&fe, field+".State", a.State, MaxName)
		chars(&fe, field+".ZipCode", a.ZipCode, MaxName)
	}
	v, own := req.Metadata[ReferenceMetadataKey]
	if own && v != req.Reference {
		fe.Addf("Metadata", "key %q is where the library keeps Reference; leave it out", ReferenceMetadataKey)
	}
	if n := metadataEntries(req.Metadata, own); n > MaxMetadataEntries {
		fe.Addf("Metadata", "has %d entries, and with the library's %q Moneroo would receive %d: it takes at most %d",
			len(req.Metadata), ReferenceMetadataKey, n, MaxMetadataEntries)
	}
	checkRestrictions(&fe, "Options.", opts.Methods, opts.RestrictCountryCode, opts.RestrictedPhone)
	return fe, amount, opts
}

// check checks an InitializeRequest as InitializePayment sends it: what
// Moneroo requires, the lengths of MaxDescription, MaxName and MaxAddress,
// and the library's rules for text. Fields are named by their Go path in
// the InitializeRequest ("Customer.Email", "Methods[0]").
func (in *InitializeRequest) check(decimals bool) check.FieldErrors {
	var fe check.FieldErrors
	switch {
	case in.Currency == "":
		fe.Add("Currency", "is required")
	case !SupportsCurrency(in.Currency):
		fe.Addf("Currency", "Moneroo does not take %q; it takes %s", check.Quote(in.Currency), strings.Join(currencies, ", "))
	default:
		m, err := payments.ParseMajor(string(in.Amount), in.Currency)
		switch {
		case err != nil || in.Amount == "":
			fe.Addf("Amount", "%q is not an amount of %s such as 5000 or 10.5", check.Quote(string(in.Amount)), in.Currency)
		case m.Amount <= 0:
			fe.Add("Amount", "must be positive")
		default:
			if _, err := m.Major(); err != nil && !decimals {
				fe.Addf("Amount", "%s: Moneroo documents whole %s units only "+
					"(Config.DecimalAmounts sends decimals, once Moneroo has confirmed it charges them exactly)", in.Amount, in.Currency)
			}
		}
	}
	if strings.TrimSpace(in.Description) == "" {
		fe.Add("Description", "is required by Moneroo")
	}
	check.Prose(&fe, "Description", in.Description, check.MaxDescription)
	chars(&fe, "Description", in.Description, MaxDescription)
	if in.ReturnURL == "" {
		fe.Add("ReturnURL", "is required: Moneroo sends the payer back there")
	} else if msg := check.URL(in.ReturnURL, false); msg != "" {
		fe.Add("ReturnURL", msg)
	}
	checkCustomer(&fe, in.Customer)
	check.Metadata(&fe, in.Metadata, MaxMetadataEntries)
	checkRestrictions(&fe, "", in.Methods, in.RestrictCountryCode, in.RestrictedPhone)
	return fe
}

// checkCustomer checks a CustomerInput of an InitializeRequest or a
// PayoutRequest, whose fields its errors name "Customer.Email" and so on:
// Moneroo requires the email and both names, and the Laravel SDK's lengths
// applied to payments and payouts alike.
func checkCustomer(fe *check.FieldErrors, c CustomerInput) {
	if c.Email == "" {
		fe.Add("Customer.Email", "is required by Moneroo")
	} else if !check.Email(c.Email) {
		fe.Addf("Customer.Email", "%q is not a valid email address", check.Quote(c.Email))
	}
	for _, f := range []struct {
		name, v  string
		required bool
		max      int
	}{
		{"Customer.FirstName", c.FirstName, true, MaxName}, {"Customer.LastName", c.LastName, true, MaxName},
		{"Customer.Address", c.Address, false, MaxAddress}, {"Customer.City", c.City, false, MaxName},
		{"Customer.State", c.State, false, MaxName}, {"Customer.Zip", c.Zip, false, MaxName},
		{"Customer.Phone", c.Phone, false, maxPhone},
	} {
		if f.required && strings.TrimSpace(f.v) == "" {
			fe.Add(f.name, "is required by Moneroo")
		}
		check.Text(fe, f.name, f.v, check.MaxName)
		chars(fe, f.name, f.v, f.max)
	}
	if c.Country != "" && !isCountryCode(c.Country) {
		fe.Addf("Customer.Country", "%q is not an ISO 3166-1 alpha-2 code such as BJ", check.Quote(c.Country))
	}
}

// checkRestrictions checks the methods and the country or phone
// restriction, whose Go paths start with prefix ("Options." in a
// CreateRequest, "" in an InitializeRequest).
func checkRestrictions(fe *check.FieldErrors, prefix string, methods []string, country string, phone *RestrictedPhone) {
	if len(methods) > maxMethods {
		fe.Addf(prefix+"Methods", "has %d entries; Moneroo's whole catalogue has fewer than %d", len(methods), maxMethods)
	} else {
		for i, m := range methods {
			if !isShortCode(m) {
				fe.Addf(prefix+"Methods["+strconv.Itoa(i)+"]", "%q is not a Moneroo method short code such as mtn_bj", check.Quote(m))
			}
		}
	}
	if country != "" && !isCountryCode(country) {
		fe.Addf(prefix+"RestrictCountryCode", "%q is not an ISO 3166-1 alpha-2 code such as BJ", check.Quote(country))
	}
	if phone == nil {
		return
	}
	if country != "" {
		fe.Add(prefix+"RestrictedPhone", "cannot be set with "+prefix+"RestrictCountryCode: Moneroo takes one or the other")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"Number", phone.Number, maxPhone}, {"CountryCode", phone.CountryCode, maxPhoneCountry}} {
		field := prefix + "RestrictedPhone." + f.name
		if strings.TrimSpace(f.v) == "" {
			fe.Add(field, "is required when RestrictedPhone is set")
		}
		check.Text(fe, field, f.v, f.max)
	}
}

// chars records in fe that s, the value of field, has more than max
// characters, the unit of Moneroo's (Laravel's) length rules.
func chars(fe *check.FieldErrors, field, s string, max int) {
	if len(s) <= max {
		return // no string of n bytes has more than n characters
	}
	if n := utf8.RuneCountInString(s); n > max {
		fe.Addf(field, "is %d characters long; Moneroo takes at most %d", n, max)
	}
}

// sentAddress returns the address Create sends, the billing address or
// else the delivery address, and its Go path.
func sentAddress(c *payments.Customer) (string, *payments.Address) {
	if c.BillingAddress != nil {
		return "Customer.BillingAddress", c.BillingAddress
	}
	if c.DeliveryAddress != nil {
		return "Customer.DeliveryAddress", c.DeliveryAddress
	}
	return "", nil
}

// joinAddress is the address line Moneroo receives: Line1 and Line2.
func joinAddress(a *payments.Address) string {
	return strings.TrimSpace(a.Line1 + " " + a.Line2)
}

// defaultDescription is the description sent when a CreateRequest has none
// (Moneroo requires one).
func defaultDescription(reference string) string { return "Order " + reference }

// isShortCode reports whether s looks like a method short code: lowercase
// letters, digits and underscores.
func isShortCode(s string) bool {
	if s == "" || len(s) > maxShortCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// Bounds of a payout's recipient. The docs give an MSISDN "in international
// format" (a country code and a national number: E.164 allows 15 digits;
// the shortest African numbers with their code have 11, so 8 leaves room)
// and the sandbox's account numbers of 10 digits; the library's bounds.
const (
	minMSISDN        = 8
	maxMSISDN        = 15
	maxAccountNumber = 32
)

// check checks a PayoutRequest as InitializePayout sends it: what Moneroo
// requires, the Laravel SDK's lengths (its payout rules were the payment
// rules), the metadata cap, and the recipient's fields. Fields are named by
// their Go path in the PayoutRequest.
func (in *PayoutRequest) check() check.FieldErrors {
	var fe check.FieldErrors
	if in.Amount <= 0 {
		fe.Addf("Amount", "must be a positive whole number of %s units, got %d", in.Currency, in.Amount)
	}
	switch _, found := slices.BinarySearch(payoutCurrencies, in.Currency); {
	case in.Currency == "":
		fe.Add("Currency", "is required")
	case !found:
		fe.Addf("Currency", "no Moneroo payout method takes %q; they take %s", check.Quote(in.Currency), strings.Join(payoutCurrencies, ", "))
	}
	if strings.TrimSpace(in.Description) == "" {
		fe.Add("Description", "is required by Moneroo")
	}
	check.Prose(&fe, "Description", in.Description, check.MaxDescription)
	chars(&fe, "Description", in.Description, MaxDescription)
	switch {
	case in.Method == "":
		fe.Add("Method", "is required: a payout method's short code such as mtn_bj")
	case !isShortCode(in.Method):
		fe.Addf("Method", "%q is not a Moneroo payout method short code such as mtn_bj", check.Quote(in.Method))
	}
	checkCustomer(&fe, in.Customer)
	check.Metadata(&fe, in.Metadata, MaxMetadataEntries)
	checkRecipient(&fe, in.Method, in.Recipient)
	return fe
}

// checkRecipient checks the recipient's fields for method: an MSISDN of
// digits in international form without "+", or, for DemoPayoutMethod, an
// account number of digits.
func checkRecipient(fe *check.FieldErrors, method string, r Recipient) {
	if method == DemoPayoutMethod {
		switch {
		case r.AccountNumber == "":
			fe.Add("Recipient.AccountNumber", "is required by "+DemoPayoutMethod+": a sandbox test number such as 4149518161")
		case len(r.AccountNumber) > maxAccountNumber || !allDigits(r.AccountNumber):
			fe.Addf("Recipient.AccountNumber", "%q is not an account number of at most %d digits", check.Quote(r.AccountNumber), maxAccountNumber)
		}
	} else if r.MSISDN == "" && r.AccountNumber == "" {
		fe.Add("Recipient.MSISDN", "is required: the mobile-money number in international form without \"+\", such as 22951345020")
	}
	if r.MSISDN == "" {
		return
	}
	switch n := len(r.MSISDN); {
	case strings.HasPrefix(r.MSISDN, "+"):
		fe.Addf("Recipient.MSISDN", "%q starts with \"+\": Moneroo takes the international number without it, such as 22951345020", check.Quote(r.MSISDN))
	case !allDigits(r.MSISDN):
		fe.Addf("Recipient.MSISDN", "%q is not a number: digits only, in international form, such as 22951345020", check.Quote(r.MSISDN))
	case n < minMSISDN || n > maxMSISDN:
		fe.Addf("Recipient.MSISDN", "%q has %d digits: an international number with its country code has %d to %d", check.Quote(r.MSISDN), n, minMSISDN, maxMSISDN)
	}
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
