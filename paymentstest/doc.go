// Package paymentstest helps merchants test code that takes payments without
// an account or a network.
//
// Fake is an in-memory payments.Checkout whose outcomes the test sets: Pay,
// Decline, Fail or SetStatus a payment, make the next call fail with
// FailNext, read back Calls. It also signs webhooks (Webhook) and builds the
// query a customer's browser brings back (ReturnQuery), and parses both.
//
// NewFake returns a neutral Fake: it takes every currency, refunds in full
// and in part, and takes FakeOptions as its provider options. When the code
// under test is written for one provider (it passes moneroo.Options, reads
// Hub2's next actions, handles HelloAsso's notifications), pose the Fake as
// that provider with its persona package instead:
//
//	fake := monerofake.New()       // or hub2fake.New(), helloassofake.New(), herofake.New()
//	shop := NewShop(fake)          // the code under test takes a payments.Checkout
//	s, err := shop.StartCheckout(ctx, order) // passes moneroo.Options: accepted
//	fake.Pay(s.ID)
//	h, body, _ := fake.Webhook(s.ID) // Moneroo's body and X-Moneroo-Signature
//
// A posed Fake reports the provider's name and capabilities, refuses what
// the provider's adapter refuses before sending (it runs the adapter's own
// checks), another provider's options included, takes only the provider's
// currencies, follows its refund rules (ErrUnsupported at Moneroo and Hub2),
// shapes its sessions as the provider does (Hub2's OTP, USSD and redirect
// next actions), and signs webhooks and builds return queries that the real
// adapter's ParseWebhook and ParseReturn accept. NewFakeAs poses a Fake as
// any Persona, for a provider of your own.
//
// The Sign functions build the headers each provider puts on a webhook, and
// Faults injects errors in front of the simulators (moneroo/monerootest and
// the others). The conformance suites that every adapter, the neutral Fake
// and each posed Fake pass are in package paymentstest/suite.
//
// This package imports only the standard library and this module's core, so
// that a merchant's module needs nothing more to use it.
package paymentstest
