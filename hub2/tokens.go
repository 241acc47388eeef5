package hub2

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/httpx"
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
		c.learn(t) // sent: an error may echo it
		return url.Values{"token": {t}}
	}
	return nil
}

// sendingToken sends req, which carries the intent's client JWT, and reads
// the intent it answers, so that no echo of the token reaches a log line,
// an error or a Raw field. A successful answer carries the token under its
// "token" key, which the redactor scrubs without knowing the token; only
// an echo elsewhere (an error message quoting it) needs the redactor to
// learn it, and learning costs: a rebuild of every form of every secret,
// slower scrubs of every later body, and a place in a ring of 32 that
// pushes out the tokens of other calls. So the token is learnt before
// sending only when the client logs at Debug (the answer is logged as it
// arrives); otherwise only when the call fails, whose error is then
// scrubbed again, or when the answer holds the token outside its key.
func (c *Client) sendingToken(ctx context.Context, token string, req *httpx.Request, want string, out intentAnswer) error {
	early := c.api.Logger().Enabled(ctx, slog.LevelDebug)
	if early {
		c.learn(token)
	}
	resp, err := c.intent(ctx, req, want, out)
	if err != nil {
		c.learn(token)
		return c.rescrub(err)
	}
	if raw := c.api.Raw(resp); bytes.Contains(raw, []byte(token)) {
		c.learn(token)
		out.keep(c.api.Redactor().Bytes(raw))
	}
	return nil
}

// rescrub scrubs again, with the secrets learnt since, what an error
// built from an answer shows.
func (c *Client) rescrub(err error) error {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return err
	}
	r := c.api.Redactor()
	perr.Message, perr.Code, perr.RequestID = r.String(perr.Message), r.String(perr.Code), r.String(perr.RequestID)
	perr.Raw = r.Bytes(perr.Raw)
	for i := range perr.Fields {
		perr.Fields[i].Message, perr.Fields[i].Code = r.String(perr.Fields[i].Message), r.String(perr.Fields[i].Code)
	}
	return err
}
