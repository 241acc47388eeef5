package hub2

import (
	"encoding/json"
	"time"
)

// This file declares the JSON shapes of Hub2's transfers (payouts): the body
// of POST /transfers and the Transfer its answers and reads carry. Nothing
// here does I/O.

// TransferStatus is a transfer's status as Hub2 reports it. It is an open
// set: a value not listed here is kept as it came.
type TransferStatus string

// The transfer statuses Hub2 documents or is seen to send: a new transfer
// is created, then pending or processing, and ends successful or failed.
const (
	TransferCreated    TransferStatus = "created"    // accepted, not yet sent to the operator
	TransferPending    TransferStatus = "pending"    // waiting on the operator
	TransferProcessing TransferStatus = "processing" // the operator is working on it
	TransferSuccessful TransferStatus = "successful" // the money reached the recipient
	TransferFailed     TransferStatus = "failed"     // no money moved: see Transfer.Failure
)

// Final reports whether the transfer's outcome is settled.
func (s TransferStatus) Final() bool { return s == TransferSuccessful || s == TransferFailed }

// DestinationMobileMoney is the type of a mobile-money destination, the only
// one TransferRequest takes (Hub2 also has bank transfers, not wrapped).
const DestinationMobileMoney = "mobile_money"

// TransferRequest is the body of POST /transfers (Client.CreateTransfer): a
// payout from the merchant's Hub2 transfer account to a mobile-money
// account.
type TransferRequest struct {
	// Reference is the merchant's own reference for the transfer
	// (required): letters, digits, '-', '_', '.' and space only, as Hub2
	// checks, at most MaxReference of them. Hub2 does not make it unique;
	// ListTransfers finds a transfer by it.
	Reference string `json:"reference"`
	// Amount is what the recipient receives, in whole francs (Hub2's fees
	// come on top, from the transfer account).
	Amount Amount `json:"amount"`
	// Currency is XOF, XAF or GNF: the destination country's.
	Currency string `json:"currency"`
	// Description is shown with the transfer (required; at most
	// check.MaxDescription bytes of text, lines allowed).
	Description string `json:"description"`
	// Destination is the mobile-money account the money goes to.
	Destination TransferDestination `json:"destination"`
	// Sender describes who sends the money, for the merchants Hub2 asks it
	// of: a JSON object as Hub2's reference describes it (its fields are
	// not in the sources this library was built from), sent as is.
	// Optional.
	Sender json.RawMessage `json:"sender,omitempty"`
	// OverrideBusinessName is the name shown to the recipient instead of
	// the merchant's, for aggregators that have the setting (at most
	// MaxBusinessName bytes; optional).
	OverrideBusinessName string `json:"overrideBusinessName,omitempty"`
}

// TransferDestination is where a transfer sends the money: a mobile-money
// account, named by its operator and its number.
type TransferDestination struct {
	// Type is DestinationMobileMoney ("mobile_money").
	Type string `json:"type"`
	// Country is the ISO 3166-1 alpha-2 code of the operator, such as CI.
	Country string `json:"country"`
	// RecipientName is the account holder's name, as the operator knows it
	// (at most MaxRecipientName bytes).
	RecipientName string `json:"recipientName"`
	// MSISDN is the recipient's number in international form: "+", the
	// country's calling code, then the number ("+2250700000000"). A pay-in
	// attempt takes the local form; a transfer does not.
	MSISDN string `json:"msisdn"`
	// Provider is Hub2's code of the operator, lowercase: orange, mtn,
	// moov, wave…
	Provider string `json:"provider"`
}

// Transfer is a transfer as Hub2 returns it (POST /transfers, GET
// /transfers/{id}, GET /transfers, transfer.* webhooks).
type Transfer struct {
	// ID is the transfer's id, "tr_…": what GetTransfer and TransferStatus
	// take, and what Hub2's support asks for.
	ID string `json:"id"`
	// MerchantID is the merchant's id at Hub2.
	MerchantID string `json:"merchantId,omitempty"`
	// CreatedAt is when Hub2 created the transfer (UTC).
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when it last changed (UTC).
	UpdatedAt time.Time `json:"updatedAt"`
	// Reference is the merchant's reference, as sent.
	Reference string `json:"reference"`
	// Description is the description, as sent.
	Description string `json:"description,omitempty"`
	// Destination is where the money goes; Hub2 echoes the number masked
	// (Destination.Number), not the MSISDN sent.
	Destination Destination `json:"destination"`
	// Fees are what Hub2 charges for the transfer, on top of its amount.
	// Sandbox answers may carry none.
	Fees []TransferFee `json:"fees,omitempty"`
	// Mode is "sandbox" or "live".
	Mode string `json:"mode,omitempty"`
	// Amount is what the recipient receives, in whole francs.
	Amount Amount `json:"amount"`
	// Currency is XOF, XAF or GNF.
	Currency string `json:"currency"`
	// Status is created, pending, processing, successful or failed (an
	// open set).
	Status TransferStatus `json:"status"`
	// Failure says why a failed transfer failed (a code such as
	// insufficient_funds or invalid_destination); nil otherwise.
	Failure *Failure `json:"failure,omitempty"`

	raw []byte // the body it was read from, secrets removed
}

// Raw returns the answer the transfer was read from, secrets removed; nil
// for a transfer decoded by the caller.
func (t *Transfer) Raw() json.RawMessage { return t.raw }

// Destination is a transfer's destination as Hub2 echoes it.
type Destination struct {
	// Type is mobile_money (or bank_transfer for a bank payout).
	Type string `json:"type"`
	// Country is the ISO 3166-1 alpha-2 code of the operator.
	Country string `json:"country,omitempty"`
	// Provider is Hub2's code of the operator, such as orange.
	Provider string `json:"provider,omitempty"`
	// Number is the recipient's number as Hub2 shows it: masked to its
	// last digits in live mode ("3958"), whole in a sandbox capture.
	Number string `json:"number,omitempty"`
	// RecipientName is the recipient's name, when Hub2 echoes it.
	RecipientName string `json:"recipientName,omitempty"`
}

// TransferFee is one fee Hub2 charges on a transfer. Its kind is in Type
// (where a payment's Fee has RateType), as a live capture shows.
type TransferFee struct {
	// ID is the fee's id, "fee_…".
	ID string `json:"id"`
	// Rate is the fee's rate as Hub2 sent it: an amount for a flat fee, a
	// percentage for a percent one.
	Rate json.Number `json:"rate,omitempty"`
	// Type is "flat" or "percent".
	Type string `json:"type,omitempty"`
	// Amount is the fee, in whole francs.
	Amount Amount `json:"amount"`
	// Currency is the fee's currency.
	Currency string `json:"currency"`
}

// TransferQuery selects the transfers of GET /transfers
// (Client.ListTransfers).
type TransferQuery struct {
	// From and To bound when the transfers were created (both required;
	// sent in UTC with milliseconds, as Hub2's guide shows them).
	From, To time.Time
	// Reference, when set, asks Hub2 for the transfers with this
	// reference only. The client also keeps only those itself, should
	// Hub2 ignore the filter.
	Reference string
	// Page is the page to read, from 1; 0 sends none (the first).
	Page int
	// PerPage is how many transfers a page holds; 0 sends none (Hub2's
	// default).
	PerPage int
}

// TransferList is one page of GET /transfers, newest first as Hub2 sorts
// them.
type TransferList struct {
	// Transfers are the page's transfers (those with the query's
	// Reference only, when it has one).
	Transfers []Transfer
	// Listed is how many transfers the page held before the client kept
	// those with the Reference (len(Transfers) without one).
	Listed int
	// First is the position, from 0, of the page's first transfer in the
	// whole result, and Total the result's size, as Hub2's Content-Range
	// header says ("0-99/2453"); both -1 when the answer has no such header.
	First, Total int
}

// transferEnvelope is a transfer.* webhook delivery's body.
type transferEnvelope struct {
	Type string   `json:"type"`
	Data Transfer `json:"data"`
}
