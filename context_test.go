package tallyfy

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server that never answers: only the context can end the call. If the
// client ignored the context, this test would hang until go test's timeout.
func TestASlowServerUnderADeadline(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() })
	c, _ := newTestClient(t, s, WithTimeout(0))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	titles, errs := drain(c.RunTasks(ctx, testOrg, testRun, nil))
	assert.Empty(t, titles)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.DeadlineExceeded)
	assert.Len(t, s.requests(), 1, "an expired context is not retried")

	_, err := c.ListOrgTasksWithResponse(ctx, testOrg, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// A body that stops half-way: the client's own timeout ends the read.
func TestTheDefaultTimeoutCoversTheBody(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[` + taskJSON(1) + `,`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, s, WithTimeout(100*time.Millisecond), WithRetryPolicy(NoRetries))
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Equal(t, titlesFrom(1, 1), titles)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "deadline exceeded")
}

func TestCancellingBetweenPagesEndsTheIteration(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var titles []string
	var errs []error
	for task, err := range c.RunTasks(ctx, testOrg, testRun, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		titles = append(titles, task.Title)
		cancel()
	}
	assert.Equal(t, titlesFrom(1, 2), titles, "the page already read is delivered")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, s.requests(), 1, "no page is fetched after the cancel")
}

func TestAnAlreadyCancelledContextFetchesNothing(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs := drain(c.OrgTasks(ctx, testOrg, nil))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Empty(t, s.requests())
}
