package drift_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// The listing of the client's drift tests, now watched: on every page of
// the stand-in, one task whose position is a string (a type the spec does
// not allow) and one with a space-separated date (a shape the client
// tolerates and the spec does not). The client yields every other task
// and one *TaskError per bad task, without waiting for the Observer; the
// Observer reports each finding group once, when first seen, and counts
// the rest.
func TestTheObserverReportsTheDriftOfATolerantListingOnce(t *testing.T) {
	const tasks = 25 // 3 pages at the stand-in's 10 a page
	for _, pages := range []int{1, 3} {
		t.Run(fmt.Sprintf("pages fetched %d at a time", pages), func(t *testing.T) {
			s := standin.Start(standin.Config{OrgID: orgID, RunID: runID, TaskFields: specfixture.TaskFields(), RunTasks: tasks,
				Mutate: func(i int, task map[string]any) {
					switch i % 10 {
					case 1:
						task["position"] = "second"
					case 2:
						task["created_at"] = "2025-05-20 09:00:00"
					}
				}})
			defer s.Close()
			reports := gated() // the worker blocks in its first report until the listing is done
			o := newObserver(t, drift.SampleRate(1), drift.ReportTo(reports.handle))
			c, err := tallyfy.NewClient("observer-test-token", tallyfy.WithBaseURL(s.BaseURL()),
				tallyfy.WithPageConcurrency(pages), tallyfy.WithResponseHook(o.Hook()))
			require.NoError(t, err)

			var yielded int
			var pointers []string
			for _, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
				var taskErr *tallyfy.TaskError
				switch {
				case errors.As(err, &taskErr):
					pointers = append(pointers, fmt.Sprintf("page %d %s", taskErr.Page, taskErr.Pointer))
				case err != nil:
					require.NoError(t, err)
				default:
					yielded++
				}
			}
			assert.Equal(t, tasks-3, yielded, "every task but the three with a string position")
			assert.Equal(t, []string{"page 1 /data/1/position", "page 2 /data/1/position", "page 3 /data/1/position"}, pointers)

			select { // the listing ended while the worker was held in its first report
			case <-reports.entered:
			case <-time.After(time.Minute):
				require.FailNow(t, "the Observer reported nothing")
			}
			go func() {
				for range reports.entered {
				}
			}()
			close(reports.gate)
			closeObserver(t, o)
			close(reports.entered)

			assert.ElementsMatch(t, []string{
				"listRunTasks type /data/*/position drift count=1 total=1",
				"listRunTasks format /data/*/created_at drift count=1 total=1",
			}, groupLines(reports.reports()), "each group reported once, from page 1")
			assert.ElementsMatch(t, []string{
				"listRunTasks type /data/*/position drift count=2 total=3",
				"listRunTasks format /data/*/created_at drift count=2 total=3",
			}, groupLines(o.Groups()), "pages 2 and 3 counted, not reported")
			for _, g := range reports.reports() {
				assert.Equal(t, map[string]string{"type": "/data/1/position", "format": "/data/2/created_at"}[g.Rule], g.Example.Pointer)
			}
			st := o.Stats()
			assert.Equal(t, drift.ObserverStats{Offered: 3, Sampled: 3, Validated: 3, Findings: 6, Groups: 2, Reports: 2}, st)
		})
	}
}
