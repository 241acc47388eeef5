//go:build !unix

package benchkit

import (
	"testing"
	"time"
)

// CPU reports nothing where the process's CPU time cannot be read; it
// skips b as Side does.
func CPU(b *testing.B) func() {
	Side(b)
	return func() {}
}

func cpu() time.Duration { return 0 }
