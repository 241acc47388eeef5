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
func heroProvider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.Hero, Label: "Hero", Currency: "EUR", Mode: modeSandbox,
		Prepare: func(r *payments.CreateRequest, _ url.Values) {
			r.Customer.CompanyName = "Diallo Import SARL"
			r.Customer.Phone = "+33612345678"
			r.Customer.BillingAddress = &payments.Address{Line1: "12 rue de la Paix", City: "Paris", ZipCode: "75002", Country: "FR"}
			r.Options = hero.Options{Type: hero.Pay1X}
		}}
	var (
		c   *hero.Client
		err error
	)
	opts := append(clientOptions(logger), sh.options()...)
	if key := getenv("HERO_API_KEY"); key != "" {
		c, err = hero.New(hero.Config{APIKey: key}, opts...)
	} else {
		sim := herotest.NewServer()
		// The simulator's payment page has Pay and Decline buttons.
		p.Mode, p.Close = modeSimulator, sim.Close
		c, err = sim.NewClient(opts...)
	}
	if err != nil {
		if p.Close != nil {
			p.Close()
		}
		return p, err
	}
	p.Checkout, p.Returns = c, c
	return p, nil
}
