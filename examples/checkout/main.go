// Command checkout is the demo shop: a small merchant site that sells three
// products through Hero, Hub2, HelloAsso or Moneroo. Every provider runs
// against its in-process simulator unless its sandbox credentials are in the
// environment (see the README). Run it with `make demo`.
//
// The examples module needs Go 1.25, for http.CrossOriginProtection, which
// keeps other sites from posting the shop's forms; the library itself needs
// only Go 1.24. A real shop also puts its refunds behind staff sign-in.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(logger); err != nil {
		logger.Error("demo shop stopped", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger) error {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ln, err := net.Listen("tcp", "localhost:"+port)
	if err != nil {
		return err
	}
	// Real sandboxes send webhooks to, and HelloAsso and Hero only return
	// customers to, a public URL: SHOP_URL names the shop's (an https tunnel
	// to this port). The simulators are happy with localhost.
	base := strings.TrimSuffix(os.Getenv("SHOP_URL"), "/")
	if base == "" {
		base = "http://localhost:" + port
	}

	// PAYMENTS_OTEL=stdout or OTEL_EXPORTER_OTLP_ENDPOINT: see telemetry.go.
	tel, err := newTelemetry(context.Background(), os.Getenv, os.Stdout)
	if err != nil {
		return err
	}
	if tel != nil {
		observer = tel.observer
		defer func() {
			flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = tel.shutdown(flush)
		}()
	}

	sh, err := openShared(os.Getenv) // REDIS_URL: replicas share their state on Redis
	if err != nil {
		return err
	}
	defer sh.Close()
	providers, err := buildProviders(os.Getenv, base, logger, sh)
	if err != nil {
		return err
	}
	defer func() {
		for _, p := range providers {
			if p.Close != nil {
				p.Close()
			}
		}
	}()
	shop := NewShop(base, providers, logger)
	shop.handlerOptions = sh.handlerOptions()
	handler := shop.Handler()
	if tel != nil {
		handler = tel.handler(handler)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()

	logger.Info("shared state", "in", sh.where())
	for _, p := range providers {
		logger.Info("provider ready", "provider", p.Label, "mode", p.Mode, "currency", p.Currency)
	}
	fmt.Printf("\n  Demo shop: %s\n\n", "http://localhost:"+port)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
