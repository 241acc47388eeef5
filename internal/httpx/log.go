package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

const debugLevel = slog.LevelDebug

// logRequest logs a request at Debug level, secrets redacted. It runs only
// when the logger is enabled for Debug, so quiet clients pay nothing.
func (c *Client) logRequest(ctx context.Context, p *prepared, req *http.Request) {
	c.logger.LogAttrs(ctx, debugLevel, "http request",
		slog.String("provider", string(c.cfg.Provider)),
		slog.String("op", p.op),
		slog.String("method", req.Method),
		slog.String("url", c.redactor.URL(req.URL.String())),
		slog.Any("header", c.redactor.Header(req.Header)),
		slog.String("body", c.redactor.Body(req.Header.Get("Content-Type"), p.body)),
	)
}

// logResponse logs a response at Debug level, secrets redacted.
func (c *Client) logResponse(ctx context.Context, p *prepared, resp *Response, took time.Duration) {
	c.logger.LogAttrs(ctx, debugLevel, "http response",
		slog.String("provider", string(c.cfg.Provider)),
		slog.String("op", p.op),
		slog.Int("status", resp.StatusCode),
		slog.Duration("took", took),
		slog.Any("header", c.redactor.Header(resp.Header)),
		slog.String("body", c.redactor.Body(resp.Header.Get("Content-Type"), resp.Body)),
	)
}
