package hero

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/unipay/payments"
)

// Hero reports errors with HTTP 200 in three ways: GraphQL's errors array
// (createPayment, setOrderId, a missing API key), the ValidationErrors union
// member (bad input to getPaymentsInfos and refundPaymentCheckout), and the
// GqlHeroError member (refundPaymentCheckout's business and technical errors).
// This file turns each into a *payments.Error that keeps Hero's code, message
// and body.

// Codes Hero documents in errors[] for createPayment.
const (
	CodeNotLogged               = "NOT_LOGGED"                // the API key is missing or wrong
	CodeMerchantProductDisabled = "MERCHANT_PRODUCT_DISABLED" // the account may not be paid
	CodeInvalidPaymentType      = "INVALID_PAYMENT_TYPE"      // the type is not enabled for the account
)

// Codes of refundPaymentCheckout's GqlHeroError: errorCode is UNAUTHORIZED,
// FUNCTIONAL_ERROR (with one of the sub-codes below in message) or a
// technical code.
const (
	CodeUnauthorized             = "UNAUTHORIZED"
	CodeFunctionalError          = "FUNCTIONAL_ERROR"
	CodeInvalidAmount            = "INVALID_AMOUNT"
	CodeInvalidPaymentCheckout   = "INVALID_PAYMENT_CHECKOUT"
	CodeDraftPaymentCheckout     = "DRAFT_PAYMENT_CHECKOUT"
	CodeBANotFound               = "BA_NOT_FOUND"
	CodeBAOnboardingNotCompleted = "BA_ONBOARDING_IS_NOT_COMPLETED"
	CodeBABalanceInsufficient    = "BA_BALANCE_INSUFFICIENT"
	CodeBACannotTransferFunds    = "BA_CANNOT_TRANSFER_FUNDS"
	CodeAmountTooLow             = "AMOUNT_TOO_LOW"
	CodeAmountTooHigh            = "AMOUNT_TOO_HIGH"
	CodeLedgerBalanceTooLow      = "LEDGER_BALANCE_TOO_LOW"
	CodeRefundIsFrozen           = "REFUND_IS_FROZEN"
	CodePaymentNotStarted        = "PAYMENT_NOT_STARTED"
	CodeInternalServerError      = "INTERNAL_SERVER_ERROR"
	CodeCorePaymentRefundFailed  = "CORE_PAYMENT_REFUND_FAILED"
)

// CodePaymentNotInitiated is getPaymentsInfos' error for a payment the
// customer has not paid (yet).
const CodePaymentNotInitiated = "PAYMENT_NOT_INITIATED"

// Standard extensions.code values of GraphQL servers (Apollo's), which Hero's
// server may send for errors it does not code itself.
const (
	codeGraphQLValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	codeGraphQLParseFailed      = "GRAPHQL_PARSE_FAILED"
	codeBadUserInput            = "BAD_USER_INPUT"
	codeUnauthenticated         = "UNAUTHENTICATED"
	codeForbidden               = "FORBIDDEN"
)

// codeKinds classifies every code Hero documents, and the standard codes of
// GraphQL servers (Apollo's extensions.code), which Hero may send too.
var codeKinds = map[string]payments.Kind{
	CodeNotLogged:                payments.ErrAuthentication,
	codeUnauthenticated:          payments.ErrAuthentication,
	CodeMerchantProductDisabled:  payments.ErrPermission,
	CodeUnauthorized:             payments.ErrPermission,
	codeForbidden:                payments.ErrPermission,
	CodeInvalidPaymentType:       payments.ErrInvalidRequest,
	codeBadUserInput:             payments.ErrInvalidRequest,
	codeGraphQLValidationFailed:  payments.ErrInvalidRequest,
	codeGraphQLParseFailed:       payments.ErrInvalidRequest,
	CodeInvalidAmount:            payments.ErrInvalidRequest,
	CodeAmountTooLow:             payments.ErrInvalidRequest,
	CodeAmountTooHigh:            payments.ErrInvalidRequest,
	CodeInvalidPaymentCheckout:   payments.ErrNotFound,
	CodeDraftPaymentCheckout:     payments.ErrConflict,
	CodePaymentNotStarted:        payments.ErrConflict,
	CodeRefundIsFrozen:           payments.ErrConflict,
	CodeBANotFound:               payments.ErrDeclined,
	CodeBAOnboardingNotCompleted: payments.ErrDeclined,
	CodeBABalanceInsufficient:    payments.ErrDeclined,
	CodeBACannotTransferFunds:    payments.ErrDeclined,
	CodeLedgerBalanceTooLow:      payments.ErrDeclined,
	CodeInternalServerError:      payments.ErrUnavailable,
	CodeCorePaymentRefundFailed:  payments.ErrUnavailable,
}

// codeText explains Hero's refund codes, after Hero's API reference.
var codeText = map[string]string{
	CodeInvalidAmount:            "the amount must be positive and at most the original payment",
	CodeInvalidPaymentCheckout:   "no such payment checkout",
	CodeDraftPaymentCheckout:     "a draft payment checkout cannot be refunded",
	CodeBANotFound:               "business account not found",
	CodeBAOnboardingNotCompleted: "the business account's onboarding is not completed",
	CodeBABalanceInsufficient:    "insufficient funds on the business account",
	CodeBACannotTransferFunds:    "funds cannot be transferred from the business account",
	CodeAmountTooLow:             "a refund is at least 1 cent",
	CodeAmountTooHigh:            "the refund exceeds the refundable amount",
	CodeLedgerBalanceTooLow:      "insufficient ledger balance",
	CodeRefundIsFrozen:           "the payment is frozen and cannot be refunded now",
	CodePaymentNotStarted:        "a payment that was not initiated cannot be refunded",
	CodeInternalServerError:      "technical error at Hero: verify before trying again",
	CodeCorePaymentRefundFailed:  "Hero's payment processing failed: verify before trying again",
}

// amountLimit matches createPayment's "Amount XX is smaller than paymentMin
// YY" and "Amount XX is bigger than paymentMax YY", errors about the field
// Hero calls amountField: Amount in a CreateRequest and in a NewPayment.
var amountLimit = regexp.MustCompile(`is (smaller|bigger) than payment(Min|Max)`)

const amountField = "amount"

// scrubbed removes every secret the client knows from what e says of
// Hero's answer: message, code and field messages come from the answer,
// and Hero may echo the API key.
func (c *Client) scrubbed(e *payments.Error) *payments.Error {
	r := c.http.Redactor()
	e.Message, e.Code = r.String(e.Message), r.String(e.Code)
	for i := range e.Fields {
		f := &e.Fields[i]
		f.Field, f.ProviderField, f.Code, f.Message = r.String(f.Field), r.String(f.ProviderField), r.String(f.Code), r.String(f.Message)
	}
	return e
}

// graphQLErrors maps a response's errors array. The first error decides the
// kind and code; every message is kept.
func graphQLErrors(op string, errs []gqlError, raw []byte) *payments.Error {
	e := &payments.Error{Provider: payments.Hero, Op: op, HTTPStatus: 200, Raw: raw}
	msgs := make([]string, 0, len(errs))
	for i, ge := range errs {
		kind, code, field := classify(ge.Message, extensionCode(ge.Extensions), len(ge.Path) > 0)
		if i == 0 {
			e.Kind, e.Code = kind, code
		}
		if field != "" {
			e.Fields = append(e.Fields, payments.FieldError{Field: field, ProviderField: amountField, Code: code, Message: ge.Message})
		}
		if ge.Message != "" {
			msgs = append(msgs, ge.Message)
		}
	}
	e.Message = strings.Join(msgs, "; ")
	return e
}

// extensionCode returns the code an errors[] entry carries in its
// extensions: "code", as GraphQL servers such as Apollo write it, or
// "errorCode", the name Hero's reference gives the column of createPayment's
// error codes.
func extensionCode(ext map[string]any) string {
	if code, _ := ext["code"].(string); code != "" {
		return code
	}
	code, _ := ext["errorCode"].(string)
	return code
}

// classify reads one entry of errors[]. Hero's codes may come as the message
// itself or in extensions (where it is unknown which), so the message is
// searched first: servers such as Apollo put a generic
// INTERNAL_SERVER_ERROR in extensions.code of any error a resolver throws,
// and once the message has said what happened that generic code is dropped
// rather than reported as Error.Code.
// An unknown error without a path rejected the whole document (a parse or
// validation error): the request is at fault. One with a path failed while
// Hero executed it: its outcome is unknown.
func classify(message, extCode string, hasPath bool) (kind payments.Kind, code, field string) {
	for _, known := range []string{CodeNotLogged, CodeMerchantProductDisabled, CodeInvalidPaymentType} {
		if strings.Contains(message, known) {
			return codeKinds[known], known, ""
		}
	}
	if amountLimit.MatchString(message) {
		if extCode == CodeInternalServerError {
			extCode = ""
		}
		return payments.ErrInvalidRequest, extCode, "Amount"
	}
	if k, ok := codeKinds[extCode]; ok {
		return k, extCode, ""
	}
	if hasPath {
		return payments.ErrUnavailable, extCode, ""
	}
	return payments.ErrInvalidRequest, extCode, ""
}

// heroError maps refundPaymentCheckout's GqlHeroError. For FUNCTIONAL_ERROR
// the sub-code in message becomes Error.Code, so a merchant can test for
// AMOUNT_TOO_HIGH directly.
func heroError(op, errorCode, message string, raw []byte) *payments.Error {
	e := &payments.Error{Provider: payments.Hero, Op: op, HTTPStatus: 200, Raw: raw, Code: errorCode}
	if k, ok := codeKinds[message]; ok {
		e.Code, e.Kind = message, k
	} else if k, ok := codeKinds[errorCode]; ok {
		e.Kind = k
	} else if errorCode == CodeFunctionalError {
		// A business rule Hero has not documented refused the refund.
		e.Kind = payments.ErrDeclined
		if message != "" {
			e.Code = message
		}
	} else {
		e.Kind = payments.ErrUnavailable
	}
	e.Message = errorCode
	if message != "" && message != errorCode {
		e.Message += ": " + message
	}
	if text, ok := codeText[e.Code]; ok {
		e.Message += " (" + text + ")"
	}
	return e
}

// validationErrors maps the ValidationErrors union member: one field error
// per entry, Hero's path in ProviderField and, in Field, the Go path it
// names in the caller's input (goField), or Hero's path when unknown.
func validationErrors(op string, verrs []ValidationError, raw []byte, goField func([]Text) string) *payments.Error {
	e := &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrInvalidRequest, HTTPStatus: 200, Raw: raw}
	for _, v := range verrs {
		hero := v.Field()
		field := goField(v.Path)
		if field == "" {
			field = hero
		}
		e.Fields = append(e.Fields, payments.FieldError{Field: field, ProviderField: hero, Message: v.ValidationError})
	}
	if len(e.Fields) == 0 {
		e.Message = "Hero refused the input without saying why"
	}
	return e
}

// paymentIDsField names getPaymentsInfos' fields after the typed read's
// argument: "paymentIds.3" is paymentIDs[first+3], first being the index of
// the batch's first id in the caller's list.
func paymentIDsField(first int) func([]Text) string {
	return func(path []Text) string {
		if len(path) == 0 || path[0] != "paymentIds" {
			return ""
		}
		if len(path) == 2 {
			if n, err := strconv.Atoi(string(path[1])); err == nil {
				return "paymentIDs[" + strconv.Itoa(first+n) + "]"
			}
		}
		if len(path) == 1 {
			return "paymentIDs"
		}
		return ""
	}
}

// refundFields names refundPaymentCheckout's fields after
// RefundPaymentCheckoutInput's, with or without Hero's input object around
// them ("amount", "input.amount").
func refundFields(path []Text) string {
	if len(path) == 2 && path[0] == "input" {
		path = path[1:]
	}
	if len(path) != 1 {
		return ""
	}
	switch path[0] {
	case "amount":
		return "Amount"
	case "paymentCheckoutId":
		return "PaymentCheckoutID"
	}
	return ""
}
