package helloasso

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/unipay/payments"
)

func TestPaymentStatusMapsEveryDocumentedState(t *testing.T) {
	for state, want := range map[string]payments.Status{
		"Pending": payments.StatusPending, "Authorized": payments.StatusSucceeded, "Refused": payments.StatusFailed,
		"Unknown": payments.StatusUnknown, "Registered": payments.StatusSucceeded, "Error": payments.StatusFailed,
		"Refunded": payments.StatusRefunded, "Refunding": payments.StatusRefunded, "Waiting": payments.StatusProcessing,
		"Canceled": payments.StatusCanceled, "Contested": payments.StatusProcessing,
		"WaitingBankValidation": payments.StatusProcessing, "WaitingBankWithdraw": payments.StatusProcessing,
		"Abandoned": payments.StatusCanceled, "WaitingAuthentication": payments.StatusActionRequired,
		"AuthorizedPreprod": payments.StatusSucceeded, "Corrected": payments.StatusUnknown, "Deleted": payments.StatusCanceled,
		"Inconsistent": payments.StatusUnknown, "NoDonation": payments.StatusUnknown, "Init": payments.StatusPending,
		// Seen in the wild, not in the spec.
		"RecoveryExpired": payments.StatusFailed, "AUTHORIZED": payments.StatusSucceeded,
		// Not known at all.
		"SomethingNew": payments.StatusUnknown, "": payments.StatusUnknown,
	} {
		assert.Equal(t, want, paymentStatus(state), state)
	}
}

func TestOperationStatus(t *testing.T) {
	for state, want := range map[string]payments.Status{
		"Processed": payments.StatusSucceeded, "PROCESSED": payments.StatusSucceeded, "Init": payments.StatusPending,
		"Processing": payments.StatusPending, "Error": payments.StatusFailed, "InternalError": payments.StatusFailed,
		"Refused": payments.StatusFailed, "Aborted": payments.StatusFailed, "Canceled": payments.StatusFailed,
		"Unknown": payments.StatusUnknown, "New": payments.StatusUnknown,
	} {
		assert.Equal(t, want, operationStatus(state), state)
	}
}

func TestSummarize(t *testing.T) {
	op := func(amount int64, status string) RefundOperationLight {
		return RefundOperationLight{Amount: amount, Status: status}
	}
	for _, tc := range []struct {
		name              string
		payments          []OrderPayment
		status            payments.Status
		refunded, pending int64
	}{
		{"no payment yet", nil, payments.StatusProcessing, 0, 0},
		{"paid", []OrderPayment{{Amount: 3000, State: "Authorized"}}, payments.StatusSucceeded, 0, 0},
		{"refused", []OrderPayment{{Amount: 3000, State: "Refused"}}, payments.StatusFailed, 0, 0},
		{"partial refund done", []OrderPayment{{Amount: 3000, State: "Authorized", RefundOperations: []RefundOperationLight{op(1000, "Processed")}}},
			payments.StatusPartiallyRefunded, 1000, 0},
		{"refund status in upper case", []OrderPayment{{Amount: 3000, State: "Authorized", RefundOperations: []RefundOperationLight{op(1000, "PROCESSED")}}},
			payments.StatusPartiallyRefunded, 1000, 0},
		{"partial refund under way", []OrderPayment{{Amount: 3000, State: "Authorized", RefundOperations: []RefundOperationLight{op(1000, "Init")}}},
			payments.StatusPartiallyRefunded, 0, 1000},
		{"failed refund ignored", []OrderPayment{{Amount: 3000, State: "Authorized", RefundOperations: []RefundOperationLight{op(1000, "Refused")}}},
			payments.StatusSucceeded, 0, 0},
		{"refund of unknown state counts as pending", []OrderPayment{{Amount: 3000, State: "Authorized", RefundOperations: []RefundOperationLight{op(1000, "Weird")}}},
			payments.StatusPartiallyRefunded, 0, 1000},
		{"refunded without operations", []OrderPayment{{Amount: 3000, State: "Refunded"}}, payments.StatusRefunded, 3000, 0},
		{"refunding without operations", []OrderPayment{{Amount: 3000, State: "Refunding"}}, payments.StatusRefunded, 0, 3000},
		{"whole-payment refund reported as 0", []OrderPayment{{Amount: 3000, State: "Refunded", RefundOperations: []RefundOperationLight{op(0, "Processed")}}},
			payments.StatusRefunded, 3000, 0},
		{"instalments: the first decides", []OrderPayment{
			{Amount: 2000, State: "Pending", InstallmentNumber: 2},
			{Amount: 3000, State: "Authorized", InstallmentNumber: 1},
			{Amount: 2000, State: "Pending", InstallmentNumber: 3},
		}, payments.StatusSucceeded, 0, 0},
		{"instalments: the first refunded, the rest canceled", []OrderPayment{
			{Amount: 3000, State: "Refunded", InstallmentNumber: 1},
			{Amount: 2000, State: "Canceled", InstallmentNumber: 2},
		}, payments.StatusRefunded, 3000, 0},
		{"instalments: two paid, one refunded", []OrderPayment{
			{Amount: 3000, State: "Refunded", InstallmentNumber: 1},
			{Amount: 2000, State: "Authorized", InstallmentNumber: 2},
		}, payments.StatusPartiallyRefunded, 3000, 0},
		{"a chargeback", []OrderPayment{{Amount: 3000, State: "Contested"}}, payments.StatusProcessing, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := summarize(viewOfPayments(tc.payments))
			assert.Equal(t, tc.status, s.status)
			assert.Equal(t, tc.refunded, s.refunded)
			assert.Equal(t, tc.pending, s.pendingRefund)
		})
	}
}
