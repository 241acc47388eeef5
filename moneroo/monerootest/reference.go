package monerootest

import "github.com/unipay/payments"

// This file holds the reference data Moneroo's answers embed: currency and
// country objects. Their keys are those of Moneroo's docs (the currency
// object of the verify example) and of the official Flutter SDK's models
// (the country object of the payment-method catalogue); their values are
// public ISO data, not read from Moneroo.

// currencyInfo is what a currency object says besides the code.
type currencyInfo struct {
	name, plural, symbol, subunit string
	symbolFirst                   bool
	decimalMark, thousands        string
}

// currencyInfos covers the currencies of the catalogue. XOF and USD are as
// Moneroo's examples print them.
var currencyInfos = map[string]currencyInfo{
	"CDF": {"Congolese Franc", "Congolese francs", "FC", "Centime", false, ".", ","},
	"EUR": {"Euro", "euros", "€", "Cent", true, ",", "."},
	"GHS": {"Ghanaian Cedi", "Ghanaian cedis", "₵", "Pesewa", true, ".", ","},
	"GNF": {"Guinean Franc", "Guinean francs", "FG", "Centime", false, ".", ","},
	"KES": {"Kenyan Shilling", "Kenyan shillings", "KSh", "Cent", true, ".", ","},
	"MWK": {"Malawian Kwacha", "Malawian kwachas", "MK", "Tambala", false, ".", ","},
	"NGN": {"Nigerian Naira", "Nigerian nairas", "₦", "Kobo", true, ".", ","},
	"RWF": {"Rwandan Franc", "Rwandan francs", "FRw", "Centime", false, ".", ","},
	"TZS": {"Tanzanian Shilling", "Tanzanian shillings", "TSh", "Cent", false, ".", ","},
	"UGX": {"Ugandan Shilling", "Ugandan shillings", "USh", "Cent", false, ".", ","},
	"USD": {"US Dollar", "US dollars", "$", "Cent", true, ".", ","},
	"XAF": {"CFA Franc BEAC", "CFA francs BEAC", "FCFA", "Centime", false, ",", "."},
	"XOF": {"CFA Franc BCEAO", "CFA francs BCEAO", "XOF", "Centime", false, ",", "."},
	"ZAR": {"South African Rand", "South African rand", "R", "Cent", true, ".", ","},
	"ZMW": {"Zambian Kwacha", "Zambian kwachas", "ZK", "Ngwee", false, ".", ","},
}

// currencyObject is code as Moneroo's verify answer describes a currency.
func currencyObject(code string) map[string]any {
	info, ok := currencyInfos[code]
	if !ok {
		info = currencyInfo{name: code, plural: code, symbol: code, subunit: "Cent", decimalMark: ".", thousands: ","}
	}
	d, _ := payments.MinorUnits(code)
	return map[string]any{
		"name": info.name, "symbol": info.symbol, "symbol_first": info.symbolFirst, "decimals": d,
		"decimal_mark": info.decimalMark, "thousands_separator": info.thousands, "subunit": info.subunit,
		// Moneroo prints 100 even for XOF, whose decimals are 0.
		"subunit_to_unit": 100, "symbol_native": info.symbol, "decimal_digits": d, "rounding": 0,
		"code": code, "name_plural": info.plural,
		"icon_url": "https://assets.cdn.moneroo.io/currencies/" + code + ".svg",
	}
}

// methodCurrency is code as the payment-method catalogue describes it.
func methodCurrency(code string) map[string]any {
	info, ok := currencyInfos[code]
	if !ok {
		info.name, info.symbol = code, code
	}
	return map[string]any{
		"name": info.name, "symbol": info.symbol, "code": code,
		"icon_url": "https://assets.cdn.moneroo.io/currencies/" + code + ".svg",
	}
}

// country is one entry of the country table.
type country struct {
	alpha3, name, dial, currency string
}

// countries are those of the catalogue's methods.
var countries = map[string]country{
	"AT": {"AUT", "Austria", "+43", "EUR"},
	"BE": {"BEL", "Belgium", "+32", "EUR"},
	"BF": {"BFA", "Burkina Faso", "+226", "XOF"},
	"BG": {"BGR", "Bulgaria", "+359", "EUR"},
	"BJ": {"BEN", "Benin", "+229", "XOF"},
	"CD": {"COD", "Democratic Republic of the Congo", "+243", "CDF"},
	"CF": {"CAF", "Central African Republic", "+236", "XAF"},
	"CG": {"COG", "Congo", "+242", "XAF"},
	"CI": {"CIV", "Côte d'Ivoire", "+225", "XOF"},
	"CM": {"CMR", "Cameroon", "+237", "XAF"},
	"CY": {"CYP", "Cyprus", "+357", "EUR"},
	"CZ": {"CZE", "Czechia", "+420", "CZK"},
	"DE": {"DEU", "Germany", "+49", "EUR"},
	"DK": {"DNK", "Denmark", "+45", "DKK"},
	"EE": {"EST", "Estonia", "+372", "EUR"},
	"ES": {"ESP", "Spain", "+34", "EUR"},
	"FI": {"FIN", "Finland", "+358", "EUR"},
	"FR": {"FRA", "France", "+33", "EUR"},
	"GA": {"GAB", "Gabon", "+241", "XAF"},
	"GH": {"GHA", "Ghana", "+233", "GHS"},
	"GN": {"GIN", "Guinea", "+224", "GNF"},
	"GQ": {"GNQ", "Equatorial Guinea", "+240", "XAF"},
	"GR": {"GRC", "Greece", "+30", "EUR"},
	"GW": {"GNB", "Guinea-Bissau", "+245", "XOF"},
	"HR": {"HRV", "Croatia", "+385", "EUR"},
	"HU": {"HUN", "Hungary", "+36", "HUF"},
	"IE": {"IRL", "Ireland", "+353", "EUR"},
	"IT": {"ITA", "Italy", "+39", "EUR"},
	"KE": {"KEN", "Kenya", "+254", "KES"},
	"LT": {"LTU", "Lithuania", "+370", "EUR"},
	"LU": {"LUX", "Luxembourg", "+352", "EUR"},
	"LV": {"LVA", "Latvia", "+371", "EUR"},
	"ML": {"MLI", "Mali", "+223", "XOF"},
	"MT": {"MLT", "Malta", "+356", "EUR"},
	"MW": {"MWI", "Malawi", "+265", "MWK"},
	"NE": {"NER", "Niger", "+227", "XOF"},
	"NG": {"NGA", "Nigeria", "+234", "NGN"},
	"NL": {"NLD", "Netherlands", "+31", "EUR"},
	"PL": {"POL", "Poland", "+48", "PLN"},
	"PT": {"PRT", "Portugal", "+351", "EUR"},
	"RO": {"ROU", "Romania", "+40", "RON"},
	"RW": {"RWA", "Rwanda", "+250", "RWF"},
	"SE": {"SWE", "Sweden", "+46", "SEK"},
	"SI": {"SVN", "Slovenia", "+386", "EUR"},
	"SK": {"SVK", "Slovakia", "+421", "EUR"},
	"SN": {"SEN", "Senegal", "+221", "XOF"},
	"TD": {"TCD", "Chad", "+235", "XAF"},
	"TG": {"TGO", "Togo", "+228", "XOF"},
	"TZ": {"TZA", "Tanzania", "+255", "TZS"},
	"UG": {"UGA", "Uganda", "+256", "UGX"},
	"US": {"USA", "United States", "+1", "USD"},
	"ZA": {"ZAF", "South Africa", "+27", "ZAR"},
	"ZM": {"ZMB", "Zambia", "+260", "ZMW"},
}

// countryObject is code as Moneroo describes a country, or nil for a code
// the table lacks.
func countryObject(code string) map[string]any {
	c, ok := countries[code]
	if !ok {
		return nil
	}
	symbol := c.currency
	if info, ok := currencyInfos[c.currency]; ok {
		symbol = info.symbol
	}
	if c.currency == "XOF" {
		symbol = "CFA" // as Moneroo's verify example prints it for Benin
	}
	return map[string]any{
		"name": c.name, "code": code, "alpha_3_code": c.alpha3, "dial_code": c.dial,
		"currency": c.currency, "currency_symbol": symbol,
		"flag": "https://cdn.axazara.com/flags/svg/" + code + ".svg",
	}
}

// countryName is the name of country code, or "" if the table lacks it.
func countryName(code string) string { return countries[code].name }
