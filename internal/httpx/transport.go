package httpx

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
)

type ctxKey int

const (
	opKey ctxKey = iota
	idempotentKey
)

// WithOp names the operation of the requests made with ctx through
// HTTPClient, for errors and logs.
func WithOp(ctx context.Context, op string) context.Context {
	return context.WithValue(ctx, opKey, op)
}

// WithIdempotent marks the requests made with ctx through HTTPClient as safe
// to retry after a 5xx or a timeout (a GraphQL query, not a mutation that
// creates or refunds).
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey, true)
}

// HTTPClient returns an *http.Client that sends through this Client: the
// same credentials (unless auth is false), User-Agent, rate limits, retries,
// body cap and redacted logging. A non-2xx answer comes back as an error
// that wraps a *payments.Error, never as a response. It is for libraries
// that want an *http.Client, such as a GraphQL client or x/oauth2's token
// requests.
func (c *Client) HTTPClient(auth bool) *http.Client {
	return &http.Client{Transport: &roundTripper{c: c, auth: auth}}
}

type roundTripper struct {
	c    *Client
	auth bool
}

func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	op, _ := ctx.Value(opKey).(string)
	if op == "" {
		op = req.Method + " " + req.URL.Path
	}
	idem, _ := ctx.Value(idempotentKey).(bool)
	h := make(http.Header, len(req.Header)+len(rt.c.cfg.Header))
	for k, v := range rt.c.cfg.Header {
		h[k] = v
	}
	for k, v := range req.Header {
		h[k] = v
	}
	p := &prepared{
		op: op, method: req.Method, url: req.URL.String(), route: req.URL.Path, header: h, body: body,
		idempotent: idem || req.Method == http.MethodGet || req.Method == http.MethodHead,
		auth:       rt.auth,
	}
	resp, err := rt.c.send(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	return &http.Response{
		Status:        strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode),
		StatusCode:    resp.StatusCode,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.Header,
		Body:          io.NopCloser(bytes.NewReader(resp.Body)),
		ContentLength: int64(len(resp.Body)),
		Request:       req,
	}, nil
}
