package benchkit

import (
	"os"
	"path"
	"testing"
)

// SideEnv names the environment variable that picks the side of the pairs
// a process runs: "library" or "baseline".
const SideEnv = "BENCHKIT_SIDE"

// Side skips b if it is not on the side of the pairs the process runs
// (see CPU). Without BENCHKIT_SIDE, every benchmark runs.
func Side(b *testing.B) {
	if side := os.Getenv(SideEnv); skips(side, b.Name()) {
		b.Skip(SideEnv + "=" + side)
	}
}

// skips reports whether a process running side skips the benchmark name.
func skips(side, name string) bool {
	switch base := path.Base(name); side {
	case "library":
		return base == "baseline"
	case "baseline":
		return base != "baseline"
	}
	return false
}
