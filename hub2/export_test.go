package hub2

import (
	"context"
	"time"
)

// What the external tests (package hub2_test, which may import hub2test)
// need of the package's insides.

// SetSleep replaces how c waits between polls, so that a test's clock
// moves instead of time.
func SetSleep(c *Client, sleep func(ctx context.Context, d time.Duration) error) { c.sleep = sleep }

// SetNow replaces how c tells the time, for the settlement of refunds.
func SetNow(c *Client, now func() time.Time) { c.now = now }

// SettleWindow is how far around a refund's reservation its transfer is
// looked for.
const SettleWindow = settleWindow

// The pace of WaitForFinal.
const (
	PollFirst    = pollFirst
	PollMax      = pollMax
	IntentGap    = intentGap
	ThrottleBase = throttleBase
	MaxFailures  = maxFailures
)
