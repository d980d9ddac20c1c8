package tallyfy

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
)

const (
	testToken = "tok-9f8e7d6c5b4a-SECRET-do-not-print"
	testOrg   = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	testRun   = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
	runPath   = "/api/organizations/" + testOrg + "/runs/" + testRun + "/tasks"
	orgPath   = "/api/organizations/" + testOrg + "/tasks"
)

// seenRequest is what a stub server saw of one request.
type seenRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
}

// stub is an httptest server on loopback that hands each request, with its
// 0-based index, to a handler and remembers what it saw.
type stub struct {
	t      *testing.T
	server *httptest.Server
	mu     sync.Mutex
	seen   []seenRequest
}

func newStub(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *stub {
	t.Helper()
	s := &stub{t: t}
	s.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := len(s.seen)
		s.seen = append(s.seen, seenRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone()})
		s.mu.Unlock()
		handler(w, r, n)
	}))
	t.Cleanup(s.server.Close)
	return s
}

func (s *stub) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// sleeps is a clock that only moves when the client sleeps: it records
// the waits of a client's retries and of its rate budget instead of
// sleeping, and moves its time on by each.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
	at    time.Time // the clock's time
}

func newSleeps(at time.Time) *sleeps { return &sleeps{at: at} }

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.at = s.at.Add(d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.at
}

// install makes c sleep and read the time by s.
func (s *sleeps) install(c *Client) {
	c.doer.sleep, c.doer.now = s.sleep, s.now
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient returns a client of s's server (base path /api) whose
// retries do not really sleep; the waits are recorded in the returned
// sleeps, whose clock is the client's. Pacing is off unless opts set it.
func newTestClient(t *testing.T, s *stub, opts ...Option) (*Client, *sleeps) {
	t.Helper()
	c, err := NewClient(testToken, append([]Option{WithBaseURL(s.server.URL + "/api"), WithRateLimit(0, 0)}, opts...)...)
	require.NoError(t, err)
	sl := newSleeps(time.Now())
	sl.install(c)
	return c, sl
}

// assertRequest checks the method, the path and the exact raw query of a request.
func assertRequest(t *testing.T, got seenRequest, method, path, rawQuery string) {
	t.Helper()
	assert.Equal(t, method, got.Method, "method")
	assert.Equal(t, path, got.Path, "path")
	assert.Equal(t, rawQuery, got.RawQuery, "raw query")
}

// writeBody writes a response with a status, a content type and extra headers (name, value pairs).
func writeBody(w http.ResponseWriter, status int, contentType, body string, headers ...string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		w.Header().Set(headers[i], headers[i+1])
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func writeJSON(w http.ResponseWriter, status int, body string, headers ...string) {
	writeBody(w, status, "application/json", body, headers...)
}

// taskJSON is a valid task whose title is "Task <i>".
func taskJSON(i int) string {
	return fmt.Sprintf(`{"id":"%032x","increment_id":%d,"title":"Task %d","run_id":%q,"status":"not-started",`+
		`"position":%d,"owners":{"users":[1234],"guests":[],"groups":[]},"deadline":null,`+
		`"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-21T10:15:00.000Z"}`, i, 1000+i, i, testRun, i)
}

// pageJSON is page current of total of a list whose pages hold perPage tasks each.
func pageJSON(first, count, current, total, perPage, totalTasks int, links string) string {
	tasks := make([]string, 0, count)
	for i := first; i < first+count; i++ {
		tasks = append(tasks, taskJSON(i))
	}
	return fmt.Sprintf(`{"data":[%s],"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":%d,"total_pages":%d,"links":%s}}}`,
		strings.Join(tasks, ","), totalTasks, count, perPage, current, total, links)
}

// drain consumes a whole sequence, never breaking, and returns the titles
// and the errors it yielded: an iterator must stop by itself after one error.
func drain(seq iter.Seq2[gen.Task, error]) (titles []string, errs []error) {
	for task, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		titles = append(titles, task.Title)
	}
	return titles, errs
}

func titlesFrom(first, count int) []string {
	out := make([]string, 0, count)
	for i := first; i < first+count; i++ {
		out = append(out, fmt.Sprintf("Task %d", i))
	}
	return out
}

// atoiOr reads a whole number, or returns def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
