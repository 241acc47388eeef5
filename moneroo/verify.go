package moneroo

import (
	"errors"

	"github.com/unipay/payments"
)

// verified is the part of a verify answer that Verify reads: a Transaction
// without the payer, the gateways and the texts Verify does not return
// (Payment.Raw keeps them), so that Verify decodes no more than a
// hand-written client would.
type verified struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	Amount      Amount    `json:"amount"`
	Currency    Currency  `json:"currency"`
	Environment string    `json:"environment"`
	InitiatedAt Timestamp `json:"initiated_at"`
	CreatedAt   Timestamp `json:"created_at"`
	ProcessedAt Timestamp `json:"processed_at"`
	Metadata    Metadata  `json:"metadata"`
	Method      Ref       `json:"method"`
	Capture     struct {
		FailureMessage   String `json:"failure_message"`
		FailureErrorCode String `json:"failure_error_code"`
		Method           Ref    `json:"method"`
		Gateway          struct {
			TransactionFailureMessage String `json:"transaction_failure_message"`
		} `json:"gateway"`
	} `json:"capture"`
}

func (v *verified) idStatus() (string, string) { return v.ID, v.Status }

// payment converts v to a payments.Payment whose Raw is raw. It takes v's
// metadata map, without the library's reference key.
func (v *verified) payment(raw []byte) (*payments.Payment, error) {
	currency := string(v.Currency)
	if currency == "" {
		return nil, errors.New("the payment has no currency")
	}
	if v.Amount == "" {
		return nil, errors.New("the payment has no amount")
	}
	amount, err := payments.ParseMajor(string(v.Amount), currency)
	if err != nil {
		return nil, errors.New("the payment's amount " + string(v.Amount) + " " + currency + " cannot be read exactly")
	}
	p := &payments.Payment{
		Provider:       payments.Moneroo,
		ID:             v.ID,
		Status:         mapStatus(v.Status),
		ProviderStatus: v.Status,
		Amount:         amount,
		CreatedAt:      v.CreatedAt.Time,
		UpdatedAt:      v.ProcessedAt.Time,
		Method:         v.Method.Key(),
		FailureCode:    string(v.Capture.FailureErrorCode),
		FailureMessage: string(v.Capture.FailureMessage),
		Raw:            raw,
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = v.InitiatedAt.Time
	}
	if k := v.Capture.Method.Key(); k != "" {
		p.Method = k
	}
	if p.FailureMessage == "" {
		p.FailureMessage = string(v.Capture.Gateway.TransactionFailureMessage)
	}
	if len(v.Metadata) > 0 {
		p.Reference = v.Metadata[ReferenceMetadataKey]
		delete(v.Metadata, ReferenceMetadataKey)
		p.Metadata = v.Metadata
	}
	return p, nil
}
