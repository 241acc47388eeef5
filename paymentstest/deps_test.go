package paymentstest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportsOnlyTheStandardLibraryAndThisModule keeps the test kit light
// for the merchants who import it: no testify (that is paymentstest/suite),
// no adapter (hero would bring a GraphQL client), nothing outside the
// standard library but this module's core.
func TestImportsOnlyTheStandardLibraryAndThisModule(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		"github.com/unipay/payments/paymentstest").CombinedOutput()
	require.NoError(t, err, "%s", out)
	allowed := map[string]bool{
		"github.com/unipay/payments":                true,
		"github.com/unipay/payments/internal/check": true,
		"github.com/unipay/payments/paymentstest":   true,
	}
	var extra []string
	for _, p := range strings.Fields(string(out)) {
		if !allowed[p] {
			extra = append(extra, p)
		}
	}
	assert.Empty(t, extra, "paymentstest must import only the standard library, the core and internal/check")
}
