package hub2

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/mockhttp"
)

// These replay tests answer transfer calls with the two "Create Transfer"
// responses of Hub2's Postman collection (a 2021 sandbox one, a 2022 live
// one; testdata/hub2/SOURCES.md), and check the exact bytes Hub2 receives.

// The transfers of the Postman captures.
const (
	liveTransfer    = "tr_pMTmO5zJGh59TXkrWzrKl"
	sandboxTransfer = "tr_TwN4jM8B9LY71jIwwzMaY"
)

// refundsOn returns a client of r with refunds by transfer on, whose
// refund ids are rf_00000000000000000001, …02, and its ledger.
func (r *replay) refundsOn() (*Client, *payments.MemoryRefundLedger) {
	ledger := &payments.MemoryRefundLedger{}
	c := r.clientWith(Config{APIKey: "sk_test_3f9a", MerchantID: "3", RefundByTransfer: true, RefundLedger: ledger})
	n := 0
	c.refundID = func() string {
		n++
		return "rf_" + strings.Repeat("0", 19) + string(rune('0'+n))
	}
	return c, ledger
}

func TestReplayTransferCaptures(t *testing.T) {
	ctx := context.Background()
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/transfers/"+liveTransfer, 200, "pm_create_transfer_201_live.json")
	r.on("GET", "https://api.hub2.io/transfers/"+sandboxTransfer, 200, "pm_create_transfer_201_sandbox.json")
	c := r.client(payments.Production)

	tr, err := c.GetTransfer(ctx, liveTransfer)
	require.NoError(t, err)
	assert.Equal(t, liveTransfer, tr.ID)
	assert.Equal(t, "16", tr.MerchantID)
	assert.Equal(t, "DBK_Test_tr_orange_CI/20220102_01", tr.Reference, "read as sent, whatever its characters")
	assert.Equal(t, Destination{Type: "mobile_money", Country: "CI", Provider: "orange", Number: "3958"}, tr.Destination, "the number masked")
	assert.Equal(t, []TransferFee{{ID: "fee_05tjiVEVQCxjhWlWTdecA", Rate: "297", Type: "flat", Amount: 297, Currency: "XOF"}}, tr.Fees)
	assert.Equal(t, Amount(200), tr.Amount)
	assert.Equal(t, TransferCreated, tr.Status)
	assert.False(t, tr.Status.Final())
	assert.Equal(t, "live", tr.Mode)
	assert.Equal(t, time.Date(2022, 1, 5, 10, 44, 15, 757e6, time.UTC), tr.CreatedAt)
	assert.Contains(t, string(tr.Raw()), `"number": "3958"`)

	tr, err = c.GetTransfer(ctx, sandboxTransfer)
	require.NoError(t, err)
	assert.Empty(t, tr.Fees, "the sandbox capture has no fees")
	assert.Equal(t, "00000001", tr.Destination.Number)

	_, err = c.GetTransfer(ctx, "../webhooks")
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	assert.Len(t, r.requests(), 2, "an id unfit for a path is not sent")
}

func TestReplayCreateTransfer(t *testing.T) {
	r := newReplay(t)
	r.on("POST", "https://api.hub2.io/transfers", 201, "pm_create_transfer_201_sandbox.json")
	c := r.client(payments.Sandbox)
	tr, err := c.CreateTransfer(context.Background(), TransferRequest{
		Reference: "ref_2021_04_27_002", Amount: 200, Currency: "XOF", Description: "string",
		Destination: TransferDestination{Type: DestinationMobileMoney, Country: "CI", RecipientName: "John Doe",
			MSISDN: "+22500000001", Provider: "orange"},
	})
	require.NoError(t, err)
	assert.Equal(t, sandboxTransfer, tr.ID)
	reqs := r.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "https://api.hub2.io/transfers", reqs[0].url)
	assert.Equal(t, `{"reference":"ref_2021_04_27_002","amount":200,"currency":"XOF","description":"string",`+
		`"destination":{"type":"mobile_money","country":"CI","recipientName":"John Doe","msisdn":"+22500000001","provider":"orange"}}`,
		reqs[0].body)
	assertHeaders(t, reqs[0].header, "sandbox", true)

	// An answer for another reference, or another amount, is not this
	// transfer.
	_, err = c.CreateTransfer(context.Background(), TransferRequest{
		Reference: "ref_2021_04_27_003", Amount: 200, Currency: "XOF", Description: "string",
		Destination: TransferDestination{Type: DestinationMobileMoney, Country: "CI", RecipientName: "John Doe",
			MSISDN: "+22500000001", Provider: "orange"}, Sender: []byte(`{"name":"Shop"}`), OverrideBusinessName: "Shop",
	})
	require.ErrorIs(t, err, payments.ErrIntegrity)
	reqs = r.requests()
	assert.Equal(t, `{"reference":"ref_2021_04_27_003","amount":200,"currency":"XOF","description":"string",`+
		`"destination":{"type":"mobile_money","country":"CI","recipientName":"John Doe","msisdn":"+22500000001","provider":"orange"},`+
		`"sender":{"name":"Shop"},"overrideBusinessName":"Shop"}`, reqs[1].body)
}

func TestReplayRefundByTransfer(t *testing.T) {
	ctx := context.Background()
	const intent = capturedIntent // warimcp's sandbox capture: paid 100 XOF with MTN CI, 00000001
	ref := "refund." + intent + ".rf_00000000000000000001"
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/"+intent, 200, "warimcp_get_intent_successful_sandbox.json")
	r.onAbout("POST", "https://api.hub2.io/transfers", 201, "pm_create_transfer_201_sandbox.json",
		strings.NewReplacer(`"ref_2021_04_27_002"`, `"`+ref+`"`, `"amount": 200`, `"amount": 100`))
	c, ledger := r.refundsOn()

	got, err := c.Refund(ctx, payments.RefundRequest{PaymentID: intent, Options: RefundOptions{MSISDN: "00000001", RecipientName: "Awa Diallo"}})
	require.NoError(t, err)
	assert.Equal(t, sandboxTransfer, got.ID)
	assert.Equal(t, payments.StatusPending, got.Status)
	assert.Equal(t, payments.Money{Amount: 100, Currency: "XOF"}, got.Amount)

	reqs := r.requests()
	require.Len(t, reqs, 2, "the intent read, then the transfer")
	assert.Equal(t, "GET", reqs[0].method)
	assert.Equal(t, "https://api.hub2.io/transfers", reqs[1].url)
	assert.Equal(t, `{"reference":"`+ref+`","amount":100,"currency":"XOF","description":"Refund of order 2a503bf5-b7b0-42f1-abfa-86ce2c3cb1c2",`+
		`"destination":{"type":"mobile_money","country":"CI","recipientName":"Awa Diallo","msisdn":"+22500000001","provider":"mtn"}}`,
		reqs[1].body)
	assertHeaders(t, reqs[1].header, "sandbox", true)

	entries, err := ledger.Refunds(ctx, intent)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, payments.RefundPending, entries[0].State)
	assert.Equal(t, sandboxTransfer, entries[0].PayoutID)
}

func TestReplayRefundOfAnIntentThatNamesNoOperator(t *testing.T) {
	ctx := context.Background()
	const intent = "pi_z1urYtVFgEebtcj8fxp4v" // intent_successful.json: CI, "07******00", no provider
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/"+intent, 200, "intent_successful.json")
	r.onAbout("POST", "https://api.hub2.io/transfers", 201, "pm_create_transfer_201_live.json",
		strings.NewReplacer(`"DBK_Test_tr_orange_CI/20220102_01"`, `"refund.`+intent+`.rf_00000000000000000001"`, `"amount": 200`, `"amount": 100`))
	c, ledger := r.refundsOn()

	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: intent, Options: RefundOptions{MSISDN: "0700000000", RecipientName: "Awa Diallo"}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Options.Provider")
	assert.True(t, named, "%v", perr.Fields)
	assert.Len(t, r.requests(), 1, "refused after the read, before any transfer")

	_, err = c.Refund(ctx, payments.RefundRequest{PaymentID: intent, Options: RefundOptions{MSISDN: "0700000011", RecipientName: "Awa Diallo", Provider: "orange"}})
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "Hub2 shows the payer's number ending in 00")
	require.ErrorAs(t, err, &perr)
	_, named = perr.Field("Options.MSISDN")
	assert.True(t, named, "%v", perr.Fields)

	got, err := c.Refund(ctx, payments.RefundRequest{PaymentID: intent, Reason: "out of stock\nsorry",
		Options: RefundOptions{MSISDN: "0700000000", RecipientName: "Awa Diallo", Provider: "orange", BusinessName: "Boutique Awa"}})
	require.NoError(t, err)
	assert.Equal(t, liveTransfer, got.ID)
	reqs := r.requests()
	require.Len(t, reqs, 4, "three reads, one transfer")
	assert.Equal(t, `{"reference":"refund.`+intent+`.rf_00000000000000000001","amount":100,"currency":"XOF","description":"out of stock\nsorry",`+
		`"destination":{"type":"mobile_money","country":"CI","recipientName":"Awa Diallo","msisdn":"+2250700000000","provider":"orange"},`+
		`"overrideBusinessName":"Boutique Awa"}`, reqs[3].body)
	entries, err := ledger.Refunds(ctx, intent)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the refused attempts reserved nothing")
}

func TestReplayTransferFailedAtOnce(t *testing.T) {
	ctx := context.Background()
	const intent = capturedIntent
	r := newReplay(t)
	r.on("GET", "https://api.hub2.io/payment-intents/"+intent, 200, "warimcp_get_intent_successful_sandbox.json")
	r.onAbout("POST", "https://api.hub2.io/transfers", 201, "pm_create_transfer_201_sandbox.json",
		strings.NewReplacer(`"ref_2021_04_27_002"`, `"refund.`+intent+`.rf_00000000000000000001"`, `"amount": 200`, `"amount": 100`,
			`"status": "created"`, `"status": "failed", "failure": {"code": "blacklisted_msisdn", "message": "Blacklisted number"}`))
	c, ledger := r.refundsOn()

	_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: intent, Options: RefundOptions{MSISDN: "00000001", RecipientName: "Awa Diallo"}})
	require.ErrorIs(t, err, payments.ErrDeclined)
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "blacklisted_msisdn", perr.Code)
	assert.Contains(t, perr.Message, "no money moved")
	assert.NotEmpty(t, perr.Raw)
	entries, err := ledger.Refunds(ctx, intent)
	require.NoError(t, err)
	assert.Equal(t, payments.RefundFailed, entries[0].State)
	assert.Equal(t, sandboxTransfer, entries[0].PayoutID)
}

func TestReplayListTransfers(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", "transfers_list_built.json"))
	require.NoError(t, err)
	r := newReplay(t)
	var asked []string
	r.mock.RegisterResponder("GET", "https://api.hub2.io/transfers", func(req *http.Request) (*http.Response, error) {
		asked = append(asked, req.URL.String())
		resp := mockhttp.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp.Header.Set("Content-Range", "0-1/2")
		return resp, nil
	})
	c := r.client(payments.Production)
	from := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2022, 2, 1, 12, 30, 0, 0, time.FixedZone("WAT", 3600))

	l, err := c.ListTransfers(context.Background(), TransferQuery{From: from, To: to})
	require.NoError(t, err)
	assert.Equal(t, "https://api.hub2.io/transfers?from=2021-04-01T00%3A00%3A00.000Z&to=2022-02-01T11%3A30%3A00.000Z", asked[0],
		"the bounds in UTC, with milliseconds, as Hub2's guide writes them")
	require.Len(t, l.Transfers, 2)
	assert.Equal(t, liveTransfer, l.Transfers[0].ID)
	assert.Equal(t, 2, l.Listed)
	assert.Equal(t, 0, l.First)
	assert.Equal(t, 2, l.Total)

	l, err = c.ListTransfers(context.Background(), TransferQuery{From: from, To: to, Reference: "ref_2021_04_27_002", Page: 2, PerPage: 50})
	require.NoError(t, err)
	assert.Equal(t, "https://api.hub2.io/transfers?from=2021-04-01T00%3A00%3A00.000Z&page=2&perPage=50&reference=ref_2021_04_27_002&to=2022-02-01T11%3A30%3A00.000Z", asked[1])
	require.Len(t, l.Transfers, 1, "only the reference asked, should Hub2 ignore the filter")
	assert.Equal(t, sandboxTransfer, l.Transfers[0].ID)
	assert.Equal(t, 2, l.Listed)

	for name, q := range map[string]TransferQuery{
		"From":      {To: to},
		"To":        {From: to, To: from},
		"Reference": {From: from, To: to, Reference: "a/b"},
		"PerPage":   {From: from, To: to, PerPage: -1},
		"Page":      {From: from, To: to, Page: -2},
	} {
		_, err := c.ListTransfers(context.Background(), q)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr, name)
		_, named := perr.Field(name)
		assert.True(t, named, "%s: %v", name, perr.Fields)
	}
	assert.Len(t, asked, 2, "bad queries are not sent")
}

func TestContentRange(t *testing.T) {
	for h, want := range map[string][2]int{
		"0-99/2453":           {0, 2453},
		"transfers 100-199/2": {100, 2},
		"*/0":                 {-1, 0},
		"":                    {-1, -1},
		"0-99":                {-1, -1},
		"x-y/z":               {-1, -1},
	} {
		first, total := contentRange(h)
		assert.Equal(t, want, [2]int{first, total}, h)
	}
}

func TestRefundReferences(t *testing.T) {
	ref := refundReference("pi_tffiDaXyWQu203rIXhujW", "rf_0123456789abcdef0123")
	assert.Equal(t, "refund.pi_tffiDaXyWQu203rIXhujW.rf_0123456789abcdef0123", ref)
	p, r, ok := parseRefundReference(ref)
	assert.True(t, ok)
	assert.Equal(t, "pi_tffiDaXyWQu203rIXhujW", p)
	assert.Equal(t, "rf_0123456789abcdef0123", r)
	parses := func(s string) bool { _, _, ok := parseRefundReference(s); return ok }
	for _, bad := range []string{"", "refund.", "refund.pi_1", "refund..rf_1", "refund.pi_1.", "refund.pi_1.rf_1.x",
		"ref_2021_04_27_002", "refund.pi 1.rf_1", "Refund.pi_1.rf_1"} {
		assert.False(t, parses(bad), bad)
	}
	assert.Len(t, ref, len("refund.")+24+1+23, "well within the references Hub2 takes")
	id := newRefundID()
	assert.Regexp(t, `^rf_[0-9a-f]{20}$`, id)
	assert.NotEqual(t, id, newRefundID())
}

func TestInternationalMSISDN(t *testing.T) {
	for _, tc := range []struct{ in, country, want string }{
		{"0700000000", "CI", "+2250700000000"},
		{"00000001", "CI", "+22500000001"},
		{"771234567", "SN", "+221771234567"},
		{"+2250700000000", "CI", "+2250700000000"},
		{"+221771234567", "CI", ""},     // Senegal's code for Côte d'Ivoire
		{"+225070", "CI", ""},           // too short
		{"07 00 00 00 00", "CI", ""},    // spaces: the caller removes them
		{"0700000000", "FR", ""},        // no calling code known
		{"", "CI", ""},                  // required
		{"+2250700000000000", "CI", ""}, // too long
	} {
		got, msg := internationalMSISDN(tc.in, tc.country)
		assert.Equal(t, tc.want, got, "%s in %s", tc.in, tc.country)
		assert.Equal(t, tc.want == "", msg != "", "%s in %s: %s", tc.in, tc.country, msg)
	}
}

func TestSameTail(t *testing.T) {
	assert.True(t, sameTail("+2250700000000", "07******00"))
	assert.False(t, sameTail("+2250700000011", "07******00"))
	assert.True(t, sameTail("+2250700003958", "3958"))
	assert.False(t, sameTail("+2250700003959", "3958"))
	assert.True(t, sameTail("+22500000001", "00000001"))
	assert.True(t, sameTail("+2250700000000", ""), "no number shown proves nothing")
	assert.True(t, sameTail("+2250700000000", "07****-*"), "no visible digit proves nothing")
}
