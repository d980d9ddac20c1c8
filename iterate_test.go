package tallyfy

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
)

func linksJSON(prev, next int) string {
	link := func(p int) string {
		if p == 0 {
			return "null"
		}
		return fmt.Sprintf(`"https://go.tallyfy.com/api/organizations/%s/runs/%s/tasks?page=%d"`, testOrg, testRun, p)
	}
	return fmt.Sprintf(`{"previous":%s,"next":%s}`, link(prev), link(next))
}

// threePages serves a run of 5 tasks, 2 per page; the last page's links is [].
func threePages(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("page") {
	case "1":
		writeJSON(w, 200, pageJSON(1, 2, 1, 3, 2, 5, linksJSON(0, 2)))
	case "2":
		writeJSON(w, 200, pageJSON(3, 2, 2, 3, 2, 5, linksJSON(1, 3)))
	case "3":
		writeJSON(w, 200, pageJSON(5, 1, 3, 3, 2, 5, "[]"))
	default:
		writeJSON(w, 404, `{"error":true,"message":"no such page"}`)
	}
}

func TestRunTasksWalksEveryPage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	with := []gen.ListRunTasksParamsWith{gen.ListRunTasksParamsWithStep, gen.ListRunTasksParamsWithFormFields}
	perPage := 2
	params := &gen.ListRunTasksParams{With: &with, PerPage: &perPage}

	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, params))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 5), titles, "every task, in order")

	reqs := s.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assertRequest(t, r, "GET", runPath, fmt.Sprintf("with=step,form_fields&page=%d&per_page=2", i+1))
	}
	assert.Nil(t, params.Page, "the caller's params are not changed")
	assert.Equal(t, []gen.ListRunTasksParamsWith{"step", "form_fields"}, *params.With)
}

func TestBreakingOutStopsFetching(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	var titles []string
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		titles = append(titles, task.Title)
		if len(titles) == 2 {
			break
		}
	}
	assert.Equal(t, titlesFrom(1, 2), titles)
	assert.Len(t, s.requests(), 1, "no page is fetched after the loop breaks")
}

func TestIterationStartsAtTheRequestedPage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	page := 2
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{Page: &page}))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(3, 3), titles)
	assert.Len(t, s.requests(), 2)
}

func TestOrgTasksWalksEveryPage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { threePages(w, r) })
	c, _ := newTestClient(t, s)
	with := []gen.ListOrgTasksParamsWith{gen.ListOrgTasksParamsWithTags}
	oneOff := true
	titles, errs := drain(c.OrgTasks(context.Background(), testOrg, &gen.ListOrgTasksParams{With: &with, IsOneoff: &oneOff}))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 5), titles)
	reqs := s.requests()
	require.Len(t, reqs, 3)
	assertRequest(t, reqs[2], "GET", orgPath, "is_oneoff=true&with=tags&page=3")
}

func TestAnErrorOnALaterPageComesAfterTheEarlierTasks(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			threePages(w, r)
			return
		}
		writeJSON(w, 403, `{"error":true,"message":"Forbidden"}`)
	})
	c, _ := newTestClient(t, s)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Equal(t, titlesFrom(1, 2), titles)
	require.Len(t, errs, 1)
	var apiErr *APIError
	assert.ErrorAs(t, errs[0], &apiErr)
}

func TestWithoutPaginationStreams20000Tasks(t *testing.T) {
	const n = 20000
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriter(w)
		_, _ = bw.WriteString(`{"data":[`)
		for i := 1; i <= n; i++ {
			if i > 1 {
				_ = bw.WriteByte(',')
			}
			_, _ = bw.WriteString(taskJSON(i))
		}
		_, _ = fmt.Fprintf(bw, `],"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":1,"total_pages":1,"links":[]}}}`, n, n, n)
		_ = bw.Flush()
	})
	c, _ := newTestClient(t, s)
	all := true
	count := 0
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{WithoutPagination: &all}) {
		require.NoError(t, err)
		count++
		if task.Title != fmt.Sprintf("Task %d", count) {
			t.Fatalf("task %d has title %q", count, task.Title)
		}
	}
	assert.Equal(t, n, count)
	reqs := s.requests()
	require.Len(t, reqs, 1)
	assertRequest(t, reqs[0], "GET", runPath, "page=1&without_pagination=true")
}

func TestDecodingIsTolerantOfUnknownValuesAndFields(t *testing.T) {
	body := `{"data":[{"id":"9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b","increment_id":1,"title":"New world","status":"paused-by-robot",` +
		`"task_type":"hologram","position":1,"owners":{"users":[{"id":7,"full_name":"Ada"}],"guests":[],"groups":[],"robots":[1]},` +
		`"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z","brand_new_field":{"x":[1,2]}}],` +
		`"meta":{"pagination":{"total":1,"count":1,"per_page":10,"current_page":1,"total_pages":1,"links":{"next":null}},"new_meta":1},"debug":true}`
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, body) })
	c, _ := newTestClient(t, s)
	var tasks []gen.Task
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		tasks = append(tasks, task)
	}
	require.Len(t, tasks, 1)
	assert.Equal(t, gen.TaskStatus("paused-by-robot"), tasks[0].Status)
	assert.False(t, tasks[0].Status.Valid(), "callers can tell an unknown status")
	user := tasks[0].Owners.Users[0]
	assert.Equal(t, 7, user.ID)
	assert.Equal(t, "Ada", user.FullName)
}
