package main

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/unipay/payments"
)

// Provider is one payment provider as the shop uses it.
type Provider struct {
	Name     payments.ProviderName
	Label    string // "Moneroo"
	Mode     string // "simulator" or "sandbox"
	Currency string // what the shop charges in with this provider
	Checkout payments.Checkout
	Webhooks payments.WebhookParser // nil when the provider sends none
	Returns  payments.ReturnParser  // nil when its return URL carries nothing
	// Prepare adds what this provider needs to a request: the customer
	// fields it requires, its own options (from the checkout form's values).
	Prepare func(r *payments.CreateRequest, form url.Values)
	// Direct, when set, makes the shop ask for a phone number and an
	// operator, and lets the customer finish with an OTP (Hub2).
	Direct *DirectFlow
	// Simulate drives the simulator's outcomes from the order page, standing
	// in for the customer's phone; nil with a real sandbox.
	Simulate *Simulate
	// Close stops the provider's simulator, if it runs one.
	Close func()
}

// Simulate lets the demo act as the customer's phone in simulator mode.
type Simulate struct {
	Pay, Decline func(paymentID string) error
}

// DirectFlow is a provider's direct mobile-money flow: no hosted page; the
// customer approves on the phone (USSD), with a code (OTP), or on a page the
// operator opens (redirect).
type DirectFlow struct {
	Operators    []Operator
	Hint         string // test numbers and codes to show in simulator mode
	Authenticate func(ctx context.Context, paymentID, code string) error
}

// Operator is a mobile-money operator the customer can pick.
type Operator struct {
	Code, Label, Country string
}

// Capabilities returns what the provider supports.
func (p *Provider) Capabilities() payments.Capabilities {
	if r, ok := p.Checkout.(payments.CapabilityReporter); ok {
		return r.Capabilities()
	}
	return payments.Capabilities{}
}

// Shop is the demo merchant: products, checkout, return page, webhooks,
// orders and refunds, over any payments.Checkout.
type Shop struct {
	baseURL   string
	providers []*Provider
	byName    map[payments.ProviderName]*Provider
	products  []Product
	store     *Store
	logger    *slog.Logger
	tmpl      *template.Template
}

//go:embed templates/*.html
var templates embed.FS

// NewShop returns a shop reachable at baseURL (used for return and webhook URLs).
func NewShop(baseURL string, providers []*Provider, logger *slog.Logger) *Shop {
	s := &Shop{
		baseURL: strings.TrimSuffix(baseURL, "/"), providers: providers,
		byName: map[payments.ProviderName]*Provider{}, products: catalogue, store: NewStore(), logger: logger,
	}
	for _, p := range providers {
		s.byName[p.Name] = p
	}
	s.tmpl = template.Must(template.New("").Funcs(template.FuncMap{
		"money":       formatMoney,
		"status":      statusLabel,
		"statusClass": func(o Order) string { return "st-" + strings.ReplaceAll(statusLabel(o), " ", "-") },
		"price": func(p Product, currency string) string {
			m, _ := p.Price(currency)
			return formatMoney(m)
		},
	}).ParseFS(templates, "templates/*.html"))
	return s
}

// catalogue is what the shop sells. Prices are whole units in every currency,
// so that Moneroo (which takes whole units) can charge them too.
var catalogue = []Product{
	{ID: "coffee", Name: "Café Touba, 1 kg", Description: "Spiced coffee from Dakar, roasted this week.",
		Prices: map[string]int64{"EUR": 2400, "XOF": 15000}},
	{ID: "wax", Name: "Wax print, 6 yards", Description: "Cotton wax print, hand-picked in Abidjan.",
		Prices: map[string]int64{"EUR": 4500, "XOF": 30000}},
	{ID: "basket", Name: "Bolga basket", Description: "Woven by hand in Bolgatanga. A gift for a friend.",
		Prices: map[string]int64{"EUR": 3200, "XOF": 20000}},
}

// Handler returns the shop's routes.
func (s *Shop) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("POST /checkout", s.checkout)
	mux.HandleFunc("GET /return/{provider}", s.returned)
	mux.HandleFunc("GET /orders", s.orders)
	mux.HandleFunc("GET /orders/{id}", s.order)
	mux.HandleFunc("POST /orders/{id}/verify", s.reverify)
	mux.HandleFunc("POST /orders/{id}/otp", s.otp)
	mux.HandleFunc("POST /orders/{id}/refund", s.refund)
	mux.HandleFunc("POST /orders/{id}/simulate", s.simulate)
	for _, p := range s.providers {
		if p.Webhooks != nil {
			mux.Handle("POST /webhooks/"+string(p.Name), payments.WebhookHandler(p.Webhooks, s.webhook(p), webhookOptions(s.logger)...))
		}
	}
	return mux
}

// WebhookURL is where provider p's webhooks must be sent.
func (s *Shop) WebhookURL(p payments.ProviderName) string {
	return s.baseURL + "/webhooks/" + string(p)
}

func (s *Shop) index(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "index.html", map[string]any{"Products": s.products, "Providers": s.providers})
}

// checkout opens a checkout for one product with the chosen provider, then
// sends the customer to pay: the provider's page, or the direct flow.
func (s *Shop) checkout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_ = r.ParseForm()
	prov := s.byName[payments.ProviderName(r.PostForm.Get("provider"))]
	product, okp := s.product(r.PostForm.Get("product"))
	if prov == nil || !okp {
		s.fail(w, http.StatusBadRequest, "Choose a product and a way to pay.", nil)
		return
	}
	amount, _ := product.Price(prov.Currency)
	if prov.Direct != nil && r.PostForm.Get("phone") == "" {
		// Mobile money without a hosted page: ask for the number first.
		s.render(w, http.StatusOK, "direct.html", map[string]any{"Product": product, "Provider": prov, "Amount": amount,
			"Form": r.PostForm, "Providers": s.providers})
		return
	}
	order := s.store.Create(product, prov.Name, amount)
	// Success, cancel and error all come back to the return page: whatever
	// the URL says, the page shows what the provider verifies.
	back := s.baseURL + "/return/" + string(prov.Name) + "?order=" + url.QueryEscape(order.ID)
	req := payments.CreateRequest{
		Amount:      amount,
		Reference:   order.ID,
		Description: product.Name,
		ReturnURL:   back,
		CancelURL:   back,
		ErrorURL:    back,
		Customer: &payments.Customer{
			FirstName: strings.TrimSpace(r.PostForm.Get("first_name")),
			LastName:  strings.TrimSpace(r.PostForm.Get("last_name")),
			Email:     strings.TrimSpace(r.PostForm.Get("email")),
			Reference: "demo-customer",
		},
		Metadata: map[string]string{"shop": "unipay demo"},
	}
	if prov.Prepare != nil {
		prov.Prepare(&req, r.PostForm)
	}
	sess, err := prov.Checkout.Create(ctx, req)
	if err != nil {
		s.logger.WarnContext(ctx, "create checkout failed", "order", order.ID, "provider", prov.Name, "error", err)
		if sess != nil {
			// The checkout exists but its first attempt failed (Hub2): the
			// order page shows why, and the payment can still be verified.
			s.store.Update(order.ID, "payment attempt failed: "+err.Error(), func(o *Order) {
				o.PaymentID, o.Problem = sess.ID, err.Error()
			})
			http.Redirect(w, r, "/orders/"+url.PathEscape(order.ID), http.StatusSeeOther)
			return
		}
		s.store.Update(order.ID, "checkout refused: "+err.Error(), func(o *Order) { o.Problem = err.Error() })
		s.fail(w, http.StatusBadRequest, "The payment could not be started.", err)
		return
	}
	s.store.Update(order.ID, "checkout opened at "+prov.Label+" ("+sess.ID+")", func(o *Order) {
		o.PaymentID = sess.ID
		o.NextAction = sess.NextAction
		o.Status = sess.Status
		o.Raw = string(sess.Status)
	})
	s.logger.InfoContext(ctx, "checkout opened", "order", order.ID, "provider", prov.Name, "payment", sess.ID)
	if sess.RedirectURL != "" {
		http.Redirect(w, r, sess.RedirectURL, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(order.ID), http.StatusSeeOther)
}

// returned is where the provider sends the customer back. Nothing in the URL
// is trusted: it only says which order to verify.
func (s *Shop) returned(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	prov := s.byName[payments.ProviderName(r.PathValue("provider"))]
	o, ok := s.store.Get(r.URL.Query().Get("order"))
	if prov == nil || !ok || o.Provider != prov.Name {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	note := "customer came back"
	if prov.Returns != nil {
		if ret, err := prov.Returns.ParseReturn(r.URL.Query()); err == nil {
			if ret.PaymentID != "" && ret.PaymentID != o.PaymentID {
				s.logger.WarnContext(ctx, "return names another payment; verifying the order's own", "order", o.ID, "claimed", ret.PaymentID)
			}
			if ret.ClaimedStatus != "" {
				note += " claiming " + string(ret.ClaimedStatus) + " (not trusted)"
			}
		}
	}
	s.store.Update(o.ID, note, nil)
	o = s.verify(ctx, prov, o.ID)
	s.render(w, http.StatusOK, "order.html", s.orderView(o, true))
}

// webhook handles a provider's signed notification: it names the payment to
// verify; its claimed status is never used.
func (s *Shop) webhook(p *Provider) func(context.Context, *payments.Event) error {
	return func(ctx context.Context, ev *payments.Event) error {
		o, ok := s.store.ByPayment(p.Name, ev.PaymentID)
		if !ok {
			s.logger.InfoContext(ctx, "webhook for a payment the shop does not know", "provider", p.Name, "type", ev.Type)
			return nil
		}
		s.store.Update(o.ID, "webhook "+ev.Type+" received", nil)
		o = s.verify(ctx, p, o.ID)
		if o.Problem != "" && o.Status == "" {
			return errors.New(o.Problem) // the provider will deliver again
		}
		return nil
	}
}

// verify asks the provider for the payment's real state and records it.
func (s *Shop) verify(ctx context.Context, p *Provider, orderID string) Order {
	o, _ := s.store.Get(orderID)
	if o.PaymentID == "" {
		return o
	}
	pay, err := payments.VerifyPaid(ctx, p.Checkout, o.PaymentID, o.Amount)
	o, _ = s.store.Update(orderID, "", func(o *Order) {
		o.Problem = ""
		switch {
		case err == nil, errors.Is(err, payments.ErrNotPaid):
			o.Status, o.Raw, o.Refunded = pay.Status, pay.ProviderStatus, pay.RefundedAmount
		case errors.Is(err, payments.ErrIntegrity):
			o.Status, o.Raw = pay.Status, pay.ProviderStatus
			o.Problem = "The payment does not match the order: " + err.Error()
		default:
			o.Problem = "Could not verify the payment: " + err.Error()
		}
	})
	note := "verified with " + p.Label + ": " + statusLabel(o)
	if o.Problem != "" {
		note = o.Problem
	}
	o, _ = s.store.Update(orderID, note, nil)
	return o
}

func (s *Shop) orders(w http.ResponseWriter, r *http.Request) {
	views := []map[string]any{}
	for _, o := range s.store.List() {
		views = append(views, s.orderView(o, false))
	}
	s.render(w, http.StatusOK, "orders.html", map[string]any{"Orders": views, "Providers": s.providers})
}

func (s *Shop) order(w http.ResponseWriter, r *http.Request) {
	o, ok := s.store.Get(r.PathValue("id"))
	if !ok {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	s.render(w, http.StatusOK, "order.html", s.orderView(o, false))
}

func (s *Shop) reverify(w http.ResponseWriter, r *http.Request) {
	o, ok := s.store.Get(r.PathValue("id"))
	if !ok {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	s.verify(r.Context(), s.byName[o.Provider], o.ID)
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

// otp sends the code the customer received to the provider (Hub2's OTP).
func (s *Shop) otp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, ok := s.store.Get(r.PathValue("id"))
	prov := s.byName[o.Provider]
	if !ok || prov == nil || prov.Direct == nil || prov.Direct.Authenticate == nil {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	if err := prov.Direct.Authenticate(ctx, o.PaymentID, strings.TrimSpace(r.PostFormValue("code"))); err != nil {
		s.store.Update(o.ID, "code refused: "+err.Error(), func(o *Order) { o.Problem = err.Error() })
	} else {
		s.store.Update(o.ID, "code sent to "+prov.Label, func(o *Order) { o.NextAction = nil })
	}
	s.verify(ctx, prov, o.ID)
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

// refund gives the money back: all of it, or half where the provider allows.
func (s *Shop) refund(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, ok := s.store.Get(r.PathValue("id"))
	prov := s.byName[o.Provider]
	if !ok || prov == nil {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	req := payments.RefundRequest{PaymentID: o.PaymentID, Reason: "refunded from the demo shop"}
	if r.PostFormValue("amount") == "half" {
		req.Amount = payments.Money{Amount: o.Amount.Amount / 2, Currency: o.Amount.Currency}
	}
	ref, err := prov.Checkout.Refund(ctx, req)
	if err != nil {
		s.store.Update(o.ID, "refund refused: "+err.Error(), func(o *Order) { o.Problem = err.Error() })
	} else {
		s.store.Update(o.ID, "refund of "+formatMoney(ref.Amount)+" accepted", nil)
		s.verify(ctx, prov, o.ID)
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

// simulate approves or refuses the payment as the customer's phone would,
// in simulator mode; then the shop verifies as usual.
func (s *Shop) simulate(w http.ResponseWriter, r *http.Request) {
	o, ok := s.store.Get(r.PathValue("id"))
	prov := s.byName[o.Provider]
	if !ok || prov == nil || prov.Simulate == nil {
		s.fail(w, http.StatusNotFound, "We don't know this order.", nil)
		return
	}
	do, what := prov.Simulate.Pay, "approved"
	if r.PostFormValue("outcome") == "decline" {
		do, what = prov.Simulate.Decline, "refused"
	}
	if err := do(o.PaymentID); err != nil {
		s.store.Update(o.ID, "simulation failed: "+err.Error(), func(o *Order) { o.Problem = err.Error() })
	} else {
		s.store.Update(o.ID, "the customer "+what+" on the phone (simulated)", nil)
	}
	s.verify(r.Context(), prov, o.ID)
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

func (s *Shop) orderView(o Order, returned bool) map[string]any {
	p := s.byName[o.Provider]
	caps := p.Capabilities()
	refundable := o.Status == payments.StatusSucceeded || o.Status == payments.StatusPartiallyRefunded
	return map[string]any{
		"Order":         o,
		"Provider":      p,
		"Returned":      returned,
		"CanRefund":     caps.Refund && refundable,
		"CanRefundPart": caps.Refund && caps.PartialRefund && o.Status == payments.StatusSucceeded,
		"NoRefunds":     !caps.Refund,
		"Waiting":       !o.Status.Final() && o.PaymentID != "",
		"Providers":     s.providers,
	}
}

func (s *Shop) product(id string) (Product, bool) {
	for _, p := range s.products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}

// fail shows an error page; a *payments.Error's field errors are listed.
func (s *Shop) fail(w http.ResponseWriter, status int, msg string, err error) {
	data := map[string]any{"Message": msg, "Providers": s.providers}
	var perr *payments.Error
	if errors.As(err, &perr) {
		data["Error"] = perr
	} else if err != nil {
		data["Detail"] = err.Error()
	}
	s.render(w, status, "error.html", data)
}

func (s *Shop) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.logger.Error("render failed", "template", name, "error", err)
	}
}
