package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// The hook's own side costs no allocation: a call told to an observer that
// does nothing allocates as much as one told to none.
func TestADoNothingObserverAddsNoAllocation(t *testing.T) {
	allocs := map[string]float64{}
	for name, opts := range map[string][]payments.Option{
		"none": nil,
		"nop":  {payments.WithObserver(nopObserver{})},
	} {
		opts = append([]payments.Option{payments.WithHTTPClient(&http.Client{Transport: canned{}})}, opts...)
		c, err := New(Config{Provider: payments.Moneroo, BaseURL: "https://api.moneroo.io", Settings: NewSettings(opts...),
			Auth: BearerAuth("sk_test_key")})
		require.NoError(t, err)
		req := &Request{Op: "verify payment", Method: http.MethodGet, Path: "/v1/payments/k4su1ii7abdz/verify",
			Route: "/v1/payments/{paymentId}/verify"}
		call := func() {
			var out benchOut
			_, err := c.Do(context.Background(), req, &out)
			require.NoError(t, err)
		}
		call()
		allocs[name] = testing.AllocsPerRun(200, call)
	}
	assert.LessOrEqual(t, allocs["nop"], allocs["none"])
}

func TestKindOfFindsTheErrorsKind(t *testing.T) {
	assert.Equal(t, payments.Kind(""), kindOf(nil))
	perr := &payments.Error{Kind: payments.ErrNotFound, Retryable: true}
	assert.Equal(t, payments.ErrNotFound, kindOf(perr))
	wrapped := fmt.Errorf("verify: %w", perr)
	assert.Equal(t, payments.ErrNotFound, kindOf(wrapped), "through wrapping")
	assert.Same(t, perr, asError(wrapped))
	assert.Equal(t, payments.ErrUnavailable, kindOf(errors.New("connection reset")), "an error of no kind")
	assert.Nil(t, asError(errors.New("connection reset")))
}
