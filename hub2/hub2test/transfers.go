package hub2test

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments/internal/simkit"
	"github.com/unipay/payments/paymentstest"
)

// The simulated transfer account (see the package doc).
const (
	// StartBalance is what the transfer account holds in each currency
	// when the simulator starts: Hub2's sandbox account starts with
	// 100,000 XOF (docs.hub2.io, getting started); the simulator gives the
	// same to XAF, and 10,000,000 GNF, so that Guinea's minimum transfer
	// (10,000 GNF) can be tried.
	StartBalance = 100_000
	// TransferFee is the simulator's fee on every transfer, flat, in the
	// transfer's currency, taken from the balance on top of the amount:
	// 297, the flat fee of a live capture of Hub2's (on a 200 XOF
	// transfer). Hub2's real fees depend on the merchant's contract.
	TransferFee = 297
)

// The permissions a transfer needs, as Hub2 names them.
const (
	PermissionTransferCreate = "Api.transfer_create"
	PermissionTransferRead   = "Api.transfer_read"
)

// transfer is a transfer as the simulator keeps it; its JSON is Hub2's.
type transfer struct {
	ID          string          `json:"id"`
	MerchantID  string          `json:"merchantId"`
	CreatedAt   string          `json:"createdAt"`
	UpdatedAt   string          `json:"updatedAt"`
	Reference   string          `json:"reference"`
	Description string          `json:"description"`
	Destination destinationEcho `json:"destination"`
	Fees        []transferFee   `json:"fees"`
	Mode        string          `json:"mode"`
	Amount      int64           `json:"amount"`
	Currency    string          `json:"currency"`
	Status      string          `json:"status"`
	Failure     *failure        `json:"failure,omitempty"`

	created       time.Time
	msisdn        string
	recipientName string
}

type destinationEcho struct {
	Type     string `json:"type"`
	Country  string `json:"country"`
	Provider string `json:"provider"`
	Number   string `json:"number"`
}

type transferFee struct {
	ID       string `json:"id"`
	Rate     int64  `json:"rate"`
	Type     string `json:"type"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Transfer is what the simulator received and holds of one transfer, for
// tests: the whole number and name Hub2 received, which its answers mask
// or leave out.
type Transfer struct {
	ID            string    // the transfer's id, tr_…
	Reference     string    // the reference sent
	Amount        int64     // the amount sent, in whole francs
	Currency      string    // XOF, XAF or GNF
	Fee           int64     // the fee taken from the balance, on top of Amount
	Country       string    // destination.country
	Provider      string    // destination.provider
	MSISDN        string    // destination.msisdn as received: international form
	RecipientName string    // destination.recipientName
	Description   string    // the description sent
	Status        string    // created, processing, successful or failed
	FailureCode   string    // the failure code of a failed transfer
	CreatedAt     time.Time // when the simulator created it, on its clock
}

// callingCodes are the calling codes of Hub2's countries, which a
// transfer's number must start with.
var callingCodes = map[string]string{
	"CI": "225", "SN": "221", "BF": "226", "ML": "223", "BJ": "229", "TG": "228",
	"CM": "237", "GA": "241", "GN": "224",
}

// Transfers returns the transfers received, oldest first.
func (s *Server) Transfers() []Transfer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Transfer, 0, len(s.transferList))
	for _, t := range s.transferList {
		x := Transfer{ID: t.ID, Reference: t.Reference, Amount: t.Amount, Currency: t.Currency, Fee: charged(t),
			Country: t.Destination.Country, Provider: t.Destination.Provider, MSISDN: t.msisdn, RecipientName: t.recipientName,
			Description: t.Description, Status: t.Status, CreatedAt: t.created}
		if t.Failure != nil {
			x.FailureCode = t.Failure.Code
		}
		out = append(out, x)
	}
	return out
}

// Balance returns what the transfer account holds in currency.
func (s *Server) Balance(currency string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance[currency]
}

// SetBalance sets what the transfer account holds in currency: a transfer
// whose amount and fee it does not cover is refused with 402
// insufficient-funds.
func (s *Server) SetBalance(currency string, amount int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balance[currency] = amount
}

// SetTransferFee changes the flat fee of the next transfers (TransferFee by
// default; 0 charges none and sends no fees).
func (s *Server) SetTransferFee(fee int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transferFee = fee
}

// SetPermission grants or revokes one of the API key's permissions
// (PermissionTransferCreate, PermissionTransferRead; all are granted by
// default). A request that needs a revoked one is answered 403, as Hub2
// answers a key without it.
func (s *Server) SetPermission(name string, granted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[name] = !granted
}

// AutoSettleTransfers makes every new transfer succeed right after the
// answer to its creation (processing, then successful, with their
// webhooks), as a quick sandbox would; off by default: transfers stay
// created until SettleTransfer or FailTransfer.
func (s *Server) AutoSettleTransfers(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoSettle = on
}

// SettleTransfer makes a transfer succeed: processing, then successful,
// with the transfer.processing and transfer.succeeded webhooks.
func (s *Server) SettleTransfer(id string) error { return s.endTransfer(id, "") }

// FailTransfer makes a transfer fail with one of Hub2's transfer failure
// codes (insufficient_funds, invalid_destination, blacklisted_msisdn…),
// giving its amount and fee back to the balance, with the transfer.failed
// webhook.
func (s *Server) FailTransfer(id, code string) error {
	if code == "" {
		code = "unknown_reason"
	}
	return s.endTransfer(id, code)
}

func (s *Server) endTransfer(id, failureCode string) error {
	s.mu.Lock()
	t, ok := s.transfers[id]
	if !ok {
		s.mu.Unlock()
		return errors.New("hub2test: no transfer " + id)
	}
	if t.Status == "successful" || t.Status == "failed" {
		s.mu.Unlock()
		return errors.New("hub2test: transfer " + id + " is " + t.Status + " already")
	}
	var evs []event
	if t.Status != "processing" {
		t.Status, t.UpdatedAt = "processing", s.stamp()
		evs = append(evs, transferEvent("transfer.processing", t))
	}
	t.UpdatedAt = s.stamp()
	if failureCode == "" {
		t.Status = "successful"
		evs = append(evs, transferEvent("transfer.succeeded", t))
	} else {
		t.Status = "failed"
		t.Failure = &failure{Code: failureCode, Message: transferFailures[failureCode]}
		s.balance[t.Currency] += t.Amount + charged(t)
		evs = append(evs, transferEvent("transfer.failed", t))
	}
	s.mu.Unlock()
	s.deliver(evs)
	return nil
}

var transferFailures = map[string]string{
	"insufficient_funds":  "The transfer account's balance is insufficient",
	"invalid_destination": "The destination account is not valid",
	"blacklisted_msisdn":  "The destination number is blacklisted",
	"unknown_reason":      "The transfer failed for an unknown reason",
	"timeout":             "The operator did not answer in time",
}

// TransferEvent returns a signed webhook delivery telling of the transfer's
// current state (transfer.succeeded for a successful one), as Hub2 would
// send it.
func (s *Server) TransferEvent(id string) (http.Header, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.transfers[id]
	if !ok {
		return nil, nil, errors.New("hub2test: no transfer " + id)
	}
	body, err := json.Marshal(transferEvent(transferEventType(t.Status), t))
	if err != nil {
		return nil, nil, err
	}
	return paymentstest.SignHub2(s.secret, s.previous, body), body, nil
}

func transferEventType(status string) string {
	switch status {
	case "successful":
		return "transfer.succeeded"
	case "failed":
		return "transfer.failed"
	case "created":
		return "transfer.created"
	}
	return "transfer.processing"
}

func transferEvent(typ string, t *transfer) event {
	c := *t
	c.Fees = append([]transferFee(nil), t.Fees...)
	return event{Type: typ, Data: &c}
}

// charged is what the transfer's fees add up to.
func charged(t *transfer) int64 {
	var n int64
	for _, f := range t.Fees {
		n += f.Amount
	}
	return n
}

// permitted answers 403 when the API key lacks permission name.
func (s *Server) permitted(w http.ResponseWriter, name string) bool {
	s.mu.Lock()
	revoked := s.revoked[name]
	s.mu.Unlock()
	if revoked {
		writeError(w, http.StatusForbidden, "Forbidden", "Forbidden resource")
		return false
	}
	return true
}

// payoutRule is the simulator's copy of Hub2's payout policy: min, max,
// multiple per currency.
func payoutRule(currency string) (lo, hi, step int64) {
	if currency == "GNF" {
		return 10_000, 1_500_000, 1000
	}
	return 100, 1_500_000, 5
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) || !s.permitted(w, PermissionTransferCreate) {
		return
	}
	var req struct {
		Reference   string          `json:"reference"`
		Amount      json.RawMessage `json:"amount"`
		Currency    string          `json:"currency"`
		Description string          `json:"description"`
		Destination *struct {
			Type          string `json:"type"`
			Country       string `json:"country"`
			RecipientName string `json:"recipientName"`
			MSISDN        string `json:"msisdn"`
			Provider      string `json:"provider"`
		} `json:"destination"`
		Sender               json.RawMessage `json:"sender"`
		OverrideBusinessName string          `json:"overrideBusinessName"`
	}
	if !decode(w, r, &req) {
		return
	}
	amt, ok := amount(req.Amount)
	d := req.Destination
	lo, hi, step := payoutRule(req.Currency)
	switch {
	case !validReference(req.Reference):
		badRequest(w, "reference must match /^[a-zA-Z0-9-_. ]+$/")
		return
	case !ok:
		badRequest(w, "amount must be a positive integer")
		return
	case req.Currency != "XOF" && req.Currency != "XAF" && req.Currency != "GNF":
		writeError(w, http.StatusBadRequest, "invalid-currency", "currency must be one of XOF, XAF, GNF")
		return
	case strings.TrimSpace(req.Description) == "":
		badRequest(w, "description should not be empty")
		return
	case d == nil:
		badRequest(w, "destination should not be empty")
		return
	case d.Type != "mobile_money":
		badRequest(w, "destination.type must be mobile_money (bank transfers are not simulated)")
		return
	case countries[d.Country] == "":
		writeError(w, http.StatusNotFound, "Not Found", "Country not found")
		return
	case providers[d.Provider] == "":
		writeError(w, http.StatusNotFound, "Not Found", "Provider not found")
		return
	case countries[d.Country] != req.Currency:
		writeError(w, http.StatusBadRequest, "invalid-currency", req.Currency+" is not the currency of "+d.Country)
		return
	case strings.TrimSpace(d.RecipientName) == "":
		badRequest(w, "destination.recipientName should not be empty")
		return
	case !internationalNumber(d.MSISDN, d.Country):
		badRequest(w, "destination.msisdn must be a valid phone number in international format (+"+callingCodes[d.Country]+"…)")
		return
	case amt < lo || amt > hi:
		badRequest(w, "amount must be between "+strconv.FormatInt(lo, 10)+" and "+strconv.FormatInt(hi, 10))
		return
	case amt%step != 0:
		badRequest(w, "amount must be a multiple of "+strconv.FormatInt(step, 10))
		return
	}
	s.mu.Lock()
	charge := s.transferFee
	if s.balance[req.Currency] < amt+charge {
		s.mu.Unlock()
		writeError(w, http.StatusPaymentRequired, "insufficient-funds", "Insufficient funds on the transfer account")
		return
	}
	s.balance[req.Currency] -= amt + charge
	now := s.now().UTC()
	t := &transfer{
		ID: simkit.NewID("tr_", 21), MerchantID: MerchantID, CreatedAt: s.stamp(), Reference: req.Reference,
		Description: req.Description, Mode: "sandbox", Amount: amt, Currency: req.Currency, Status: "created",
		Destination: destinationEcho{Type: d.Type, Country: d.Country, Provider: d.Provider, Number: lastDigits(d.MSISDN, 4)},
		Fees:        []transferFee{},
		created:     now, msisdn: d.MSISDN, recipientName: d.RecipientName,
	}
	t.UpdatedAt = t.CreatedAt
	if charge > 0 {
		t.Fees = append(t.Fees, transferFee{ID: simkit.NewID("fee_", 21), Rate: charge, Type: "flat", Amount: charge, Currency: req.Currency})
	}
	s.transfers[t.ID] = t
	s.transferList = append(s.transferList, t)
	body := mustJSON(t)
	auto := s.autoSettle
	evs := []event{transferEvent("transfer.created", t)}
	s.mu.Unlock()
	s.deliver(evs)
	// The whole answer goes out before the transfer settles, so that the
	// client reads "created" while the webhooks that follow may reach the
	// merchant before the client has recorded it.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	writeRaw(w, http.StatusCreated, body)
	if auto {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		_ = s.SettleTransfer(t.ID)
	}
}

// internationalNumber reports whether n is "+", country's calling code and
// 8 to 12 digits.
func internationalNumber(n, country string) bool {
	rest, ok := strings.CutPrefix(n, "+"+callingCodes[country])
	return ok && len(rest) >= 8 && len(rest) <= 12 && strings.Trim(rest, "0123456789") == ""
}

// lastDigits is n's last k characters, as Hub2 masks a transfer's number.
func lastDigits(n string, k int) string {
	if len(n) <= k {
		return n
	}
	return n[len(n)-k:]
}

// readTransfer answers a read of the transfer the path names.
func (s *Server) readTransfer(w http.ResponseWriter, r *http.Request, limit string, n int, body func(t *transfer) any) {
	if !authorized(w, r, false) || !s.permitted(w, PermissionTransferRead) || s.limited(w, limit+r.PathValue("id"), n) {
		return
	}
	s.mu.Lock()
	t, ok := s.transfers[r.PathValue("id")]
	var b []byte
	if ok {
		b = mustJSON(body(t))
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "Transfer")
		return
	}
	writeRaw(w, http.StatusOK, b)
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	s.readTransfer(w, r, "transfer:", 1, func(t *transfer) any { return t })
}

// transferStatus answers {"id", "status"}, as the intent's status endpoint
// (the transfer's body is not published).
func (s *Server) transferStatus(w http.ResponseWriter, r *http.Request) {
	s.readTransfer(w, r, "transfer-status:", 5, func(t *transfer) any {
		return map[string]string{"id": t.ID, "status": t.Status}
	})
}

// listTransfers answers GET /transfers: the transfers created between from
// and to (both required), with the reference when one is given, newest
// first, one page (page from 1, perPage 100 by default, at most 100), the
// place of the page in the whole in Content-Range ("0-99/2453", as Hub2's
// guide shows; "*/0" when the page is empty).
func (s *Server) listTransfers(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, false) || !s.permitted(w, PermissionTransferRead) {
		return
	}
	q := r.URL.Query()
	from, errFrom := time.Parse(time.RFC3339Nano, q.Get("from"))
	to, errTo := time.Parse(time.RFC3339Nano, q.Get("to"))
	page, perPage := 1, 100
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badRequest(w, "page must be a positive integer")
			return
		}
		page = n
	}
	if v := q.Get("perPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			badRequest(w, "perPage must be between 1 and 100")
			return
		}
		perPage = n
	}
	if errFrom != nil || errTo != nil {
		badRequest(w, "from and to must be ISO 8601 dates")
		return
	}
	ref := q.Get("reference")
	s.mu.Lock()
	var match []*transfer
	for _, t := range s.transferList {
		if !t.created.Before(from) && !t.created.After(to) && (ref == "" || t.Reference == ref) {
			match = append(match, t)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].created.After(match[j].created) })
	lo := min((page-1)*perPage, len(match))
	hi := min(lo+perPage, len(match))
	body := mustJSON(append([]*transfer{}, match[lo:hi]...))
	s.mu.Unlock()
	span := "*"
	if hi > lo {
		span = strconv.Itoa(lo) + "-" + strconv.Itoa(hi-1)
	}
	w.Header().Set("Content-Range", span+"/"+strconv.Itoa(len(match)))
	writeRaw(w, http.StatusOK, body)
}
