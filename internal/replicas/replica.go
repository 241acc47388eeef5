// Package replicas is the proof that replicas share state correctly: a
// replica program (Main, which each store module's internal/replica wraps
// with its store) and the tests that drive several of them as separate OS
// processes sharing one store (WebhooksHandledOnce, KilledReplica,
// SharedRateLimit), against the providers' simulators, on loopback only.
//
// It lives in the library's module, internal, so that the store modules
// (which may import it: their paths are under the library's) share one
// proof without the library depending on any store.
package replicas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/moneroo"
	"github.com/unipay/payments/moneroo/monerootest"
)

// Stores are the shared stores a replica uses.
type Stores struct {
	EventLog    payments.EventLog
	TokenStore  payments.TokenStore
	RateLimiter payments.RateLimiter
}

// Open connects to the store at url, its keys (or tables) under namespace,
// and returns the stores and how to close them.
type Open func(ctx context.Context, url, namespace string) (Stores, func(), error)

// The environment a replica reads.
const (
	envStore     = "REPLICA_STORE_URL" // the shared store
	envNamespace = "REPLICA_NAMESPACE" // its key prefix or schema
	envName      = "REPLICA_NAME"      // the replica's name, in the ledger
	envMoneroo   = "REPLICA_MONEROO"   // the Moneroo simulator's origin
	envLedger    = "REPLICA_LEDGER"    // where handled events are reported
	envLease     = "REPLICA_LEASE"     // the webhook lease, a Go duration
	envLimit     = "REPLICA_LIMIT"     // Moneroo's "requests" limit: count/per, such as 20/1s
	envHelloAsso = "REPLICA_HELLOASSO" // the HelloAsso simulator's origin
)

// Main runs a replica: it opens the store, serves the routes below on
// 127.0.0.1 at a free port, prints "listening <addr>" on stdout, and serves
// until it is killed.
//
//   - POST /webhooks/moneroo: payments.WebhookHandler over a Moneroo client,
//     with the shared event log. The handler reports each event to the
//     ledger; when the ledger answers "hang", it never returns (a replica
//     stuck mid-handler, to be killed).
//   - POST /verify?id=&for=&workers=: calls Verify on payment id from
//     workers goroutines until the duration ends, through the shared rate
//     limiter, and answers the counts of each outcome as JSON.
//   - POST /helloasso?id=&calls=: makes calls concurrent Verify calls on
//     HelloAsso's checkout intent id, with a client whose tokens are in the
//     shared token store, and answers how many failed.
func Main(open Open) {
	if err := run(open); err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		os.Exit(1)
	}
}

func run(open Open) error {
	ctx := context.Background()
	lease, err := time.ParseDuration(os.Getenv(envLease))
	if err != nil {
		return fmt.Errorf("%s: %w", envLease, err)
	}
	count, per, err := parseLimit(os.Getenv(envLimit))
	if err != nil {
		return err
	}
	stores, closeStores, err := open(ctx, os.Getenv(envStore), os.Getenv(envNamespace))
	if err != nil {
		return err
	}
	defer closeStores()
	client, err := moneroo.New(moneroo.Config{SecretKey: monerootest.SecretKey, WebhookSecret: monerootest.WebhookSecret},
		payments.WithBaseURL(os.Getenv(envMoneroo)), payments.WithRateLimiter(stores.RateLimiter),
		payments.WithProviderLimit("requests", count, per), payments.WithRetries(0))
	if err != nil {
		return err
	}
	ha, err := helloasso.New(helloasso.Config{
		ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug, TokenStore: stores.TokenStore,
	}, payments.WithBaseURL(os.Getenv(envHelloAsso)), payments.WithRetries(0))
	if err != nil {
		return err
	}
	r := &replica{name: os.Getenv(envName), ledger: os.Getenv(envLedger), client: client, helloasso: ha}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/moneroo", payments.WebhookHandler(client, r.handle,
		payments.WithEventLog(stores.EventLog), payments.WithLease(lease)))
	mux.HandleFunc("POST /verify", r.verify)
	mux.HandleFunc("POST /helloasso", r.helloAssoCalls)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", l.Addr())
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(l)
}

func parseLimit(s string) (int, time.Duration, error) {
	n, p, ok := strings.Cut(s, "/")
	count, err1 := strconv.Atoi(n)
	per, err2 := time.ParseDuration(p)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%s: %q is not count/duration", envLimit, s)
	}
	return count, per, nil
}

type replica struct {
	name, ledger string
	client       *moneroo.Client
	helloasso    *helloasso.Client
}

var ledgerClient = &http.Client{Timeout: 10 * time.Second}

// handle reports the event to the ledger, and hangs if told to.
func (r *replica) handle(ctx context.Context, ev *payments.Event) error {
	q := url.Values{"event": {ev.ID}, "replica": {r.name}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.ledger+"/handled?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := ledgerClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusAccepted: // "hang": stuck for ever, until the process is killed
		<-make(chan struct{})
	}
	return fmt.Errorf("the ledger answered %s", resp.Status)
}

// Outcomes counts what the Verify calls of a replica came to.
type Outcomes struct {
	OK           int    `json:"ok"`
	Provider429  int    `json:"provider_429"`  // the simulator refused: the limit was exceeded
	LimitRefused int    `json:"limit_refused"` // the shared limiter refused a turn past the deadline
	Other        int    `json:"other"`
	FirstOther   string `json:"first_other,omitempty"`
}

func (r *replica) verify(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	d, err1 := time.ParseDuration(q.Get("for"))
	workers, err2 := strconv.Atoi(q.Get("workers"))
	if err1 != nil || err2 != nil || workers < 1 || workers > 64 || d > time.Minute {
		http.Error(w, "bad for or workers", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), d)
	defer cancel()
	var mu sync.Mutex
	var out Outcomes
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := r.client.Verify(ctx, q.Get("id"))
				var pe *payments.Error
				mu.Lock()
				switch {
				case err == nil:
					out.OK++
				case errors.As(err, &pe) && pe.HTTPStatus == http.StatusTooManyRequests:
					out.Provider429++
				case errors.Is(err, payments.ErrRateLimited) && pe != nil && pe.NotSent:
					// The next turn comes after the run's end: this worker is done.
					out.LimitRefused++
					mu.Unlock()
					return
				case ctx.Err() != nil:
					// the run ended during the call
				default:
					out.Other++
					if out.FirstOther == "" {
						out.FirstOther = err.Error()
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// helloAssoCalls makes the HelloAsso calls, all at once, on a cold client.
func (r *replica) helloAssoCalls(w http.ResponseWriter, req *http.Request) {
	n, err := strconv.Atoi(req.URL.Query().Get("calls"))
	if err != nil || n < 1 || n > 5000 {
		http.Error(w, "bad calls", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), time.Minute)
	defer cancel()
	var failed atomic.Int32
	var first atomic.Pointer[string]
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := r.helloasso.Verify(ctx, req.URL.Query().Get("id")); err != nil {
				failed.Add(1)
				msg := err.Error()
				first.CompareAndSwap(nil, &msg)
			}
		}()
	}
	close(start)
	wg.Wait()
	out := map[string]any{"failed": failed.Load()}
	if p := first.Load(); p != nil {
		out["first_error"] = *p
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
