package main

import (
	"log/slog"
	"net/url"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
)

// helloassoProvider is HelloAsso Checkout in EUR, for an association selling
// to its members. With HELLOASSO_CLIENT_ID, HELLOASSO_CLIENT_SECRET and
// HELLOASSO_ORGANIZATION (and HELLOASSO_SIGNATURE_KEY for signed
// notifications) it uses HelloAsso's sandbox; HelloAsso then needs https
// return URLs, so the shop must be reached through an https tunnel.
func helloassoProvider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.HelloAsso, Label: "HelloAsso", Currency: "EUR", Mode: modeSandbox,
		Prepare: func(r *payments.CreateRequest, _ url.Values) {
			r.Options = helloasso.Options{ItemName: r.Description}
		}}
	cfg := helloasso.Config{
		ClientID: getenv("HELLOASSO_CLIENT_ID"), ClientSecret: getenv("HELLOASSO_CLIENT_SECRET"),
		OrganizationSlug: getenv("HELLOASSO_ORGANIZATION"), SignatureKey: getenv("HELLOASSO_SIGNATURE_KEY"),
	}
	cfg.TokenStore = sh.tokenStore()
	opts := append(clientOptions(logger), sh.options()...)
	if cfg.ClientID == "" {
		// The simulator follows HelloAsso: a refused card leaves the intent
		// without an order; the shop reads the refusal with VerifyReturn.
		// Its checkout page has Pay and Decline buttons.
		sim := helloassotest.NewServer()
		sim.SetWebhookURL(base + "/webhooks/helloasso")
		cfg = helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
			OrganizationSlug: helloassotest.OrganizationSlug, SignatureKey: helloassotest.SignatureKey, TokenStore: sh.tokenStore()}
		opts = append(opts, payments.WithBaseURL(sim.URL))
		p.Mode, p.Close = modeSimulator, sim.Close
	}
	c, err := helloasso.New(cfg, opts...)
	if err != nil {
		if p.Close != nil {
			p.Close()
		}
		return p, err
	}
	// Notifications come whether or not they are signed; unsigned ones are
	// only a reason to verify, which is all the shop does with any of them.
	// The client's VerifyReturn is what the shop verifies returns with.
	p.Checkout, p.Returns, p.Webhooks = c, c, c
	return p, nil
}
