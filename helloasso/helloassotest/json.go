package helloassotest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The JSON shapes the simulator answers in. Each follows a source that
// testdata/helloasso/SOURCES.md names, and shape_test.go compares them with
// it: the order (OrderDetail) with a real sandbox answer and HelloAsso's
// Order notification example, the payment (PaymentDetail) with HelloAsso's
// Payment notification example, refunds with the OpenAPI spec's
// RefundOperationModel and RefundOperationLightModel.

type jsonAmount struct {
	Total    int64 `json:"total"`
	Vat      int64 `json:"vat"`
	Discount int64 `json:"discount"`
}

type jsonMeta struct {
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// organizationType is what HelloAsso says of the simulated association.
const organizationType = "Association1901"

// organizationName is the simulated association's name.
const organizationName = "Association simulée"

// jsonRefund is the refund call's answer (RefundOperationModel): its
// progress is "state".
type jsonRefund struct {
	ID             int64  `json:"id"`
	Amount         int64  `json:"amount"`
	CancelOrder    bool   `json:"cancelOrder"`
	CreationDate   string `json:"creationDate"`
	State          string `json:"state"`
	SendRefundMail bool   `json:"sendRefundMail"`
	PaymentID      int64  `json:"paymentId"`
}

func (r refundOp) json() jsonRefund {
	return jsonRefund{ID: r.id, Amount: r.amount, CancelOrder: r.cancelOrder, CreationDate: stamp(r.date),
		State: r.state, SendRefundMail: r.sendMail, PaymentID: r.paymentID}
}

// jsonRefundLight is a refund as a payment lists it
// (RefundOperationLightModel): its progress is "status", not "state".
type jsonRefundLight struct {
	ID        int64    `json:"id"`
	Amount    int64    `json:"amount"`
	AmountTip int64    `json:"amountTip"`
	Status    string   `json:"status"`
	Meta      jsonMeta `json:"meta"`
}

func (r refundOp) light() jsonRefundLight {
	return jsonRefundLight{ID: r.id, Amount: r.amount, Status: r.state, Meta: jsonMeta{CreatedAt: stamp(r.date), UpdatedAt: stamp(r.date)}}
}

// paymentFields are the fields a payment has in an order and on its own.
// Future instalments (Pending) and refused payments have no payout state and
// no receipt, as in HelloAsso's examples.
type paymentFields struct {
	CashOutState      string            `json:"cashOutState,omitempty"`
	PaymentReceiptURL string            `json:"paymentReceiptUrl,omitempty"`
	ID                int64             `json:"id"`
	Amount            int64             `json:"amount"`
	Date              string            `json:"date"`
	PaymentMeans      string            `json:"paymentMeans"`
	InstallmentNumber int               `json:"installmentNumber"`
	State             string            `json:"state"`
	Meta              jsonMeta          `json:"meta"`
	RefundOperations  []jsonRefundLight `json:"refundOperations"`
}

func (p *payment) fields() paymentFields {
	f := paymentFields{
		ID: p.id, Amount: p.amount, Date: stamp(p.date), PaymentMeans: "Card", InstallmentNumber: p.installment,
		State: p.state, Meta: jsonMeta{CreatedAt: stamp(p.order.date), UpdatedAt: stamp(p.order.updated)},
		RefundOperations: []jsonRefundLight{},
	}
	switch p.state {
	case "Authorized", "Refunded", "Refunding":
		f.CashOutState = "MoneyIn"
		f.PaymentReceiptURL = fmt.Sprintf("https://www.helloasso-sandbox.com/associations/%s/checkout/paiement-attestation/%d", OrganizationSlug, p.order.id)
	}
	for _, r := range p.refunds {
		f.RefundOperations = append(f.RefundOperations, r.light())
	}
	return f
}

// jsonShare is a payment's share of an item.
type jsonShare struct {
	ID              int64 `json:"id"`
	ShareAmount     int64 `json:"shareAmount"`
	ShareItemAmount int64 `json:"shareItemAmount"`
}

// orderPayment is a payment in an order: its share of the order's one item.
type orderPayment struct {
	Items []jsonShare `json:"items"`
	paymentFields
}

// detail is a payment as GET /v5/payments/{id} and Payment notifications
// show it (PaymentDetail, after HelloAsso's "Paiement autorisé sur un
// checkout" example): with its order, which does not name the checkout
// intent; only the notification's metadata links it.
func (p *payment) detail() any {
	o := p.order
	type item struct {
		ShareAmount     int64  `json:"shareAmount"`
		ShareItemAmount int64  `json:"shareItemAmount"`
		ID              int64  `json:"id"`
		Amount          int64  `json:"amount"`
		Type            string `json:"type"`
		State           string `json:"state"`
		Name            string `json:"name"`
	}
	type orderLight struct {
		ID                            int64    `json:"id"`
		Date                          string   `json:"date"`
		FormSlug                      string   `json:"formSlug"`
		FormType                      string   `json:"formType"`
		OrganizationName              string   `json:"organizationName"`
		OrganizationSlug              string   `json:"organizationSlug"`
		OrganizationType              string   `json:"organizationType"`
		OrganizationIsUnderColucheLaw bool     `json:"organizationIsUnderColucheLaw"`
		FormName                      string   `json:"formName"`
		Meta                          jsonMeta `json:"meta"`
		IsAnonymous                   bool     `json:"isAnonymous"`
		IsAmountHidden                bool     `json:"isAmountHidden"`
	}
	return struct {
		Order orderLight `json:"order"`
		Payer any        `json:"payer,omitempty"`
		Items []item     `json:"items"`
		paymentFields
	}{
		Order: orderLight{ID: o.id, Date: stamp(o.date), FormSlug: "default", FormType: "Checkout",
			OrganizationName: organizationName, OrganizationSlug: OrganizationSlug, OrganizationType: organizationType,
			FormName: "Checkout", Meta: jsonMeta{CreatedAt: stamp(o.date), UpdatedAt: stamp(o.updated)}},
		Payer:         o.intent.body.payerJSON(),
		Items:         []item{{ShareAmount: p.amount, ShareItemAmount: p.amount, ID: o.id, Amount: o.total, Type: "Payment", State: "Processed", Name: o.intent.body.ItemName}},
		paymentFields: p.fields(),
	}
}

// json is an order as HelloAsso's OrderDetail: GET /v5/orders/{id}, Order
// notifications and a paid checkout intent. It names its checkout intent.
func (o *order) json() any {
	type itemPayment struct {
		ID          int64 `json:"id"`
		ShareAmount int64 `json:"shareAmount"`
	}
	type item struct {
		Payments      []itemPayment `json:"payments"`
		Name          string        `json:"name"`
		PriceCategory string        `json:"priceCategory"`
		QRCode        string        `json:"qrCode"`
		ID            int64         `json:"id"`
		Amount        int64         `json:"amount"`
		Type          string        `json:"type"`
		State         string        `json:"state"`
	}
	ps := make([]orderPayment, len(o.payments))
	shares := make([]itemPayment, len(o.payments))
	for i, p := range o.payments {
		ps[i] = orderPayment{Items: []jsonShare{{ID: o.id, ShareAmount: p.amount, ShareItemAmount: p.amount}}, paymentFields: p.fields()}
		shares[i] = itemPayment{ID: p.id, ShareAmount: p.amount}
	}
	return struct {
		Payer                         any            `json:"payer,omitempty"`
		Items                         []item         `json:"items"`
		Payments                      []orderPayment `json:"payments"`
		Amount                        jsonAmount     `json:"amount"`
		ID                            int64          `json:"id"`
		Date                          string         `json:"date"`
		FormSlug                      string         `json:"formSlug"`
		FormType                      string         `json:"formType"`
		OrganizationName              string         `json:"organizationName"`
		OrganizationSlug              string         `json:"organizationSlug"`
		OrganizationType              string         `json:"organizationType"`
		OrganizationIsUnderColucheLaw bool           `json:"organizationIsUnderColucheLaw"`
		CheckoutIntentID              int64          `json:"checkoutIntentId"`
		Meta                          jsonMeta       `json:"meta"`
		IsAnonymous                   bool           `json:"isAnonymous"`
		IsAmountHidden                bool           `json:"isAmountHidden"`
	}{
		Payer: o.intent.body.payerJSON(),
		Items: []item{{Payments: shares, Name: o.intent.body.ItemName, PriceCategory: "Fixed", QRCode: qrCode(o),
			ID: o.id, Amount: o.total, Type: "Payment", State: "Processed"}},
		Payments: ps,
		Amount:   jsonAmount{Total: o.total},
		ID:       o.id, Date: stamp(o.date), FormSlug: "default", FormType: "Checkout",
		OrganizationName: organizationName, OrganizationSlug: OrganizationSlug, OrganizationType: organizationType,
		CheckoutIntentID: o.intent.id,
		Meta:             jsonMeta{CreatedAt: stamp(o.date), UpdatedAt: stamp(o.updated)},
	}
}

// qrCode is an item's ticket code; HelloAsso's look like base64 of the
// item id and a timestamp.
func qrCode(o *order) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", o.id, o.date.UnixNano()))
}

// intentJSON is GET …/checkout-intents/{id}: the order only once a payment
// is authorised (or, with ShowRefusedOrders, the refused attempt).
func (s *Server) intentJSON(in *intent) any {
	var o any
	if shown := in.shown(s.showRefused); shown != nil {
		o = shown.json()
	}
	return struct {
		ID          int64           `json:"id"`
		RedirectURL string          `json:"redirectUrl"`
		Metadata    json.RawMessage `json:"metadata,omitempty"`
		Order       any             `json:"order,omitempty"`
	}{in.id, s.pageURL(in), in.metadata, o}
}

// formJSON is a Form notification's data, after the one in HelloAsso's
// node-notification-handler-sample: a donation form with its tiers.
func formJSON(formSlug, title string, now time.Time) any {
	type tier struct {
		ID                   int64  `json:"id"`
		Description          string `json:"description"`
		TierType             string `json:"tierType"`
		Price                int64  `json:"price"`
		VatRate              int64  `json:"vatRate"`
		PaymentFrequency     string `json:"paymentFrequency"`
		IsEligibleTaxReceipt bool   `json:"isEligibleTaxReceipt"`
	}
	base := "https://www.helloasso-sandbox.com/associations/" + OrganizationSlug + "/formulaires/" + formSlug
	return struct {
		OrganizationLogo string   `json:"organizationLogo"`
		OrganizationName string   `json:"organizationName"`
		Tiers            []tier   `json:"tiers"`
		Currency         string   `json:"currency"`
		Meta             jsonMeta `json:"meta"`
		State            string   `json:"state"`
		Title            string   `json:"title"`
		PrivateTitle     string   `json:"privateTitle"`
		WidgetButtonURL  string   `json:"widgetButtonUrl"`
		WidgetFullURL    string   `json:"widgetFullUrl"`
		FormSlug         string   `json:"formSlug"`
		FormType         string   `json:"formType"`
		URL              string   `json:"url"`
		OrganizationSlug string   `json:"organizationSlug"`
	}{
		OrganizationLogo: "https://www.helloasso-sandbox.com/assets/img/logos/" + OrganizationSlug + ".png",
		OrganizationName: organizationName,
		Tiers: []tier{{ID: 1, TierType: "Donation", Price: 2000, PaymentFrequency: "Single", IsEligibleTaxReceipt: true},
			{ID: 2, TierType: "Donation", Price: 5000, PaymentFrequency: "Single", IsEligibleTaxReceipt: true}},
		Currency: "EUR",
		Meta:     jsonMeta{CreatedAt: stamp(now), UpdatedAt: stamp(now)},
		State:    "Public", Title: "<h1>" + title + "</h1>", PrivateTitle: title,
		WidgetButtonURL: base + "/widget-bouton", WidgetFullURL: base + "/widget",
		FormSlug: formSlug, FormType: "Donation", URL: base, OrganizationSlug: OrganizationSlug,
	}
}

// stamp formats t as HelloAsso does: seven fraction digits and an offset.
func stamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.0000000-07:00") }

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// notFound is HelloAsso's refund error 101, as its refund reference words it.
func notFound(id string) string {
	return "Code : 101 - The payment specified is not found, payment id : '" + strings.ReplaceAll(id, "'", "") + "'"
}
