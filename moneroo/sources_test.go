package moneroo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryFixtureNamesItsSource keeps testdata/moneroo/SOURCES.md the one
// list of where each fixture comes from.
func TestEveryFixtureNamesItsSource(t *testing.T) {
	dir := filepath.Join("..", "testdata", "moneroo")
	sources, err := os.ReadFile(filepath.Join(dir, "SOURCES.md"))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := filepath.Base(f)
		assert.True(t, strings.Contains(string(sources), "`"+name+"`"), "%s is not in SOURCES.md", name)
	}
}
