package hub2

import (
	"context"
	"errors"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/internal/check"
)

// The pace of WaitForFinal. Hub2 allows, per intent, 5 status reads per
// 5 seconds and one read of the whole intent per 5 seconds (the stricter of
// its two published tables); a payment modal on the customer's side may be
// polling the same intent, so the adapter stays well below.
const (
	pollFirst    = 2 * time.Second  // the first wait between two status reads
	pollMax      = 30 * time.Second // the longest wait between two reads
	intentGap    = 5 * time.Second  // between two reads of the whole intent
	throttleBase = 5 * time.Second  // the wait after a 429 without Retry-After
	throttleMax  = 2 * time.Minute  // the longest wait after a 429
	maxFailures  = 5                // consecutive transient failures before giving up
)

// WaitForFinal polls an intent until its outcome is settled and returns it, as
// Verify would. Prefer webhooks; poll when the customer waits in front of
// your page.
//
// It polls only while the intent is processing or action_required, as Hub2
// asks (polling other states gets the caller's IP throttled): an intent still
// payment_required (no attempt yet), or in a status the library does not
// know, is returned at once with that status, and no error. It reads the
// cheap status endpoint, waiting 2 seconds, then half as long again each
// time up to 30 seconds, and reads the whole intent once the status is final.
//
// On a 429 it waits what Retry-After says, and at least 5 seconds doubling
// with each 429 in a row, and polls slower from then on. Transient failures
// (5xx, network) are retried with the same backoff, five times in a row at
// most. The context bounds the whole wait.
func (c *Client) WaitForFinal(ctx context.Context, intentID string) (*payments.Payment, error) {
	var fe check.FieldErrors
	check.ID(&fe, "intentID", intentID)
	if err := fe.Err(payments.Hub2, "wait for final"); err != nil {
		return nil, err
	}
	w := &waiter{c: c, interval: pollFirst}
	noStatus := false // the status endpoint answers without a status
	for {
		if !noStatus {
			st, err := c.intentStatus(ctx, intentID, true)
			switch {
			case st != nil && st.Status == "" && errors.Is(err, payments.ErrMalformedResponse):
				// Its body is not published: read the whole intent.
				noStatus = true
			case err != nil:
				if err := w.failed(ctx, err); err != nil {
					return nil, err
				}
				continue
			case pollable(intentStatus(st.Status)):
				w.ok()
				if err := w.pause(ctx, 0); err != nil {
					return nil, err
				}
				continue
			}
			w.ok()
		}
		// Final, not worth polling, or no status to read: read the intent.
		v := new(intentView)
		if err := c.readIntent(ctx, "get payment intent", "intentID", intentID, true, v); err != nil {
			if err := w.failed(ctx, err); err != nil {
				return nil, err
			}
			continue
		}
		w.ok()
		p := v.toPayment()
		if !pollable(p.Status) {
			return p, nil
		}
		if err := w.pause(ctx, intentGap); err != nil {
			return nil, err
		}
	}
}

// waiter paces WaitForFinal.
type waiter struct {
	c         *Client
	interval  time.Duration // the next wait between two polls
	throttled int           // 429s in a row
	failures  int           // transient failures in a row
	// last is the failure that made WaitForFinal wait, kept so that
	// giving up reports what Hub2 answered (its Kind and Raw), not only
	// that the context ended.
	last *payments.Error
}

// pause waits the current interval (at least floor), then lengthens it.
func (w *waiter) pause(ctx context.Context, floor time.Duration) error {
	d := max(w.interval, floor)
	w.interval = min(w.interval*3/2, pollMax)
	return w.sleep(ctx, d)
}

// sleep waits d, or returns an error when ctx ends first: the last failure
// Hub2 answered, if the wait followed one, else ErrUnavailable; both match
// the context's error with errors.Is.
func (w *waiter) sleep(ctx context.Context, d time.Duration) error {
	if err := w.c.sleep(ctx, d); err != nil {
		return w.gaveUp(err)
	}
	return nil
}

// gaveUp is the error of a wait cut short by the context (cause): the last
// failure Hub2 answered, if any, else ErrUnavailable.
func (w *waiter) gaveUp(cause error) error {
	if w.last != nil {
		e := *w.last
		e.Op, e.Err, e.Retryable = "wait for final", cause, false
		e.Message = "gave up waiting (" + cause.Error() + ") after: " + w.last.Message
		return &e
	}
	return &payments.Error{Provider: payments.Hub2, Op: "wait for final", Kind: payments.ErrUnavailable,
		Message: "gave up waiting: " + cause.Error(), Err: cause}
}

// ok records a successful read.
func (w *waiter) ok() { w.throttled, w.failures, w.last = 0, 0, nil }

// failed decides what a failed read means: after a 429 or a transient
// failure it waits and returns nil so that the caller polls again; any other
// error is returned.
func (w *waiter) failed(ctx context.Context, err error) error {
	var perr *payments.Error
	if !errors.As(err, &perr) {
		return err
	}
	switch {
	case errors.Is(err, payments.ErrRateLimited) && perr.HTTPStatus != 0:
		// Hub2 did not handle the request: slow down for good, and wait at
		// least what it asked.
		d := min(throttleBase<<min(w.throttled, 8), throttleMax)
		w.throttled++
		w.last = perr
		w.interval = min(max(w.interval*2, throttleBase), pollMax)
		return w.sleep(ctx, max(d, perr.RetryAfter))
	case perr.Retryable && ctx.Err() == nil:
		w.failures++
		if w.failures >= maxFailures {
			return err
		}
		w.last = perr
		return w.pause(ctx, throttleBase)
	}
	if w.last != nil && (ctx.Err() != nil || perr.NotSent) {
		// The poll after a failure never reached Hub2 (the context ended,
		// or the client's own rate limit had no turn before its deadline):
		// report what Hub2 last answered.
		return w.gaveUp(err)
	}
	return err
}
