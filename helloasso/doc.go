// Package helloasso is the payments adapter for HelloAsso, the French
// payment platform for associations, through its Checkout API (v5).
//
// # Use
//
//	c, err := helloasso.New(helloasso.Config{
//		ClientID:         os.Getenv("HELLOASSO_CLIENT_ID"),
//		ClientSecret:     os.Getenv("HELLOASSO_CLIENT_SECRET"),
//		OrganizationSlug: "my-association",
//		Environment:      payments.Sandbox, // or payments.Production
//	})
//	s, err := c.Create(ctx, payments.CreateRequest{
//		Amount:      payments.Money{Amount: 3000, Currency: "EUR"},
//		Reference:   "A42",
//		Description: "Adhésion 2025",
//		ReturnURL:   "https://shop.example.org/helloasso/return",
//		Options:     helloasso.Options{ContainsDonation: false},
//	})
//	// store s.ID with order A42, redirect the payer to s.RedirectURL
//	// (valid 15 minutes); when they come back or a notification arrives:
//	p, err := payments.VerifyPaid(ctx, c, s.ID, payments.Money{Amount: 3000, Currency: "EUR"})
//
// The payment id (Session.ID) is HelloAsso's checkout intent id. Verify
// reads the intent: it has no order, and so no amount, until a payment is
// authorised; then the order's first payment decides (Authorized is paid),
// and refunds make it partially refunded or refunded. HelloAsso's intent
// shows no order for a refused card, so a declined checkout verifies as
// pending (never paid; the payer may still try another card until the page
// expires). VerifyReturn also reads the order the return URL names
// (orderId), once HelloAsso confirms it belongs to the checkout, and so
// reports the refusal as failed.
//
// # Access tokens
//
// The client gets an OAuth2 token with the client_credentials grant on its
// first call, then renews it with the refresh_token grant about a minute
// before it expires (tokens live 30 minutes), as HelloAsso requires: a new
// client-credentials token is asked for only when HelloAsso refuses the
// refresh token (it lives a month). One renewal runs at a time; a thousand
// concurrent calls on a new client make one token request. A 401 discards
// the token and the call is retried once with a renewed one. A token request
// moves no money, so it is retried after a 5xx or a timeout like a read, but
// within the retry budget of the call that needed the token: with
// payments.WithRetries(1), a call whose token endpoint keeps failing sends
// two token requests, not four. HelloAsso allows
// about 20 live tokens per API key: replicas of a service should share one
// through Config.TokenStore (in memory by default). Client.TokenSource gives
// the token to code calling HelloAsso endpoints this package does not cover.
// Token requests go through the same HTTP layer as the API calls, so they
// are logged with the secret and the tokens redacted. The refresh request
// carries grant_type, client_id and refresh_token, as HelloAsso documents
// it, without the client secret.
//
// # Validation
//
// Create refuses, before sending anything and naming each field by its Go
// path in the request (Options.Terms[1].Date), what HelloAsso would refuse:
// a currency other than EUR; back, error and return URLs that are not https,
// or whose query uses checkoutIntentId, code, orderId or error (HelloAsso
// appends them); an item name (Options.ItemName, or Description) empty, over
// 250 characters, or with control characters; a total that is not the
// first payment plus the terms; terms not after today and in order; metadata
// over 20,000 characters serialised with the Reference. HelloAsso's errors
// name fields its own way (payer.firstName, terms[1].date): they are mapped
// to the Go path, HelloAsso's name kept in FieldError.ProviderField.
//
// HelloAsso's payer fields are optional (the payer types what is missing on
// its page), yet it refuses the whole checkout over one it does not take: a
// first or last name with a digit, a single character, the same character
// three times in a row, no vowel, a placeholder ("test", "nom",
// "unknown"…), or characters other than Latin letters, accented e, a, u, ç,
// the apostrophe and the hyphen (so "Loïc" and "Jérôme"); a last name equal
// to the first; a payer under 18; a company name over 255 characters; a
// country it cannot take. By default Create leaves such fields out, sends
// the rest, and logs at Info level which fields it left out (their names,
// never their values: they are the payer's); CreateWithReport returns them
// (CreateResult.LeftOut). Options.StrictPayer refuses the request instead,
// naming the field. Countries are converted from the alpha-2 of
// payments.Address to the alpha-3 HelloAsso wants ("FR" → "FRA").
//
// HelloAsso publishes no other length limit. The library's own bounds apply
// (internal, generous, in bytes): Reference 255, Description 4,096, names,
// company, address lines and city 1,024, zip code 64, email 254, URLs 2,048,
// RefundRequest.Reason (HelloAsso's refund comment) 1,024; text must be valid
// UTF-8 without control characters. Payment ids are HelloAsso's numbers:
// anything else ("..", "a/b", "-1", a 1 MiB string) is refused naming
// PaymentID, in Verify, RedirectURL, Refund and VerifyReturn, and
// ParseReturn refuses a checkoutIntentId that is not one; the typed API
// refuses ids that are not positive.
//
// When the client talks to a simulator on a loopback address
// (payments.WithBaseURL("http://127.0.0.1:…")), plain http URLs on loopback
// hosts (http://localhost:8080/…) are accepted too, so that a shop under
// development can be sent back to; the real API only ever gets https.
//
// # Answers
//
// Every answer is checked to be the object asked for: an answer about
// another checkout intent, order or payment (or an intent whose order says
// it came from another checkout) is ErrIntegrity, so that Verify never
// reports another checkout's payment and Refund never refunds another
// order's payment; a 200 that is not the object (null, an empty object, no
// id) is ErrMalformedResponse. Both keep the body in Error.Raw, scrubbed of
// secrets (the client secret, the tokens, even in a token answer cut short),
// as every Raw is.
//
// HelloAsso publishes no rate limit and sends no Retry-After that any source
// shows: the client keeps no limit of its own (payments.WithRateLimit sets
// one), and retries 429s and, for reads, 5xx within payments.WithRetries.
//
// # Choices where HelloAsso's documentation is silent
//
//   - CancelURL is HelloAsso's backUrl and ErrorURL its errorUrl; both are
//     required by HelloAsso and default to ReturnURL. The error URL gets an
//     "error" parameter, so one route can serve all three.
//   - Reference is stored in the intent's metadata under "reference", beside
//     CreateRequest.Metadata, and comes back as Payment.Reference and in
//     every notification about the checkout (ReadEvent).
//   - Dates (terms, date of birth) are sent as "yyyy-mm-dd", as the official
//     samples do.
//   - Payment.Amount is the order's total, future instalments included; the
//     status is the first instalment's. Status "Contested" (a chargeback)
//     maps to processing: not paid, not final.
//   - Refund refunds one payment: the first paid one with something left,
//     or RefundOptions.PaymentID. A refund of the whole payment sends no
//     amount; a partial one, or the rest after one, sends the amount in
//     cents (HelloAsso marks partial refunds as beta). The adapter refuses
//     locally an amount above what remains; sendRefundMail is always sent
//     explicitly (true unless RefundOptions.NoRefundMail).
//   - Refunds need the RefundManagement privilege, which HelloAsso does not
//     grant organization clients by default: expect ErrPermission until it
//     does. A refund needing multi-factor authentication (409) is
//     ErrPermission too.
//
// # Notifications and returns
//
// HelloAsso posts Order and Payment notifications (and Form and
// Organization ones) to the URL set in the back office. It signs them
// (x-ha-signature) for partners only: with Config.SignatureKey, ParseWebhook
// checks the signature; without it, events come back with Verified false.
// Allow-list HelloAsso's addresses (51.138.206.200 in production,
// 4.233.135.234 in sandbox) and always call Verify. HelloAsso retries until
// it gets a 200 and sends both an Order and a Payment notification for a
// checkout: payments.WebhookHandler deduplicates by body.
//
// An Order notification names the checkout intent: the event's PaymentID.
// A Payment notification (a payment, a refund, a refused instalment) may
// not: HelloAsso's own example has no order.checkoutIntentId, so PaymentID
// is then empty. Each still leads to the payment to verify:
//
//   - ev.Reference (and ReadEvent(ev).Reference) is the
//     CreateRequest.Reference that Create stored in the intent's metadata:
//     look up that order and verify the Session.ID you stored with it (each
//     one, if it had several checkouts);
//   - Client.ResolvePaymentID(ctx, ev) returns the checkout intent id: the
//     one the event names, else the one HelloAsso records for the order the
//     event names (GET /v5/orders/{id});
//   - ReadEvent(ev) also gives the order id and HelloAsso's payment id.
//
// ParseReturn reads checkoutIntentId, code and error from the return or
// error URL. The code is forgeable: Verify, or VerifyReturn, which also
// trusts the URL's orderId only as far as HelloAsso confirms it.
//
// # What no source settles
//
// Checked against HelloAsso's OpenAPI description, its PHP SDK, its
// notification examples, its woocommerce plugin and samples, and a real
// sandbox answer (testdata/helloasso/SOURCES.md). These stay open; none
// needs a setting, because the adapter reads every form seen, except where
// one is named:
//
//   - Whether a checkout intent ever shows a refused order: the spec says
//     it carries its order only once a payment is authorised, the
//     woocommerce plugin handles a refused one. No order reads pending, a
//     refused one failed.
//   - Whether Payment notifications and GET /v5/payments/{id} name the
//     checkout intent: HelloAsso's example does not, the spec says "if
//     available". PaymentID is used when present; otherwise Reference and
//     ResolvePaymentID lead to it.
//   - A refund's first state: Processed at once or Init then Processing.
//     Refund maps either (succeeded, pending), and Verify counts refunds
//     under way in PendingRefundAmount until they are processed.
//   - Notification signatures: partners only, "for now". Config.SignatureKey
//     is the setting: set it when HelloAsso gives a signature key, and
//     unsigned notifications are then refused.
//   - The bodies of checkout 400s and of 401s are not published: errors are
//     read in HelloAsso's, ASP.NET's and OAuth's shapes, raw body kept.
//   - Partial refunds are a beta "for stripe": a zero RefundRequest.Amount
//     refunds the whole payment without naming an amount.
//
// # Testing
//
// Package helloassotest is a simulator of the API: token endpoint, checkout
// intents with HelloAsso's validation, a checkout page, orders, payments,
// refunds and signed notifications, in the shapes of the sources above.
// helloassotest.Start(t) returns it with a client; srv.Walk(ctx, session,
// pay) goes through the checkout page as the payer's browser does. It shows
// no order on a refused checkout intent unless ShowRefusedOrders.
package helloasso
