package payments_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

var allKinds = []payments.Kind{
	payments.ErrInvalidRequest, payments.ErrAuthentication, payments.ErrPermission, payments.ErrNotFound,
	payments.ErrConflict, payments.ErrRateLimited, payments.ErrDeclined, payments.ErrUnavailable,
	payments.ErrUnsupported, payments.ErrNotPaid, payments.ErrIntegrity, payments.ErrInvalidSignature,
	payments.ErrMalformedResponse,
}

func TestErrorKinds(t *testing.T) {
	for _, k := range allKinds {
		t.Run(string(k), func(t *testing.T) {
			var err error = &payments.Error{Provider: payments.Moneroo, Op: "verify", Kind: k, Code: "X1", Message: "boom"}
			wrapped := fmt.Errorf("order 42: %w", err)

			assert.ErrorIs(t, wrapped, k)
			for _, other := range allKinds {
				if other != k {
					assert.NotErrorIs(t, wrapped, other)
				}
			}
			var perr *payments.Error
			require.ErrorAs(t, wrapped, &perr)
			assert.Equal(t, k, perr.Kind)
			assert.Equal(t, "X1", perr.Code)
			assert.Equal(t, "moneroo: verify: "+string(k)+" [X1]: boom", perr.Error())
		})
	}
}

func TestErrorUnwrapsCause(t *testing.T) {
	err := &payments.Error{Kind: payments.ErrUnavailable, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, payments.ErrUnavailable)
	assert.Equal(t, "provider unavailable: context deadline exceeded", err.Error())
}

func TestErrorString(t *testing.T) {
	err := &payments.Error{Provider: payments.Hub2, Op: "create payment intent", Kind: payments.ErrInvalidRequest,
		HTTPStatus: 400, RequestID: "req_1",
		Fields: []payments.FieldError{{Field: "purchaseReference", Message: "bad characters"}, {Message: "other"}}}
	assert.Equal(t, "hub2: create payment intent: invalid request: purchaseReference: bad characters; other (HTTP 400, request req_1)", err.Error())

	f, ok := err.Field("purchaseReference")
	require.True(t, ok)
	assert.Equal(t, "bad characters", f.Message)
	_, ok = err.Field("amount")
	assert.False(t, ok)
}

func TestKindIsNotAnyError(t *testing.T) {
	assert.False(t, errors.Is(errors.New("not found"), payments.ErrNotFound))
	assert.False(t, errors.Is(&payments.Error{Kind: payments.ErrNotFound}, errors.New("not found")))
}

func TestInvalidRequestAndUnsupported(t *testing.T) {
	err := check.InvalidRequest(payments.Hero, "create checkout", payments.FieldError{Field: "Amount", Message: "must be positive"})
	assert.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Equal(t, "hero: create checkout: invalid request: Amount: must be positive", err.Error())
	assert.ErrorIs(t, check.Unsupported(payments.Moneroo, "refund", "no refund API"), payments.ErrUnsupported)
}
