package helloasso

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimestampReadsHelloAssosForms: the date-times HelloAsso writes read as
// time.Parse reads them, offset included; what is no date-time is zero and
// fails nothing.
func TestTimestampReadsHelloAssosForms(t *testing.T) {
	for _, s := range []string{
		"2025-06-07T14:11:15.7442115+02:00", "2025-06-07T14:11:15+02:00", "2025-12-31T23:59:59.9-05:30",
		"2025-06-07T14:11:15.123+00:00", "2025-06-07T14:11:15Z", "2025-06-07T14:11:15.5Z",
	} {
		var ts Timestamp
		require.NoError(t, json.Unmarshal([]byte(`"`+s+`"`), &ts), s)
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		assert.True(t, want.Equal(ts.Time), "%s: %v", s, ts.Time)
		_, wantOff := want.Zone()
		_, gotOff := ts.Zone()
		assert.Equal(t, wantOff, gotOff, s)
	}
	for s, want := range map[string]time.Time{
		`"2025-06-07T14:11:15.744"`:        time.Date(2025, 6, 7, 14, 11, 15, 744000000, time.UTC),
		`"2025-06-07"`:                     time.Date(2025, 6, 7, 0, 0, 0, 0, time.UTC),
		`"2025-06-07T14:11:15\u002B02:00"`: time.Date(2025, 6, 7, 12, 11, 15, 0, time.UTC),
		`"2025-06-07T14:11:15+25:00"`:      {},
		`"2025-13-07T14:11:15+02:00"`:      {},
		`"soon"`:                           {},
		`""`:                               {},
		`null`:                             {},
		`5`:                                {},
	} {
		var ts Timestamp
		require.NoError(t, json.Unmarshal([]byte(s), &ts), s)
		assert.True(t, want.Equal(ts.Time), "%s: %v", s, ts.Time)
	}
}

// TestParseOffsetTimeAgreesWithParseTimestamp: whatever the byte-wise
// reading accepts, it reads as parseTimestamp does (time.ParseInLocation),
// to the nanosecond and the zone.
func TestParseOffsetTimeAgreesWithParseTimestamp(t *testing.T) {
	cases := []string{
		"2024-06-07T14:11:15.7442115+02:00", "2024-06-07T14:11:15+02:00", "2024-06-07T14:11:15.1-05:30",
		"2024-06-07T14:11:15.123456789+00:00", "2024-02-29T23:59:59.999999999-23:59", "0001-01-01T00:00:00+00:00",
		"2023-02-29T10:00:00+01:00", "2024-04-31T10:00:00+01:00", "2024-13-01T10:00:00+01:00", "2024-00-10T10:00:00+01:00",
		"2024-06-07T24:00:00+01:00", "2024-06-07T10:60:00+01:00", "2024-06-07T10:00:60+01:00", "2024-06-07T10:00:00+24:00",
		"2024-06-07T10:00:00+01:60", "2024-06-07T10:00:00.+01:00", "2024-06-07T10:00:00,5+01:00", "2024-06-07T10:00:00.1234567890+01:00",
		"2024-06-07T10:00:00Z", "2024-06-07 10:00:00+01:00", "2024-06-07T9:00:00+01:00", "2024-6-07T10:00:00+01:00",
		"2024-06-07T10:00:00.5x+01:00", "+024-06-07T10:00:00+01:00", "2024-06-07T10:00:00+1:00", "2024-06-07",
	}
	for _, s := range cases {
		got, ok := parseOffsetTime([]byte(s))
		if !ok {
			continue // parseTimestamp reads it, as before
		}
		want := parseTimestamp(s)
		assert.True(t, want.Equal(got), s)
		assert.Equal(t, want.Location(), got.Location(), s)
		assert.Equal(t, want.String(), got.String(), s)
	}
	v, ok := parseOffsetTime([]byte("2024-06-07T14:11:15.7442115+02:00"))
	require.True(t, ok, "HelloAsso's usual form is read byte-wise")
	assert.Equal(t, "2024-06-07T14:11:15.7442115+02:00", v.Format(time.RFC3339Nano))
	for _, s := range []string{"2023-02-29T10:00:00+01:00", "2024-06-07T24:00:00+01:00", "2024-06-07T10:00:00,5+01:00"} {
		_, ok := parseOffsetTime([]byte(s))
		assert.False(t, ok, "%s: left to parseTimestamp", s)
	}
	allocs := testing.AllocsPerRun(100, func() { _, _ = parseOffsetTime([]byte("2024-06-07T14:11:15.7442115+02:00")) })
	assert.Zero(t, allocs)
}

func FuzzParseOffsetTime(f *testing.F) {
	f.Add("2024-06-07T14:11:15.7442115+02:00")
	f.Add("2024-02-29T23:59:59+00:00")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseOffsetTime([]byte(s))
		if !ok {
			return
		}
		if want := parseTimestamp(s); !want.Equal(got) || want.String() != got.String() {
			t.Fatalf("%q: parseOffsetTime %v, parseTimestamp %v", s, got, want)
		}
	})
}
