package jsonpass

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// whole reads b as one value and reports whether it took all of it.
func whole(b []byte) bool {
	i := SkipSpace(b, 0)
	end := Value(b, i, 0)
	return end >= 0 && SkipSpace(b, end) == len(b)
}

var valid = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `0.0E-1`, `-2e3`, `true`, `false`, `null`, ` {"a" : [1, {"b":null}] } ` + "\n",
	`"caf\u00e9 \"quoted\" \\ \/ \b\f\n\r\t"`, "\"caf\xc3\xa9\"", "\"\xff\xfe\"", `{"a":"}","b":"]"}`,
	`[` + strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1) + `]`,
}

var invalid = []string{
	``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `[1,]`, `[,1]`, `[1 2]`, `{"a":1 "b":2}`, `{a:1}`, `{'a':1}`,
	`01`, `1.`, `-`, `.5`, `1e`, `1e+`, `tru`, `nul`, `truex`, "\"\x01\"", `"\q"`, `"\u12"`, `"\u12g4"`, `"x`, "\xef\xbb\xbf{}",
	`{"a":1}}`, `{"a":1} x`,
}

func TestValueChecksAsEncodingJSON(t *testing.T) {
	for _, s := range valid {
		assert.True(t, json.Valid([]byte(s)), "%q", s)
		assert.True(t, whole([]byte(s)), "%q", s)
	}
	for _, s := range invalid {
		assert.False(t, json.Valid([]byte(s)), "%q", s)
		assert.False(t, whole([]byte(s)), "%q", s)
	}
	deep := `[` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `]`
	assert.True(t, json.Valid([]byte(deep)))
	assert.False(t, whole([]byte(deep)), "deeper than MaxDepth is left to encoding/json")
}

func TestDocumentReadsMembers(t *testing.T) {
	var id string
	var n int64
	var k int
	ok := Document([]byte(` {"id":"a\u00e9","n":-42,"k":7,"other":{"x":[1,"}"]},"skip":null} `), func(key []byte, plain bool, b []byte, i, depth int) int {
		switch {
		case !plain:
		case string(key) == "id":
			return Text(b, i, &id)
		case string(key) == "n":
			return Int64(b, i, &n)
		case string(key) == "k":
			return Int(b, i, &k)
		}
		return Skip(key, plain, b, i, depth)
	})
	require.True(t, ok)
	assert.Equal(t, "aé", id)
	assert.Equal(t, int64(-42), n)
	assert.Equal(t, 7, k)

	for _, s := range []string{`[]`, `{"A":1}`, `{"\u0061":1}`, `{"id":5}`, `{"n":"5"}`, `{"n":1.5}`, `{"n":1e2}`, `{"n":9223372036854775808}`} {
		assert.False(t, Document([]byte(s), func(key []byte, plain bool, b []byte, i, depth int) int {
			switch {
			case plain && string(key) == "id":
				return Text(b, i, &id)
			case plain && string(key) == "n":
				return Int64(b, i, &n)
			}
			return Skip(key, plain, b, i, depth)
		}), "%q is left to encoding/json", s)
	}
}

// FuzzValue holds the reader to encoding/json: what it takes is valid JSON,
// and strings and integers read as encoding/json reads them.
func FuzzValue(f *testing.F) {
	for _, s := range append(append([]string{}, valid...), invalid...) {
		f.Add([]byte(s))
	}
	for _, s := range []string{`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`, `-9223372036854775809`, `12345678901234567890`, `-`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if whole(b) {
			require.True(t, json.Valid(b), "took invalid JSON %q", b)
		} else if json.Valid(b) {
			require.Contains(t, string(b), strings.Repeat("[", 2), "left valid JSON %q to encoding/json without nesting", b) // only depth may refuse it
		}
		i := SkipSpace(b, 0)
		took := func(end int) bool { return end >= 0 && SkipSpace(b, end) == len(b) }
		var s, want string
		if took(Text(b, i, &s)) {
			require.NoError(t, json.Unmarshal(b, &want), "%q", b)
			assert.Equal(t, want, s, "%q", b)
		}
		var v, wantV bool
		if took(Bool(b, i, &v)) {
			require.NoError(t, json.Unmarshal(b, &wantV), "%q", b)
			assert.Equal(t, wantV, v, "%q", b)
		}
		var n, wantN int64
		if took(Int64(b, i, &n)) {
			require.NoError(t, json.Unmarshal(b, &wantN), "%q", b)
			assert.Equal(t, wantN, n, "%q", b)
		} else if i < len(b) && b[i] != 'n' && json.Unmarshal(b, &wantN) == nil {
			t.Fatalf("Int64 left %q, which encoding/json reads as %d", b, wantN)
		}
	})
}

// Other leaves to encoding/json a key it would read into a field of
// another case, and takes any other: nested keys in values nothing reads
// matter to no field.
func TestOtherGivesUpOnAFieldsNameInAnotherCase(t *testing.T) {
	names := []string{"checkoutIntentId", "id"}
	read := func(s string) bool {
		var id int64
		return Document([]byte(s), func(key []byte, plain bool, b []byte, i, depth int) int {
			if plain && string(key) == "id" {
				return Int64(b, i, &id)
			}
			return Other(names, key, plain, b, i, depth)
		})
	}
	assert.True(t, read(`{"id":1,"redirectUrl":"x","payer":{"ID":2,"firstName":"A"}}`))
	assert.False(t, read(`{"ID":1}`))
	assert.False(t, read(`{"CheckoutIntentID":1}`))
	assert.False(t, read(`{"i\u0064":1}`))
	assert.False(t, read(`{"\u212a":1}`), "not plain ASCII")
}

// doc is a struct read through Fields, Slice, Strings and StringMap, as an
// adapter's view is.
type doc struct {
	ID    int64             `json:"id"`
	Tags  []string          `json:"tags"`
	Meta  map[string]string `json:"meta"`
	Items []item            `json:"itemList"`
}

type item struct {
	N    int    `json:"n"`
	Name string `json:"name"`
}

var docFields, itemFields = []string{"id", "tags", "meta", "itemList"}, []string{"n", "name"}

func (d *doc) read(body []byte) bool {
	return Document(body, Fields(docFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return Int64(b, i, &d.ID)
		case 1:
			return Strings(b, i, depth, &d.Tags)
		case 2:
			return StringMap(b, i, depth, &d.Meta)
		}
		return Slice(b, i, depth, &d.Items, func(it *item) Member {
			return Fields(itemFields, func(f int, b []byte, i, _ int) int {
				if f == 0 {
					return Int(b, i, &it.N)
				}
				return Text(b, i, &it.Name)
			})
		})
	}))
}

// readsDocAsEncodingJSON reports whether the reader took body, after
// checking that encoding/json reads the same doc from it.
func readsDocAsEncodingJSON(t *testing.T, body []byte) bool {
	t.Helper()
	var got doc
	if !got.read(body) {
		return false
	}
	var want doc
	require.NoError(t, json.Unmarshal(body, &want), "took what encoding/json refuses: %q", body)
	require.Equal(t, want, got, "%q", body)
	return true
}

var docsTaken = []string{
	`{}`, `{"id":null,"tags":null,"meta":null,"itemList":null}`, `{"tags":[],"meta":{},"itemList":[]}`,
	`{"tags":["a",null,"\u00e9"],"meta":{"k":"v","k":null,"z":"\/"},"itemList":[null,{"n":-1,"name":"x","other":{"N":1}}]}`,
}

var docsLeft = []string{
	`{"ID":1}`, `{"id":1,"id":1}`, `{"tags":"a"}`, `{"tags":[1]}`, `{"meta":{"k":1}}`, `{"meta":{"\u006b":"v"}}`, `{"meta":[]}`,
	`{"itemList":{}}`, `{"itemList":[1]}`, `{"itemList":[{"N":1}]}`, `{"itemList":[{"n":1,"n":2}]}`, `{"itemlist":[]}`,
	`{"itemList":[{"n":1.5}]}`, `{"itemList":[{"n":99999999999999999999}]}`,
}

func TestFieldsReadAsEncodingJSON(t *testing.T) {
	for _, s := range docsTaken {
		assert.True(t, readsDocAsEncodingJSON(t, []byte(s)), "%q", s)
	}
	for _, s := range docsLeft {
		assert.False(t, readsDocAsEncodingJSON(t, []byte(s)), "%q", s)
	}
}

func FuzzFields(f *testing.F) {
	for _, s := range append(append([]string{}, docsTaken...), docsLeft...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { readsDocAsEncodingJSON(t, b) })
}
