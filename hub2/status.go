package hub2

import "github.com/unipay/payments"

// intentStatus maps a Hub2 status onto payments.Status. PaymentIntents and
// their payment attempts share most words, so one switch serves both; the
// raw string is kept in Payment.ProviderStatus by the callers.
func intentStatus[S ~string](s S) payments.Status {
	switch string(s) {
	case "payment_required":
		// An intent with no attempt yet: the customer has not paid.
		return payments.StatusPending
	case "created", "pending", "processing":
		// An attempt submitted and on its way to the provider.
		return payments.StatusProcessing
	case "action_required":
		return payments.StatusActionRequired
	case "successful":
		return payments.StatusSucceeded
	case "failed":
		// The attempt failed and no money moved. Hub2 lets a new attempt be
		// made on the same intent, which moves it back to processing.
		return payments.StatusFailed
	case "canceled":
		// In the reference's enum of an intent's status (GET
		// /payment-intents/{id}/status); when Hub2 sets it is not
		// documented. No money moved.
		return payments.StatusCanceled
	default:
		return payments.StatusUnknown
	}
}

// pollable reports whether Hub2 allows polling an intent in status s: only
// while it is being processed or waits for the customer. Polling
// payment_required, successful or failed intents gets the caller's IP
// throttled or banned.
func pollable(s payments.Status) bool {
	return s == payments.StatusProcessing || s == payments.StatusActionRequired
}

// refundState maps a transfer's status onto the state of the refund it
// carries: successful is succeeded, failed is failed; created, pending,
// processing, and a status the library does not know (the transfer exists
// and may still move money) are pending.
func refundState(s TransferStatus) payments.RefundState {
	switch s {
	case TransferSuccessful:
		return payments.RefundSucceeded
	case TransferFailed:
		return payments.RefundFailed
	}
	return payments.RefundPending
}
