package monerootest

import "strings"

// method is one entry of the simulated payment-method catalogue.
type method struct {
	Code, Name, Currency string
	Countries            []string // nil: anywhere
}

// catalogue is Moneroo's payment-method table as its "Available methods" page
// lists it (https://docs.moneroo.io/payments/available-methods), in its order.
var catalogue = []method{
	{"airtel_cd", "Airtel Congo", "CDF", []string{"CD"}},
	{"airtel_mw", "Airtel Money Malawi", "MWK", []string{"MW"}},
	{"airtel_ne", "Airtel Niger", "XOF", []string{"NE"}},
	{"airtel_ng", "Airtel Money Nigeria", "NGN", []string{"NG"}},
	{"airtel_rw", "Airtel Rwanda", "RWF", []string{"RW"}},
	{"airtel_tz", "Airtel Tanzania", "TZS", []string{"TZ"}},
	{"airtel_ug", "Airtel Uganda", "UGX", []string{"UG"}},
	{"airtel_zm", "Airtel Zambia", "ZMW", []string{"ZM"}},
	{"bank_transfer_ng", "Bank Transfer NG", "NGN", []string{"NG"}},
	{"barter", "Barter", "NGN", []string{"NG"}},
	{"card_ghs", "Credit Card GHS", "GHS", []string{"GH"}},
	{"card_kes", "Card Kenya", "KES", []string{"KE"}},
	{"card_ngn", "Credit Card NGN", "NGN", []string{"NG"}},
	{"card_tzs", "Card Tanzania", "TZS", []string{"TZ"}},
	{"card_ugx", "Card Uganda", "UGX", []string{"UG"}},
	{"card_usd", "Credit Card USD", "USD", nil},
	{"card_xaf", "Credit Card XAF", "XAF", []string{"CM", "CF", "CG", "GA", "GQ", "TD"}},
	{"card_xof", "Credit Card XOF", "XOF", []string{"CI", "BF", "TG", "BJ", "ML"}},
	{"card_zar", "Credit Card ZAR", "ZAR", []string{"ZA"}},
	{"crypto_eur", "Crypto EUR", "EUR", []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}},
	{"crypto_ghs", "Crypto GHS", "GHS", []string{"GH"}},
	{"crypto_ngn", "Crypto NGN", "NGN", []string{"NG"}},
	{"crypto_usd", "Crypto USD", "USD", []string{"US"}},
	{"crypto_xaf", "Crypto XAF", "XAF", []string{"CM", "CF", "CG", "GA", "GQ", "TD"}},
	{"crypto_xof", "Crypto XOF", "XOF", []string{"BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"}},
	{"e_money_sn", "E-Money Senegal", "XOF", []string{"SN"}},
	{"eu_mobile_cm", "EU Mobile Money Cameroon", "XAF", []string{"CM"}},
	{"freemoney_sn", "Free Money Senegal", "XOF", []string{"SN"}},
	{"halopesa_tz", "Halopesa", "TZS", []string{"TZ"}},
	{"mobi_cash_ml", "Mobi Cash Mali", "XOF", []string{"ML"}},
	{"moneroo_payment_demo", "Test Payment Method", "USD", []string{"US"}},
	{"moov_bf", "Moov Burkina Faso", "XOF", []string{"BF"}},
	{"moov_bj", "Moov Money Benin", "XOF", []string{"BJ"}},
	{"moov_ci", "Moov Money CI", "XOF", []string{"CI"}},
	{"moov_ml", "Moov Money Mali", "XOF", []string{"ML"}},
	{"moov_tg", "Moov Money Togo", "XOF", []string{"TG"}},
	{"mpesa_ke", "M-Pesa Kenya", "KES", []string{"KE"}},
	{"mpesa_tz", "Vodacom Tanzania", "TZS", []string{"TZ"}},
	{"mtn_bj", "MTN MoMo Benin", "XOF", []string{"BJ"}},
	{"mtn_ci", "MTN MoMo CI", "XOF", []string{"CI"}},
	{"mtn_cm", "MTN MoMo Cameroon", "XAF", []string{"CM"}},
	{"mtn_gh", "MTN MoMo Ghana", "GHS", []string{"GH"}},
	{"mtn_gn", "MTN MoMo Guinea", "GNF", []string{"GN"}},
	{"mtn_ng", "MTN Nigeria", "NGN", []string{"NG"}},
	{"mtn_rw", "MTN MoMo Rwanda", "RWF", []string{"RW"}},
	{"mtn_ug", "MTN MoMo Uganda", "UGX", []string{"UG"}},
	{"mtn_zm", "MTN MoMo Zambia", "ZMW", []string{"ZM"}},
	{"orange_bf", "Orange Burkina Faso", "XOF", []string{"BF"}},
	{"orange_cd", "Orange Congo", "CDF", []string{"CD"}},
	{"orange_ci", "Orange Money CI", "XOF", []string{"CI"}},
	{"orange_cm", "Orange Money Cameroon", "XAF", []string{"CM"}},
	{"orange_gn", "Orange Money Guinea", "GNF", []string{"GN"}},
	{"orange_ml", "Orange Money Mali", "XOF", []string{"ML"}},
	{"orange_sn", "Orange Money Senegal", "XOF", []string{"SN"}},
	{"qr_ngn", "QR Code Nigeria", "NGN", []string{"NG"}},
	{"tigo_gh", "Airtel/Tigo Ghana", "GHS", []string{"GH"}},
	{"tigo_tz", "Tigo Tanzania", "TZS", []string{"TZ"}},
	{"tnm_mw", "TNM Mpamba Malawi", "MWK", []string{"MW"}},
	{"togocel", "Togocel Money", "XOF", []string{"TG"}},
	{"ussd_ngn", "USSD NGN", "NGN", []string{"NG"}},
	{"vodacom_cd", "Vodacom Congo", "CDF", []string{"CD"}},
	{"vodafone_gh", "Vodafone Ghana", "GHS", []string{"GH"}},
	{"wave_ci", "Wave CI", "XOF", []string{"CI"}},
	{"wave_sn", "Wave Senegal", "XOF", []string{"SN"}},
	{"wizall_sn", "Wizall Senegal", "XOF", []string{"SN"}},
	{"zamtel_zm", "Zamtel Kwacha", "ZMW", []string{"ZM"}},
}

// fields are the payer fields the hosted page asks for with m: a phone
// number for mobile money, nothing else for cards, crypto, bank transfer,
// QR codes and USSD.
func (m method) fields() []any {
	for _, prefix := range []string{"card_", "crypto_", "bank_transfer_", "qr_", "ussd_", "barter"} {
		if strings.HasPrefix(m.Code, prefix) {
			return []any{}
		}
	}
	return []any{map[string]any{"label": "Phone number", "type": "tel", "name": "phone", "length": nil}}
}

// findMethod returns the catalogue entry with code.
func findMethod(code string) (method, bool) {
	for _, m := range catalogue {
		if m.Code == code {
			return m, true
		}
	}
	return method{}, false
}

// currencySupported reports whether some method takes currency.
func currencySupported(currency string) bool {
	for _, m := range catalogue {
		if m.Currency == currency {
			return true
		}
	}
	return false
}

// methodFor picks the method a simulated payer uses: the first one the
// checkout allows, else Moneroo's test method for USD, else the first
// catalogue method in the currency.
func methodFor(currency string, allowed []string) method {
	if len(allowed) > 0 {
		if m, ok := findMethod(allowed[0]); ok {
			return m
		}
	}
	if currency == "USD" {
		m, _ := findMethod("moneroo_payment_demo")
		return m
	}
	for _, m := range catalogue {
		if m.Currency == currency {
			return m
		}
	}
	return method{Code: "moneroo_payment_demo", Name: "Test Payment Method", Currency: currency}
}
