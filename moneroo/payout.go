package moneroo

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// This file is Moneroo's Payout API (https://docs.moneroo.io/payouts):
// send money to a mobile-money account, then read the payout's state. It
// is the only way Moneroo gives money back; Refund builds on it when
// Config.RefundByPayout is set.

// PayoutRequest is the body of POST /v1/payouts/initialize, as
// InitializePayout sends it. Its field names are the Go paths its errors
// name ("Customer.Email", "Recipient.MSISDN").
type PayoutRequest struct {
	// Amount is a whole number of the currency's major units: 1000 with
	// XOF is 1000 F CFA, 5 with USD is 5.00 USD. Moneroo types it as an
	// integer. Required, positive.
	Amount int64 `json:"amount"`
	// Currency is the ISO 4217 code of the method's currency (see
	// PayoutMethods). Required.
	Currency string `json:"currency"`
	// Description says what the payout is for ("Refund of order 1042").
	// Required, at most MaxDescription characters.
	Description string `json:"description"`
	// Customer is who receives the money: Email, FirstName and LastName
	// are required.
	Customer CustomerInput `json:"customer"`
	// Metadata is kept with the payout and returned when it is read: at
	// most MaxMetadataEntries string values.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Method is the payout method's short code ("mtn_bj", "wave_sn"; see
	// PayoutMethods). Required.
	Method string `json:"method"`
	// Recipient holds the method's own fields: the MSISDN for mobile money,
	// the account number for DemoPayoutMethod.
	Recipient Recipient `json:"recipient"`
}

// Recipient is where a payout goes: the fields its method requires
// (https://docs.moneroo.io/payouts/available-methods, "Required fields").
type Recipient struct {
	// MSISDN is the mobile-money account's number in international form
	// without "+": "22951345020" (Benin, +229). Every documented method
	// but DemoPayoutMethod requires it. The docs type it as an integer but
	// their example sends a string; it is sent as a string.
	MSISDN string `json:"msisdn,omitempty"`
	// AccountNumber is DemoPayoutMethod's field: one of the sandbox's test
	// numbers (4149518161 succeeds, 4149518162 fails, 4149518163 stays
	// pending). The docs put it under recipient, the official Laravel
	// SDK's test at the top level of the body; it is sent under recipient.
	AccountNumber string `json:"account_number,omitempty"`
}

// PayoutInitialized is the data of the answer to InitializePayout.
type PayoutInitialized struct {
	// ID is the new payout's id (a UUID in the docs' example): keep it, and
	// read the payout's state with VerifyPayout.
	ID string `json:"id"`
	// Raw is the whole answer, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// Payout is a payout as Moneroo describes it (VerifyPayout and
// RetrievePayout). The fields the library knows are declared; Raw keeps
// the rest. Verify answers put the method and gateway under Disburse;
// retrieve answers, in the docs' example, at the top level.
type Payout struct {
	// ID is the payout's id.
	ID string `json:"id"`
	// Status is Moneroo's state: initiated (queued), pending (sent to the
	// gateway, waiting for its answer), success or failed, the last two
	// final. PayoutStatus maps it.
	Status string `json:"status"`
	// Amount is the amount in major units, as sent ("500", "100.0");
	// payments.ParseMajor reads it exactly.
	Amount Amount `json:"amount"`
	// AmountFormatted is the amount as Moneroo prints it ("$ 500.00").
	AmountFormatted string `json:"amount_formatted"`
	// Currency is the ISO 4217 code of Amount.
	Currency Currency `json:"currency"`
	// Description is the description the payout was made with.
	Description string `json:"description"`
	// Environment is "sandbox", or "live" or "production" for a live
	// payout.
	Environment string `json:"environment"`
	// Metadata is the payout's metadata ([] in the docs' example when
	// empty). A refund by payout carries PaymentMetadataKey and
	// RefundMetadataKey in it.
	Metadata Metadata `json:"metadata"`
	// Customer is who receives the money.
	Customer *Customer `json:"customer"`
	// Disburse is how the money was sent: the method, the gateway and the
	// failure, if any (verify answers).
	Disburse *Disburse `json:"disburse"`
	// Method is the payout method, where the answer has it at the top
	// level (retrieve).
	Method *Ref `json:"method"`
	// Gateway is the gateway, where the answer has it at the top level
	// (retrieve).
	Gateway *Ref `json:"gateway"`
	// PayoutPhoneNumber is the number paid, where the answer has it
	// (retrieve).
	PayoutPhoneNumber String `json:"payout_phone_number"`
	// PendingAt, SuccessAt and FailedAt are when the payout reached each
	// state, or zero.
	PendingAt Timestamp `json:"pending_at"`
	SuccessAt Timestamp `json:"success_at"`
	FailedAt  Timestamp `json:"failed_at"`
	// Raw is the whole answer, scrubbed of secrets.
	Raw json.RawMessage `json:"-"`
}

// Disburse is how a payout was (or was not) sent.
type Disburse struct {
	// ID is Moneroo's id for the disbursement.
	ID String `json:"id"`
	// Identifier is the disbursement's reference at Moneroo ("pd_…").
	Identifier String `json:"identifier"`
	// FailureMessage says why the payout failed, if it did.
	FailureMessage String `json:"failure_message"`
	// FailureErrorCode is Moneroo's code for the failure, if any.
	FailureErrorCode String `json:"failure_error_code"`
	// FailureErrorType is the kind of failure, as Moneroo names it.
	FailureErrorType String `json:"failure_error_type"`
	// Method is the payout method used.
	Method *Ref `json:"method"`
	// Gateway is the gateway that sent the money, with its own
	// transaction id, status and failure message.
	Gateway *Ref `json:"gateway"`
}

func (p *Payout) idStatus() (string, string) { return p.ID, p.Status }

// PayoutStatus returns p's state as a payments.Status: initiated is
// pending, pending is processing, success succeeded, failed failed,
// anything else unknown.
func (p *Payout) PayoutStatus() payments.Status { return mapStatus(p.Status) }

// MethodCode returns the payout method's short code, from Disburse or the
// top level.
func (p *Payout) MethodCode() string {
	if p.Disburse != nil {
		if k := p.Disburse.Method.Key(); k != "" {
			return k
		}
	}
	return p.Method.Key()
}

// FailureReason returns why the payout failed, as Moneroo or its gateway
// said, or "".
func (p *Payout) FailureReason() string {
	if p.Disburse == nil {
		return ""
	}
	if m := string(p.Disburse.FailureMessage); m != "" {
		return m
	}
	if p.Disburse.Gateway != nil {
		return string(p.Disburse.Gateway.TransactionFailureMessage)
	}
	return ""
}

// Money returns p's amount as payments.Money, read exactly, or an error
// when the answer has no amount or currency or an amount with more
// decimals than its currency.
func (p *Payout) Money() (payments.Money, error) {
	return readMoney(p.Amount, p.Currency, "payout")
}

// readMoney reads a major-unit amount of currency exactly.
func readMoney(a Amount, c Currency, what string) (payments.Money, error) {
	switch {
	case c == "":
		return payments.Money{}, malformed("the " + what + " has no currency")
	case a == "":
		return payments.Money{}, malformed("the " + what + " has no amount")
	}
	m, err := payments.ParseMajor(string(a), string(c))
	if err != nil {
		return payments.Money{}, malformed("the " + what + "'s amount " + string(a) + " " + string(c) + " cannot be read exactly")
	}
	return m, nil
}

// malformed is a reading error whose text explains itself.
type malformed string

func (m malformed) Error() string { return string(m) }

// The routes of the payout reads, for observers.
const (
	routePayoutVerify   = pathPayouts + "{payoutId}/verify"
	routePayoutRetrieve = pathPayouts + "{payoutId}"
)

// InitializePayout sends money to a mobile-money account:
// POST /v1/payouts/initialize. It sends in as it is (amount in whole major
// units) and returns the payout's id; the payout then goes from initiated
// to pending to success or failed (VerifyPayout, and the payout.* webhooks).
//
// Before sending, it refuses with ErrInvalidRequest, naming the field by
// its Go path in PayoutRequest: a non-positive amount, a currency no payout
// method takes, no description or one longer than MaxDescription
// characters, a method that is no short code, a customer without email,
// first or last name (or with names, city, state or zip longer than
// MaxName, an address longer than MaxAddress), more than
// MaxMetadataEntries metadata entries, no Recipient.MSISDN (except for
// DemoPayoutMethod, which takes Recipient.AccountNumber), an MSISDN that is
// not 8 to 15 digits without "+", an account number that is not digits.
//
// Moneroo takes no idempotency key: a payout is never sent twice by the
// client, except when it surely never reached Moneroo (a refused
// connection, a 429). When it fails otherwise (ErrUnavailable, or an answer
// that cannot be read), Moneroo may have made it: look for it by its
// metadata in the dashboard before sending another.
func (c *Client) InitializePayout(ctx context.Context, in *PayoutRequest) (*PayoutInitialized, error) {
	const op = "initialize payout"
	if in == nil {
		return nil, &payments.Error{Provider: payments.Moneroo, Op: op, Kind: payments.ErrInvalidRequest, NotSent: true,
			Message: "no PayoutRequest"}
	}
	if err := in.check().Err(payments.Moneroo, op); err != nil {
		return nil, err
	}
	out, err := c.initializePayout(ctx, in)
	if err != nil {
		mapFields(err, payoutField)
		return nil, err
	}
	return out, nil
}

// initializePayout sends a checked PayoutRequest and checks that the
// answer names the payout by an id fit for a URL path.
func (c *Client) initializePayout(ctx context.Context, in *PayoutRequest) (*PayoutInitialized, error) {
	const op = "initialize payout"
	var out envelope[PayoutInitialized]
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: pathPayoutInitialize, JSON: in,
		Check: func(resp *httpx.Response) error {
			switch id := out.Data.ID; {
			case id == "":
				return c.http.Malformed(op, resp, "Moneroo answered without a payout id: the payout may have been made", nil)
			case check.PaymentID(payments.Moneroo, op, id) != nil:
				return c.http.Malformed(op, resp, "Moneroo answered with a payout id that is not one: "+strconv.Quote(check.Quote(id))+"; the payout may have been made", nil)
			}
			return nil
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	out.Data.Raw = resp.Raw
	return &out.Data, nil
}

// VerifyPayout asks Moneroo for a payout's current state:
// GET /v1/payouts/{id}/verify. An id that cannot be one is refused before
// sending, on "PayoutID"; an answer about another payout is an ErrIntegrity
// error, one without an id or a status ErrMalformedResponse.
func (c *Client) VerifyPayout(ctx context.Context, payoutID string) (*Payout, error) {
	p, raw, err := read[Payout](ctx, c, "verify payout", "payout", pathPayouts, payoutID, "/verify", routePayoutVerify)
	if err != nil {
		return nil, err
	}
	p.Raw = raw
	return p, nil
}

// RetrievePayout reads a payout: GET /v1/payouts/{id}, with VerifyPayout's
// checks.
func (c *Client) RetrievePayout(ctx context.Context, payoutID string) (*Payout, error) {
	p, raw, err := read[Payout](ctx, c, "retrieve payout", "payout", pathPayouts, payoutID, "", routePayoutRetrieve)
	if err != nil {
		return nil, err
	}
	p.Raw = raw
	return p, nil
}
