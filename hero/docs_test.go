package hero_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
)

// postDocs sends one of the GraphQL documents of Hero's docs
// (testdata/hero/docs), verbatim, to the simulator and returns the data.
func postDocs(t *testing.T, srv *herotest.Server, name string) map[string]json.RawMessage {
	t.Helper()
	body, err := json.Marshal(map[string]string{"query": string(fixture(t, "docs/"+name))})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/graphql", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Api-Key "+herotest.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []any                      `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(t, out.Errors)
	return out.Data
}

// TestCreateMeansWhatTheDocsExampleMeans creates the payment of Hero's
// createPayment example twice at the simulator: once with the docs'
// document, verbatim (every value written in it), once through Create (every
// value in variables). The simulator must receive the same payment, so the
// adapter's variables say what the docs' literals say.
func TestCreateMeansWhatTheDocsExampleMeans(t *testing.T) {
	srv, c := newSim(t)
	var created struct{ ID string }
	require.NoError(t, json.Unmarshal(postDocs(t, srv, "create_payment.graphql")["createPayment"], &created))
	want, ok := srv.Payment(created.ID)
	require.True(t, ok)

	s, err := c.Create(context.Background(), payments.CreateRequest{
		Amount:    eur(5000),
		Reference: "abc567",
		ReturnURL: "https://shop.hero.fr?shop-payment-id=abc567",
		Customer: &payments.Customer{
			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+330600000000",
			Reference:       "<Your customer identifier>",
			BillingAddress:  &payments.Address{Line1: "10 Something Street", Line2: "2nd door on the left", City: "Paris", ZipCode: "75001"},
			DeliveryAddress: &payments.Address{Line1: "2 High Street", Line2: "Apartment 2", City: "Paris", ZipCode: "75010"},
		},
		Options: hero.Options{Type: hero.Pay1X},
	})
	require.NoError(t, err)
	got, ok := srv.Payment(s.ID)
	require.True(t, ok)

	// Create adds the reference to the redirect URI and sets the order id.
	assert.Equal(t, want.RedirectURI+"&hero_ref=abc567", got.RedirectURI)
	assert.Equal(t, "abc567", got.OrderID)
	want.RedirectURI, got.RedirectURI = "", ""
	want.OrderID, got.OrderID = "", ""
	want.CheckoutID, got.CheckoutID = "", ""
	assert.Equal(t, want, got)
}
