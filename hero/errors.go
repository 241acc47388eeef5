package hero

import (
	"errors"
	"regexp"
	"strings"

	graphql "github.com/hasura/go-graphql-client"

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
// YY" and "Amount XX is bigger than paymentMax YY".
var amountLimit = regexp.MustCompile(`is (smaller|bigger) than payment(Min|Max)`)

// execError turns what the GraphQL client returned into a *payments.Error.
// body is the response body, if one arrived.
func (c *Client) execError(op string, err error, body []byte) error {
	// A transport failure or a non-2xx answer: httpx built the error already
	// (kind, HTTP status, Retry-After, redacted body); hasura wrapped it.
	var perr *payments.Error
	if errors.As(err, &perr) {
		return perr
	}
	raw := c.http.Redactor().Bytes(body)
	var errs graphql.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrUnavailable,
			Message: c.http.Redactor().String(err.Error()), Raw: raw, Err: err}
	}
	// Errors the GraphQL client made itself carry the cause; Hero's do not.
	if cause := errs[0].Unwrap(); cause != nil {
		e := &payments.Error{Provider: payments.Hero, Op: op, Message: c.http.Redactor().String(cause.Error()), Raw: raw, Err: cause}
		switch code, _ := errs[0].Extensions["code"].(string); code {
		case graphql.ErrGraphQLEncode, graphql.ErrJsonEncode:
			e.Kind = payments.ErrInvalidRequest
			e.Message = "cannot encode the request: " + e.Message
		case graphql.ErrJsonDecode:
			e.Kind, e.HTTPStatus = payments.ErrMalformedResponse, 200
			e.Message = "cannot decode the response: " + e.Message
		default:
			e.Kind = payments.ErrMalformedResponse
			if body == nil {
				e.Kind = payments.ErrUnavailable
			}
		}
		return e
	}
	return graphQLErrors(op, errs, raw)
}

// graphQLErrors maps a response's errors array. The first error decides the
// kind and code; every message is kept.
func graphQLErrors(op string, errs graphql.Errors, raw []byte) *payments.Error {
	e := &payments.Error{Provider: payments.Hero, Op: op, HTTPStatus: 200, Raw: raw}
	msgs := make([]string, 0, len(errs))
	for i, ge := range errs {
		kind, code, field := classify(ge.Message, extensionCode(ge.Extensions), len(ge.Path) > 0)
		if i == 0 {
			e.Kind, e.Code = kind, code
		}
		if field != "" {
			e.Fields = append(e.Fields, payments.FieldError{Field: field, Code: code, Message: ge.Message})
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
		return payments.ErrInvalidRequest, extCode, "amount"
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
// per entry, named with Hero's path.
func validationErrors(op string, verrs []ValidationError, raw []byte) *payments.Error {
	e := &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrInvalidRequest, HTTPStatus: 200, Raw: raw}
	for _, v := range verrs {
		e.Fields = append(e.Fields, payments.FieldError{Field: v.Field(), Message: v.ValidationError})
	}
	if len(e.Fields) == 0 {
		e.Message = "Hero refused the input without saying why"
	}
	return e
}

// malformed is an ErrMalformedResponse error about an answer that decoded
// but does not say what it must.
func malformed(op, msg string, raw []byte, err error) *payments.Error {
	return &payments.Error{Provider: payments.Hero, Op: op, Kind: payments.ErrMalformedResponse,
		Message: msg, HTTPStatus: 200, Raw: raw, Err: err}
}
