package hero

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
	"github.com/unipay/payments/internal/httpx"
)

// Client talks to Hero's GraphQL API. It implements payments.Checkout and
// payments.ReturnParser, and has a typed method for each Hero operation. It
// is safe for concurrent use; make one per API key and share it.
type Client struct {
	http *httpx.Client
	page string // the payment page's origin
}

var (
	_ payments.Checkout           = (*Client)(nil)
	_ payments.ReturnParser       = (*Client)(nil)
	_ payments.CapabilityReporter = (*Client)(nil)
)

// New returns a Client for the account in cfg. It checks cfg and does no
// network I/O. Requests carry "Authorization: Api-Key <key>" and stay under
// Hero's rate limits (200 a second, 1,800 a minute) on the client side.
func New(cfg Config, opts ...payments.Option) (*Client, error) {
	api, page, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	hc, err := httpx.New(httpx.Config{
		Provider:    payments.Hero,
		BaseURL:     api,
		Settings:    httpx.NewSettings(opts...),
		Auth:        httpx.HeaderAuth{"Authorization": {"Api-Key " + cfg.APIKey}},
		Header:      http.Header{"Accept": {"application/json"}},
		Secrets:     []string{cfg.APIKey},
		Limits:      limits(),
		DecodeError: decodeHTTPError,
	})
	if err != nil {
		return nil, err
	}
	return &Client{http: hc, page: page}, nil
}

// Provider returns payments.Hero.
func (c *Client) Provider() payments.ProviderName { return payments.Hero }

// Capabilities reports what Hero supports: refunds, partial ones included,
// and the return to the redirect URI; no webhooks; EUR only.
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund: true, PartialRefund: true, ReturnURL: true,
		Currencies: []string{"EUR"},
	}
}

// CreatedPayment is what createPayment returns.
type CreatedPayment struct {
	// ID is the payment's id: store it with the order; Verify, Refund and
	// the payment page ({PaymentPageURL}/checkout/{ID}) take it.
	ID string
	// Raw is Hero's answer, as it came, secrets removed.
	Raw json.RawMessage
}

// CreatePayment creates a payment at Hero (mutation createPayment) and
// returns its id. Nothing is charged until the customer pays on the page at
// PaymentPageURL. p is checked first (see NewPayment for the rules); a
// field at fault is named by its Go path in p ("Issuer.Address.City").
// Hero takes no idempotency key, so the request is retried only when it
// surely never reached Hero. Most callers want Create instead, which
// validates a payments.CreateRequest and builds p from it.
func (c *Client) CreatePayment(ctx context.Context, p NewPayment) (*CreatedPayment, error) {
	var fe check.FieldErrors
	p.check(&fe)
	if err := fe.Err(payments.Hero, opCreatePayment); err != nil {
		return nil, err
	}
	return c.createPayment(ctx, p)
}

// createPayment sends a checked p.
func (c *Client) createPayment(ctx context.Context, p NewPayment) (*CreatedPayment, error) {
	data, resp, err := exec(ctx, c, opCreatePayment, createPaymentDoc, createPaymentVars{p}, false, nil,
		func(data *createPaymentData, resp *httpx.Response) error {
			if data.CreatePayment == nil || data.CreatePayment.ID == "" {
				return c.http.Malformed(opCreatePayment, resp, "createPayment returned no payment id", nil)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return &CreatedPayment{ID: data.CreatePayment.ID, Raw: c.http.Raw(resp)}, nil
}

// SetOrderID links the merchant's order id to a payment (mutation
// setOrderId). Setting the same value twice is harmless, so it is retried
// like a read. paymentID must be a payment id (letters, digits and
// - _ . ~ :, at most 128 bytes) and orderID text of at most 255 bytes.
func (c *Client) SetOrderID(ctx context.Context, paymentID, orderID string) error {
	var fe check.FieldErrors
	check.ID(&fe, "paymentID", paymentID)
	if strings.TrimSpace(orderID) == "" {
		fe.Add("orderID", "is required")
	} else {
		check.Text(&fe, "orderID", orderID, check.MaxReference)
	}
	if err := fe.Err(payments.Hero, opSetOrderID); err != nil {
		return err
	}
	return c.setOrderID(ctx, paymentID, orderID)
}

func (c *Client) setOrderID(ctx context.Context, paymentID, orderID string) error {
	_, _, err := exec(ctx, c, opSetOrderID, setOrderIDDoc, setOrderIDVars{OrderID: orderID, PaymentID: paymentID}, true, nil,
		func(data *setOrderIDData, resp *httpx.Response) error {
			if data.SetOrderID == nil || !*data.SetOrderID {
				return c.http.Malformed(opSetOrderID, resp, "setOrderId did not answer true", nil)
			}
			return nil
		})
	return err
}

// GetPaymentsInfos reads the state of up to 100 payments (query
// getPaymentsInfos), in Hero's order. Hero answers only for the ids it
// knows: an unknown id is simply missing from the result. An answer about
// a payment it was not asked about, or two entries for one id, is
// ErrIntegrity. Each id must be a payment id, given once (a field at fault
// is named "paymentIDs[3]"). VerifyMany splits a longer list for you.
func (c *Client) GetPaymentsInfos(ctx context.Context, paymentIDs []string) ([]PaymentInfo, error) {
	if err := checkIDs(opGetPaymentsInfos, paymentIDs, 0); err != nil {
		return nil, err
	}
	infos, _, err := c.getPaymentsInfos(ctx, paymentIDs)
	return infos, err
}

// checkIDs refuses a batch that is empty, too long, or holds a bad or
// repeated id; first is the index of ids[0] in the caller's list.
func checkIDs(op string, ids []string, first int) error {
	var fe check.FieldErrors
	switch {
	case len(ids) == 0:
		fe.Add("paymentIDs", "at least one payment id is required")
	case len(ids) > verifyBatch:
		fe.Addf("paymentIDs", "has %d ids; Hero takes at most %d at once (VerifyMany splits longer lists)", len(ids), verifyBatch)
	}
	for i, id := range ids {
		checkIDAt(&fe, first+i, id)
	}
	if len(fe) == 0 && len(ids) > 1 {
		seen := make(map[string]int, len(ids))
		for i, id := range ids {
			if j, dup := seen[id]; dup {
				fe.Addf("paymentIDs["+strconv.Itoa(first+i)+"]", "repeats paymentIDs[%d]", first+j)
			}
			seen[id] = i
		}
	}
	return fe.Err(payments.Hero, op)
}

// getPaymentsInfos reads checked ids and returns Hero's answer with the
// payments. Every entry must be about an id asked for, once: Hero answers
// for the ids it knows, so an entry about another payment is not an answer
// to this question, whatever it says (ErrIntegrity).
func (c *Client) getPaymentsInfos(ctx context.Context, ids []string) ([]PaymentInfo, *httpx.Response, error) {
	const op = opGetPaymentsInfos
	byHand := false
	data, resp, err := exec(ctx, c, op, getPaymentsInfosDoc, getPaymentsInfosVars{ids}, true,
		func(resp *httpx.Response, out *gqlResponse[getPaymentsInfosData]) error {
			if readInfos(resp.Body, len(ids), out) {
				byHand = true
				return nil
			}
			return c.http.Decode(op, resp, out)
		},
		func(data *getPaymentsInfosData, resp *httpx.Response) error {
			u := data.GetPaymentsInfos
			if u == nil {
				return c.http.Malformed(op, resp, "getPaymentsInfos returned nothing", nil)
			}
			switch u.member() {
			case typePaymentsInfosResult:
			case typeValidationErrors:
				return c.scrubbed(validationErrors(op, u.ValidationErrors, c.http.Raw(resp), paymentIDsField(0)))
			default:
				return c.http.Malformed(op, resp, "getPaymentsInfos returned an unknown type "+check.Quote(u.Typename), nil)
			}
			for i := range u.Result {
				if u.Result[i].PaymentID == "" {
					return c.http.Malformed(op, resp, "a payment came without its paymentId", nil)
				}
			}
			if msg := unasked(ids, u.Result); msg != "" {
				return c.http.Integrity(op, resp, msg)
			}
			return nil
		})
	if err != nil {
		return nil, resp, err
	}
	infos := data.GetPaymentsInfos.Result
	if byHand {
		c.scrubEntries(resp, infos) // readInfos set each Raw
	} else {
		c.entriesRaw(resp, infos)
	}
	return infos, resp, nil
}

// unasked says which entry of infos is not an answer to a question about
// ids: one about an id not asked for, or a second one about an id; "" when
// there is none. ids holds no repeats (every caller checks or removes them).
func unasked(ids []string, infos []PaymentInfo) string {
	if inAskedOrder(ids, infos) {
		return ""
	}
	const small = 8 // below this, comparing costs less than a set
	var seen map[string]bool
	if len(ids) > small {
		seen = make(map[string]bool, len(ids))
		for _, id := range ids {
			seen[id] = false
		}
	}
	for i := range infos {
		id := infos[i].PaymentID
		if seen != nil {
			done, ok := seen[id]
			switch {
			case !ok:
				return "Hero answered about payment " + check.Quote(id) + ", which it was not asked about"
			case done:
				return "Hero answered twice about payment " + check.Quote(id)
			}
			seen[id] = true
			continue
		}
		if !slices.Contains(ids, id) {
			return "Hero answered about payment " + check.Quote(id) + ", which it was not asked about"
		}
		for j := range i {
			if infos[j].PaymentID == id {
				return "Hero answered twice about payment " + check.Quote(id)
			}
		}
	}
	return ""
}

// inAskedOrder reports whether infos are about ids in their order, some
// perhaps missing: Hero's usual answer. Each entry is then about an id asked,
// and, as ids holds no repeats, no id is answered twice; unasked checks that
// in one pass, without the set a long batch would otherwise take. Any other
// answer (false) is checked entry by entry.
func inAskedOrder(ids []string, infos []PaymentInfo) bool {
	j := 0
	for i := range infos {
		for j < len(ids) && ids[j] != infos[i].PaymentID {
			j++
		}
		if j == len(ids) {
			return false
		}
		j++ // the next entry must be about a later id
	}
	return true
}

// entriesRaw sets each PaymentInfo's Raw to its own entry of the answer,
// secrets removed, after encoding/json read the answer (readInfos finds
// the entries itself). The entries are found in the body the decoder read
// and scrubbed as scrubEntries says. If they cannot be told apart, each Raw
// is the whole (scrubbed) answer.
func (c *Client) entriesRaw(resp *httpx.Response, infos []PaymentInfo) {
	raw := c.http.Raw(resp)
	entries, ok := arrayAt(resp.Body, len(infos), "data", "getPaymentsInfos", "result")
	if !ok || len(entries) != len(infos) {
		for i := range infos {
			infos[i].Raw = raw
		}
		return
	}
	for i, e := range entries {
		infos[i].Raw = e
	}
	c.scrubEntries(resp, infos)
}

// scrubEntries scrubs each entry's Raw, a slice of the body the decoder
// read, unless httpx's scrubbed copy is that body itself: nothing was
// secret, the usual case.
func (c *Client) scrubEntries(resp *httpx.Response, infos []PaymentInfo) {
	raw := c.http.Raw(resp)
	if len(raw) == len(resp.Body) && len(raw) > 0 && &raw[0] == &resp.Body[0] {
		return
	}
	for i := range infos {
		infos[i].Raw = c.http.Redactor().Bytes(infos[i].Raw)
	}
}

// RefundPaymentCheckoutInput is refundPaymentCheckout's input: which payment
// checkout to refund, and how much.
type RefundPaymentCheckoutInput struct {
	// PaymentCheckoutID is the payment checkout to refund: the payment's id,
	// or the "paycheckout-…" id Hero gave for it (see RefundOptions). It
	// must be a payment id: letters, digits and - _ . ~ :, at most 128
	// bytes.
	PaymentCheckoutID string
	// Amount is how much to refund, in euro cents: positive, at most what
	// remains to refund.
	Amount int64
}

// RefundPaymentCheckoutOutput is Hero's answer to a refund it accepted.
type RefundPaymentCheckoutOutput struct {
	// Success is true: Hero accepted the refund. (A refusal is an error.)
	Success bool
	// Raw is Hero's answer, as it came, secrets removed.
	Raw json.RawMessage
}

// RefundPaymentCheckout refunds part or all of a paid payment (mutation
// refundPaymentCheckout). Hero's refusals come back as a *payments.Error
// whose Code is Hero's: AMOUNT_TOO_HIGH and INVALID_AMOUNT (ErrInvalidRequest),
// PAYMENT_NOT_STARTED (ErrConflict), INVALID_PAYMENT_CHECKOUT (ErrNotFound),
// UNAUTHORIZED (ErrPermission), balance problems (ErrDeclined), and
// technical errors (ErrUnavailable: the outcome is unknown, verify the
// refunded amount before trying again). It is never retried once it may
// have reached Hero.
func (c *Client) RefundPaymentCheckout(ctx context.Context, in RefundPaymentCheckoutInput) (*RefundPaymentCheckoutOutput, error) {
	var fe check.FieldErrors
	check.ID(&fe, "PaymentCheckoutID", in.PaymentCheckoutID)
	checkCents(&fe, "Amount", in.Amount)
	if err := fe.Err(payments.Hero, opRefundPaymentCheckout); err != nil {
		return nil, err
	}
	return c.refundPaymentCheckout(ctx, in)
}

func (c *Client) refundPaymentCheckout(ctx context.Context, in RefundPaymentCheckoutInput) (*RefundPaymentCheckoutOutput, error) {
	const op = opRefundPaymentCheckout
	vars := refundVars{Amount: in.Amount, PaymentCheckoutID: in.PaymentCheckoutID}
	_, resp, err := exec(ctx, c, op, refundPaymentCheckoutDoc, vars, false, nil,
		func(data *refundPaymentCheckoutData, resp *httpx.Response) error {
			u := data.RefundPaymentCheckout
			if u == nil {
				return c.http.Malformed(op, resp, "refundPaymentCheckout returned nothing", nil)
			}
			switch u.member() {
			case typeRefundCheckoutOutput:
				if u.Success == nil || !*u.Success {
					return &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrDeclined,
						Message: "Hero did not report the refund a success", HTTPStatus: resp.StatusCode, Raw: c.http.Raw(resp)}
				}
				return nil
			case typeGqlHeroError:
				code := ""
				if u.ErrorCode != nil {
					code = *u.ErrorCode
				}
				return c.scrubbed(heroError(op, code, u.Message, c.http.Raw(resp)))
			case typeValidationErrors:
				return c.scrubbed(validationErrors(op, u.ValidationErrors, c.http.Raw(resp), refundFields))
			}
			return c.http.Malformed(op, resp, "refundPaymentCheckout returned an unknown type "+check.Quote(u.Typename), nil)
		})
	if err != nil {
		return nil, err
	}
	return &RefundPaymentCheckoutOutput{Success: true, Raw: c.http.Raw(resp)}, nil
}

// AvailablePaymentTypesInput asks which payment types Hero offers for an
// amount and a customer.
type AvailablePaymentTypesInput struct {
	// Amount is the order's amount in euro cents.
	Amount int64
	// CustomerReference is the merchant's id for the customer
	// (Customer.Reference in a CreateRequest): required, at most 255 bytes.
	CustomerReference string
	// Siren is the customer's SIREN (9 digits) or SIRET (14), if known: it
	// helps Hero say yes.
	Siren string
}

// AvailablePaymentTypes returns the payment types Hero offers for in (query
// availablePaymentTypes). Hero's answer is final: pass one of them as
// Options.Type. Types this library does not name are kept as they are.
func (c *Client) AvailablePaymentTypes(ctx context.Context, in AvailablePaymentTypesInput) ([]PaymentType, error) {
	const op = opAvailablePaymentTypes
	var fe check.FieldErrors
	checkCents(&fe, "Amount", in.Amount)
	if strings.TrimSpace(in.CustomerReference) == "" {
		fe.Add("CustomerReference", "is required: Hero answers for a customer")
	} else {
		check.Text(&fe, "CustomerReference", in.CustomerReference, check.MaxReference)
	}
	checkSiren(&fe, "Siren", in.Siren)
	if err := fe.Err(payments.Hero, op); err != nil {
		return nil, err
	}
	vars := availablePaymentTypesVars{Amount: in.Amount, CustomerReference: in.CustomerReference, Siren: in.Siren}
	data, _, err := exec(ctx, c, op, availablePaymentTypesDoc, vars, true, nil,
		func(data *availablePaymentTypesData, resp *httpx.Response) error {
			if data.AvailablePaymentTypes == nil {
				return c.http.Malformed(op, resp, "availablePaymentTypes returned nothing", nil)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return *data.AvailablePaymentTypes, nil
}

// decodeHTTPError reads the body of a non-2xx answer (a 429, a 5xx, or a
// 400 some GraphQL servers send for an invalid document): a GraphQL errors
// array or a {"message": …} object.
func decodeHTTPError(resp *httpx.Response, e *payments.Error) {
	var body struct {
		Message string `json:"message"`
		Errors  []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(resp.Body, &body) != nil {
		return
	}
	msgs := make([]string, 0, len(body.Errors)+1)
	if body.Message != "" {
		msgs = append(msgs, body.Message)
	}
	for i, ge := range body.Errors {
		if i == 0 {
			e.Code = ge.Extensions.Code
		}
		if ge.Message != "" {
			msgs = append(msgs, ge.Message)
		}
	}
	e.Message = strings.Join(msgs, "; ")
}
