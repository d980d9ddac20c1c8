package drift_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Each pagination contradiction is one finding of rule "pagination" at the
// pointer of the value that is wrong, and nothing else; values of the wrong
// type are left to the schema's findings.
func TestCheckPaginationSemantics(t *testing.T) {
	const rule = drift.RulePagination
	cases := []struct {
		name string
		ex   func(testing.TB) drift.Exchange
		want []at
		says []string // a part of each finding's message, in order ("" for any)
	}{
		{name: "no meta, pagination not turned off",
			ex:   change(func(p map[string]any) { delete(p, "meta") }),
			want: []at{drifted("/meta", rule)}, says: []string{"without_pagination=true"}},
		{name: "no meta, without_pagination=false",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(3)
				delete(p, "meta")
				return exchange(tb, prodBase+runTasksPath+"?without_pagination=false", http.StatusOK, p)
			},
			want: []at{drifted("/meta", rule)}},
		{name: "meta without pagination is the schema's finding alone",
			ex:   change(func(p map[string]any) { p["meta"] = map[string]any{} }),
			want: []at{drifted("/meta/pagination", "required")}},
		{name: "count is not the number of items",
			ex:   change(func(p map[string]any) { pagination(p)["count"] = 2 }),
			want: []at{drifted("/meta/pagination/count", rule)}, says: []string{"count is 2, but the page holds 3 items"}},
		{name: "count is more than per_page",
			ex: middlePage(func(p map[string]any) {
				pg := pagination(p)
				pg["per_page"], pg["total"] = 2, 6
			}),
			want: []at{drifted("/meta/pagination/count", rule)}, says: []string{"count 3 is more than per_page 2"}},
		{name: "an empty page that claims 25 tasks",
			ex: change(func(p map[string]any) {
				p["data"] = []any{}
				pagination(p)["count"] = 25
			}),
			want: []at{drifted("/meta/pagination/count", rule)}, says: []string{"count is 25, but the page holds 0 items"}},
		{name: "an empty first page of 25 tasks",
			ex: change(func(p map[string]any) {
				p["data"] = []any{}
				pg := pagination(p)
				pg["count"], pg["total"], pg["total_pages"] = 0, 25, 3
				pg["links"] = map[string]any{"next": prodBase + runTasksPath + "?page=2"}
			}),
			want: []at{drifted("/meta/pagination/count", rule), drifted("/meta/pagination/total_pages", rule)},
			says: []string{"holds 10 of the 25 items", "page 1 holds no items, yet total_pages is 3"}},
		{name: "a short last page conforms",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(1)
				pg := pagination(p)
				pg["per_page"], pg["total"], pg["total_pages"], pg["current_page"] = 3, 7, 3, 3
				pg["links"] = map[string]any{"previous": prodBase + runTasksPath + "?per_page=3&page=2"}
				return exchange(tb, prodBase+runTasksPath+"?per_page=3&page=3", http.StatusOK, p)
			},
			want: []at{}},
		{name: "a last page that holds too many",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(2)
				pg := pagination(p)
				pg["per_page"], pg["total"], pg["total_pages"], pg["current_page"] = 3, 7, 3, 3
				return exchange(tb, prodBase+runTasksPath+"?per_page=3&page=3", http.StatusOK, p)
			},
			want: []at{drifted("/meta/pagination/count", rule)}, says: []string{"page 3 of 3 at per_page 3 holds 1 of the 7 items"}},
		{name: "current_page is not the page asked for",
			ex:   middlePage(func(p map[string]any) { pagination(p)["current_page"] = 1 }),
			want: []at{drifted("/meta/pagination/current_page", rule)}, says: []string{"asked for page 2"}},
		{name: "no page parameter asks for page 1",
			ex: func(tb testing.TB) drift.Exchange {
				ex := middlePage(func(map[string]any) {})(tb)
				ex.URL = prodBase + runTasksPath + "?per_page=3"
				return ex
			},
			want: []at{drifted("/meta/pagination/current_page", rule)}, says: []string{"asked for page 1"}},
		{name: "current_page 0",
			ex:   change(func(p map[string]any) { pagination(p)["current_page"] = 0 }),
			want: []at{drifted("/meta/pagination/current_page", rule)}},
		{name: "current_page 0 without pagination",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(3)
				pagination(p)["current_page"] = 0
				return exchange(tb, prodBase+runTasksPath+"?without_pagination=true", http.StatusOK, p)
			},
			want: []at{drifted("/meta/pagination/current_page", rule)}, says: []string{"pages count from 1"}},
		{name: "current_page past total_pages",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(3)
				pagination(p)["current_page"] = 2
				return exchange(tb, prodBase+runTasksPath+"?without_pagination=true", http.StatusOK, p)
			},
			want: []at{drifted("/meta/pagination/current_page", rule)}, says: []string{"current_page 2 is past total_pages 1"}},
		{name: "current_page past total_pages, as asked",
			ex: func(tb testing.TB) drift.Exchange {
				p := page(3)
				pagination(p)["current_page"] = 4
				return exchange(tb, prodBase+runTasksPath+"?page=4", http.StatusOK, p)
			},
			want: []at{drifted("/meta/pagination/current_page", rule)}, says: []string{"past total_pages 1"}},
		{name: "total does not make total_pages",
			ex:   change(func(p map[string]any) { pagination(p)["total"] = 30 }),
			want: []at{drifted("/meta/pagination/total", rule)}, says: []string{"total 30 at per_page 10 does not make total_pages 1"}},
		{name: "total_pages one too many",
			ex: middlePage(func(p map[string]any) {
				pagination(p)["total_pages"] = 4
			}),
			want: []at{drifted("/meta/pagination/total", rule)}},
		{name: "total_pages past the largest page a listing follows",
			ex: middlePage(func(p map[string]any) {
				pagination(p)["total_pages"] = math.MaxInt32 + 1
			}),
			want: []at{drifted("/meta/pagination/total", rule), drifted("/meta/pagination/total_pages", rule)},
			says: []string{"does not make total_pages 2147483648", "total_pages 2147483648 is more than 2147483647"}},
		{name: "per_page 0 with tasks",
			ex:   change(func(p map[string]any) { pagination(p)["per_page"] = 0 }),
			want: []at{drifted("/meta/pagination/count", rule), drifted("/meta/pagination/total", rule)}},
		{name: "no links.next though a later page exists",
			ex:   middlePage(func(p map[string]any) { pagination(p)["links"] = []any{} }),
			want: []at{drifted("/meta/pagination/links/next", rule)}, says: []string{"page 2 of 3 has no links.next"}},
		{name: "null links.next though a later page exists",
			ex:   middlePage(func(p map[string]any) { pagination(p)["links"] = map[string]any{"next": nil} }),
			want: []at{drifted("/meta/pagination/links/next", rule)}},
		{name: "no links at all though a later page exists",
			ex:   middlePage(func(p map[string]any) { delete(pagination(p), "links") }),
			want: []at{drifted("/meta/pagination/links/next", rule)}},
		{name: "links.next on the last page",
			ex: change(func(p map[string]any) {
				pagination(p)["links"] = map[string]any{"next": prodBase + runTasksPath + "?page=2"}
			}),
			want: []at{drifted("/meta/pagination/links/next", rule)}, says: []string{"links.next is set on page 1 of 1, the last"}},
		{name: "values of the wrong type are the schema's findings alone",
			ex: middlePage(func(p map[string]any) {
				pg := pagination(p)
				pg["count"], pg["current_page"], pg["total"] = "3", -2, 1.5
			}),
			want: []at{
				drifted("/meta/pagination/count", "type"),
				drifted("/meta/pagination/current_page", "minimum"),
				drifted("/meta/pagination/total", "type"),
			}},
		{name: "a page parameter that is not a page is the request's finding alone",
			ex: func(tb testing.TB) drift.Exchange {
				ex := middlePage(func(map[string]any) {})(tb)
				ex.URL = prodBase + runTasksPath + "?per_page=3&page=second"
				return ex
			},
			want: []at{drifted("", drift.RuleRequest)}},
		{name: "an error body has no pagination",
			ex:   func(tb testing.TB) drift.Exchange { return runTasks(tb, http.StatusNotFound, notFound) },
			want: []at{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			findings := validator.Check(context.Background(), tc.ex(t))
			assert.Equal(t, tc.want, project(findings))
			for i, says := range tc.says {
				if i < len(findings) {
					assert.Contains(t, findings[i].Message, says)
				}
			}
		})
	}
}
