package helloasso

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/oauth2"
)

// TestShortLivedTokensAreKeptHalfTheirLife checks the margin for tokens
// living less than two minutes: renewing a minute early would renew them on
// every call.
func TestShortLivedTokensAreKeptHalfTheirLife(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := &tokenSource{now: func() time.Time { return now }}
	tok := &oauth2.Token{AccessToken: "a", ExpiresIn: 60, Expiry: now.Add(60 * time.Second)}
	assert.True(t, s.usable(tok))
	now = now.Add(29 * time.Second)
	assert.True(t, s.usable(tok))
	now = now.Add(2 * time.Second)
	assert.False(t, s.usable(tok))
	assert.True(t, s.usable(&oauth2.Token{AccessToken: "no expiry"}), "a token without expiry is used until a 401")
	s.rejected = "no expiry"
	assert.False(t, s.usable(&oauth2.Token{AccessToken: "no expiry"}), "a token HelloAsso refused is not")
}
