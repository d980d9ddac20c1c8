package drift_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Two pages, of a run and of an organization, whose tasks carry a field the
// spec does not list and a status it does not know: the suggestion is one
// field added to the Task schema both listings share, and one value
// appended to TaskStatus, written as an OpenAPI Overlay.
func ExampleSuggester() {
	v, err := drift.NewValidator()
	if err != nil {
		panic(err)
	}
	s := drift.NewSuggester(v, time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC))
	task := func(id, status, exampleMinutes string) string {
		return `{"id": "` + id + `", "increment_id": 1205, "title": "Welcome call", "status": "` + status + `", "position": 1,
			"owners": {"users": [1234], "guests": [], "groups": []},
			"created_at": "2025-05-20T09:00:00Z", "last_updated": "2025-05-21T10:15:00Z", "x_example_sla_minutes": ` + exampleMinutes + `}`
	}
	page := func(tasks string) []byte {
		return []byte(`{"data": [` + tasks + `], "meta": {"pagination": {"total": 2, "count": 2, "per_page": 10, "current_page": 1, "total_pages": 1, "links": []}}}`)
	}
	const org = "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001"
	for _, ex := range []struct{ name, url, body string }{
		{"run-page.json", org + "/runs/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks", string(page(
			task("9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b", "x-example-paused", "2") + "," + task("9f2c1a7be3d44c0f8a6b5e1d2c3f4a5c", "completed", "null")))},
		{"org-page.json", org + "/tasks", string(page(
			task("9f2c1a7be3d44c0f8a6b5e1d2c3f4a5d", "x-example-paused", "5") + "," + task("9f2c1a7be3d44c0f8a6b5e1d2c3f4a5e", "active", "1")))},
	} {
		exchange := drift.Exchange{
			Method: http.MethodGet, URL: ex.url, Status: http.StatusOK,
			ResponseHeader: http.Header{"Content-Type": {"application/json"}},
			Body:           []byte(ex.body),
		}
		s.Add(ex.name, exchange, v.Check(context.Background(), exchange))
	}
	suggestion := s.Suggestion()
	for _, a := range suggestion.Actions {
		fmt.Printf("%s: %s\n", a.Target, a.Summary)
	}
	if err := suggestion.WriteOverlay(os.Stdout, drift.OverlayInfo{Checked: "2 pages", Spec: v.SpecVersion()}); err != nil {
		panic(err)
	}
	// Output:
	// $.components.schemas.Task.properties: add field "x_example_sla_minutes" to Task (integer, nullable)
	// $.components.schemas.TaskStatus.enum: append "x-example-paused" to the enum of TaskStatus
	// overlay: 1.1.0
	// info:
	//   title: 'tallyfy-drift: suggested changes of openapi.yaml'
	//   version: "2025-06-02"
	//   description: |
	//     Changes of openapi.yaml that the drift check proposes, from 2 pages against
	//     spec 0.2.0, on 2025-06-02. Each action says what it changes and what showed
	//     it; those marked breaking change the generated Go type. Review every action,
	//     and delete the ones you do not want.
	// actions:
	//   - target: $.components.schemas.Task.properties
	//     description: |
	//       Add the field `x_example_sla_minutes` to Task, as integer, nullable. It is
	//       not required, and has no enum.
	//
	//       Evidence: 4 occurrences in 2 exchanges of listOrgTasks and listRunTasks,
	//       e.g. /data/0/x_example_sla_minutes in run-page.json. Seen by the drift check
	//       (rule undocumented-field) on 2025-06-02 in run-page.json, org-page.json.
	//     x-tallyfy-drift:
	//       kind: add-field
	//       name: x_example_sla_minutes
	//       breaking: false
	//       observed: "2025-06-02"
	//       rule: undocumented-field
	//       occurrences: 4
	//       exchanges: 2
	//       operations: [listOrgTasks, listRunTasks]
	//       sources: [run-page.json, org-page.json]
	//       example: /data/0/x_example_sla_minutes
	//     update:
	//       x_example_sla_minutes:
	//         type: integer
	//         nullable: true
	//         description: |
	//           Not described by Tallyfy's documentation or Swagger: the drift check saw it
	//           on 2025-06-02, in run-page.json and 1 more.
	//   - target: $.components.schemas.TaskStatus.enum
	//     description: |
	//       Append "x-example-paused" to the enum of TaskStatus. The Go client decodes
	//       any value already; the generated type gains a constant. The release gate
	//       (make spec-check, oasdiff) counts a new value of a response enum as breaking
	//       for clients: record the decision in release/accepted-breaking.txt.
	//
	//       Evidence: 2 occurrences in 2 exchanges of listOrgTasks and listRunTasks,
	//       e.g. /data/0/status in run-page.json. Seen by the drift check (rule enum) on
	//       2025-06-02 in run-page.json, org-page.json.
	//     x-tallyfy-drift:
	//       kind: add-enum-value
	//       name: '"x-example-paused"'
	//       value: x-example-paused
	//       breaking: false
	//       observed: "2025-06-02"
	//       rule: enum
	//       occurrences: 2
	//       exchanges: 2
	//       operations: [listOrgTasks, listRunTasks]
	//       sources: [run-page.json, org-page.json]
	//       example: /data/0/status
	//     update:
	//       - x-example-paused
}
