package httpx

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/unipay/payments"
)

const (
	apiKey        = "sk_test_9f8e7d6c5b4a"
	clientSecret  = "cs_very_secret_0123"
	accessToken   = "eyJhbGciOiJIUzI1NiJ9.access.sig"
	refreshToken  = "rt_opaque_refresh_4567"
	webhookSecret = "whsec_abcdef123456"
	clientJWT     = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.intent.jwt"
)

var allSecrets = []string{apiKey, clientSecret, accessToken, refreshToken, webhookSecret, clientJWT}

// A debug-level log of whole requests and responses, including a token
// endpoint, bodies that echo secrets and an error, must contain none of them.
func TestDebugLogContainsNoSecret(t *testing.T) {
	srv := newServer(t,
		// The token endpoint.
		status(200, `{"access_token":"`+accessToken+`","refresh_token":"`+refreshToken+`","token_type":"bearer","expires_in":1800}`, "Content-Type", "application/json"),
		// An API answer carrying a client JWT and echoing the key.
		status(201, `{"id":"pi_1","token":"`+clientJWT+`","note":"key `+apiKey+` used","nested":{"secret":"`+webhookSecret+`"}}`, "Content-Type", "application/json", "Set-Cookie", "session="+accessToken),
		// An error that quotes the key in plain text.
		status(400, `invalid key `+apiKey, "Content-Type", "text/plain"),
	)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(Config{
		Provider: payments.Hub2, BaseURL: srv.URL,
		Settings: NewSettings(payments.WithLogger(logger), payments.WithRetries(0)),
		Auth:     BearerAuth(apiKey),
		Secrets:  []string{webhookSecret},
	})
	require.NoError(t, err)
	ctx := context.Background()

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {clientSecret}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_, err = c.Do(ctx, &Request{Op: "token", Method: "POST", Path: "/oauth2/token", Form: form, NoAuth: true}, &tok)
	require.NoError(t, err)
	c.Redactor().Learn(tok.AccessToken)

	var intent struct{ Token string }
	_, err = c.Do(ctx, &Request{Op: "create intent", Method: "POST", Path: "/payment-intents",
		JSON: map[string]any{"amount": 500, "refresh_token": refreshToken, "webhook": map[string]string{"secret": webhookSecret}}}, &intent)
	require.NoError(t, err)
	c.Redactor().Learn(intent.Token)

	_, err = c.Do(ctx, &Request{Op: "attempt", Method: "POST", Path: "/payment-intents/pi_1/payments",
		Header: http.Header{"Authorization-Token": {clientJWT}}, JSON: map[string]string{"token": clientJWT}}, nil)
	require.Error(t, err)

	out := logs.String()
	require.NotEmpty(t, out)
	assert.Contains(t, out, `"msg":"http request"`)
	assert.Contains(t, out, `"msg":"http response"`)
	assert.Contains(t, out, "pi_1", "what is not secret stays readable")
	assert.Contains(t, out, Redacted)
	for _, s := range allSecrets {
		assert.NotContains(t, out, s, "the log leaks a secret")
		assert.NotContains(t, err.Error(), s, "the error leaks a secret")
		var perr *payments.Error
		if assert.ErrorAs(t, err, &perr) {
			assert.NotContains(t, string(perr.Raw), s)
		}
	}
}

func TestNoLoggingWorkWhenDebugIsOff(t *testing.T) {
	srv := newServer(t, status(200, `{}`))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, _ := newClient(t, srv.URL, payments.WithLogger(logger))
	_, err := c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	require.NoError(t, err)
	assert.Empty(t, logs.String())
}

func TestTokenAuthLearnsEachToken(t *testing.T) {
	srv := newServer(t, status(500, `boom`))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(Config{Provider: payments.HelloAsso, BaseURL: srv.URL, Settings: NewSettings(payments.WithLogger(logger), payments.WithRetries(0)),
		Auth: TokenAuth{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: accessToken, TokenType: "Bearer"})}})
	require.NoError(t, err)
	_, _ = c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	assert.Equal(t, "Bearer "+accessToken, srv.last.Header.Get("Authorization"))
	assert.Equal(t, Redacted, c.Redactor().String(accessToken))
	assert.NotContains(t, logs.String(), accessToken)
}

// selfRedacting is an Auth that has the redactor learn its token itself,
// as HelloAsso's token source does.
type selfRedacting struct{ r *Redactor }

func (a *selfRedacting) Apply(_ context.Context, h http.Header) error {
	a.r.Learn("self-learnt-token")
	h.Set("Authorization", "Bearer self-learnt-token")
	return nil
}

func (*selfRedacting) RedactsItself() {}

// An Auth that learns its credentials itself is trusted to: the client does
// not search each request's headers again, so what Apply adds without
// learning it is not learnt (the test's way of seeing the search skipped).
func TestSelfRedactingAuthIsNotLearntAgain(t *testing.T) {
	srv := newServer(t, status(500, `boom`))
	auth := &selfRedacting{}
	c, err := New(Config{Provider: payments.HelloAsso, BaseURL: srv.URL, Settings: NewSettings(payments.WithRetries(0)), Auth: auth})
	require.NoError(t, err)
	auth.r = c.Redactor()
	_, _ = c.Do(context.Background(), &Request{Op: "x", Path: "/x"}, nil)
	assert.Equal(t, "Bearer self-learnt-token", srv.last.Header.Get("Authorization"))
	assert.Equal(t, Redacted, c.Redactor().String("self-learnt-token"), "what the Auth learnt")
	assert.Equal(t, "Bearer "+Redacted, c.Redactor().String("Bearer self-learnt-token"),
		"the whole header is not learnt as a secret of its own: only its token is redacted")
}

func TestRedactor(t *testing.T) {
	r := NewRedactor()
	r.Add(apiKey, "abc") // "abc" is too short to redact
	assert.Equal(t, "key=[REDACTED] abc", r.String("key="+apiKey+" abc"))
	assert.Equal(t, []byte("nothing"), r.Bytes([]byte("nothing")))

	body := r.Body("application/json", []byte(`{"a":1,"list":[{"Token":"t1234"}],"client_secret":"x1234","n":12345678901234567890}`))
	assert.JSONEq(t, `{"a":1,"list":[{"Token":"[REDACTED]"}],"client_secret":"[REDACTED]","n":12345678901234567890}`, body, "big numbers survive")
	assert.Equal(t, "client_id=id&client_secret=[REDACTED]", r.Body("application/x-www-form-urlencoded", []byte("client_id=id&client_secret=s3cr3t")))
	assert.Equal(t, "not json "+Redacted, r.Body("text/plain", []byte("not json "+apiKey)))

	h := r.Header(http.Header{"Authorization": {"Bearer x"}, "Apikey": {"y"}, "X-Echo": {apiKey}})
	assert.Equal(t, []string{Redacted}, h["Authorization"])
	assert.Equal(t, []string{Redacted}, h["Apikey"])
	assert.Equal(t, []string{Redacted}, h["X-Echo"])

	assert.Equal(t, "https://x.example/p?page=1&access_token=[REDACTED]", r.URL("https://x.example/p?page=1&access_token=zzzz"))

	for i := range maxLearnt + 1 {
		r.Learn("learnt-token-" + strings.Repeat("x", i))
	}
	assert.Equal(t, "learnt-token-", r.String("learnt-token-"), "the oldest learnt secret is forgotten")
	assert.Equal(t, Redacted, r.String("learnt-token-"+strings.Repeat("x", maxLearnt)))
	assert.Equal(t, Redacted, r.String(apiKey), "configured secrets are never forgotten")
}

// Secrets learnt together (an access token and its refresh token) take the
// ring's slots as if learnt one by one: the oldest are pushed out, the
// newest kept, and every form of each is found.
func TestRedactorLearnsSecretsTogether(t *testing.T) {
	r := NewRedactor()
	old := func(i int) string { return "old-token-" + strconv.Itoa(i) + "-abcdef" }
	for i := range maxLearnt {
		r.Learn(old(i))
	}
	r.Learn("access&token/1=", "refresh-token-2", "access&token/1=", "ab") // a repeat and a too-short one are ignored
	assert.Equal(t, old(0)+" "+old(1), r.String(old(0)+" "+old(1)), "the two oldest make room for the two new")
	assert.Equal(t, Redacted+" "+Redacted, r.String(old(2)+" "+old(maxLearnt-1)), "the others are kept")
	assert.Equal(t, `{"a":"`+Redacted+`","r":"`+Redacted+`"}`, string(r.Bytes([]byte(`{"a":"access\u0026token/1=","r":"refresh-token-2"}`))),
		"both are known, in every form")
	assert.Equal(t, "ab", r.String("ab"))

	many := make([]string, maxLearnt+3)
	for i := range many {
		many[i] = "batch-token-" + strconv.Itoa(i) + "-abcdef"
	}
	r.Learn(many...)
	assert.Equal(t, many[2], r.String(many[2]), "of more than the ring holds, the first are left out")
	assert.Equal(t, Redacted, r.String(many[3]))
	assert.Equal(t, Redacted, r.String(many[len(many)-1]))
	assert.Equal(t, "refresh-token-2", r.String("refresh-token-2"), "a full batch pushes out every secret learnt before")
}

// A secret with characters that JSON, URLs and base64 write otherwise must
// not come back in any of those forms.
func TestRedactorRemovesEveryFormOfASecret(t *testing.T) {
	const secret = "sk_live+a/b=c&d<e>f|g%h-1234"
	r := NewRedactor()
	r.Add(secret)
	var jsonHTML, jsonPlain bytes.Buffer
	require.NoError(t, json.NewEncoder(&jsonHTML).Encode(map[string]string{"echo": secret}))
	enc := json.NewEncoder(&jsonPlain)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(map[string]string{"echo": secret}))
	encodings := map[string]string{
		"raw":             secret,
		"json html":       jsonHTML.String(),
		"json plain":      jsonPlain.String(),
		"json slash":      strings.ReplaceAll(jsonPlain.String(), "/", `\/`),
		"query":           "q=" + url.QueryEscape(secret),
		"query lower hex": "q=" + strings.ToLower(url.QueryEscape(secret)),
		"path":            "/p/" + url.PathEscape(secret),
		"base64":          base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 in text":  base64.StdEncoding.EncodeToString([]byte("id:" + secret)),
		"base64 shift 2":  base64.StdEncoding.EncodeToString([]byte("ab" + secret + "xyz")),
		"base64url":       base64.RawURLEncoding.EncodeToString([]byte("user " + secret)),
	}
	for name, text := range encodings {
		out := r.String("before " + text + " after")
		assert.Contains(t, out, Redacted, name)
		assert.NotContains(t, out, "1234", "%s: %s", name, out)
	}
}

// Values under secret keys are scrubbed even when the body is not JSON: cut
// short, or with the key written with an escape.
func TestRedactorScrubsSecretKeysOfBrokenBodies(t *testing.T) {
	r := NewRedactor()
	cases := map[string]string{
		"truncated value":     `{"access_token":"eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA.c2ln`,
		"truncated after":     `{"token_type":"bearer","access_token":"eyJhbGciOiJIUzI1NiJ9","refresh_token":"rt-SECRETVALUE","expi`,
		"escaped key":         `{"refresh\u005ftoken": "rt-SECRETVALUE"}`,
		"number value":        `{"secret": 123456789, "ok": true}`,
		"object value":        `{"token": {"value": "SECRETVALUE"}, "x": 1}`,
		"html around":         `<html><body>{"client_secret":"SECRETVALUE"}</body>`,
		"form":                `grant_type=refresh_token&refresh_token=SECRETVALUE&client_id=abc`,
		"query in a string":   `{"url":"https://x.example/cb?access_token=SECRETVALUE&page=2"}`,
		"spaces before colon": `{"Token"   :   "eyJhbGciOiJIUzI1NiJ9"}`,
	}
	for name, body := range cases {
		out := r.Body("", []byte(body))
		assert.Contains(t, out, Redacted, name)
		assert.NotContains(t, out, "SECRETVALUE", name)
		assert.NotContains(t, out, "eyJhbGciOiJIUzI1NiJ9", name)
		assert.NotContains(t, out, "123456789", name)
	}
	clean := []byte(`{"id":"py_1","status":"success","note":"a=b"}`)
	assert.Same(t, &clean[0], &r.Bytes(clean)[0], "a clean body is returned as it is, without a copy")
}

// Learning a token costs little (Hub2 learns one per intent), and the
// longest secret is replaced first, so that one holding another goes whole.
func TestRedactorLearnsCheaplyAndReplacesLongestFirst(t *testing.T) {
	r := NewRedactor()
	r.Add("abcd1234")
	r.Learn("abcd1234-and-more")
	assert.Equal(t, "x "+Redacted+" y", r.String("x abcd1234-and-more y"))
	jwt := "eyJhbGciOiJIUzI1NiJ9." + strings.Repeat("cGF5bG9hZA", 40) + ".c2ln"
	allocs := testing.AllocsPerRun(20, func() { r.Learn(jwt + strconv.Itoa(rand.N(1<<30))) })
	assert.Less(t, allocs, 40.0, "a URL- and JSON-safe token needs only its base64 forms")
}

// Redactors share the usual headers and keys: what one adds, another does
// not get.
func TestRedactorsShareNoAddedHeadersOrKeys(t *testing.T) {
	a, b := NewRedactor(), NewRedactor()
	a.AddHeaders("X-Merchant-Secret")
	a.AddKeys("otp")
	assert.Equal(t, []string{Redacted}, a.Header(http.Header{"X-Merchant-Secret": {"s3cr3t"}})["X-Merchant-Secret"])
	assert.Equal(t, []string{"s3cr3t"}, b.Header(http.Header{"X-Merchant-Secret": {"s3cr3t"}})["X-Merchant-Secret"])
	assert.Equal(t, `{"otp":"[REDACTED]"}`, a.String(`{"otp":"123456"}`))
	assert.Equal(t, `{"otp":"123456"}`, b.String(`{"otp":"123456"}`))
	assert.Equal(t, `{"token":"[REDACTED]"}`, b.String(`{"token":"123456"}`), "the usual keys, for both")
	assert.Equal(t, []string{Redacted}, b.Header(http.Header{"Authorization": {"Bearer x"}})["Authorization"])
}
