package helloasso

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unipay/payments"
)

// This file declares HelloAsso's JSON shapes (API v5, amounts in euro cents)
// and converts them to and from the payments types. Enumerations (payment
// and operation states, means, form types) are plain strings: HelloAsso adds
// values without notice, and an unknown one must not break decoding.

// CheckoutIntentRequest is the body of
// POST /v5/organizations/{slug}/checkout-intents (InitCheckoutBody). The API
// refuses unknown keys, so it has exactly the documented ones. Create fills
// it from a payments.CreateRequest after checking it; CreateCheckoutIntent
// sends it as it is.
type CheckoutIntentRequest struct {
	// TotalAmount is the whole price in EUR cents: InitialAmount plus the
	// amounts of the Terms.
	TotalAmount int64 `json:"totalAmount"`
	// InitialAmount is what the payer pays now, in cents (TotalAmount
	// without terms).
	InitialAmount int64 `json:"initialAmount"`
	// ItemName is what the payer buys, shown on the checkout page and in the
	// association's account: 1 to 250 characters.
	ItemName string `json:"itemName"`
	// BackURL is where the page's back arrow leads (https only).
	BackURL string `json:"backUrl"`
	// ErrorURL is where HelloAsso sends the payer when the checkout fails,
	// with checkoutIntentId and error in the query (https only).
	ErrorURL string `json:"errorUrl"`
	// ReturnURL is where HelloAsso sends the payer after paying, with
	// checkoutIntentId, code and orderId in the query (https only).
	ReturnURL string `json:"returnUrl"`
	// ContainsDonation says whether the sale includes a donation.
	ContainsDonation bool `json:"containsDonation"`
	// Terms are the later instalments, in date order; none for a one-off
	// payment.
	Terms []CheckoutTerm `json:"terms,omitempty"`
	// Payer pre-fills the payer's details on the page; every field is
	// optional.
	Payer *CheckoutPayer `json:"payer,omitempty"`
	// Metadata is any JSON, at most 20,000 characters serialised, given back
	// with the intent and in notifications. Create puts the merchant's
	// Reference there under "reference", beside CreateRequest.Metadata.
	Metadata json.RawMessage `json:"metadata,omitempty"`
	// PaymentOptions are the payment means options; nil for the default.
	PaymentOptions *PaymentOptions `json:"paymentOptions,omitempty"`
}

// CheckoutTerm is a future instalment.
type CheckoutTerm struct {
	// Amount is the instalment in EUR cents.
	Amount int64 `json:"amount"`
	// Date is when HelloAsso takes it, "yyyy-mm-dd".
	Date string `json:"date"`
}

// CheckoutPayer pre-fills the payer's details on the checkout page. Every
// field is optional: the payer types what is missing. HelloAsso refuses a
// checkout whose names, date of birth or country it does not take (see
// Options.StrictPayer).
type CheckoutPayer struct {
	// FirstName is the payer's first name: Latin letters, accented e, a and
	// u, ç, apostrophes, hyphens and spaces, at least two characters.
	FirstName string `json:"firstName,omitempty"`
	// LastName is the payer's last name, under FirstName's rules, and
	// different from it.
	LastName string `json:"lastName,omitempty"`
	// Email is the payer's email address (at most 255 characters).
	Email string `json:"email,omitempty"`
	// DateOfBirth is "yyyy-mm-dd", of an adult.
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	// Address is the street address, on one line.
	Address string `json:"address,omitempty"`
	// City is the address's city.
	City string `json:"city,omitempty"`
	// ZipCode is the address's postal code.
	ZipCode string `json:"zipCode,omitempty"`
	// Country is ISO 3166-1 alpha-3 ("FRA").
	Country string `json:"country,omitempty"`
	// CompanyName is the payer's company, at most 255 characters.
	CompanyName string `json:"companyName,omitempty"`
}

// PaymentOptions are a checkout intent's payment means options.
type PaymentOptions struct {
	// EnableSepa offers SEPA direct debit where HelloAsso allows it.
	EnableSepa bool `json:"enableSepa"`
}

// CheckoutIntentCreated is the answer to a checkout-intent creation: where
// to send the payer (for 15 minutes).
type CheckoutIntentCreated struct {
	// ID is the checkout intent's id: Session.ID, what Verify takes.
	ID int64 `json:"id"`
	// RedirectURL is HelloAsso's checkout page for the payer.
	RedirectURL string `json:"redirectUrl"`
	// Raw is the response body, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// CheckoutIntent is GET /v5/organizations/{slug}/checkout-intents/{id}:
// the intent, its metadata, and its order once the payer has paid (HelloAsso
// shows no order for a refused card; GetOrder reads that one).
type CheckoutIntent struct {
	// ID is the checkout intent's id.
	ID int64 `json:"id"`
	// RedirectURL is the checkout page, while the payer may still use it.
	RedirectURL string `json:"redirectUrl"`
	// Metadata is the metadata sent at creation, as HelloAsso keeps it.
	Metadata json.RawMessage `json:"metadata"`
	// Order is the order the payment made; nil before it is authorised.
	Order *Order `json:"order"`
	// Raw is the response body, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// Order is HelloAsso's OrderDetail: what was bought, by whom, and its
// payments (the first one now, one per future instalment).
type Order struct {
	// ID is the order's id, as GetOrder and CancelOrder take it.
	ID int64 `json:"id"`
	// Date is when the order was made.
	Date Timestamp `json:"date"`
	// FormSlug is the form the order came from ("default" for a checkout).
	FormSlug string `json:"formSlug"`
	// FormType is the form's type: "Checkout" for a checkout intent's order.
	FormType string `json:"formType"`
	// OrganizationName is the association's name.
	OrganizationName string `json:"organizationName"`
	// OrganizationSlug is the association's slug (Config.OrganizationSlug).
	OrganizationSlug string `json:"organizationSlug"`
	// CheckoutIntentID is the checkout intent the order came from; nil for
	// an order of one of HelloAsso's own forms.
	CheckoutIntentID *int64 `json:"checkoutIntentId"`
	// Meta holds the order's creation and update times.
	Meta *Meta `json:"meta"`
	// Payer is who paid, as they typed it on HelloAsso's page.
	Payer *Payer `json:"payer"`
	// Items are the order's lines.
	Items []OrderItem `json:"items"`
	// Payments are the order's payments: the first one, then one per
	// instalment.
	Payments []OrderPayment `json:"payments"`
	// Amount is the order's total, future instalments included.
	Amount OrderAmount `json:"amount"`
	// Raw is the response body from GetOrder, scrubbed of secrets; empty in
	// an order read within a checkout intent.
	Raw json.RawMessage `json:"-"`
}

// OrderAmount is an order's amounts in cents.
type OrderAmount struct {
	// Total is what the order costs, all instalments included.
	Total int64 `json:"total"`
	// Vat is the VAT included in Total.
	Vat int64 `json:"vat"`
	// Discount is the discount taken off.
	Discount int64 `json:"discount"`
}

// OrderItem is one line of an order.
type OrderItem struct {
	// ID is the item's id.
	ID int64 `json:"id"`
	// Name is the item's name (the checkout's itemName).
	Name string `json:"name"`
	// Amount is the item's price in cents.
	Amount int64 `json:"amount"`
	// Type is the item's type ("Payment", "Donation", "Membership"…).
	Type string `json:"type"`
	// State is the item's state ("Processed", "Canceled"…).
	State string `json:"state"`
}

// Meta holds a resource's creation and update times.
type Meta struct {
	// CreatedAt is when the resource was created.
	CreatedAt Timestamp `json:"createdAt"`
	// UpdatedAt is when it last changed.
	UpdatedAt Timestamp `json:"updatedAt"`
}

// Payer is the payer as HelloAsso returns it. Note Company, where the
// request says companyName.
type Payer struct {
	// Email is the payer's email address.
	Email string `json:"email"`
	// FirstName is the payer's first name.
	FirstName string `json:"firstName"`
	// LastName is the payer's last name.
	LastName string `json:"lastName"`
	// Address is the payer's street address.
	Address string `json:"address"`
	// City is the address's city.
	City string `json:"city"`
	// ZipCode is the address's postal code.
	ZipCode string `json:"zipCode"`
	// Country is ISO 3166-1 alpha-3 ("FRA").
	Country string `json:"country"`
	// Company is the payer's company.
	Company string `json:"company"`
	// DateOfBirth is the payer's date of birth, as HelloAsso writes it (a
	// date-time).
	DateOfBirth string `json:"dateOfBirth"`
}

// OrderPayment is one payment of an order.
type OrderPayment struct {
	// ID is HelloAsso's payment id, as GetPayment, RefundPayment and
	// RefundOptions.PaymentID take it.
	ID int64 `json:"id"`
	// Amount is the payment in cents.
	Amount int64 `json:"amount"`
	// AmountTip is the tip to HelloAsso the payer added, in cents.
	AmountTip int64 `json:"amountTip"`
	// Date is when the payment was, or is to be, made.
	Date Timestamp `json:"date"`
	// PaymentMeans is how it was paid ("Card", "Sepa"…).
	PaymentMeans string `json:"paymentMeans"`
	// InstallmentNumber is 1 for the first payment, then 2, 3… for the
	// instalments.
	InstallmentNumber int `json:"installmentNumber"`
	// State is the PaymentState: "Authorized" (paid), "Refused",
	// "Pending" (a future instalment), "Refunded"… Verify maps it.
	State string `json:"state"`
	// Type is the payment's type ("Offline", "Credit", "Debit"…).
	Type string `json:"type"`
	// CashOutState is the payout to the association ("MoneyIn",
	// "CashedOut"…); it says nothing about whether the payer paid.
	CashOutState string `json:"cashOutState"`
	// PaymentReceiptURL is the payer's receipt.
	PaymentReceiptURL string `json:"paymentReceiptUrl"`
	// FiscalReceiptURL is the tax receipt of a donation, if any.
	FiscalReceiptURL string `json:"fiscalReceiptUrl"`
	// Meta holds the payment's creation and update times.
	Meta *Meta `json:"meta"`
	// RefundOperations are the payment's refunds. HelloAsso lists those that
	// failed only when asked (withFailedRefundOperation).
	RefundOperations []RefundOperationLight `json:"refundOperations"`
}

// PaymentDetail is GET /v5/payments/{id} and a Payment notification's data:
// the payment with its order.
type PaymentDetail struct {
	// OrderPayment is the payment itself.
	OrderPayment
	// Order is the order the payment belongs to.
	Order *PaymentOrder `json:"order"`
	// Payer is who paid.
	Payer *Payer `json:"payer"`
	// Raw is the response body from GetPayment, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// PaymentOrder is the order a PaymentDetail belongs to.
type PaymentOrder struct {
	// ID is the order's id.
	ID int64 `json:"id"`
	// Date is when the order was made.
	Date Timestamp `json:"date"`
	// FormSlug is the form the order came from.
	FormSlug string `json:"formSlug"`
	// FormType is the form's type: "Checkout" for a checkout intent's order.
	FormType string `json:"formType"`
	// OrganizationSlug is the association's slug.
	OrganizationSlug string `json:"organizationSlug"`
	// CheckoutIntentID is the checkout intent the order came from, when
	// HelloAsso says it ("if available": its own Payment notification
	// example does not).
	CheckoutIntentID *int64 `json:"checkoutIntentId"`
}

// RefundOperation is the answer to a refund (RefundOperationModel).
type RefundOperation struct {
	// ID is the refund's id (Refund.ID).
	ID int64 `json:"id"`
	// Amount is the amount refunded in cents.
	Amount int64 `json:"amount"`
	// CancelOrder says whether the order's future instalments were
	// canceled.
	CancelOrder bool `json:"cancelOrder"`
	// CreationDate is when the refund was asked for.
	CreationDate Timestamp `json:"creationDate"`
	// State is the OperationState: "Processed" (done), "Init" or
	// "Processing" (under way), "Refused", "Error"…
	State string `json:"state"`
	// SendRefundMail says whether HelloAsso emails the payer.
	SendRefundMail bool `json:"sendRefundMail"`
	// PaymentID is the payment refunded.
	PaymentID int64 `json:"paymentId"`
	// Raw is the response body, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// RefundOperationLight is a refund as a payment lists it
// (RefundOperationLightModel, in OrderPayment.RefundOperations). Its
// OperationState is in Status, where the refund call's own answer
// (RefundOperation) says State; HelloAsso has been seen writing it in upper
// case ("PROCESSED"), so it is read without regard to case.
type RefundOperationLight struct {
	// ID is the refund's id.
	ID int64 `json:"id"`
	// Amount is the amount refunded in cents; 0 means the whole payment.
	Amount int64 `json:"amount"`
	// AmountTip is the part of the tip refunded, in cents.
	AmountTip int64 `json:"amountTip"`
	// Status is the OperationState ("Processed", "Init", "Refused"…).
	Status string `json:"status"`
	// Meta holds the refund's creation and update times.
	Meta *Meta `json:"meta"`
}

// Notification is the body HelloAsso POSTs to the notification URL, as
// json.Unmarshal reads it; ParseWebhook and ReadEvent read what matters in
// it.
type Notification struct {
	// EventType is EventOrder, EventPayment, EventForm or
	// EventOrganization.
	EventType string `json:"eventType"`
	// Data is an Order, a PaymentDetail, a form or a slug change, according
	// to EventType.
	Data json.RawMessage `json:"data"`
	// Metadata is the checkout intent's metadata, for an order or a payment
	// of a checkout.
	Metadata json.RawMessage `json:"metadata"`
}

// Timestamp reads HelloAsso's date-times ("2024-06-07T14:11:15.7442115+02:00",
// sometimes without an offset, sometimes a bare date) without ever failing
// the decoding of the whole answer: an unreadable value is left zero.
type Timestamp struct{ time.Time }

// timestampLayouts are tried in order; the first is RFC 3339 with any
// fraction, which covers HelloAsso's usual form.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02"}

// UnmarshalJSON implements json.Unmarshaler. A JSON string without
// escapes, HelloAsso's only form, is read in place.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return nil // null, or not a string: left zero
	}
	if v, ok := parseOffsetTime(b[1 : len(b)-1]); ok {
		t.Time = v // the usual form, read without a copy of the text
		return nil
	}
	s := string(b[1 : len(b)-1])
	if strings.IndexByte(s, '\\') >= 0 {
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
	}
	t.Time = parseTimestamp(s)
	return nil
}

// parseTimestamp reads s as HelloAsso writes date-times, or returns the zero
// time. The usual form, with a numeric offset, is read without the
// allocation time.Parse makes for the offset's zone: zones are kept by
// offset.
func parseTimestamp(s string) time.Time {
	if n := len(s); n > 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' {
		h, m := twoDigits(s[n-5:n-3]), twoDigits(s[n-2:])
		if h >= 0 && h < 24 && m >= 0 && m < 60 {
			if v, err := time.ParseInLocation(localLayout, s[:n-6], time.UTC); err == nil {
				off := h*3600 + m*60
				if s[n-6] == '-' {
					off = -off
				}
				return v.Add(-time.Duration(off) * time.Second).In(zone(off))
			}
		}
	}
	for _, l := range timestampLayouts {
		if v, err := time.Parse(l, s); err == nil {
			return v
		}
	}
	return time.Time{}
}

// parseOffsetTime reads the form HelloAsso writes,
// "2024-06-07T14:11:15.7442115+02:00" (a fraction of 1 to 9 digits, or
// none), from its bytes, without allocating: the time parseTimestamp would
// return for it. ok is false for anything else, which parseTimestamp then
// reads (TestParseOffsetTimeAgreesWithParseTimestamp).
func parseOffsetTime(b []byte) (v time.Time, ok bool) {
	n := len(b)
	if n < len("2006-01-02T15:04:05+00:00") || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' ||
		(b[n-6] != '+' && b[n-6] != '-') || b[n-3] != ':' {
		return time.Time{}, false
	}
	year := digits(b[0:4])
	month, day := digits(b[5:7]), digits(b[8:10])
	hour, minute, sec := digits(b[11:13]), digits(b[14:16]), digits(b[17:19])
	oh, om := digits(b[n-5:n-3]), digits(b[n-2:])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 || oh < 0 || oh > 23 || om < 0 || om > 59 {
		return time.Time{}, false
	}
	nsec := 0
	switch frac := b[19 : n-6]; {
	case len(frac) == 0:
	case len(frac) >= 2 && len(frac) <= 10 && frac[0] == '.':
		f := digits(frac[1:])
		if f < 0 {
			return time.Time{}, false
		}
		nsec = f
		for range 10 - len(frac) {
			nsec *= 10
		}
	default:
		return time.Time{}, false
	}
	off := oh*3600 + om*60
	if b[n-6] == '-' {
		off = -off
	}
	v = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return v.Add(-time.Duration(off) * time.Second).In(zone(off)), true
}

// digits reads b as a decimal number, or returns -1.
func digits(b []byte) int {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// localLayout is a date-time without its offset, with any fraction.
const localLayout = "2006-01-02T15:04:05.999999999"

// twoDigits reads two decimal digits, or returns -1.
func twoDigits(s string) int {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

// zones holds a fixed zone per offset seen (in seconds), as time.Parse
// would make for it. Offsets are whole minutes within a day: at most a few
// thousand, in practice a handful.
var zones struct {
	sync.RWMutex
	byOffset map[int]*time.Location
}

func zone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	zones.RLock()
	z, ok := zones.byOffset[offset]
	zones.RUnlock()
	if ok {
		return z
	}
	zones.Lock()
	defer zones.Unlock()
	if z, ok := zones.byOffset[offset]; ok {
		return z
	}
	if zones.byOffset == nil {
		zones.byOffset = map[int]*time.Location{}
	}
	z = time.FixedZone("", offset)
	zones.byOffset[offset] = z
	return z
}

// MarshalJSON implements json.Marshaler: RFC 3339, or null when zero.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Format(time.RFC3339Nano))
}

// referenceKey is the metadata key under which the adapter keeps
// CreateRequest.Reference, so that Verify can return it.
const referenceKey = "reference"

// eur returns cents as Money.
func eur(cents int64) payments.Money { return payments.Money{Amount: cents, Currency: "EUR"} }

// paymentFromIntent converts a checkout intent to the payments view.
func paymentFromIntent(ci *intentView) *payments.Payment {
	p := &payments.Payment{
		Provider:  payments.HelloAsso,
		ID:        strconv.FormatInt(ci.ID, 10),
		Status:    payments.StatusPending,
		Reference: ci.Metadata[referenceKey],
		Raw:       ci.Raw,
	}
	if len(ci.Metadata) > 0 {
		delete(ci.Metadata, referenceKey)
		if len(ci.Metadata) > 0 {
			p.Metadata = ci.Metadata
		}
	}
	o := ci.Order
	if o == nil {
		// No order yet: the payer has not paid. The intent's GET carries no
		// amount, so Amount stays zero until HelloAsso creates the order.
		return p
	}
	v := summarize(o.Payments)
	p.Status, p.ProviderStatus = v.status, v.state
	p.Amount = eur(o.Amount.Total)
	p.RefundedAmount = eur(v.refunded)
	p.PendingRefundAmount = eur(v.pendingRefund)
	if v.lead != nil {
		p.Method = means(v.lead.PaymentMeans)
		if p.Status == payments.StatusFailed {
			p.FailureCode = v.lead.State
			p.FailureMessage = "HelloAsso reports the payment as " + v.lead.State
		}
	}
	p.CreatedAt = o.Date.Time
	if p.CreatedAt.IsZero() {
		p.CreatedAt = o.Meta.CreatedAt.Time
	}
	p.UpdatedAt = o.Meta.UpdatedAt.Time
	return p
}

// means returns a payment means in lower case ("card"), as Payment.Method
// holds it: without an allocation for the means HelloAsso documents.
func means(m string) string {
	for _, known := range [...]string{"card", "sepa", "check", "cash", "banktransfer", "other", "none"} {
		if strings.EqualFold(m, known) {
			return known
		}
	}
	return strings.ToLower(m)
}

// refundFrom converts a refund operation to the payments view.
func refundFrom(intentID string, op *RefundOperation, amount int64) *payments.Refund {
	if op.Amount > 0 {
		amount = op.Amount
	}
	return &payments.Refund{
		Provider:  payments.HelloAsso,
		ID:        strconv.FormatInt(op.ID, 10),
		PaymentID: intentID,
		Amount:    eur(amount),
		Status:    operationStatus(op.State),
		Raw:       op.Raw,
	}
}
