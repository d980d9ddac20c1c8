package tallyfy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// listPage is a page of a list response holding the given tasks' JSON.
func listPage(current, total int, tasks ...string) string {
	return fmt.Sprintf(`{"data":[%s],"meta":{"pagination":{"total":%d,"count":%d,"per_page":3,"current_page":%d,"total_pages":%d,"links":[]}}}`,
		strings.Join(tasks, ","), total*3, len(tasks), current, total)
}

// withField is task i's JSON with one more member (name and raw JSON value).
func withField(i int, name, value string) string {
	return strings.TrimSuffix(taskJSON(i), "}") + `,"` + name + `":` + value + `}`
}

// servePages answers page n with pages[n-1], and a 404 past them.
func servePages(pages ...string) func(w http.ResponseWriter, r *http.Request, _ int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if n < 1 || n > len(pages) {
			writeJSON(w, 404, `{"error":true,"message":"no such page"}`)
			return
		}
		writeJSON(w, 200, pages[n-1])
	}
}

// collect consumes a whole sequence and sorts what it yielded.
func collect(seq func(func(gen.Task, error) bool)) (titles []string, taskErrs []*TaskError, fatal []error) {
	for task, err := range seq {
		var taskErr *TaskError
		switch {
		case err == nil:
			titles = append(titles, task.Title)
		case errors.As(err, &taskErr):
			taskErrs = append(taskErrs, taskErr)
		default:
			fatal = append(fatal, err)
		}
	}
	return titles, taskErrs, fatal
}

// concurrencies runs a test one page at a time and with pages fetched ahead.
var concurrencies = []int{1, 3}

func TestOneBadTaskNeverCostsThePage(t *testing.T) {
	badRun := withField(2, "run", `{"data":{"id":"r","started_by":"ada"}}`)
	badGuest := strings.Replace(taskJSON(3), `"guests":[]`, `"guests":["a@example.com",5]`, 1)
	pages := []string{
		listPage(1, 3, taskJSON(1), badRun, badGuest, taskJSON(4)),
		listPage(2, 3, taskJSON(5), taskJSON(6), taskJSON(7)),
		listPage(3, 3, taskJSON(8)),
	}
	for _, n := range concurrencies {
		t.Run(fmt.Sprintf("concurrency %d", n), func(t *testing.T) {
			s := newStub(t, servePages(pages...))
			c, _ := newTestClient(t, s, WithPageConcurrency(n))

			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Empty(t, fatal)
			assert.Equal(t, []string{"Task 1", "Task 4", "Task 5", "Task 6", "Task 7", "Task 8"}, titles, "every other task of every page")
			require.Len(t, taskErrs, 2)

			want := []struct {
				index          int
				id, pointer    string
				expected, got  string
				raw            string
				messageContent string
			}{
				{1, fmt.Sprintf("%032x", 2), "/data/1/run/data/started_by", "integer", "string", badRun,
					"page 1, task 1 (id \"00000000000000000000000000000002\"): /data/1/run/data/started_by: does not fit the spec's types: want integer, got string"},
				{2, fmt.Sprintf("%032x", 3), "/data/2/owners/guests/1", "string", "number", badGuest,
					"/data/2/owners/guests/1: does not fit the spec's types: want string, got number"},
			}
			for i, w := range want {
				got := taskErrs[i]
				assert.Equal(t, 1, got.Page)
				assert.Equal(t, w.index, got.Index)
				assert.Equal(t, w.id, got.ID)
				assert.Equal(t, w.pointer, got.Pointer)
				assert.Equal(t, w.expected, got.Expected)
				assert.Equal(t, w.got, got.Got)
				assert.JSONEq(t, w.raw, string(got.Raw), "the raw task, for salvage")
				assert.Contains(t, got.Error(), w.messageContent)
				var typeErr *json.UnmarshalTypeError
				assert.ErrorAs(t, got, &typeErr, "the underlying error stays reachable")
				assert.NotErrorIs(t, got, ErrDuplicateTask)
			}
		})
	}
}

func TestACallerThatReturnsOnTheFirstErrorSeesTheBadTask(t *testing.T) {
	s := newStub(t, servePages(listPage(1, 1, taskJSON(1), withField(2, "position", `"first"`), taskJSON(3))))
	c, _ := newTestClient(t, s)
	var titles []string
	var first error
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		if err != nil {
			first = err
			break
		}
		titles = append(titles, task.Title)
	}
	assert.Equal(t, titlesFrom(1, 1), titles)
	var taskErr *TaskError
	require.ErrorAs(t, first, &taskErr)
	assert.Equal(t, "/data/1/position", taskErr.Pointer)
	assert.EqualError(t, first, `tallyfy: page 1, task 1 (id "00000000000000000000000000000002"): /data/1/position: does not fit the spec's types: want integer, got string; skipped`)
}

func TestElementsThatAreNotTasksAreTaskErrors(t *testing.T) {
	cases := map[string]struct {
		element                     string
		wantPointer, wantExp, wantG string
		wantID                      string
	}{
		"null":                   {`null`, "/data/1", "object", "null", ""},
		"a number":               {`42`, "/data/1", "object", "number", ""},
		"an id that is a number": {withField(2, "id", "77") /* the later id wins */, "/data/1/id", "string", "number", "77"},
		"a date that is no date": {strings.Replace(taskJSON(2), `"2025-05-20T09:00:00Z"`, `"yesterday"`, 1), "/data/1/created_at", "a date-time (RFC 3339, or YYYY-MM-DD HH:MM:SS)", "string", fmt.Sprintf("%032x", 2)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, servePages(listPage(1, 1, taskJSON(1), tc.element, taskJSON(3))))
			c, _ := newTestClient(t, s)
			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Empty(t, fatal)
			assert.Equal(t, []string{"Task 1", "Task 3"}, titles)
			require.Len(t, taskErrs, 1)
			assert.Equal(t, tc.wantPointer, taskErrs[0].Pointer)
			assert.Equal(t, tc.wantExp, taskErrs[0].Expected)
			assert.Equal(t, tc.wantG, taskErrs[0].Got)
			assert.Equal(t, tc.wantID, taskErrs[0].ID)
		})
	}
}

func TestARepeatedTaskIsYieldedOnce(t *testing.T) {
	// A task added during the listing shifts the pages: page 2 starts with
	// the task page 1 ended with.
	pages := []string{
		listPage(1, 3, taskJSON(1), taskJSON(2), taskJSON(3)),
		listPage(2, 3, taskJSON(3), taskJSON(4), taskJSON(5)),
		listPage(3, 3, taskJSON(6), taskJSON(6)),
	}
	for _, n := range concurrencies {
		t.Run(fmt.Sprintf("concurrency %d", n), func(t *testing.T) {
			s := newStub(t, servePages(pages...))
			c, _ := newTestClient(t, s, WithPageConcurrency(n))
			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Empty(t, fatal)
			assert.Equal(t, titlesFrom(1, 6), titles, "each task once")
			require.Len(t, taskErrs, 2, "each repeat is reported")
			for i, want := range []struct{ page, index, task int }{{2, 0, 3}, {3, 1, 6}} {
				assert.ErrorIs(t, taskErrs[i], ErrDuplicateTask)
				assert.Equal(t, want.page, taskErrs[i].Page)
				assert.Equal(t, want.index, taskErrs[i].Index)
				assert.Equal(t, fmt.Sprintf("%032x", want.task), taskErrs[i].ID)
				assert.Equal(t, fmt.Sprintf("/data/%d", want.index), taskErrs[i].Pointer)
				assert.JSONEq(t, taskJSON(want.task), string(taskErrs[i].Raw))
				assert.Contains(t, taskErrs[i].Error(), "already yielded earlier in this listing")
			}
		})
	}
}

func TestPaginationThatCannotBeFollowedIsAnError(t *testing.T) {
	cases := map[string]struct {
		pages        []string
		wantTitles   []string
		wantProblem  string
		wantRequests int
	}{
		"no meta": {
			pages:      []string{`{"data":[` + taskJSON(1) + `]}`, listPage(2, 2, taskJSON(2))},
			wantTitles: titlesFrom(1, 1), wantProblem: "pagination of page 1: the response has no meta.pagination", wantRequests: 1,
		},
		"meta null": {
			pages:      []string{`{"data":[` + taskJSON(1) + `],"meta":null}`},
			wantTitles: titlesFrom(1, 1), wantProblem: "no meta.pagination", wantRequests: 1,
		},
		"meta without pagination": {
			pages:      []string{`{"data":[` + taskJSON(1) + `],"meta":{"overdue_tasks":0}}`},
			wantTitles: titlesFrom(1, 1), wantProblem: "no meta.pagination", wantRequests: 1,
		},
		"pagination of the wrong type": {
			pages:      []string{`{"data":[` + taskJSON(1) + `],"meta":{"pagination":{"current_page":"1","total_pages":2}}}`},
			wantTitles: titlesFrom(1, 1), wantProblem: "meta.pagination does not decode", wantRequests: 1,
		},
		"a later page without meta": {
			pages:      []string{listPage(1, 3, taskJSON(1)), `{"data":[` + taskJSON(2) + `]}`, listPage(3, 3, taskJSON(3))},
			wantTitles: titlesFrom(1, 2), wantProblem: "pagination of page 2: the response has no meta.pagination",
		},
		"current_page skips ahead": {
			pages:      []string{listPage(1, 5, taskJSON(1)), listPage(4, 5, taskJSON(4))},
			wantTitles: []string{"Task 1", "Task 4"}, wantProblem: "current_page is 4, but the request asked for page 2",
		},
		"current_page does not advance": {
			pages:      []string{listPage(1, 3, taskJSON(1)), listPage(1, 3, taskJSON(2))},
			wantTitles: titlesFrom(1, 2), wantProblem: "current_page is 1, but the request asked for page 2",
		},
		"an empty page that claims more": {
			pages:      []string{listPage(1, 4, taskJSON(1)), listPage(2, 4)},
			wantTitles: titlesFrom(1, 1), wantProblem: "page 2 holds no items, yet total_pages is 4",
		},
		"total_pages out of range": {
			pages:      []string{listPage(1, MaxPage+1, taskJSON(1))},
			wantTitles: titlesFrom(1, 1), wantProblem: "total_pages 2147483648 is more than 2147483647", wantRequests: 1,
		},
		"negative total_pages": {
			pages:      []string{listPage(1, -3, taskJSON(1))},
			wantTitles: titlesFrom(1, 1), wantProblem: "must not be negative", wantRequests: 1,
		},
	}
	for name, tc := range cases {
		for _, n := range concurrencies {
			t.Run(fmt.Sprintf("%s, concurrency %d", name, n), func(t *testing.T) {
				s := newStub(t, servePages(tc.pages...))
				c, _ := newTestClient(t, s, WithPageConcurrency(n))
				titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
				assert.Equal(t, tc.wantTitles, titles, "the page's tasks come before the error")
				assert.Empty(t, taskErrs)
				require.Len(t, fatal, 1)
				var pagErr *PaginationError
				require.ErrorAs(t, fatal[0], &pagErr)
				assert.ErrorContains(t, pagErr, tc.wantProblem)
				if tc.wantRequests > 0 {
					assert.Len(t, s.requests(), tc.wantRequests)
				}
			})
		}
	}
}

func TestPagesPastTheEndAndShrinkingListingsEndQuietly(t *testing.T) {
	cases := map[string]struct {
		pages      []string
		first      int
		wantTitles []string
	}{
		"a start past the last page": {
			pages: []string{listPage(1, 2, taskJSON(1)), listPage(2, 2, taskJSON(2)), listPage(3, 2)},
			first: 3,
		},
		"total_pages shrinks during the listing": {
			pages:      []string{listPage(1, 3, taskJSON(1)), listPage(2, 2, taskJSON(2)), listPage(3, 2)},
			first:      1,
			wantTitles: titlesFrom(1, 2),
		},
		"total_pages grows during the listing": {
			pages:      []string{listPage(1, 2, taskJSON(1)), listPage(2, 3, taskJSON(2)), listPage(3, 3, taskJSON(3))},
			first:      1,
			wantTitles: titlesFrom(1, 3),
		},
		"zero total_pages": {
			pages: []string{listPage(1, 0)},
			first: 1,
		},
	}
	for name, tc := range cases {
		for _, n := range concurrencies {
			t.Run(fmt.Sprintf("%s, concurrency %d", name, n), func(t *testing.T) {
				s := newStub(t, servePages(tc.pages...))
				c, _ := newTestClient(t, s, WithPageConcurrency(n))
				first := tc.first
				titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{Page: &first}))
				assert.Equal(t, tc.wantTitles, titles)
				assert.Empty(t, taskErrs)
				assert.Empty(t, fatal)
			})
		}
	}
}

func TestWithoutPaginationNeedsNoMeta(t *testing.T) {
	s := newStub(t, servePages(`{"data":[`+taskJSON(1)+`,`+taskJSON(1)+`]}`))
	c, _ := newTestClient(t, s)
	all := true
	titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, &gen.ListRunTasksParams{WithoutPagination: &all}))
	assert.Empty(t, fatal)
	assert.Empty(t, taskErrs, "one response cannot shift: no id is kept, and none is checked")
	assert.Equal(t, []string{"Task 1", "Task 1"}, titles)
}

func TestPageNumbersNearMaxIntNeverPanic(t *testing.T) {
	const maxInt = int(^uint(0) >> 1)
	cases := map[string]struct {
		first, current, total int
		wantProblem           string // "" for a quiet end
	}{
		"current_page at MaxInt":  {first: maxInt, current: maxInt, total: maxInt, wantProblem: "is more than 2147483647"},
		"current_page at MaxPage": {first: MaxPage, current: MaxPage, total: MaxPage},
		"total_pages at MaxInt":   {first: 1, current: 1, total: maxInt, wantProblem: "is more than 2147483647"},
		"a start at MaxInt":       {first: maxInt, current: maxInt, total: 3},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeJSON(w, 200, listPage(tc.current, tc.total, taskJSON(1)))
			})
			c, _ := newTestClient(t, s, WithPageConcurrency(8))
			first := tc.first
			titles, _, fatal := collect(c.OrgTasks(context.Background(), testOrg, &gen.ListOrgTasksParams{Page: &first}))
			assert.Equal(t, titlesFrom(1, 1), titles)
			assert.Len(t, s.requests(), 1)
			if tc.wantProblem == "" {
				assert.Empty(t, fatal)
				return
			}
			require.Len(t, fatal, 1)
			var pagErr *PaginationError
			require.ErrorAs(t, fatal[0], &pagErr)
			assert.ErrorContains(t, pagErr, tc.wantProblem)
		})
	}
}

// The listing survives drift on the project's stand-in: on page 1, a task
// whose position is a string (a type the spec does not allow) and a task
// with a space-separated date (a shape the tolerant types accept). Every
// other task of every page comes through, with one *TaskError naming the
// bad task's pointer.
func TestTheListingSurvivesDriftOnTheStandIn(t *testing.T) {
	const tasks = 25 // 3 pages at 10 a page
	for _, n := range concurrencies {
		t.Run(fmt.Sprintf("concurrency %d", n), func(t *testing.T) {
			s := standin.Start(standin.Config{OrgID: testOrg, RunID: testRun, RunTasks: tasks, Mutate: func(i int, task map[string]any) {
				switch i {
				case 1:
					task["position"] = "second"
				case 2:
					task["created_at"] = "2025-05-20 09:00:00"
				}
			}})
			t.Cleanup(s.Close)
			c, err := NewClient(testToken, WithBaseURL(s.BaseURL()), WithPageConcurrency(n))
			require.NoError(t, err)

			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Empty(t, fatal)
			want := append([]string{"Task 1"}, titlesFrom(3, tasks-2)...)
			assert.Equal(t, want, titles, "every other task of every page")
			require.Len(t, taskErrs, 1)
			assert.Equal(t, "/data/1/position", taskErrs[0].Pointer)
			assert.Equal(t, 1, taskErrs[0].Page)
			assert.Equal(t, 1, taskErrs[0].Index)
			assert.Equal(t, "integer", taskErrs[0].Expected)
			assert.Equal(t, "string", taskErrs[0].Got)
			assert.Equal(t, 3, s.Requests())
		})
	}
}
