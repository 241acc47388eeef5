package simkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

func TestAppendQueryKeepsTheMerchantsParameters(t *testing.T) {
	got := AppendQuery("https://shop.example.com/return?order=42&type=return", url.Values{"paymentId": {"p1"}, "paymentStatus": {"success"}})
	u, err := url.Parse(got)
	require.NoError(t, err)
	assert.Equal(t, "42", u.Query().Get("order"))
	assert.Equal(t, "return", u.Query().Get("type"))
	assert.Equal(t, "p1", u.Query().Get("paymentId"))
	assert.Equal(t, "success", u.Query().Get("paymentStatus"))
}

func TestPageAndForms(t *testing.T) {
	var posted url.Values
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/p1", func(w http.ResponseWriter, r *http.Request) {
		RenderPage(w, Page{Provider: "Moneroo (simulator)", Title: "Order <42>", Amount: payments.Money{Amount: 5000, Currency: "XOF"},
			PayAction: "/pay/p1/pay", DeclineAction: "/pay/p1/decline", Fields: []Field{{Name: "phone", Label: "Phone"}},
			Hidden: map[string]string{"csrf": "t"}})
	})
	mux.HandleFunc("POST /pay/p1/pay", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		posted = r.PostForm
		http.Redirect(w, r, "https://shop.example.com/return?paymentId=p1", http.StatusSeeOther)
	})
	var c Counter
	srv := httptest.NewServer(c.Middleware(mux))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/pay/p1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	assert.Contains(t, page, "5000 XOF")
	assert.Contains(t, page, "Order &lt;42&gt;", "the title is escaped")
	assert.Contains(t, page, `id="pay"`)
	assert.Contains(t, page, `id="decline"`)
	assert.Contains(t, page, `name="phone"`)

	loc, err := SubmitForm(context.Background(), srv.URL+"/pay/p1/pay", url.Values{"phone": {"+22997000000"}})
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example.com/return?paymentId=p1", loc.String())
	assert.Equal(t, "+22997000000", posted.Get("phone"))
	assert.Equal(t, 2, c.Count())

	_, err = SubmitForm(context.Background(), srv.URL+"/pay/p1", nil)
	assert.Error(t, err, "a form that does not redirect")
}

func TestDeliverAndIDs(t *testing.T) {
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		assert.Equal(t, "sig", r.Header.Get("X-Sig"))
		w.WriteHeader(204)
	}))
	defer srv.Close()
	code, err := Deliver(context.Background(), srv.URL, http.Header{"X-Sig": {"sig"}}, []byte(`{"a":1}`))
	require.NoError(t, err)
	assert.Equal(t, 204, code)
	assert.Equal(t, `{"a":1}`, string(got))

	id := NewID("pi_", 21)
	assert.Regexp(t, `^pi_[a-z0-9]{21}$`, id)
	assert.NotEqual(t, id, NewID("pi_", 21))
}
