// Package moneroo is the payments adapter for Moneroo (moneroo.io), the
// pan-African payment orchestrator: mobile money, cards, bank transfer and
// crypto in 15 currencies, through Moneroo's hosted checkout ("Moneroo
// Standard").
//
// # Use
//
//	client, err := moneroo.New(moneroo.Config{
//		SecretKey:     os.Getenv("MONEROO_SECRET_KEY"),
//		WebhookSecret: os.Getenv("MONEROO_WEBHOOK_SECRET"),
//	})
//	session, err := client.Create(ctx, payments.CreateRequest{
//		Amount:    payments.Money{Amount: 5000, Currency: "XOF"},
//		Reference: "order-1042",
//		ReturnURL: "https://shop.example.com/return",
//		Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
//		Options:   moneroo.Options{Methods: []string{"mtn_bj", "moov_bj"}},
//	})
//	// Redirect the payer to session.RedirectURL; store session.ID.
//	// On return (ParseReturn) or webhook (ParseWebhook), before shipping:
//	payment, err := payments.VerifyPaid(ctx, client, session.ID, payments.Money{Amount: 5000, Currency: "XOF"})
//
// Client implements payments.Checkout, payments.WebhookParser and
// payments.ReturnParser, and offers Moneroo's own calls: InitializePayment,
// VerifyPayment, RetrievePayment and PaymentMethods; InitializePayout,
// VerifyPayout and RetrievePayout (the Payout API); and, for refunds by
// payout, Refunds, SettleRefund and ReleaseRefund.
//
// # What Moneroo requires, and what Create refuses before sending
//
//   - Amounts in whole major units. Moneroo's amount is an integer of the
//     currency's major unit ("amount": 100 with USD is 100.00 USD), so Create
//     sends Money.Major(): XOF 5000 goes out as 5000, USD 10000 cents as 100,
//     and USD 10.50 is refused with a field error on "Amount", never rounded
//     (unless Config.DecimalAmounts is set: see below).
//   - A currency Moneroo lists: CDF, EUR, GHS, GNF, KES, MWK, NGN, RWF, TZS,
//     UGX, USD, XAF, XOF, ZAR, ZMW, the currencies of the methods on the
//     docs' "Available methods" page. Currencies returns them.
//   - Customer.Email, Customer.FirstName and Customer.LastName, and a
//     ReturnURL. Phone (E.164) and the billing address, or else the delivery
//     address, are sent when given; Moneroo asks the payer otherwise.
//   - Options.RestrictCountryCode or Options.RestrictedPhone, not both.
//   - At most MaxMetadataEntries (10) metadata entries, all strings, the
//     cap of Moneroo's official Laravel SDK. The library's own
//     ReferenceMetadataKey is one of them, so Metadata holds at most 9
//     entries of the merchant's; more is refused on "Metadata".
//   - Lengths, in characters (Unicode code points, "é" is one): Description
//     at most MaxDescription (155), Customer.FirstName and LastName, the
//     address's City, State and ZipCode at most MaxName (100), the address
//     (Line1 and Line2 joined by a space) at most MaxAddress (200). Moneroo
//     publishes no length; these are the rules its official Laravel SDK
//     applied from 2023 until 2025, when it dropped them as redundant with
//     the API's own validation. On top, every adapter's bounds in bytes:
//     Reference 255, metadata keys 64 and all metadata 20,000, email 254,
//     URLs 2,048; Options.Methods at most 200 short codes of 64 bytes
//     (Moneroo's catalogue has 66), Options.RestrictedPhone.Number 32 and
//     CountryCode 8 bytes, bounds the library chose where none is published.
//     Text must be valid UTF-8 without control characters (Description may
//     span lines).
//   - Payment ids, in Verify, RedirectURL, VerifyPayment, RetrievePayment
//     and ParseReturn: at most 128 bytes of letters, digits and - _ . ~ :
//     ("..", "a/b" or "a?b" would change the URL's path). Another id is
//     refused before any request, on "PaymentID" (ParseReturn: on the
//     parameter that carried it).
//
// Every refusal is an ErrInvalidRequest *payments.Error that lists each
// field at fault by its Go path in the request ("Customer.Email",
// "Options.Methods[1]", "Metadata[\"cart\"]"), with NotSent set. The typed
// InitializePayment checks its InitializeRequest the same way, naming its
// fields ("Customer.Zip", "Methods[0]").
//
// An empty Description is sent as "Order <Reference>" (Moneroo requires one).
// CancelURL and ErrorURL are not sent: Moneroo returns the payer to ReturnURL
// whatever happened.
//
// # Choices where the docs are silent or disagree
//
//   - Reference: Moneroo has no order-id field, so Create puts Reference in
//     the metadata under ReferenceMetadataKey ("unipay_reference"), next to
//     the merchant's own Metadata, and Verify returns it as
//     Payment.Reference (and leaves it out of Payment.Metadata). A Metadata
//     entry under that key with another value is refused.
//   - Statuses: initiated → pending; pending (the payer started paying) →
//     processing; success → succeeded; failed → failed; cancelled (by the
//     payer, or abandoned on the page) → canceled; anything else → unknown,
//     with the raw state in Payment.ProviderStatus.
//   - Lenient answers: currency as an object or a string, amount as an
//     integer or a float (read exactly with payments.ParseMajor; an amount
//     with more decimals than its currency is an ErrMalformedResponse, never
//     rounded), metadata as an object or [], the checkout URL under
//     data.checkout_url or, as the French docs say, data.link, and "errors"
//     as an array of {type, message, hint} or a map of field → messages.
//     Each shape is read in one pass, from the first byte of its value.
//   - Field errors Moneroo reports name the field by its Go path, as the
//     library's own do: "customer.email" is Customer.Email, "methods.1"
//     Options.Methods[1] (Methods[1] from InitializePayment),
//     "metadata.cart" Metadata["cart"]; Moneroo's name stays in
//     FieldError.ProviderField. A name the library does not know is kept
//     as Moneroo wrote it, in both.
//   - Answers: an answer about another payment than the one asked for is
//     an ErrIntegrity error; one without a payment id or status, with an
//     id that cannot be one, with an unusable checkout URL, null, or not
//     the object the call expects is an ErrMalformedResponse error. Both
//     keep Raw, the body scrubbed of the key and the webhook secret, as
//     every Raw the library returns.
//   - Return URL: the English docs name the parameters paymentId and
//     paymentStatus, the French docs monerooPaymentId and
//     monerooPaymentStatus. ParseReturn reads both, the moneroo* ones first.
//     The status there is a claim, never proof.
//   - Webhook event ids: Moneroo sends none. Event.ID is
//     "<event>:<data.id>:<data.status>", so payments.WebhookHandler drops
//     Moneroo's redeliveries of one notification but handles each new state.
//   - Environment: Moneroo has one host for sandbox and live, and the key
//     decides. Config.Environment changes no URL; with payments.Production,
//     Verify refuses (ErrIntegrity) a payment Moneroo reports as made in its
//     sandbox, so that a test key left in a live shop never ships goods.
//   - RedirectURL reads the checkout URL back from Moneroo (GET
//     /v1/payments/{id}); a payment already final is an ErrConflict.
//
// # Refunds by payout
//
// Moneroo has no refund API: its Payout API, which sends money to a
// mobile-money account, is the only way money goes back. By default Refund
// returns ErrUnsupported and Capabilities says so. With
// Config.RefundByPayout, Refund pays the payer back by a payout, in full or
// in part (whole major units only), and Capabilities report refunds:
//
//   - What it needs from the payment: Moneroo's verify answer gives the
//     number the payer paid with (capture.phone_number, international,
//     without "+"), the method (capture.method.short_code), the payer's
//     email and names, the amount and the currency. The payout goes to the
//     same number with the method's payout counterpart (PayoutMethod: 38
//     mobile-money methods are both, and the sandbox's
//     moneroo_payment_demo maps to DemoPayoutMethod). Cards, crypto, bank
//     transfer, QR codes, USSD and a few wallets (airtel_ne, mobi_cash_ml,
//     moov_bf, moov_ml, mtn_gn, orange_bf, orange_gn, wizall_sn) have none:
//     their refund is ErrUnsupported, naming the method. To keep every
//     payment refundable, offer only RefundableMethods in Options.Methods.
//   - Never twice, never too much: each refund is reserved in
//     Config.RefundLedger before its payout leaves, with the paid amount as
//     limit, so that refunds (and those on their way) never exceed it, even
//     between replicas that share the ledger. The payout carries the
//     payment's id (PaymentMetadataKey), the refund's id
//     (RefundMetadataKey) and the order's reference in its metadata: three
//     of Moneroo's 10 entries, so RefundOptions.Metadata holds at most 7.
//   - The outcome is recorded: pending with the payout's id when Moneroo
//     accepts it; failed (the amount is free again) when the payout surely
//     never left or Moneroo refused it outright (400, 401, 403, 404, 422,
//     429); otherwise, when Moneroo may have made it (a 5xx, a timeout, an
//     answer that cannot be read), it stays reserved, counted as on its
//     way and never sent again by itself. The error, of the cause's Kind,
//     wraps a *ReservedRefund naming the refund. Settle it once the payout
//     is found in the dashboard (by its metadata): SettleRefund with the
//     payout's id; or, sure that there is none, ReleaseRefund. A payout.*
//     webhook settles it too.
//   - Verify, Refund and Refunds read the payouts of refunds on their way
//     (GET /v1/payouts/{id}/verify) and move them to succeeded or failed;
//     Verify reports RefundedAmount and PendingRefundAmount, and the status
//     partially refunded, or refunded once both cover the payment.
//   - ParseWebhook, for payout.* events, reads the payout, settles the
//     refund its metadata names, and returns an Event naming the payment
//     (PaymentID) with the payout's state as Status.
//   - Fees and limits: no source names payout fees or per-method limits
//     (an early, withdrawn version of the Laravel SDK listed 100 to 200,000
//     XOF for mtn_bj and moov_bj); a payout moves the app's Moneroo
//     balance, and Moneroo refuses a payout the balance cannot cover.
//
// # Quirks a merchant must know
//
//   - A payout is not linked to its payment by Moneroo: only the metadata
//     the library sends ties them, and the ledger is the record of what
//     was refunded. Replicas must share one ledger (Config.RefundLedger).
//   - No idempotency keys: an initialize that failed with ErrUnavailable may
//     have created a payment. The client never resends it (except after a
//     429, which Moneroo did not handle); find it by its metadata before
//     trying again.
//   - Rate limit: 120 requests a minute. The client keeps under it on its
//     own (a burst of 20, then 100 a minute), and after a 429 without a
//     Retry-After header waits the 60 seconds Moneroo documents before a
//     retry, within your context's deadline. Budget polling accordingly.
//     The limit is named "requests": payments.WithProviderLimit("requests",
//     n, per) replaces it (n = 0 removes it, for replicas that share one
//     payments.RateLimiter or for a benchmark).
//   - Webhooks must be answered with exactly 200 within 3 seconds; Moneroo
//     retries 3 times, 10 minutes apart, then gives up. Their payload is
//     partial: Verify. Payout events (payout.*) carry a PaymentID only
//     when they pay a refund back (see Refunds by payout).
//   - The payment-method catalogue (PaymentMethods) is public and lives at
//     /utils/payment/methods, outside /v1; it is fetched without the key.
//   - Sandbox data is deleted after 90 days.
//
// # What no source settles
//
// The fixtures in testdata/moneroo come from Moneroo's docs and its official
// PHP, Laravel, WooCommerce and Flutter code (testdata/moneroo/SOURCES.md).
// None of them settles the following; the library copes with every
// possibility, and offers a setting only where a merchant may have to switch
// once Moneroo answers.
//
//   - Decimal amounts. The docs type amount as an integer and every example
//     is whole, but the official WooCommerce plugin sends the order total as
//     it is (12.50). Whether Moneroo charges 10.5 USD exactly, rounds it or
//     refuses it is unknown, so Create refuses it by default.
//     Config.DecimalAmounts sends it (as 10.5): set it only once Moneroo has
//     confirmed, for your account, that decimals are charged exactly.
//   - The body of a 422. The docs describe "errors" as an array of {type,
//     message, hint}; the Flutter SDK decodes a map of field → messages; no
//     source prints a real one, nor machine-readable codes. Both shapes are
//     read into Error.Fields, with Moneroo's field names, and Error.Raw keeps
//     the body. No setting: there is nothing to switch.
//   - Server length limits. The docs state none. The Laravel SDK checked,
//     until 2025, description ≤ 155 characters, customer names, city, state
//     and zip ≤ 100, address ≤ 200, and dropped the checks "as redundant",
//     which says the API enforces the same. Create and InitializePayment
//     enforce them (MaxDescription, MaxName, MaxAddress) so that the
//     merchant learns it before sending, naming the field. No setting: if
//     Moneroo takes longer values, the constants change.
//   - The metadata cap. 10 entries comes from the Laravel SDK, whose check
//     was dropped as redundant with the API's; the docs state no number.
//     Create enforces it (MaxMetadataEntries).
//   - The live "environment" value: "sandbox" in sandbox, "production" or
//     "live" in the docs' examples. Verify in Production refuses only
//     "sandbox", so either live value passes.
//   - Rate-limit headers. No source names Retry-After or X-RateLimit-* on a
//     429. The client honours Retry-After when present and otherwise waits
//     the documented 60 seconds.
//   - The webhook payload beyond event, data.id and data.status (metadata?
//     snake_case or the example's camelCase?), and the return parameter
//     names. ParseWebhook reads only those three; ParseReturn reads both
//     editions' names.
//   - The abandonment delay before "cancelled": 5 minutes per the PHP SDK,
//     10 per the Laravel SDK.
//   - Payouts: how Moneroo refuses a payout its balance cannot cover, and
//     whether any 4xx answer comes after a payout was made (the library
//     takes 400, 401, 403, 404, 422 and 429 as "no payout"); fees and
//     limits; whether capture.phone_number is always international (the
//     docs' example is); where moneroo_payout_demo's account_number goes
//     (under recipient per the docs, at the top level per the Laravel
//     SDK's test: sent under recipient); the JSON type of msisdn (typed
//     integer, shown as a string: sent as a string); whether payout
//     webhooks carry metadata (read when present, else the payout is
//     read).
//
// # Testing
//
// Package monerootest is a simulator of this API, hosted page, webhooks,
// payouts and sandbox test numbers included. monerootest.Start(t) returns one and a
// client configured for it; srv.Walk(ctx, session, true) pays on the hosted
// page as the payer's browser would and returns the return URL Moneroo
// sends the payer to.
//
// # Performance
//
// BenchmarkMonerooCreate, BenchmarkMonerooVerify,
// BenchmarkMonerooParseWebhook and BenchmarkMonerooWebhookHandler
// (bench_test.go) pair each call with a hand-written net/http and
// encoding/json client doing the same exchange against the same local
// server; make bench prints their ratios.
package moneroo
