package tallyfy

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

func TestListRunTasksReturnsThePageAndItsResponse(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageJSON(3, 2, 2, 3, 2, 5, `{"next":"x?page=3"}`),
			"X-RateLimit-Limit", "600", "X-RateLimit-Remaining", "598", "X-RateLimit-Reset", "1767225600",
			"X-Request-Id", "req-7f3a")
	})
	c, _ := newTestClient(t, s)
	page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun,
		&gen.ListRunTasksParams{Page: new(2), PerPage: new(2)})
	require.NoError(t, err)

	reqs := s.requests()
	require.Len(t, reqs, 1)
	assertRequest(t, reqs[0], "GET", runPath, "page=2&per_page=2")
	require.Len(t, page.Data, 2)
	assert.Equal(t, "Task 3", page.Data[0].Title)
	require.NotNil(t, page.Meta)
	assert.Equal(t, 2, page.Meta.Pagination.CurrentPage)

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, Rate{Limit: 600, Remaining: 598, Reset: time.Unix(1767225600, 0)}, resp.Rate)
	assert.Equal(t, "req-7f3a", resp.RequestID)
	assert.Equal(t, 2, resp.CurrentPage)
	assert.Equal(t, 3, resp.TotalPages)
	assert.Equal(t, 2, resp.PerPage)
	assert.Equal(t, 5, resp.Total)
	assert.Equal(t, 3, resp.NextPage)
}

func TestListOrgTasksReturnsThePageAndItsResponse(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"), "X-RateLimit-Remaining", "99")
	})
	c, _ := newTestClient(t, s)
	page, resp, err := c.ListOrgTasks(context.Background(), testOrg, &gen.ListOrgTasksParams{IsOneoff: new(true)})
	require.NoError(t, err)
	assertRequest(t, s.requests()[0], "GET", orgPath, "is_oneoff=true")
	assert.Len(t, page.Data, 1)
	assert.Equal(t, Rate{Limit: -1, Remaining: 99}, resp.Rate)
	assert.Empty(t, resp.RequestID)
	assert.Equal(t, 0, resp.NextPage, "the only page is the last")
}

func TestResponseRateIsParsedDefensively(t *testing.T) {
	cases := []struct {
		name    string
		headers []string
		want    Rate
	}{
		{name: "none sent", want: Rate{Limit: -1, Remaining: -1}},
		{name: "all sent", headers: []string{"X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1767225600"},
			want: Rate{Limit: 100, Remaining: 0, Reset: time.Unix(1767225600, 0)}},
		{name: "spaces around", headers: []string{"X-RateLimit-Limit", " 600 ", "X-RateLimit-Remaining", "\t12"},
			want: Rate{Limit: 600, Remaining: 12}},
		{name: "not numbers", headers: []string{"X-RateLimit-Limit", "lots", "X-RateLimit-Remaining", "1.5", "X-RateLimit-Reset", "tomorrow"},
			want: Rate{Limit: -1, Remaining: -1}},
		{name: "negative", headers: []string{"X-RateLimit-Limit", "-5", "X-RateLimit-Remaining", "-1", "X-RateLimit-Reset", "-1767225600"},
			want: Rate{Limit: -1, Remaining: -1}},
		{name: "overflowing", headers: []string{"X-RateLimit-Limit", "99999999999999999999999", "X-RateLimit-Reset", "99999999999999999999999"},
			want: Rate{Limit: -1, Remaining: -1}},
		{name: "reset as seconds from now, not a time", headers: []string{"X-RateLimit-Reset", "60"},
			want: Rate{Limit: -1, Remaining: -1}},
		{name: "reset far in the future", headers: []string{"X-RateLimit-Reset", "99999999999"},
			want: Rate{Limit: -1, Remaining: -1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"), tc.headers...)
			})
			c, _ := newTestClient(t, s)
			_, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, resp.Rate)
		})
	}
}

func TestResponseRequestIDIsBoundedAndClean(t *testing.T) {
	cases := []struct {
		name    string
		headers []string
		want    string
	}{
		{name: "absent", want: ""},
		{name: "plain", headers: []string{"X-Request-Id", "6f1c2a9e-0b7d-4c8e-9a1f-2d3e4f5a6b7c"}, want: "6f1c2a9e-0b7d-4c8e-9a1f-2d3e4f5a6b7c"},
		{name: "correlation id", headers: []string{"X-Correlation-Id", "corr-1"}, want: "corr-1"},
		{name: "request id wins", headers: []string{"X-Correlation-Id", "corr-1", "X-Request-Id", "req-1"}, want: "req-1"},
		{name: "spaces and non-ASCII dropped", headers: []string{"X-Request-Id", "req 1\tß✓2"}, want: "req12"},
		{name: "too long", headers: []string{"X-Request-Id", strings.Repeat("a", 5000)}, want: strings.Repeat("a", maxRequestID)},
		{name: "the token echoed", headers: []string{"X-Request-Id", "id-" + testToken}, want: "id-" + redact.Replacement},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"), tc.headers...)
			})
			c, _ := newTestClient(t, s)
			_, resp, err := c.ListOrgTasks(context.Background(), testOrg, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, resp.RequestID)
		})
	}
}

func TestResponsePagingAndNextPage(t *testing.T) {
	cases := []struct {
		name        string
		requested   int  // 0: no Page in params
		unpaginated bool // without_pagination=true
		body        string
		want        [5]int // current, total pages, per page, total, next
		wantProblem string // in a *PaginationError beside the page; "" for none
	}{
		{name: "first of three", body: pageJSON(1, 2, 1, 3, 2, 6, "[]"), want: [5]int{1, 3, 2, 6, 2}},
		{name: "middle", requested: 2, body: pageJSON(3, 2, 2, 3, 2, 6, "[]"), want: [5]int{2, 3, 2, 6, 3}},
		{name: "last", requested: 3, body: pageJSON(5, 2, 3, 3, 2, 6, "[]"), want: [5]int{3, 3, 2, 6, 0}},
		{name: "past the last", requested: 9, body: pageJSON(1, 0, 9, 3, 2, 6, "[]"), want: [5]int{9, 3, 2, 6, 0}},
		{name: "no meta (without_pagination)", unpaginated: true, body: `{"data":[` + taskJSON(1) + `]}`, want: [5]int{}},
		{name: "no meta on a paginated request", body: `{"data":[` + taskJSON(1) + `]}`, want: [5]int{},
			wantProblem: "the response has no meta.pagination"},
		{name: "current page behind the page asked for", requested: 2, body: pageJSON(1, 2, 1, 3, 2, 6, "[]"), want: [5]int{1, 3, 2, 6, 0},
			wantProblem: "current_page is 1, but the request asked for page 2"},
		{name: "current page ahead of the page asked for", requested: 2, body: pageJSON(7, 2, 4, 5, 2, 10, "[]"), want: [5]int{4, 5, 2, 10, 0},
			wantProblem: "current_page is 4, but the request asked for page 2"},
		{name: "an empty page that claims more", requested: 2, body: pageJSON(1, 0, 2, 3, 2, 6, "[]"), want: [5]int{2, 3, 2, 6, 0},
			wantProblem: "page 2 holds no items, yet total_pages is 3"},
		{name: "negative numbers", body: `{"data":[],"meta":{"pagination":{"total":-1,"count":0,"per_page":-10,"current_page":-1,"total_pages":-3}}}`, want: [5]int{},
			wantProblem: "current_page -1 and total_pages -3 must not be negative"},
		{name: "current page 0", body: `{"data":[],"meta":{"pagination":{"total":5,"count":0,"per_page":2,"current_page":0,"total_pages":3}}}`, want: [5]int{0, 3, 2, 5, 0},
			wantProblem: "current_page is 0, but the request asked for page 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, tc.body) })
			c, _ := newTestClient(t, s)
			var params gen.ListRunTasksParams
			if tc.requested > 0 {
				params.Page = new(tc.requested)
			}
			if tc.unpaginated {
				params.WithoutPagination = new(true)
			}
			page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, &params)
			if tc.wantProblem == "" {
				require.NoError(t, err)
			} else {
				var pagErr *PaginationError
				require.ErrorAs(t, err, &pagErr)
				assert.Contains(t, pagErr.Problem, tc.wantProblem)
				assert.NotNil(t, page, "the page comes with the error")
			}
			require.NotNil(t, resp)
			assert.Equal(t, tc.want, [5]int{resp.CurrentPage, resp.TotalPages, resp.PerPage, resp.Total, resp.NextPage})
		})
	}
}

func TestALoopOnNextPageVisitsEveryPageOnce(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Query().Get("page") {
		case "", "1":
			writeJSON(w, 200, pageJSON(1, 2, 1, 3, 2, 5, "[]"))
		case "2":
			writeJSON(w, 200, pageJSON(3, 2, 2, 3, 2, 5, "[]"))
		default:
			writeJSON(w, 200, pageJSON(5, 1, 3, 3, 2, 5, "[]"))
		}
	})
	c, _ := newTestClient(t, s)
	var titles []string
	params := &gen.ListRunTasksParams{PerPage: new(2)}
	for {
		page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, params)
		require.NoError(t, err)
		for _, task := range page.Data {
			titles = append(titles, task.Title)
		}
		if resp.NextPage == 0 {
			break
		}
		params.Page = new(resp.NextPage)
	}
	assert.Equal(t, titlesFrom(1, 5), titles)
	assert.Len(t, s.requests(), 3)
}

func TestAPageThatIsNotATaskListIsADecodeError(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		wantTasks int    // when wantIn is ""
		wantIn    string // a *DecodeError whose text holds this
	}{
		{name: "empty data", status: 200, body: `{"data":[]}`, wantTasks: 0},
		{name: "data null", status: 200, body: `{"data":null}`, wantTasks: 0},
		{name: "keys in another case", status: 200, body: `{"DATA":[` + taskJSON(1) + `]}`, wantTasks: 1},
		{name: "no data", status: 200, body: `{"meta":{}}`, wantIn: `no "data" key`},
		{name: "data twice", status: 200, body: `{"data":[],"Data":[]}`, wantIn: `"data" appears twice`},
		{name: "null", status: 200, body: `null`, wantIn: `want "{", got null`},
		{name: "an array", status: 200, body: `[]`, wantIn: `want "{", got "["`},
		{name: "data not an array", status: 200, body: `{"data":{"id":"x"}}`, wantIn: `"data" is "{", not an array`},
		{name: "meta of the wrong type", status: 200, body: `{"data":[],"meta":{"pagination":{"total_pages":"two"}}}`, wantIn: "meta"},
		{name: "trailing garbage", status: 200, body: pageJSON(1, 1, 1, 1, 10, 1, "[]") + `{"x":1}`, wantIn: "data after"},
		{name: "empty body", status: 200, body: "", wantIn: "unexpected EOF"},
		{name: "201", status: 201, body: pageJSON(1, 1, 1, 1, 10, 1, "[]"), wantIn: "not the documented 200"},
		{name: "204", status: 204, body: "", wantIn: "not the documented 200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, tc.status, tc.body) })
			c, _ := newTestClient(t, s)
			// One response of every task: what is checked here is its shape, not its pagination.
			page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{WithoutPagination: new(true)})
			if tc.wantIn != "" {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, de.Error(), tc.wantIn)
				assert.Contains(t, de.URL, runPath)
				assert.Nil(t, page)
				assert.Nil(t, resp)
				return
			}
			require.NoError(t, err)
			assert.Len(t, page.Data, tc.wantTasks)
			assert.NotNil(t, resp)
		})
	}
}

func TestATaskThatDoesNotFitCostsThePageNoOtherTask(t *testing.T) {
	bad := `{"id":"` + strings.Repeat("b", 32) + `","title":5}`
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"data":[`+taskJSON(1)+`,`+bad+`,`+taskJSON(3)+`],`+
			`"meta":{"pagination":{"total":3,"count":3,"per_page":10,"current_page":1,"total_pages":1}}}`,
			"X-RateLimit-Remaining", "42")
	})
	c, _ := newTestClient(t, s)
	page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)

	var taskErr *TaskError
	require.ErrorAs(t, err, &taskErr)
	assert.Equal(t, 1, taskErr.Index)
	assert.Equal(t, strings.Repeat("b", 32), taskErr.ID)
	assert.Equal(t, "/data/1/title", taskErr.Pointer)
	assert.JSONEq(t, bad, string(taskErr.Raw), "the task's JSON, for salvage")
	assert.NotErrorAs(t, err, new(*DecodeError))

	require.NotNil(t, page, "the page keeps every task that fits")
	var titles []string
	for _, task := range page.Data {
		titles = append(titles, task.Title)
	}
	assert.Equal(t, []string{"Task 1", "Task 3"}, titles)
	require.NotNil(t, resp)
	assert.Equal(t, 42, resp.Rate.Remaining)
	assert.Equal(t, 3, resp.Total)
}

func TestATaskOverTheSizeLimitIsALimitError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"data":[`+taskJSON(1)+`,{"id":"x","title":"`+strings.Repeat("x", 4096)+`"}]}`)
	})
	c, _ := newTestClient(t, s, WithMaxTaskSize(1024))
	page, resp, err := c.ListOrgTasks(context.Background(), testOrg, nil)
	var limitErr *LimitError
	require.ErrorAs(t, err, &limitErr)
	assert.Equal(t, "WithMaxTaskSize", limitErr.Limit)
	assert.Nil(t, page)
	assert.Nil(t, resp)
}

func TestAPageErrorIsAnAPIErrorWithNoPage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 404, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`, "X-Request-Id", "req ✓-9")
	})
	c, _ := newTestClient(t, s)
	page, resp, err := c.ListOrgTasks(context.Background(), testOrg, nil)
	assert.Nil(t, page)
	assert.Nil(t, resp)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "RESOURCE_NOT_FOUND", apiErr.Code)
	assert.Equal(t, "req-9", apiErr.RequestID, "the request ID of an error is cleaned the same way")
}
