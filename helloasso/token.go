package helloasso

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/httpx"
)

// storedToken is how a token is kept in a payments.TokenStore: what
// renewing it needs, nothing more.
type storedToken struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	ExpiresIn    int64     `json:"expires_in,omitempty"`
}

func encodeToken(t *oauth2.Token) ([]byte, error) {
	return json.Marshal(storedToken{AccessToken: t.AccessToken, TokenType: t.TokenType,
		RefreshToken: t.RefreshToken, Expiry: t.Expiry, ExpiresIn: t.ExpiresIn})
}

func decodeToken(b []byte) (*oauth2.Token, error) {
	var st storedToken
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: st.AccessToken, TokenType: st.TokenType,
		RefreshToken: st.RefreshToken, Expiry: st.Expiry, ExpiresIn: st.ExpiresIn}, nil
}

// How long a renewal may hold the store's lock, and how long a stored token
// is kept: HelloAsso's refresh tokens live 30 days.
const (
	renewLockTTL   = 30 * time.Second
	storedTokenTTL = 30 * 24 * time.Hour
)

// renewBefore is how long before its expiry a token is renewed, so that a
// request never leaves with a token that dies on the way.
const renewBefore = 60 * time.Second

// tokenSource holds a Client's access token. It obtains the first one with
// the client_credentials grant, then renews it with the refresh_token grant
// (as HelloAsso requires) about a minute before it expires, falling back to
// client credentials only when HelloAsso refuses the refresh token. One
// renewal at a time: callers that find no valid token wait for the one
// renewal under way, so a thousand concurrent calls on a cold client cost one
// token request.
//
// It is an oauth2.TokenSource, and the client's httpx.Auth and
// httpx.Renewer: Apply passes the request's context to the token request,
// and Renew (after a 401) discards the token the request was sent with, so
// that the next call renews it. A burst of 401s for one token renews once.
type tokenSource struct {
	clientID     string
	clientSecret string
	store        payments.TokenStore
	key          string // the token's key in store
	http         *httpx.Client
	transport    http.RoundTripper // sends token requests through http
	now          func() time.Time

	// sem is the renewal lock: a channel rather than a mutex, so that a
	// waiting caller can give up when its context ends.
	sem chan struct{}

	mu       sync.Mutex    // guards the fields below
	cur      *oauth2.Token // the token in use
	latest   *oauth2.Token // the newest token read from the store, if unusable: its refresh token
	rejected string        // an access token HelloAsso answered 401 to
	// bearerHeader is "Bearer " and bearerOf, the last token sent.
	bearerOf, bearerHeader string
}

var (
	_ oauth2.TokenSource  = (*tokenSource)(nil)
	_ httpx.Auth          = (*tokenSource)(nil)
	_ httpx.Renewer       = (*tokenSource)(nil)
	_ httpx.SelfRedacting = (*tokenSource)(nil)
)

func newTokenSource(clientID, clientSecret string, store payments.TokenStore) *tokenSource {
	return &tokenSource{
		clientID: clientID, clientSecret: clientSecret, store: store,
		key: "helloasso:oauth2:" + httpx.Fingerprint(clientID),
		now: time.Now, sem: make(chan struct{}, 1),
	}
}

// bind gives the source the HTTP client its token requests go through, so
// that they are logged redacted, capped and mapped to *payments.Error like
// any other call.
func (s *tokenSource) bind(c *httpx.Client) {
	s.http = c
	s.transport = c.HTTPClient(false).Transport
}

// TokenSource returns the Client's token source, to call HelloAsso
// endpoints the Client does not cover with the same token (oauth2.NewClient,
// or an "Authorization: Bearer" header of your own). Tokens come from the
// Client's TokenStore and are renewed as the Client renews them.
func (c *Client) TokenSource() oauth2.TokenSource { return c.tokens }

// Token implements oauth2.TokenSource.
func (s *tokenSource) Token() (*oauth2.Token, error) { return s.token(context.Background()) }

// Apply implements httpx.Auth. It notes the token it sends in the call's
// token slot, so that Renew knows which token a 401 was about.
func (s *tokenSource) Apply(ctx context.Context, h http.Header) error {
	t, err := s.token(ctx)
	if err != nil {
		return err
	}
	if slot, ok := ctx.Value(tokenSlotKey{}).(*tokenSlot); ok {
		slot.sent.Store(&t.AccessToken) // tokens are never modified once made
	}
	h.Set("Authorization", s.bearer(t))
	return nil
}

// RedactsItself implements httpx.SelfRedacting: every token Apply sends
// was learnt first, when it came from HelloAsso (renew) or from the store
// (loadStored); a token kept past a failed renewal was learnt when it came.
func (s *tokenSource) RedactsItself() {}

// bearer returns the Authorization header for t, made once per token.
func (s *tokenSource) bearer(t *oauth2.Token) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bearerOf != t.AccessToken || s.bearerHeader == "" {
		s.bearerOf, s.bearerHeader = t.AccessToken, "Bearer "+t.AccessToken
	}
	return s.bearerHeader
}

// Renew implements httpx.Renewer: HelloAsso answered 401, so the token the
// call was sent with is discarded and the retry renews it.
func (s *tokenSource) Renew(ctx context.Context) error { return s.Invalidate(ctx) }

// Invalidate discards the current access token (its refresh token is kept
// for the renewal), so that the next call renews it. Within a Client call
// that got a 401, it discards the token that call sent, and nothing if that
// token was already replaced: many calls failing with one stale token cause
// one renewal.
func (s *tokenSource) Invalidate(ctx context.Context) error {
	var sent string
	if slot, ok := ctx.Value(tokenSlotKey{}).(*tokenSlot); ok {
		if p := slot.sent.Load(); p != nil {
			sent = *p
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && (sent == "" || sent == s.cur.AccessToken) {
		s.rejected = s.cur.AccessToken
	}
	return nil
}

// tokenSlotKey keys the tokenSlot of a call's context.
type tokenSlotKey struct{}

// tokenSlot is a call's context, in which Apply notes the token the call
// sent: one allocation, where a context value and a slot would take two.
type tokenSlot struct {
	context.Context
	sent atomic.Pointer[string]
}

// Value implements context.Context.
func (s *tokenSlot) Value(key any) any {
	if key == (tokenSlotKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// withTokenSlot returns ctx with a slot for the token the call sends.
func withTokenSlot(ctx context.Context) context.Context { return &tokenSlot{Context: ctx} }

// token returns a valid token, renewing it if needed.
func (s *tokenSource) token(ctx context.Context) (*oauth2.Token, error) {
	if t := s.valid(); t != nil {
		return t, nil
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &payments.Error{Provider: payments.HelloAsso, Op: "get access token", Kind: payments.ErrUnavailable, NotSent: true,
			Message: "gave up waiting for the access token: " + ctx.Err().Error(), Err: ctx.Err()}
	}
	defer func() { <-s.sem }()
	// Another caller may have renewed the token while this one waited.
	if t := s.valid(); t != nil {
		return t, nil
	}
	return s.renew(ctx)
}

// valid returns the current token if it can still be used.
func (s *tokenSource) valid() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable(s.cur) {
		return s.cur
	}
	return nil
}

// usable reports whether t can be sent: not refused by HelloAsso, and not
// expiring within renewBefore (or half its lifetime, for short-lived ones).
// s.mu must be held.
func (s *tokenSource) usable(t *oauth2.Token) bool {
	if t == nil || t.AccessToken == "" || t.AccessToken == s.rejected {
		return false
	}
	if t.Expiry.IsZero() {
		return true
	}
	margin := renewBefore
	if half := time.Duration(t.ExpiresIn) * time.Second / 2; half > 0 && half < margin {
		margin = half
	}
	return s.now().Add(margin).Before(t.Expiry)
}

// renew obtains a token: the stored one if another replica renewed it,
// else one from the refresh token, else one from client credentials. Across
// replicas, one renews at a time: it takes the store's renewal lock and
// reads the store again before renewing, so that the others reuse its token.
// When the store fails, the client renews on its own rather than fail the
// call: the token works, and only HelloAsso's token count suffers until the
// store is back. s.sem must be held.
func (s *tokenSource) renew(ctx context.Context) (*oauth2.Token, error) {
	if t, _ := s.loadStored(ctx); t != nil {
		return t, nil
	}
	unlock, err := s.store.Lock(ctx, s.key, renewLockTTL)
	switch {
	case err == nil:
		defer func() {
			if uerr := unlock(context.WithoutCancel(ctx)); uerr != nil {
				s.warn(ctx, "cannot release the token store's renewal lock; it expires by itself", uerr)
			}
		}()
	case ctx.Err() != nil:
		return nil, &payments.Error{Provider: payments.HelloAsso, Op: "get access token", Kind: payments.ErrUnavailable, NotSent: true,
			Message: "gave up waiting for another replica to renew the access token: " + ctx.Err().Error(), Err: ctx.Err()}
	default:
		s.warn(ctx, "the token store's renewal lock failed; renewing without it", err)
	}
	// Another replica may have renewed the token while this one waited.
	stored, _ := s.loadStored(ctx)
	if stored != nil {
		return stored, nil
	}
	// The store holds the newest refresh token when another replica
	// renewed last; a refresh token used once is spent.
	s.mu.Lock()
	old := s.latest
	if old == nil || old.RefreshToken == "" {
		old = s.cur
	}
	s.mu.Unlock()

	var t *oauth2.Token
	if old != nil && old.RefreshToken != "" {
		t, err = s.refresh(ctx, old.RefreshToken)
		switch {
		case err == nil:
		case refused(err):
			s.http.Logger().InfoContext(ctx, "helloasso: refresh token refused; asking for a new token with client credentials", "error", err.Error())
		default:
			// HelloAsso is unreachable or failing: keep the old access
			// token while it lasts rather than fail every call.
			s.mu.Lock()
			defer s.mu.Unlock()
			if old.AccessToken != "" && old.AccessToken != s.rejected && s.now().Before(old.Expiry) {
				return old, nil
			}
			return nil, err
		}
	}
	if t == nil {
		if t, err = s.clientCredentials(ctx); err != nil {
			return nil, err
		}
	}
	s.learn(t)
	if b, err := encodeToken(t); err == nil {
		if err := s.store.Save(ctx, s.key, b, storedTokenTTL); err != nil {
			// The token works; other replicas will fetch their own.
			s.warn(ctx, "cannot save the access token", err)
		}
	}
	s.mu.Lock()
	s.cur = t
	s.mu.Unlock()
	return t, nil
}

// loadStored returns the stored token if it can be used, after learning its
// secrets. A stored token that cannot be used is kept as latest: it holds
// the newest refresh token. A store that fails is logged and ignored.
func (s *tokenSource) loadStored(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	s.latest = nil
	s.mu.Unlock()
	b, err := s.store.Load(ctx, s.key)
	if err != nil {
		s.warn(ctx, "the token store failed; renewing without it", err)
		return nil, err
	}
	if b == nil {
		return nil, nil
	}
	stored, err := decodeToken(b)
	if err != nil {
		s.warn(ctx, "the stored token is unreadable; renewing", err)
		return nil, nil
	}
	s.learn(stored)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable(stored) {
		s.cur = stored
		return stored, nil
	}
	s.latest = stored
	return nil, nil
}

func (s *tokenSource) warn(ctx context.Context, msg string, err error) {
	s.http.Logger().WarnContext(ctx, "helloasso: "+msg, "error", s.http.Redactor().String(err.Error()))
}

// learn registers t's secrets with the redactor, so that no log line or
// error ever shows them.
func (s *tokenSource) learn(t *oauth2.Token) {
	s.http.Redactor().Learn(t.AccessToken, t.RefreshToken)
}

// tokenExchange is what a token request's answer was, kept so that an
// answer x/oauth2 cannot read still ends up, scrubbed, in the error's Raw.
type tokenExchange struct {
	status int
	header http.Header
	body   []byte
}

// recorder is the transport x/oauth2's token requests go through: the
// client's HTTP layer, noting the answer in ex.
type recorder struct {
	next http.RoundTripper
	ex   *tokenExchange
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// httpx has read the body in full (capped): this reads it from memory.
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.ex.status, r.ex.header, r.ex.body = resp.StatusCode, resp.Header, b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// tokenContext routes x/oauth2's token requests through the client's
// HTTP layer, named op, noting the answer in the tokenExchange it returns.
// A token request moves no money, so it may be sent again after a 5xx or a
// timeout, within the call's retry budget like any other request.
func (s *tokenSource) tokenContext(ctx context.Context, op string) (context.Context, *tokenExchange) {
	ex := &tokenExchange{}
	hc := &http.Client{Transport: recorder{next: s.transport, ex: ex}}
	return context.WithValue(httpx.WithIdempotent(httpx.WithOp(ctx, op)), oauth2.HTTPClient, hc), ex
}

func (s *tokenSource) tokenURL() string { return s.http.URL("/oauth2/token", nil) }

// clientCredentials asks for a new token with the client_credentials grant:
// grant_type, client_id and client_secret in the form body.
func (s *tokenSource) clientCredentials(ctx context.Context) (*oauth2.Token, error) {
	const op = "get access token"
	cc := clientcredentials.Config{
		ClientID: s.clientID, ClientSecret: s.clientSecret,
		TokenURL: s.tokenURL(), AuthStyle: oauth2.AuthStyleInParams,
	}
	tctx, ex := s.tokenContext(ctx, op)
	t, err := cc.Token(tctx)
	if err != nil {
		return nil, s.fail(ctx, op, ex, err)
	}
	return t, nil
}

// refresh renews the token with the refresh_token grant. It sends what
// HelloAsso documents for it, grant_type, client_id and refresh_token; not
// the client secret.
func (s *tokenSource) refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	const op = "refresh access token"
	cfg := oauth2.Config{
		ClientID: s.clientID,
		Endpoint: oauth2.Endpoint{TokenURL: s.tokenURL(), AuthStyle: oauth2.AuthStyleInParams},
	}
	tctx, ex := s.tokenContext(ctx, op)
	t, err := cfg.TokenSource(tctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return nil, s.fail(ctx, op, ex, err)
	}
	return t, nil
}

// fail turns what x/oauth2 returned into a *payments.Error. A non-2xx
// answer already is one (httpx made it, decodeError read the OAuth error);
// a 2xx answer carrying an OAuth error, or one x/oauth2 cannot read
// (truncated, not JSON, without an access token), is made one here, with
// the answer scrubbed in Raw: the redactor finds the tokens under their keys
// even in a body that does not parse. Neither the secret nor a token ever
// gets into it.
func (s *tokenSource) fail(ctx context.Context, op string, ex *tokenExchange, err error) error {
	var perr *payments.Error
	if errors.As(err, &perr) {
		return perr
	}
	red := s.http.Redactor()
	e := &payments.Error{Provider: payments.HelloAsso, Op: op, Kind: payments.ErrMalformedResponse,
		Message: "cannot read the token response: " + red.String(err.Error())}
	if ex.body != nil || ex.status != 0 {
		e.HTTPStatus, e.Raw = ex.status, red.Bytes(ex.body)
	}
	var rerr *oauth2.RetrieveError
	switch {
	case errors.As(err, &rerr):
		e.Kind, e.Code, e.Message = oauthKind(rerr.ErrorCode), red.String(rerr.ErrorCode), red.String(rerr.ErrorDescription)
		if e.Message == "" {
			e.Message = "the token endpoint refused the request"
		}
	case ctx.Err() != nil:
		e.Kind, e.Message, e.Err = payments.ErrUnavailable, "gave up: "+ctx.Err().Error(), ctx.Err()
	}
	return e
}

// refused reports whether the token endpoint refused a refresh token (as
// opposed to failing): a 401, or an OAuth error code (invalid_grant…) in a
// 400 or a 200. Then a new token must come from client credentials. A 400
// that is no OAuth answer (a proxy's, say) is a failure like a 5xx.
func refused(err error) bool {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return false
	}
	switch perr.HTTPStatus {
	case http.StatusUnauthorized:
		return true
	case http.StatusBadRequest, http.StatusOK:
		return perr.Code != ""
	}
	return false
}
