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

	_, _, err := c.ListOrgTasks(ctx, testOrg, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// A body that stops half-way: the client's own timeout ends the read.
func TestAStalledBodyTimesOut(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[` + taskJSON(1) + `,`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, s, WithTimeout(300*time.Millisecond), WithRetryPolicy(NoRetries()))
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.LessOrEqual(t, len(titles), 1)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.DeadlineExceeded)
	assert.ErrorContains(t, errs[0], "the server sent nothing for 300ms")
	var de *DecodeError
	assert.NotErrorAs(t, errs[0], &de, "a timeout is not a malformed body")
}

// The timeout bounds the server's silences, not the caller's: a consumer
// that takes longer over the tasks than the timeout does not time out.
func TestASlowConsumerDoesNotTimeOut(t *testing.T) {
	const n = 3000 // about 700 KB: many reads of the body
	// The body is built before the server starts, outside the timed window:
	// the server only copies bytes, however loaded the machine is.
	body := pageJSON(1, n, 1, 1, n, n, "[]")
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, body)
	})
	const timeout = time.Second // room for a loaded machine between two reads
	c, _ := newTestClient(t, s, WithTimeout(timeout), WithRetryPolicy(NoRetries()))
	count := 0
	for _, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		if count++; count == n/3 || count == 2*n/3 {
			// Twice over, the consumer holds the body longer than the
			// timeout: only the server's waits count.
			time.Sleep(timeout + timeout/2)
		}
	}
	assert.Equal(t, n, count)
}

// Tasks are yielded while the body is still arriving: the server sends the
// rest only after the test has received the first task. A client that read
// the whole body first would never get there (and the test would time out).
func TestTasksArriveBeforeTheBodyEnds(t *testing.T) {
	firstSeen := make(chan struct{})
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[` + taskJSON(1) + `,`))
		w.(http.Flusher).Flush()
		select {
		case <-firstSeen:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte(taskJSON(2) + `],"meta":{"pagination":{"total":2,"count":2,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`))
	})
	c, _ := newTestClient(t, s)
	var titles []string
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		titles = append(titles, task.Title)
		if len(titles) == 1 {
			close(firstSeen)
		}
	}
	assert.Equal(t, titlesFrom(1, 2), titles)
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
