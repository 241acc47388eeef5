package hub2test_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/internal/jsonshape"
)

// transferBody is a valid POST /transfers body: amount XOF to a CI Orange
// number, with reference ref.
func transferBody(t *testing.T, ref string, amount int64) string {
	return mustMarshal(t, map[string]any{
		"reference": ref, "amount": amount, "currency": "XOF", "description": "DBK_Test_tr_CI_01",
		"destination": map[string]string{"type": "mobile_money", "country": "CI", "recipientName": "John Doe",
			"msisdn": "+2250700003958", "provider": "orange"},
	})
}

// createTransfer sends a transfer and returns its answer, decoded.
func createTransfer(t *testing.T, srv *hub2test.Server, ref string, amount int64) (map[string]any, []byte) {
	t.Helper()
	code, b := raw(t, srv, "POST", "/transfers", auth, transferBody(t, ref, amount))
	require.Equal(t, http.StatusCreated, code, string(b))
	var tr map[string]any
	require.NoError(t, json.Unmarshal(b, &tr))
	return tr, b
}

func TestTransferAnswersMatchThePostmanCaptures(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	tr, b := createTransfer(t, srv, "DBK_Test_tr_orange_CI 20220102_01", 200)
	// The live capture: fees, a masked number. The sandbox capture of 2021
	// has no fees; the simulator charges its own.
	sameShape(t, "pm_create_transfer_201_live.json", b, jsonshape.Options{})
	sameShape(t, "pm_create_transfer_201_sandbox.json", b, jsonshape.Options{Ignore: []string{"fees"}})
	assert.Equal(t, "created", tr["status"])
	assert.Equal(t, "3958", tr["destination"].(map[string]any)["number"], "masked to its last 4 digits, as in the live capture")
	assert.Regexp(t, `^tr_[a-z0-9]{21}$`, tr["id"])
	fees := tr["fees"].([]any)
	require.Len(t, fees, 1)
	assert.Equal(t, map[string]any{"id": fees[0].(map[string]any)["id"], "rate": 297.0, "type": "flat", "amount": 297.0, "currency": "XOF"}, fees[0])

	id := tr["id"].(string)
	code, b := raw(t, srv, "GET", "/transfers/"+id, auth, "")
	require.Equal(t, http.StatusOK, code, string(b))
	sameShape(t, "pm_create_transfer_201_live.json", b, jsonshape.Options{})

	code, b = raw(t, srv, "GET", "/transfers/"+id+"/status", auth, "")
	require.Equal(t, http.StatusOK, code, string(b))
	sameShape(t, "docs_intent_status.json", b, jsonshape.Options{})
	assert.JSONEq(t, `{"id":"`+id+`","status":"created"}`, string(b))

	code, b = raw(t, srv, "GET", "/transfers?from=2020-01-01T00:00:00.000Z&to=2099-01-01T00:00:00.000Z", auth, "")
	require.Equal(t, http.StatusOK, code, string(b))
	sameShape(t, "transfers_list_built.json", b, jsonshape.Options{})
}

func TestTransferErrorsMatchTheDocs(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		name   string
		setup  func()
		method string
		path   string
		body   string
		status int
		code   string
	}{
		{"bad reference", nil, "POST", "/transfers", transferBody(t, "ref/1", 200), 400, "Bad Request"},
		{"local number", nil, "POST", "/transfers", strings.Replace(transferBody(t, "r1", 200), "+2250700003958", "0700003958", 1), 400, "Bad Request"},
		{"another country's code", nil, "POST", "/transfers", strings.Replace(transferBody(t, "r1", 200), "+225", "+221", 1), 400, "Bad Request"},
		{"not a multiple of 5", nil, "POST", "/transfers", transferBody(t, "r1", 201), 400, "Bad Request"},
		{"below the minimum", nil, "POST", "/transfers", transferBody(t, "r1", 95), 400, "Bad Request"},
		{"insufficient funds", func() { srv.SetBalance("XOF", 496) }, "POST", "/transfers", transferBody(t, "r1", 200), 402, "insufficient-funds"},
		{"no permission", func() { srv.SetPermission(hub2test.PermissionTransferCreate, false) }, "POST", "/transfers", transferBody(t, "r1", 200), 403, "Forbidden"},
		{"no read permission", func() { srv.SetPermission(hub2test.PermissionTransferRead, false) }, "GET", "/transfers?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z", "", 403, "Forbidden"},
		{"unknown transfer", nil, "GET", "/transfers/tr_unknown", "", 404, "Not Found"},
		{"list without bounds", nil, "GET", "/transfers", "", 400, "Bad Request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
				defer func() {
					srv.SetBalance("XOF", hub2test.StartBalance)
					srv.SetPermission(hub2test.PermissionTransferCreate, true)
					srv.SetPermission(hub2test.PermissionTransferRead, true)
				}()
			}
			code, b := raw(t, srv, tc.method, tc.path, auth, tc.body)
			require.Equal(t, tc.status, code, string(b))
			sameShape(t, "error_404.json", b, jsonshape.Options{})
			var e map[string]any
			require.NoError(t, json.Unmarshal(b, &e))
			assert.Equal(t, tc.code, e["code"])
		})
	}
	assert.Empty(t, srv.Transfers(), "no refused transfer was created")
	assert.Equal(t, int64(hub2test.StartBalance), srv.Balance("XOF"))
}

func TestTransferAccountAndOutcomes(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	var deliveries []string
	var bodies = map[string][]byte{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c, _ := hub2.New(hub2.Config{APIKey: "k", MerchantID: "m", WebhookSecrets: []string{hub2test.WebhookSecret}})
		ev, err := c.ParseWebhook(r.Header, b)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		deliveries = append(deliveries, ev.Type)
		bodies[ev.Type] = b
		mu.Unlock()
	}))
	defer hook.Close()
	srv.SetWebhookURL(hook.URL)

	a, _ := createTransfer(t, srv, "payout a", 1000)
	b, _ := createTransfer(t, srv, "payout b", 2000)
	assert.Equal(t, int64(hub2test.StartBalance-1000-2000-2*hub2test.TransferFee), srv.Balance("XOF"), "amounts and fees taken")

	require.NoError(t, srv.SettleTransfer(a["id"].(string)))
	require.NoError(t, srv.FailTransfer(b["id"].(string), "invalid_destination"))
	assert.Equal(t, int64(hub2test.StartBalance-1000-hub2test.TransferFee), srv.Balance("XOF"), "a failed transfer gives its amount and fee back")
	require.Error(t, srv.SettleTransfer(a["id"].(string)), "a settled transfer stays so")
	require.Error(t, srv.FailTransfer("tr_unknown", "timeout"))

	got := srv.Transfers()
	require.Len(t, got, 2)
	assert.Equal(t, "successful", got[0].Status)
	assert.Equal(t, "+2250700003958", got[0].MSISDN, "the whole number Hub2 received")
	assert.Equal(t, "John Doe", got[0].RecipientName)
	assert.Equal(t, "failed", got[1].Status)
	assert.Equal(t, "invalid_destination", got[1].FailureCode)

	code, body := raw(t, srv, "GET", "/transfers/"+b["id"].(string), auth, "")
	require.Equal(t, http.StatusOK, code)
	var failed map[string]any
	require.NoError(t, json.Unmarshal(body, &failed))
	assert.Equal(t, map[string]any{"code": "invalid_destination", "message": "The destination account is not valid"}, failed["failure"])

	mu.Lock()
	assert.Equal(t, []string{"transfer.created", "transfer.created", "transfer.processing", "transfer.succeeded",
		"transfer.processing", "transfer.failed"}, deliveries, "signed, in order")
	// A delivery's data is the transfer, as the API answers it.
	var env struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(bodies["transfer.succeeded"], &env))
	mu.Unlock()
	sameShape(t, "pm_create_transfer_201_live.json", env.Data, jsonshape.Options{})
	h, ev, err := srv.TransferEvent(a["id"].(string))
	require.NoError(t, err)
	assert.NotEmpty(t, h.Get("Hub2-Signature"))
	assert.Contains(t, string(ev), `"type":"transfer.succeeded"`)
}

func TestTransferListPagesNewestFirst(t *testing.T) {
	srv := hub2test.NewServer()
	defer srv.Close()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	var ids []string
	for i, ref := range []string{"r1", "r2", "r1", "r3"} {
		now = now.Add(time.Minute)
		tr, _ := createTransfer(t, srv, ref, int64(100*(i+1)))
		ids = append(ids, tr["id"].(string))
	}
	list := func(q string) ([]string, string) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+"/transfers?"+q, nil)
		require.NoError(t, err)
		for k, v := range auth {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var out []map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		var got []string
		for _, x := range out {
			got = append(got, x["id"].(string))
		}
		return got, resp.Header.Get("Content-Range")
	}
	all := "from=2026-03-01T10:00:00.000Z&to=2026-03-01T11:00:00.000Z"
	got, cr := list(all)
	assert.Equal(t, []string{ids[3], ids[2], ids[1], ids[0]}, got, "newest first")
	assert.Equal(t, "0-3/4", cr)
	got, cr = list(all + "&perPage=3&page=2")
	assert.Equal(t, []string{ids[0]}, got)
	assert.Equal(t, "3-3/4", cr)
	got, cr = list(all + "&perPage=3&page=3")
	assert.Empty(t, got)
	assert.Equal(t, "*/4", cr)
	got, cr = list(all + "&reference=r1")
	assert.Equal(t, []string{ids[2], ids[0]}, got)
	assert.Equal(t, "0-1/2", cr)
	got, cr = list("from=2026-03-01T10:01:30.000Z&to=2026-03-01T10:03:00.000Z")
	assert.Equal(t, []string{ids[2], ids[1]}, got, "only the period")
	assert.Equal(t, "0-1/2", cr)
}

func TestTransferClientAgainstTheSimulator(t *testing.T) {
	ctx := context.Background()
	srv, c := hub2test.Start(t)
	req := hub2.TransferRequest{Reference: "salary 2026-03", Amount: 15000, Currency: "XOF", Description: "March",
		Destination: hub2.TransferDestination{Type: hub2.DestinationMobileMoney, Country: "SN", RecipientName: "Fatou Sow",
			MSISDN: "+221771234567", Provider: "wave"}}
	tr, err := c.CreateTransfer(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, hub2.TransferCreated, tr.Status)
	assert.Equal(t, "4567", tr.Destination.Number)
	require.Len(t, tr.Fees, 1)
	assert.Equal(t, hub2.Amount(hub2test.TransferFee), tr.Fees[0].Amount)

	require.NoError(t, srv.SettleTransfer(tr.ID))
	st, err := c.TransferStatus(ctx, tr.ID)
	require.NoError(t, err)
	assert.Equal(t, "successful", st.Status)
	got, err := c.GetTransfer(ctx, tr.ID)
	require.NoError(t, err)
	assert.Equal(t, hub2.TransferSuccessful, got.Status)
	assert.True(t, got.Status.Final())
	l, err := c.ListTransfers(ctx, hub2.TransferQuery{From: time.Now().Add(-time.Minute), To: time.Now().Add(time.Minute), Reference: req.Reference})
	require.NoError(t, err)
	require.Len(t, l.Transfers, 1)
	assert.Equal(t, tr.ID, l.Transfers[0].ID)
	assert.Equal(t, 1, l.Total)

	srv.SetBalance("XOF", 100)
	_, err = c.CreateTransfer(ctx, req)
	require.ErrorIs(t, err, payments.ErrDeclined, "the balance, refused by Hub2")
	assert.Contains(t, err.Error(), "insufficient-funds")
	assert.Contains(t, err.Error(), "fund it")
	srv.SetPermission(hub2test.PermissionTransferRead, false)
	_, err = c.GetTransfer(ctx, tr.ID)
	require.ErrorIs(t, err, payments.ErrPermission)
	assert.Contains(t, err.Error(), "Api.transfer_read")

	before := srv.Requests()
	for field, bad := range map[string]func(r *hub2.TransferRequest){
		"Destination.MSISDN":        func(r *hub2.TransferRequest) { r.Destination.MSISDN = "771234567" },
		"Reference":                 func(r *hub2.TransferRequest) { r.Reference = "salary/03" },
		"Amount":                    func(r *hub2.TransferRequest) { r.Amount = 15001 },
		"Currency":                  func(r *hub2.TransferRequest) { r.Currency = "XAF" },
		"Destination.Provider":      func(r *hub2.TransferRequest) { r.Destination.Country, r.Destination.MSISDN = "BJ", "+22997000000" },
		"Destination.RecipientName": func(r *hub2.TransferRequest) { r.Destination.RecipientName = " " },
		"Destination.Type":          func(r *hub2.TransferRequest) { r.Destination.Type = "bank_transfer" },
		"Destination.Country":       func(r *hub2.TransferRequest) { r.Destination.Country = "FR" },
		"Description":               func(r *hub2.TransferRequest) { r.Description = "" },
		"Sender":                    func(r *hub2.TransferRequest) { r.Sender = json.RawMessage(`["not an object"]`) },
		"OverrideBusinessName":      func(r *hub2.TransferRequest) { r.OverrideBusinessName = "a\x1bb" },
	} {
		r := req
		bad(&r)
		_, err := c.CreateTransfer(ctx, r)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, field)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		_, named := perr.Field(field)
		assert.True(t, named, "%s: %v", field, perr.Fields)
	}
	assert.Equal(t, before, srv.Requests(), "refused before sending")
}
