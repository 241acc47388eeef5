package main

import (
	"context"
	"log/slog"
	"net/url"
	"strings"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
)

// hub2Provider is Hub2's direct mobile-money flow in XOF: the shop asks for
// the operator and the number, then shows what the operator asks (an OTP,
// a USSD confirmation, or its own page). With HUB2_API_KEY and
// HUB2_MERCHANT_ID (and HUB2_WEBHOOK_SECRET for webhooks) it uses Hub2's
// sandbox.
func hub2Provider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.Hub2, Label: "Hub2", Currency: "XOF", Mode: modeSandbox,
		Prepare: func(r *payments.CreateRequest, form url.Values) {
			code, country, _ := strings.Cut(form.Get("operator"), ":")
			// "07 00 00 00 00" is how people write a number; Hub2 takes digits.
			msisdn := strings.Join(strings.Fields(form.Get("phone")), "")
			r.Options = hub2.Options{Country: country, Provider: code, MSISDN: msisdn}
		}}
	cfg := hub2.Config{APIKey: getenv("HUB2_API_KEY"), MerchantID: getenv("HUB2_MERCHANT_ID")}
	if s := getenv("HUB2_WEBHOOK_SECRET"); s != "" {
		cfg.WebhookSecrets = []string{s}
	}
	opts := append(clientOptions(logger), sh.options()...)
	operators := []Operator{
		{Code: "wave:CI", Label: "Wave", Country: "Côte d'Ivoire"},
		{Code: "orange:CI", Label: "Orange Money", Country: "Côte d'Ivoire"},
		{Code: "mtn:CI", Label: "MTN MoMo", Country: "Côte d'Ivoire"},
		{Code: "moov:CI", Label: "Moov Money", Country: "Côte d'Ivoire"},
	}
	hint := ""
	if cfg.APIKey == "" {
		sim := hub2test.NewServer()
		sim.SetWebhookURL(base + "/webhooks/hub2")
		cfg = sim.Config()
		opts = append(opts, payments.WithBaseURL(sim.URL))
		p.Mode, p.Close = modeSimulator, sim.Close
		p.Simulate = &Simulate{Pay: sim.Pay, Decline: sim.Decline}
		// As hub2test documents: TestMSISDN waits for the customer's answer,
		// which the operator asks for in its own way.
		hint = "Simulator: with " + hub2test.TestMSISDN + " the payment waits for you: Orange asks for a code (any 4 digits), " +
			"MTN and Moov for a confirmation on the phone (buttons on the order page play it), Wave opens its page. " +
			hub2test.MSISDNInsufficientFunds + " has insufficient funds."
	}
	c, err := hub2.New(cfg, opts...)
	if err != nil {
		if p.Close != nil {
			p.Close()
		}
		return p, err
	}
	p.Checkout, p.Returns = c, c
	if len(cfg.WebhookSecrets) > 0 {
		p.Webhooks = c
	}
	p.Direct = &DirectFlow{
		Operators: operators,
		Hint:      hint,
		Authenticate: func(ctx context.Context, paymentID, code string) error {
			// An empty token makes the client read it from Hub2: the shop
			// never keeps the intent's secret JWT.
			_, err := c.Authenticate(ctx, paymentID, "", code)
			return err
		},
	}
	return p, nil
}
