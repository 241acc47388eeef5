package hub2

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// This file holds what the client checks of a transfer before sending it:
// Hub2's payout limits, the international form of a recipient's number, and
// the bounds of the transfer's text.

// MaxRecipientName bounds a transfer's destination.recipientName
// (RefundOptions.RecipientName), in bytes of UTF-8: Hub2 publishes no
// length; this is the library's own.
const MaxRecipientName = 255

// maxSender bounds the JSON of TransferRequest.Sender, the library's own
// bound.
const maxSender = 4096

// payoutLimits is Hub2's payout policy per country, checked before any
// transfer. Source: Hub2's policies page,
// https://docs.hub2.io/documentation/en/policies, payout table: amounts from
// 100 to 1,500,000 in multiples of 5 (in Guinea, 10,000 to 1,500,000 GNF in
// multiples of 1000).
var payoutLimits = []amountLimit{
	{Country: "CI", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "SN", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "BF", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "ML", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "BJ", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "TG", Currency: "XOF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "CM", Currency: "XAF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "GA", Currency: "XAF", Min: 100, Max: 1_500_000, Multiple: 5},
	{Country: "GN", Currency: "GNF", Min: 10_000, Max: 1_500_000, Multiple: 1000},
}

// callingCodes are the ITU country calling codes of Hub2's countries: a
// number's international form is "+", the code, then the number as it is
// dialled in the country (whose leading 0, in Côte d'Ivoire's ten-digit
// plan, is part of the number).
var callingCodes = map[string]string{
	"CI": "225", "SN": "221", "BF": "226", "ML": "223", "BJ": "229", "TG": "228",
	"CM": "237", "GA": "241", "GN": "224",
}

func payoutLimit(country string) (amountLimit, bool) {
	for _, l := range payoutLimits {
		if l.Country == country {
			return l, true
		}
	}
	return amountLimit{}, false
}

// checkPayoutAmount records in fe what Hub2's payout policy refuses about
// amount m sent to country (a Hub2 country, checked by the caller): another
// currency than the country's (named currencyField), or an amount outside
// its range or not a multiple of its step (named field). A zero or negative
// amount is left to the caller.
func checkPayoutAmount(fe *check.FieldErrors, field, currencyField string, m payments.Money, country string) {
	l, ok := payoutLimit(country)
	if !ok || m.Amount <= 0 {
		return
	}
	switch {
	case m.Currency != l.Currency:
		fe.Addf(currencyField, "transfers to %s are in %s, not %s", country, l.Currency, check.Quote(m.Currency))
	case m.Amount < l.Min || m.Amount > l.Max:
		fe.Addf(field, "%s is outside Hub2's transfer limits for %s: %d to %d %s", m, country, l.Min, l.Max, l.Currency)
	case m.Amount%l.Multiple != 0:
		fe.Addf(field, "%s is not a multiple of %d, as Hub2's transfers to %s must be: the library never rounds", m, l.Multiple, country)
	}
}

// checkPayoutCountry records in fe when a non-empty country is not one Hub2
// sends transfers to.
func checkPayoutCountry(fe *check.FieldErrors, field, country string) {
	if country == "" {
		return
	}
	if _, ok := callingCodes[country]; !ok {
		fe.Addf(field, "%q is not a Hub2 country (%s)", check.Quote(country), strings.Join(hub2Countries(), ", "))
	}
}

// internationalMSISDN returns msisdn in the international form a transfer
// takes, for an operator of country: a number already in that form is
// checked (its calling code must be the country's), a local one (8 to 12
// digits, as a pay-in attempt takes it) gets the country's calling code.
// It returns why it cannot, or "".
func internationalMSISDN(msisdn, country string) (string, string) {
	code, known := callingCodes[country]
	switch {
	case msisdn == "":
		return "", "is required: the recipient's mobile-money number, such as +2250700000000"
	case strings.HasPrefix(msisdn, "+"):
		if !check.E164(msisdn) {
			return "", "is not a number in international form: '+', the calling code, then 8 to 15 digits in all"
		}
		if known && !strings.HasPrefix(msisdn[1:], code) {
			return "", "does not start with +" + code + ", the calling code of " + country
		}
		if known && !digits(msisdn[1+len(code):], 8, 12) {
			return "", "has not 8 to 12 digits after +" + code
		}
		return msisdn, ""
	case !digits(msisdn, 8, 12):
		return "", "is not a mobile number: 8 to 12 digits in local form, or '+' and the calling code before them"
	case !known:
		return "", "is in local form, and the country that gives its calling code is not known"
	}
	return "+" + code + msisdn, ""
}

// checkTransfer records what is wrong with a transfer's body, naming the
// fields by their Go paths in TransferRequest.
func checkTransfer(fe *check.FieldErrors, req TransferRequest) {
	if strings.TrimSpace(req.Reference) == "" {
		fe.Add("Reference", "is required")
	}
	if len(req.Reference) > MaxReference {
		fe.Addf("Reference", "is %d bytes long; at most %d are allowed", len(req.Reference), MaxReference)
	}
	checkReference(fe, "Reference", req.Reference)
	if req.Amount <= 0 {
		fe.Add("Amount", "must be positive")
	}
	if _, ok := currencyCountries[req.Currency]; !ok {
		fe.Addf("Currency", "%q is not a Hub2 currency (XOF, XAF, GNF)", check.Quote(req.Currency))
	}
	if strings.TrimSpace(req.Description) == "" {
		fe.Add("Description", "is required")
	}
	check.Prose(fe, "Description", req.Description, check.MaxDescription)
	d := req.Destination
	if d.Type != DestinationMobileMoney {
		fe.Addf("Destination.Type", "%q is not %q, the only destination the client sends", check.Quote(d.Type), DestinationMobileMoney)
	}
	if d.Country == "" {
		fe.Add("Destination.Country", "is required, such as CI")
	}
	checkCountry(fe, "Destination.Country", d.Country)
	checkPayoutCountry(fe, "Destination.Country", d.Country)
	if d.Provider == "" {
		fe.Add("Destination.Provider", "is required, such as orange, mtn, moov or wave")
	}
	checkCode(fe, "Destination.Provider", d.Provider)
	if cs, ok := providerCountries[d.Provider]; ok && d.Country != "" && !slices.Contains(cs, d.Country) {
		fe.Addf("Destination.Provider", "%s operates only in %s, not %s", d.Provider, strings.Join(cs, ", "), d.Country)
	}
	if strings.TrimSpace(d.RecipientName) == "" {
		fe.Add("Destination.RecipientName", "is required: the account holder's name")
	}
	check.Text(fe, "Destination.RecipientName", d.RecipientName, MaxRecipientName)
	switch {
	case d.MSISDN == "":
		fe.Add("Destination.MSISDN", "is required, in international form such as +2250700000000")
	case !strings.HasPrefix(d.MSISDN, "+"):
		fe.Addf("Destination.MSISDN", "%q is not in international form: a transfer takes '+' and the calling code, such as +2250700000000", check.Quote(d.MSISDN))
	default:
		if _, msg := internationalMSISDN(d.MSISDN, d.Country); msg != "" {
			fe.Add("Destination.MSISDN", msg)
		}
	}
	if len(req.Sender) > 0 {
		var obj map[string]json.RawMessage
		switch {
		case len(req.Sender) > maxSender:
			fe.Addf("Sender", "is %d bytes long; at most %d are allowed", len(req.Sender), maxSender)
		case json.Unmarshal(req.Sender, &obj) != nil || obj == nil:
			fe.Add("Sender", "must be a JSON object")
		}
	}
	check.Text(fe, "OverrideBusinessName", req.OverrideBusinessName, MaxBusinessName)
	if d.Country != "" && req.Amount > 0 {
		checkPayoutAmount(fe, "Amount", "Currency", payments.Money{Amount: int64(req.Amount), Currency: req.Currency}, d.Country)
	}
}
