// Package hub2 is the Hub2 adapter: mobile money (Orange, MTN, Moov, Wave…)
// in West and Central Africa through Hub2's PaymentIntent API.
//
// Its Client implements payments.Checkout, payments.WebhookParser and
// payments.ReturnParser, and has Hub2's own operations: CreatePaymentIntent,
// AttemptPayment, Authenticate, GetPaymentIntent, PaymentIntentStatus,
// PaymentStatus, PaymentFees, RegisterWebhook and WaitForFinal.
//
//	client, err := hub2.New(hub2.Config{
//		APIKey:         os.Getenv("HUB2_API_KEY"),
//		MerchantID:     os.Getenv("HUB2_MERCHANT_ID"),
//		Environment:    payments.Sandbox, // sent as "Environment: sandbox"
//		WebhookSecrets: []string{os.Getenv("HUB2_WEBHOOK_SECRET")},
//	})
//
// # The direct flow
//
// Hub2 has no hosted checkout for PaymentIntents: the merchant asks the
// customer for a provider and a phone number, and Hub2 tells what to do next.
// Give Create the customer's choice in Options and it creates the intent and
// attempts the payment:
//
//	s, err := client.Create(ctx, payments.CreateRequest{
//		Amount:    payments.Money{Amount: 5000, Currency: "XOF"}, // 5000 F CFA
//		Reference: "order-1042",
//		ReturnURL: "https://shop.example.com/return",
//		Options:   hub2.Options{Country: "CI", Provider: "orange", MSISDN: "0700000000"},
//	})
//
// then act on s.NextAction:
//
//   - payments.NextActionOTP: show s.NextAction.Message, collect the code and
//     call client.Authenticate(ctx, s.ID, s.ClientToken, code).
//   - payments.NextActionUSSD: show s.NextAction.Message; the customer
//     confirms on the handset.
//   - payments.NextActionRedirect: send the customer to s.RedirectURL (Wave,
//     Orange's payment link); they come back to ReturnURL.
//
// Then learn the outcome from a webhook, or WaitForFinal while the customer
// waits in front of your page, and call payments.VerifyPaid before shipping.
//
// Without Options, Create only creates the intent: Session.ClientToken (the
// intent's JWT) lets your own payment page attempt the payment from the
// customer's browser, as Hub2's integration guide describes.
//
// # Choices where Hub2's documentation is silent
//
//   - Session.ID and every PaymentID are PaymentIntent ids (pi_…): an intent
//     may hold several payment attempts, and its status is the payment's.
//     Verify maps the intent's status and reports the failure code of its
//     last attempt. A failed intent may take a new attempt (AttemptPayment).
//   - Verify reads the whole intent: the status endpoints are cheaper but do
//     not carry the amount VerifyPaid checks. WaitForFinal polls the status
//     endpoint and reads the intent once at the end. Their schema is not
//     published: the adapter reads "status", and reads the intent instead
//     when it is missing.
//   - Amounts are checked before sending against one table of Hub2's
//     published limits (see limits.go): per country when Options.Country is
//     given, else the widest limits of the currency. Where the policy page
//     gives no pay-in range, its payout range is used, the stricter reading.
//   - Hub2 requires a customer reference: Customer.Reference, or the order's
//     Reference when there is none. Description and Metadata have no place in
//     a PaymentIntent and are not sent.
//   - Hub2 adds no parameters to the URLs it sends the customer back to, so
//     the adapter adds hub2_intent (the intent id) and hub2_outcome
//     (finish or cancel) to ReturnURL and CancelURL before giving them to
//     Hub2 (as mobileMoney.onFinishRedirectionUrl and onCancelRedirectionUrl);
//     ParseReturn reads them back.
//   - Webhooks carry no event id: Event.ID is "<type>:<data.id>:<data.status>",
//     so that WebhookHandler drops the repeats Hub2 warns about. The
//     signature is taken as lowercase hex (uppercase is accepted too).
//   - The rate-limit headers are not published: on a 429 the adapter honours
//     Retry-After when present, else waits 5 s, doubling.
//
// # Quirks a merchant must know
//
//   - One host, https://api.hub2.io, for sandbox and live: the Environment
//     header (from Config.Environment) selects, and an API key works in one
//     environment only.
//   - Only XOF, XAF and GNF, all in whole francs; references take only
//     letters, digits, '-', '_', '.' and space.
//   - Payment attempts and OTPs are never retried: each attempt creates a
//     new payment at Hub2, which takes no idempotency key. After an
//     ErrUnavailable, read the intent before attempting again.
//   - Hub2 allows one read of an intent per 5 seconds: call Verify when the
//     customer comes back or a webhook arrives, not in a loop; WaitForFinal
//     paces itself. Polling an intent that is payment_required, successful or
//     failed gets the caller's IP throttled, so WaitForFinal does not.
//   - The client JWT (Session.ClientToken) is a secret: the library keeps it
//     out of logs, errors and Raw fields; keep it out of yours.
//   - There is no refund of a pay-in: Refund returns ErrUnsupported.
//   - Webhook secrets rotate: during the 24 hours after a rotation Hub2 signs
//     with both (s1 new, s0 old). Put the new secret first in WebhookSecrets
//     and keep the old one until then.
//
// Package hub2test is a simulator of all this, for tests and demos.
package hub2
