package hero

import "github.com/unipay/payments"

// status maps what getPaymentsInfos says of a payment onto payments.Status.
// Hero has no status field: it says whether the payment was finalised
// (isSuccess), why not (error) and how much is refunded or being refunded.
//
//   - paid, with refunds (done or pending) covering the whole amount: refunded
//   - paid, with some refunded or being refunded: partially refunded
//   - paid: succeeded
//   - not paid, error PAYMENT_NOT_INITIATED or none: pending (the customer
//     has not paid yet and may still)
//   - not paid, any other error: failed. Hero's rule is that an order whose
//     payment has an error must not be validated, and the customer told the
//     payment failed.
//
// Anything inconsistent (negative amounts, refunds of an unpaid payment,
// isSuccess together with an error) is StatusUnknown: ask again, or read
// Payment.Raw.
func status(p *PaymentInfo) payments.Status {
	back := p.RefundedAmount + p.PendingRefundAmount
	switch {
	case p.InitialAmount <= 0 || p.RefundedAmount < 0 || p.PendingRefundAmount < 0 || back > p.InitialAmount:
		return payments.StatusUnknown
	case p.IsSuccess && p.Error != "":
		return payments.StatusUnknown
	case p.IsSuccess && back == p.InitialAmount:
		return payments.StatusRefunded
	case p.IsSuccess && back > 0:
		return payments.StatusPartiallyRefunded
	case p.IsSuccess:
		return payments.StatusSucceeded
	case back > 0:
		return payments.StatusUnknown
	case p.Error == "" || p.Error == CodePaymentNotInitiated:
		return payments.StatusPending
	case p.Error != "":
		return payments.StatusFailed
	default:
		return payments.StatusUnknown
	}
}

// providerStatus is Payment.ProviderStatus: Hero's own fields, since it has
// no status of its own.
func providerStatus(p *PaymentInfo) string {
	if p.IsSuccess {
		if p.Error != "" {
			return "isSuccess=true error=" + p.Error
		}
		return "isSuccess=true"
	}
	if p.Error != "" {
		return "isSuccess=false error=" + p.Error
	}
	return "isSuccess=false"
}
