package moneroo

import "slices"

// DemoPayoutMethod is the payout method of Moneroo's sandbox ("Test Payout
// Method", USD). It takes the recipient's account number instead of an
// MSISDN: 4149518161 succeeds, 4149518162 fails, 4149518163 stays pending
// (https://docs.moneroo.io/payouts/testing).
const DemoPayoutMethod = "moneroo_payout_demo"

// demoPaymentMethod is the payment method of Moneroo's sandbox, whose
// payments a refund pays back with DemoPayoutMethod.
const demoPaymentMethod = "moneroo_payment_demo"

// payoutMethods are Moneroo's payout methods, from its "Available methods"
// page for payouts (https://docs.moneroo.io/payouts/available-methods),
// sorted. All of them take the recipient's number in international form
// without "+" (recipient.msisdn), except DemoPayoutMethod.
var payoutMethods = []string{
	"airtel_cd", "airtel_mw", "airtel_ng", "airtel_rw", "airtel_tz", "airtel_ug", "airtel_zm",
	"djamo_ci", "djamo_sn", "e_money_sn", "eu_mobile_cm", "freemoney_sn", "halopesa_tz",
	"moneroo_payout_demo", "moov_bj", "moov_ci", "moov_tg", "mpesa_ke", "mpesa_tz",
	"mtn_bj", "mtn_ci", "mtn_cm", "mtn_gh", "mtn_ng", "mtn_rw", "mtn_ug", "mtn_zm",
	"orange_cd", "orange_ci", "orange_cm", "orange_ml", "orange_sn",
	"tigo_gh", "tigo_tz", "tnm_mw", "togocel", "vodacom_cd", "vodafone_gh",
	"wave_ci", "wave_sn", "zamtel_zm",
}

// payoutCurrencies are the currencies of the payout methods, sorted.
var payoutCurrencies = []string{"CDF", "GHS", "KES", "MWK", "NGN", "RWF", "TZS", "UGX", "USD", "XAF", "XOF", "ZMW"}

// PayoutMethods returns the short codes of Moneroo's payout methods, as its
// docs list them, sorted. Moneroo adds methods over time: InitializePayout
// takes any short code, not only these.
func PayoutMethods() []string { return slices.Clone(payoutMethods) }

// PayoutMethod returns the payout method that sends money back to a payer
// who paid with paymentMethod, and whether there is one. 38 payment methods
// are payout methods too, under the same code: the airtel_* (not
// airtel_ne), the mtn_* (not mtn_gn), orange_cd, orange_ci, orange_cm,
// orange_ml and orange_sn, moov_bj, moov_ci and moov_tg, wave_ci and
// wave_sn, mpesa_ke and mpesa_tz, tigo_gh and tigo_tz, vodacom_cd,
// vodafone_gh, togocel, tnm_mw, halopesa_tz, e_money_sn, eu_mobile_cm,
// freemoney_sn and zamtel_zm; the sandbox's moneroo_payment_demo maps to
// DemoPayoutMethod. Cards, crypto, bank transfer, QR codes, USSD,
// airtel_ne, mobi_cash_ml, moov_bf, moov_ml, mtn_gn, orange_bf, orange_gn
// and wizall_sn have none: Moneroo cannot pay those payers back.
func PayoutMethod(paymentMethod string) (string, bool) {
	if paymentMethod == demoPaymentMethod {
		return DemoPayoutMethod, true
	}
	if paymentMethod == DemoPayoutMethod {
		return "", false // a payout method, never a payment's
	}
	_, found := slices.BinarySearch(payoutMethods, paymentMethod)
	if !found || !slices.Contains(paymentMethods, paymentMethod) {
		return "", false
	}
	return paymentMethod, true
}

// RefundableMethods returns the payment methods whose payments a refund by
// payout can pay back (those PayoutMethod maps), sorted. Give them to
// Options.Methods to offer payers only methods the shop can refund.
func RefundableMethods() []string {
	var out []string
	for _, m := range paymentMethods {
		if _, ok := PayoutMethod(m); ok {
			out = append(out, m)
		}
	}
	return out
}

// paymentMethods are Moneroo's payment methods, from its "Available
// methods" page for payments (https://docs.moneroo.io/payments/available-methods),
// sorted.
var paymentMethods = []string{
	"airtel_cd", "airtel_mw", "airtel_ne", "airtel_ng", "airtel_rw", "airtel_tz", "airtel_ug", "airtel_zm",
	"bank_transfer_ng", "barter",
	"card_ghs", "card_kes", "card_ngn", "card_tzs", "card_ugx", "card_usd", "card_xaf", "card_xof", "card_zar",
	"crypto_eur", "crypto_ghs", "crypto_ngn", "crypto_usd", "crypto_xaf", "crypto_xof",
	"e_money_sn", "eu_mobile_cm", "freemoney_sn", "halopesa_tz", "mobi_cash_ml", "moneroo_payment_demo",
	"moov_bf", "moov_bj", "moov_ci", "moov_ml", "moov_tg", "mpesa_ke", "mpesa_tz",
	"mtn_bj", "mtn_ci", "mtn_cm", "mtn_gh", "mtn_gn", "mtn_ng", "mtn_rw", "mtn_ug", "mtn_zm",
	"orange_bf", "orange_cd", "orange_ci", "orange_cm", "orange_gn", "orange_ml", "orange_sn",
	"qr_ngn", "tigo_gh", "tigo_tz", "tnm_mw", "togocel", "ussd_ngn", "vodacom_cd", "vodafone_gh",
	"wave_ci", "wave_sn", "wizall_sn", "zamtel_zm",
}
