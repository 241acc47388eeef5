// Package redistest starts Debian's redis-server for the tests of this
// module: on 127.0.0.1, at a free port, with no persistence and a
// temporary directory, stopped when the test ends.
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server started for a test.
type Server struct {
	// Addr is where it listens: 127.0.0.1 and its port.
	Addr string

	dir    string
	args   []string // given to redis-server after the defaults
	mu     sync.Mutex
	proc   *os.Process   // nil once stopped
	exited chan struct{} // closed when proc has exited
}

// Binary returns the path of redis-server, or an error that says how to
// install it.
func Binary() (string, error) {
	p, err := exec.LookPath("redis-server")
	if err != nil {
		return "", fmt.Errorf("redistest: redis-server is not installed: run `make servers` (Debian: apt-get install redis-server): %w", err)
	}
	return p, nil
}

// Start starts a redis-server for t and stops it when t ends, even if t
// fails.
func Start(t testing.TB) *Server {
	t.Helper()
	return startWith(t)
}

// StartCluster starts a redis-server for t in cluster mode, one node
// serving every slot, and stops it when t ends. Redis refuses a command or
// script whose keys lie in different slots (CROSSSLOT) even on one node, so
// a store that works here keeps to the cluster's rules.
func StartCluster(t testing.TB) *Server {
	t.Helper()
	s := startWith(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	defer c.Close()
	ctx := context.Background()
	if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatalf("redistest: cluster slots: %v", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("redistest: the cluster is not ok within 15s: %v\n%s", err, info)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ClusterClient returns a cluster client of a server StartCluster started,
// closed when t ends.
func (s *Server) ClusterClient(t testing.TB) *redis.ClusterClient {
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{s.Addr}, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func startWith(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{dir: t.TempDir(), args: args}
	t.Cleanup(s.Stop)
	var err error
	for range 3 { // another process may take the free port first
		var port int
		if port, err = freePort(); err == nil {
			s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
			if err = s.start(); err == nil {
				return s
			}
		}
	}
	t.Fatalf("redistest: %v", err)
	return nil
}

// Stop kills the server and waits for it to exit; a stopped server stays
// stopped. Clients get errors from then on.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	_ = s.proc.Kill()
	<-s.exited
	s.proc = nil
}

// Restart starts the server again at the same address, empty.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	if err := s.start(); err != nil {
		t.Fatalf("redistest: restart: %v", err)
	}
}

// Client returns a client of the server, closed when t ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// URL returns the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

func (s *Server) start() error {
	bin, err := Binary()
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	out := &bytes.Buffer{}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--daemonize", "no", "--loglevel", "warning")
	cmd.Args = append(cmd.Args, s.args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting redis-server: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: time.Second})
	defer c.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			break
		}
		select {
		case <-exited:
			return fmt.Errorf("redis-server exited: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server did not answer within 15s: %v\n%s", err, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.mu.Lock()
	s.proc, s.exited = cmd.Process, exited
	s.mu.Unlock()
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
