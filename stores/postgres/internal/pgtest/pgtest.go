// Package pgtest starts Debian's PostgreSQL for the tests of this module:
// a cluster made by initdb in a temporary directory, served on 127.0.0.1
// at a free port (no Unix socket), with durability off for speed, stopped
// and removed when the test ends. initdb and postgres refuse to run as
// root: a test running as root (as CI does) runs them as the postgres user
// that Debian's package creates.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Server is a PostgreSQL server started for a test.
type Server struct {
	// Port is where it listens, on 127.0.0.1.
	Port int

	dir    string
	cred   *syscall.Credential // whom the server runs as; nil: this process's user
	mu     sync.Mutex
	proc   *os.Process   // nil once stopped
	exited chan struct{} // closed when proc has exited
	out    *bytes.Buffer
}

// Bin returns the directory of initdb and postgres (the newest of
// /usr/lib/postgresql/*/bin, else the PATH's), or an error that says how to
// install them.
func Bin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("pgtest: PostgreSQL's initdb is not installed: run `make servers` (Debian: apt-get install postgresql)")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// Start makes a cluster and starts its server for t, stopping it and
// removing its files when t ends, even if t fails.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if s != nil {
		t.Cleanup(s.remove)
	}
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

// URL returns the connection URL of the server's postgres database.
func (s *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", s.Port)
}

// Pool returns a connection pool to the server, closed when t ends.
func (s *Server) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(context.Background(), s.URL())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// Stop shuts the server down at once (PostgreSQL's immediate shutdown) and
// waits for it; a stopped server stays stopped. Clients get errors from
// then on.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	_ = s.proc.Signal(syscall.SIGQUIT)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.proc.Pid, syscall.SIGKILL) // the server and its children
		<-s.exited
	}
	s.proc = nil
}

func (s *Server) remove() {
	s.Stop()
	_ = os.RemoveAll(s.dir)
}

func start() (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	if os.Geteuid() == 0 {
		if s.cred, err = unprivileged(); err != nil {
			return s, err
		}
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return s, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	initdb.Env = append(os.Environ(), "HOME="+dir)
	if out, err := initdb.CombinedOutput(); err != nil {
		return s, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for range 3 { // another process may take the free port first
		if s.Port, err = freePort(); err == nil {
			if err = s.run(bin, data); err == nil {
				return s, nil
			}
		}
	}
	return s, err
}

func (s *Server) run(bin, data string) error {
	out := &bytes.Buffer{}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(s.Port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "log_min_messages=warning")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), "HOME="+s.dir)
	cmd.SysProcAttr = procAttr(s.cred)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port))
		if err == nil {
			err = c.Ping(ctx)
			_ = c.Close(ctx)
		}
		cancel()
		if err == nil {
			break
		}
		select {
		case <-exited:
			return fmt.Errorf("postgres exited: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
			return fmt.Errorf("postgres did not answer within 30s: %v\n%s", err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	s.proc, s.exited, s.out = cmd.Process, exited, out
	s.mu.Unlock()
	return nil
}

// unprivileged returns the credential of the postgres user, or of nobody.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
		}
	}
	return nil, fmt.Errorf("running as root, and no postgres or nobody user to run PostgreSQL as")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
