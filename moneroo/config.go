package moneroo

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// BaseURL is Moneroo's API origin. Sandbox and live share it: the secret key
// decides which one a request reaches.
const BaseURL = "https://api.moneroo.io"

// The API paths. The payment-method catalogue lives outside /v1.
const (
	pathInitialize       = "/v1/payments/initialize"
	pathPayments         = "/v1/payments/"
	pathMethods          = "/utils/payment/methods"
	pathPayoutInitialize = "/v1/payouts/initialize"
	pathPayouts          = "/v1/payouts/"
)

// SignatureHeader carries a webhook's signature: the lowercase hex
// HMAC-SHA256 of the raw body, keyed with the webhook secret.
const SignatureHeader = "X-Moneroo-Signature"

// ReferenceMetadataKey is the metadata key under which Create stores the
// merchant's CreateRequest.Reference, so that Verify can return it as
// Payment.Reference. Moneroo has no field of its own for an order id.
const ReferenceMetadataKey = "unipay_reference"

// MaxMetadataEntries is how many metadata entries Moneroo takes on a
// payment. Moneroo's official Laravel SDK refused more than 10 (all strings)
// before sending, and dropped the check in 2025 as redundant with the API's
// own; the docs state no number. Create counts ReferenceMetadataKey among
// them, so a CreateRequest carries at most 9 entries of its own.
const MaxMetadataEntries = 10

// Moneroo documents a limit of 120 requests a minute per account. The client
// keeps under it with a token bucket whose burst plus a minute's refill is
// 120, so that no 60-second window ever holds more.
const (
	rateLimitPerMinute = 100
	rateLimitBurst     = 20
)

// rateLimitWait is how long Moneroo asks a rate-limited client to wait
// ("wait for 60 seconds before attempting to retry"); it sends no
// Retry-After header that the docs mention.
const rateLimitWait = 60 * time.Second

// currencies are the ISO 4217 codes of Moneroo's payment methods, from the
// currency column of its "Available methods" page
// (https://docs.moneroo.io/payments/available-methods). A currency outside it
// is refused before anything is sent.
var currencies = []string{
	"CDF", "EUR", "GHS", "GNF", "KES", "MWK", "NGN", "RWF",
	"TZS", "UGX", "USD", "XAF", "XOF", "ZAR", "ZMW",
}

// Currencies returns the ISO 4217 codes Moneroo takes payments in, sorted.
func Currencies() []string { return slices.Clone(currencies) }

// SupportsCurrency reports whether Moneroo takes payments in currency.
func SupportsCurrency(currency string) bool {
	_, found := slices.BinarySearch(currencies, currency)
	return found
}

// Config holds a Moneroo account's credentials.
type Config struct {
	// SecretKey is the app's secret API key (dashboard → Developers). A
	// sandbox key reaches the sandbox, a live key moves real money. It
	// contains a "|"; give it as Moneroo shows it.
	SecretKey string
	// WebhookSecret is the secret you typed when adding the webhook in the
	// dashboard. ParseWebhook refuses every delivery without it.
	WebhookSecret string
	// Environment says which kind of key SecretKey is. Moneroo has one host
	// for both, so it changes no URL; in Production, Verify refuses a payment
	// that Moneroo reports as made in its sandbox (a test key left in a live
	// shop would otherwise ship goods for test payments).
	Environment payments.Environment
	// DecimalAmounts lets Create send an amount with a fractional major part,
	// such as 10.50 USD as "amount": 10.5. Moneroo's docs type amount as an
	// integer of major units and every example is whole; whether its API
	// charges 10.5 exactly, rounds it or refuses it, no source says. Leave it
	// false, and Create refuses such an amount on "Amount", until Moneroo has
	// confirmed for your account that decimals are charged exactly; whole
	// amounts are sent the same either way. VerifyPaid compares what was
	// paid in any case.
	DecimalAmounts bool
	// RefundByPayout turns refunds on: Refund then gives money back by a
	// payout to the number the payer paid with (Moneroo has no refund API),
	// recorded in RefundLedger before it leaves so that it is never sent
	// twice. Off by default: a payout moves the app's own balance, and
	// only payments made with a method that has a payout counterpart
	// (mobile money; see PayoutMethod) can be refunded this way. See
	// Client.Refund.
	RefundByPayout bool
	// RefundLedger records each refund by payout against its payment. Nil
	// is a payments.MemoryRefundLedger of this client, right for one
	// process. Replicas of a service must share one ledger on a shared
	// store (the Redis or PostgreSQL ledger of this repository's stores
	// modules): with a ledger each, two replicas could each refund the
	// whole payment. Setting it without RefundByPayout is refused.
	RefundLedger payments.RefundLedger
}

// validate checks the configuration without ever echoing a secret.
func (c Config) validate() error {
	var fe check.FieldErrors
	switch {
	case c.SecretKey == "":
		fe.Add("SecretKey", "is required")
	case strings.IndexFunc(c.SecretKey, unicode.IsSpace) >= 0 || strings.IndexFunc(c.SecretKey, unicode.IsControl) >= 0:
		fe.Add("SecretKey", "contains spaces or control characters (a stray newline from a file or an environment variable?)")
	}
	if strings.IndexFunc(c.WebhookSecret, unicode.IsControl) >= 0 {
		fe.Add("WebhookSecret", "contains control characters")
	}
	if c.RefundLedger != nil && !c.RefundByPayout {
		fe.Add("RefundLedger", "is set but RefundByPayout is false: set RefundByPayout to refund by payout, or leave RefundLedger nil")
	}
	if !c.Environment.Valid() {
		fe.Addf("Environment", "%s is neither payments.Sandbox nor payments.Production", c.Environment)
	}
	return fe.Err(payments.Moneroo, "new client")
}

// limits is Moneroo's documented cap, 120 requests a minute, as a burst of
// 20 and a refill of 100 a minute, so that no 60-second window ever holds
// more than 120. payments.WithProviderLimit replaces it by its name,
// "requests".
func limits() []payments.Limit {
	return []payments.Limit{{Name: "requests", Count: rateLimitPerMinute + rateLimitBurst, Per: time.Minute, Burst: rateLimitBurst}}
}
