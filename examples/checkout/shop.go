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
	// RefundOptions, when set, returns what the provider's refunds need of
	// the checkout (Hub2's refunds by transfer: the payer's number and
	// name), which the shop keeps with the order.
	RefundOptions func(r payments.CreateRequest) any
	// RefundNote, when set, says on the refund page how the money goes
	// back, where it is not the way the customer paid.
	RefundNote string
	// OnEvent, when set, records what a verified event says before the
	// shop verifies the order it names (Hub2's transfer webhooks settle
	// refunds); its error makes the provider deliver the event again.
	OnEvent func(ctx context.Context, ev *payments.Event) error
	// Direct, when set, makes the shop ask for a phone number and an
	// operator, and lets the customer finish with an OTP (Hub2).
	Direct *DirectFlow
	// Simulate plays the customer's phone from the order page while an
	// order waits for a USSD confirmation (Hub2's MTN and Moov); nil with a
	// real sandbox, and for providers whose simulator has its own page.
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

// returnVerifier is a Checkout that can read more from a return URL than
// Verify does: HelloAsso's intent shows no order until a payment is
// authorised, so its VerifyReturn also reads the refused order the return
// URL names, if HelloAsso says it belongs to the checkout.
type returnVerifier interface {
	VerifyReturn(ctx context.Context, ret *payments.Return) (*payments.Payment, error)
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
	// handlerOptions are added to each webhook handler's (the shared event
	// log, when replicas share one).
	handlerOptions []payments.HandlerOption
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
		"sameMode":    sameMode,
		"field":       field,
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
	// The shop's own forms change state (they open checkouts, send codes,
	// refund): only the shop's own pages may post them, so that a page on
	// another site cannot make a visitor's browser do it (CSRF). Webhooks
	// are posted by the providers' servers and carry their signature
	// instead, so they are left out.
	forms := http.NewCrossOriginProtection()
	forms.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.logger.WarnContext(r.Context(), "cross-origin form refused", "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "sec-fetch-site", r.Header.Get("Sec-Fetch-Site"))
		s.fail(w, http.StatusForbidden, "This form was sent from another site, so the shop ignored it.")
	}))
	mux := http.NewServeMux()
	post := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, forms.Handler(h)) }
	mux.HandleFunc("GET /{$}", s.index)
	post("POST /checkout", s.checkout)
	mux.HandleFunc("GET /return/{provider}", s.returned)
	mux.HandleFunc("GET /orders", s.orders)
	mux.HandleFunc("GET /orders/{id}", s.order)
	mux.HandleFunc("GET /orders/{id}/pay", s.resume)
	post("POST /orders/{id}/verify", s.reverify)
	post("POST /orders/{id}/otp", s.otp)
	mux.HandleFunc("GET /orders/{id}/refund", s.confirmRefund)
	post("POST /orders/{id}/refund", s.refund)
	post("POST /orders/{id}/simulate", s.simulate)
	for _, p := range s.providers {
		if p.Webhooks != nil {
			mux.Handle("POST /webhooks/"+string(p.Name), payments.WebhookHandler(p.Webhooks, s.webhook(p),
				append(webhookOptions(s.logger), s.handlerOptions...)...))
		}
	}
	return mux
}

// WebhookURL is where provider p's webhooks must be sent.
func (s *Shop) WebhookURL(p payments.ProviderName) string {
	return s.baseURL + "/webhooks/" + string(p)
}

func (s *Shop) index(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "index.html", s.indexView(nil))
}

// checkout opens a checkout for one product with the chosen provider, then
// sends the customer to pay: the provider's page, or the direct flow. When
// the provider refuses, the customer gets the form back as filled in, with
// what to fix in plain words.
func (s *Shop) checkout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_ = r.ParseForm()
	form := r.PostForm
	prov := s.byName[payments.ProviderName(form.Get("provider"))]
	product, okp := s.product(form.Get("product"))
	if prov == nil || !okp {
		s.fail(w, http.StatusBadRequest, "Choose a product and a way to pay.")
		return
	}
	amount, _ := product.Price(prov.Currency)
	if prov.Direct != nil && form.Get("step") != "direct" {
		// Mobile money without a hosted page: ask for the number first.
		s.renderForm(w, http.StatusOK, product, prov, form, "", nil)
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
			FirstName: strings.TrimSpace(form.Get("first_name")),
			LastName:  strings.TrimSpace(form.Get("last_name")),
			Email:     strings.TrimSpace(form.Get("email")),
			Reference: "demo-customer",
		},
		Metadata: map[string]string{"shop": "unipay demo"},
	}
	if prov.Prepare != nil {
		prov.Prepare(&req, form)
	}
	if prov.RefundOptions != nil {
		s.store.Update(order.ID, "", func(o *Order) { o.RefundOptions = prov.RefundOptions(req) })
	}
	sess, err := prov.Checkout.Create(ctx, req)
	if err != nil {
		// The developer's error goes to the log; the customer reads a sentence.
		s.logger.WarnContext(ctx, "create checkout failed", "order", order.ID, "provider", prov.Name, "error", err)
		msg := plainMessage(err, actStart, prov.Label)
		if sess != nil {
			// The checkout exists but its first attempt failed (Hub2): the
			// order page shows the payment as verified, and why.
			s.store.Update(order.ID, "checkout opened at "+prov.Label+" ("+sess.ID+"); its first attempt failed",
				func(o *Order) { o.PaymentID = sess.ID })
			s.verify(ctx, prov, order.ID)
			s.problem(order.ID, msg)
			http.Redirect(w, r, "/orders/"+url.PathEscape(order.ID), http.StatusSeeOther)
			return
		}
		s.store.Update(order.ID, prov.Label+" did not open the checkout: "+msg, func(o *Order) { o.NotStarted = true })
		fields := fieldMessages(err)
		if len(fields) > 0 {
			msg = "Please check the details below."
		}
		status := http.StatusBadGateway
		if errors.Is(err, payments.ErrInvalidRequest) {
			status = http.StatusUnprocessableEntity
		}
		s.renderForm(w, status, product, prov, form, msg, fields)
		return
	}
	s.store.Update(order.ID, "checkout opened at "+prov.Label+" ("+sess.ID+")", func(o *Order) {
		o.PaymentID = sess.ID
		o.NextAction = sess.NextAction
		o.Status = sess.Status
		o.Raw = string(sess.Status)
	})
	s.logger.InfoContext(ctx, "checkout opened", "order", order.ID, "provider", prov.Name, "payment", sess.ID)
	if sess.Status.Final() {
		// Settled at once (Hub2 refusing a number): the order page shows
		// what the provider verifies, with its reason.
		s.verify(ctx, prov, order.ID)
	}
	if sess.RedirectURL != "" {
		http.Redirect(w, r, sess.RedirectURL, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(order.ID), http.StatusSeeOther)
}

// returned is where the provider sends the customer back. Nothing in the URL
// is trusted: it only says which order to verify (and, for HelloAsso, which
// refused order to ask about, which HelloAsso must confirm).
func (s *Shop) returned(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	prov := s.byName[payments.ProviderName(r.PathValue("provider"))]
	o, ok := s.store.Get(r.URL.Query().Get("order"))
	if prov == nil || !ok || o.Provider != prov.Name {
		s.fail(w, http.StatusNotFound, "We don't know this order.")
		return
	}
	note := "customer came back"
	var query url.Values
	if prov.Returns != nil {
		if ret, err := prov.Returns.ParseReturn(r.URL.Query()); err == nil {
			if ret.PaymentID != "" && ret.PaymentID != o.PaymentID {
				s.logger.WarnContext(ctx, "return names another payment; verifying the order's own", "order", o.ID, "claimed", ret.PaymentID)
			}
			if ret.ClaimedStatus != "" {
				note += " claiming " + string(ret.ClaimedStatus) + " (not trusted)"
			}
			if _, reads := prov.Checkout.(returnVerifier); reads {
				query = ret.Query
			}
		}
	}
	s.store.Update(o.ID, note, func(o *Order) {
		if query != nil {
			o.ReturnQuery = query
		}
	})
	o = s.verify(ctx, prov, o.ID)
	s.render(w, http.StatusOK, "order.html", s.orderView(o, true))
}

// webhook handles a provider's signed notification: it names the order to
// verify; its claimed status is never used.
func (s *Shop) webhook(p *Provider) func(context.Context, *payments.Event) error {
	return func(ctx context.Context, ev *payments.Event) error {
		if p.OnEvent != nil {
			if err := p.OnEvent(ctx, ev); err != nil {
				return err // the provider will deliver again
			}
		}
		var o Order
		var ok bool
		switch {
		case ev.PaymentID != "":
			o, ok = s.store.ByPayment(p.Name, ev.PaymentID)
		case ev.Reference != "":
			// HelloAsso's Payment notifications do not name the checkout,
			// only the order id Create stored in its metadata: the shop
			// verifies the payment it stored with that order, nothing the
			// notification says.
			o, ok = s.store.Get(ev.Reference)
			ok = ok && o.Provider == p.Name && o.PaymentID != ""
		}
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
	pay, err := payments.VerifyPaid(ctx, s.verifier(p, o), o.PaymentID, o.Amount)
	if err != nil && !errors.Is(err, payments.ErrNotPaid) {
		s.logger.WarnContext(ctx, "verify failed", "order", orderID, "provider", p.Name, "payment", o.PaymentID, "error", err)
	}
	o, _ = s.store.Update(orderID, "", func(o *Order) {
		o.Problem = ""
		switch {
		case pay != nil && (err == nil || errors.Is(err, payments.ErrNotPaid)):
			o.Status, o.Raw, o.Refunded, o.PendingRefund = pay.Status, pay.ProviderStatus, pay.RefundedAmount, pay.PendingRefundAmount
			o.Failure = declineReason(pay)
		case pay != nil && errors.Is(err, payments.ErrIntegrity):
			o.Status, o.Raw = pay.Status, pay.ProviderStatus
			o.Problem = plainMessage(err, actVerify, p.Label)
		default:
			o.Problem = plainMessage(err, actVerify, p.Label)
		}
	})
	note := "verified with " + p.Label + ": " + statusLabel(o)
	if o.Failure != "" {
		note += " (" + o.Failure + ")"
	}
	if o.Problem != "" {
		note = o.Problem
	}
	o, _ = s.store.Update(orderID, note, nil)
	return o
}

// verifier is what verifies order o's payment: the provider's Checkout, or,
// once the customer came back from a provider whose VerifyReturn reads more
// than Verify (HelloAsso), that, with the order's own payment id whatever
// the URL named.
func (s *Shop) verifier(p *Provider, o Order) payments.Checkout {
	rv, ok := p.Checkout.(returnVerifier)
	if !ok || o.ReturnQuery == nil || p.Returns == nil {
		return p.Checkout
	}
	ret, err := p.Returns.ParseReturn(o.ReturnQuery)
	if err != nil {
		return p.Checkout
	}
	return returnCheckout{Checkout: p.Checkout, verifier: rv, ret: *ret}
}

// returnCheckout is a Checkout whose Verify is VerifyReturn with a stored
// return, so that payments.VerifyPaid checks what it reads.
type returnCheckout struct {
	payments.Checkout
	verifier returnVerifier
	ret      payments.Return
}

func (c returnCheckout) Verify(ctx context.Context, paymentID string) (*payments.Payment, error) {
	ret := c.ret
	ret.PaymentID = paymentID
	return c.verifier.VerifyReturn(ctx, &ret)
}

// problem records what went wrong with an order, in plain words, after any
// verification (which clears the previous problem).
func (s *Shop) problem(orderID, msg string) {
	s.store.Update(orderID, msg, func(o *Order) { o.Problem = msg })
}

func (s *Shop) orders(w http.ResponseWriter, r *http.Request) {
	views := []map[string]any{}
	for _, o := range s.store.List() {
		views = append(views, s.orderView(o, false))
	}
	s.render(w, http.StatusOK, "orders.html", map[string]any{"Orders": views, "Providers": s.providers})
}

// lookup returns the order named by the path and its provider, or shows
// the customer that the shop does not know it.
func (s *Shop) lookup(w http.ResponseWriter, r *http.Request) (Order, *Provider, bool) {
	o, ok := s.store.Get(r.PathValue("id"))
	prov := s.byName[o.Provider]
	if !ok || prov == nil {
		s.fail(w, http.StatusNotFound, "We don't know this order.")
		return Order{}, nil, false
	}
	return o, prov, true
}

func (s *Shop) order(w http.ResponseWriter, r *http.Request) {
	if o, _, ok := s.lookup(w, r); ok {
		s.render(w, http.StatusOK, "order.html", s.orderView(o, false))
	}
}

func (s *Shop) reverify(w http.ResponseWriter, r *http.Request) {
	if o, prov, ok := s.lookup(w, r); ok {
		s.verify(r.Context(), prov, o.ID)
		http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
	}
}

// resume sends the customer back to the provider's payment page of an
// order still waiting to be paid. The provider says where it is (and
// whether there is still something to pay).
func (s *Shop) resume(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, prov, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if o.PaymentID == "" {
		s.fail(w, http.StatusConflict, "This order has no payment to continue. Please place a new order.")
		return
	}
	u, err := prov.Checkout.RedirectURL(ctx, o.PaymentID)
	if err != nil {
		s.logger.WarnContext(ctx, "redirect url failed", "order", o.ID, "provider", prov.Name, "error", err)
		// Paid or declined in the meantime, the order page says so;
		// still open, it says why the page could not be reached.
		if o = s.verify(ctx, prov, o.ID); waiting(o) {
			s.problem(o.ID, plainMessage(err, actContinue, prov.Label))
		}
		http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// otp sends the code the customer received to the provider (Hub2's OTP).
// A refused code leaves the form as typed, with what went wrong.
func (s *Shop) otp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, prov, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if prov.Direct == nil || prov.Direct.Authenticate == nil {
		s.fail(w, http.StatusConflict, "This order takes no code.")
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if err := prov.Direct.Authenticate(ctx, o.PaymentID, code); err != nil {
		s.logger.WarnContext(ctx, "authenticate failed", "order", o.ID, "provider", prov.Name, "error", err)
		s.verify(ctx, prov, o.ID)
		s.problem(o.ID, plainMessage(err, actCode, prov.Label))
		o, _ = s.store.Get(o.ID)
		view := s.orderView(o, false)
		view["Code"] = code
		s.render(w, http.StatusUnprocessableEntity, "order.html", view)
		return
	}
	s.store.Update(o.ID, "code sent to "+prov.Label, func(o *Order) { o.NextAction = nil })
	s.verify(ctx, prov, o.ID)
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

// simulate approves or refuses the payment as the customer's phone would,
// in simulator mode, while the order waits for a USSD confirmation; then
// the shop verifies as usual.
func (s *Shop) simulate(w http.ResponseWriter, r *http.Request) {
	o, prov, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if !phoneStep(o, prov) {
		s.fail(w, http.StatusConflict, "There is nothing to approve on the phone for this order.")
		return
	}
	do, what := prov.Simulate.Pay, "approved"
	if r.PostFormValue("outcome") == "decline" {
		do, what = prov.Simulate.Decline, "refused"
	}
	err := do(o.PaymentID)
	if err == nil {
		s.store.Update(o.ID, "the customer "+what+" on the phone (simulated)", nil)
	}
	s.verify(r.Context(), prov, o.ID)
	if err != nil {
		s.logger.WarnContext(r.Context(), "simulation failed", "order", o.ID, "provider", prov.Name, "error", err)
		s.problem(o.ID, "The simulated phone could not answer. Check the payment again.")
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(o.ID), http.StatusSeeOther)
}

// waiting reports whether the order's payment is still open.
func waiting(o Order) bool { return !o.Status.Final() && o.PaymentID != "" }

// phoneStep reports whether order o waits for the customer to confirm on
// the phone (a USSD prompt), which the simulator can play.
func phoneStep(o Order, p *Provider) bool {
	return p.Simulate != nil && waiting(o) && o.NextAction != nil && o.NextAction.Type == payments.NextActionUSSD
}

func (s *Shop) orderView(o Order, returned bool) map[string]any {
	p := s.byName[o.Provider]
	caps := p.Capabilities()
	return map[string]any{
		"Order":     o,
		"Provider":  p,
		"Returned":  returned,
		"CanRefund": caps.Refund && refundable(o).Amount > 0,
		"NoRefunds": !caps.Refund,
		"Waiting":   waiting(o),
		// A hosted checkout still open: its page can take the payment.
		"CanContinue": waiting(o) && p.Direct == nil,
		"PhoneStep":   phoneStep(o, p),
		"Code":        "", // the one-time code, when a refused one is shown again
		"Providers":   s.providers,
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

// fail shows an error page with a message for the customer.
func (s *Shop) fail(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error.html", map[string]any{"Message": msg, "Providers": s.providers})
}

func (s *Shop) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.logger.Error("render failed", "template", name, "error", err)
	}
}
