package hub2

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments"
)

// This file declares Hub2's JSON shapes and converts them to and from the
// payments types. Nothing here does I/O.

// IntentStatus is a PaymentIntent's status as Hub2 reports it. It is an open
// set: a value not listed here is kept as it came.
type IntentStatus string

// The PaymentIntent statuses Hub2 documents.
const (
	IntentPaymentRequired IntentStatus = "payment_required" // created, no attempt yet
	IntentProcessing      IntentStatus = "processing"       // an attempt was submitted
	IntentActionRequired  IntentStatus = "action_required"  // the customer must act (see the payment's NextAction)
	IntentSuccessful      IntentStatus = "successful"       // paid
	IntentFailed          IntentStatus = "failed"           // the last attempt failed; another may be made
)

// PaymentStatus is a payment attempt's status as Hub2 reports it. It is an
// open set.
type PaymentStatus string

// The payment attempt statuses Hub2 documents or is seen to send.
const (
	PaymentCreated        PaymentStatus = "created"         // attempt created, provider not reached yet
	PaymentPending        PaymentStatus = "pending"         // waiting on the provider
	PaymentProcessing     PaymentStatus = "processing"      // the provider is working on it
	PaymentActionRequired PaymentStatus = "action_required" // OTP, USSD or redirection needed
	PaymentSuccessful     PaymentStatus = "successful"      // paid
	PaymentFailed         PaymentStatus = "failed"          // see Failure
)

// PaymentMethod is how an attempt is paid.
type PaymentMethod string

// The payment methods of an attempt.
const (
	MobileMoney PaymentMethod = "mobile_money"
	CreditCard  PaymentMethod = "credit_card"
)

// ActionType is the type of a payment's NextAction.
type ActionType string

// The next actions Hub2 asks of a customer.
const (
	ActionOTP         ActionType = "otp"         // collect a code and call Client.Authenticate
	ActionRedirection ActionType = "redirection" // send the customer to Data.URL
	ActionUSSD        ActionType = "ussd"        // the customer confirms on the handset
)

// Amount is an amount in the currency's smallest unit (whole francs for XOF,
// XAF and GNF). It decodes an integer, or a decimal number whose fraction is
// zero ("200.0"); any real fraction is refused rather than rounded.
type Amount int64

// UnmarshalJSON implements json.Unmarshaler.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	s = strings.Trim(s, `"`)
	whole, frac, _ := strings.Cut(s, ".")
	if strings.Trim(frac, "0") != "" {
		return &json.UnmarshalTypeError{Value: "number " + s, Type: amountType}
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "number " + s, Type: amountType}
	}
	*a = Amount(n)
	return nil
}

var amountType = reflect.TypeFor[Amount]()

// CreateIntentRequest is the body of POST /payment-intents
// (Client.CreatePaymentIntent). The references take only letters, digits,
// '-', '_', '.' and space, at most MaxReference of them.
type CreateIntentRequest struct {
	// CustomerReference is the merchant's id of the customer (required).
	CustomerReference string `json:"customerReference"`
	// PurchaseReference is the merchant's order id (required).
	PurchaseReference string `json:"purchaseReference"`
	// Amount is the amount to collect in whole francs (XOF, XAF and GNF
	// have no minor unit): 5000 is 5000 F CFA.
	Amount Amount `json:"amount"`
	// Currency is XOF, XAF or GNF.
	Currency string `json:"currency"`
	// OverrideBusinessName is the name shown to the payer instead of the
	// merchant's, for aggregators that have the setting (at most
	// MaxBusinessName bytes; optional).
	OverrideBusinessName string `json:"overrideBusinessName,omitempty"`
}

// PaymentIntent is Hub2's PaymentIntent: one amount to collect and the payment
// attempts made on it. Token is the client JWT: a secret.
type PaymentIntent struct {
	// ID is the intent's id, "pi_" and 21 characters: what Verify,
	// AttemptPayment and Authenticate take.
	ID string `json:"id"`
	// MerchantID is the merchant's id at Hub2 (a string).
	MerchantID string `json:"merchantId,omitempty"`
	// CreatedAt is when the intent was created (UTC).
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the intent last changed (UTC).
	UpdatedAt time.Time `json:"updatedAt"`
	// PurchaseReference is the merchant's order id, as sent.
	PurchaseReference string `json:"purchaseReference"`
	// CustomerReference is the merchant's customer id, as sent.
	CustomerReference string `json:"customerReference"`
	// Amount is the amount to collect, in whole francs.
	Amount Amount `json:"amount"`
	// Currency is XOF, XAF or GNF.
	Currency string `json:"currency"`
	// Token is the intent's client JWT, which authorizes attempts and OTPs
	// without the API key: a secret, kept out of logs, errors and Raw
	// fields. Hub2 sends it with the intent's creation and reads.
	Token string `json:"token,omitempty"`
	// Status is the intent's status: payment_required, processing,
	// action_required, successful or failed (an open set).
	Status IntentStatus `json:"status"`
	// Payments are the payment attempts made on the intent, in the order
	// Hub2 lists them; LastPayment picks the one that decides.
	Payments []Payment `json:"payments"`
	// Mode is "sandbox" or "live".
	Mode string `json:"mode,omitempty"`
	// NextAction at the intent's top level is not documented, but some
	// integrations read it; it is kept when present.
	NextAction *NextAction `json:"nextAction,omitempty"`

	raw []byte // the body it was read from, secrets removed
}

// Payment is one payment attempt on a PaymentIntent.
type Payment struct {
	// ID is the attempt's id, "pay_…": what PaymentStatus takes.
	ID string `json:"id"`
	// IntentID is the id of the intent the attempt belongs to.
	IntentID string `json:"intentId"`
	// CreatedAt is when the attempt was made (UTC).
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the attempt last changed (UTC).
	UpdatedAt time.Time `json:"updatedAt"`
	// Status is the attempt's status: created, pending, processing,
	// action_required, successful or failed (an open set).
	Status PaymentStatus `json:"status"`
	// Amount is the amount of the attempt, in whole francs.
	Amount Amount `json:"amount"`
	// Currency is XOF, XAF or GNF.
	Currency string `json:"currency"`
	// Method is how the attempt pays: mobile_money or credit_card.
	Method PaymentMethod `json:"method,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code of the payer's provider.
	Country string `json:"country,omitempty"`
	// Provider is Hub2's code of the payer's provider, such as orange.
	Provider string `json:"provider,omitempty"`
	// Failure says why a failed attempt failed; nil otherwise.
	Failure *Failure `json:"failure,omitempty"`
	// Fees are the fees Hub2 charges on the attempt.
	Fees []Fee `json:"fees,omitempty"`
	// NextAction is what the customer must do for the attempt to go on
	// (an OTP, USSD, a redirection); nil when nothing.
	NextAction *NextAction `json:"nextAction,omitempty"`
	// ProviderReference is the provider's own id of the transaction, once
	// it has one.
	ProviderReference string `json:"providerReference,omitempty"`
	// GatewayID is Hub2's id of the gateway that carried the attempt.
	GatewayID string `json:"gatewayId,omitempty"`
	// Number is the payer's number as Hub2 shows it (possibly masked).
	Number string `json:"number,omitempty"`
}

// Failure says why a payment attempt failed.
type Failure struct {
	// Code is one of Hub2's failure codes, such as
	// "customer_insufficient_funds" or "authentication_failed".
	Code string `json:"code"`
	// Message describes the failure, in Hub2's words.
	Message string `json:"message,omitempty"`
	// Params are the values the message refers to, if any.
	Params []string `json:"params,omitempty"`
}

// NextAction is what the customer must do for a payment attempt to go on.
type NextAction struct {
	// Type is otp, redirection or ussd (an open set).
	Type ActionType `json:"type"`
	// Message is what to show the customer: an instruction for an OTP or
	// USSD, or an i18n key such as "mm_wave_live.redirection".
	Message string `json:"message,omitempty"`
	// Data details a redirection: where, and how.
	Data *NextActionData `json:"data,omitempty"`
}

// NextActionData details a redirection.
type NextActionData struct {
	// URL is the page to send the customer to.
	URL string `json:"url,omitempty"`
	// Method is the HTTP method to open URL with, lowercase: usually
	// "get" (the only one RedirectURL follows).
	Method string `json:"method,omitempty"`
	// Headers are headers to send with a non-GET redirection, as Hub2
	// sent them.
	Headers json.RawMessage `json:"headers,omitempty"`
	// Data is the form data of a non-GET redirection, as Hub2 sent it.
	Data json.RawMessage `json:"data,omitempty"`
}

// Fee is one fee Hub2 charges on a payment.
type Fee struct {
	// ID is the fee's id at Hub2.
	ID string `json:"id"`
	// Rate is the fee's rate, kept as the decimal Hub2 sent: a percentage
	// or an amount, per RateType.
	Rate json.Number `json:"rate,omitempty"`
	// RateType is "percent" or "flat".
	RateType string `json:"rateType,omitempty"`
	// Amount is the fee, in whole francs.
	Amount Amount `json:"amount"`
	// Currency is the fee's currency.
	Currency string `json:"currency"`
	// Label names the fee, in Hub2's words.
	Label string `json:"label,omitempty"`
	// Taxes are the taxes on the fee, as Hub2 sent them.
	Taxes json.RawMessage `json:"taxes,omitempty"`
}

// AttemptRequest is the body of POST /payment-intents/{id}/payments
// (Client.AttemptPayment): a payment attempt. Create fills one from
// payments.CreateRequest and Options.
type AttemptRequest struct {
	// Token is the intent's client JWT; empty makes AttemptPayment read it
	// from Hub2 first. At most MaxToken bytes.
	Token string `json:"token"`
	// PaymentMethod is mobile_money or credit_card (required).
	PaymentMethod PaymentMethod `json:"paymentMethod"`
	// Country is the ISO 3166-1 alpha-2 code of the payer's provider, such
	// as CI (required).
	Country string `json:"country"`
	// Provider is Hub2's code of the payer's provider, lowercase, such as
	// orange, mtn, moov or wave (required).
	Provider string `json:"provider"`
	// OnCancelRedirectionURL is where a card payment in the redirection
	// workflow sends the customer after they cancel.
	OnCancelRedirectionURL string `json:"onCancelRedirectionUrl,omitempty"`
	// OnFinishRedirectionURL is where a card payment in the redirection
	// workflow sends the customer at its end.
	OnFinishRedirectionURL string `json:"onFinishRedirectionUrl,omitempty"`
	// MobileMoney details a mobile_money attempt (required for one).
	MobileMoney *MobileMoneyDetail `json:"mobileMoney,omitempty"`
}

// MobileMoneyDetail is the mobile-money part of an attempt.
//
// The redirection URLs come in two pairs, and which pair a provider reads
// is known only from integrations, not from Hub2's reference: Wave takes
// OnSuccessRedirectionURL and OnFailedRedirectionURL (every public
// integration that handles Wave sends them; one reports that
// onFinishRedirectionUrl is no field there), while Orange's redirection
// workflow takes OnFinishRedirectionURL and OnCancelRedirectionURL (Hub2's
// delegated-payment sample, and integrations). Create fills the pair of the
// provider it attempts with.
type MobileMoneyDetail struct {
	// MSISDN is the payer's number in local format, without the country
	// prefix: 0700000000, not +2250700000000 (8 to 12 digits).
	MSISDN string `json:"msisdn"`
	// OTP is for providers that take the code in the attempt (Orange CI).
	OTP string `json:"otp,omitempty"`
	// Workflow chooses a provider's flow where it has two: "redirection"
	// or "otp" for Orange (see Options.Workflow). Empty lets Hub2 choose.
	Workflow string `json:"workflow,omitempty"`
	// OnSuccessRedirectionURL is where Wave sends the customer back after
	// a payment that succeeded.
	OnSuccessRedirectionURL string `json:"onSuccessRedirectionUrl,omitempty"`
	// OnFailedRedirectionURL is where Wave sends the customer back after
	// a payment that failed.
	OnFailedRedirectionURL string `json:"onFailedRedirectionUrl,omitempty"`
	// OnCancelRedirectionURL is where the other redirection flows
	// (Orange's payment link) send a customer who cancels.
	OnCancelRedirectionURL string `json:"onCancelRedirectionUrl,omitempty"`
	// OnFinishRedirectionURL is where the other redirection flows send the
	// customer at their end.
	OnFinishRedirectionURL string `json:"onFinishRedirectionUrl,omitempty"`
}

// authenticateRequest is the body of POST /payment-intents/{id}/authentication.
type authenticateRequest struct {
	Token            string `json:"token"`
	ConfirmationCode string `json:"confirmationCode"`
}

// StatusResponse is the answer of the status endpoints
// (GET /payment-intents/{id}/status, GET /payments/{id}/status). Hub2's
// reference shows {"id", "status"} for an intent and publishes nothing for a
// payment: the adapter reads only id and status, and WaitForFinal falls back
// to the full PaymentIntent when status is missing.
type StatusResponse struct {
	// ID is the id of the intent or payment, when Hub2 sends it.
	ID string `json:"id,omitempty"`
	// Status is the intent's (IntentStatus) or the payment's
	// (PaymentStatus) status, as Hub2 sent it.
	Status string `json:"status"`
}

// FeesQuery selects the fees of GET /payment-intents/{id}/payment-fees.
type FeesQuery struct {
	// Country is the ISO 3166-1 alpha-2 code of the payer's provider
	// (required).
	Country string
	// Provider is Hub2's code of the payer's provider, as in attempts
	// (required; sent lowercase).
	Provider string
	// PaymentMethod is mobile_money (the default) or credit_card.
	PaymentMethod PaymentMethod
}

// WebhookRequest registers a webhook (POST /webhooks).
type WebhookRequest struct {
	// URL is where Hub2 delivers the events: an absolute http(s) URL.
	URL string `json:"url"`
	// Events are the events to deliver, such as payment_intent.succeeded
	// (1 to 50).
	Events []string `json:"events"`
	// Description describes the webhook, for the merchant (optional, at
	// most 4096 bytes).
	Description string `json:"description,omitempty"`
	// Metadata is the merchant's own data on the webhook (optional; the
	// bounds of payments.CreateRequest.Metadata).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Webhook is a registered webhook. Secret is returned only when it is
// created: store it, and give it (with the previous one during a rotation)
// to Config.WebhookSecrets.
type Webhook struct {
	// ID is the webhook's id, "wh_…".
	ID string `json:"id"`
	// Mode is "sandbox" or "live": webhooks belong to one environment.
	Mode string `json:"mode,omitempty"`
	// Status is "enabled", or another state Hub2 reports (it deactivates
	// a webhook whose deliveries keep failing).
	Status string `json:"status,omitempty"`
	// URL is where the events are delivered.
	URL string `json:"url"`
	// Events are the events delivered.
	Events []string `json:"events"`
	// Description is the merchant's description.
	Description string `json:"description,omitempty"`
	// Metadata is the merchant's own data.
	Metadata map[string]string `json:"metadata,omitempty"`
	// CreatedAt is when the webhook was registered (UTC).
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when it last changed (UTC).
	UpdatedAt time.Time `json:"updatedAt"`
	// Secret signs the deliveries (Hub2-Signature). Hub2 returns it only
	// at creation: store it. It is never logged.
	Secret string `json:"secret,omitempty"`
}

// apiError is Hub2's standard error body. Older answers carried message as
// a list of strings, and "error" instead of "code"; both are read.
type apiError struct {
	Status    int             `json:"status"`
	Code      string          `json:"code"`
	Error     string          `json:"error"`
	Message   json.RawMessage `json:"message"`
	RequestID string          `json:"request_id"`
}

// webhookEnvelope is a webhook delivery's body: {"type": …, "data": {…}}.
type webhookEnvelope struct {
	Type string `json:"type"`
	Data struct {
		ID       string `json:"id"`
		IntentID string `json:"intentId"`
		Status   string `json:"status"`
		// Reference is a transfer's: a refund's names its payment.
		Reference string `json:"reference"`
	} `json:"data"`
}

// LastPayment returns the attempt that decides the intent's state: the
// successful one if there is one, else the most recent; nil before any
// attempt.
func (pi *PaymentIntent) LastPayment() *Payment {
	i := decisive(pi.Payments, func(p *Payment) (PaymentStatus, time.Time) { return p.Status, p.CreatedAt })
	if i < 0 {
		return nil
	}
	return &pi.Payments[i]
}

// decisive returns the index of the attempt that decides an intent's
// state: the successful one if there is one, else the most recent; -1
// before any attempt.
func decisive[P any](ps []P, read func(*P) (PaymentStatus, time.Time)) int {
	if len(ps) == 0 {
		return -1
	}
	last := 0
	_, lastAt := read(&ps[0])
	for i := range ps {
		status, at := read(&ps[i])
		if status == PaymentSuccessful {
			return i
		}
		if i > 0 && !at.Before(lastAt) {
			last, lastAt = i, at
		}
	}
	return last
}

// PendingAction returns what the customer must do now: the next action of
// the most recent attempt while that attempt is not settled, else the
// intent's own next action while the intent is not settled; nil when there
// is none.
//
// The attempt's status is not required to be action_required: which status
// goes with Wave's redirection is not settled (Hub2's docs describe
// action_required; integrations see Wave's payment created, its intent
// processing, before or while the link is out), and a next action Hub2 sends
// is what the customer must do whatever the status says.
func (pi *PaymentIntent) PendingAction() *NextAction {
	return pendingAction(pi.Status, pi.NextAction, pi.Payments, func(p *Payment) (PaymentStatus, time.Time, *NextAction) {
		return p.Status, p.CreatedAt, p.NextAction
	})
}

// pendingAction is PendingAction for any view of an intent: its status,
// its own next action, and its attempts, whose status, creation time and
// next action read returns.
func pendingAction[P any](status IntentStatus, own *NextAction, ps []P, read func(*P) (PaymentStatus, time.Time, *NextAction)) *NextAction {
	if intentStatus(status).Final() {
		return nil
	}
	i := decisive(ps, func(p *P) (PaymentStatus, time.Time) { st, at, _ := read(p); return st, at })
	if i >= 0 {
		if st, _, next := read(&ps[i]); next != nil && !intentStatus(st).Final() {
			return next
		}
	}
	return own
}

// sessionView is what Create reads of an intent it created or attempted:
// what a Session shows, and what the integrity checks compare. As with
// intentView, fees, taxes and the payer's details stay undecoded
// (Session.Raw keeps them): Hub2's answer to an attempt spends most of its
// bytes on them.
type sessionView struct {
	ID         string        `json:"id"`
	Amount     Amount        `json:"amount"`
	Currency   string        `json:"currency"`
	Token      string        `json:"token,omitempty"`
	Status     IntentStatus  `json:"status"`
	Payments   []attemptView `json:"payments"`
	NextAction *NextAction   `json:"nextAction,omitempty"`

	raw []byte // the body it was read from, secrets removed
}

// attemptView is what sessionView reads of a payment attempt.
type attemptView struct {
	ID         string        `json:"id"`
	IntentID   string        `json:"intentId"`
	CreatedAt  time.Time     `json:"createdAt"`
	Status     PaymentStatus `json:"status"`
	NextAction *NextAction   `json:"nextAction,omitempty"`
}

// pendingAction is PaymentIntent.PendingAction.
func (v *sessionView) pendingAction() *NextAction {
	return pendingAction(v.Status, v.NextAction, v.Payments, func(p *attemptView) (PaymentStatus, time.Time, *NextAction) {
		return p.Status, p.CreatedAt, p.NextAction
	})
}

// intentView is what Verify and WaitForFinal read of an intent: what
// payments.Payment shows, and the ids the integrity check compares. Fees,
// taxes and next actions stay undecoded (Raw keeps them): decoding the
// whole PaymentIntent of a paid intent costs a third more allocations.
type intentView struct {
	ID                string        `json:"id"`
	CreatedAt         time.Time     `json:"createdAt"`
	UpdatedAt         time.Time     `json:"updatedAt"`
	PurchaseReference string        `json:"purchaseReference"`
	Amount            Amount        `json:"amount"`
	Currency          string        `json:"currency"`
	Token             string        `json:"token,omitempty"`
	Status            IntentStatus  `json:"status"`
	Payments          []paymentView `json:"payments"`

	raw []byte // the body it was read from, secrets removed
}

// paymentView is what intentView reads of a payment attempt.
type paymentView struct {
	ID        string        `json:"id"`
	IntentID  string        `json:"intentId"`
	CreatedAt time.Time     `json:"createdAt"`
	Status    PaymentStatus `json:"status"`
	Method    PaymentMethod `json:"method,omitempty"`
	Country   string        `json:"country,omitempty"`
	Provider  string        `json:"provider,omitempty"`
	Failure   *Failure      `json:"failure,omitempty"`
	Number    string        `json:"number,omitempty"`
}

// intentAnswer is a decoded answer about an intent: the whole
// PaymentIntent, or Verify's view of it. Client.intent checks it is about
// the intent asked for.
type intentAnswer interface {
	// about returns the intent's id and its client JWT.
	about() (id, token string)
	// money returns the intent's amount and currency.
	money() (Amount, string)
	// foreign returns an attempt that belongs to another intent, if any.
	foreign() (paymentID, intentID string, found bool)
	// keep keeps the body the answer was read from, secrets removed.
	keep(raw []byte)
}

func (pi *PaymentIntent) about() (string, string) { return pi.ID, pi.Token }
func (pi *PaymentIntent) money() (Amount, string) { return pi.Amount, pi.Currency }
func (pi *PaymentIntent) keep(raw []byte)         { pi.raw = raw }
func (pi *PaymentIntent) foreign() (string, string, bool) {
	for i := range pi.Payments {
		if p := &pi.Payments[i]; p.IntentID != "" && p.IntentID != pi.ID {
			return p.ID, p.IntentID, true
		}
	}
	return "", "", false
}

func (v *intentView) about() (string, string) { return v.ID, v.Token }
func (v *intentView) money() (Amount, string) { return v.Amount, v.Currency }
func (v *intentView) keep(raw []byte)         { v.raw = raw }
func (v *intentView) foreign() (string, string, bool) {
	for i := range v.Payments {
		if p := &v.Payments[i]; p.IntentID != "" && p.IntentID != v.ID {
			return p.ID, p.IntentID, true
		}
	}
	return "", "", false
}

func (v *sessionView) about() (string, string) { return v.ID, v.Token }
func (v *sessionView) money() (Amount, string) { return v.Amount, v.Currency }
func (v *sessionView) keep(raw []byte)         { v.raw = raw }
func (v *sessionView) foreign() (string, string, bool) {
	for i := range v.Payments {
		if p := &v.Payments[i]; p.IntentID != "" && p.IntentID != v.ID {
			return p.ID, p.IntentID, true
		}
	}
	return "", "", false
}

// payer returns the country, operator and number (as Hub2 shows it,
// possibly masked) of the attempt that decides the intent; empty before
// any attempt.
func (v *intentView) payer() (country, provider, number string) {
	i := decisive(v.Payments, func(p *paymentView) (PaymentStatus, time.Time) { return p.Status, p.CreatedAt })
	if i < 0 {
		return "", "", ""
	}
	p := &v.Payments[i]
	return strings.ToUpper(p.Country), strings.ToLower(p.Provider), p.Number
}

// toPayment converts the intent to the payments view, with the method and
// failure of the attempt that decides it.
func (v *intentView) toPayment() *payments.Payment {
	p := &payments.Payment{
		Provider:       payments.Hub2,
		ID:             v.ID,
		Reference:      v.PurchaseReference,
		Status:         intentStatus(v.Status),
		ProviderStatus: string(v.Status),
		Amount:         payments.Money{Amount: int64(v.Amount), Currency: v.Currency},
		CreatedAt:      v.CreatedAt,
		UpdatedAt:      v.UpdatedAt,
		Raw:            v.raw,
	}
	if i := decisive(v.Payments, func(p *paymentView) (PaymentStatus, time.Time) { return p.Status, p.CreatedAt }); i >= 0 {
		last := &v.Payments[i]
		p.Method = methodName(last.Method, last.Provider, last.Country)
		if last.Failure != nil && last.Status == PaymentFailed {
			p.FailureCode, p.FailureMessage = last.Failure.Code, last.Failure.Message
		}
	}
	return p
}

// methodName names how an attempt pays: "orange_ci" for mobile money
// (provider and country), else Hub2's method, such as "credit_card".
func methodName(method PaymentMethod, provider, country string) string {
	if method == MobileMoney || method == "" {
		if provider != "" && country != "" {
			return strings.ToLower(provider) + "_" + strings.ToLower(country)
		}
		if provider != "" {
			return strings.ToLower(provider)
		}
	}
	return string(method)
}

// toNextAction converts Hub2's next action to the payments view, and says
// where to redirect the customer (a GET redirection only).
func (a *NextAction) toNextAction() (na *payments.NextAction, redirect string) {
	if a == nil {
		return nil, ""
	}
	na = &payments.NextAction{Message: a.Message}
	switch a.Type {
	case ActionRedirection:
		na.Type = payments.NextActionRedirect
		if a.Data != nil {
			na.URL = a.Data.URL
			if m := strings.ToLower(a.Data.Method); m == "" || m == "get" {
				redirect = a.Data.URL
			}
		}
	case ActionOTP:
		na.Type = payments.NextActionOTP
	case ActionUSSD:
		na.Type = payments.NextActionUSSD
	default:
		na.Type = payments.NextActionType(a.Type)
	}
	return na, redirect
}

// messageList reads Hub2's error message: a string, or a list of strings.
func messageList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	return nil
}
