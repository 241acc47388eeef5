package hub2

import (
	"strconv"
	"strings"

	"github.com/unipay/payments/internal/check"
)

// The bounds on the text the adapter sends Hub2, checked before any request.
// Hub2 publishes no length for any of its fields: these are the library's
// own, generous enough for any real order and small enough that a runaway
// value is refused here, naming the field, rather than by Hub2.
const (
	// MaxReference bounds purchaseReference and customerReference
	// (CreateRequest.Reference, Customer.Reference): 255 characters, which
	// are bytes since Hub2 takes only letters, digits, '-', '_', '.' and
	// space.
	MaxReference = check.MaxReference
	// MaxBusinessName bounds overrideBusinessName (Options.BusinessName),
	// in bytes of UTF-8.
	MaxBusinessName = 255
	// MaxToken bounds the client JWT the adapter sends back (attempts,
	// OTPs, reads with ?token=): Hub2's are about 200 bytes.
	MaxToken = 4096
	// maxCode bounds the codes of providers, payment methods and workflows.
	maxCode = 32
	// maxEvents bounds the events of one webhook registration; Hub2 names
	// 14.
	maxEvents = 50
	// maxEvent bounds one event name, such as payment_intent.succeeded.
	maxEvent = 64
)

// checkToken records in fe why a client JWT cannot be sent: too long, or
// not printable ASCII (a JWT is base64url in three parts). Empty is fine:
// the callers then read the token from Hub2.
func checkToken(fe *check.FieldErrors, field, token string) {
	switch {
	case len(token) > MaxToken:
		fe.Addf(field, "is %d bytes long; a Hub2 client token is at most %d", len(token), MaxToken)
	case strings.IndexFunc(token, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0:
		fe.Add(field, "is not a client token: it holds spaces, control characters or non-ASCII")
	}
}

// checkCode records in fe why a non-empty provider, payment method or
// workflow code is not one Hub2 could name: Hub2's codes are lowercase
// letters, digits and underscores ("orange", "mobile_money").
func checkCode(fe *check.FieldErrors, field, code string) {
	switch {
	case len(code) > maxCode:
		fe.Addf(field, "is %d bytes long; Hub2's codes are at most %d", len(code), maxCode)
	case strings.IndexFunc(code, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') }) >= 0:
		fe.Addf(field, "%q is not a Hub2 code: lowercase letters, digits and '_', such as orange or mobile_money", check.Quote(code))
	}
}

// checkCountry records in fe why a non-empty country is not an ISO 3166-1
// alpha-2 code such as CI.
func checkCountry(fe *check.FieldErrors, field, country string) {
	if country == "" {
		return
	}
	if len(country) != 2 || strings.IndexFunc(country, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		fe.Addf(field, "%q is not an ISO 3166-1 alpha-2 code such as CI", check.Quote(country))
	}
}

// checkMSISDN records in fe why msisdn is not a number in the local format
// Hub2 takes.
func checkMSISDN(fe *check.FieldErrors, field, msisdn string) {
	switch {
	case msisdn == "":
		fe.Add(field, "is required to attempt the payment: the payer's number in local format")
	case strings.HasPrefix(msisdn, "+"):
		fe.Addf(field, "%q has a country prefix: Hub2 takes the local format, such as 0700000000", check.Quote(msisdn))
	case !digits(msisdn, 8, 12):
		fe.Addf(field, "%q is not a local mobile number (8 to 12 digits)", check.Quote(msisdn))
	}
}

// checkURL records in fe why a non-empty URL cannot be given to Hub2.
func checkURL(fe *check.FieldErrors, field, u string) {
	if u == "" {
		return
	}
	if msg := check.URL(u, false); msg != "" {
		fe.Add(field, msg)
	}
}

// checkAttempt records what is wrong with an attempt's body. Field names
// are its Go paths: Provider, MobileMoney.MSISDN.
func checkAttempt(fe *check.FieldErrors, req AttemptRequest) {
	checkToken(fe, "Token", req.Token)
	if req.PaymentMethod == "" {
		fe.Add("PaymentMethod", "is required, such as mobile_money")
	}
	checkCode(fe, "PaymentMethod", string(req.PaymentMethod))
	if req.Country == "" {
		fe.Add("Country", "is required, such as CI")
	}
	checkCountry(fe, "Country", req.Country)
	if req.Provider == "" {
		fe.Add("Provider", "is required, such as orange, mtn, moov or wave")
	}
	checkCode(fe, "Provider", req.Provider)
	checkURL(fe, "OnCancelRedirectionURL", req.OnCancelRedirectionURL)
	checkURL(fe, "OnFinishRedirectionURL", req.OnFinishRedirectionURL)
	mm := req.MobileMoney
	if mm == nil {
		if req.PaymentMethod == MobileMoney {
			fe.Add("MobileMoney", "is required for a mobile_money attempt: the payer's number")
		}
		return
	}
	checkMSISDN(fe, "MobileMoney.MSISDN", mm.MSISDN)
	if mm.OTP != "" && !digits(mm.OTP, 4, 8) {
		fe.Add("MobileMoney.OTP", "must be the 4 to 8 digits the customer generated")
	}
	checkCode(fe, "MobileMoney.Workflow", mm.Workflow)
	checkURL(fe, "MobileMoney.OnSuccessRedirectionURL", mm.OnSuccessRedirectionURL)
	checkURL(fe, "MobileMoney.OnFailedRedirectionURL", mm.OnFailedRedirectionURL)
	checkURL(fe, "MobileMoney.OnCancelRedirectionURL", mm.OnCancelRedirectionURL)
	checkURL(fe, "MobileMoney.OnFinishRedirectionURL", mm.OnFinishRedirectionURL)
}

// checkWebhook records what is wrong with a webhook registration.
func checkWebhook(fe *check.FieldErrors, req WebhookRequest) {
	if req.URL == "" {
		fe.Add("URL", "is required")
	}
	checkURL(fe, "URL", req.URL)
	switch {
	case len(req.Events) == 0:
		fe.Add("Events", "name at least one event, such as payment_intent.succeeded")
	case len(req.Events) > maxEvents:
		fe.Addf("Events", "has %d events; at most %d are allowed", len(req.Events), maxEvents)
	}
	for i, ev := range req.Events {
		if ev == "" || len(ev) > maxEvent || strings.IndexFunc(ev, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r == '_' || r == '.')
		}) >= 0 {
			fe.Addf(eventField(i), "%q is not a Hub2 event name such as payment_intent.succeeded", check.Quote(ev))
		}
	}
	check.Prose(fe, "Description", req.Description, check.MaxDescription)
	check.Metadata(fe, req.Metadata, check.MaxMetadata)
}

func eventField(i int) string { return "Events[" + strconv.Itoa(i) + "]" }
