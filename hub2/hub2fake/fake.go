// Package hub2fake poses a paymentstest.Fake as Hub2, for the unit tests of
// code written for package hub2: code that passes hub2.Options, acts on
// Hub2's next actions (an OTP to collect, USSD instructions, a page to
// open), calls Authenticate, or handles Hub2's webhooks and return URLs.
//
//	fake := hub2fake.New()
//	shop := NewShop(fake) // a *hub2.Client in production
//	s, _ := shop.StartCheckout(ctx, order) // hub2.Options{Country: "CI", Provider: "orange", MSISDN: …}
//	// s.NextAction is an OTP: the shop asks the customer for the code, then
//	_, err := fake.Authenticate(ctx, s.ID, s.ClientToken, "1234") // any 4 digits pay
//
// The Fake reports payments.Hub2 and the hub2.Client's capabilities (XOF,
// XAF and GNF, webhooks, no refunds: Refund is ErrUnsupported, as at Hub2).
// NewFor(cfg) plays the client cfg configures instead: with
// hub2.Config.RefundByTransfer, refunds by transfer, in full or in part.
// Refund then refuses what hub2.Client.Refund refuses before any request
// (no hub2.RefundOptions, a number or name it would not send, another
// provider's options), and what the payment does not cover; the Fake's
// transfers succeed at once, so that Refund returns StatusSucceeded with a
// transfer's id (tr_…) and Verify reports the amount refunded. Hub2's
// payout limits and the payer's operator, which the client checks against
// the verified payment, are the simulator's to play (package hub2test).
// Create refuses what hub2.Client.Create refuses, because it runs the
// adapter's own checks (references, Hub2's amount limits per country, the
// direct flow's country, provider and local MSISDN, Wave's ReturnURL,
// another provider's options…) on a client that sends nothing.
//
// Sessions follow the hub2.Options the request carries, as the simulator
// (package hub2test) plays Hub2's sandbox:
//
//   - no direct-flow options: the intent only, payment_required (pending),
//     with its ClientToken for the merchant's own page;
//   - provider "orange": an OTP NextAction with Hub2's sandbox message
//     (hub2test.OTPMessage); Fake.Authenticate with any 4 digits pays it,
//     another code fails it with authentication_failed. An Options.OTP is
//     decided at once the same way. With Options.Workflow "redirection",
//     Orange's payment link: a redirection, as for Wave;
//   - provider "wave": a redirection NextAction, also in RedirectURL (a
//     page under PageURL); ReturnQuery then brings the customer back with
//     hub2_intent and hub2_outcome, as hub2.Client.ParseReturn reads them;
//   - any other provider ("mtn", "moov"): a USSD NextAction
//     (hub2test.USSDMessage), confirmed on the handset: the test calls Pay
//     or Decline;
//   - MSISDN hub2test.MSISDNInsufficientFunds: the attempt fails at once
//     with customer_insufficient_funds.
//
// Decline fails the attempt with canceled_by_customer, as the simulator
// does; Fail chooses another of Hub2's failure codes. Webhook signs, with
// WebhookSecret, the payment_intent.* event Hub2 sends about the intent,
// which a hub2.Client configured with WebhookSecret accepts.
//
// For the HTTP exchanges themselves (tokens, rate limits, Hub2's error
// bodies), use the simulator, package hub2test.
package hub2fake

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/internal/fakekit"
	"github.com/unipay/payments/paymentstest"
)

// WebhookSecret is the Fake's webhook secret (Fake.WebhookSecret): give it
// to hub2.Config.WebhookSecrets to check the Fake's webhooks with a real
// client.
const WebhookSecret = "whsec_hub2_fake"

// PageURL prefixes the pages the Fake's redirection next actions point to.
const PageURL = "https://pay.hub2.fake.invalid/checkout/"

// merchantID is the merchant the Fake's intents belong to.
const merchantID = "16"

// Fake is a paymentstest.Fake posing as Hub2, with hub2.Client's
// Authenticate.
type Fake struct {
	*paymentstest.Fake
	checks *hub2.Client
}

// New returns an empty Fake posing as Hub2, its WebhookSecret set to
// WebhookSecret: a hub2.Client with refunds off, as by default.
func New() *Fake { return NewFor(hub2.Config{}) }

// NewFor returns an empty Fake posing as the hub2.Client cfg configures:
// with cfg.RefundByTransfer, it refunds by transfer (see the package doc).
// Only the settings that change what the client does are read; the
// credentials and secrets are the Fake's own.
func NewFor(cfg hub2.Config) *Fake {
	f := &Fake{Fake: paymentstest.NewFakeAs(PersonaFor(cfg)), checks: checksClient(cfg)}
	f.WebhookSecret = WebhookSecret
	return f
}

// Authenticate sends the one-time code the customer entered for a payment
// whose NextAction is an OTP, as hub2.Client.Authenticate does, and returns
// the intent as Hub2 would. Any 4 digits pay it, as in Hub2's sandbox;
// another code fails it with authentication_failed. It refuses what the
// adapter refuses before sending (no intent id, a code that is not digits),
// a token that is not the intent's (ErrAuthentication, Hub2's 401), and an
// intent that waits for no code (ErrConflict). FailNext("Authenticate", …)
// makes it fail; Calls records it, with the code in Call.Detail
// (Authentication).
func (f *Fake) Authenticate(ctx context.Context, intentID, token, code string) (*hub2.PaymentIntent, error) {
	const op = "authenticate payment"
	call := paymentstest.Call{Method: "Authenticate", PaymentID: intentID, Detail: Authentication{Token: token, Code: code}}
	if err := f.Begin(ctx, call, op); err != nil {
		return nil, err
	}
	if _, err := f.checks.Authenticate(ctx, intentID, token, code); fakekit.Checked(err) != nil {
		return nil, err
	}
	s, err := f.Snapshot(intentID)
	if err != nil {
		return nil, hub2Error(op, payments.ErrNotFound, http.StatusNotFound, "PaymentIntent not found")
	}
	switch {
	case token != "" && token != s.Session.ClientToken:
		return nil, hub2Error(op, payments.ErrAuthentication, http.StatusUnauthorized, "Invalid token")
	case s.Status != payments.StatusActionRequired || s.Session.NextAction == nil || s.Session.NextAction.Type != payments.NextActionOTP:
		return nil, hub2Error(op, payments.ErrConflict, http.StatusConflict, "No payment of this PaymentIntent waits for an authentication")
	}
	if fl := otpOutcome(code); fl.Code != "" {
		err = f.Fail(intentID, fl.Code, fl.Message)
	} else {
		err = f.Pay(intentID)
	}
	if err != nil {
		return nil, err
	}
	if s, err = f.Snapshot(intentID); err != nil {
		return nil, err
	}
	return intent(s, true)
}

// Authentication is what Fake.Authenticate received, in Call.Detail.
type Authentication struct {
	Token string // the intent's token, as hub2.Client.Authenticate takes it
	Code  string // the one-time code the customer typed
}

// Persona returns Hub2's persona, for paymentstest.NewFakeAs: change a
// field (Capabilities, Decline…) to play a case New does not. A Fake built
// from it has no Authenticate; New's has.
func Persona() paymentstest.Persona { return PersonaFor(hub2.Config{}) }

// PersonaFor returns the persona of the hub2.Client cfg configures (see
// NewFor).
func PersonaFor(cfg hub2.Config) paymentstest.Persona {
	checks := checksClient(cfg)
	return paymentstest.Persona{
		Provider:     payments.Hub2,
		Capabilities: checks.Capabilities(),
		// As hub2.Client.Refund says of a payment that is not paid.
		UnpaidRefund: payments.ErrConflict,
		Refund: func(s paymentstest.Snapshot, r *payments.Refund) {
			r.ID = fmt.Sprintf("tr_fake%08d%09d", s.Seq, s.Refunds) // Hub2's ids: "tr_" and 21 characters
			r.Status = payments.StatusSucceeded
		},
		Validate: func(req payments.CreateRequest) error {
			_, err := checks.Create(context.Background(), req)
			return fakekit.Checked(err)
		},
		ValidateRefund: func(req payments.RefundRequest) error {
			_, err := checks.Refund(context.Background(), req)
			return fakekit.Checked(err)
		},
		Open:        open,
		RedirectURL: redirectURL,
		Payment: func(s paymentstest.Snapshot, p *payments.Payment) {
			p.ProviderStatus = status(s.Status)
			if o := options(s.Request); direct(o) {
				p.Method = strings.ToLower(strings.TrimSpace(o.Provider)) + "_" + strings.ToLower(strings.TrimSpace(o.Country))
			}
		},
		Decline: paymentstest.Failure{Status: payments.StatusFailed, Code: "canceled_by_customer", Message: "The customer canceled the payment"},
		Webhook: func(secret string, s paymentstest.Snapshot) (http.Header, []byte, error) {
			body, err := json.Marshal(struct {
				Type string `json:"type"`
				Data any    `json:"data"`
			}{eventType(s.Status), wire(s, false)})
			if err != nil {
				return nil, nil, err
			}
			return paymentstest.SignHub2(secret, "", body), body, nil
		},
		ParseWebhook: func(secret string, h http.Header, body []byte) (*payments.Event, error) {
			c, err := client(secret, hub2.Config{}) // the test may have changed Fake.WebhookSecret
			if err != nil {
				return nil, err
			}
			return c.ParseWebhook(h, body)
		},
		ReturnQuery: returnQuery,
		ParseReturn: checks.ParseReturn,
	}
}

// client returns a hub2.Client that sends nothing, checking webhooks with
// secret (none: it refuses them all, as the adapter without
// Config.WebhookSecrets does), with the settings of cfg that change what
// the client does (refunds by transfer, on a ledger of its own that
// nothing reaches: the client refuses bad options before the read that
// fails offline).
func client(secret string, cfg hub2.Config) (*hub2.Client, error) {
	var secrets []string
	if secret != "" {
		secrets = []string{secret}
	}
	return hub2.New(hub2.Config{APIKey: "hub2_sk_fake", MerchantID: merchantID, WebhookSecrets: secrets,
		RefundByTransfer: cfg.RefundByTransfer}, fakekit.Offline()...)
}

// checksClient is the client whose checks a Fake playing cfg runs.
func checksClient(cfg hub2.Config) *hub2.Client {
	c, err := client(WebhookSecret, cfg)
	if err != nil {
		// The configuration is this package's own: only a change to
		// hub2.Config's rules can get here.
		panic("hub2fake: " + err.Error())
	}
	return c
}

func options(req payments.CreateRequest) hub2.Options {
	switch o := req.Options.(type) {
	case hub2.Options:
		return o
	case *hub2.Options:
		if o != nil {
			return *o
		}
	}
	return hub2.Options{}
}

// direct reports whether o asks for the direct flow, as hub2.Client.Create
// reads it.
func direct(o hub2.Options) bool {
	return o.Country != "" || o.Provider != "" || o.MSISDN != "" || o.OTP != "" || o.Workflow != ""
}

// action is the next action Hub2's sandbox asks for with o (see the
// package doc): "otp", "redirection" or "ussd".
func action(o hub2.Options) string {
	switch p := strings.ToLower(strings.TrimSpace(o.Provider)); {
	case p == hub2test.ProviderRedirect, o.Workflow == hub2.WorkflowRedirection:
		return "redirection"
	case p == hub2test.ProviderOTP:
		return "otp"
	}
	return "ussd"
}

// open is the session of the n-th intent, after the attempt the options
// ask for, and the failure of an attempt Hub2 refuses at once.
func open(n int, req payments.CreateRequest) (payments.Session, paymentstest.Failure) {
	id := fmt.Sprintf("pi_fake%017d", n) // Hub2's ids: "pi_" and 21 characters
	s := payments.Session{ID: id, ClientToken: token(id), Status: payments.StatusPending}
	o := options(req)
	if !direct(o) {
		return s, paymentstest.Failure{}
	}
	var fl paymentstest.Failure
	switch a := action(o); {
	case o.MSISDN == hub2test.MSISDNInsufficientFunds:
		fl = paymentstest.Failure{Status: payments.StatusFailed, Code: "customer_insufficient_funds", Message: "The customer's balance is insufficient"}
	case a == "otp" && o.OTP != "":
		fl = otpOutcome(o.OTP)
		if fl.Code == "" {
			s.Status = payments.StatusSucceeded
		}
	case a == "otp":
		s.Status, s.NextAction = payments.StatusActionRequired, &payments.NextAction{Type: payments.NextActionOTP, Message: hub2test.OTPMessage}
	case a == "redirection":
		s.RedirectURL = PageURL + id
		s.Status = payments.StatusActionRequired
		s.NextAction = &payments.NextAction{Type: payments.NextActionRedirect, URL: s.RedirectURL,
			Message: "mm_" + strings.ToLower(strings.TrimSpace(o.Provider)) + "_sandbox.redirection"}
	default:
		s.Status, s.NextAction = payments.StatusActionRequired, &payments.NextAction{Type: payments.NextActionUSSD, Message: hub2test.USSDMessage}
	}
	if fl.Code != "" {
		s.Status = payments.StatusFailed
	}
	return s, fl
}

// token is an intent's client JWT, shaped as Hub2's (HS256 over intentId,
// merchantId, mode), with a signature no one checks.
func token(intentID string) string {
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]string{"intentId": intentID, "merchantId": merchantID, "mode": "sandbox"})
	return enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString([]byte("hub2fake"))
}

// redirectURL answers as hub2.Client.RedirectURL: the page of a pending
// redirection, else ErrUnsupported.
func redirectURL(s paymentstest.Snapshot) (string, error) {
	if na := s.Session.NextAction; !s.Status.Final() && na != nil && na.Type == payments.NextActionRedirect {
		return na.URL, nil
	}
	return "", &payments.Error{Provider: payments.Hub2, Op: "redirect url", Kind: payments.ErrUnsupported, NotSent: true,
		Message: "payment intent " + s.ID + " (" + status(s.Status) + ") waits for no redirection"}
}

// returnQuery is what the browser brings back from a redirection flow: the
// URL the adapter gave Hub2, tagged with the intent and the outcome. Other
// flows bring the customer back to no URL.
func returnQuery(s paymentstest.Snapshot) url.Values {
	if na := s.Session.NextAction; na == nil || na.Type != payments.NextActionRedirect {
		return nil
	}
	o := options(s.Request)
	ok := s.Status.Paid()
	back, outcome := s.Request.ReturnURL, "finish"
	cancel := s.Request.CancelURL
	if cancel == "" {
		cancel = back
	}
	switch wave := strings.EqualFold(strings.TrimSpace(o.Provider), hub2test.ProviderRedirect); {
	case wave && ok:
		outcome = "success"
	case wave:
		back, outcome = cancel, "failed"
	case !ok && (s.Declined || s.Status == payments.StatusFailed || s.Status == payments.StatusCanceled):
		back, outcome = cancel, "cancel"
	}
	return fakekit.ReturnQuery(back, url.Values{hub2.ReturnIntentParam: {s.ID}, hub2.ReturnOutcomeParam: {outcome}})
}

// otpOutcome is what Hub2's sandbox makes of a code: any 4 digits
// authenticate; anything else fails with authentication_failed.
func otpOutcome(code string) paymentstest.Failure {
	if len(code) == 4 && strings.Trim(code, "0123456789") == "" {
		return paymentstest.Failure{}
	}
	return paymentstest.Failure{Status: payments.StatusFailed, Code: "authentication_failed", Message: "The customer could not be authenticated"}
}

// status is Hub2's word for s, as an intent's status.
func status(s payments.Status) string {
	switch s {
	case payments.StatusPending:
		return "payment_required"
	case payments.StatusProcessing:
		return "processing"
	case payments.StatusActionRequired:
		return "action_required"
	case payments.StatusSucceeded:
		return "successful"
	case payments.StatusFailed:
		return "failed"
	case payments.StatusCanceled:
		return "canceled"
	case payments.StatusRefunded, payments.StatusPartiallyRefunded:
		// Refunds by transfer leave the intent as it was: paid.
		return "successful"
	}
	return string(s)
}

// eventType is the payment_intent.* event Hub2 sends for an intent in s.
func eventType(s payments.Status) string {
	switch st := status(s); st {
	case "successful":
		return "payment_intent.succeeded"
	case "failed":
		return "payment_intent.payment_failed"
	case "payment_required":
		return "payment_intent.created"
	default:
		return "payment_intent." + st
	}
}

// wireIntent is an intent in Hub2's shape: the data of its webhooks
// (testdata/hub2/webhook_payment_intent_succeeded.json) and its API's
// answers, with the token where the API shows it.
type wireIntent struct {
	ID                   string        `json:"id"`
	CreatedAt            string        `json:"createdAt"`
	UpdatedAt            string        `json:"updatedAt"`
	MerchantID           string        `json:"merchantId"`
	PurchaseReference    string        `json:"purchaseReference"`
	CustomerReference    string        `json:"customerReference"`
	Amount               int64         `json:"amount"`
	Currency             string        `json:"currency"`
	Token                string        `json:"token,omitempty"`
	Status               string        `json:"status"`
	OverrideBusinessName *string       `json:"overrideBusinessName,omitempty"`
	Payments             []wirePayment `json:"payments"`
	Mode                 string        `json:"mode"`
}

type wirePayment struct {
	ID                 string          `json:"id"`
	IntentID           string          `json:"intentId"`
	CreatedAt          string          `json:"createdAt"`
	UpdatedAt          string          `json:"updatedAt"`
	Amount             int64           `json:"amount"`
	Currency           string          `json:"currency"`
	Status             string          `json:"status"`
	Method             string          `json:"method"`
	Country            string          `json:"country"`
	Provider           string          `json:"provider"`
	Number             string          `json:"number"`
	Fees               []any           `json:"fees"`
	Failure            *wireFailure    `json:"failure,omitempty"`
	NextAction         *wireNextAction `json:"nextAction,omitempty"`
	IsDelegated        bool            `json:"isDelegated"`
	PaymentInformation any             `json:"paymentInformation"`
}

type wireFailure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type wireNextAction struct {
	Type    string            `json:"type"`
	Message string            `json:"message"`
	Data    map[string]string `json:"data,omitempty"`
}

// wire is the intent s in Hub2's shape, with its token when withToken.
func wire(s paymentstest.Snapshot, withToken bool) wireIntent {
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
	req, o := s.Request, options(s.Request)
	customer := req.Reference
	if req.Customer != nil && req.Customer.Reference != "" {
		customer = req.Customer.Reference
	}
	pi := wireIntent{
		ID: s.ID, CreatedAt: stamp(s.Created), UpdatedAt: stamp(s.Updated), MerchantID: merchantID,
		PurchaseReference: req.Reference, CustomerReference: customer,
		Amount: req.Amount.Amount, Currency: req.Amount.Currency, Status: status(s.Status),
		Payments: []wirePayment{}, Mode: "sandbox",
	}
	if withToken {
		pi.Token = s.Session.ClientToken
	}
	// An attempt is made by Create's direct flow, or by the customer on the
	// merchant's page before the test settled the intent.
	if !direct(o) && s.Status == payments.StatusPending {
		return pi
	}
	name := o.BusinessName
	pi.OverrideBusinessName = &name
	p := wirePayment{
		ID: "pay_" + strings.TrimPrefix(s.ID, "pi_"), IntentID: s.ID, CreatedAt: stamp(s.Created), UpdatedAt: stamp(s.Updated),
		Amount: req.Amount.Amount, Currency: req.Amount.Currency, Status: status(s.Status), Method: "mobile_money",
		Country: strings.ToUpper(strings.TrimSpace(o.Country)), Provider: strings.ToLower(strings.TrimSpace(o.Provider)),
		Number: mask(o.MSISDN), Fees: []any{},
	}
	if s.Status == payments.StatusPending {
		p.Status = "created"
	}
	if s.Status == payments.StatusFailed || s.Status == payments.StatusCanceled {
		p.Status = "failed"
		p.Failure = &wireFailure{Code: s.Failure.Code, Message: s.Failure.Message}
	}
	if na := s.Session.NextAction; na != nil && !s.Status.Final() {
		p.NextAction = &wireNextAction{Type: string(na.Type), Message: na.Message}
		if na.Type == payments.NextActionRedirect {
			p.NextAction.Type = string(hub2.ActionRedirection)
			p.NextAction.Data = map[string]string{"url": na.URL, "method": "get"}
		}
	}
	pi.Payments = append(pi.Payments, p)
	return pi
}

// intent is the intent s as hub2.Client returns it: Hub2's JSON, read
// by the adapter's own types.
func intent(s paymentstest.Snapshot, withToken bool) (*hub2.PaymentIntent, error) {
	b, err := json.Marshal(wire(s, withToken))
	if err != nil {
		return nil, err
	}
	var pi hub2.PaymentIntent
	if err := json.Unmarshal(b, &pi); err != nil {
		return nil, err
	}
	return &pi, nil
}

// mask hides a number's middle, as Hub2 shows payers' numbers.
func mask(n string) string {
	if len(n) <= 4 {
		return n
	}
	return n[:2] + strings.Repeat("*", len(n)-4) + n[len(n)-2:]
}

func hub2Error(op string, kind payments.Kind, status int, msg string) error {
	return &payments.Error{Provider: payments.Hub2, Op: op, Kind: kind, HTTPStatus: status, Message: msg}
}
