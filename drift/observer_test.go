package drift_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// collector is a report handler that keeps what it is given. When gate is
// set, each report first says so on entered, then waits for gate: the worker
// stays busy until the test lets it go. Once gate is closed, reports no
// longer wait to be seen on entered: a response with more finding groups
// than the test reads from entered must not hold the worker (and a Close
// that waits for it) until a deadline.
type collector struct {
	entered chan struct{}
	gate    chan struct{}

	mu   sync.Mutex
	got  []drift.FindingGroup
	logs []string
}

func (c *collector) handle(g drift.FindingGroup) {
	if c.gate != nil {
		select {
		case c.entered <- struct{}{}:
		case <-c.gate:
		}
		<-c.gate
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, g)
}

func (c *collector) reports() []drift.FindingGroup {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]drift.FindingGroup(nil), c.got...)
}

// gated returns a collector whose handler blocks until released.
func gated() *collector {
	return &collector{entered: make(chan struct{}), gate: make(chan struct{})}
}

func newObserver(t *testing.T, opts ...drift.ObserverOption) *drift.Observer {
	t.Helper()
	o, err := drift.NewObserver(validator, opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		assert.NoError(t, o.Close(ctx))
	})
	return o
}

// closeTimeout bounds a test's Close: far more than the few queued pages
// take to validate, so that reaching it is a failure, not a slow machine.
const closeTimeout = 15 * time.Second

func closeObserver(t *testing.T, o *drift.Observer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	require.NoError(t, o.Close(ctx))
}

// observedOf is the response of ex as a client's hook receives it.
func observedOf(ex drift.Exchange, operation string) tallyfy.ObservedResponse {
	return tallyfy.ObservedResponse{
		Operation:     operation,
		Method:        ex.Method,
		URL:           ex.URL,
		RequestHeader: ex.RequestHeader,
		StatusCode:    ex.Status,
		Header:        ex.ResponseHeader,
		Body:          ex.Body,
	}
}

// drifted is a page of n tasks, each with an undocumented field and a
// status the spec does not know: 2 finding groups, n findings each.
func driftingPage(t *testing.T, n int) tallyfy.ObservedResponse {
	p := page(n)
	for i := range n {
		dataTask(p, i)["brand_new"] = i
		dataTask(p, i)["status"] = "paused"
	}
	return observedOf(runTasks(t, http.StatusOK, p), "listRunTasks")
}

// offer hands r to the hook as a client would: sample, then observe.
func offer(h tallyfy.ResponseHook, r tallyfy.ObservedResponse) bool {
	if !h.Sample(r.Operation, r.StatusCode) {
		return false
	}
	h.Observe(r)
	return true
}

// groupLine is the identity and counts of a group, for comparisons.
func groupLine(g drift.FindingGroup) string {
	return fmt.Sprintf("%s %s %s %s count=%d total=%d", g.Operation, g.Rule, g.Pattern, g.Severity, g.Count, g.Total)
}

func groupLines(groups []drift.FindingGroup) []string {
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		out = append(out, groupLine(g))
	}
	return out
}

// A listing of three pages in which every task has one
// undocumented field and one unknown status reports two groups, once each,
// while the listing itself yields every task.
func TestAListingReportsEachFindingGroupOnce(t *testing.T) {
	for _, pages := range []int{1, 3} {
		t.Run(fmt.Sprintf("pages fetched %d at a time", pages), func(t *testing.T) {
			listingReportsEachGroupOnce(t, tallyfy.WithPageConcurrency(pages))
		})
	}
}

func listingReportsEachGroupOnce(t *testing.T, opts ...tallyfy.Option) {
	const tasks = 30 // three pages of the stand-in's default 10
	s := standin.Start(standin.Config{OrgID: orgID, RunID: runID, TaskFields: specfixture.TaskFields(), RunTasks: tasks,
		Mutate: func(i int, task map[string]any) {
			task["brand_new"] = i
			task["status"] = "paused"
		}})
	defer s.Close()
	reports := &collector{}
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo(reports.handle))
	c, err := tallyfy.NewClient("observer-test-token", append(opts, tallyfy.WithBaseURL(s.BaseURL()), tallyfy.WithResponseHook(o.Hook()))...)
	require.NoError(t, err)

	var ids []string
	for task, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
		require.NoError(t, err)
		ids = append(ids, task.ID)
		assert.Equal(t, "paused", string(task.Status), "the client stays tolerant")
	}
	assert.Len(t, ids, tasks, "every task of the three pages")
	closeObserver(t, o)

	assert.Equal(t, []string{
		"listRunTasks undocumented-field /data/*/brand_new warning count=10 total=10",
		"listRunTasks enum /data/*/status drift count=10 total=10",
	}, groupLines(reports.reports()), "each group once, when first seen, with its count in that page")
	assert.Equal(t, []string{
		"listRunTasks enum /data/*/status drift count=20 total=30",
		"listRunTasks undocumented-field /data/*/brand_new warning count=20 total=30",
	}, groupLines(o.Groups()), "the later pages are counted, not reported")
	st := o.Stats()
	assert.Equal(t, drift.ObserverStats{Offered: 3, Sampled: 3, Validated: 3, Findings: 2 * tasks, Groups: 2, Reports: 2}, st)
	assert.Equal(t, 3, s.Requests())
}

// Validation happens on the Observer's worker: a listing finishes while
// the worker is still busy with its first page.
func TestValidationIsOffTheRequestPath(t *testing.T) {
	s := standin.Start(standin.Config{OrgID: orgID, RunID: runID, TaskFields: specfixture.TaskFields(), RunTasks: 30,
		Mutate: func(i int, task map[string]any) { task["status"] = "paused" }})
	defer s.Close()
	reports := gated()
	o := newObserver(t, drift.SampleRate(1), drift.QueueSize(4), drift.ReportTo(reports.handle))
	c, err := tallyfy.NewClient("observer-test-token", tallyfy.WithBaseURL(s.BaseURL()), tallyfy.WithResponseHook(o.Hook()))
	require.NoError(t, err)

	n := 0
	for _, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 30, n, "the listing ended with the worker still busy")
	<-reports.entered // the worker reached the report of the first page
	close(reports.gate)
	closeObserver(t, o)
	assert.Len(t, reports.reports(), 1)
	assert.Equal(t, uint64(3), o.Stats().Validated)
}

func TestAFullQueueDropsAndCounts(t *testing.T) {
	reports := gated()
	o := newObserver(t, drift.SampleRate(1), drift.QueueSize(1), drift.ReportTo(reports.handle))
	h := o.Hook()

	require.True(t, offer(h, driftingPage(t, 1)))
	<-reports.entered // the worker holds the first response; the queue is empty
	for range 3 {     // one fits in the queue, two do not
		require.True(t, offer(h, driftingPage(t, 1)), "sampling does not know the queue is full")
	}
	assert.Equal(t, uint64(2), o.Stats().Dropped, "counted at once, without waiting")
	go func() {
		for range reports.entered { // the first response's second group
		}
	}()
	close(reports.gate)
	closeObserver(t, o)
	close(reports.entered)

	st := o.Stats()
	assert.Equal(t, drift.ObserverStats{Offered: 4, Sampled: 4, Dropped: 2, Validated: 2, Findings: 4, Groups: 2, Reports: 2}, st)
}

func TestSampling(t *testing.T) {
	draws := []float64{0.1, 0.7, 0.49, 0.5, 0.0, 0.99}
	tests := []struct {
		rate float64
		want uint64
	}{
		{0, 0},
		{0.01, 1},
		{0.5, 3},
		{1, 6},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.rate), func(t *testing.T) {
			var next atomic.Int64
			random := func() float64 { return draws[next.Add(1)-1] }
			reports := &collector{}
			o := newObserver(t, drift.SampleRate(tt.rate), drift.ObserverRandom(random), drift.ReportTo(reports.handle))
			h := o.Hook()
			r := driftingPage(t, 1)
			for range draws {
				offer(h, r)
			}
			closeObserver(t, o)
			st := o.Stats()
			assert.Equal(t, uint64(len(draws)), st.Offered)
			assert.Equal(t, tt.want, st.Sampled)
			assert.Equal(t, tt.want, st.Validated)
		})
	}
}

func TestAGroupIsReportedAgainAfterRepeatAfter(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		repeat  time.Duration
		want    []string
		pending []string // Groups() after the four responses
	}{
		{"every hour", time.Hour,
			[]string{"enum count=2 total=2", "enum count=4 total=6"},
			[]string{"enum count=2 total=8"}},
		{"never", 0,
			[]string{"enum count=2 total=2"},
			[]string{"enum count=6 total=8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var now atomic.Pointer[time.Time]
			clock := func() time.Time { return *now.Load() }
			reports := &collector{}
			o := newObserver(t, drift.SampleRate(1), drift.RepeatAfter(tt.repeat), drift.ObserverClock(clock), drift.ReportTo(reports.handle))
			p := page(2)
			dataTask(p, 0)["status"] = "paused"
			dataTask(p, 1)["status"] = "paused"
			r := observedOf(runTasks(t, http.StatusOK, p), "listRunTasks")
			for _, at := range []time.Duration{0, 30 * time.Minute, 61 * time.Minute, 90 * time.Minute} {
				ts := t0.Add(at)
				now.Store(&ts)
				offer(o.Hook(), r)
			}
			closeObserver(t, o)

			short := func(groups []drift.FindingGroup) []string {
				var out []string
				for _, g := range groups {
					out = append(out, fmt.Sprintf("%s count=%d total=%d", g.Rule, g.Count, g.Total))
				}
				return out
			}
			got := reports.reports()
			assert.Equal(t, tt.want, short(got))
			assert.Equal(t, tt.pending, short(o.Groups()))
			assert.Equal(t, t0, got[0].FirstSeen)
			assert.Equal(t, t0.Add(90*time.Minute), o.Groups()[0].LastSeen)
		})
	}
}

func TestGatewayErrorsAreNeverSampled(t *testing.T) {
	reports := &collector{}
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo(reports.handle))
	h := o.Hook()
	for _, status := range []int{502, 503, 504} {
		assert.False(t, h.Sample("listRunTasks", status), "status %d", status)
	}
	for _, status := range []int{200, 401, 404, 429, 500} {
		assert.True(t, h.Sample("listRunTasks", status), "status %d", status)
	}
	closeObserver(t, o)
	assert.Equal(t, drift.ObserverStats{Offered: 8, Sampled: 5}, o.Stats())
}

func TestTruncatedResponsesAreCountedNotValidated(t *testing.T) {
	reports := &collector{}
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo(reports.handle))
	r := driftingPage(t, 1)
	r.Body, r.Truncated = nil, true
	require.True(t, offer(o.Hook(), r))
	closeObserver(t, o)
	assert.Equal(t, drift.ObserverStats{Offered: 1, Sampled: 1, Truncated: 1}, o.Stats())
	assert.Empty(t, reports.reports())
}

func TestMaxGroupsBoundsTheGroupsKept(t *testing.T) {
	reports := &collector{}
	o := newObserver(t, drift.SampleRate(1), drift.MaxGroups(1), drift.ReportTo(reports.handle))
	offer(o.Hook(), driftingPage(t, 3))
	closeObserver(t, o)
	assert.Equal(t, []string{"listRunTasks undocumented-field /data/*/brand_new warning count=3 total=3"}, groupLines(reports.reports()))
	st := o.Stats()
	assert.Equal(t, 1, st.Groups)
	assert.Equal(t, uint64(3), st.Ungrouped, "the status findings had no room")
	assert.Equal(t, uint64(6), st.Findings)
}

func TestAfterCloseNothingIsSampled(t *testing.T) {
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo((&collector{}).handle))
	h := o.Hook()
	r := driftingPage(t, 1)
	require.True(t, h.Sample(r.Operation, r.StatusCode))
	closeObserver(t, o)
	closeObserver(t, o) // twice is fine
	h.Observe(r)        // sampled before Close, complete after it
	assert.False(t, h.Sample(r.Operation, r.StatusCode))
	assert.Equal(t, drift.ObserverStats{Offered: 2, Sampled: 1, Dropped: 1}, o.Stats())
}

func TestCloseGivesUpWhenItsContextEnds(t *testing.T) {
	reports := gated()
	o, err := drift.NewObserver(validator, drift.SampleRate(1), drift.QueueSize(4), drift.ReportTo(reports.handle))
	require.NoError(t, err)
	h := o.Hook()
	offer(h, driftingPage(t, 1))
	<-reports.entered
	offer(h, driftingPage(t, 1))
	offer(h, driftingPage(t, 1))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, o.Close(ctx), context.Canceled)
	go func() {
		for range reports.entered {
		}
	}()
	close(reports.gate)
	closeObserver(t, o) // now waits for the worker to end
	close(reports.entered)
	st := o.Stats()
	assert.Equal(t, uint64(1), st.Validated)
	assert.Equal(t, uint64(2), st.Dropped, "what was still queued is dropped and counted")
}

func TestAPanickingHandlerCostsOnlyItsReport(t *testing.T) {
	var calls atomic.Int64
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo(func(drift.FindingGroup) {
		calls.Add(1)
		panic("handler failed")
	}))
	offer(o.Hook(), driftingPage(t, 1))
	closeObserver(t, o)
	assert.Equal(t, int64(2), calls.Load())
	st := o.Stats()
	assert.Equal(t, uint64(2), st.HandlerPanics)
	assert.Equal(t, uint64(2), st.Reports)
}

func TestTheDefaultHandlerLogsEachReport(t *testing.T) {
	var buf bytes.Buffer
	o := newObserver(t, drift.SampleRate(1), drift.LogTo(slog.New(slog.NewTextHandler(&buf, nil))))
	offer(o.Hook(), driftingPage(t, 2))
	offer(o.Hook(), driftingPage(t, 2))
	closeObserver(t, o)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2, "one line per group, once")
	assert.Contains(t, lines[0], "level=INFO")
	assert.Contains(t, lines[0], "rule=undocumented-field pattern=/data/*/brand_new severity=warning count=2 total=2")
	assert.Contains(t, lines[1], "level=WARN")
	assert.Contains(t, lines[1], "rule=enum pattern=/data/*/status severity=drift count=2 total=2")
	assert.Contains(t, lines[1], `pointer=/data/0/status`)
}

func TestObserverOptionsRejectBadValues(t *testing.T) {
	tests := []struct {
		name string
		opt  drift.ObserverOption
		want string
	}{
		{"rate below 0", drift.SampleRate(-0.1), "from 0 to 1"},
		{"rate above 1", drift.SampleRate(1.5), "from 0 to 1"},
		{"queue of 0", drift.QueueSize(0), "at least 1"},
		{"nil handler", drift.ReportTo(nil), "nil handler"},
		{"nil logger", drift.LogTo(nil), "nil logger"},
		{"negative repeat", drift.RepeatAfter(-time.Second), "negative"},
		{"no groups", drift.MaxGroups(0), "at least 1"},
		{"nil clock", drift.ObserverClock(nil), "nil clock"},
		{"nil random", drift.ObserverRandom(nil), "nil source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := drift.NewObserver(validator, tt.opt)
			require.ErrorContains(t, err, tt.want)
		})
	}
	_, err := drift.NewObserver(nil)
	require.ErrorContains(t, err, "nil Validator")
}
