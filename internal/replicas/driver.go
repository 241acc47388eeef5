package replicas

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/helloasso"
	"github.com/unipay/payments/helloasso/helloassotest"
	"github.com/unipay/payments/moneroo/monerootest"
)

// Config says how to run the replicas of one store.
type Config struct {
	// Package is the replica's main package, built with go build from the
	// test's directory: "./internal/replica".
	Package string
	// StoreURL is the shared store's URL, as the replica's Open takes it.
	StoreURL string
	// Namespace returns a fresh key prefix or schema on the store.
	Namespace func(t *testing.T) string
}

// Replica is a replica process.
type Replica struct {
	Name string
	URL  string // http://127.0.0.1:port

	cmd    *exec.Cmd
	exited chan struct{}
	stderr *bytes.Buffer
}

// build compiles the replica program into t's temporary directory (the
// build cache makes it quick after the first).
func build(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "replica")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goTool, "build", "-o", bin, pkg).CombinedOutput()
	require.NoError(t, err, "go build %s: %s", pkg, out)
	return bin
}

// start starts n replicas sharing the store under namespace, and stops them
// when t ends.
func start(t *testing.T, cfg Config, n int, env map[string]string) []*Replica {
	t.Helper()
	bin := build(t, cfg.Package)
	namespace := cfg.Namespace(t)
	var out []*Replica
	for i := range n {
		r := &Replica{Name: fmt.Sprint("replica-", i), exited: make(chan struct{}), stderr: &bytes.Buffer{}}
		r.cmd = exec.Command(bin)
		r.cmd.Env = append(os.Environ(), envStore+"="+cfg.StoreURL, envNamespace+"="+namespace, envName+"="+r.Name)
		for k, v := range env {
			r.cmd.Env = append(r.cmd.Env, k+"="+v)
		}
		r.cmd.Stderr = r.stderr
		r.cmd.SysProcAttr = procAttr()
		stdout, err := r.cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, r.cmd.Start())
		t.Cleanup(r.Kill)
		lines := make(chan string, 1)
		go func() {
			s := bufio.NewScanner(stdout)
			if s.Scan() {
				lines <- s.Text()
			}
			_, _ = io.Copy(io.Discard, stdout)
		}()
		go func() { _ = r.cmd.Wait(); close(r.exited) }()
		select {
		case line := <-lines:
			addr, ok := strings.CutPrefix(line, "listening ")
			require.True(t, ok, "replica %d said %q", i, line)
			r.URL = "http://" + addr
		case <-r.exited:
			require.Fail(t, "replica exited", "%s: %s", r.Name, r.stderr)
		case <-time.After(30 * time.Second):
			require.Fail(t, "replica did not start", "%s: %s", r.Name, r.stderr)
		}
		out = append(out, r)
	}
	return out
}

// Kill sends SIGKILL to the replica and waits for it to exit.
func (r *Replica) Kill() {
	_ = r.cmd.Process.Kill()
	<-r.exited
}

// ledger records which replica handled which event. Events in hang make
// the first replica that reports them hang.
type ledger struct {
	srv     *httptest.Server
	mu      sync.Mutex
	handled map[string][]string // event → replicas that handled it
	hang    map[string]bool
	hung    chan string // the replica that hung
}

func newLedger(t *testing.T) *ledger {
	l := &ledger{handled: map[string][]string{}, hang: map[string]bool{}, hung: make(chan string, 1)}
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, rep := r.URL.Query().Get("event"), r.URL.Query().Get("replica")
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.hang[ev] {
			delete(l.hang, ev)
			l.hung <- rep
			w.WriteHeader(http.StatusAccepted)
			return
		}
		l.handled[ev] = append(l.handled[ev], rep)
	}))
	t.Cleanup(l.srv.Close)
	return l
}

func (l *ledger) get(ev string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.handled[ev])
}

// delivery is a signed webhook Moneroo would send.
type delivery struct {
	event  string // the event's id, as moneroo.ParseWebhook names it
	header http.Header
	body   []byte
}

// paidWebhooks creates and pays n payments on sim and returns the webhook
// of each.
func paidWebhooks(t *testing.T, sim *monerootest.Server, n int) []delivery {
	t.Helper()
	sim.SetRateLimit(0)
	c, err := sim.NewClient(payments.WithProviderLimit("requests", 0, time.Minute))
	require.NoError(t, err)
	ctx := context.Background()
	out := make([]delivery, n)
	for i := range out {
		s, err := c.Create(ctx, payments.CreateRequest{
			Amount: payments.Money{Amount: 5000, Currency: "XOF"}, Reference: fmt.Sprint("order-", i),
			ReturnURL: "https://shop.example/return", Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		})
		require.NoError(t, err)
		require.NoError(t, sim.Pay(s.ID))
		h, body, err := sim.Webhook(s.ID)
		require.NoError(t, err)
		ev, err := c.ParseWebhook(h, body)
		require.NoError(t, err)
		out[i] = delivery{event: ev.ID, header: h, body: body}
	}
	return out
}

var deliverer = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func deliver(r *Replica, d delivery) (int, error) {
	req, err := http.NewRequest(http.MethodPost, r.URL+"/webhooks/moneroo", bytes.NewReader(d.body))
	if err != nil {
		return 0, err
	}
	req.Header = d.header.Clone()
	resp, err := deliverer.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// WebhooksHandledOnce delivers 1,000 events 3 times each, the 3 at once,
// to random replicas of 3: each is handled exactly once.
func WebhooksHandledOnce(t *testing.T, cfg Config) {
	sim := monerootest.NewServer()
	t.Cleanup(sim.Close)
	const events, copies, inFlight = 1000, 3, 16
	webhooks := paidWebhooks(t, sim, events)
	led := newLedger(t)
	reps := start(t, cfg, 3, map[string]string{envMoneroo: sim.URL, envLedger: led.srv.URL, envLease: "1m", envLimit: "0/1m"})

	var mu sync.Mutex
	codes := map[int]int{}
	acked := make([]bool, events)
	sem := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	begin := time.Now()
	for i, d := range webhooks {
		sem <- struct{}{}
		var each sync.WaitGroup
		for range copies {
			each.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer each.Done()
				code, err := deliver(reps[rand.IntN(len(reps))], d)
				assert.NoError(t, err)
				mu.Lock()
				codes[code]++
				if code == http.StatusOK {
					acked[i] = true
				}
				mu.Unlock()
			}()
		}
		go func() { each.Wait(); <-sem }()
	}
	wg.Wait()
	took := time.Since(begin)
	t.Logf("%d deliveries to %d replicas in %s: answers %v", events*copies, len(reps), took.Round(time.Millisecond), codes)
	assert.Equal(t, events*copies, codes[http.StatusOK]+codes[http.StatusServiceUnavailable],
		"every delivery is handled, already handled (200) or in progress (503, delivered again later): %v", codes)

	// The provider delivers again what no delivery acknowledged.
	for i, d := range webhooks {
		if !acked[i] {
			code, err := deliver(reps[rand.IntN(len(reps))], d)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, code, "a later delivery of %s", d.event)
		}
	}
	byReplica := map[string]int{}
	for _, d := range webhooks {
		got := led.get(d.event)
		if assert.Len(t, got, 1, "event %s handled by %v", d.event, got) {
			byReplica[got[0]]++
		}
	}
	t.Logf("events handled per replica: %v", byReplica)
	for _, d := range webhooks[:50] {
		code, err := deliver(reps[rand.IntN(len(reps))], d)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, code, "a redelivery of a handled event is acknowledged")
		assert.Len(t, led.get(d.event), 1, "and not handled again")
	}
}

// KilledReplica has a replica killed with SIGKILL in the middle of its
// handler: another replica handles the event once the lease has passed.
func KilledReplica(t *testing.T, cfg Config) {
	sim := monerootest.NewServer()
	t.Cleanup(sim.Close)
	const lease = 2 * time.Second
	d := paidWebhooks(t, sim, 1)[0]
	led := newLedger(t)
	led.hang[d.event] = true
	reps := start(t, cfg, 3, map[string]string{envMoneroo: sim.URL, envLedger: led.srv.URL, envLease: lease.String(), envLimit: "0/1m"})

	claimed := time.Now()
	go func() { _, _ = deliver(reps[0], d) }() // its answer never comes: the replica dies
	select {
	case name := <-led.hung:
		require.Equal(t, reps[0].Name, name)
	case <-time.After(20 * time.Second):
		require.Fail(t, "the first replica never ran its handler")
	}
	reps[0].Kill()
	t.Logf("%s killed with SIGKILL %s after the delivery", reps[0].Name, time.Since(claimed).Round(time.Millisecond))

	code, err := deliver(reps[1], d)
	require.NoError(t, err)
	if time.Since(claimed) < lease-200*time.Millisecond {
		assert.Equal(t, http.StatusServiceUnavailable, code, "within the lease, the event is in progress: deliver again later")
	}
	deadline := time.Now().Add(lease + 20*time.Second)
	for code != http.StatusOK && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		code, err = deliver(reps[1+rand.IntN(2)], d)
		require.NoError(t, err)
	}
	took := time.Since(claimed)
	require.Equal(t, http.StatusOK, code, "after the lease, another replica handles the event")
	assert.GreaterOrEqual(t, took, lease-100*time.Millisecond, "taken over only once the lease passed")
	got := led.get(d.event)
	require.Len(t, got, 1, "handled once")
	assert.NotEqual(t, reps[0].Name, got[0])
	t.Logf("handled by %s %s after the first delivery", got[0], took.Round(time.Millisecond))
	code, err = deliver(reps[2], d)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, code)
	assert.Len(t, led.get(d.event), 1, "a redelivery is not handled again")
}

// SharedRateLimit has 3 replicas call Moneroo's simulator as fast as their
// shared limiter lets them, under one limit of 20 requests a second: at
// the simulator, no second holds more than 20 requests, and the simulator
// (set to refuse beyond what one limit allows) never answers 429.
func SharedRateLimit(t *testing.T, cfg Config) {
	sim := monerootest.NewServer()
	t.Cleanup(sim.Close)
	pay := paidWebhooks(t, sim, 1)[0]
	var ev struct {
		Data struct{ ID string } `json:"data"`
	}
	require.NoError(t, json.Unmarshal(pay.body, &ev))

	lim := payments.Limit{Count: 20, Per: time.Second}
	const run = 3 * time.Second
	most := lim.BurstSize() + int(run/lim.Interval()) + 1
	sim.SetRateLimit(most) // its window is a minute: the whole run

	// A front door records when each request reaches the simulator.
	var mu sync.Mutex
	var arrivals []time.Time
	target, err := url.Parse(sim.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)

	led := newLedger(t)
	reps := start(t, cfg, 3, map[string]string{envMoneroo: front.URL, envLedger: led.srv.URL, envLease: "1m",
		envLimit: fmt.Sprintf("%d/%s", lim.Count, lim.Per)})
	outcomes := make([]Outcomes, len(reps))
	var wg sync.WaitGroup
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(r.URL+"/verify?"+url.Values{"id": {ev.Data.ID}, "for": {run.String()}, "workers": {"4"}}.Encode(), "", nil)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.NoError(t, json.NewDecoder(resp.Body).Decode(&outcomes[i]))
		}()
	}
	wg.Wait()
	// Close the front door, waiting for requests still on their way (a call
	// whose replica gave up at the end of the run may have reached it), and
	// only then read what it recorded.
	front.Close()
	mu.Lock()
	arrivals = slices.Clone(arrivals)
	mu.Unlock()
	total := Outcomes{}
	for _, o := range outcomes {
		total.OK += o.OK
		total.Provider429 += o.Provider429
		total.LimitRefused += o.LimitRefused
		total.Other += o.Other
		assert.Zero(t, o.Other, "unexpected errors: %s", o.FirstOther)
	}
	t.Logf("3 replicas × 4 workers for %s under %d/%s: per replica %+v; %d requests reached the simulator (at most %d allowed)",
		run, lim.Count, lim.Per, outcomes, len(arrivals), most)
	assert.Zero(t, total.Provider429, "the simulator never had to refuse")
	assert.LessOrEqual(t, len(arrivals), most, "together the replicas keep to the one limit")
	assert.GreaterOrEqual(t, len(arrivals), most/2, "and use it")
	// Every call that succeeded arrived; a call still in flight when its
	// worker stopped (one per worker at most) may have arrived unanswered.
	assert.GreaterOrEqual(t, len(arrivals), total.OK)
	assert.LessOrEqual(t, len(arrivals), total.OK+len(reps)*4)
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	busiest := 0
	for i := range arrivals {
		n := 0
		for j := i; j < len(arrivals) && arrivals[j].Sub(arrivals[i]) < lim.Per; j++ {
			n++
		}
		busiest = max(busiest, n)
	}
	t.Logf("the busiest second at the simulator held %d requests", busiest)
	assert.LessOrEqual(t, busiest, lim.Count+1, "requests in any window of %s at the simulator (one of slack for a late wake-up)", lim.Per)
}

// OneToken has 3 cold replicas make 1,000 HelloAsso calls each, all at
// once: the simulator's token endpoint gets one request, whose token every
// call uses.
func OneToken(t *testing.T, cfg Config) {
	sim := helloassotest.NewServer()
	t.Cleanup(sim.Close)
	direct, err := helloasso.New(helloasso.Config{ClientID: helloassotest.ClientID, ClientSecret: helloassotest.ClientSecret,
		OrganizationSlug: helloassotest.OrganizationSlug}, payments.WithBaseURL(sim.URL))
	require.NoError(t, err)
	s, err := direct.Create(context.Background(), payments.CreateRequest{
		Amount: payments.Money{Amount: 1500, Currency: "EUR"}, Reference: "order-1", Description: "Adhésion",
		ReturnURL: "https://shop.example/return", Customer: &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
	})
	require.NoError(t, err, "an intent to read, made without the replicas")

	// A front door counts the replicas' token requests, refused ones too.
	var tokenRequests, apiRequests atomic.Int32
	target, err := url.Parse(sim.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			tokenRequests.Add(1)
		} else {
			apiRequests.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	issuedBefore := sim.TokensIssued()

	led := newLedger(t)
	reps := start(t, cfg, 3, map[string]string{envMoneroo: "http://127.0.0.1:1", envHelloAsso: front.URL,
		envLedger: led.srv.URL, envLease: "1m", envLimit: "0/1m"})
	const calls = 1000
	var wg sync.WaitGroup
	for _, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(r.URL+"/helloasso?"+url.Values{"id": {s.ID}, "calls": {fmt.Sprint(calls)}}.Encode(), "", nil)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			var out struct {
				Failed     int    `json:"failed"`
				FirstError string `json:"first_error"`
			}
			assert.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
			assert.Zero(t, out.Failed, "%s: failed calls, the first: %s", r.Name, out.FirstError)
		}()
	}
	wg.Wait()
	t.Logf("%d replicas × %d cold calls: %d API requests, %d token requests, %d tokens issued",
		len(reps), calls, apiRequests.Load(), tokenRequests.Load(), sim.TokensIssued()-issuedBefore)
	assert.Equal(t, int32(len(reps)*calls), apiRequests.Load())
	assert.Equal(t, int32(1), tokenRequests.Load(), "one token request for all the replicas")
	assert.Equal(t, 1, sim.TokensIssued()-issuedBefore)
}
