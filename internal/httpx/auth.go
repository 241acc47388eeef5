package httpx

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// Auth puts a provider's credentials on a request. The values it sets are
// learnt by the client's Redactor, so they never reach a log.
type Auth interface {
	Apply(ctx context.Context, h http.Header) error
}

// Renewer is an Auth whose credentials can go stale (an OAuth token). After
// a 401, httpx calls Renew once and sends the request again.
type Renewer interface {
	Renew(ctx context.Context) error
}

// SelfRedacting is an Auth that has the client's Redactor learn every
// credential before Apply puts it on a request: HelloAsso's token source
// learns each token pair as it gets it, from HelloAsso or from a shared
// store. The client then skips learning the request's headers again, a
// search of every header on every request that would find nothing new.
type SelfRedacting interface {
	Auth
	// RedactsItself is a marker: it promises what the type's doc says.
	RedactsItself()
}

// HeaderAuth sets fixed headers, such as Hub2's ApiKey and MerchantId or
// Hero's "Authorization: Api-Key …".
type HeaderAuth http.Header

// Apply implements Auth.
func (a HeaderAuth) Apply(_ context.Context, h http.Header) error {
	for k, v := range a {
		h[k] = v
	}
	return nil
}

// BearerAuth sends "Authorization: Bearer <token>" (Moneroo's secret key).
type BearerAuth string

// Apply implements Auth.
func (a BearerAuth) Apply(_ context.Context, h http.Header) error {
	h.Set("Authorization", "Bearer "+string(a))
	return nil
}

// TokenAuth authorizes each request with a token from Source, as
// HelloAsso's OAuth2 access tokens. If Source also has an
// Invalidate(context.Context) error method, a 401 calls it once so that the
// next token is a fresh one.
type TokenAuth struct {
	Source oauth2.TokenSource
}

// Apply implements Auth.
func (a TokenAuth) Apply(_ context.Context, h http.Header) error {
	t, err := a.Source.Token()
	if err != nil {
		return err
	}
	h.Set("Authorization", t.Type()+" "+t.AccessToken)
	return nil
}

// Renew implements Renewer.
func (a TokenAuth) Renew(ctx context.Context) error {
	if inv, ok := a.Source.(interface{ Invalidate(context.Context) error }); ok {
		return inv.Invalidate(ctx)
	}
	return ErrCannotRenew
}

// ErrCannotRenew is what a Renewer returns when it has no way to renew; the
// 401 that caused the attempt is then returned as it is.
var ErrCannotRenew = errors.New("httpx: credentials cannot be renewed")
