package ledgerkit

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/unipay/payments"
)

func TestChecks(t *testing.T) {
	ok := payments.RefundEntry{ID: "r1", PaymentID: "p1", Amount: payments.Money{Amount: 1, Currency: "XOF"}}
	assert.NoError(t, CheckEntry(ok))
	for _, bad := range []payments.RefundEntry{
		{PaymentID: "p1", Amount: ok.Amount},
		{ID: "r1", Amount: ok.Amount},
		{ID: "r1", PaymentID: "p1", Amount: payments.Money{Currency: "XOF"}},
		{ID: "r\x00", PaymentID: "p1", Amount: ok.Amount},
		{ID: "r1", PaymentID: "p1", Amount: ok.Amount, Reason: "\xff"},
	} {
		assert.ErrorIs(t, CheckEntry(bad), payments.ErrInvalidRequest, "%+v", bad)
	}
	assert.NoError(t, CheckState(payments.RefundPending))
	assert.ErrorIs(t, CheckState("paid"), payments.ErrInvalidRequest)
	assert.ErrorIs(t, Exceeds(ok, payments.Money{Amount: 5, Currency: "XOF"}, 5), payments.ErrConflict)
	assert.ErrorContains(t, Exceeds(ok, payments.Money{Amount: 5, Currency: "XOF"}, 5), "0 XOF remains")
	assert.ErrorIs(t, NotFound("p", "r"), payments.ErrNotFound)
	assert.ErrorIs(t, NoPayout("po"), payments.ErrNotFound)
}
