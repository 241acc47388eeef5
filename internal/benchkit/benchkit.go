//go:build unix

// Package benchkit measures what the paired benchmarks report beside wall
// time: the process's CPU time per operation. On a machine that other work
// shares, wall time swings with the load while CPU time does not, so
// make bench compares the library and its baselines by CPU time when the
// benchmarks report it.
package benchkit

import (
	"syscall"
	"testing"
	"time"
)

// CPU starts counting the process's CPU time (user and system, every
// thread: the client, the canned server, the garbage collector) and returns
// a function that reports it per operation as the "cpu-ns/op" metric. Call
// it at the top of a benchmark:
//
//	defer benchkit.CPU(b)()
//
// With BENCHKIT_SIDE set (make bench sets it), CPU also skips the side of a
// pair the process does not run: BENCHKIT_SIDE=baseline runs only the
// "baseline" sub-benchmarks, BENCHKIT_SIDE=library the others. Each side of
// a pair then runs in processes of its own, alternating, so that neither
// inherits the other's heap, connections or the machine's drift.
func CPU(b *testing.B) func() {
	Side(b)
	start := cpu()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
