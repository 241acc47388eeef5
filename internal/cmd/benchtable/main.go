// Command benchtable reads `go test -bench -benchmem` output and prints the
// library's overhead beside its hand-written baselines: for each benchmark
// with a "library" and a "baseline" sub-benchmark (BenchmarkMonerooVerify/
// library and BenchmarkMonerooVerify/baseline), the median time and
// allocations of each, their ratio and difference. Give it five runs of each
// side or more. make bench runs each side in processes of its own, the sides
// taking turns (go test -count alone runs all the runs of one side, then all
// of the other, so a drift of the machine between them shows as overhead):
//
//	make bench                      # every pair, 6 rounds
//	make bench BENCH=Hero BENCHPKGS=./hero/ BENCHCOUNT=10
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// line matches "BenchmarkX/library-2   1000   123 ns/op   456 B/op   7 allocs/op",
// with any other metrics among them.
var line = regexp.MustCompile(`^(Benchmark\S+)/(library|baseline)(?:-\d+)?\s+\d+\s+(.*)$`)

// metric matches one "value unit" pair.
var metric = regexp.MustCompile(`([\d.]+) (\S+)`)

type sample struct{ ns, cpu, bytes, allocs []float64 }

func main() {
	rows, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	write(os.Stdout, rows)
}

type row struct {
	name          string
	lib, base     sample
	hasLib, hasBs bool
}

func read(r io.Reader) ([]*row, error) {
	byName := map[string]*row{}
	var order []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		name := strings.TrimPrefix(m[1], "Benchmark")
		rw, ok := byName[name]
		if !ok {
			rw = &row{name: name}
			byName[name] = rw
			order = append(order, name)
		}
		s := &rw.lib
		if m[2] == "baseline" {
			s, rw.hasBs = &rw.base, true
		} else {
			rw.hasLib = true
		}
		for _, kv := range metric.FindAllStringSubmatch(m[3], -1) {
			switch kv[2] {
			case "ns/op":
				s.ns = append(s.ns, num(kv[1]))
			case "cpu-ns/op":
				s.cpu = append(s.cpu, num(kv[1]))
			case "B/op":
				s.bytes = append(s.bytes, num(kv[1]))
			case "allocs/op":
				s.allocs = append(s.allocs, num(kv[1]))
			}
		}
	}
	var out []*row
	for _, n := range order {
		if rw := byName[n]; rw.hasLib && rw.hasBs {
			out = append(out, rw)
		}
	}
	return out, sc.Err()
}

// write prints the table. Times are CPU time per call where the benchmarks
// report it (benchkit.CPU), wall time otherwise.
func write(w io.Writer, rows []*row) {
	fmt.Fprintf(w, "| %-40s | %12s | %12s | %6s | %7s | %7s | %6s |\n", "operation", "library", "baseline", "ratio", "allocs", "base", "+allocs")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 42), strings.Repeat("-", 14), strings.Repeat("-", 14),
		strings.Repeat("-", 8), strings.Repeat("-", 9), strings.Repeat("-", 9), strings.Repeat("-", 8))
	for _, r := range rows {
		lib, base := median(r.lib.ns), median(r.base.ns)
		if len(r.lib.cpu) > 0 && len(r.base.cpu) > 0 {
			lib, base = median(r.lib.cpu), median(r.base.cpu)
		}
		la, ba := median(r.lib.allocs), median(r.base.allocs)
		fmt.Fprintf(w, "| %-40s | %9.1f µs | %9.1f µs | %5.2f× | %7.0f | %7.0f | %+6.0f |\n",
			r.name, lib/1000, base/1000, lib/base, la, ba, la-ba)
	}
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
