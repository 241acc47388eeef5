package monerootest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/paymentstest"
)

// The simulator's payouts (https://docs.moneroo.io/payouts): initialize,
// verify and retrieve, the sandbox's test numbers, a balance per currency,
// and the payout.* webhooks.
//
// What no source says, and the simulator chooses:
//   - Fees: Moneroo's docs and SDKs name none for payouts, and no payout
//     answer has a fee field. The simulator charges none: a payout debits
//     its amount from the balance, no more.
//   - Insufficient balance: no source shows how Moneroo refuses a payout
//     its balance cannot cover. The simulator answers 400 ("Insufficient
//     balance…", no field errors) and makes no payout.
//   - Test numbers: the docs give them for the Moneroo Test Payout Gateway,
//     "for all payment methods associated" with it; the simulator applies
//     them to every method (…61 succeeds, …62 fails, …63 stays pending) and
//     pays any other valid number at once.
//   - Invalid numbers: an MSISDN must be 8 to 15 digits (a string or a JSON
//     integer, as the docs type it), else 422 on recipient.msisdn.

// Moneroo's payout test numbers (https://docs.moneroo.io/payouts/testing):
// as an account number of moneroo_payout_demo, or as the end of any
// method's MSISDN in the simulator. The docs swap pending and failed
// relative to the payment test numbers; so does the simulator.
const (
	PayoutSuccess = "4149518161" // the payout succeeds
	PayoutFailed  = "4149518162" // the payout fails
	PayoutPending = "4149518163" // the payout stays pending (SettlePayout ends it)
)

// payoutCatalogue is Moneroo's payout-method table as its "Available
// methods" page for payouts lists it.
var payoutCatalogue = []method{
	{"airtel_cd", "Airtel Congo", "CDF", []string{"CD"}},
	{"airtel_mw", "Airtel Money Malawi", "MWK", []string{"MW"}},
	{"airtel_ng", "Airtel Money Nigeria", "NGN", []string{"NG"}},
	{"airtel_rw", "Airtel Rwanda", "RWF", []string{"RW"}},
	{"airtel_tz", "Airtel Tanzania", "TZS", []string{"TZ"}},
	{"airtel_ug", "Airtel Uganda", "UGX", []string{"UG"}},
	{"airtel_zm", "Airtel Zambia", "ZMW", []string{"ZM"}},
	{"djamo_ci", "Djamo CI", "XOF", []string{"CI"}},
	{"djamo_sn", "Djamo SN", "XOF", []string{"SN"}},
	{"e_money_sn", "E-Money Senegal", "XOF", []string{"SN"}},
	{"eu_mobile_cm", "EU Mobile Money Cameroon", "XAF", []string{"CM"}},
	{"freemoney_sn", "Free Money Senegal", "XOF", []string{"SN"}},
	{"halopesa_tz", "Halopesa", "TZS", []string{"TZ"}},
	{"moneroo_payout_demo", "Test Payout Method", "USD", []string{"US"}},
	{"moov_bj", "Moov Money Benin", "XOF", []string{"BJ"}},
	{"moov_ci", "Moov Money CI", "XOF", []string{"CI"}},
	{"moov_tg", "Moov Money Togo", "XOF", []string{"TG"}},
	{"mpesa_ke", "M-Pesa Kenya", "KES", []string{"KE"}},
	{"mpesa_tz", "Vodacom Tanzania", "TZS", []string{"TZ"}},
	{"mtn_bj", "MTN MoMo Benin", "XOF", []string{"BJ"}},
	{"mtn_ci", "MTN MoMo CI", "XOF", []string{"CI"}},
	{"mtn_cm", "MTN MoMo Cameroon", "XAF", []string{"CM"}},
	{"mtn_gh", "MTN MoMo Ghana", "GHS", []string{"GH"}},
	{"mtn_ng", "MTN Nigeria", "NGN", []string{"NG"}},
	{"mtn_rw", "MTN MoMo Rwanda", "RWF", []string{"RW"}},
	{"mtn_ug", "MTN MoMo Uganda", "UGX", []string{"UG"}},
	{"mtn_zm", "MTN MoMo Zambia", "ZMW", []string{"ZM"}},
	{"orange_cd", "Orange Congo", "CDF", []string{"CD"}},
	{"orange_ci", "Orange Money CI", "XOF", []string{"CI"}},
	{"orange_cm", "Orange Money Cameroon", "XAF", []string{"CM"}},
	{"orange_ml", "Orange Money Mali", "XOF", []string{"ML"}},
	{"orange_sn", "Orange Money Senegal", "XOF", []string{"SN"}},
	{"tigo_gh", "Airtel/Tigo Ghana", "GHS", []string{"GH"}},
	{"tigo_tz", "Tigo Tanzania", "TZS", []string{"TZ"}},
	{"tnm_mw", "TNM Mpamba Malawi", "MWK", []string{"MW"}},
	{"togocel", "Togocel Money", "XOF", []string{"TG"}},
	{"vodacom_cd", "Vodacom Congo", "CDF", []string{"CD"}},
	{"vodafone_gh", "Vodafone Ghana", "GHS", []string{"GH"}},
	{"wave_ci", "Wave CI", "XOF", []string{"CI"}},
	{"wave_sn", "Wave Senegal", "XOF", []string{"SN"}},
	{"zamtel_zm", "Zamtel Kwacha", "ZMW", []string{"ZM"}},
}

// Payout is a payout the simulator made, as a test reads it (Payouts).
type Payout struct {
	ID     string         // Moneroo's id (a UUID)
	Status string         // initiated, pending, success or failed
	Amount payments.Money // what was sent, in minor units
	Method string         // the payout method's short code
	// MSISDN and AccountNumber are the recipient's fields, as received.
	MSISDN, AccountNumber string
	// Description, Customer and Metadata are as the payout was made.
	Description string
	Customer    struct{ Email, FirstName, LastName string }
	Metadata    map[string]string
}

type payout struct {
	id, status       string
	amount           payments.Money
	method           method
	description      string
	customerID       string
	customer         customerIn
	metadata         map[string]string
	msisdn, account  string
	failure          string
	initiatedAt      time.Time
	pendingAt        time.Time
	successAt        time.Time
	failedAt         time.Time
	balanceDebited   bool
	disburseID, tref string
}

// number is where the payout goes: the MSISDN, or the account number.
func (p *payout) number() string {
	if p.msisdn != "" {
		return p.msisdn
	}
	return p.account
}

// SetBalance sets the app's payout balance in m's currency: a payout above
// it is refused (400, "Insufficient balance…") and makes nothing; each
// payout debits its amount (no fee: no source names one), and a failed one
// is credited back. A currency never set has no limit.
func (s *Server) SetBalance(m payments.Money) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.balances == nil {
		s.balances = map[string]int64{}
	}
	s.balances[m.Currency] = m.Amount
}

// Balance returns the payout balance in currency, and whether one was set.
func (s *Server) Balance(currency string) (payments.Money, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.balances[currency]
	return payments.Money{Amount: b, Currency: currency}, ok
}

// Payouts returns the payouts made so far, oldest first.
func (s *Server) Payouts() []Payout {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Payout, 0, len(s.payoutOrder))
	for _, id := range s.payoutOrder {
		p := s.payouts[id]
		x := Payout{ID: p.id, Status: p.status, Amount: p.amount, Method: p.method.Code, MSISDN: p.msisdn,
			AccountNumber: p.account, Description: p.description, Metadata: map[string]string{}}
		x.Customer.Email, x.Customer.FirstName, x.Customer.LastName = p.customer.Email, p.customer.FirstName, p.customer.LastName
		for k, v := range p.metadata {
			x.Metadata[k] = v
		}
		out = append(out, x)
	}
	return out
}

// SetPayoutsPending makes every new payout stay pending (on is true), as a
// slow gateway would, until SettlePayout ends it; false returns to the
// test numbers' outcomes.
func (s *Server) SetPayoutsPending(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.payoutsPending = on
}

// SettlePayout ends a pending payout (one sent to PayoutPending, or made
// under SetPayoutsPending), as its gateway would: status is "success" or "failed". The payout.* webhook
// goes out.
func (s *Server) SettlePayout(id, status string) error {
	if status != statusSuccess && status != statusFailed {
		return fmt.Errorf("monerootest: a payout ends in success or failed, not %q", status)
	}
	s.mu.Lock()
	p, ok := s.payouts[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("monerootest: no payout %q", id)
	}
	if p.status == statusSuccess || p.status == statusFailed {
		s.mu.Unlock()
		return fmt.Errorf("monerootest: payout %q is already %s", id, p.status)
	}
	s.finishPayout(p, status, "The gateway failed the payout (simulator)")
	body, target := payoutWebhookBody(p), s.webhookURL
	s.mu.Unlock()
	s.deliverPayout(target, id, body)
	return nil
}

// PayoutWebhook returns the signed delivery Moneroo would send about payout
// id in its current state.
func (s *Server) PayoutWebhook(id string) (http.Header, []byte, error) {
	s.mu.Lock()
	p, ok := s.payouts[id]
	var body []byte
	if ok {
		body = payoutWebhookBody(p)
	}
	s.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("monerootest: no payout %q", id)
	}
	return paymentstest.SignMoneroo(WebhookSecret, body), body, nil
}

// finishPayout moves p to its final status; s.mu is held.
func (s *Server) finishPayout(p *payout, status, failure string) {
	now := time.Now().UTC()
	p.status = status
	if status == statusSuccess {
		p.successAt = now
		return
	}
	p.failedAt, p.failure = now, failure
	if p.balanceDebited {
		s.balances[p.amount.Currency] += p.amount.Amount
		p.balanceDebited = false
	}
}

// initializePayout handles POST /v1/payouts/initialize.
func (s *Server) initializePayout(w http.ResponseWriter, r *http.Request) {
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
	p := &payout{}
	currency := v.str(body, "currency", true)
	p.amount = v.amount(body["amount"], currency, false)
	p.description = v.str(body, "description", true)
	v.max("description", p.description, moneroo.MaxDescription)
	p.customer = v.customer(body["customer"])
	p.metadata = v.metadata(body["metadata"])
	code := v.str(body, "method", true)
	m, known := findPayoutMethod(code)
	switch {
	case code != "" && !known:
		v.add("method", "The selected method is invalid.")
	case known && currency != "" && currency != m.Currency:
		v.add("currency", "The currency must be "+m.Currency+" for the "+code+" method.")
	case currency != "" && !payoutCurrency(currency):
		v.add("currency", "The selected currency is invalid.")
	}
	p.method = m
	recipient := map[string]json.RawMessage{}
	if rr, ok := body["recipient"]; ok && string(rr) != "null" {
		if json.Unmarshal(rr, &recipient) != nil {
			v.add("recipient", "The recipient field must be an object.")
		}
	}
	if code == moneroo.DemoPayoutMethod {
		// The docs put account_number under recipient, the Laravel SDK's
		// test at the top level: both are read.
		field, raw := "recipient.account_number", recipient["account_number"]
		if top, ok := body["account_number"]; raw == nil && ok {
			field, raw = "account_number", top
		}
		p.account = v.digits(raw, field, 1, 32)
	} else if known {
		p.msisdn = v.digits(recipient["msisdn"], "recipient.msisdn", 8, 15)
	}
	if len(v.errs) > 0 {
		writeError(w, http.StatusUnprocessableEntity, v.message(), v.errs)
		return
	}

	s.mu.Lock()
	if b, limited := s.balances[p.amount.Currency]; limited && p.amount.Amount > b {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, "Insufficient balance to initiate this payout.", nil)
		return
	}
	if _, limited := s.balances[p.amount.Currency]; limited {
		s.balances[p.amount.Currency] -= p.amount.Amount
		p.balanceDebited = true
	}
	p.id = newUUID()
	p.customerID = simkit.NewID("", 12)
	p.disburseID, p.tref = simkit.NewID("", 12), newUUID()
	p.status = statusInitiated
	p.initiatedAt = time.Now().UTC()
	if s.payouts == nil {
		s.payouts = map[string]*payout{}
	}
	s.payouts[p.id] = p
	s.payoutOrder = append(s.payoutOrder, p.id)
	initiated, target := payoutWebhookBody(p), s.webhookURL
	// The gateway takes it at once: the test number decides what follows.
	p.status, p.pendingAt = statusPending, time.Now().UTC()
	switch n := p.number(); {
	case s.payoutsPending, strings.HasSuffix(n, PayoutPending):
	case strings.HasSuffix(n, PayoutFailed):
		s.finishPayout(p, statusFailed, "This is a failed test payout, you do not use valid test phone number.")
	default:
		s.finishPayout(p, statusSuccess, "")
	}
	var settled []byte
	if p.status != statusPending { // Moneroo has no payout.pending event
		settled = payoutWebhookBody(p)
	}
	id := p.id
	s.mu.Unlock()
	s.deliverPayout(target, id, initiated)
	if settled != nil {
		s.deliverPayout(target, id, settled)
	}
	simkit.WriteJSON(w, http.StatusCreated, map[string]any{
		"success": true, "message": "Payout transaction initialized successfully", "data": map[string]string{"id": id},
	})
}

// digits reads a field of digits, sent as a string or a JSON integer (the
// docs type MSISDNs as integers), of min to max digits.
func (v *validator) digits(raw json.RawMessage, field string, min, max int) string {
	if len(raw) == 0 || string(raw) == "null" {
		v.add(field, "The "+label(field)+" field is required.")
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			v.add(field, "The "+label(field)+" field must be a string.")
			return ""
		}
		s = n.String()
	}
	ok := len(s) >= min && len(s) <= max
	for i := 0; i < len(s) && ok; i++ {
		ok = s[i] >= '0' && s[i] <= '9'
	}
	if !ok {
		v.add(field, fmt.Sprintf("The %s field must be a valid phone number in international format (%d to %d digits, no +).", label(field), min, max))
	}
	return s
}

func (s *Server) lookupPayout(w http.ResponseWriter, r *http.Request) (*payout, bool) {
	p, ok := s.payouts[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, "Payout transaction not found.", nil)
	}
	return p, ok
}

// verifyPayout handles GET /v1/payouts/{id}/verify: the docs' verify
// example's shape.
func (s *Server) verifyPayout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupPayout(w, r)
	if !ok {
		return
	}
	gatewayStatus := "test_" + p.status
	simkit.WriteJSON(w, http.StatusOK, envelope{Message: "Payout transaction fetched successfully!", Data: map[string]any{
		"id": p.id, "status": p.status, "amount": major(p.amount, ""),
		"currency": currencyObject(p.amount.Currency), "amount_formatted": formattedMoney(p.amount),
		"description": p.description, "environment": "sandbox", "metadata": metadataJSON(p.metadata),
		"app":      appObject(),
		"customer": customerJSON(p.customerID, p.customer, p.initiatedAt, p.initiatedAt),
		"disburse": map[string]any{
			"id": p.disburseID, "identifier": "pd_" + p.disburseID,
			"failure_message": nullable(p.failure), "failure_error_code": nil, "failure_error_type": nil,
			"method": map[string]any{
				"id": "sim_" + p.method.Code, "name": p.method.Name, "short_code": p.method.Code,
				"icon_url": "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg",
			},
			"gateway": map[string]any{
				"id": "sim_payout_gateway", "account_name": "Moneroo Test Payout Gateway",
				"name": "Test Payout Gateway (Sandbox)", "short_code": "moneroo_payout_test",
				"icon_url":       "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg",
				"transaction_id": p.tref, "transaction_status": gatewayStatus,
				"transaction_failure_message": nullable(p.failure),
			},
		},
		"failed_at": stamp(p.failedAt), "pending_at": stamp(p.pendingAt), "success_at": stamp(p.successAt),
	}})
}

// retrievePayout handles GET /v1/payouts/{id}: the docs' retrieve
// example's shape (a copy of the payment retrieve example with
// payout_phone_number). A payout has no return URL and no payer's browser:
// return_url and context are null.
func (s *Server) retrievePayout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupPayout(w, r)
	if !ok {
		return
	}
	cust := customerJSON(p.customerID, p.customer, p.initiatedAt, p.initiatedAt)
	delete(cust, "profile_url")
	cust["environment"] = "sandbox"
	simkit.WriteJSON(w, http.StatusOK, map[string]any{"message": "Payout transaction fetched successfully", "data": map[string]any{
		"id": p.id, "status": p.status, "is_processed": p.status == statusSuccess, "processed_at": stamp(p.successAt),
		"amount": major(p.amount, ".0"), "currency": p.amount.Currency, "amount_formatted": formattedMoney(p.amount),
		"description": p.description, "return_url": nil, "environment": "sandbox",
		"initiated_at": stamp(p.initiatedAt), "payout_phone_number": nullable(p.number()),
		"app": map[string]any{
			"id": "01HSIMULATORAPP00000000000", "name": "Simulated shop",
			"icon_url": "https://assets.cdn.moneroo.io/samples/business.svg",
		},
		"customer": cust,
		"method": map[string]any{
			"name": p.method.Name, "code": p.method.Code, "environment": "sandbox",
			"icon_url": "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg",
		},
		"gateway": map[string]any{
			"name": "Test Payout Gateway (Sandbox)", "account_name": "Moneroo Test Payout Gateway",
			"code": "moneroo_payout_test", "icon_url": "https://assets.cdn.moneroo.io/icons/circle/moneroo.svg",
			"environment": "sandbox",
		},
		"metadata": metadataJSON(p.metadata),
		"context":  nil,
	}})
}

// payoutWebhookBody is the webhook Moneroo sends about p in its current
// state: the docs' webhook structure with the payout's id, amount,
// currency and status. Like Moneroo's, it is partial (no metadata): the
// merchant reads the payout.
func payoutWebhookBody(p *payout) []byte {
	b, _ := json.Marshal(map[string]any{
		"event": "payout." + p.status,
		"data": map[string]any{
			"id": p.id, "amount": major(p.amount, ""), "currency": p.amount.Currency, "status": p.status,
		},
	})
	return b
}

// deliverPayout sends a payout webhook, without s.mu held.
func (s *Server) deliverPayout(target, id string, body []byte) {
	if target == "" {
		return
	}
	var ev struct{ Event string }
	_ = json.Unmarshal(body, &ev)
	status, err := simkit.Deliver(context.Background(), target, paymentstest.SignMoneroo(WebhookSecret, body), body)
	s.mu.Lock()
	s.deliveries = append(s.deliveries, Delivery{Event: ev.Event, PayoutID: id, Status: status, Err: err})
	s.mu.Unlock()
}

func findPayoutMethod(code string) (method, bool) {
	for _, m := range payoutCatalogue {
		if m.Code == code {
			return m, true
		}
	}
	return method{}, false
}

func payoutCurrency(currency string) bool {
	for _, m := range payoutCatalogue {
		if m.Currency == currency {
			return true
		}
	}
	return false
}

// formattedMoney is m as Moneroo prints it: "XOF 200".
func formattedMoney(m payments.Money) string { return m.Currency + " " + string(major(m, "")) }

// newUUID returns a random UUID (version 4), the shape of Moneroo's payout
// ids.
func newUUID() string {
	const hexdigits = "0123456789abcdef"
	id := []byte(simkit.NewID("", 32))
	for i, c := range id {
		id[i] = hexdigits[int(c)%16]
	}
	id[12] = '4'
	return string(id[:8]) + "-" + string(id[8:12]) + "-" + string(id[12:16]) + "-" + string(id[16:20]) + "-" + string(id[20:])
}
