package paymentstest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is one way a provider's API misbehaves. The simulators take Faults
// (srv.Faults.Add(…)) so that tests can check how code copes: a 503, a 429
// with Retry-After, a slow answer, an HTML error page, a truncated body.
type Fault struct {
	// Method and Path select the requests hit: an exact method ("" for any)
	// and a path prefix ("" for any).
	Method string
	Path   string
	// Status, when non-zero, answers with this status, Header and Body
	// instead of the simulator's own answer.
	Status int
	Header http.Header // the answer's headers, with Status
	Body   string      // the answer's body, with Status
	// Delay waits this long before answering (or until the client gives up).
	Delay time.Duration
	// Truncate lets the simulator answer, then cuts its body in half.
	Truncate bool
	// Times is how many requests the fault hits; 0 means once.
	Times int
}

// ServerError returns a fault answering status with a JSON message.
func ServerError(status int) Fault {
	return Fault{Status: status, Body: `{"message":"simulated ` + strconv.Itoa(status) + `"}`,
		Header: http.Header{"Content-Type": {"application/json"}}}
}

// RateLimited returns a fault answering 429 with Retry-After.
func RateLimited(retryAfter time.Duration) Fault {
	return Fault{Status: http.StatusTooManyRequests, Body: `{"message":"Too Many Requests"}`,
		Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}}}
}

// HTMLError returns a fault answering status with an HTML page, as a proxy
// in front of a provider does.
func HTMLError(status int) Fault {
	return Fault{Status: status, Body: "<html><body><h1>" + strconv.Itoa(status) + " " + http.StatusText(status) + "</h1></body></html>",
		Header: http.Header{"Content-Type": {"text/html"}}}
}

// Slow returns a fault that delays the simulator's answer by d.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// Truncated returns a fault that cuts the simulator's answer in half.
func Truncated() Fault { return Fault{Truncate: true} }

// Faults is a queue of Faults in front of a simulator's API. It is safe for
// concurrent use; the zero value injects nothing.
type Faults struct {
	mu     sync.Mutex
	queue  []Fault
	served int
}

// Add queues faults; each hits the next matching requests, in order.
func (f *Faults) Add(faults ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range faults {
		if x.Times <= 0 {
			x.Times = 1
		}
		f.queue = append(f.queue, x)
	}
}

// Reset drops the queued faults.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = nil
}

// Injected returns how many requests a fault has hit so far.
func (f *Faults) Injected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served
}

// take returns the fault for r, if one is queued.
func (f *Faults) take(r *http.Request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.queue {
		if (x.Method == "" || x.Method == r.Method) && strings.HasPrefix(r.URL.Path, x.Path) {
			x.Times--
			if x.Times == 0 {
				f.queue = append(f.queue[:i], f.queue[i+1:]...)
			} else {
				f.queue[i] = x
			}
			f.served++
			return x, true
		}
	}
	return Fault{}, false
}

// Middleware injects the queued faults in front of next.
func (f *Faults) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x, ok := f.take(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if x.Delay > 0 {
			t := time.NewTimer(x.Delay)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		switch {
		case x.Status != 0:
			for k, v := range x.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(x.Status)
			_, _ = w.Write([]byte(x.Body))
		case x.Truncate:
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.WriteHeader(rec.Code)
			body := rec.Body.Bytes()
			_, _ = w.Write(bytes.Clone(body[:len(body)/2]))
		default:
			next.ServeHTTP(w, r)
		}
	})
}
