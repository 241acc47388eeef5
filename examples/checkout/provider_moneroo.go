package main

import (
	"log/slog"
	"net/url"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

// refundableXOF are the XOF payment methods Moneroo can pay back by payout
// (moneroo.PayoutMethod): with refunds on, the shop offers only these, so
// that every paid order can be refunded. The simulator's payer uses the
// first.
var refundableXOF = []string{"mtn_bj", "moov_bj", "mtn_ci", "orange_ci", "moov_ci", "wave_ci",
	"orange_sn", "wave_sn", "freemoney_sn", "e_money_sn", "orange_ml", "moov_tg", "togocel"}

// monerooProvider is Moneroo's hosted checkout in XOF. With MONEROO_SECRET_KEY
// (and MONEROO_WEBHOOK_SECRET for webhooks) it uses Moneroo's sandbox.
//
// Moneroo has no refund API: the shop refunds by payout to the payer
// (moneroo.Config.RefundByPayout) on its simulator, and on the sandbox with
// MONEROO_REFUND_BY_PAYOUT=1 (payouts draw on the app's sandbox balance).
// Replicas sharing their state on Redis share the refund ledger there too.
func monerooProvider(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error) {
	p := &Provider{Name: payments.Moneroo, Label: "Moneroo", Currency: "XOF",
		Prepare: func(r *payments.CreateRequest, _ url.Values) {}}
	cfg := moneroo.Config{SecretKey: getenv("MONEROO_SECRET_KEY"), WebhookSecret: getenv("MONEROO_WEBHOOK_SECRET")}
	opts := append(clientOptions(logger), sh.options()...)
	p.Mode = modeSandbox
	refunds := getenv("MONEROO_REFUND_BY_PAYOUT") == "1"
	if cfg.SecretKey == "" {
		sim := monerootest.NewServer()
		sim.SetWebhookURL(base + "/webhooks/moneroo")
		cfg = moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret}
		opts = append(opts, payments.WithBaseURL(sim.URL))
		// The simulator's checkout page has Pay and Decline buttons, and
		// its payouts succeed at once.
		p.Mode, p.Close, refunds = modeSimulator, sim.Close, true
	}
	if refunds {
		cfg.RefundByPayout = true
		cfg.RefundLedger = sh.refundLedger() // nil: in memory, for one process
		p.Prepare = func(r *payments.CreateRequest, _ url.Values) {
			r.Options = moneroo.Options{Methods: refundableXOF}
		}
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
