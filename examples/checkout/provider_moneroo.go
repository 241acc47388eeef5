package main

import (
	"log/slog"
	"net/url"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

// monerooProvider is Moneroo's hosted checkout in XOF. With MONEROO_SECRET_KEY
// (and MONEROO_WEBHOOK_SECRET for webhooks) it uses Moneroo's sandbox.
func monerooProvider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.Moneroo, Label: "Moneroo", Currency: "XOF",
		Prepare: func(r *payments.CreateRequest, _ url.Values) {}}
	cfg := moneroo.Config{SecretKey: getenv("MONEROO_SECRET_KEY"), WebhookSecret: getenv("MONEROO_WEBHOOK_SECRET")}
	opts := append(clientOptions(logger), sh.options()...)
	p.Mode = modeSandbox
	if cfg.SecretKey == "" {
		sim := monerootest.NewServer()
		sim.SetWebhookURL(base + "/webhooks/moneroo")
		cfg = moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret}
		opts = append(opts, payments.WithBaseURL(sim.URL))
		// The simulator's checkout page has Pay and Decline buttons.
		p.Mode, p.Close = modeSimulator, sim.Close
	}
	c, err := moneroo.New(cfg, opts...)
	if err != nil {
		if p.Close != nil {
			p.Close()
		}
		return p, err
	}
	p.Checkout, p.Returns = c, c
	if cfg.WebhookSecret != "" {
		p.Webhooks = c
	}
	return p, nil
}
