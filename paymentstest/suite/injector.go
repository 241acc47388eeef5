package suite

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// injector is an http.RoundTripper standing between an adapter and a
// working provider (its simulator): it forwards every request, except that
// the requests its armed fault matches get a broken or hostile answer. It
// knows nothing of the simulators; it sees HTTP only.
type injector struct {
	inner http.RoundTripper

	mu        sync.Mutex
	host      string // the provider's host; a request elsewhere is a leak
	fault     *fault
	match     func(r *http.Request, body []byte) bool
	askedID   string
	attempts  int // requests the armed fault matched
	forwarded int // of those, how many reached the provider
	foreign   []string
	creds     []string // credential header values seen, to echo and to look for
	rewritten int      // answers a rewrite fault actually changed
}

// credentialHeaders are the request headers whose values are credentials.
var credentialHeaders = []string{"Authorization", "Apikey", "Api-Key", "X-Api-Key", "Merchantid"}

func (in *injector) arm(f *fault, match func(*http.Request, []byte) bool, askedID string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.fault, in.match, in.askedID, in.attempts, in.forwarded, in.rewritten = f, match, askedID, 0, 0, 0
}

func (in *injector) disarm() (attempts, forwarded, rewritten int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.fault, in.match = nil, nil
	return in.attempts, in.forwarded, in.rewritten
}

// seen returns the credentials the adapter sent and the foreign requests.
func (in *injector) seen() (creds, foreign []string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.creds...), append([]string(nil), in.foreign...)
}

func (in *injector) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	in.mu.Lock()
	if in.host == "" {
		// The provider is wherever the adapter sends its first request.
		in.host = r.URL.Host
	}
	if r.URL.Host != in.host {
		in.foreign = append(in.foreign, r.Method+" "+r.URL.String()+" "+strings.Join(headerValues(r.Header), " "))
		in.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	for _, v := range headerValues(r.Header) {
		if !contains(in.creds, v) {
			in.creds = append(in.creds, v)
		}
	}
	f := in.fault
	if f != nil && in.match != nil && in.match(r, body) {
		in.attempts++
	} else {
		f = nil
	}
	asked := in.askedID
	in.mu.Unlock()

	forward := func() (*http.Response, error) {
		in.mu.Lock()
		in.forwarded++
		in.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		return in.inner.RoundTrip(r)
	}
	if f == nil {
		return in.inner.RoundTrip(r)
	}
	return f.answer(r, forward, asked, in)
}

// headerValues returns the credential header values of h, and the last
// word of each ("Bearer <token>" → the token).
func headerValues(h http.Header) []string {
	var out []string
	for _, name := range credentialHeaders {
		for _, v := range h.Values(name) {
			out = append(out, v)
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				out = append(out, v[i+1:])
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fault is one way a provider answers badly.
type fault struct {
	name string
	// answer produces the response (or transport error) for a matched
	// request; forward sends it to the working provider.
	answer func(r *http.Request, forward func() (*http.Response, error), askedID string, in *injector) (*http.Response, error)
}

func respond(r *http.Request, status int, header http.Header, body []byte) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	if header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/json")
	}
	return &http.Response{
		Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r,
	}
}

// fixed answers with status, header and body without forwarding.
func fixed(name string, status int, header http.Header, body string) *fault {
	return &fault{name: name, answer: func(r *http.Request, _ func() (*http.Response, error), _ string, _ *injector) (*http.Response, error) {
		return respond(r, status, header.Clone(), []byte(body)), nil
	}}
}

// rewrite forwards the request and changes the answer's body with edit.
func rewrite(name string, edit func(body []byte, askedID string) []byte) *fault {
	return &fault{name: name, answer: func(r *http.Request, forward func() (*http.Response, error), asked string, in *injector) (*http.Response, error) {
		resp, err := forward()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		edited := edit(b, asked)
		if !bytes.Equal(edited, b) {
			in.mu.Lock()
			in.rewritten++
			in.mu.Unlock()
		}
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(edited)), int64(len(edited))
		resp.Header.Del("Content-Length")
		return resp, nil
	}}
}

// retype forwards the request and serves the answer as another media type.
func retype(name, contentType string) *fault {
	return &fault{name: name, answer: func(r *http.Request, forward func() (*http.Response, error), _ string, _ *injector) (*http.Response, error) {
		resp, err := forward()
		if err == nil {
			resp.Header.Set("Content-Type", contentType)
		}
		return resp, err
	}}
}

// transport fails the exchange; after says whether the request reached the
// provider first.
func transport(name string, after bool, err error) *fault {
	return &fault{name: name, answer: func(r *http.Request, forward func() (*http.Response, error), _ string, _ *injector) (*http.Response, error) {
		if after {
			resp, ferr := forward()
			if ferr == nil {
				resp.Body.Close()
			}
		}
		return nil, err
	}}
}

// hang forwards the request, then answers nothing: headers slower than
// the client's timeout. It waits for the attempt's deadline, or fails as a
// transport's read deadline would after a moment, whichever comes first,
// so that the suite need not run every cell with a tiny timeout.
func hang(name string) *fault {
	return &fault{name: name, answer: func(r *http.Request, forward func() (*http.Response, error), _ string, _ *injector) (*http.Response, error) {
		resp, err := forward()
		if err == nil {
			resp.Body.Close()
		}
		t := time.NewTimer(hangFor)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return nil, r.Context().Err()
		case <-t.C:
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
		}
	}}
}

// hangFor is how long a hanging answer waits before its read deadline.
const hangFor = 200 * time.Millisecond

// echo answers with the credentials the adapter sent and the harness's
// secrets, written as a careless provider would write them back: as they
// are, JSON-escaped, URL-encoded and base64-encoded. With status 200 the
// echo is added to the provider's real answer.
func echo(name string, status int, secrets []string) *fault {
	return &fault{name: name, answer: func(r *http.Request, forward func() (*http.Response, error), _ string, in *injector) (*http.Response, error) {
		creds, _ := in.seen()
		all := append(append([]string(nil), secrets...), creds...)
		if status != http.StatusOK {
			return respond(r, status, nil, echoBody(all, nil)), nil
		}
		resp, err := forward()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		b = echoBody(all, b)
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		resp.Header.Del("Content-Length")
		return resp, nil
	}}
}

// echoBody returns a JSON object echoing every secret in every encoding,
// merged into the object base when there is one.
func echoBody(secrets []string, base []byte) []byte {
	m := map[string]any{}
	if base != nil && json.Unmarshal(base, &m) != nil {
		m = map[string]any{}
	}
	var lines []string
	for _, s := range secrets {
		for _, f := range encodings(s) {
			lines = append(lines, f)
		}
	}
	m["echo"] = lines                                                   // JSON-escaped by the encoder
	m["message"] = "invalid credentials: " + strings.Join(secrets, " ") // as they are, in a message
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if enc.Encode(m) != nil {
		return []byte(`{}`)
	}
	// A raw copy too, outside any JSON string escaping.
	out := bytes.TrimRight(buf.Bytes(), "\n")
	raw := strings.Join(secrets, "&")
	return append(out[:len(out)-1], []byte(`,"raw":"`+strings.ReplaceAll(raw, `"`, `'`)+`"}`)...)
}
