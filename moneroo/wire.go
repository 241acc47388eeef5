package moneroo

import (
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
// object or an empty array), so the response types decode every variant.

// InitializeRequest is the body of POST /v1/payments/initialize.
type InitializeRequest struct {
	// Amount is a decimal number of major units: "100" with "USD" is 100.00
	// USD. Moneroo documents whole units only; Create sends a fraction
	// ("10.5") only with Config.DecimalAmounts.
	Amount      json.Number       `json:"amount"`
	Currency    string            `json:"currency"`
	Description string            `json:"description"`
	ReturnURL   string            `json:"return_url"`
	Customer    CustomerInput     `json:"customer"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	// Methods are payment method short codes ("mtn_bj"); empty allows all.
	Methods             []string         `json:"methods,omitempty"`
	RestrictCountryCode string           `json:"restrict_country_code,omitempty"`
	RestrictedPhone     *RestrictedPhone `json:"restricted_phone,omitempty"`
}

// CustomerInput is the payer as InitializeRequest sends it. Email, FirstName
// and LastName are required; Moneroo asks the payer for the rest if needed.
type CustomerInput struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone,omitempty"`
	Address   string `json:"address,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Country   string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Zip       string `json:"zip,omitempty"`
}

// RestrictedPhone restricts a payment to one phone number. Both fields are
// required when it is set.
type RestrictedPhone struct {
	Number      string `json:"number"`
	CountryCode string `json:"country_code"`
}

// envelope is every Moneroo response: a message, data, and errors.
type envelope[T any] struct {
	Message string          `json:"message"`
	Data    T               `json:"data"`
	Errors  json.RawMessage `json:"errors"`
}

// Initialized is the data of a 201 answer to InitializePayment.
type Initialized struct {
	ID          string `json:"id"`
	CheckoutURL string `json:"checkout_url"`
	// Link is where the French edition of the docs says the checkout URL is;
	// CheckoutURL is read first.
	Link string `json:"link"`
	// Raw is the whole answer as Moneroo sent it.
	Raw json.RawMessage `json:"-"`
}

// RedirectURL returns the checkout URL, from checkout_url or else link.
func (i *Initialized) RedirectURL() string {
	if i.CheckoutURL != "" {
		return i.CheckoutURL
	}
	return i.Link
}

// Transaction is a payment as Moneroo describes it (verify and retrieve).
// Only the fields the library uses are declared; Raw on payments.Payment
// keeps the rest.
type Transaction struct {
	ID              string    `json:"id"`
	Status          string    `json:"status"`
	IsProcessed     bool      `json:"is_processed"`
	ProcessedAt     Timestamp `json:"processed_at"`
	Amount          Amount    `json:"amount"`
	AmountFormatted string    `json:"amount_formatted"`
	Currency        Currency  `json:"currency"`
	Description     string    `json:"description"`
	ReturnURL       string    `json:"return_url"`
	Environment     string    `json:"environment"` // "sandbox", "live" or "production"
	InitiatedAt     Timestamp `json:"initiated_at"`
	CreatedAt       Timestamp `json:"created_at"`
	CheckoutURL     string    `json:"checkout_url"`
	Link            string    `json:"link"`
	Metadata        Metadata  `json:"metadata"`
	Customer        *Customer `json:"customer"`
	Capture         *Capture  `json:"capture"`
	// Method and Gateway appear at the top level in some answers and under
	// Capture in others.
	Method  *Ref `json:"method"`
	Gateway *Ref `json:"gateway"`
	// Raw is the whole answer as Moneroo sent it.
	Raw json.RawMessage `json:"-"`
}

// Customer is the payer as Moneroo reports it.
type Customer struct {
	ID        string `json:"id"`
	Email     String `json:"email"`
	FirstName String `json:"first_name"`
	LastName  String `json:"last_name"`
	Phone     String `json:"phone"`
	Country   String `json:"country_code"`
}

// Capture is how a payment was (or was not) collected.
type Capture struct {
	PhoneNumber      String `json:"phone_number"`
	FailureMessage   String `json:"failure_message"`
	FailureErrorCode String `json:"failure_error_code"`
	FailureErrorType String `json:"failure_error_type"`
	Method           *Ref   `json:"method"`
	Gateway          *Ref   `json:"gateway"`
}

// Ref is a payment method or gateway: a short code (or code) and a name.
// Moneroo sends an object; a bare string is read as the code.
type Ref struct {
	Name                      String `json:"name"`
	ShortCode                 String `json:"short_code"`
	Code                      String `json:"code"`
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
	Name        String    `json:"name"`
	ShortCode   String    `json:"short_code"`
	Description String    `json:"description"`
	IconURL     String    `json:"icon_url"`
	Enabled     bool      `json:"is_enabled"`
	Currency    Currency  `json:"currency"`
	Countries   Countries `json:"countries"`
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

// fieldErrors reads "errors" in either of the shapes Moneroo's sources show:
// an array of {type, message, hint} objects (or of strings), or a map from a
// field to a message or a list of messages, as Laravel validation sends.
func fieldErrors(raw json.RawMessage) []payments.FieldError {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	var out []payments.FieldError
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, it := range list {
			var s string
			if json.Unmarshal(it, &s) == nil {
				out = append(out, payments.FieldError{Message: s})
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
		return out
	}
	var byField map[string]json.RawMessage
	if json.Unmarshal(raw, &byField) != nil {
		return nil
	}
	for _, field := range sortedKeys(byField) {
		v := byField[field]
		var msgs []String
		if json.Unmarshal(v, &msgs) != nil {
			var one String
			_ = one.UnmarshalJSON(v)
			msgs = []String{one}
		}
		for _, m := range msgs {
			out = append(out, payments.FieldError{Field: field, ProviderField: field, Message: string(m)})
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
