package helloasso

import (
	"strings"

	"github.com/unipay/payments"
)

// paymentStatus maps a HelloAsso PaymentState onto payments.Status: every
// state the API documents, plus RecoveryExpired, seen in the wild. Case is
// ignored (HelloAsso's enums have been seen in upper case). The caller keeps
// the raw state in Payment.ProviderStatus.
func paymentStatus(state string) payments.Status {
	switch strings.ToLower(state) {
	case "authorized", // validated and processed
		"authorizedpreprod", // authorised on a pre-production system (sandbox)
		"registered":        // an offline payment the association recorded
		return payments.StatusSucceeded
	case "pending", // scheduled for later: a future instalment
		"init": // created, nothing attempted yet
		return payments.StatusPending
	case "waiting", "waitingbankvalidation", "waitingbankwithdraw": // SEPA and bank steps under way
		return payments.StatusProcessing
	case "waitingauthentication": // 3-D Secure: the payer must authenticate
		return payments.StatusActionRequired
	case "refused", // refused by the bank
		"error",           // failed at HelloAsso or the processor
		"recoveryexpired": // an instalment whose recovery attempts ran out
		return payments.StatusFailed
	case "canceled", "abandoned", "deleted":
		return payments.StatusCanceled
	case "refunded", "refunding": // summarize tells full from partial
		return payments.StatusRefunded
	case "contested":
		// The payer disputed the payment with the bank: the money may go
		// back. Not final and not paid, so VerifyPaid refuses to ship.
		return payments.StatusProcessing
	case "unknown", "inconsistent", "corrected", "nodonation":
		// Documented values whose meaning HelloAsso does not describe.
		return payments.StatusUnknown
	}
	return payments.StatusUnknown
}

// operationStatus maps a refund's OperationState onto payments.Status:
// succeeded once processed, pending while under way, failed otherwise.
func operationStatus(state string) payments.Status {
	switch strings.ToLower(state) {
	case "processed":
		return payments.StatusSucceeded
	case "init", "processing":
		return payments.StatusPending
	case "error", "internalerror", "refused", "aborted", "canceled":
		return payments.StatusFailed
	}
	return payments.StatusUnknown
}

// summary is an order's payments seen as one payment.
type summary struct {
	status        payments.Status
	state         string       // the lead payment's raw state
	lead          *paymentView // the first payment (instalment 1), nil if none
	paid          int64        // cents the payer paid, refunds included
	refunded      int64        // cents refunded
	pendingRefund int64        // cents whose refund is under way
}

// summarize reads an order's payments as the one payment a checkout is:
// the first instalment decides whether it was paid (future instalments are
// "Pending" until their date), and the refunds of all payments decide
// between succeeded, partially refunded and refunded.
func summarize(ps []paymentView) summary {
	if len(ps) == 0 {
		// An order without a payment yet: HelloAsso is still recording it.
		return summary{status: payments.StatusProcessing}
	}
	lead := &ps[0]
	for i := range ps {
		if n := ps[i].InstallmentNumber; n > 0 && (lead.InstallmentNumber <= 0 || n < lead.InstallmentNumber) {
			lead = &ps[i]
		}
	}
	s := summary{lead: lead, state: lead.State, status: paymentStatus(lead.State)}
	for i := range ps {
		p := &ps[i]
		if !paymentStatus(p.State).Paid() {
			continue
		}
		s.paid += p.Amount
		refunded, pending := refundTotals(p)
		s.refunded += refunded
		s.pendingRefund += pending
	}
	if s.status.Paid() {
		switch {
		case s.paid > 0 && s.refunded+s.pendingRefund >= s.paid:
			s.status = payments.StatusRefunded
		case s.refunded+s.pendingRefund > 0:
			s.status = payments.StatusPartiallyRefunded
		default:
			s.status = payments.StatusSucceeded
		}
	}
	return s
}

// refundTotals adds up p's refunds: processed ones as refunded, those under
// way (or in a state the library does not know) as pending. A payment in
// state Refunded or Refunding counts as refunded or being refunded in full
// even when its operations are not listed.
func refundTotals(p *paymentView) (refunded, pending int64) {
	for _, op := range p.RefundOperations {
		amount := op.Amount
		if amount <= 0 {
			// HelloAsso's "0 = the whole payment".
			amount = max(p.Amount-refunded-pending, 0)
		}
		switch operationStatus(op.Status) {
		case payments.StatusSucceeded:
			refunded += amount
		case payments.StatusFailed:
		default:
			pending += amount
		}
	}
	switch strings.ToLower(p.State) {
	case "refunded":
		if refunded+pending < p.Amount {
			refunded = p.Amount - pending
		}
	case "refunding":
		if refunded+pending < p.Amount {
			pending = p.Amount - refunded
		}
	}
	return refunded, pending
}
