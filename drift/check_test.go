package drift_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/spec"
)

// at is what a test expects of a finding: where, which rule, how bad.
type at struct {
	Pointer  string
	Rule     string
	Severity drift.Severity
}

func drifted(pointer, rule string) at { return at{pointer, rule, drift.SeverityDrift} }
func warned(pointer, rule string) at  { return at{pointer, rule, drift.SeverityWarning} }

func project(findings []drift.Finding) []at {
	out := make([]at, 0, len(findings))
	for _, f := range findings {
		out = append(out, at{f.Pointer, f.Rule, f.Severity})
	}
	return out
}

// middlePage returns a conforming run-tasks 200 response to ?page=2: page
// 2 of 3 at per_page 3, links both ways; then edit.
func middlePage(edit func(p map[string]any)) func(testing.TB) drift.Exchange {
	return func(tb testing.TB) drift.Exchange {
		p := page(3)
		pg := pagination(p)
		pg["total"], pg["per_page"], pg["current_page"], pg["total_pages"] = 8, 3, 2, 3
		pg["links"] = map[string]any{
			"previous": prodBase + runTasksPath + "?per_page=3&page=1",
			"next":     prodBase + runTasksPath + "?per_page=3&page=3",
		}
		edit(p)
		return exchange(tb, prodBase+runTasksPath+"?per_page=3&page=2", http.StatusOK, p)
	}
}

// change returns a conforming run-tasks 200 page of 3 tasks after edit.
func change(edit func(p map[string]any)) func(testing.TB) drift.Exchange {
	return func(tb testing.TB) drift.Exchange {
		p := page(3)
		edit(p)
		return runTasks(tb, http.StatusOK, p)
	}
}

// with returns a conforming run-tasks 200 page of 3 tasks, then edit.
func with(edit func(ex *drift.Exchange)) func(testing.TB) drift.Exchange {
	return func(tb testing.TB) drift.Exchange {
		ex := runTasks(tb, http.StatusOK, page(3))
		edit(&ex)
		return ex
	}
}

var notFound = map[string]any{"error": true, "message": "Resource not found", "code": "RESOURCE_NOT_FOUND"}

var rateLimited = map[string]any{"error": true, "message": "Too many requests", "code": "RATE_LIMIT_EXCEEDED"}

func TestCheckConforming(t *testing.T) {
	cases := []struct {
		name string
		ex   func(testing.TB) drift.Exchange
	}{
		{"run tasks, last page, links []", change(func(map[string]any) {})},
		{"run tasks, middle page, links object", middlePage(func(map[string]any) {})},
		{"run tasks, links with null previous", middlePage(func(p map[string]any) {
			pagination(p)["links"] = map[string]any{"previous": nil, "next": "https://go.tallyfy.com/api/x?page=3"}
		})},
		{"run tasks, last page, links object with null next", change(func(p map[string]any) {
			pagination(p)["links"] = map[string]any{"previous": nil, "next": nil}
		})},
		{"owners as integers and as user objects", change(func(p map[string]any) {
			dataTask(p, 1)["owners"] = map[string]any{
				"users":  []any{1234, map[string]any{"id": 5678, "full_name": "Ada Lovelace", "profile_pic": nil}},
				"guests": []any{}, "groups": []any{"7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29"},
			}
		})},
		{"includes and open objects hold any keys", change(func(p map[string]any) {
			tk := dataTask(p, 0)
			tk["taskdata"] = map[string]any{"6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b": "anything", "x": []any{1, 2}}
			tk["step"] = map[string]any{"data": map[string]any{"id": "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80", "title": "Schedule welcome call",
				"deadline": map[string]any{"value": 2, "unit": "days", "option": "from", "step": "start_run"}}}
			tk["run"] = map[string]any{"data": map[string]any{"id": runID, "prerun": map[string]any{"any": "thing"},
				"progress": map[string]any{"complete": 1, "total": 4, "percent": 25.5}}}
			tk["form_fields"] = map[string]any{"data": []any{map[string]any{"id": "f1", "field_value": map[string]any{"id": 2, "text": "Pro"}}}}
			tk["activities"] = map[string]any{"data": []any{map[string]any{"whatever": true}}}
		})},
		{"without meta, as without_pagination=true allows", func(tb testing.TB) drift.Exchange {
			p := page(3)
			delete(p, "meta")
			return exchange(tb, prodBase+runTasksPath+"?without_pagination=true", http.StatusOK, p)
		}},
		{"empty run: no items, one page", change(func(p map[string]any) {
			p["data"] = []any{}
			pg := pagination(p)
			pg["total"], pg["count"] = 0, 0
		})},
		{"empty run: no items, zero pages", change(func(p map[string]any) {
			p["data"] = []any{}
			pg := pagination(p)
			pg["total"], pg["count"], pg["total_pages"] = 0, 0, 0
		})},
		{"404 error body", func(tb testing.TB) drift.Exchange { return runTasks(tb, http.StatusNotFound, notFound) }},
		{"401 Laravel body", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusUnauthorized, map[string]any{"message": "Unauthenticated."})
		}},
		{"401 OAuth body", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
		}},
		{"422 field errors", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusUnprocessableEntity, map[string]any{
				"error": true, "message": "The given data was invalid.",
				"errors": map[string]any{"per_page": []any{"The per page must be at least 1."}},
			})
		}},
		{"429 with Retry-After", func(tb testing.TB) drift.Exchange {
			ex := runTasks(tb, http.StatusTooManyRequests, rateLimited)
			ex.ResponseHeader.Set("Retry-After", "30")
			ex.ResponseHeader.Set("X-RateLimit-Remaining", "0")
			return ex
		}},
		{"JSON content type with charset", with(func(ex *drift.Exchange) {
			ex.ResponseHeader.Set("Content-Type", "application/json; charset=utf-8")
		})},
		{"org tasks with a one-off task, root base, every filter", func(tb testing.TB) drift.Exchange {
			p := page(2)
			pg := pagination(p)
			pg["total"], pg["per_page"], pg["current_page"], pg["total_pages"] = 52, 50, 2, 2
			oneOff := dataTask(p, 1)
			oneOff["run_id"], oneOff["checklist_id"], oneOff["step_id"], oneOff["is_oneoff_task"] = nil, nil, nil, true
			return exchange(tb, "https://api.tallyfy.com"+orgTasksPath+
				"?q=welcome&status=overdue&owners=1234,5678&roles=r1&tag=VIP&created=2025-01-01:2025-02-01"+
				"&is_oneoff=true&archived=only&deadline_before=2025-06-01&with=run,tags&page=2&per_page=50&sort=-newest",
				http.StatusOK, p)
		}},
		{"custom base path with a port", func(tb testing.TB) drift.Exchange {
			return exchange(tb, "http://127.0.0.1:1234/custom/prefix"+runTasksPath, http.StatusOK, page(1))
		}},
		{"no request headers at all", with(func(ex *drift.Exchange) { ex.RequestHeader = nil })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			findings := validator.Check(context.Background(), tc.ex(t))
			assert.Empty(t, findings)
			assert.False(t, drift.HasDrift(findings))
		})
	}
}

func TestCheckCatchesDrift(t *testing.T) {
	long := make([]byte, 500)
	for i := range long {
		long[i] = 'x'
	}
	cases := []struct {
		name string
		ex   func(testing.TB) drift.Exchange
		want []at
	}{
		{"unknown task status", change(func(p map[string]any) { dataTask(p, 1)["status"] = "skipped" }),
			[]at{drifted("/data/1/status", "enum")}},
		{"unknown task type", change(func(p map[string]any) { dataTask(p, 2)["task_type"] = "standard" }),
			[]at{drifted("/data/2/task_type", "enum")}},
		// kin-openapi points a missing required field at the field itself,
		// not at the object that lacks it.
		{"missing required field", change(func(p map[string]any) { delete(dataTask(p, 0), "title") }),
			[]at{drifted("/data/0/title", "required")}},
		{"missing required owners bucket", change(func(p map[string]any) {
			delete(dataTask(p, 0)["owners"].(map[string]any), "groups")
		}), []at{drifted("/data/0/owners/groups", "required")}},
		{"wrong type", change(func(p map[string]any) { dataTask(p, 0)["position"] = "1" }),
			[]at{drifted("/data/0/position", "type")}},
		{"null where not nullable", change(func(p map[string]any) { dataTask(p, 0)["title"] = nil }),
			[]at{drifted("/data/0/title", "nullable")}},
		{"bad date-time", change(func(p map[string]any) { dataTask(p, 0)["created_at"] = "yesterday" }),
			[]at{drifted("/data/0/created_at", "format")}},
		{"impossible date", change(func(p map[string]any) { dataTask(p, 0)["deadline"] = "2025-02-30T10:00:00Z" }),
			[]at{drifted("/data/0/deadline", "format")}},
		{"id pattern", change(func(p map[string]any) { dataTask(p, 2)["id"] = "9F2C1A7B" }),
			[]at{drifted("/data/2/id", "pattern")}},
		{"changed type in meta", change(func(p map[string]any) { pagination(p)["total"] = "3" }),
			[]at{drifted("/meta/pagination/total", "type")}},
		{"negative count", change(func(p map[string]any) { pagination(p)["count"] = -1 }),
			[]at{drifted("/meta/pagination/count", "minimum")}},
		{"links neither object nor empty array", change(func(p map[string]any) { pagination(p)["links"] = []any{"next"} }),
			[]at{drifted("/meta/pagination/links", "oneOf")}},
		{"owner neither id nor user", change(func(p map[string]any) {
			dataTask(p, 1)["owners"].(map[string]any)["users"] = []any{1234, "ada@example.com"}
		}), []at{drifted("/data/1/owners/users/1", "oneOf")}},
		{"data missing", change(func(p map[string]any) { delete(p, "data") }),
			[]at{drifted("/data", "required")}},
		{"every violation of a page, each at its pointer", change(func(p map[string]any) {
			dataTask(p, 0)["title"] = nil
			dataTask(p, 1)["status"] = "skipped"
			dataTask(p, 2)["increment_id"] = 1.5
			pagination(p)["per_page"] = "10"
		}), []at{
			drifted("/data/0/title", "nullable"),
			drifted("/data/1/status", "enum"),
			drifted("/data/2/increment_id", "type"),
			drifted("/meta/pagination/per_page", "type"),
		}},
		{"long value in a wrong-typed field", change(func(p map[string]any) { dataTask(p, 0)["position"] = string(long) }),
			[]at{drifted("/data/0/position", "type")}},
		{"undocumented field is a warning", change(func(p map[string]any) { dataTask(p, 0)["brand_new"] = 1 }),
			[]at{warned("/data/0/brand_new", "undocumented-field")}},
		{"undocumented fields at depth", change(func(p map[string]any) {
			dataTask(p, 0)["step"] = map[string]any{"data": map[string]any{"id": "s1", "title": "T", "brand_new": true}}
			dataTask(p, 1)["owners"].(map[string]any)["users"] = []any{map[string]any{"id": 1, "email": "a@example.com"}}
			pagination(p)["links"] = map[string]any{"next": nil, "first": "https://go.tallyfy.com/api/x?page=1"}
			pagination(p)["has_more_pages"] = false
			dataTask(p, 2)["a/b~c"] = 1
		}), []at{
			warned("/data/0/step/data/brand_new", "undocumented-field"),
			warned("/data/1/owners/users/0/email", "undocumented-field"),
			warned("/data/2/a~1b~0c", "undocumented-field"),
			warned("/meta/pagination/has_more_pages", "undocumented-field"),
			warned("/meta/pagination/links/first", "undocumented-field"),
		}},
		{"undocumented field of an error body", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusNotFound, map[string]any{"error": true, "message": "Not found", "trace_id": "abc"})
		}, []at{warned("/trace_id", "undocumented-field")}},
		{"wrong content type", with(func(ex *drift.Exchange) {
			ex.ResponseHeader.Set("Content-Type", "text/html; charset=UTF-8")
			ex.Body = []byte("<!doctype html><p>Maintenance</p>")
		}), []at{drifted("", "content-type")}},
		{"no content type", with(func(ex *drift.Exchange) { ex.ResponseHeader.Del("Content-Type") }),
			[]at{drifted("", "content-type")}},
		{"body not JSON", with(func(ex *drift.Exchange) { ex.Body = []byte(`{"data": [`) }),
			[]at{drifted("", "invalid-json")}},
		{"empty body", with(func(ex *drift.Exchange) { ex.Body = nil }),
			[]at{drifted("", "invalid-json")}},
		{"data after the JSON value", with(func(ex *drift.Exchange) { ex.Body = append(ex.Body, []byte(` {}`)...) }),
			[]at{drifted("", "invalid-json")}},
		{"undocumented status 500", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusInternalServerError, notFound)
		}, []at{drifted("", "status")}},
		{"undocumented status 418", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusTeapot, notFound)
		}, []at{drifted("", "status")}},
		{"undocumented status 304, which kin-openapi skips", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusNotModified, notFound)
		}, []at{drifted("", "status")}},
		{"429 without Retry-After", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusTooManyRequests, rateLimited)
		}, []at{drifted("Retry-After", "header")}},
		{"429 with every header wrong", func(tb testing.TB) drift.Exchange {
			ex := runTasks(tb, http.StatusTooManyRequests, rateLimited)
			ex.ResponseHeader.Set("X-RateLimit-Remaining", "many")
			return ex
		}, []at{drifted("Retry-After", "header"), drifted("X-RateLimit-Remaining", "header")}},
		{"error body with no property", func(tb testing.TB) drift.Exchange {
			return runTasks(tb, http.StatusNotFound, map[string]any{})
		}, []at{drifted("", "minProperties")}},
		{"bad org id", func(tb testing.TB) drift.Exchange {
			return exchange(tb, prodBase+"/organizations/not-an-org/tasks", http.StatusOK, page(1))
		}, []at{drifted("", "request")}},
		{"bad query parameters, each its own finding", func(tb testing.TB) drift.Exchange {
			return exchange(tb, prodBase+orgTasksPath+"?per_page=0&sort=oldest&deadline_on=tomorrow&with=run,nonsense", http.StatusOK, page(1))
		}, []at{drifted("", "request"), drifted("", "request"), drifted("", "request"), drifted("", "request")}},
		{"no route", func(tb testing.TB) drift.Exchange {
			return exchange(tb, prodBase+"/organizations/"+orgID+"/users", http.StatusOK, page(1))
		}, []at{drifted("", "route")}},
		{"undocumented method", with(func(ex *drift.Exchange) { ex.Method = http.MethodPost }),
			[]at{drifted("", "route")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			findings := validator.Check(context.Background(), tc.ex(t))
			assert.Equal(t, tc.want, project(findings))
			for _, f := range findings {
				assert.NotEmpty(t, f.Message)
				assert.LessOrEqual(t, len([]rune(f.Message)), 201, f.Message)
				assert.NotContains(t, f.Message, "Schema:", "no schema dump")
				assert.NotContains(t, f.Message, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "no long value")
			}
		})
	}
}

func TestCheckStrictMakesUndocumentedFieldsDrift(t *testing.T) {
	strict := mustValidator(drift.Strict())
	p := page(2)
	dataTask(p, 0)["brand_new"] = "x"
	ex := runTasks(t, http.StatusOK, p)

	assert.Equal(t, []at{drifted("/data/0/brand_new", "undocumented-field")}, project(strict.Check(context.Background(), ex)))
	assert.True(t, drift.HasDrift(strict.Check(context.Background(), ex)))
	assert.False(t, drift.HasDrift(validator.Check(context.Background(), ex)), "a warning by default")
}

func TestCheckFillsTheExchange(t *testing.T) {
	p := page(2)
	dataTask(p, 1)["status"] = "skipped"
	ex := runTasks(t, http.StatusOK, p)
	ex.URL = "https://ada:secret@go.tallyfy.com/api" + runTasksPath + "?access_token=tok123&page=1&api_key=k&Token=t&with=step#frag"

	findings := validator.Check(context.Background(), ex)
	require.Len(t, findings, 1)
	f := findings[0]
	assert.Equal(t, "listRunTasks", f.Operation)
	assert.Equal(t, http.MethodGet, f.Method)
	assert.Equal(t, http.StatusOK, f.Status)
	assert.Equal(t, "https://go.tallyfy.com/api"+runTasksPath+"?page=1&with=step", f.URL)
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	allowed, err := json.Marshal(doc.Components.Schemas["TaskStatus"].Value.Enum) // the values follow the spec
	require.NoError(t, err)
	assert.Equal(t, `string "skipped" is not one of the allowed values `+string(allowed), f.Message)
}

func TestCheckRoutesUnderAnyBase(t *testing.T) {
	bases := []string{
		"https://go.tallyfy.com/api",
		"https://api.tallyfy.com",
		"http://127.0.0.1:41234",
		"http://127.0.0.1:1234/custom/prefix",
		"https://proxy.example.com/a/b/c/d",
	}
	for _, base := range bases {
		for path, op := range map[string]string{runTasksPath: "listRunTasks", orgTasksPath: "listOrgTasks"} {
			t.Run(base+path, func(t *testing.T) {
				// 418 is documented nowhere: the one finding says the route was found.
				findings := validator.Check(context.Background(), exchange(t, base+path+"?page=1", http.StatusTeapot, notFound))
				require.Len(t, findings, 1)
				assert.Equal(t, op, findings[0].Operation)
				assert.Equal(t, "status", findings[0].Rule)
			})
		}
	}
}

func TestCheckFindingsAreSorted(t *testing.T) {
	p := page(3)
	dataTask(p, 2)["title"] = nil
	dataTask(p, 0)["zz_new"] = 1
	dataTask(p, 0)["position"] = "1"
	dataTask(p, 0)["aa_new"] = 1
	pagination(p)["total"] = "3"
	findings := validator.Check(context.Background(), runTasks(t, http.StatusOK, p))
	assert.Equal(t, []string{"/data/0/aa_new", "/data/0/position", "/data/0/zz_new", "/data/2/title", "/meta/pagination/total"},
		pointers(findings))
}

func pointers(findings []drift.Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Pointer
	}
	return out
}

func TestCheckUnusableRequest(t *testing.T) {
	cases := map[string]func(ex *drift.Exchange){
		"URL that does not parse": func(ex *drift.Exchange) { ex.URL = "http://[::1]:namedport/x?token=abc" },
		"no method":               func(ex *drift.Exchange) { ex.Method = "" },
		"HEAD is not documented":  func(ex *drift.Exchange) { ex.Method = http.MethodHead },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			ex := runTasks(t, http.StatusOK, page(1))
			edit(&ex)
			findings := validator.Check(context.Background(), ex)
			assert.Equal(t, []at{drifted("", "route")}, project(findings))
			assert.Empty(t, findings[0].Operation)
			assert.NotContains(t, findings[0].URL, "abc")
		})
	}
}
