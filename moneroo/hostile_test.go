package moneroo_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo/monerootest"
	"github.com/unipay/payments/paymentstest/suite"
)

func TestHostileProvider(t *testing.T) {
	var srv *monerootest.Server
	suite.Hostile(t, suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			srv = monerootest.NewServer()
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(opts...)
			require.NoError(t, err)
			return c
		},
		NewRequest: validRequest,
		Pay:        func(t *testing.T, s *payments.Session) { require.NoError(t, srv.Pay(s.ID)) },
		Secrets:    []string{monerootest.SecretKey, monerootest.WebhookSecret},
		Create: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodPost && r.URL.Path == "/v1/payments/initialize"
		},
		Verify: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/verify")
		},
		RedirectURL: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/payments/") && !strings.HasSuffix(r.URL.Path, "/verify")
		},
	})
}
