package moneroo

import "github.com/unipay/payments"

// mapStatus maps Moneroo's payment (and payout) states onto payments.Status.
// The raw state is always kept in Payment.ProviderStatus.
func mapStatus(s string) payments.Status {
	switch s {
	case "initiated": // waiting for the payer on the checkout page
		return payments.StatusPending
	case "pending": // the payer started paying; the operator has not confirmed
		return payments.StatusProcessing
	case "success":
		return payments.StatusSucceeded
	case "failed":
		return payments.StatusFailed
	case "cancelled": // cancelled by the payer, or abandoned on the checkout page
		return payments.StatusCanceled
	default:
		return payments.StatusUnknown
	}
}

// PaymentStatus returns t's Moneroo state as a payments.Status, as Verify
// maps it: initiated is pending, pending is processing, success succeeded,
// failed failed, cancelled canceled, anything else unknown.
func (t *Transaction) PaymentStatus() payments.Status { return mapStatus(t.Status) }

func (t *Transaction) idStatus() (string, string) { return t.ID, t.Status }
