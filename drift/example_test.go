package drift_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tallyfy-go/tallyfy/drift"
)

// A page of run tasks in which Tallyfy started sending a task's position as
// text, and a field the spec does not list (x_example_only: a name no spec
// will have, so that the example holds whatever the spec gains).
func ExampleValidator_Check() {
	v, err := drift.NewValidator()
	if err != nil {
		panic(err)
	}
	body := `{"data": [{
		"id": "9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b", "increment_id": 1205, "title": "Welcome call",
		"status": "completed", "position": "first",
		"owners": {"users": [1234], "guests": [], "groups": []},
		"created_at": "2025-05-20T09:00:00Z", "last_updated": "2025-05-21T10:15:00Z",
		"x_example_only": 30
	}], "meta": {"pagination": {"total": 1, "count": 1, "per_page": 10, "current_page": 1, "total_pages": 1, "links": []}}}`
	findings := v.Check(context.Background(), drift.Exchange{
		Method:         http.MethodGet,
		URL:            "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001/runs/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks?page=1",
		Status:         http.StatusOK,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body:           []byte(body),
	})
	for _, f := range findings {
		fmt.Printf("%s %s %s %s: %s\n", f.Severity, f.Operation, f.Pointer, f.Rule, f.Message)
	}
	fmt.Println("fails the check:", drift.HasDrift(findings))
	// Output:
	// drift listRunTasks /data/0/position type: value must be an integer, got string "first"
	// warning listRunTasks /data/0/x_example_only undocumented-field: field "x_example_only" is not in the schema
	// fails the check: true
}

// A Validator built from a spec document other than the embedded one, here
// a small one written inline; tallyfy-drift --spec FILE does this with an
// edited openapi.yaml.
func ExampleWithSpec() {
	document := []byte(`
openapi: 3.0.3
info: {title: Tasks, version: 0.0.1}
paths:
  /tasks:
    get:
      operationId: listTasks
      responses:
        '200':
          description: The tasks.
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data:
                    type: array
                    items:
                      type: object
                      required: [id]
                      properties:
                        id: {type: integer}
`)
	v, err := drift.NewValidator(drift.WithSpec(document))
	if err != nil {
		panic(err)
	}
	findings := v.Check(context.Background(), drift.Exchange{
		Method:         http.MethodGet,
		URL:            "https://example.com/api/tasks",
		Status:         http.StatusOK,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body:           []byte(`{"data": [{"id": 1}, {"id": "2"}]}`),
	})
	fmt.Println("spec version:", v.SpecVersion())
	for _, f := range findings {
		fmt.Printf("%s %s %s: %s\n", f.Operation, f.Pointer, f.Rule, f.Message)
	}
	// Output:
	// spec version: 0.0.1
	// listTasks /data/1/id type: value must be an integer, got string "2"
}
