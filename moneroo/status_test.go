package moneroo

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/unipay/payments"
)

func TestMapStatusCoversEveryDocumentedState(t *testing.T) {
	for raw, want := range map[string]payments.Status{
		"initiated": payments.StatusPending,
		"pending":   payments.StatusProcessing,
		"success":   payments.StatusSucceeded,
		"failed":    payments.StatusFailed,
		"cancelled": payments.StatusCanceled,
		"canceled":  payments.StatusUnknown, // not Moneroo's spelling: kept raw, not guessed
		"SUCCESS":   payments.StatusUnknown,
		"refunded":  payments.StatusUnknown,
		"":          payments.StatusUnknown,
	} {
		assert.Equal(t, want, mapStatus(raw), "%q", raw)
	}
	// Only success is paid; pending payments are never final.
	assert.True(t, mapStatus("success").Paid())
	assert.False(t, mapStatus("pending").Final())
	assert.False(t, mapStatus("initiated").Final())
	assert.True(t, mapStatus("cancelled").Final())
}

func TestTheClientStaysUnderMonerooRateLimit(t *testing.T) {
	l := limits()[0]
	assert.Equal(t, "requests", l.Name)
	// GCRA lets through at most its burst plus a window's refill in any
	// window: that must be Moneroo's 120 a minute.
	perMinute := l.BurstSize() + int(time.Minute/l.Interval())
	assert.Equal(t, 120, perMinute)
	assert.GreaterOrEqual(t, l.BurstSize(), 10, "a checkout's few calls go out at once")
}

func TestCurrenciesAreSortedForBinarySearch(t *testing.T) {
	assert.True(t, slices.IsSorted(currencies))
	assert.Len(t, currencies, 15)
	for _, c := range currencies {
		_, known := payments.MinorUnits(c)
		assert.True(t, known, "%s must be in the library's exponent table", c)
		assert.True(t, SupportsCurrency(c))
	}
	assert.False(t, SupportsCurrency("GBP"))
}
