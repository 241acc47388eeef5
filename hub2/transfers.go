package hub2

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// This file is Hub2's transfer (payout) API, one method per operation. Each
// hands its request to internal/httpx.

// CreateTransfer sends money from the merchant's Hub2 transfer account to a
// mobile-money account (POST /transfers). It needs an API key with the
// Api.transfer_create permission and a funded transfer account (Hub2's
// sandbox account starts with 100,000 XOF); Hub2's fees come on top of the
// amount. The answer is the new transfer, usually created: its outcome comes
// later, by webhook (transfer.succeeded, transfer.failed) or TransferStatus.
//
// Bad input, an amount outside Hub2's payout limits, or a number not in
// international form is refused before any request. The request is retried
// only when it surely never reached Hub2 (connection refused, 429): Hub2
// takes no idempotency key, so after any other failure the transfer may
// exist: find it by its reference (ListTransfers) before sending it again.
// An answer about another reference, amount or currency than sent is
// ErrIntegrity. Hub2's refusals are named: ErrPermission without the
// permission, ErrDeclined when the balance is too low.
func (c *Client) CreateTransfer(ctx context.Context, req TransferRequest) (*Transfer, error) {
	const op = "create transfer"
	var fe check.FieldErrors
	checkTransfer(&fe, req)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	t := new(Transfer)
	_, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodPost, Path: "/transfers", JSON: req,
		Check: func(resp *httpx.Response) error {
			if err := c.readTransfer(op, resp, "", t); err != nil {
				return err
			}
			if t.Reference != req.Reference || t.Amount != req.Amount || t.Currency != req.Currency {
				return c.api.Integrity(op, resp, fmt.Sprintf("sent transfer %q of %d %s, Hub2 answered with transfer %s, %q of %d %s",
					req.Reference, req.Amount, req.Currency, t.ID, check.Quote(t.Reference), t.Amount, check.Quote(t.Currency)))
			}
			return nil
		}}, nil)
	if err != nil {
		return nil, transferError(err)
	}
	return t, nil
}

// GetTransfer reads a transfer (GET /transfers/{id}), with a tr_… id. Hub2
// allows it once per 5 seconds per transfer and advises webhooks to follow
// a transfer: TransferStatus is limited less tightly. An answer about
// another transfer is ErrIntegrity.
func (c *Client) GetTransfer(ctx context.Context, transferID string) (*Transfer, error) {
	const op = "get transfer"
	var fe check.FieldErrors
	check.ID(&fe, "transferID", transferID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	t := new(Transfer)
	_, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: transferPath(transferID),
		Route: "/transfers/{transferId}",
		Check: func(resp *httpx.Response) error { return c.readTransfer(op, resp, transferID, t) }}, nil)
	if err != nil {
		return nil, transferError(err)
	}
	return t, nil
}

// TransferStatus reads only a transfer's status
// (GET /transfers/{id}/status), which Hub2 allows five times per 5 seconds
// per transfer. Its body is not published: the client reads "id" and
// "status", like the intent's status endpoint. An answer without a status
// is ErrMalformedResponse; one about another transfer, ErrIntegrity.
func (c *Client) TransferStatus(ctx context.Context, transferID string) (*StatusResponse, error) {
	st, err := c.transferStatus(ctx, transferID)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// transferStatus reads a transfer's status. An answer without a status
// comes with an ErrMalformedResponse error, for the caller to judge (the
// settlement of refunds reads the whole transfer instead).
func (c *Client) transferStatus(ctx context.Context, transferID string) (*StatusResponse, error) {
	const op = "get transfer status"
	var fe check.FieldErrors
	check.ID(&fe, "transferID", transferID)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	st, err := c.status(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: transferPath(transferID) + "/status",
		Route: "/transfers/{transferId}/status"}, "transfer", transferID)
	return st, transferError(err)
}

// ListTransfers reads one page of the transfers created between q.From and
// q.To (GET /transfers?from=&to=), newest first: how to find a transfer by
// its reference when the answer to its creation was lost. With
// q.Reference, only the transfers with that reference are kept (Hub2's
// reference lists the filter; the client applies it too).
//
// The page's place in the whole result is read from Hub2's Content-Range
// header ("0-99/2453"): read the next pages while First+Listed < Total.
func (c *Client) ListTransfers(ctx context.Context, q TransferQuery) (*TransferList, error) {
	const op = "list transfers"
	var fe check.FieldErrors
	switch {
	case q.From.IsZero() || q.To.IsZero():
		fe.Add("From", "and To are required: Hub2 lists the transfers of a period")
	case q.To.Before(q.From):
		fe.Add("To", "is before From")
	}
	if q.Reference != "" {
		checkReference(&fe, "Reference", q.Reference)
		if len(q.Reference) > MaxReference {
			fe.Addf("Reference", "is %d bytes long; at most %d are allowed", len(q.Reference), MaxReference)
		}
	}
	if q.Page < 0 {
		fe.Add("Page", "must not be negative")
	}
	if q.PerPage < 0 || q.PerPage > maxPerPage {
		fe.Addf("PerPage", "must be between 0 and %d", maxPerPage)
	}
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}
	query := url.Values{"from": {stamp(q.From)}, "to": {stamp(q.To)}}
	if q.Reference != "" {
		query.Set("reference", q.Reference)
	}
	if q.Page > 0 {
		query.Set("page", strconv.Itoa(q.Page))
	}
	if q.PerPage > 0 {
		query.Set("perPage", strconv.Itoa(q.PerPage))
	}
	var all []Transfer
	resp, err := c.api.Do(ctx, &httpx.Request{Op: op, Method: http.MethodGet, Path: "/transfers", Query: query,
		Check: func(resp *httpx.Response) error {
			for i := range all {
				if all[i].ID == "" || all[i].Status == "" {
					return c.api.Malformed(op, resp, "transfer "+strconv.Itoa(i)+" of the list has no id or no status", nil)
				}
			}
			return nil
		}}, &all)
	if err != nil {
		return nil, transferError(err)
	}
	raw := c.api.Raw(resp)
	out := &TransferList{Listed: len(all), First: -1, Total: -1}
	for i := range all {
		t := &all[i]
		if q.Reference == "" || t.Reference == q.Reference {
			t.raw = raw
			out.Transfers = append(out.Transfers, *t)
		}
	}
	out.First, out.Total = contentRange(resp.Header.Get("Content-Range"))
	return out, nil
}

// maxPerPage bounds TransferQuery.PerPage: the library's bound (Hub2's guide
// shows pages of 100).
const maxPerPage = 1000

// readTransfer decodes a transfer answer into t and checks it: an id, a
// status, and the id asked about (want, "" for a creation).
func (c *Client) readTransfer(op string, resp *httpx.Response, want string, t *Transfer) error {
	if err := c.api.Decode(op, resp, t); err != nil {
		return err
	}
	switch {
	case t.ID == "":
		return c.api.Malformed(op, resp, "the answer has no transfer id", nil)
	case want != "" && t.ID != want:
		return c.api.Integrity(op, resp, "asked about transfer "+want+", Hub2 answered about "+check.Quote(t.ID))
	case t.Status == "":
		return c.api.Malformed(op, resp, "transfer "+t.ID+" has no status", nil)
	}
	t.raw = c.api.Raw(resp)
	return nil
}

// transferError names what Hub2's refusal of a transfer means: the
// permission a 403 lacks, or the transfer account's balance. Hub2's code
// and message are kept; the library's explanation follows them.
func transferError(err error) error {
	var perr *payments.Error
	if !errors.As(err, &perr) || perr.HTTPStatus == 0 {
		return err
	}
	hint := ""
	switch code := strings.ToLower(perr.Code); {
	case perr.HTTPStatus == http.StatusForbidden:
		hint = "transfers need an API key with the Api.transfer_create permission (Api.transfer_read to read them), used from an allowed IP address"
	case code == "insufficient-funds" || code == "missing-funds-reservation" || code == "insufficient_funds":
		perr.Kind = payments.ErrDeclined
		hint = "the transfer account's balance does not cover the amount and Hub2's fees: fund it in Hub2's dashboard (the sandbox account starts with 100,000 XOF)"
	}
	if hint != "" {
		if perr.Message != "" {
			perr.Message += ": "
		}
		perr.Message += hint
	}
	return err
}

// contentRange reads Hub2's Content-Range header, "0-99/2453" (or with a
// unit before it): the first item's position and the total; -1 for what
// it does not say.
func contentRange(h string) (first, total int) {
	first, total = -1, -1
	h = strings.TrimSpace(h)
	if i := strings.LastIndexByte(h, ' '); i >= 0 {
		h = h[i+1:]
	}
	span, size, ok := strings.Cut(h, "/")
	if !ok {
		return first, total
	}
	if n, err := strconv.Atoi(size); err == nil && n >= 0 {
		total = n
	}
	if lo, _, ok := strings.Cut(span, "-"); ok {
		if n, err := strconv.Atoi(lo); err == nil && n >= 0 {
			first = n
		}
	}
	return first, total
}

// stamp formats t as Hub2's guide writes the list's bounds:
// 2023-01-01T00:00:00.000Z.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func transferPath(id string) string { return "/transfers/" + url.PathEscape(id) }
