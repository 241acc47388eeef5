package hub2

import (
	"strings"

	"github.com/unipay/payments"
)

// Hub2's error body has no list of fields: a refused field is named only
// at the start of a message, in the way of Hub2's framework's validation
// ("purchaseReference must match …", "mobileMoney.msisdn should not be
// empty", "property onFinishRedirectionUrl should not exist"), one message
// per field in the older list-of-messages body. The adapter reads that
// name when it is one of the fields it sends, and reports it as a
// FieldError: ProviderField is Hub2's name, Field the Go path of the field
// in the request the merchant gave. Other messages name no field.

// wireFields maps Hub2's names of the fields of a request body (and of the
// fees query) to their Go paths in this package's request types.
var wireFields = map[string]string{
	"purchaseReference":                   "PurchaseReference",
	"customerReference":                   "CustomerReference",
	"amount":                              "Amount",
	"currency":                            "Currency",
	"overrideBusinessName":                "OverrideBusinessName",
	"token":                               "Token",
	"paymentMethod":                       "PaymentMethod",
	"country":                             "Country",
	"provider":                            "Provider",
	"onCancelRedirectionUrl":              "OnCancelRedirectionURL",
	"onFinishRedirectionUrl":              "OnFinishRedirectionURL",
	"mobileMoney":                         "MobileMoney",
	"mobileMoney.msisdn":                  "MobileMoney.MSISDN",
	"mobileMoney.otp":                     "MobileMoney.OTP",
	"mobileMoney.workflow":                "MobileMoney.Workflow",
	"mobileMoney.onSuccessRedirectionUrl": "MobileMoney.OnSuccessRedirectionURL",
	"mobileMoney.onFailedRedirectionUrl":  "MobileMoney.OnFailedRedirectionURL",
	"mobileMoney.onCancelRedirectionUrl":  "MobileMoney.OnCancelRedirectionURL",
	"mobileMoney.onFinishRedirectionUrl":  "MobileMoney.OnFinishRedirectionURL",
	"confirmationCode":                    "code",
	"url":                                 "URL",
	"events":                              "Events",
	"description":                         "Description",
	"metadata":                            "Metadata",
	"reference":                           "Reference",
	"destination":                         "Destination",
	"destination.type":                    "Destination.Type",
	"destination.country":                 "Destination.Country",
	"destination.recipientName":           "Destination.RecipientName",
	"destination.msisdn":                  "Destination.MSISDN",
	"destination.provider":                "Destination.Provider",
	"sender":                              "Sender",
}

// authFields are Authenticate's parameters, whose names differ from the
// attempt's fields.
var authFields = map[string]string{"token": "token", "confirmationCode": "code"}

// messageFields returns a FieldError for each message that names a field
// Hub2 was sent, for operation op.
func messageFields(op string, messages []string) []payments.FieldError {
	var out []payments.FieldError
	for _, m := range messages {
		name := messageField(m)
		if name == "" {
			continue
		}
		field, ok := wireFields[name]
		if op == opAuthenticate {
			field, ok = authFields[name]
		}
		if !ok {
			continue
		}
		out = append(out, payments.FieldError{Field: field, ProviderField: name, Message: m})
	}
	return out
}

// messageField returns the field a validation message starts with, or "".
func messageField(m string) string {
	if rest, ok := strings.CutPrefix(m, "property "); ok {
		if name, tail, ok := strings.Cut(rest, " "); ok && strings.HasPrefix(tail, "should not exist") {
			return name
		}
		return ""
	}
	name, _, ok := strings.Cut(m, " ")
	if !ok {
		return ""
	}
	return name
}

// createFields maps the Go paths of CreateIntentRequest and AttemptRequest
// to those of payments.CreateRequest, for the errors of Create, which
// builds those requests from the merchant's.
var createFields = map[string]string{
	"PurchaseReference":                   "Reference",
	"Amount":                              "Amount",
	"Currency":                            "Amount.Currency",
	"OverrideBusinessName":                "Options.BusinessName",
	"Country":                             "Options.Country",
	"Provider":                            "Options.Provider",
	"MobileMoney":                         "Options.MSISDN",
	"MobileMoney.MSISDN":                  "Options.MSISDN",
	"MobileMoney.OTP":                     "Options.OTP",
	"MobileMoney.Workflow":                "Options.Workflow",
	"MobileMoney.OnSuccessRedirectionURL": "ReturnURL",
	"MobileMoney.OnFinishRedirectionURL":  "ReturnURL",
}

// createError renames, in an error of the requests Create made, the
// fields Hub2 named to the merchant's CreateRequest: the customer
// reference is Customer.Reference when the merchant gave one (else it is
// the order's Reference), the failed and cancel URLs are CancelURL when
// given (else ReturnURL). A field that is none of the merchant's keeps
// Hub2's name.
func createError(err error, req payments.CreateRequest) error {
	perr, ok := err.(*payments.Error)
	if !ok || len(perr.Fields) == 0 {
		return err
	}
	for i := range perr.Fields {
		f := &perr.Fields[i]
		if path, ok := createFields[f.Field]; ok {
			f.Field = path
			continue
		}
		switch f.Field {
		case "CustomerReference":
			f.Field = "Reference"
			if req.Customer != nil && req.Customer.Reference != "" {
				f.Field = "Customer.Reference"
			}
		case "MobileMoney.OnFailedRedirectionURL", "MobileMoney.OnCancelRedirectionURL":
			f.Field = "ReturnURL"
			if req.CancelURL != "" {
				f.Field = "CancelURL"
			}
		default:
			f.Field = f.ProviderField
		}
	}
	return perr
}
