package payments_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A merchant who imports one adapter must not inherit the demo's browser
// test or any other heavy part of the repository: those live in modules of
// their own. This builds such a consumer module, offline, and counts what
// `go mod graph` shows it.
func TestAMonerooConsumerSeesFewModules(t *testing.T) {
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("go.mod", "module example.com/shop\n\ngo 1.24\n\nrequire github.com/unipay/payments v0.0.0\n\nreplace github.com/unipay/payments => "+root+"\n")
	write("main.go", "package main\n\nimport _ \"github.com/unipay/payments/moneroo\"\n\nfunc main() {}\n")
	run := func(args ...string) string {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		// Offline: everything comes from the module cache the library's own
		// build filled.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	run("mod", "tidy")
	seen := map[string]bool{}
	for _, field := range strings.Fields(run("mod", "graph")) {
		mod, _, _ := strings.Cut(field, "@")
		if mod != "example.com/shop" && mod != "go" && mod != "toolchain" {
			seen[mod] = true
		}
	}
	var mods []string
	for m := range seen {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	assert.LessOrEqual(t, len(mods), 12, "modules: %v", mods)
	for _, heavy := range []string{"github.com/chromedp/chromedp", "github.com/chromedp/cdproto", "github.com/gobwas/ws",
		"github.com/redis/go-redis/v9", "github.com/jackc/pgx/v5", "go.opentelemetry.io/otel"} {
		assert.NotContains(t, mods, heavy)
	}
}
