package moneroo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

// entries returns n metadata entries k0…k(n-1).
func entries(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m["k"+strconv.Itoa(i)] = "v"
	}
	return m
}

func TestCreateCountsTheReferenceKeyInMonerooMetadataLimit(t *testing.T) {
	// Moneroo's official Laravel SDK capped metadata at 10 entries; the key
	// the library adds for Reference is one of them.
	for _, tc := range []struct {
		name     string
		metadata map[string]string
		sent     int // entries Moneroo receives; 0 if refused
	}{
		{"9 entries and the reference key make 10", entries(9), 10},
		{"10 entries and the reference key make 11", entries(10), 0},
		{"the reference key given by the merchant is counted once", func() map[string]string {
			m := entries(9)
			m[moneroo.ReferenceMetadataKey] = "order-meta"
			return m
		}(), 10},
		{"20 entries", entries(20), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMock(t, moneroo.Config{})
			m.on(http.MethodPost, initializeURL, http.StatusCreated, fixture(t, "initialize_201.json"), nil)
			req := validRequest()
			req.Reference = "order-meta"
			req.Metadata = tc.metadata

			_, err := c.Create(context.Background(), req)
			if tc.sent == 0 {
				require.ErrorIs(t, err, payments.ErrInvalidRequest)
				var perr *payments.Error
				require.ErrorAs(t, err, &perr)
				f, ok := perr.Field("Metadata")
				require.True(t, ok, "fields: %v", perr.Fields)
				assert.Contains(t, f.Message, "at most 10")
				assert.Contains(t, f.Message, moneroo.ReferenceMetadataKey)
				assert.Equal(t, 0, m.GetTotalCallCount(), "nothing may be sent")
				return
			}
			require.NoError(t, err)
			var body struct{ Metadata map[string]string }
			require.NoError(t, json.Unmarshal(m.requests()[0].Body, &body))
			assert.Len(t, body.Metadata, tc.sent)
			assert.Equal(t, "order-meta", body.Metadata[moneroo.ReferenceMetadataKey])
		})
	}
}
