package main

import (
	"fmt"
	"log/slog"
)

// Each provider runs against its in-process simulator unless its sandbox
// credentials are in the environment; the shop's header says which.
const (
	modeSimulator = "simulator"
	modeSandbox   = "sandbox"
)

// providerFunc builds one provider from the environment. base is the shop's
// own URL, for the simulator's webhooks.
type providerFunc func(getenv func(string) string, base string, logger *slog.Logger, sh *shared) (*Provider, error)

// buildProviders builds every provider the shop offers, in the order shown,
// their state shared by sh (nil: in memory).
func buildProviders(getenv func(string) string, base string, logger *slog.Logger, sh *shared) ([]*Provider, error) {
	var out []*Provider
	for _, build := range []providerFunc{heroProvider, helloassoProvider, hub2Provider, monerooProvider} {
		p, err := build(getenv, base, logger, sh)
		if err != nil {
			for _, done := range out {
				if done.Close != nil {
					done.Close()
				}
			}
			return nil, fmt.Errorf("%s: %w", p.Label, err)
		}
		out = append(out, p)
	}
	return out, nil
}
