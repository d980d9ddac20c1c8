package tallyfy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagesSeen is what a page iterator yielded: each page's titles and
// Response, the errors beside pages, and the error that came alone.
type pagesSeen struct {
	titles    [][]string
	responses []*Response
	beside    []error
	alone     []error
}

func drainPages(seq func(func(*TaskPage, error) bool)) pagesSeen {
	var s pagesSeen
	for page, err := range seq {
		if page == nil {
			s.alone = append(s.alone, err)
			continue
		}
		var titles []string
		for _, task := range page.Data {
			titles = append(titles, task.Title)
		}
		s.titles = append(s.titles, titles)
		s.responses = append(s.responses, page.Response)
		s.beside = append(s.beside, err)
	}
	return s
}

// The page iterators yield every page whole, in order, each with its
// Response, one page at a time and with read-ahead alike.
func TestTaskPagesYieldEveryPageWithItsResponse(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("concurrency %d", n), func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("X-Request-Id", "req-"+r.URL.Query().Get("page"))
				threePages(w, r)
			})
			c, _ := newTestClient(t, s, WithPageConcurrency(n))
			got := drainPages(c.RunTaskPages(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, [][]string{{"Task 1", "Task 2"}, {"Task 3", "Task 4"}, {"Task 5"}}, got.titles)
			assert.Equal(t, []error{nil, nil, nil}, got.beside)
			assert.Empty(t, got.alone)
			require.Len(t, got.responses, 3)
			for i, resp := range got.responses {
				assert.Equal(t, i+1, resp.CurrentPage)
				assert.Equal(t, 3, resp.TotalPages)
				assert.Equal(t, fmt.Sprintf("req-%d", i+1), resp.RequestID)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}
			assert.Equal(t, 0, got.responses[2].NextPage, "the last page")
			assert.Len(t, s.requests(), 3)
		})
	}
}

// A task that does not fit is left out of its page with a *TaskError in
// err beside the page, and the pages go on.
func TestTaskPagesKeepThePageOfATaskThatDoesNotFit(t *testing.T) {
	s := newStub(t, servePages(
		listPage(1, 2, taskJSON(1), withField(2, "position", `"second"`)),
		listPage(2, 2, taskJSON(3)),
	))
	c, _ := newTestClient(t, s)
	got := drainPages(c.OrgTaskPages(context.Background(), testOrg, nil))
	assert.Equal(t, [][]string{{"Task 1"}, {"Task 3"}}, got.titles)
	var taskErr *TaskError
	require.ErrorAs(t, got.beside[0], &taskErr)
	assert.Equal(t, "/data/1/position", taskErr.Pointer)
	assert.NoError(t, got.beside[1])
	assert.Empty(t, got.alone)
}

// A page whose pagination cannot be followed comes with its
// *PaginationError beside it, and ends the sequence; an error with no
// page comes alone, and ends it too.
func TestTaskPagesEndAtAnErrorThatSaysWhy(t *testing.T) {
	s := newStub(t, servePages(listPage(1, 3, taskJSON(1)), listPage(3, 3, taskJSON(7))))
	c, _ := newTestClient(t, s)
	got := drainPages(c.RunTaskPages(context.Background(), testOrg, testRun, nil))
	require.Len(t, got.titles, 2)
	var pagErr *PaginationError
	require.ErrorAs(t, got.beside[1], &pagErr, "beside the page that broke it")
	assert.Equal(t, 0, got.responses[1].NextPage)
	assert.Empty(t, got.alone)

	s = newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 200, listPage(1, 2, taskJSON(1)))
			return
		}
		writeJSON(w, 404, `{"error":true,"message":"Resource not found"}`)
	})
	c, _ = newTestClient(t, s)
	got = drainPages(c.RunTaskPages(context.Background(), testOrg, testRun, nil))
	assert.Len(t, got.titles, 1)
	require.Len(t, got.alone, 1)
	var apiErr *APIError
	assert.ErrorAs(t, got.alone[0], &apiErr)
}

// Breaking out of the loop fetches no further page, and an ID that is not
// valid is an error before any request.
func TestTaskPagesStopWhenTheLoopBreaks(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	for range c.RunTaskPages(context.Background(), testOrg, testRun, nil) {
		break
	}
	assert.Len(t, s.requests(), 1)

	for page, err := range c.RunTaskPages(context.Background(), testOrg, "..", nil) {
		assert.Nil(t, page)
		assert.True(t, errors.Is(err, ErrInvalidID))
	}
	assert.Len(t, s.requests(), 1, "no request for an ID that would change the path")
}
