// Package helloassofake poses a paymentstest.Fake as HelloAsso, for the unit
// tests of code written for package helloasso: code that passes
// helloasso.Options, handles HelloAsso's notifications and return URLs, or
// refunds a checkout.
//
//	fake := helloassofake.New()
//	shop := NewShop(fake) // a *helloasso.Client in production
//	s, _ := shop.StartCheckout(ctx, order) // helloasso.Options{ContainsDonation: true} are accepted
//	fake.Pay(s.ID)
//	h, body, _ := fake.Webhook(s.ID) // HelloAsso's Order notification, signed
//
// The Fake reports payments.HelloAsso and the capabilities of a
// helloasso.Client with a signature key: EUR only, refunds in full and in
// part, signed notifications, a return URL. Create refuses what
// helloasso.Client.Create refuses, because it runs the adapter's own checks
// (https URLs free of HelloAsso's parameters, an item name, payer names
// HelloAsso takes, an adult payer, terms that add up, the metadata cap,
// another provider's options…) on a client that sends nothing; Refund
// likewise refuses what helloasso.Client.Refund refuses before asking
// HelloAsso, and a refund of a checkout with nothing paid or left is an
// ErrConflict, as the adapter's.
//
// Ids are HelloAsso's numeric checkout intent ids; sessions carry a
// checkout page on HelloAsso's sandbox site, valid for
// helloasso.RedirectLifetime. Verify reads as helloasso.Client.Verify reads
// HelloAsso's intent: pending, with no amount, until the payer pays; then
// the order's first payment's state (Authorized, Refused…) in
// ProviderStatus. As at HelloAsso, a refused card leaves the checkout open:
// Decline keeps it pending (Verify shows no refusal), while its
// notification and return URL tell of the refused order.
//
// Webhook signs, with WebhookSecret (the partner's signature key), the
// Order notification HelloAsso sends once the checkout has an order; a
// helloasso.Client configured with SignatureKey WebhookSecret accepts it,
// its PaymentID the checkout intent and its Reference the order's.
// ReturnQuery adds checkoutIntentId, code (succeeded or refused) and orderId
// to the ReturnURL's query, as HelloAsso does.
//
// For the HTTP exchanges themselves (OAuth2 tokens, HelloAsso's error
// bodies), use the simulator, package helloassotest.
package helloassofake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/internal/checks"
	"github.com/unipay/payments/internal/fakekit"
	"github.com/unipay/payments/paymentstest"
)

// WebhookSecret is the Fake's webhook secret (Fake.WebhookSecret), the
// partner's signature key: give it to helloasso.Config.SignatureKey to
// check the Fake's notifications with a real client.
const WebhookSecret = "helloasso-fake-signature-key"

// OrganizationSlug is the association the Fake's checkouts belong to.
const OrganizationSlug = "association-fake"

// PageURL prefixes the checkout pages of the Fake's sessions, on
// HelloAsso's sandbox site.
const PageURL = "https://www.helloasso-sandbox.com/associations/" + OrganizationSlug + "/checkout/"

// The numbers the Fake's ids start from: checkout intents, their orders,
// payments and refunds, each n-th payment's n added.
const (
	firstIntent  = 300000
	firstOrder   = 200000
	firstPayment = 400000
	firstRefund  = 500000
)

// New returns an empty paymentstest.Fake posing as HelloAsso, its
// WebhookSecret set to WebhookSecret.
func New() *paymentstest.Fake {
	f := paymentstest.NewFakeAs(Persona())
	f.WebhookSecret = WebhookSecret
	return f
}

// Persona returns HelloAsso's persona, for paymentstest.NewFakeAs: change a
// field (Capabilities, Decline…) to play a case New does not.
func Persona() paymentstest.Persona {
	checks, err := client(WebhookSecret)
	if err != nil {
		// The configuration is this package's own: only a change to
		// helloasso.Config's rules can get here.
		panic("helloassofake: " + err.Error())
	}
	return paymentstest.Persona{
		Provider:     payments.HelloAsso,
		Capabilities: checks.Capabilities(),
		Validate: func(req payments.CreateRequest) error {
			_, err := checks.Create(context.Background(), req)
			return fakekit.Checked(err)
		},
		ValidateRefund: func(req payments.RefundRequest) error {
			_, err := checks.Refund(context.Background(), req)
			return fakekit.Checked(err)
		},
		UnpaidRefund: payments.ErrConflict,
		Open: func(n int, _ payments.CreateRequest) (payments.Session, paymentstest.Failure) {
			return payments.Session{
				ID:          strconv.Itoa(firstIntent + n),
				RedirectURL: PageURL + fmt.Sprintf("fake%028d", n),
				ExpiresAt:   time.Now().Add(helloasso.RedirectLifetime),
			}, paymentstest.Failure{}
		},
		Payment: payment,
		Refund: func(s paymentstest.Snapshot, r *payments.Refund) {
			r.ID = strconv.Itoa(firstRefund + 100*s.Seq + s.Refunds)
		},
		// A refused card leaves the checkout intent without an order: open.
		Decline: paymentstest.Failure{Status: payments.StatusPending},
		Webhook: func(secret string, s paymentstest.Snapshot) (http.Header, []byte, error) {
			body, err := notification(s)
			if err != nil {
				return nil, nil, err
			}
			if secret == "" {
				h := http.Header{}
				h.Set("Content-Type", "application/json")
				return h, body, nil
			}
			return paymentstest.SignHelloAsso(secret, body), body, nil
		},
		ParseWebhook: func(secret string, h http.Header, body []byte) (*payments.Event, error) {
			c, err := client(secret) // the test may have changed Fake.WebhookSecret
			if err != nil {
				return nil, err
			}
			return c.ParseWebhook(h, body)
		},
		ReturnQuery: returnQuery,
		ParseReturn: checks.ParseReturn,
	}
}

// client returns a helloasso.Client that sends nothing, checking
// notifications with key (none: unsigned notifications, as without a
// partner's key).
func client(key string) (*helloasso.Client, error) {
	return helloasso.New(helloasso.Config{
		ClientID: "helloasso-fake-client", ClientSecret: "helloasso-fake-secret",
		OrganizationSlug: OrganizationSlug, SignatureKey: key,
	}, fakekit.Offline()...)
}

// state is HelloAsso's PaymentState of the order's payment for s, "" when
// the checkout has no order (the payer has not paid, or was refused:
// HelloAsso shows no refused order on the intent).
func state(s paymentstest.Snapshot) string {
	switch s.Status {
	case payments.StatusSucceeded, payments.StatusPartiallyRefunded:
		return "Authorized"
	case payments.StatusRefunded:
		return "Refunded"
	case payments.StatusFailed:
		return "Refused"
	case payments.StatusCanceled:
		return "Canceled"
	case payments.StatusProcessing:
		return "Waiting"
	case payments.StatusActionRequired:
		return "WaitingAuthentication"
	}
	return ""
}

// payment makes Verify read as helloasso.Client.Verify reads the intent.
func payment(s paymentstest.Snapshot, p *payments.Payment) {
	st := state(s)
	p.ProviderStatus, p.FailureCode, p.FailureMessage = st, "", ""
	if st == "" {
		// No order: HelloAsso's intent carries no amount before one.
		p.Amount, p.RefundedAmount = payments.Money{}, payments.Money{}
		return
	}
	p.Method = "card"
	p.RefundedAmount = payments.Money{Amount: refunded(s), Currency: "EUR"}
	p.PendingRefundAmount = payments.Money{Currency: "EUR"} // the Fake's refunds are processed at once
	if s.Status == payments.StatusFailed {
		p.FailureCode, p.FailureMessage = st, "HelloAsso reports the payment as "+st
	}
}

// refunded is what the order's refunds add up to.
func refunded(s paymentstest.Snapshot) int64 {
	if s.Status == payments.StatusRefunded {
		return s.Request.Amount.Amount
	}
	return s.Refunded
}

// returnQuery is what HelloAsso adds to the ReturnURL once the payer went
// through the page: the checkout intent, code succeeded or refused, and the
// order. A checkout the payer has not gone through brings nothing back.
func returnQuery(s paymentstest.Snapshot) url.Values {
	st := state(s)
	if st == "" && !s.Declined {
		return nil
	}
	code := "succeeded"
	if st == "" || st == "Refused" || st == "Canceled" {
		code = "refused"
	}
	return fakekit.ReturnQuery(s.Request.ReturnURL, url.Values{
		"checkoutIntentId": {s.ID}, "code": {code}, "orderId": {strconv.Itoa(firstOrder + s.Seq)},
	})
}

// notification is HelloAsso's Order notification about s, in the shape of
// testdata/helloasso/notification-order.json (HelloAsso's OrderDetail, as
// its notification examples show it), with the metadata Create sent.
func notification(s paymentstest.Snapshot) ([]byte, error) {
	st := state(s)
	if st == "" && s.Declined {
		st = "Refused" // the refused order, which the intent does not show
	}
	if st == "" {
		return nil, errors.New("helloassofake: checkout intent " + s.ID + " has no order yet: HelloAsso notifies none")
	}
	stamp := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.0000000-07:00") }
	orderID, paymentID := firstOrder+s.Seq, firstPayment+s.Seq
	total := s.Request.Amount.Amount
	meta := map[string]string{"createdAt": stamp(s.Created), "updatedAt": stamp(s.Updated)}
	refunds := []any{}
	if r := refunded(s); r > 0 {
		refunds = append(refunds, map[string]any{
			"id": firstRefund + 100*s.Seq + max(s.Refunds, 1), "amount": r, "amountTip": 0, "status": "Processed", "meta": meta,
		})
	}
	pay := map[string]any{
		"items": []any{map[string]any{"id": orderID, "shareAmount": total, "shareItemAmount": total}},
		"id":    paymentID, "amount": total, "date": stamp(s.Updated), "paymentMeans": "Card",
		"installmentNumber": 1, "state": st, "meta": meta, "refundOperations": refunds,
	}
	if st == "Authorized" || st == "Refunded" {
		pay["cashOutState"] = "MoneyIn"
		pay["paymentReceiptUrl"] = fmt.Sprintf("https://www.helloasso-sandbox.com/associations/%s/checkout/paiement-attestation/%d", OrganizationSlug, orderID)
	}
	name := s.Request.Description
	if o := options(s.Request); o.ItemName != "" {
		name = o.ItemName
	}
	order := map[string]any{
		"items": []any{map[string]any{
			"payments": []any{map[string]any{"id": paymentID, "shareAmount": total}},
			"name":     name, "priceCategory": "Fixed", "qrCode": fmt.Sprintf("ZmFrZS0%d", orderID),
			"id": orderID, "amount": total, "type": "Payment", "state": "Processed",
		}},
		"payments": []any{pay},
		"amount":   map[string]int64{"total": total, "vat": 0, "discount": 0},
		"id":       orderID, "date": stamp(s.Updated), "formSlug": "default", "formType": "Checkout",
		"organizationName": "Association fictive", "organizationSlug": OrganizationSlug, "organizationType": "Association1901",
		"organizationIsUnderColucheLaw": false, "checkoutIntentId": firstIntent + s.Seq, "meta": meta,
		"isAnonymous": false, "isAmountHidden": false,
	}
	if p := payer(s.Request.Customer); len(p) > 0 {
		order["payer"] = p
	}
	metadata := map[string]string{"reference": s.Request.Reference}
	for k, v := range s.Request.Metadata {
		metadata[k] = v
	}
	return json.Marshal(map[string]any{"data": order, "eventType": helloasso.EventOrder, "metadata": metadata})
}

// payer is the order's payer as HelloAsso's checkout orders show it (its
// sandbox answer and its notification example): email, names and country,
// the ones Create pre-filled on the checkout page.
func payer(c *payments.Customer) map[string]string {
	if c == nil {
		return nil
	}
	p := map[string]string{}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			p[k] = v
		}
	}
	set("email", c.Email)
	set("firstName", c.FirstName)
	set("lastName", c.LastName)
	a := c.BillingAddress
	if a == nil {
		a = c.DeliveryAddress
	}
	if a != nil {
		if a3, ok := checks.Alpha3(a.Country); ok {
			set("country", a3)
		}
	}
	return p
}

func options(req payments.CreateRequest) helloasso.Options {
	switch o := req.Options.(type) {
	case helloasso.Options:
		return o
	case *helloasso.Options:
		if o != nil {
			return *o
		}
	}
	return helloasso.Options{}
}
