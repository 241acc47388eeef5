// Package hero is the payments adapter for Hero (heropay.eu), French B2B card
// processing and buy-now-pay-later, over Hero's GraphQL API.
//
// # Use
//
//	client, err := hero.New(hero.Config{APIKey: os.Getenv("HERO_API_KEY")}) // staging
//	session, err := client.Create(ctx, payments.CreateRequest{
//		Amount:    payments.Money{Amount: 5000, Currency: "EUR"}, // 50.00 EUR
//		Reference: "order-1042",
//		ReturnURL: "https://shop.example.com/hero/return",
//		Customer: &payments.Customer{
//			CompanyName: "Super Corp", Email: "laura@example.com", Phone: "+33600000000",
//			BillingAddress: &payments.Address{Line1: "10 Something Street", City: "Paris", ZipCode: "75001"},
//		},
//	})
//	// Store session.ID with the order, send the customer to session.RedirectURL.
//	// When they come back: ParseReturn gives the order reference; look up the
//	// payment id stored with it, then:
//	payment, err := payments.VerifyPaid(ctx, client, session.ID, order.Amount)
//
// Client implements payments.Checkout and payments.ReturnParser. Its typed
// methods (CreatePayment, SetOrderID, GetPaymentsInfos,
// RefundPaymentCheckout, AvailablePaymentTypes) are Hero's operations one to
// one; VerifyMany verifies thousands of payments in batches of 100.
//
// # Environments
//
// payments.Sandbox (the zero value) is Hero's staging system,
// https://staging.api.hero.fr/api/graphql with its payment page at
// https://staging.pay.heropay.eu; payments.Production is
// https://api.hero.fr/api/graphql and https://pay.heropay.eu. Staging and
// production API keys differ. payments.WithBaseURL replaces the API's
// origin only (the path stays /api/graphql); Config.PaymentPageURL replaces
// the payment page's. Package herotest is a simulator of both.
//
// # How it talks to Hero
//
// GraphQL over HTTP, written by this package on the library's HTTP stack:
// every operation is a POST of {"query": document, "variables": {…}} to
// /api/graphql with "Authorization: Api-Key <key>", and Hero's answer,
// {"data": …} or {"errors": […]}, is decoded once into the operation's own
// types. Logging with the key redacted, timeouts and retries are the same
// as in every adapter. The client keeps under Hero's rate limits (200
// requests a second, 1,800 a minute) in every sliding window: bursts of
// 100, then about 28 requests a second; payments.WithProviderLimit
// replaces them by name, "second" and "minute". Queries (getPaymentsInfos,
// availablePaymentTypes) and setOrderId are retried after a 5xx or a
// timeout; createPayment and refundPaymentCheckout only after a 429 or a
// refused connection, since Hero takes no idempotency key and a retry
// could charge or refund twice.
//
// Every input travels as a GraphQL variable, never inside the document, so
// quotes or newlines in a company name cannot break a request. Variables are
// declared with the strictest types (String!, Int!, [String!]!), which fit
// whichever nullability Hero's schema has. The refund's input type is not
// named in Hero's docs, so its two fields are passed as scalar variables.
// The documents are fixed strings; the answers are read as encoding/json
// reads them, leniently where Hero's docs and examples disagree on a field's
// type (see Text), and unions by __typename. getPaymentsInfos' usual answer
// is read in one pass, for speed, with the same result; any other answer,
// by encoding/json itself.
//
// # Limits
//
// Hero publishes no length limit for any field. Everything is checked
// before a request is sent, and a field at fault is named (see Errors):
//
//   - Payment ids (Verify, RedirectURL, Refund, VerifyMany, every typed
//     read, RefundOptions.PaymentCheckoutID): letters, digits and - _ . ~ :,
//     at most 128 bytes, not "." or "..".
//   - Text: valid UTF-8 without control characters (newlines are allowed in
//     Description and RefundRequest.Reason only). The library's generous
//     bounds apply, as Hero has none: Reference, Customer.Reference,
//     setOrderId's orderID and availablePaymentTypes' CustomerReference 255
//     bytes; company name (Customer.CompanyName, Options.CompanyName), names
//     and address lines 1,024; zip code 64; email 254; phone 64 (NewPayment)
//     or E.164 (CreateRequest); payment type 64; Description 4,096 and
//     metadata (50 entries, 20,000 bytes), though Hero takes neither; a
//     refund's Reason 1,024, though Hero takes none.
//   - URLs: absolute http(s), at most 2,048 bytes, the ReturnURL with
//     hero_ref added; not on a .localhost host.
//   - Amounts: positive euro cents, at most 2,147,483,647 (GraphQL's Int).
//   - getPaymentsInfos: 1 to 100 ids, each once. VerifyMany takes any
//     number, asks each id once, 100 at a time.
//
// # Errors
//
// Hero answers HTTP 200 for GraphQL errors. errors[] entries are mapped by
// their code, searched in the message first and then in extensions.code or
// extensions.errorCode (Hero does not say which it uses; a generic
// INTERNAL_SERVER_ERROR there is ignored once the message has said what
// happened): NOT_LOGGED → ErrAuthentication,
// MERCHANT_PRODUCT_DISABLED → ErrPermission, INVALID_PAYMENT_TYPE and the
// "Amount XX is smaller than paymentMin YY" / "bigger than paymentMax"
// messages → ErrInvalidRequest (the latter naming the field Amount). An
// unknown error without a path (the document was refused) is
// ErrInvalidRequest; with a path (Hero failed while executing) it is
// ErrUnavailable, because the outcome is unknown. The ValidationErrors union
// member is ErrInvalidRequest with one FieldError per entry.
// refundPaymentCheckout's GqlHeroError keeps Hero's code in Error.Code (for
// FUNCTIONAL_ERROR, its sub-code such as AMOUNT_TOO_HIGH): amount errors →
// ErrInvalidRequest, INVALID_PAYMENT_CHECKOUT → ErrNotFound,
// PAYMENT_NOT_STARTED, DRAFT_PAYMENT_CHECKOUT and REFUND_IS_FROZEN →
// ErrConflict, business-account and balance errors → ErrDeclined,
// UNAUTHORIZED → ErrPermission, technical errors → ErrUnavailable (verify
// the refunded amount before trying again). HTTP 429 is ErrRateLimited.
//
// An answer that is not what the operation expects (null, {"data": null},
// no id, a wrong type) is ErrMalformedResponse. getPaymentsInfos is asked
// about given ids: an entry about another payment, or a second one about
// the same, is ErrIntegrity, whatever it says, in Verify, RedirectURL,
// Refund, VerifyMany and GetPaymentsInfos. Error.Raw keeps Hero's body in
// every case, and every Raw (Session, Payment, Refund, errors) has the API
// key and any other secret scrubbed; so have messages Hero echoes.
//
// FieldError.Field is the Go path of the field in the caller's input:
// "Customer.BillingAddress.City" for Create, "Issuer.Address.City" for
// CreatePayment, "PaymentID" for Verify, "paymentIDs[3]" for VerifyMany
// and GetPaymentsInfos, "Amount" and "Options.PaymentCheckoutID" for
// Refund. Where Hero named the field, its own name ("amount",
// "paymentIds.3") is kept in ProviderField.
//
// # Choices where Hero's docs are silent
//
//   - Status. Hero has no status field. Verify reads getPaymentsInfos:
//     isSuccess → succeeded, or partially_refunded / refunded when
//     refundedAmount plus pendingRefundAmount covers part or all of
//     initialPaymentAmount (PendingRefundAmount tells what is still on its
//     way); no error or PAYMENT_NOT_INITIATED → pending (the customer has
//     not paid and may still); any other error → failed, as Hero says an
//     order with an error must not be validated. ProviderStatus is
//     "isSuccess=… error=…". A payment Hero does not return is ErrNotFound.
//   - The return. Hero appends nothing to the redirect URI and signs nothing.
//     Create adds ReturnReferenceParam (hero_ref) with the Reference to the
//     ReturnURL, keeping the merchant's own query as it is; ParseReturn gives
//     the Reference back, with no payment id (it is unknown when the URI is
//     built). Map reference → payment id when you create the checkout, then
//     Verify.
//   - Refunds. Hero returns no refund id, so Refund.ID is empty. A zero
//     Amount reads the payment first and refunds initialPaymentAmount −
//     refundedAmount − pendingRefundAmount.
//   - setOrderId runs right after createPayment, as Hero's plugins do. If it
//     fails, Create returns the Session with the error: the payment exists
//     and can be paid. The error names the payment's id and says to keep it
//     with the order and Verify it; payments.MaybeSent is true (the create
//     reached Hero), so a careful caller does not create it again, and
//     createPayment itself is never sent twice.
//   - Options.Siren is checked (9 or 14 digits) but createPayment has no
//     field for it; give it to AvailablePaymentTypes.
//   - CreateRequest.CancelURL is Hero's comebackUri unless
//     Options.ComebackURL is set.
//
// # What no source settles
//
// Hero's docs (API reference in English, French, Spanish, Italian and
// German; payment flow; a 2022 blog post) and Hero's own WooCommerce plugin
// agree with this package; testdata/hero/SOURCES.md lists them and the
// fixtures taken from them. Four questions remain open until Hero answers
// them. Each is listed with what the package does, the one setting a
// merchant may need to switch, if any, and the herotest switch that plays
// the other answer.
//
//   - How refundPaymentCheckout's paymentCheckoutId ("paycheckout-…" in the
//     docs) relates to createPayment's id. Refund sends the payment's id
//     unless RefundOptions.PaymentCheckoutID names another: that is the
//     setting. If Hero answers INVALID_PAYMENT_CHECKOUT to the payment's id,
//     the ErrNotFound error says to set it. herotest.Server takes either id
//     by default; RefundByCheckoutIDOnly makes it take only the
//     paycheckout id.
//   - Whether Hero calls the redirect URI from its servers: the docs say it
//     "will notify your system" there, and document no method, body or
//     signature. Nothing to switch: the reference Create puts in the URI
//     does not depend on who calls it, and ParseReturn reads it from GET's
//     query; treat every hit, GET or POST, as an untrusted trigger, Verify,
//     and make the handler idempotent. herotest's NotifyRedirectURI adds
//     such a call before the browser's.
//   - Where NOT_LOGGED, MERCHANT_PRODUCT_DISABLED and INVALID_PAYMENT_TYPE
//     sit in errors[]: as the message (as the docs list them) or in
//     extensions. Nothing to switch: both are read (see Errors).
//     herotest's SetErrorCodes plays either.
//   - Idempotency: Hero documents no idempotency key and does not say
//     whether it detects a repeated createPayment or refundPaymentCheckout.
//     Nothing to switch: neither is retried once it may have reached Hero
//     (a 429 or a refused connection proves it did not). After an unknown
//     outcome, Verify the payment (a refund shows in refundedAmount or
//     pendingRefundAmount) before trying again.
//
// # Quirks a merchant must know
//
//   - EUR only, in cents; GraphQL's Int caps an amount at 21,474,836.47 EUR.
//   - The customer is a business: company name, email, phone and a billing
//     address (line 1, city, zip code) are required.
//   - Hero refuses redirect URIs on .localhost hosts as suspect (plain
//     localhost is fine); Create refuses them before sending.
//   - Hero has no webhooks: Capabilities().Webhooks is false and Client is
//     not a payments.WebhookParser. Poll Verify (or VerifyMany) for payments
//     whose customer never came back.
//   - Options.Type must be a type Hero offers the merchant for that amount
//     and customer (AvailablePaymentTypes); Hero Cash card processing takes
//     Pay1X only. Unknown types Hero returns are kept as they are.
package hero
