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
