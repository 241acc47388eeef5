package examples_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README shows whole files (the Quick start, the ten-minute
// integration and its test) after a "<!-- file: path -->" marker. They must
// be the files as they are, so that what a newcomer pastes compiles and
// passes its test.
func TestTheREADMEShowsTheFilesAsTheyAre(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```go\n(.*?)```\n").FindAllSubmatch(readme, -1)
	require.GreaterOrEqual(t, len(blocks), 3, "the README's file blocks")
	for _, b := range blocks {
		path := string(b[1])
		want, err := os.ReadFile(filepath.Join("..", path))
		require.NoError(t, err, path)
		assert.Equal(t, string(want), string(b[2]), "README's copy of %s", path)
	}
}
