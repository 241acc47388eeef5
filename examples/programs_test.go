// Package examples_test runs every example program as a merchant would,
// with no credentials in the environment: each must start its provider's
// simulator, run the whole flow, verify the payment, and exit 0.
package examples_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExampleProgramsRunAgainstTheirSimulators(t *testing.T) {
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds the examples")
	bin := t.TempDir()
	for _, p := range []string{"hero", "helloasso", "hub2", "moneroo"} {
		t.Run(p, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			exe := filepath.Join(bin, p)
			build := exec.CommandContext(ctx, goBin, "build", "-o", exe, "./"+p)
			out, err := build.CombinedOutput()
			require.NoError(t, err, "go build ./examples/%s: %s", p, out)

			run := exec.CommandContext(ctx, exe)
			run.Env = withoutCredentials(os.Environ())
			out, err = run.CombinedOutput()
			require.NoError(t, err, "examples/%s must exit 0 against its simulator:\n%s", p, out)
			assert.Contains(t, string(out), "verified: succeeded", "examples/%s verifies the payment", p)
		})
	}
}

// withoutCredentials drops every provider's variables, so that each program
// takes its simulator path whatever the developer's shell holds.
func withoutCredentials(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "HERO_"), strings.HasPrefix(name, "HELLOASSO_"),
			strings.HasPrefix(name, "HUB2_"), strings.HasPrefix(name, "MONEROO_"):
			continue
		}
		out = append(out, kv)
	}
	return out
}
