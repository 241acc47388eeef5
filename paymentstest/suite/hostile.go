package suite

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

// HostileHarness is what Hostile needs to drive one adapter against a
// provider that answers badly. The suite builds the adapter itself, with
// an http.Client whose transport forwards to a working provider (the
// adapter's simulator) except for the request under test, which gets a
// broken or hostile answer instead.
type HostileHarness struct {
	// New returns the adapter under test, built with opts on top of what
	// points it at a working provider (its simulator's base URL and
	// credentials). opts carry the suite's http.Client, a Debug logger,
	// one retry, a short timeout and a quick backoff.
	New func(t *testing.T, opts ...payments.Option) payments.Checkout
	// NewRequest returns a valid create request for this provider.
	NewRequest func() payments.CreateRequest
	// Pay completes a payment at the working provider (the simulator's
	// Pay), for the operations that need a paid one.
	Pay func(t *testing.T, s *payments.Session)
	// Secrets are the credentials New configures (API keys, client
	// secrets, webhook secrets). None may come back in any form; neither
	// may the credentials the adapter sends, which the suite learns.
	Secrets []string
	// Create, Verify, RedirectURL and Refund match the request that
	// operation's faults hit: the one that creates, reads the payment, reads
	// it to resume the checkout, refunds. Refund is nil for a provider
	// without refunds (the suite then checks Refund sends nothing).
	Create, Verify, RedirectURL, Refund func(r *http.Request, body []byte) bool
	// Extra are the provider's own operations: a token request, an intent
	// read, a batch verify.
	Extra []HostileOp
	// RefundOptions is given as RefundRequest.Options to the Refund
	// operation, for adapters whose refunds need the provider's own options
	// (hub2.RefundOptions); nil for the others.
	RefundOptions any
	// Skip names faults that cannot apply to a standard operation
	// ("Verify/unknown status"), each with why.
	Skip map[string]string
}

// HostileOp is one operation the hostile suite crosses with every fault.
type HostileOp struct {
	// Name names the operation's subtests.
	Name string
	// Match reports whether r (whose body is body) is the request the
	// faults hit.
	Match func(r *http.Request, body []byte) bool
	// Prepare runs against the working provider before the fault is armed
	// and returns the payment id the operation asks about, or "" when it
	// asks about none (a create).
	Prepare func(t *testing.T, c payments.Checkout) string
	// Run runs the operation once and returns the payment it read, if it
	// reads one (for the unknown-status answer), and its error. An
	// operation that reads no payment may return a Payment holding only the
	// Raw of what it got (a Session's, a Refund's), so that the suite looks
	// for secrets there too.
	Run func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error)
	// Unsafe marks a create or a refund: it must never be sent twice unless
	// it surely never reached the provider.
	Unsafe bool
	// Skip names faults that cannot apply to this operation, each with why.
	Skip map[string]string
}

// The suite's settings: one retry, so that a retry is exercised and counted;
// an attempt timeout that a loaded machine still meets; a quick backoff.
const (
	hostileRetries = 1
	hostileTimeout = 2 * time.Second
)

// outcome is what a fault must lead to.
type outcome struct {
	kind     payments.Kind // the error's kind; "" when the call must succeed
	raw      bool          // Raw must keep the body
	notSent  bool          // the error must say the request never left
	retried  bool          // an unsafe request may be sent again (it surely did no harm)
	special  string        // "unknown status", "another id", "cancelled"
	deadline time.Duration // the call's context deadline, when the fault needs one
}

type cell struct {
	f    *fault
	want outcome
}

// faults lists every way the suite has a provider answer badly.
func faults(secrets []string) []cell {
	jsonErr := http.Header{"Content-Type": {"application/json"}}
	html := http.Header{"Content-Type": {"text/html"}}
	big := `{"data":"` + strings.Repeat("x", 10<<20) + `"}`
	return []cell{
		{fixed("5xx JSON", 500, jsonErr, `{"message":"internal error","code":"E500","errors":[]}`), outcome{kind: payments.ErrUnavailable, raw: true}},
		{fixed("502 HTML", 502, html, "<html><body><h1>502 Bad Gateway</h1></body></html>"), outcome{kind: payments.ErrUnavailable, raw: true}},
		{fixed("503 with Retry-After", 503, http.Header{"Retry-After": {"30"}}, `{"message":"maintenance"}`), outcome{kind: payments.ErrUnavailable, raw: true, deadline: 2 * time.Second}},
		{fixed("503 without Retry-After", 503, nil, `{"message":"maintenance"}`), outcome{kind: payments.ErrUnavailable, raw: true}},
		{fixed("429 with Retry-After", 429, http.Header{"Retry-After": {"30"}}, `{"message":"too many requests"}`), outcome{kind: payments.ErrRateLimited, raw: true, retried: true, deadline: 2 * time.Second}},
		{fixed("429 without Retry-After", 429, nil, `{"message":"too many requests"}`), outcome{kind: payments.ErrRateLimited, raw: true, retried: true, deadline: 2 * time.Second}},
		{rewrite("truncated JSON", func(b []byte, _ string) []byte { return b[:len(b)/2] }), outcome{kind: payments.ErrMalformedResponse, raw: true}},
		{fixed("empty body", 200, nil, ""), outcome{kind: payments.ErrMalformedResponse}},
		{fixed("null", 200, nil, "null"), outcome{kind: payments.ErrMalformedResponse, raw: true}},
		{rewrite("wrong JSON types", wrongTypes), outcome{kind: payments.ErrMalformedResponse, raw: true}},
		{rewrite("unknown status", unknownStatus), outcome{special: "unknown status"}},
		{rewrite("another id", anotherID), outcome{special: "another id"}},
		{fixed("10 MiB body", 200, nil, big), outcome{kind: payments.ErrMalformedResponse, raw: true}},
		{retype("HTML content type", "text/html; charset=utf-8"), outcome{}},
		{transport("reset after sending", true, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), outcome{kind: payments.ErrUnavailable}},
		{transport("connection refused", false, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), outcome{kind: payments.ErrUnavailable, notSent: true, retried: true}},
		{hang("headers slower than the timeout"), outcome{kind: payments.ErrUnavailable}},
		{fixed("cancelled context", 200, nil, `{}`), outcome{special: "cancelled"}},
		{fixed("redirect to another host", 302, http.Header{"Location": {"https://collector.example.net/steal"}}, ""), outcome{kind: payments.ErrMalformedResponse}},
		{echo("credentials echoed in an error", 400, secrets), outcome{kind: payments.ErrInvalidRequest, raw: true}},
		{echo("credentials echoed in an answer", 200, secrets), outcome{}},
	}
}

// Hostile runs the hostile-provider suite: every operation of the adapter
// (Create, Verify, RedirectURL, Refund, and the harness's Extra) crossed
// with every fault (5xx, HTML, 503 and 429 with and without Retry-After,
// truncated JSON, an empty body, null, wrong JSON types, an unknown status,
// an answer about another payment, a 10 MiB body, a wrong Content-Type, a
// reset after sending, a refused connection, headers slower than the
// timeout, a cancelled context, a redirect to another host, credentials
// echoed back). Each cell checks: a *payments.Error of the right Kind, Raw
// kept (scrubbed) where a body arrived, NotSent where the request surely
// never left, no panic, a create or refund sent once unless it surely never
// arrived, no secret in any log line at Debug, in any error or in Raw, in
// any encoding, and no request (so no credential) to another host.
func Hostile(t *testing.T, h HostileHarness) {
	t.Helper()
	ops := standardOps(h)
	ops = append(ops, h.Extra...)
	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			for _, c := range faults(h.Secrets) {
				if why, skip := op.Skip[c.f.name]; skip {
					t.Logf("%s: skipped: %s", c.f.name, why)
					continue
				}
				if why, skip := h.Skip[op.Name+"/"+c.f.name]; skip {
					t.Logf("%s: skipped: %s", c.f.name, why)
					continue
				}
				t.Run(c.f.name, func(t *testing.T) { runCell(t, h, op, c) })
			}
		})
	}
}

// standardOps returns the Checkout operations every adapter has.
func standardOps(h HostileHarness) []HostileOp {
	created := func(t *testing.T, c payments.Checkout) string {
		s, err := c.Create(context.Background(), h.NewRequest())
		require.NoError(t, err, "Create against the working provider")
		return s.ID
	}
	paid := func(t *testing.T, c payments.Checkout) string {
		s, err := c.Create(context.Background(), h.NewRequest())
		require.NoError(t, err, "Create against the working provider")
		h.Pay(t, s)
		return s.ID
	}
	ops := []HostileOp{
		{Name: "Create", Match: h.Create, Unsafe: true,
			Prepare: func(*testing.T, payments.Checkout) string { return "" },
			Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
				s, err := c.Create(ctx, h.NewRequest())
				if s != nil {
					return &payments.Payment{Raw: s.Raw}, err
				}
				return nil, err
			},
			Skip: map[string]string{"another id": "a create asks about no payment", "unknown status": "a new checkout's status is its own"}},
		{Name: "Verify", Match: h.Verify, Prepare: created,
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				return c.Verify(ctx, id)
			}},
		{Name: "RedirectURL", Match: h.RedirectURL, Prepare: created,
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.RedirectURL(ctx, id)
				return nil, err
			},
			Skip: map[string]string{"unknown status": "RedirectURL reports no status"}},
	}
	refund := HostileOp{Name: "Refund", Match: h.Refund, Prepare: paid, Unsafe: true,
		Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
			r, err := c.Refund(ctx, payments.RefundRequest{PaymentID: id, Options: h.RefundOptions})
			if r != nil {
				return &payments.Payment{Raw: r.Raw}, err
			}
			return nil, err
		},
		Skip: map[string]string{"unknown status": "a refund's status is checked by the adapter's own tests"}}
	if h.Refund == nil {
		refund.Match = func(*http.Request, []byte) bool { return true }
	}
	return append(ops, refund)
}

// logSink collects log lines, safe for concurrent use.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func runCell(t *testing.T, h HostileHarness, op HostileOp, c cell) {
	inj := &injector{inner: http.DefaultTransport}
	logs := &logSink{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := h.New(t, payments.WithHTTPClient(&http.Client{Transport: inj}), payments.WithLogger(logger),
		payments.WithRetries(hostileRetries), payments.WithTimeout(hostileTimeout),
		payments.WithBackoff(time.Millisecond, 5*time.Millisecond))
	id := op.Prepare(t, client)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.want.deadline > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.want.deadline)
		defer cancel()
	}
	if c.want.special == "cancelled" {
		cctx, stop := context.WithCancel(ctx)
		stop()
		ctx = cctx
	}
	inj.arm(c.f, op.Match, id)
	var (
		p        *payments.Payment
		err      error
		panicked any
	)
	func() {
		defer func() { panicked = recover() }()
		p, err = op.Run(ctx, client, id)
	}()
	attempts, forwarded, rewritten := inj.disarm()
	require.Nil(t, panicked, "the adapter panicked")

	if op.Name == "Refund" && h.Refund == nil {
		require.ErrorIs(t, err, payments.ErrUnsupported, "a provider without refunds")
		assert.Zero(t, attempts, "an unsupported refund sends nothing")
		return
	}
	checkNoLeak(t, h, inj, logs.String(), p, err)
	if (c.want.special == "unknown status" || c.want.special == "another id") && attempts > 0 && rewritten == 0 {
		// The answer does not hold what the fault rewrites (a refund's
		// answer may not name the payment): it is the provider's own.
		require.NoError(t, err, "an answer the fault could not change")
		return
	}
	checkOutcome(t, op, c, p, err, attempts, forwarded)
}

func checkOutcome(t *testing.T, op HostileOp, c cell, p *payments.Payment, err error, attempts, forwarded int) {
	t.Helper()
	want := c.want
	switch want.special {
	case "cancelled":
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assertKind(t, err, payments.ErrUnavailable)
		assert.False(t, payments.MaybeSent(err), "a call cancelled before it started sent nothing")
		assert.Zero(t, forwarded, "nothing reaches the provider")
		return
	case "unknown status":
		if attempts == 0 {
			t.Fatalf("the fault never hit: does Match fit the operation's request?")
		}
		if err != nil {
			assertIsError(t, err)
			return
		}
		if p != nil && p.ID != "" {
			assert.Equal(t, payments.StatusUnknown, p.Status, "a status the library does not know")
			assert.Contains(t, p.ProviderStatus, "UNHEARD_OF", "the provider's own status is kept")
			assert.False(t, p.Status.Paid())
		}
		return
	case "another id":
		if attempts == 0 {
			t.Fatalf("the fault never hit: does Match fit the operation's request?")
		}
		assertKind(t, err, payments.ErrIntegrity)
		assertRaw(t, err)
		return
	}
	if want.kind == "" {
		require.NoError(t, err, "an answer that is the provider's, however served")
	} else {
		require.Error(t, err)
		assertKind(t, err, want.kind)
		if want.raw {
			assertRaw(t, err)
		}
		if want.notSent {
			assert.False(t, payments.MaybeSent(err), "the request surely never left")
		}
	}
	if attempts == 0 {
		t.Fatalf("the fault never hit: does Match fit the operation's request?")
	}
	if op.Unsafe {
		if want.retried {
			assert.LessOrEqual(t, forwarded, 1, "a create or refund reaches the provider once at most")
		} else {
			assert.Equal(t, 1, attempts, "a create or refund that may have arrived is never sent again")
		}
	}
}

func assertIsError(t *testing.T, err error) *payments.Error {
	t.Helper()
	var perr *payments.Error
	require.ErrorAs(t, err, &perr, "every error is a *payments.Error: %v", err)
	return perr
}

func assertKind(t *testing.T, err error, kind payments.Kind) {
	t.Helper()
	require.Error(t, err)
	perr := assertIsError(t, err)
	assert.Equal(t, kind, perr.Kind, "error: %v", err)
}

func assertRaw(t *testing.T, err error) {
	t.Helper()
	perr := assertIsError(t, err)
	assert.NotEmpty(t, perr.Raw, "Raw keeps the body the provider sent")
}

// checkNoLeak looks for every secret, and every credential the adapter
// sent, in every encoding, in the logs, the error and Raw.
func checkNoLeak(t *testing.T, h HostileHarness, inj *injector, logs string, p *payments.Payment, err error) {
	t.Helper()
	creds, foreign := inj.seen()
	assert.Empty(t, foreign, "no request may go to another host")
	var places []string
	places = append(places, logs)
	if err != nil {
		places = append(places, err.Error())
		var perr *payments.Error
		if errors.As(err, &perr) {
			places = append(places, string(perr.Raw), perr.Message, perr.Code)
			for _, f := range perr.Fields {
				places = append(places, f.Message, f.Code)
			}
		}
	}
	if p != nil {
		places = append(places, string(p.Raw), p.FailureMessage)
	}
	text := strings.Join(places, "\n")
	for _, s := range append(append([]string(nil), h.Secrets...), creds...) {
		if len(s) < 6 || strings.HasPrefix(s, "Bearer") || isScheme(s) {
			continue
		}
		for _, form := range detectable(s) {
			if strings.Contains(text, form) {
				t.Errorf("a secret leaked (as %q) in:\n%s", shorten(form), shorten(around(text, form)))
				break
			}
		}
	}
}

func isScheme(s string) bool { return s == "Api-Key" || s == "Basic" }

// encodings returns the ways a careless provider writes s back.
func encodings(s string) []string {
	var html, plain bytes.Buffer
	_ = json.NewEncoder(&html).Encode(s)
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return []string{
		s,
		strings.Trim(strings.TrimSpace(html.String()), `"`),
		strings.ReplaceAll(strings.Trim(strings.TrimSpace(plain.String()), `"`), "/", `\/`),
		url.QueryEscape(s),
		lowerEscapes(url.QueryEscape(s)),
		url.PathEscape(s),
		base64.StdEncoding.EncodeToString([]byte(s)),
		base64.URLEncoding.EncodeToString([]byte("k:" + s)),
	}
}

// detectable returns substrings that any of s's encodings contains and that
// could only come from s: s, its escaped forms, and the part of its base64
// encodings that does not depend on what surrounds it.
func detectable(s string) []string {
	out := encodings(s)[:6]
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for shift := 0; shift < 3; shift++ {
			b := append(bytes.Repeat([]byte{0}, shift), s...)
			full := enc.EncodeToString(b)
			start, end := (shift*8+5)/6, len(b)/3*4
			if end-start >= 6 {
				out = append(out, full[start:end])
			}
		}
	}
	return out
}

// lowerEscapes writes the hex digits of every %XX escape in lower case, as
// some encoders do.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHexDigit(b[i+1]), lowerHexDigit(b[i+2])
		}
	}
	return string(b)
}

func lowerHexDigit(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

func shorten(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func around(text, form string) string {
	i := strings.Index(text, form)
	lo, hi := max(0, i-150), min(len(text), i+len(form)+150)
	return text[lo:hi]
}

// wrongTypes replaces every scalar of the answer with a value no decoder
// takes for a string, a number or a boolean: [true].
func wrongTypes(b []byte, _ string) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return []byte(`[true]`)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				x[k] = walk(y)
			}
			return x
		case []any:
			for i, y := range x {
				x[i] = walk(y)
			}
			return x
		}
		return []any{true}
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		return []byte(`[true]`)
	}
	return out
}

// unknownStatus replaces the value of every status or state key with one
// no provider documents.
func unknownStatus(b []byte, _ string) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	replaced := false
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && s != "" && (strings.EqualFold(k, "status") || strings.EqualFold(k, "state")) {
					x[k] = "UNHEARD_OF"
					replaced = true
					continue
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	if !replaced {
		return b // no status to change: the answer stays the provider's, byte for byte
	}
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

// anotherID rewrites the answer to be about another payment: every
// occurrence of the asked id, as a whole token, becomes another id of the
// same shape.
func anotherID(b []byte, asked string) []byte {
	if asked == "" {
		return b
	}
	other := []byte(otherID(asked))
	var out []byte
	last := 0
	for i := 0; i+len(asked) <= len(b); {
		j := bytes.Index(b[i:], []byte(asked))
		if j < 0 {
			break
		}
		at := i + j
		end := at + len(asked)
		if (at == 0 || !idByte(b[at-1])) && (end == len(b) || !idByte(b[end])) {
			out = append(out, b[last:at]...)
			out = append(out, other...)
			last = end
		}
		i = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

func idByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// otherID returns an id of the same length and alphabet as id, different
// in its last character.
func otherID(id string) string {
	b := []byte(id)
	last := &b[len(b)-1]
	switch c := *last; {
	case c >= '0' && c < '9', c >= 'a' && c < 'z', c >= 'A' && c < 'Z':
		*last = c + 1
	case c == '9':
		*last = '8'
	case c == 'z':
		*last = 'y'
	case c == 'Z':
		*last = 'Y'
	default:
		*last = 'x'
	}
	return string(b)
}
