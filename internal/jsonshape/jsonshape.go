// Package jsonshape compares the shape of two JSON documents: which keys
// each object has and which JSON type each value is. Simulator tests use it
// to prove that a simulator answers in the shapes of fixtures taken from
// independent sources (a provider's spec, official SDK fixtures, captured
// responses), so that the simulator cannot drift from them.
package jsonshape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Options tunes Diff.
type Options struct {
	// AllowExtra accepts keys in got that want lacks. By default a key on
	// either side only is a difference.
	AllowExtra bool
	// AllowMissing accepts keys of want that got lacks, for fixtures that
	// show every optional field at once.
	AllowMissing bool
	// Ignore lists paths (as Diff reports them, such as "data.metadata")
	// whose values are not compared: free-form objects.
	Ignore []string
}

// Diff returns the differences between the shapes of want (the fixture) and
// got (the simulator's answer), one line each, sorted; none when they match.
// A null on either side matches any type: sources print null for fields
// that hold a value in other answers. Array elements are compared with the
// union of the fixture's elements.
func Diff(want, got []byte, o Options) ([]string, error) {
	w, err := decode(want)
	if err != nil {
		return nil, fmt.Errorf("jsonshape: want: %w", err)
	}
	g, err := decode(got)
	if err != nil {
		return nil, fmt.Errorf("jsonshape: got: %w", err)
	}
	d := differ{o: o, ignore: map[string]bool{}}
	for _, p := range o.Ignore {
		d.ignore[p] = true
	}
	d.compare("$", w, g)
	sort.Strings(d.out)
	return d.out, nil
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

type differ struct {
	o      Options
	ignore map[string]bool
	out    []string
}

func (d *differ) compare(path string, w, g any) {
	if d.ignore[strings.TrimPrefix(path, "$.")] || w == nil || g == nil {
		return
	}
	if tw, tg := typeOf(w), typeOf(g); tw != tg {
		d.out = append(d.out, fmt.Sprintf("%s: fixture has %s, got %s", path, tw, tg))
		return
	}
	switch wv := w.(type) {
	case map[string]any:
		gv := g.(map[string]any)
		for k, x := range wv {
			y, ok := gv[k]
			opt, isOpt := x.(optional)
			if isOpt {
				x = opt.v
			}
			if !ok {
				if !d.o.AllowMissing && !isOpt && !d.ignore[strings.TrimPrefix(path+"."+k, "$.")] {
					d.out = append(d.out, fmt.Sprintf("%s.%s: missing (fixture has %s)", path, k, typeOf(x)))
				}
				continue
			}
			d.compare(path+"."+k, x, y)
		}
		if !d.o.AllowExtra {
			for k, y := range gv {
				if _, ok := wv[k]; !ok && !d.ignore[strings.TrimPrefix(path+"."+k, "$.")] {
					d.out = append(d.out, fmt.Sprintf("%s.%s: not in the fixture (got %s)", path, k, typeOf(y)))
				}
			}
		}
	case []any:
		gv := g.([]any)
		if len(wv) == 0 || len(gv) == 0 {
			return
		}
		elem := union(wv)
		for i, y := range gv {
			d.compare(fmt.Sprintf("%s[%d]", path, i), elem, y)
		}
	}
}

// optional marks a key that only some of the fixture's array elements have:
// an element may lack it.
type optional struct{ v any }

// union merges the fixture's array elements into one: objects get every key
// any element has, so that an optional key shown once is known, and a key
// that some element lacks is optional.
func union(xs []any) any {
	first := xs[0]
	if _, ok := first.(map[string]any); !ok {
		return first
	}
	out := map[string]any{}
	count := map[string]int{}
	objects := 0
	for _, x := range xs {
		xm, ok := x.(map[string]any)
		if !ok {
			continue
		}
		objects++
		for k, v := range xm {
			count[k]++
			if cur, seen := out[k]; !seen || cur == nil {
				out[k] = v
			}
		}
	}
	for k, n := range count {
		if n < objects {
			out[k] = optional{out[k]}
		}
	}
	return out
}

func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
