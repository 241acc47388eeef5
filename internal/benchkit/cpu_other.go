//go:build !unix

package benchkit

import (
	"testing"
	"time"
)

// CPU reports nothing where the process's CPU time cannot be read.
func CPU(*testing.B) func() { return func() {} }

func cpu() time.Duration { return 0 }
