package main

import (
	"log/slog"
	"net/url"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hero"
	"github.com/unipay/payments/hero/herotest"
)

// heroProvider is Hero's B2B checkout in EUR: the customer is a company, so
// the shop adds its name, phone and billing address. With HERO_API_KEY it
// uses Hero's staging system. Hero sends no webhooks: the return page's
// verification is what updates the order.
func heroProvider(getenv func(string) string, base string, logger *slog.Logger) (*Provider, error) {
	p := &Provider{Name: payments.Hero, Label: "Hero", Currency: "EUR", Mode: modeSandbox,
		Prepare: func(r *payments.CreateRequest, _ url.Values) {
			r.Customer.CompanyName = "Diallo Import SARL"
			r.Customer.Phone = "+33612345678"
			r.Customer.BillingAddress = &payments.Address{Line1: "12 rue de la Paix", City: "Paris", ZipCode: "75002", Country: "FR"}
			r.Options = hero.Options{Type: hero.Pay1X}
		}}
	cfg := hero.Config{APIKey: getenv("HERO_API_KEY")}
	opts := clientOptions(logger)
	if cfg.APIKey == "" {
		sim := herotest.NewServer()
		cfg = hero.Config{APIKey: herotest.APIKey, PaymentPageURL: sim.URL}
		opts = append(opts, payments.WithBaseURL(sim.URL))
		p.Mode, p.Close = modeSimulator, sim.Close
		p.Simulate = &Simulate{Pay: sim.Pay, Decline: sim.Decline}
	}
	c, err := hero.New(cfg, opts...)
	if err != nil {
		if p.Close != nil {
			p.Close()
		}
		return p, err
	}
	p.Checkout, p.Returns = c, c
	return p, nil
}
