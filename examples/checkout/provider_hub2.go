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
//
// Refunds go back by transfer to the number the customer paid with
// (hub2.Config.RefundByTransfer): on with the simulator, and with Hub2's
// sandbox when HUB2_REFUND_BY_TRANSFER is "true" (the API key then needs
// the transfer permissions and a funded transfer account). The shop keeps
// the number and the name with the order, as hub2.RefundOptions: Hub2's
// intent does not keep them. One process keeps its refunds in memory;
// replicas must share a refund ledger (hub2.Config.RefundLedger).
func hub2Provider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.Hub2, Label: "Hub2", Currency: "XOF", Mode: modeSandbox,
		Prepare: func(r *payments.CreateRequest, form url.Values) {
			code, country, _ := strings.Cut(form.Get("operator"), ":")
			// "07 00 00 00 00" is how people write a number; Hub2 takes digits.
			msisdn := strings.Join(strings.Fields(form.Get("phone")), "")
			r.Options = hub2.Options{Country: country, Provider: code, MSISDN: msisdn}
		},
		RefundOptions: hub2RefundOptions,
		RefundNote: "Hub2 cannot refund a mobile-money payment: the shop sends the money back by transfer " +
			"to the number the customer paid with. Hub2's transfer fees come on top, from the shop's transfer account.",
	}
	cfg := hub2.Config{APIKey: getenv("HUB2_API_KEY"), MerchantID: getenv("HUB2_MERCHANT_ID"),
		RefundByTransfer: getenv("HUB2_REFUND_BY_TRANSFER") == "true"}
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
		sim := newHub2Simulator()
		sim.SetWebhookURL(base + "/webhooks/hub2")
		// Transfers arrive as soon as Hub2 has answered, as in a quick
		// sandbox; their webhooks tell the shop.
		sim.AutoSettleTransfers(true)
		cfg = sim.Config()
		cfg.RefundByTransfer = true
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
		// A transfer's webhook settles the refund it carries before the
		// shop verifies the order: no read of the transfer needed.
		p.OnEvent = func(ctx context.Context, ev *payments.Event) error {
			_, err := c.SettleTransferEvent(ctx, ev)
			return err
		}
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

// newHub2Simulator starts the simulator the shop uses without Hub2
// credentials; the shop's tests replace it to watch what it receives.
var newHub2Simulator = hub2test.NewServer

// hub2RefundOptions is what a refund by transfer of the order needs: the
// number the customer typed at checkout, as Create sent it, and the name
// they gave (the shop's customer details).
func hub2RefundOptions(r payments.CreateRequest) any {
	o, _ := r.Options.(hub2.Options)
	name := ""
	if c := r.Customer; c != nil {
		name = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	return hub2.RefundOptions{MSISDN: o.MSISDN, RecipientName: name}
}
