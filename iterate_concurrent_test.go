package tallyfy

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedRun serves a run of pages×perPage tasks; delay(page) is how long a
// page takes. It tracks how many requests are in flight at once.
type pagedRun struct {
	pages, perPage int
	delay          func(page int) time.Duration
	inFlight, peak atomic.Int32
	cancelled      atomic.Int32
}

func (p *pagedRun) handle(w http.ResponseWriter, r *http.Request) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p.delay != nil {
		select {
		case <-time.After(p.delay(page)):
		case <-r.Context().Done():
			p.cancelled.Add(1)
			return
		}
	}
	links := linksJSON(page-1, page+1)
	if page == p.pages {
		links = "[]"
	}
	writeJSON(w, 200, pageJSON((page-1)*p.perPage+1, p.perPage, page, p.pages, p.perPage, p.pages*p.perPage, links))
}

func TestPageConcurrencyKeepsTheOrder(t *testing.T) {
	run := &pagedRun{pages: 20, perPage: 3, delay: func(page int) time.Duration {
		return time.Duration((20-page)%5) * 5 * time.Millisecond // later pages often finish first
	}}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { run.handle(w, r) })
	c, _ := newTestClient(t, s, WithPageConcurrency(4))

	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 60), titles, "tasks in page order")
	assert.Len(t, s.requests(), 20, "each page once")
	assert.LessOrEqual(t, run.peak.Load(), int32(4), "at most n requests in flight")
	assert.Greater(t, run.peak.Load(), int32(1), "pages were fetched concurrently")
}

func TestBreakingOutCancelsThePagesInFlight(t *testing.T) {
	run := &pagedRun{pages: 20, perPage: 2, delay: func(page int) time.Duration {
		if page <= 2 {
			return 0
		}
		return time.Hour // pages 3+ answer only when cancelled
	}}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { run.handle(w, r) })
	c, _ := newTestClient(t, s, WithPageConcurrency(3))

	var titles []string
	for task, err := range c.OrgTasks(context.Background(), testOrg, nil) {
		require.NoError(t, err)
		titles = append(titles, task.Title)
		if len(titles) == 3 { // the first task of page 2
			require.Eventually(t, func() bool { return len(s.requests()) == 4 }, 5*time.Second, time.Millisecond,
				"pages 3 and 4 reach the server before the break")
			break
		}
	}
	assert.Equal(t, titlesFrom(1, 3), titles)
	require.Eventually(t, func() bool { return run.cancelled.Load() == 2 }, 5*time.Second, 5*time.Millisecond,
		"pages 3 and 4 were in flight and are cancelled")
	assert.Len(t, s.requests(), 4, "no page beyond the window was requested")
}

func TestAnErrorOnAConcurrentPageStopsTheIteration(t *testing.T) {
	run := &pagedRun{pages: 6, perPage: 2}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("page") == "4" {
			writeJSON(w, 404, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`)
			return
		}
		run.handle(w, r)
	})
	c, _ := newTestClient(t, s, WithPageConcurrency(2))
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Equal(t, titlesFrom(1, 6), titles, "pages 1 to 3 come first")
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
}

func TestConcurrentPagesStillWaitOutA429(t *testing.T) {
	run := &pagedRun{pages: 4, perPage: 1}
	var limited atomic.Bool
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("page") == "3" && limited.CompareAndSwap(false, true) {
			writeJSON(w, 429, `{"message":"Too Many Attempts."}`, "Retry-After", "2")
			return
		}
		run.handle(w, r)
	})
	c, sl := newTestClient(t, s, WithPageConcurrency(3))
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 4), titles)
	assert.Equal(t, []time.Duration{2 * time.Second}, sl.all())
}

func TestWithPageConcurrencyRejectsLessThanOne(t *testing.T) {
	_, err := NewClient(testToken, WithPageConcurrency(0))
	assert.ErrorContains(t, err, "at least 1")
}
