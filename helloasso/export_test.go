package helloasso

import (
	"context"
	"time"

	"golang.org/x/oauth2"
)

// These hooks let the external tests, which use the simulator (a package
// that imports this one), reach the token source's clock and renewal.

// SetTokenClock replaces the clock c's token source reads.
func SetTokenClock(c *Client, now func() time.Time) { c.tokens.now = now }

// CurrentToken returns c's token, renewing it as a call would.
func CurrentToken(ctx context.Context, c *Client) (*oauth2.Token, error) { return c.tokens.token(ctx) }
