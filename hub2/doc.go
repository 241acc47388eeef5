// Package hub2 is the Hub2 adapter: mobile money (Orange, MTN, Moov, Wave…)
// in West and Central Africa through Hub2's PaymentIntent API.
//
// Its Client implements payments.Checkout, payments.WebhookParser and
// payments.ReturnParser, and has Hub2's own operations: CreatePaymentIntent,
// AttemptPayment, Authenticate, GetPaymentIntent, PaymentIntentStatus,
// PaymentStatus, PaymentFees, RegisterWebhook and WaitForFinal; the
// transfers (payouts) CreateTransfer, GetTransfer, TransferStatus and
// ListTransfers; and, for refunds by transfer, SettleRefunds and
// SettleTransferEvent.
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
// # Refunds by transfer
//
// Hub2 cannot refund a pay-in. With Config.RefundByTransfer (off by
// default) Refund sends the money back to the payer with a transfer from the
// merchant's Hub2 transfer account, never more than was paid, never twice:
//
//	client, err := hub2.New(hub2.Config{…, RefundByTransfer: true,
//		RefundLedger: ledger}) // shared by the replicas; nil: in memory
//	r, err := client.Refund(ctx, payments.RefundRequest{
//		PaymentID: s.ID,
//		Amount:    payments.Money{Amount: 2000, Currency: "XOF"}, // zero: all that remains
//		Options:   hub2.RefundOptions{MSISDN: "0700000000", RecipientName: "Awa Diallo"},
//	})
//
// Hub2's intent keeps neither the payer's full number nor a name:
// RefundOptions carries them, as the customer typed them at checkout (the
// local number gets the country's calling code: a transfer takes
// "+2250700000000"), and the operator and country when the payment does
// not say them. Each refund is reserved in the RefundLedger before its
// transfer leaves, so that refunds racing for the same money cannot both
// pass, and its transfer carries "refund.<payment id>.<refund id>" as its
// reference, since Hub2 links no transfer to a payment. A refund Hub2
// surely refused is recorded failed, its amount free again; one whose
// answer was lost stays reserved and is never sent again by itself: Verify
// and SettleRefunds find its transfer by that reference (GET /transfers,
// 15 minutes around the reservation) and settle it; unfound, it stays
// reserved until the merchant, sure that no transfer was made, frees it
// with ReleaseRefund. Pending refunds settle by
// their transfer's status, or from the transfer.* webhooks, which name the
// refunded payment and go to SettleTransferEvent. Verify reports
// RefundedAmount and PendingRefundAmount, and a partially refunded or
// refunded status (counting the refunds on their way, so that VerifyPaid
// never ships an order whose money is going back).
//
// Hub2's transfer fees are on top of the amount and charged to the
// transfer account (a live capture: 297 XOF flat on 200 XOF); transfers
// must be 100 to 1,500,000 in multiples of 5 (in Guinea, 10,000 to
// 1,500,000 GNF in multiples of 1000), which Refund checks before sending:
// it never rounds, so the rest of a payment of 1001 XOF cannot go back by
// transfer. The API key needs the Api.transfer_create and
// Api.transfer_read permissions.
//
// # Choices where Hub2's documentation is silent
//
//   - Session.ID and every PaymentID are PaymentIntent ids (pi_…): an intent
//     may hold several payment attempts, and its status is the payment's.
//     Verify maps the intent's status and reports the failure code of its
//     last attempt. A failed intent may take a new attempt (AttemptPayment).
//   - Verify reads the whole intent: the status endpoints are cheaper but do
//     not carry the amount VerifyPaid checks. WaitForFinal polls the status
//     endpoint and reads the intent once at the end.
//   - Amounts are checked before sending against one table of Hub2's
//     published limits (see limits.go): per country when Options.Country is
//     given, else the widest limits of the currency. Where the policy page
//     gives no pay-in range, its payout range is used, the stricter reading.
//   - Hub2 requires a customer reference: Customer.Reference, or the order's
//     Reference when there is none. Description and Metadata have no place in
//     a PaymentIntent and are not sent.
//   - Return URLs. Hub2 adds no parameters to the URLs it sends the customer
//     back to, so the adapter adds hub2_intent (the intent id) and
//     hub2_outcome to ReturnURL and CancelURL before giving them to Hub2;
//     ParseReturn reads them back. Which fields carry them depends on the
//     provider, and Hub2's reference documents neither pair for mobile
//     money: for Wave, mobileMoney.onSuccessRedirectionUrl (ReturnURL,
//     outcome "success") and onFailedRedirectionUrl (CancelURL, else
//     ReturnURL, outcome "failed"), as every public integration that handles
//     Wave sends them and one that met the live API reports them required;
//     for the other providers (Orange's payment link),
//     mobileMoney.onFinishRedirectionUrl and onCancelRedirectionUrl
//     (outcomes "finish" and "cancel"), as Hub2's delegated-payment sample
//     shows. Only the provider's pair is sent: onFinish and onCancel are not
//     sent to Wave, where an integration reports onFinishRedirectionUrl is
//     no field. Cards keep Hub2's documented top-level onFinish and onCancel
//     (AttemptRequest). A Wave attempt without a ReturnURL is refused before
//     any request.
//   - Webhooks carry no event id: Event.ID is "<type>:<data.id>:<data.status>",
//     so that WebhookHandler drops the repeats Hub2 warns about. The
//     signature is taken as lowercase hex (uppercase is accepted too).
//   - Transfers. The list's body is taken as a JSON array of transfers and
//     its place in the whole from the Content-Range header, as Hub2's
//     guide describes it ("0-99/2453"); pages are numbered from 1; the
//     status endpoint's body as {"id", "status"}, like the intent's. A
//     refusal of a transfer with a 4xx other than 408 and 409 (which may
//     mean a transfer with this reference exists) is taken as moving no
//     money; a transfer in a status the library does not know as under
//     way.
//   - The rate-limit headers are not published: on a 429 the adapter honours
//     Retry-After when present, else waits 5 s, doubling.
//
// # What the client checks
//
// Before any request: the amount against Hub2's published limits
// (limits.go); references against Hub2's charset; and, since Hub2
// publishes no length for any field, the library's own bounds, naming the
// field by its Go path in the merchant's request (Reference,
// Customer.Reference, Options.BusinessName, MobileMoney.MSISDN…):
// references MaxReference (255) characters, Options.BusinessName and
// overrideBusinessName MaxBusinessName (255) bytes, the client JWT
// MaxToken (4096) bytes, provider, method and workflow codes 32 bytes of
// lowercase letters, digits and '_', numbers 8 to 12 digits, OTPs 4 to 8,
// a webhook registration 1 to 50 events of at most 64 bytes, a 4096-byte
// description and CreateRequest's metadata bounds. Text must be valid
// UTF-8 without control characters. An id goes into a URL path only when
// it is letters, digits and - _ . ~ :, at most 128 bytes: Verify and
// RedirectURL name PaymentID, the typed calls intentID or paymentID, and
// ParseReturn refuses such an id in hub2_intent.
//
// After: an answer about another intent or payment than the one asked
// for, or an intent holding another intent's attempt, is
// payments.ErrIntegrity (Verify(A) answered with paid intent B proves
// nothing about A); an intent created for another amount or currency than
// asked is refused the same way. A 200 that is not the object expected
// (null, empty, without its id or status) is ErrMalformedResponse. Every
// error built from an answer keeps it in Raw, scrubbed like every Raw: of
// the API key, the webhook secrets, and the intent's JWT, which the
// redactor removes under its "token" key wherever it sits (even in a body
// cut short), and by value once the client sends it (see Client.Authenticate
// and AttemptPayment), so that an error quoting it is scrubbed too.
//
// Hub2's errors name no field but in their messages, in the manner of
// "mobileMoney.msisdn should not be empty": such a field is reported as a
// payments.FieldError with Hub2's name in ProviderField and the Go path of
// the merchant's request in Field (Create maps its own: Options.MSISDN,
// Customer.Reference, CancelURL…); a name it does not know stays Hub2's.
//
// The client keeps one rate limit, named "requests": 30 requests per 5
// seconds, the stricter of Hub2's published caps on creating intents and
// attempts. payments.WithProviderLimit("requests", n, per) changes it; 0
// removes it.
//
// # What no source settles
//
// Hub2's reference, its Postman collection and the public integrations
// (testdata/hub2/SOURCES.md) leave these open. Where a merchant may have to
// switch once Hub2 answers, one setting does it:
//
//   - The client JWT on intent reads. The reference makes ?token= optional
//     on GET /payment-intents/{id}/status ("not rate limited" by token), the
//     Postman collection sends it with the API headers on
//     GET /payment-intents/{id}. The adapter reads with the headers alone;
//     Config.ReadWithToken adds the token.
//   - Orange's workflow. Integrations send mobileMoney.workflow
//     "redirection" (Orange's payment link; the OTP said to be on its way
//     out) or "otp"; the reference does not list the field. The adapter
//     sends none, and Hub2 answers with its default (an OTP in the docs);
//     Options.Workflow sends one.
//   - The status that goes with Wave's redirection: action_required in the
//     docs, a created payment on a processing intent in integrations, and
//     whether the intent is settled when Wave sends the customer back. No
//     setting: Session.NextAction and RedirectURL follow the newest unsettled
//     attempt's next action whatever its status, ParseReturn's claim is only
//     a claim, and Verify decides.
//   - The status endpoint's body. The reference's sample for an intent is
//     {"id", "status"}, with the statuses action_required, canceled,
//     payment_required, processing and successful ("failed" is not listed;
//     canceled maps to payments.StatusCanceled). No setting: the adapter
//     reads "status", and reads the whole intent when the status is
//     missing or final. The body of GET /payments/{id}/status is not
//     published; the adapter reads "id" and "status".
//   - Sandbox numbers. No table of Hub2's sandbox numbers is published; an
//     integration reports that the sandbox takes 8-digit numbers such as
//     00000001 and refuses real ones with invalid_sandbox_msisdn, and its
//     2026 capture shows MTN with 00000001 paid within a second. The number
//     is the merchant's already: Options.MSISDN.
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
//     out of logs, errors and Raw fields; keep it out of yours. (The
//     redactor holds by value only the 32 tokens most recently learnt: a
//     token is learnt just before it is sent when the client logs at
//     Debug, else only when an echo of it needs scrubbing.)
//   - There is no refund of a pay-in: Refund returns ErrUnsupported, unless
//     refunds by transfer are on (above).
//   - Webhook secrets rotate: during the 24 hours after a rotation Hub2 signs
//     with both (s1 new, s0 old). Put the new secret first in WebhookSecrets
//     and keep the old one until then.
//
// Package hub2test is a simulator of all this, for tests and demos:
// hub2test.Start(t) returns it with a client pointed at it, and its Walk
// plays the customer's part in a session's next action.
package hub2
