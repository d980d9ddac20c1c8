package tallyfy

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
)

// Regression tests of what a hostile server and odd callers got through
// before: each names the attack it defends against.

// An ID that is empty, "." or ".." would change the request's path (the
// URL's dot segments are resolved): it is an error before any request.
func TestAnIDNeverChangesThePath(t *testing.T) {
	srv := hostile.Start(t, hostile.EchoTokenError(http.StatusNotFound))
	c := hostileClient(t, srv)
	ctx := context.Background()
	for _, bad := range []string{"", ".", ".."} {
		_, _, err := c.ListRunTasks(ctx, "org", bad, nil)
		assert.ErrorIs(t, err, ErrInvalidID, "run %q", bad)
		_, _, err = c.ListOrgTasks(ctx, bad, nil)
		assert.ErrorIs(t, err, ErrInvalidID, "org %q", bad)
		_, errs := drain(c.RunTasks(ctx, bad, "run", nil))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrInvalidID)
	}
	assert.Empty(t, srv.Requests(), "no request was sent")

	// A long ID is sent, escaped into its segment, but errors quote a
	// short cut of it (a 2 MiB one is refused by the server itself, and
	// its error is as short).
	for _, size := range []int{100 << 10, 2 << 20} {
		huge := strings.Repeat("o", size)
		_, _, err := c.ListOrgTasks(ctx, huge, nil)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Less(t, len(err.Error()), 1<<10, "the error names the path, cut")
	}
	require.Len(t, srv.Requests(), 1, "the 100 KiB ID reached the server")
	assert.True(t, strings.HasPrefix(srv.Requests()[0].URL, "/api/organizations/"+strings.Repeat("o", 100)))
}

// The repeat set keeps a fixed-size digest per task, whatever the length
// of the IDs a server sends: 50 pages of one task with a 1 MiB ID each do
// not hold 50 MiB.
func TestRepeatDetectionHoldsDigestsNotIDs(t *testing.T) {
	const pages = 50
	id := func(page int) string { return fmt.Sprintf("%d-%s", page, strings.Repeat("i", 1<<20)) }
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		page := max(atoiOr(r.URL.Query().Get("page"), 1), 1)
		writeJSON(w, 200, fmt.Sprintf(`{"data":[{"id":%q,"title":"Task %d"}],"meta":{"pagination":{"total":%d,"count":1,"per_page":1,"current_page":%d,"total_pages":%d,"links":[]}}}`,
			id(page), page, pages, page, pages))
	})
	c, _ := newTestClient(t, s, WithMaxTaskSize(4<<20))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var heap uint64
	n := 0
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		n++
		task.ID = ""
		if n == pages {
			var now runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&now)
			heap = now.HeapAlloc
		}
	}
	require.Equal(t, pages, n)
	assert.Less(t, int64(heap)-int64(before.HeapAlloc), int64(16<<20), "the repeat set holds no ID whole")
}

// A listing whose pages only repeat tasks already yielded ends, after a
// handful of requests, with a *PaginationError that says so: it never
// runs until the context ends.
func TestAListingThatOnlyRepeatsEnds(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		page := max(atoiOr(r.URL.Query().Get("page"), 1), 1)
		writeJSON(w, 200, fmt.Sprintf(`{"data":[%s,%s],"meta":{"pagination":{"total":2000000000,"count":2,"per_page":2,"current_page":%d,"total_pages":1000000000,"links":[]}}}`,
			taskJSON(1), taskJSON(2), page))
	})
	for _, n := range []int{1, 4} {
		c, _ := newTestClient(t, s, WithPageConcurrency(n))
		before := len(s.requests())
		titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
		assert.Equal(t, []string{"Task 1", "Task 2"}, titles)
		assert.Len(t, taskErrs, 2, "the repeats of page 2")
		require.Len(t, fatal, 1)
		var pagErr *PaginationError
		require.ErrorAs(t, fatal[0], &pagErr)
		assert.Contains(t, pagErr.Problem, "holds only tasks already yielded")
		assert.LessOrEqual(t, len(s.requests())-before, 2+n, "a handful of requests, concurrency %d", n)
	}
}

// A Retry-After that outlasts the context returns the *RateLimitError at
// once, with RetryAfter, instead of sleeping until the context ends.
func TestARetryAfterPastTheDeadlineReturnsAtOnce(t *testing.T) {
	srv := hostile.Start(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"Too Many Attempts."}`))
	})
	c, err := NewClient(hostileToken, WithBaseURL(srv.BaseURL()))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	_, _, err = c.ListRunTasks(ctx, "o", "r", nil)
	assert.Less(t, time.Since(start), 2*time.Second, "no sleep that cannot finish")
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.InDelta(t, 90, rl.RetryAfter.Seconds(), 2)
	assert.Len(t, srv.Requests(), 1)

	// An overflowing Retry-After is the cap: no retry, RetryAfter at 24 h.
	srv.Set(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "99999999999999999999")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c, err = NewClient(hostileToken, WithBaseURL(srv.BaseURL()))
	require.NoError(t, err)
	_, _, err = c.ListRunTasks(context.Background(), "o", "r", nil)
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 24*time.Hour, rl.RetryAfter)
	assert.Len(t, srv.Requests(), 2, "not retried")
}

// Response headers over the transport's limit are a *LimitError, never
// retried; headers that arrive a byte at a time are a timeout that names
// the headers, not "the server sent nothing", and are not retried either.
func TestLimitsOnHeadersAreNotRetried(t *testing.T) {
	srv := hostile.Start(t, hostile.ManyHeaders(12000, 1<<10))
	c := hostileClient(t, srv, WithRetryPolicy(RetryPolicy{MaxAttempts: 4}))
	_, _, err := c.ListRunTasks(context.Background(), "o", "r", nil)
	var limitErr *LimitError
	require.ErrorAs(t, err, &limitErr)
	assert.Equal(t, "http.Transport.MaxResponseHeaderBytes", limitErr.Limit)
	assert.Len(t, srv.Requests(), 1, "a limit is not retried")

	drip := hostile.Start(t, hostile.DripHeaders(50*time.Millisecond))
	c = hostileClient(t, drip, WithTimeout(300*time.Millisecond), WithRetryPolicy(RetryPolicy{MaxAttempts: 4}))
	_, _, err = c.ListRunTasks(context.Background(), "o", "r", nil)
	require.Error(t, err)
	assert.ErrorContains(t, err, "sent its response headers too slowly")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, drip.Requests(), 1, "slow headers are not retried")
}

// With read-ahead, a page cut by its connection yields the tasks it holds
// whole, then the error, as one page at a time does.
func TestReadAheadKeepsWhatACutPageHolds(t *testing.T) {
	page2 := pageJSON(3, 3, 2, 3, 3, 9, linksJSON(1, 3))
	cut := strings.Index(page2, taskJSON(5)) + 10 // tasks 3 and 4 whole, task 5 cut
	var mu sync.Mutex
	srv := hostile.Start(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Query().Get("page") {
		case "1":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(pageJSON(1, 2, 1, 3, 3, 9, linksJSON(0, 2))))
		case "2":
			hostile.CutAfter([]byte(page2), cut)(w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(pageJSON(6, 3, 3, 3, 3, 9, "[]")))
		}
	})
	var results [][]string
	var messages []string
	for _, n := range []int{1, 4} {
		c := hostileClient(t, srv, WithPageConcurrency(n), WithRetryPolicy(NoRetries()))
		titles, _, fatal := collect(c.RunTasks(context.Background(), "o", "r", nil))
		require.Len(t, fatal, 1, "concurrency %d", n)
		results = append(results, titles)
		messages = append(messages, fatal[0].Error())
	}
	assert.Equal(t, []string{"Task 1", "Task 2", "Task 3", "Task 4"}, results[0], "one page at a time: page 2's whole tasks, then the error")
	assert.Equal(t, results[0], results[1], "read-ahead yields the same tasks")
	assert.Equal(t, messages[0], messages[1], "and the same error")
}

// WithBaseURL("") is what an unset environment variable gives: the default.
func TestAnEmptyBaseURLIsTheDefault(t *testing.T) {
	c, err := NewClient(testToken, WithBaseURL(""))
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
	c, err = NewClient(testToken, WithBaseURL("  "))
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
}

// After a redirect within the origin, the response hook is told the URL
// of the request that answered; errors still name the URL the client built.
func TestTheHookSeesTheURLThatAnswered(t *testing.T) {
	srv := hostile.Start(t, nil)
	srv.Set(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/moved/") {
			http.Redirect(w, r, strings.Replace(r.URL.RequestURI(), "/api/", "/api/moved/", 1), http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`))
	})
	hook := &recordingHook{}
	c := hostileClient(t, srv, WithResponseHook(hook))
	_, resp, err := c.ListRunTasks(context.Background(), "o", "r", &gen.ListRunTasksParams{})
	require.NoError(t, err)
	assert.NotContains(t, resp.Request.URL.Path, "/moved/", "the Response keeps the URL the client built")
	got := hook.observed()
	require.Len(t, got, 1)
	assert.Contains(t, got[0].URL, "/api/moved/organizations/o/runs/r/tasks", "the hook sees the URL that answered")
}
