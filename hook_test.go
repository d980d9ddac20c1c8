package tallyfy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// recordingHook records what a client offers it. sample, if set, decides
// which responses it observes; it samples all of them otherwise.
type recordingHook struct {
	sample func(op string, status int) bool

	mu      sync.Mutex
	offered []string // "operation status" of every Sample call
	got     []ObservedResponse
}

func (h *recordingHook) Sample(op string, status int) bool {
	h.mu.Lock()
	h.offered = append(h.offered, fmt.Sprintf("%s %d", op, status))
	h.mu.Unlock()
	return h.sample == nil || h.sample(op, status)
}

func (h *recordingHook) Observe(r ObservedResponse) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, r)
}

func (h *recordingHook) observed() []ObservedResponse {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]ObservedResponse(nil), h.got...)
}

// pagesByNumber serves three pages and remembers each body it sent.
type pagesByNumber struct {
	mu     sync.Mutex
	bodies map[string]string
}

func (p *pagesByNumber) serve(w http.ResponseWriter, r *http.Request) {
	rec := &bodyRecorder{ResponseWriter: w}
	threePages(rec, r)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bodies == nil {
		p.bodies = map[string]string{}
	}
	p.bodies[r.URL.Query().Get("page")] = rec.buf.String()
}

func (p *pagesByNumber) body(page string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bodies[page]
}

type bodyRecorder struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (b *bodyRecorder) Write(p []byte) (int, error) {
	b.buf.Write(p)
	return b.ResponseWriter.Write(p)
}

func TestTheHookObservesEveryPageOfAListing(t *testing.T) {
	pages := &pagesByNumber{}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { pages.serve(w, r) })
	hook := &recordingHook{}
	c, _ := newTestClient(t, s, WithResponseHook(hook))

	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 5), titles, "the listing is unaffected")

	got := hook.observed()
	require.Len(t, got, 3, "one observation per page")
	for i, r := range got {
		page := fmt.Sprint(i + 1)
		assert.Equal(t, "listRunTasks", r.Operation)
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, s.server.URL+runPath+"?page="+page, r.URL)
		assert.Equal(t, http.StatusOK, r.StatusCode)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "APIClient", r.RequestHeader.Get("X-Tallyfy-Client"))
		assert.Empty(t, r.RequestHeader.Values("Authorization"), "the hook never sees the Authorization header")
		assert.False(t, r.Truncated)
		assert.Equal(t, pages.body(page), string(r.Body), "the body as it went over the wire")
	}
	assert.Equal(t, []string{"listRunTasks 200", "listRunTasks 200", "listRunTasks 200"}, hook.offered)
}

func TestTheHookKnowsTheOperationOfEachMethod(t *testing.T) {
	tests := []struct {
		name string
		call func(c *Client) error
		want string
	}{
		{"OrgTasks", func(c *Client) error {
			_, errs := drain(c.OrgTasks(context.Background(), testOrg, nil))
			return firstErr(errs)
		}, "listOrgTasks"},
		{"RunTasks", func(c *Client) error {
			_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			return firstErr(errs)
		}, "listRunTasks"},
		{"ListRunTasks", func(c *Client) error {
			_, _, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
			return err
		}, "listRunTasks"},
		{"ListOrgTasks", func(c *Client) error {
			_, _, err := c.ListOrgTasks(context.Background(), testOrg, nil)
			return err
		}, "listOrgTasks"},
		{"a generated method called directly", func(c *Client) error {
			resp, err := c.Generated().ListOrgTasksWithResponse(context.Background(), testOrg, nil)
			if err == nil && resp.JSON200 == nil {
				err = fmt.Errorf("no JSON200")
			}
			return err
		}, "listOrgTasks"},
		{"a generated run-tasks method called directly", func(c *Client) error {
			resp, err := c.Generated().ListRunTasksWithResponse(context.Background(), testOrg, testRun, nil)
			if err == nil && resp.JSON200 == nil {
				err = fmt.Errorf("no JSON200")
			}
			return err
		}, "listRunTasks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
			})
			hook := &recordingHook{}
			c, _ := newTestClient(t, s, WithResponseHook(hook))
			require.NoError(t, tt.call(c))
			got := hook.observed()
			require.Len(t, got, 1)
			assert.Equal(t, tt.want, got[0].Operation)
			assert.False(t, got[0].Truncated)
		})
	}
}

func firstErr(errs []error) error {
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

func TestErrorResponsesAndRetriedAttemptsAreObserved(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, http.StatusServiceUnavailable, `{"message":"down for a moment"}`)
		case 1:
			writeJSON(w, 200, pageJSON(1, 2, 1, 2, 2, 3, "[]"))
		default:
			writeJSON(w, http.StatusNotFound, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`)
		}
	})
	hook := &recordingHook{}
	c, _ := newTestClient(t, s, WithResponseHook(hook))

	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Equal(t, titlesFrom(1, 2), titles)
	require.Len(t, errs, 1)

	got := hook.observed()
	require.Len(t, got, 3, "the 503, the page after its retry, and the 404")
	var statuses []int
	for _, r := range got {
		statuses = append(statuses, r.StatusCode)
		assert.False(t, r.Truncated)
	}
	assert.Equal(t, []int{503, 200, 404}, statuses)
	assert.JSONEq(t, `{"message":"down for a moment"}`, string(got[0].Body))
	assert.JSONEq(t, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`, string(got[2].Body))
}

func TestBodiesThatAreNotWholeReachTheHookTruncated(t *testing.T) {
	big := pageJSON(1, 40, 1, 1, 40, 40, "[]")
	tests := []struct {
		name  string
		limit int64
		serve func(w http.ResponseWriter)
		stop  int // break out of the loop after this many tasks (0: never)
		want  bool
	}{
		{"within the limit", int64(len(big)), func(w http.ResponseWriter) { writeJSON(w, 200, big) }, 0, false},
		{"over the limit, length announced", int64(len(big)) - 1, func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			writeJSON(w, 200, big)
		}, 0, true},
		{"over the limit, chunked", int64(len(big)) - 1, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, big[:100])
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, big[100:])
		}, 0, true},
		{"the loop breaks before the end", DefaultObservedBodyLimit, func(w http.ResponseWriter) { writeJSON(w, 200, big) }, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { tt.serve(w) })
			hook := &recordingHook{}
			c, _ := newTestClient(t, s, WithResponseHook(hook), WithObservedBodyLimit(tt.limit))
			n := 0
			for _, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
				require.NoError(t, err)
				if n++; n == tt.stop {
					break
				}
			}
			if tt.stop == 0 {
				assert.Equal(t, 40, n, "the listing is unaffected")
			}
			got := hook.observed()
			require.Len(t, got, 1)
			assert.Equal(t, tt.want, got[0].Truncated)
			if tt.want {
				assert.Nil(t, got[0].Body, "never a partial body")
			} else {
				assert.Equal(t, big, string(got[0].Body))
			}
		})
	}
}

func TestAResponseTheHookDoesNotSampleIsNotCopied(t *testing.T) {
	body := &trackedBody{Reader: strings.NewReader(pageJSON(1, 1, 1, 1, 10, 1, "[]"))}
	hook := &recordingHook{sample: func(string, int) bool { return false }}
	c := clientOverBody(t, body, WithResponseHook(hook))

	resp := doList(t, c)
	assert.Same(t, body, resp.Body, "the body is not wrapped")
	_, _ = io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.Empty(t, hook.observed())
	assert.Equal(t, []string{"listRunTasks 200"}, hook.offered, "it was offered")
}

func TestWithoutAHookNothingIsObserved(t *testing.T) {
	body := &trackedBody{Reader: strings.NewReader(pageJSON(1, 1, 1, 1, 10, 1, "[]"))}
	c := clientOverBody(t, body)

	resp := doList(t, c)
	assert.Same(t, body, resp.Body, "no tee")
	require.NoError(t, resp.Body.Close())

	ctx := context.Background()
	assert.Equal(t, ctx, withOperation(ctx, c.doer.hook, opListRunTasks), "no context value")
	allocs := testing.AllocsPerRun(100, func() { _ = withOperation(ctx, c.doer.hook, opListRunTasks) })
	assert.Zero(t, allocs, "naming the operation costs nothing without a hook")
}

// trackedBody is a body whose identity a test can check.
type trackedBody struct {
	io.Reader
	closed bool
}

func (b *trackedBody) Close() error { b.closed = true; return nil }

// clientOverBody returns a client whose transport answers one 200 with
// body, without a timeout (so the doer adds no wrapper of its own).
func clientOverBody(t *testing.T, body io.ReadCloser, opts ...Option) *Client {
	t.Helper()
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Request: req, ContentLength: -1}, nil
	})
	c, err := NewClient(testToken, append([]Option{WithHTTPClient(&http.Client{Transport: rt}), WithTimeout(0)}, opts...)...)
	require.NoError(t, err)
	return c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// doList sends one listRunTasks request through the doer, as the iterator does.
func doList(t *testing.T, c *Client) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(withOperation(context.Background(), c.doer.hook, opListRunTasks), http.MethodGet, c.BaseURL()+runPath, nil)
	require.NoError(t, err)
	resp, err := c.doer.Do(req)
	require.NoError(t, err)
	return resp
}

func TestTheHookSeesHeadersAsTheyArrivedWithoutSecrets(t *testing.T) {
	body := `{"data":[],"echo":"` + testToken + `"}`
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Set-Cookie", "laravel_session=abc")
		w.Header().Set("X-Echo", "Bearer "+testToken)
		w.Header()["Content-Type"] = nil // no sniffing either
		writeBody(w, 200, "", body)      // no Content-Type: the client infers JSON
	})
	hook := &recordingHook{}
	c, _ := newTestClient(t, s, WithResponseHook(hook))
	_, _, err := c.ListRunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{WithoutPagination: new(true)})
	require.NoError(t, err)

	got := hook.observed()
	require.Len(t, got, 1)
	r := got[0]
	assert.Empty(t, r.Header.Values("Content-Type"), "the header the client inferred is not what the server sent")
	assert.Empty(t, r.Header.Values("Set-Cookie"))
	assert.Equal(t, "Bearer "+redact.Replacement, r.Header.Get("X-Echo"))
	assert.Equal(t, `{"data":[],"echo":"`+redact.Replacement+`"}`, string(r.Body))
	assert.NotContains(t, fmt.Sprintf("%#v", r), testToken)
}

// panickyHook panics in the method named by where.
type panickyHook struct {
	where    string
	observed int
}

func (h *panickyHook) Sample(string, int) bool {
	if h.where == "Sample" {
		panic("sample failed near " + testToken)
	}
	return true
}

func (h *panickyHook) Observe(ObservedResponse) {
	h.observed++
	if h.where == "Observe" {
		panic("observe failed")
	}
}

func TestAPanickingHookDoesNotBreakTheListing(t *testing.T) {
	for _, where := range []string{"Sample", "Observe"} {
		t.Run(where, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
			var logs bytes.Buffer
			hook := &panickyHook{where: where}
			c, _ := newTestClient(t, s, WithResponseHook(hook), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))

			titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			require.Empty(t, errs)
			assert.Equal(t, titlesFrom(1, 5), titles)
			assert.Equal(t, 3, strings.Count(logs.String(), "response hook panicked"), "each panic is logged")
			assert.Contains(t, logs.String(), "hook_method="+where)
			assert.NotContains(t, logs.String(), testToken)
		})
	}
}

func TestHookOptionsRejectBadValues(t *testing.T) {
	_, err := NewClient(testToken, WithResponseHook(nil))
	require.ErrorContains(t, err, "nil hook")
	_, err = NewClient(testToken, WithObservedBodyLimit(0))
	require.ErrorContains(t, err, "the limit must be from 1 byte")
}

func TestOperationOfPathMatchesOnlyTheTwoTaskLists(t *testing.T) {
	tests := []struct{ path, want string }{
		{path: "/api/organizations/o1/runs/r1/tasks", want: "listRunTasks"},
		{path: "/organizations/o1/runs/r1/tasks/", want: "listRunTasks"},
		{path: "/api/organizations/o1/tasks", want: "listOrgTasks"},
		{path: "/api/organizations/o1/runs/r1/tasks/t1", want: ""},
		{path: "/api/organizations/o1/me/tasks", want: ""},
		{path: "/api/organizations//tasks", want: ""},
		{path: "/tasks", want: ""},
		{path: "", want: ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, operationOfPath(tt.path), "path %q", tt.path)
	}
}
