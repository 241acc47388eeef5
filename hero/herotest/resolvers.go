package herotest

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/unipay/payments/internal/simkit"
)

// The resolvers answer as Hero's API reference says Hero does. graphql-go
// has already checked the document against the schema (unknown fields,
// wrong types, missing required input) before any of them runs.

type root struct{ s *Server }

func (r *root) Query() *query       { return &query{r.s} }
func (r *root) Mutation() *mutation { return &mutation{r.s} }

type query struct{ s *Server }

type mutation struct{ s *Server }

// heroError is an entry of errors[] carrying a code in extensions, for the
// simulator's own input checks (Hero documents no shape for them).
type heroError struct{ code, message string }

func (e heroError) Error() string { return e.message }

func (e heroError) Extensions() map[string]any { return map[string]any{"code": e.code} }

// Where Hero puts the codes of its errors[] entries is not documented;
// Server.SetErrorCodes chooses (see documented). codeDescriptions are
// the messages that go with the codes when they sit in extensions: Hero's
// reference's own descriptions (French edition).
var codeDescriptions = map[string]string{
	ErrNotLogged:               "L'Api-Key est manquante ou invalide.",
	ErrMerchantProductDisabled: "Le compte que vous utilisez n'est pas autorisé à être payé. Contactez votre administrateur Hero.",
	ErrInvalidPaymentType:      "Le type de paiement est invalide. Vérifiez votre requête et assurez-vous que votre compte Hero est correctement configuré par notre équipe.",
}

// documented is an errors[] entry for one of the errors Hero's reference
// lists for createPayment (a code, or a paymentMin/paymentMax message).
// With CodesInMessage the message is the code and extensions.code is the
// generic INTERNAL_SERVER_ERROR a Node GraphQL server (Apollo) adds to any
// error a resolver throws; with CodesInExtensions a code goes to
// extensions.code under Hero's description of it. The paymentMin/paymentMax
// messages have no code: they are messages in both.
func (s *Server) documented(codeOrMessage string) error {
	if desc, ok := codeDescriptions[codeOrMessage]; ok && ErrorCodes(s.errorCodes.Load()) == CodesInExtensions {
		return heroError{code: codeOrMessage, message: desc}
	}
	return heroError{code: "INTERNAL_SERVER_ERROR", message: codeOrMessage}
}

type callerKey struct{}

// merchant returns the account the request's API key belongs to, or the
// NOT_LOGGED error.
func (s *Server) merchant(ctx context.Context) (string, error) {
	if m, _ := ctx.Value(callerKey{}).(string); m != "" {
		return m, nil
	}
	return "", s.documented(ErrNotLogged)
}

func (q *query) Version() string { return "herotest/1" }

func (q *query) AvailablePaymentTypes(ctx context.Context, args struct {
	Amount            int32
	CustomerReference string
	Siren             *string
}) ([]string, error) {
	if _, err := q.s.merchant(ctx); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if int64(args.Amount) < s.min || int64(args.Amount) > s.max || s.disabled {
		return []string{}, nil
	}
	return slices.Clone(s.types), nil
}

type paymentInfo struct {
	PaymentID            string
	IsSuccess            bool
	Error                *string
	ReviewStatus         string
	Reason               *string
	InitialPaymentAmount int32
	PendingRefundAmount  int32
	RefundedAmount       int32
}

type getPaymentsInfosResult struct{ Result []*paymentInfo }

type validationError struct {
	Path            []string
	ValidationError string
}

type validationErrors struct{ ValidationErrors []*validationError }

func invalid(path, msg string) *validationErrors {
	return &validationErrors{ValidationErrors: []*validationError{{Path: strings.Split(path, "."), ValidationError: msg}}}
}

type getPaymentsInfosOutput struct {
	result *getPaymentsInfosResult
	verrs  *validationErrors
}

func (o *getPaymentsInfosOutput) ToGetPaymentsInfosResult() (*getPaymentsInfosResult, bool) {
	return o.result, o.result != nil
}

func (o *getPaymentsInfosOutput) ToValidationErrors() (*validationErrors, bool) {
	return o.verrs, o.verrs != nil
}

func (q *query) GetPaymentsInfos(ctx context.Context, args struct{ PaymentIDs []*string }) (*getPaymentsInfosOutput, error) {
	m, err := q.s.merchant(ctx)
	if err != nil {
		return nil, err
	}
	if len(args.PaymentIDs) == 0 {
		return &getPaymentsInfosOutput{verrs: invalid("paymentIds", "paymentIds must contain at least one payment id")}, nil
	}
	s := q.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &getPaymentsInfosResult{Result: []*paymentInfo{}}
	seen := map[string]bool{}
	for i, id := range args.PaymentIDs {
		if id == nil || *id == "" {
			return &getPaymentsInfosOutput{verrs: invalid(fmt.Sprintf("paymentIds.%d", i), "a payment id must not be empty")}, nil
		}
		p, ok := s.payments[*id]
		if !ok || p.owner != m || seen[*id] {
			continue
		}
		seen[*id] = true
		out.Result = append(out.Result, p.info())
	}
	return &getPaymentsInfosOutput{result: out}, nil
}

// info is how getPaymentsInfos shows p, after the examples in Hero's docs.
func (p *payment) info() *paymentInfo {
	out := &paymentInfo{
		PaymentID: p.id, ReviewStatus: "NONE",
		InitialPaymentAmount: int32(p.in.Amount), PendingRefundAmount: int32(p.pendingRefund), RefundedAmount: int32(p.refunded),
	}
	reason := "None"
	out.Reason = &reason
	switch p.state {
	case statePaid:
		out.IsSuccess, out.ReviewStatus = true, "ACCEPTED"
		empty := ""
		out.Reason = &empty
	default:
		code := p.state.errorCode()
		out.Error = &code
	}
	return out
}

type address struct {
	Line1   string
	Line2   *string
	City    string
	ZipCode string
}

type issuer struct {
	Address           address
	DeliveryAddress   *address
	Name              string
	ContactEmail      string
	ContactPhone      string
	CustomerReference *string
}

type newPayment struct {
	Amount      int32
	RedirectURI string
	ComebackURI *string
	Type        string
	Issuer      issuer
}

type createdPayment struct{ ID string }

func (m *mutation) CreatePayment(ctx context.Context, args struct{ Payment newPayment }) (*createdPayment, error) {
	owner, err := m.s.merchant(ctx)
	if err != nil {
		return nil, err
	}
	in := args.Payment
	s := m.s
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.disabled:
		return nil, s.documented(ErrMerchantProductDisabled)
	case !slices.Contains(s.types, in.Type):
		return nil, s.documented(ErrInvalidPaymentType)
	case int64(in.Amount) < s.min:
		return nil, s.documented(fmt.Sprintf("Amount %d is smaller than paymentMin %d", in.Amount, s.min))
	case int64(in.Amount) > s.max:
		return nil, s.documented(fmt.Sprintf("Amount %d is bigger than paymentMax %d", in.Amount, s.max))
	}
	if err := checkURI("redirectUri", in.RedirectURI); err != nil {
		return nil, err
	}
	if in.ComebackURI != nil {
		if err := checkURI("comebackUri", *in.ComebackURI); err != nil {
			return nil, err
		}
	}
	is := in.Issuer
	for _, f := range []struct{ name, v string }{
		{"issuer.name", is.Name}, {"issuer.contactEmail", is.ContactEmail}, {"issuer.contactPhone", is.ContactPhone},
		{"issuer.address.line1", is.Address.Line1}, {"issuer.address.city", is.Address.City}, {"issuer.address.zipCode", is.Address.ZipCode},
	} {
		if strings.TrimSpace(f.v) == "" {
			return nil, heroError{code: "BAD_USER_INPUT", message: f.name + " must not be empty"}
		}
	}
	if d := is.DeliveryAddress; d != nil && (strings.TrimSpace(d.Line1) == "" || strings.TrimSpace(d.City) == "" || strings.TrimSpace(d.ZipCode) == "") {
		return nil, heroError{code: "BAD_USER_INPUT", message: "issuer.deliveryAddress needs line1, city and zipCode"}
	}
	p := &payment{
		id: simkit.NewID("payment_", 20), checkoutID: simkit.NewID("paycheckout-", 32), owner: owner,
		in: Payment{
			Amount: int64(in.Amount), RedirectURI: in.RedirectURI, ComebackURI: deref(in.ComebackURI), Type: in.Type,
			Issuer: Issuer{
				Address: addr(is.Address), Name: is.Name, ContactEmail: is.ContactEmail, ContactPhone: is.ContactPhone,
				CustomerReference: deref(is.CustomerReference),
			},
		},
		state: stateNotInitiated,
	}
	if is.DeliveryAddress != nil {
		a := addr(*is.DeliveryAddress)
		p.in.Issuer.DeliveryAddress = &a
	}
	s.payments[p.id] = p
	s.byCheckout[p.checkoutID] = p
	return &createdPayment{ID: p.id}, nil
}

// checkURI refuses what Hero calls suspect URIs: not absolute http(s), or on
// a .localhost host.
func checkURI(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return heroError{code: "BAD_USER_INPUT", message: field + " must be an absolute http(s) URI"}
	}
	if strings.HasSuffix(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), ".localhost") {
		return heroError{code: "BAD_USER_INPUT", message: "Use a non-suspect Redirect URI: " + field + " is on a .localhost host"}
	}
	return nil
}

func addr(a address) Address {
	return Address{Line1: a.Line1, Line2: deref(a.Line2), City: a.City, ZipCode: a.ZipCode}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// SetOrderID answers true, always, as Hero documents; it links the order id
// to a payment of the caller's account when there is one.
func (m *mutation) SetOrderID(ctx context.Context, args struct{ PaymentID, OrderID string }) (bool, error) {
	owner, err := m.s.merchant(ctx)
	if err != nil {
		return false, err
	}
	s := m.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.payments[args.PaymentID]; ok && p.owner == owner {
		p.orderID = args.OrderID
	}
	return true, nil
}

type refundOutput struct{ Success bool }

type gqlHeroError struct{ ErrorCode, Message string }

type refundResult struct {
	ok    *refundOutput
	herr  *gqlHeroError
	verrs *validationErrors
}

func (r *refundResult) ToRefundPaymentCheckoutOutput() (*refundOutput, bool) {
	return r.ok, r.ok != nil
}
func (r *refundResult) ToGqlHeroError() (*gqlHeroError, bool)         { return r.herr, r.herr != nil }
func (r *refundResult) ToValidationErrors() (*validationErrors, bool) { return r.verrs, r.verrs != nil }

func functional(code string) *refundResult {
	return &refundResult{herr: &gqlHeroError{ErrorCode: "FUNCTIONAL_ERROR", Message: code}}
}

func (m *mutation) RefundPaymentCheckout(ctx context.Context, args struct {
	Input struct {
		PaymentCheckoutID string
		Amount            int32
	}
}) (*refundResult, error) {
	owner, err := m.s.merchant(ctx)
	if err != nil {
		return nil, err
	}
	in := args.Input
	switch {
	case strings.TrimSpace(in.PaymentCheckoutID) == "":
		return &refundResult{verrs: invalid("paymentCheckoutId", "paymentCheckoutId must not be empty")}, nil
	case in.Amount <= 0:
		return &refundResult{verrs: invalid("amount", "Le montant doit être un nombre positif")}, nil
	}
	s := m.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.refundFault; f != nil {
		s.refundFault = nil
		return &refundResult{herr: f}, nil
	}
	p, ok := s.byCheckout[in.PaymentCheckoutID]
	if !ok && !s.checkoutIDOnly {
		p, ok = s.payments[in.PaymentCheckoutID]
	}
	switch amount := int64(in.Amount); {
	case !ok:
		return functional(ErrInvalidPaymentCheckout), nil
	case p.owner != owner:
		return &refundResult{herr: &gqlHeroError{ErrorCode: "UNAUTHORIZED", Message: "UNAUTHORIZED"}}, nil
	case p.state != statePaid:
		return functional(ErrPaymentNotStarted), nil
	case amount > p.in.Amount:
		return functional(ErrInvalidAmount), nil
	case amount > p.in.Amount-p.refunded-p.pendingRefund:
		return functional(ErrAmountTooHigh), nil
	case s.holdRefunds:
		p.pendingRefund += amount
	default:
		p.refunded += amount
	}
	return &refundResult{ok: &refundOutput{Success: true}}, nil
}
