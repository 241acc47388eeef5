// Package simkit holds what the provider simulators (hero/herotest,
// hub2/hub2test, …) share: the hosted payment page, JSON answers, webhook
// delivery, ids and request counting. Each simulator keeps its provider's
// own paths, shapes and rules.
package simkit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unipay/payments"
)

// WriteJSON answers status with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// NewID returns prefix followed by n random lowercase letters and digits.
func NewID(prefix string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

// AppendQuery returns raw with params added to whatever query it already has,
// as providers do when they send the customer back to a merchant's URL.
func AppendQuery(raw string, params url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Counter counts the requests that reach an API, so tests can check that bad
// input sent none.
type Counter struct{ n atomic.Int64 }

// Middleware counts each request, then passes it to next.
func (c *Counter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		next.ServeHTTP(w, r)
	})
}

// Count returns how many requests were counted.
func (c *Counter) Count() int { return int(c.n.Load()) }

// Deliver POSTs a signed webhook body to target, as a provider does, and
// reports the answer's status. It gives up after five seconds, as providers do.
func Deliver(ctx context.Context, target string, header http.Header, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Page describes a simulated hosted payment page: what is paid, and the two
// plain HTML forms (Pay and Decline) that post back to the simulator.
type Page struct {
	Provider      string // shown as the page's brand, such as "Moneroo (simulator)"
	Title         string // such as "Payment for order #124"
	Amount        payments.Money
	Merchant      string
	PayAction     string // where the Pay form posts
	DeclineAction string // where the Decline form posts
	// Fields are extra inputs of the Pay form (name → label), such as a
	// phone number; their values are posted with it.
	Fields []Field
	// Hidden are hidden inputs of both forms.
	Hidden map[string]string
	// Notice is shown above the forms (a sandbox badge, test numbers).
	Notice string
	// Closed, when set, replaces the forms: the checkout is over.
	Closed string
}

// Field is an input of the Pay form.
type Field struct {
	Name, Label, Value string
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Provider}} · {{.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:2rem;color:#1d2330}
.card{max-width:26rem;margin:auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0001}
.brand{font-weight:700;color:#3b4cca}.sandbox{background:#c0392b;color:#fff;border-radius:4px;padding:.1rem .4rem;font-size:.75rem}
.amount{font-size:2rem;font-weight:700;margin:1rem 0}.notice{font-size:.85rem;color:#555}
label{display:block;margin:.6rem 0 .2rem}input[type=text]{width:100%;padding:.5rem;box-sizing:border-box}
button{width:100%;padding:.8rem;margin-top:.8rem;border:0;border-radius:8px;font-size:1rem;cursor:pointer}
#pay{background:#27ae60;color:#fff}#decline{background:#eee;color:#c0392b}
</style></head><body><div class="card">
<div><span class="brand">{{.Provider}}</span> <span class="sandbox">SANDBOX</span></div>
<h1>{{.Title}}</h1>{{if .Merchant}}<p>Pay {{.Merchant}}</p>{{end}}
<div class="amount" id="amount">{{.Amount}}</div>
{{if .Notice}}<p class="notice">{{.Notice}}</p>{{end}}
{{if .Closed}}<p id="closed">{{.Closed}}</p>{{else}}
<form method="post" action="{{.PayAction}}">
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
{{range .Fields}}<label for="{{.Name}}">{{.Label}}</label><input type="text" id="{{.Name}}" name="{{.Name}}" value="{{.Value}}">{{end}}
<button id="pay" type="submit">Pay {{.Amount}}</button></form>
<form method="post" action="{{.DeclineAction}}">
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<button id="decline" type="submit">Decline</button></form>{{end}}
</div></body></html>`))

// RenderPage writes the hosted page.
func RenderPage(w http.ResponseWriter, p Page) {
	var b bytes.Buffer
	if err := pageTmpl.Execute(&b, p); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// SubmitForm posts the hosted page's form at action (Pay or Decline) as a
// browser would, without following the redirect, and returns the redirect's
// Location: where the customer's browser is sent back to. Simulator tests
// and contract harnesses use it to walk the hosted page.
func SubmitForm(ctx context.Context, action string, form url.Values) (*url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, action, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode < 300 || resp.StatusCode >= 400 {
		return nil, &payments.Error{Kind: payments.ErrMalformedResponse, HTTPStatus: resp.StatusCode, Message: "the hosted page did not redirect"}
	}
	return resp.Location()
}
