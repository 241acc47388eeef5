package hub2

import (
	"context"
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// Options are Hub2's own options for payments.CreateRequest.
//
// With Country, Provider and MSISDN, Create runs Hub2's direct flow: it
// creates the PaymentIntent and attempts the payment at once, and the Session
// says what the customer must do next (NextAction: an OTP to enter, USSD
// instructions to follow, or a page to open, also in RedirectURL). Without
// them, Create only creates the intent, and Session.ClientToken lets the
// merchant's own page attempt the payment.
type Options struct {
	// Country is the ISO 3166-1 alpha-2 code of the payer's provider, such
	// as "CI" (Côte d'Ivoire) or "SN". It selects the amount limits checked
	// before sending.
	Country string
	// Provider is Hub2's provider code, lowercase: "orange", "mtn", "moov",
	// "wave" (others are listed by Hub2's GET /data/providers).
	Provider string
	// MSISDN is the payer's mobile-money number in local format, without
	// the country prefix: "0700000000", not "+2250700000000".
	MSISDN string
	// OTP is the one-time code, for providers that take it with the attempt
	// (Orange CI asks the customer to generate it first). Providers that ask
	// for it afterwards answer with an OTP NextAction: see Client.Authenticate.
	OTP string
	// BusinessName, when set, is shown to the payer instead of the merchant's
	// name (Hub2's overrideBusinessName, for aggregators with the setting).
	BusinessName string
	// Workflow, when set, is sent as mobileMoney.workflow: "redirection"
	// for Orange's payment link (the customer pays on Orange's page and
	// comes back to ReturnURL), or "otp". Hub2's reference does not list the
	// field; integrations send "redirection" to Orange, where the OTP is
	// said to be on its way out. Empty (the default) sends nothing and lets
	// Hub2 choose, which the docs show as an OTP for Orange CI.
	Workflow string
}

// The values of Options.Workflow.
const (
	WorkflowOTP         = "otp"
	WorkflowRedirection = "redirection"
)

// direct reports whether the options ask for the direct flow.
func (o Options) direct() bool {
	return o.Country != "" || o.Provider != "" || o.MSISDN != "" || o.OTP != "" || o.Workflow != ""
}

// The query parameters the adapter adds to the ReturnURL and CancelURL it
// gives Hub2, since Hub2 adds none of its own: which intent the customer
// comes back from, and through which of the URLs (see the outcome values
// below).
const (
	ReturnIntentParam  = "hub2_intent"
	ReturnOutcomeParam = "hub2_outcome"
)

// The values of ReturnOutcomeParam: which URL given to Hub2 the customer came
// back through. Wave's attempts take a success and a failed URL; the other
// redirection flows a finish and a cancel URL.
const (
	outcomeSuccess = "success" // Wave's onSuccessRedirectionUrl (ReturnURL)
	outcomeFailed  = "failed"  // Wave's onFailedRedirectionUrl (CancelURL, else ReturnURL)
	outcomeFinish  = "finish"  // onFinishRedirectionUrl (ReturnURL)
	outcomeCancel  = "cancel"  // onCancelRedirectionUrl (CancelURL, else ReturnURL)
)

// providerWave is Hub2's code for Wave, whose attempts take their own pair of
// return URLs.
const providerWave = "wave"

// Create opens a checkout: it creates a PaymentIntent for req.Amount (XOF,
// XAF or GNF, whole francs) with req.Reference as Hub2's purchase reference
// and Customer.Reference (or, without one, req.Reference) as its customer
// reference. With hub2.Options it also attempts the payment; see Options.
//
// Session.ID is the intent id, which Verify, WaitForFinal and Authenticate
// take. Session.ClientToken is the intent's JWT, a secret: keep it server-side
// (Authenticate needs it) or hand it only to the payer's page.
//
// Bad input, a currency Hub2 does not take, or an amount outside Hub2's limits
// is refused before any request. When the intent was created but the attempt
// failed, Create returns both the Session and the error: the intent stays
// open, and the customer may try again with AttemptPayment.
func (c *Client) Create(ctx context.Context, req payments.CreateRequest) (*payments.Session, error) {
	const op = "create checkout"
	fe := check.Create(req)
	opts := check.OptionsAs[Options](req.Options, &fe)
	checkReference(&fe, "Reference", req.Reference)
	customerRef := req.Reference
	if req.Customer != nil && req.Customer.Reference != "" {
		customerRef = req.Customer.Reference
		checkReference(&fe, "Customer.Reference", customerRef)
	}
	country, provider := strings.ToUpper(strings.TrimSpace(opts.Country)), strings.ToLower(strings.TrimSpace(opts.Provider))
	if opts.direct() {
		checkDirect(&fe, opts, country, provider)
		if provider == providerWave && req.ReturnURL == "" {
			fe.Add("ReturnURL", "is required for Wave: Hub2 sends the customer back to it after Wave's page")
		}
	}
	check.Text(&fe, "Options.BusinessName", opts.BusinessName, MaxBusinessName)
	checkAmount(&fe, req.Amount, country, provider)
	if err := fe.Err(payments.Hub2, op); err != nil {
		return nil, err
	}

	// The answers are read into sessionView, not the whole PaymentIntent:
	// a Session shows no fees.
	pi := new(sessionView)
	err := c.createIntent(ctx, CreateIntentRequest{
		CustomerReference:    customerRef,
		PurchaseReference:    req.Reference,
		Amount:               Amount(req.Amount.Amount),
		Currency:             req.Amount.Currency,
		OverrideBusinessName: opts.BusinessName,
	}, pi)
	if err != nil {
		return nil, createError(err, req)
	}
	token := pi.Token
	if !opts.direct() {
		return session(pi, token), nil
	}
	mm := &MobileMoneyDetail{MSISDN: opts.MSISDN, OTP: opts.OTP, Workflow: opts.Workflow}
	setReturnURLs(mm, provider, pi.ID, req.ReturnURL, req.CancelURL)
	after := new(sessionView)
	err = c.attemptPayment(ctx, pi.ID, AttemptRequest{
		Token: token, PaymentMethod: MobileMoney, Country: country, Provider: provider, MobileMoney: mm,
	}, after)
	if err != nil {
		return session(pi, token), createError(err, req)
	}
	return session(after, token), nil
}

// checkDirect records what the direct flow lacks, or what Hub2 would
// refuse in it.
func checkDirect(fe *check.FieldErrors, o Options, country, provider string) {
	if country == "" {
		fe.Add("Options.Country", "is required to attempt the payment, such as CI")
	}
	if provider == "" {
		fe.Add("Options.Provider", "is required to attempt the payment, such as orange, mtn, moov or wave")
	}
	checkCode(fe, "Options.Provider", provider)
	checkMSISDN(fe, "Options.MSISDN", o.MSISDN)
	if o.OTP != "" && !digits(o.OTP, 4, 8) {
		fe.Add("Options.OTP", "must be the 4 to 8 digits the customer generated")
	}
	if o.Workflow != "" && o.Workflow != WorkflowOTP && o.Workflow != WorkflowRedirection {
		fe.Addf("Options.Workflow", "%q is neither %q nor %q", check.Quote(o.Workflow), WorkflowOTP, WorkflowRedirection)
	}
}

// setReturnURLs gives the attempt the merchant's return URLs, tagged with
// the intent and the outcome, as the pair the provider reads: Wave's success
// and failed URLs, or the finish and cancel URLs of the other redirection
// flows. Only the provider's pair is sent: an integration that met Wave's
// live API reports that onFinishRedirectionUrl is no field there, and Hub2
// documents onFinish and onCancel for cards and the other providers only.
// The cancel or failed URL is CancelURL, else ReturnURL. Nothing is set
// without a ReturnURL.
func setReturnURLs(mm *MobileMoneyDetail, provider, intentID, returnTo, cancel string) {
	if returnTo == "" {
		return
	}
	if cancel == "" {
		cancel = returnTo
	}
	if provider == providerWave {
		mm.OnSuccessRedirectionURL = returnURL(returnTo, intentID, outcomeSuccess)
		mm.OnFailedRedirectionURL = returnURL(cancel, intentID, outcomeFailed)
		return
	}
	mm.OnFinishRedirectionURL = returnURL(returnTo, intentID, outcomeFinish)
	mm.OnCancelRedirectionURL = returnURL(cancel, intentID, outcomeCancel)
}

// returnURL adds the intent id and the outcome to the merchant's URL.
func returnURL(raw, intentID, outcome string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // Validate has refused it already
	}
	q := u.Query()
	q.Set(ReturnIntentParam, intentID)
	q.Set(ReturnOutcomeParam, outcome)
	u.RawQuery = q.Encode()
	return u.String()
}

// session converts an intent to a Session.
func session(pi *sessionView, token string) *payments.Session {
	s := &payments.Session{
		Provider:    payments.Hub2,
		ID:          pi.ID,
		ClientToken: token,
		Status:      intentStatus(pi.Status),
		Raw:         pi.raw,
	}
	s.NextAction, s.RedirectURL = pi.pendingAction().toNextAction()
	return s
}

// RedirectURL returns the page where the customer completes a pending
// redirection (Wave, Orange's payment link, card 3-D Secure), or
// ErrUnsupported when the intent waits for no redirection: a flow with an
// OTP or USSD, no attempt yet, or an outcome already settled. The error then
// keeps the intent read in Raw.
func (c *Client) RedirectURL(ctx context.Context, paymentID string) (string, error) {
	const op = "redirect url"
	pi := new(PaymentIntent)
	if err := c.readIntent(ctx, op, "PaymentID", paymentID, false, pi); err != nil {
		return "", err
	}
	if _, u := pi.PendingAction().toNextAction(); u != "" {
		return u, nil
	}
	// Not check.Unsupported: a read was sent, and its answer is the reason.
	return "", &payments.Error{Provider: payments.Hub2, Op: op, Kind: payments.ErrUnsupported, Raw: pi.raw,
		Message: "payment intent " + pi.ID + " (" + string(pi.Status) + ") waits for no redirection"}
}

// Verify reads the intent (GET /payment-intents/{id}) and returns its state,
// amount, reference, and the failure code of its last attempt. The status
// endpoints are cheaper but carry no amount, which VerifyPaid needs. Hub2
// allows one read per 5 seconds per intent: to wait for an outcome use
// WaitForFinal, or better, webhooks.
//
// With Config.RefundByTransfer, Verify also settles the payment's refunds
// whose outcome is not known yet (see SettleRefunds: a read of each
// pending transfer's status, a search by reference for each reserved one;
// a read that fails leaves its refund as it was, and is logged), and
// reports them from the ledger: RefundedAmount is what reached the payer,
// PendingRefundAmount what is reserved or on its way. A successful payment
// with refunds is StatusPartiallyRefunded, or StatusRefunded once refunds
// reached or on their way cover it all, so that VerifyPaid never ships an
// order whose money is going back. A ledger that cannot be read fails
// Verify: without it the status would hide the refunds.
//
// An answer about another intent than paymentID, or holding another
// intent's payment, is ErrIntegrity: it proves nothing about this one.
func (c *Client) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	v := new(intentView)
	if err := c.readIntent(ctx, "verify", "PaymentID", paymentID, false, v); err != nil {
		return nil, err
	}
	p := v.toPayment()
	if c.ledger != nil {
		if err := c.refunded(ctx, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Capabilities reports what Hub2 supports: signed webhooks, a return to
// ReturnURL only in redirection flows, and refunds, in full or in part,
// only with Config.RefundByTransfer.
func (c *Client) Capabilities() payments.Capabilities {
	return payments.Capabilities{
		Refund:         c.ledger != nil,
		PartialRefund:  c.ledger != nil,
		Webhooks:       true,
		SignedWebhooks: true,
		ReturnURL:      true,
		Currencies:     []string{"GNF", "XAF", "XOF"},
	}
}
