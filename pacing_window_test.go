package tallyfy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// windowedListing lists every task of a run of pages pages (10 tasks a
// page) from a stand-in that allows limit requests in any window of per,
// with the client's options; it returns the stand-in's window, how many
// requests it received, and how many tasks came.
func windowedListing(tb testing.TB, pages, limit int, per time.Duration, opts ...tallyfy.Option) (w *standin.Window, requests, tasks int) {
	tb.Helper()
	w = standin.NewWindow(limit, per)
	s := standin.Start(standin.Config{OrgID: benchOrg, RunID: benchRun, RunTasks: 10 * pages, Fail: w.Fail})
	defer s.Close()
	c, err := tallyfy.NewClient("window-token", append([]tallyfy.Option{tallyfy.WithBaseURL(s.BaseURL())}, opts...)...)
	require.NoError(tb, err)
	for _, err := range c.RunTasks(context.Background(), benchOrg, benchRun, nil) {
		require.NoError(tb, err)
		tasks++
	}
	return w, s.Requests(), tasks
}

// A client paced below the server's rolling window is never refused, with
// 4 pages in flight. (Below, not at: the server counts arrivals, which a
// loaded machine delays unevenly; the margin is generous on purpose.
// BENCHMARKS.md measures the pace at the limit itself.)
func TestPacedBelowTheServersWindowMeetsNo429(t *testing.T) {
	w, requests, tasks := windowedListing(t, 40, 20, time.Second,
		tallyfy.WithRateLimit(17, time.Second), tallyfy.WithPageConcurrency(4))
	assert.Equal(t, 400, tasks, "every task")
	assert.Zero(t, w.Refused(), "no 429")
	assert.Equal(t, 40, requests, "one request a page, no retry")
}

// BenchmarkPacedListing lists 200 pages, 8 in flight, from a stand-in that
// allows 50 requests in any 1 s: unpaced, paced at the server's limit, and
// paced above it. Each op is one whole listing; x-legal-min is its time
// over the least the window allows (the first 50 at once, then 50 a
// second: 3 s for 200 requests). Run it with -benchtime 1x:
//
//	go test -run '^$' -bench '^BenchmarkPacedListing$' -benchtime 1x -count 3 .
func BenchmarkPacedListing(b *testing.B) {
	const pages, limit, per = 200, 50, time.Second
	legal := time.Duration((pages-1)/limit) * per
	cases := []struct {
		name string
		rate tallyfy.Option
	}{
		{"unpaced", tallyfy.WithRateLimit(0, 0)},
		{"at-limit", tallyfy.WithRateLimit(limit, per)},
		{"above-limit", tallyfy.WithRateLimit(limit*8/5, per)},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var refused, retries int
			var took time.Duration
			for b.Loop() {
				start := time.Now()
				w, requests, tasks := windowedListing(b, pages, limit, per, tc.rate, tallyfy.WithPageConcurrency(8))
				took += time.Since(start)
				if tasks != 10*pages {
					b.Fatalf("%d tasks", tasks)
				}
				refused += w.Refused()
				retries += requests - pages
			}
			n := float64(b.N)
			b.ReportMetric(float64(refused)/n, "429s/op")
			b.ReportMetric(float64(retries)/n, "retries/op")
			b.ReportMetric(took.Seconds()/n/legal.Seconds(), "x-legal-min")
		})
	}
}
