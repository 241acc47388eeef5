package hero

import (
	"context"
	"net/http"

	"github.com/unipay/payments/internal/httpx"
)

// GraphQL over HTTP, as Hero speaks it: every operation is a POST of
// {"query": document, "variables": {…}} to graphQLPath, and every answer
// that is not an HTTP error is a 200 holding {"data": …} or {"errors": […]}
// (or both). The client sends and reads that envelope itself, through
// httpx like every adapter: one request, one decode of the answer into the
// operation's own types (getPaymentsInfos' usual answer by hand, readInfos),
// and the body httpx scrubbed of secrets kept for Raw.

// gqlRequest is the body of every request. The documents are fixed strings
// (wire.go); every input travels in Variables, a struct per operation whose
// fields are in the order encoding/json writes a map's keys, so that the
// bytes sent are the same whichever way they are built.
type gqlRequest struct {
	Query     string `json:"query"`
	Variables any    `json:"variables,omitempty"`
}

// gqlResponse is an answer: the operation's data, GraphQL's errors, or both.
type gqlResponse[T any] struct {
	Data   *T         `json:"data"`
	Errors []gqlError `json:"errors"`
}

// gqlError is one entry of GraphQL's errors array. Hero documents its codes
// as the message; GraphQL servers put theirs in extensions (see classify).
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// exec sends one operation and decodes its data. A query (idempotent) may
// be retried after a 5xx or a timeout; a mutation that creates or refunds
// only when it surely never reached Hero. Whatever goes wrong comes back as
// a *payments.Error that keeps the scrubbed body: an HTTP error (httpx), an
// answer that is not the envelope (ErrMalformedResponse), GraphQL errors
// (classified by graphQLErrors), an answer without data, or what accept
// (if not nil) finds wrong with the data. All of it is read within the
// operation httpx observes, so that an observer counts a 200 that says the
// call failed as the failure it is. The response is returned for Raw fields
// and for errors built from it later.
//
// decode, if not nil, reads the answer instead of httpx's Decode, and must
// read it as Decode would (getPaymentsInfos reads its usual answer by hand:
// readInfos).
func exec[T any](ctx context.Context, c *Client, op, doc string, vars any, idempotent bool,
	decode func(*httpx.Response, *gqlResponse[T]) error,
	accept func(*T, *httpx.Response) error) (*T, *httpx.Response, error) {
	var out gqlResponse[T]
	var into any = &out
	if decode != nil {
		into = nil // httpx decodes nothing: Check does
	}
	resp, err := c.http.Do(ctx, &httpx.Request{
		Op: op, Method: http.MethodPost, Path: graphQLPath,
		JSON: gqlRequest{Query: doc, Variables: vars}, Idempotent: idempotent,
		Check: func(resp *httpx.Response) error {
			if decode != nil {
				if err := decode(resp, &out); err != nil {
					return err
				}
			}
			if len(out.Errors) > 0 {
				return c.scrubbed(graphQLErrors(op, out.Errors, c.http.Raw(resp)))
			}
			if out.Data == nil {
				return c.http.Malformed(op, resp, "the answer holds neither data nor errors", nil)
			}
			if accept != nil {
				return accept(out.Data, resp)
			}
			return nil
		},
	}, into)
	if err != nil {
		return nil, resp, err
	}
	return out.Data, resp, nil
}
