package moneroo

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/unipay/payments"
)

// This file declares Moneroo's JSON shapes and converts them to and from the
// payments types. Moneroo's examples disagree on several shapes (a currency
// is an object or a string, an amount an integer or a float, metadata an
// object or an empty array); the response types read every variant, in one
// pass (lenient.go).

// InitializeRequest is the body of POST /v1/payments/initialize, as
// InitializePayment sends it. Its field names are the Go paths its errors
// name ("Customer.Email", "Methods[0]").
type InitializeRequest struct {
	// Amount is a decimal number of major units: "100" with "USD" is 100.00
	// USD. Moneroo documents whole units only; a fraction ("10.5") is sent
	// only with Config.DecimalAmounts. Required.
	Amount json.Number `json:"amount"`
	// Currency is an ISO 4217 code Moneroo takes (see Currencies). Required.
	Currency string `json:"currency"`
	// Description is shown to the payer on the checkout page. Required, at
	// most MaxDescription characters.
	Description string `json:"description"`
	// ReturnURL is where Moneroo sends the payer back, whatever happened,
	// with the payment's id and status in the query. Required.
	ReturnURL string `json:"return_url"`
	// Customer is the payer.
	Customer CustomerInput `json:"customer"`
	// Metadata is kept with the payment and returned by VerifyPayment: at
	// most MaxMetadataEntries string values.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Methods are the payment methods the checkout offers, by short code
	// ("mtn_bj"; see PaymentMethods); empty offers every method the app has
	// enabled for the currency.
	Methods []string `json:"methods,omitempty"`
	// RestrictCountryCode limits the checkout to payers of one country (ISO
	// 3166-1 alpha-2, "BJ"). Not with RestrictedPhone.
	RestrictCountryCode string `json:"restrict_country_code,omitempty"`
	// RestrictedPhone limits the checkout to one phone number. Not with
	// RestrictCountryCode.
	RestrictedPhone *RestrictedPhone `json:"restricted_phone,omitempty"`
}

// CustomerInput is the payer as InitializeRequest sends it. Email, FirstName
// and LastName are required; Moneroo asks the payer for the rest if needed.
type CustomerInput struct {
	// Email is the payer's email address. Required.
	Email string `json:"email"`
	// FirstName is the payer's first name. Required, at most MaxName
	// characters.
	FirstName string `json:"first_name"`
	// LastName is the payer's last name. Required, at most MaxName
	// characters.
	LastName string `json:"last_name"`
	// Phone is the payer's phone number, in a format Moneroo does not
	// document (Create sends E.164, "+22951345780").
	Phone string `json:"phone,omitempty"`
	// Address is the payer's street address, at most MaxAddress characters.
	Address string `json:"address,omitempty"`
	// City is the payer's city, at most MaxName characters.
	City string `json:"city,omitempty"`
	// State is the payer's state or region, at most MaxName characters.
	State string `json:"state,omitempty"`
	// Country is the payer's country, as an ISO 3166-1 alpha-2 code ("BJ").
	Country string `json:"country,omitempty"`
	// Zip is the payer's postal code, at most MaxName characters.
	Zip string `json:"zip,omitempty"`
}

// RestrictedPhone restricts a payment to one phone number. Both fields are
// required when it is set; Moneroo documents the format of neither.
type RestrictedPhone struct {
	// Number is the only phone number the checkout accepts (at most 32
	// bytes).
	Number string `json:"number"`
	// CountryCode is the country of Number (at most 8 bytes: "BJ" or "229",
	// the docs do not say which).
	CountryCode string `json:"country_code"`
}

// envelope is every Moneroo response: a message, data, and errors. A
// successful answer's errors (null) are not read: decodeError reads those
// of a refusal.
type envelope[T any] struct {
	Message string `json:"message"`
	Data    T      `json:"data"`
}

// Initialized is the data of a 201 answer to InitializePayment.
type Initialized struct {
	// ID is the new payment's id: keep it, and Verify it once the payer is
	// back.
	ID string `json:"id"`
	// CheckoutURL is the hosted checkout page to send the payer to.
	CheckoutURL string `json:"checkout_url"`
	// Link is where the French edition of the docs says the checkout URL is;
	// CheckoutURL is read first (RedirectURL).
	Link string `json:"link"`
	// Raw is the whole answer, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// RedirectURL returns the checkout URL, from checkout_url or else link.
func (i *Initialized) RedirectURL() string {
	if i.CheckoutURL != "" {
		return i.CheckoutURL
	}
	return i.Link
}

// Transaction is a payment as Moneroo describes it (VerifyPayment and
// RetrievePayment). The fields the library knows are declared; Raw keeps
// the rest. The two calls fill different fields: verify puts the method
// and gateway under Capture, retrieve at the top level with CheckoutURL.
type Transaction struct {
	// ID is the payment's id.
	ID string `json:"id"`
	// Status is Moneroo's state: initiated, pending, success, failed or
	// cancelled (PaymentStatus maps it).
	Status string `json:"status"`
	// IsProcessed reports whether the payment was marked processed (a beta
	// feature Moneroo enables per account).
	IsProcessed bool `json:"is_processed"`
	// ProcessedAt is when it was marked processed, or zero.
	ProcessedAt Timestamp `json:"processed_at"`
	// Amount is the amount in major units, as sent ("200", "100.0");
	// payments.ParseMajor reads it exactly.
	Amount Amount `json:"amount"`
	// AmountFormatted is the amount as Moneroo prints it ("XOF 200").
	AmountFormatted string `json:"amount_formatted"`
	// Currency is the ISO 4217 code of Amount.
	Currency Currency `json:"currency"`
	// Description is the description the payment was created with.
	Description string `json:"description"`
	// ReturnURL is where the payer is sent back.
	ReturnURL string `json:"return_url"`
	// Environment is "sandbox", or "live" or "production" (the docs show
	// both) for a live payment.
	Environment string `json:"environment"`
	// InitiatedAt is when the payment was created.
	InitiatedAt Timestamp `json:"initiated_at"`
	// CreatedAt is when the payment was created, where the answer says.
	CreatedAt Timestamp `json:"created_at"`
	// CheckoutURL is the hosted checkout page (retrieve only).
	CheckoutURL string `json:"checkout_url"`
	// Link is the checkout page where the French docs put it.
	Link string `json:"link"`
	// Metadata is the payment's metadata, ReferenceMetadataKey included.
	Metadata Metadata `json:"metadata"`
	// Customer is the payer, if Moneroo reports one.
	Customer *Customer `json:"customer"`
	// Capture is how the payment was collected, once the payer started
	// paying (verify only).
	Capture *Capture `json:"capture"`
	// Method is the payment method, where the answer has it at the top
	// level (retrieve).
	Method *Ref `json:"method"`
	// Gateway is the operator's gateway, where the answer has it at the top
	// level (retrieve).
	Gateway *Ref `json:"gateway"`
	// PaymentPhoneNumber is the number the payer paid with, where the
	// answer has it at the top level (the docs' transaction object).
	PaymentPhoneNumber String `json:"payment_phone_number"`
	// Raw is the whole answer, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// Customer is the payer as Moneroo reports it.
type Customer struct {
	// ID is Moneroo's id for the payer.
	ID string `json:"id"`
	// Email is the payer's email address.
	Email String `json:"email"`
	// FirstName is the payer's first name.
	FirstName String `json:"first_name"`
	// LastName is the payer's last name.
	LastName String `json:"last_name"`
	// Phone is the payer's phone number, as Moneroo sends it.
	Phone String `json:"phone"`
	// Country is the payer's country (ISO 3166-1 alpha-2), if known.
	Country String `json:"country_code"`
}

// Capture is how a payment was (or was not) collected.
type Capture struct {
	// PhoneNumber is the number the payer paid with, for mobile money, in
	// international form without "+" ("22951345780"). A refund by payout
	// sends the money back to it.
	PhoneNumber String `json:"phone_number"`
	// FailureMessage says why the payment failed, if it did (Verify returns
	// it as Payment.FailureMessage).
	FailureMessage String `json:"failure_message"`
	// FailureErrorCode is Moneroo's code for the failure, text or a number
	// as text (Payment.FailureCode).
	FailureErrorCode String `json:"failure_error_code"`
	// FailureErrorType is the kind of failure, as Moneroo names it.
	FailureErrorType String `json:"failure_error_type"`
	// Method is the payment method the payer used.
	Method *Ref `json:"method"`
	// Gateway is the operator's gateway that handled it.
	Gateway *Ref `json:"gateway"`
}

// Ref is a payment method or gateway: a short code (or code) and a name.
// Moneroo sends an object; a bare string is read as the short code.
type Ref struct {
	// Name is the method's or gateway's name ("MTN Mobile Money Benin").
	Name String `json:"name"`
	// ShortCode is its short code ("mtn_bj"), as verify answers name it.
	ShortCode String `json:"short_code"`
	// Code is its short code as retrieve answers name it.
	Code String `json:"code"`
	// TransactionID is the gateway's id for the transaction (gateways).
	TransactionID String `json:"transaction_id"`
	// TransactionStatus is the gateway's own status word ("COMPLETED",
	// "test_success"; gateways).
	TransactionStatus String `json:"transaction_status"`
	// TransactionFailureMessage is the gateway's reason for a failure.
	TransactionFailureMessage String `json:"transaction_failure_message"`
}

// Key returns the short code, or else the code.
func (r *Ref) Key() string {
	if r == nil {
		return ""
	}
	if r.ShortCode != "" {
		return string(r.ShortCode)
	}
	return string(r.Code)
}

// PaymentMethod is one entry of Moneroo's payment-method catalogue.
type PaymentMethod struct {
	// Name is the method's name ("MTN Mobile Money Benin").
	Name String `json:"name"`
	// ShortCode is what Options.Methods takes ("mtn_bj").
	ShortCode String `json:"short_code"`
	// Description describes the method.
	Description String `json:"description"`
	// IconURL is the method's icon.
	IconURL String `json:"icon_url"`
	// Enabled reports whether Moneroo offers the method at all (an app
	// enables methods of its own in the dashboard).
	Enabled bool `json:"is_enabled"`
	// Currency is the one currency the method takes.
	Currency Currency `json:"currency"`
	// Countries are where the method works (ISO 3166-1 alpha-2 codes).
	Countries Countries `json:"countries"`
}

// Countries is a list of ISO 3166-1 alpha-2 codes. Moneroo sends country
// objects ({"code": "BJ", …}); bare codes are read too.
type Countries []string

// webhookEvent is a webhook delivery's body.
type webhookEvent struct {
	Event string `json:"event"`
	Data  struct {
		ID     String `json:"id"`
		Status String `json:"status"`
		// Metadata is read for payout events only, leniently.
		Metadata json.RawMessage `json:"metadata"`
	} `json:"data"`
}

// apiError is the part of an error body the library reads.
type apiError struct {
	Message String          `json:"message"`
	Code    String          `json:"code"`
	Errors  json.RawMessage `json:"errors"`
}

// errorItem is one entry of an "errors" array. The docs name type, message
// and hint; field and code are read when present.
type errorItem struct {
	Type    String `json:"type"`
	Code    String `json:"code"`
	Field   String `json:"field"`
	Message String `json:"message"`
	Hint    String `json:"hint"`
}

// fieldErrors reads "errors" in either of the shapes Moneroo's sources show,
// told apart by the first byte: an array of {type, message, hint} objects
// (or of strings), or a map from a field to a message or a list of
// messages, as Laravel validation sends.
func fieldErrors(raw json.RawMessage) []payments.FieldError {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var out []payments.FieldError
	switch raw[0] {
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
		for _, it := range list {
			if it = bytes.TrimSpace(it); len(it) > 0 && it[0] == '"' {
				var s String
				_ = s.UnmarshalJSON(it)
				out = append(out, payments.FieldError{Message: string(s)})
				continue
			}
			var e errorItem
			if json.Unmarshal(it, &e) != nil {
				continue
			}
			msg := string(e.Message)
			if e.Hint != "" {
				msg += " (" + string(e.Hint) + ")"
			}
			code := string(e.Code)
			if code == "" {
				code = string(e.Type)
			}
			out = append(out, payments.FieldError{Field: string(e.Field), ProviderField: string(e.Field), Code: code, Message: msg})
		}
	case '{':
		var byField map[string]json.RawMessage
		if json.Unmarshal(raw, &byField) != nil {
			return nil
		}
		for _, field := range sortedKeys(byField) {
			v := bytes.TrimSpace(byField[field])
			var msgs []String
			if len(v) == 0 || v[0] != '[' || json.Unmarshal(v, &msgs) != nil {
				var one String
				_ = one.UnmarshalJSON(v)
				msgs = []String{one}
			}
			for _, m := range msgs {
				out = append(out, payments.FieldError{Field: field, ProviderField: field, Message: string(m)})
			}
		}
	}
	return out
}

// majorAmount writes m in major units, as Moneroo's amount: 5000 XOF is
// "5000", 10000 US cents "100". An amount with a fractional major part is
// an error, unless decimals is set: then 1050 US cents is "10.5", exactly.
func majorAmount(m payments.Money, decimals bool) (json.Number, error) {
	if !decimals {
		major, err := m.Major()
		if err != nil {
			return "", err
		}
		return json.Number(strconv.FormatInt(major, 10)), nil
	}
	d, ok := payments.MinorUnits(m.Currency)
	if !ok {
		return "", errors.New("unknown currency " + m.Currency)
	}
	p := int64(1)
	for range d {
		p *= 10
	}
	whole, frac := m.Amount/p, m.Amount%p // Create only sends positive amounts
	s := strconv.FormatInt(whole, 10)
	if frac != 0 {
		f := strconv.FormatInt(frac, 10)
		s += "." + strings.TrimRight(strings.Repeat("0", d-len(f))+f, "0")
	}
	return json.Number(s), nil
}

// initializeRequest converts a checked CreateRequest to Moneroo's body.
// amount is in major units (majorAmount); opts are the request's options.
func initializeRequest(req payments.CreateRequest, amount json.Number, opts Options) *InitializeRequest {
	in := &InitializeRequest{
		Amount:              amount,
		Currency:            req.Amount.Currency,
		Description:         req.Description,
		ReturnURL:           req.ReturnURL,
		Methods:             opts.Methods,
		RestrictCountryCode: opts.RestrictCountryCode,
		RestrictedPhone:     opts.RestrictedPhone,
	}
	if in.Description == "" {
		in.Description = defaultDescription(req.Reference)
	}
	if c := req.Customer; c != nil {
		in.Customer = CustomerInput{Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone}
		a := c.BillingAddress
		if a == nil {
			a = c.DeliveryAddress
		}
		if a != nil {
			in.Customer.Address = joinAddress(a)
			in.Customer.City = a.City
			in.Customer.State = a.State
			in.Customer.Country = a.Country
			in.Customer.Zip = a.ZipCode
		}
	}
	in.Metadata = make(map[string]string, len(req.Metadata)+1)
	for k, v := range req.Metadata {
		in.Metadata[k] = v
	}
	in.Metadata[ReferenceMetadataKey] = req.Reference
	return in
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
