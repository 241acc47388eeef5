package jsonshape

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiff(t *testing.T) {
	fixture := `{"id":"a","amount":100,"meta":null,"tags":[{"k":"x"},{"k":"y","v":1}],"nested":{"ok":true}}`
	tests := []struct {
		name string
		got  string
		o    Options
		want []string
	}{
		{name: "same shape, other values", got: `{"id":"b","amount":7,"meta":{"a":1},"tags":[{"k":"z","v":2}],"nested":{"ok":false}}`},
		{name: "type differs", got: `{"id":1,"amount":100,"meta":null,"tags":[],"nested":{"ok":"yes"}}`,
			want: []string{"$.id: fixture has string, got number", "$.nested.ok: fixture has boolean, got string"}},
		{name: "missing and extra keys", got: `{"id":"a","amount":1,"meta":null,"tags":[{"v":1,"w":true}],"extra":1}`,
			want: []string{"$.extra: not in the fixture (got number)", "$.nested: missing (fixture has object)", "$.tags[0].k: missing (fixture has string)", "$.tags[0].w: not in the fixture (got boolean)"}},
		{name: "extra and missing allowed", got: `{"id":"a","amount":1,"extra":1}`, o: Options{AllowExtra: true, AllowMissing: true}},
		{name: "ignored path", got: `{"id":"a","amount":1,"meta":null,"tags":[],"nested":[1]}`, o: Options{Ignore: []string{"nested"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Diff([]byte(fixture), []byte(tt.got), tt.o)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := Diff([]byte(`{`), []byte(`{}`), Options{})
	assert.Error(t, err)
}
