package hub2

import (
	"net/url"
	"sync"
)

// maxTokens bounds the client JWTs a Client keeps for reads with ?token=.
const maxTokens = 1024

// tokenCache remembers the client JWTs of the most recent intents, so that
// reads may carry them (Config.ReadWithToken). It holds secrets: it lives
// in memory only, and a nil *tokenCache remembers nothing. It is safe for
// concurrent use.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]string // intent id → token
	order  []string          // intent ids, oldest first once full
	next   int               // the slot of order to reuse next
	size   int
}

func newTokenCache(size int) *tokenCache {
	return &tokenCache{tokens: map[string]string{}, size: size}
}

// put remembers the token of an intent, forgetting the oldest intent when
// full.
func (c *tokenCache) put(intentID, token string) {
	if c == nil || intentID == "" || token == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tokens[intentID]; !ok {
		if len(c.order) < c.size {
			c.order = append(c.order, intentID)
		} else {
			delete(c.tokens, c.order[c.next])
			c.order[c.next] = intentID
			c.next = (c.next + 1) % c.size
		}
	}
	c.tokens[intentID] = token
}

// get returns the token of an intent, or "".
func (c *tokenCache) get(intentID string) string {
	if c == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens[intentID]
}

// readQuery returns the query of a read of the intent: ?token= when
// Config.ReadWithToken is on and the intent's token is known, else none.
func (c *Client) readQuery(intentID string) url.Values {
	if t := c.tokens.get(intentID); t != "" {
		return url.Values{"token": {t}}
	}
	return nil
}
