package drift_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tallyfy-go/tallyfy/drift"
)

// A page of run tasks in which Tallyfy started sending a task status the
// spec does not know, and a field it does not list.
func ExampleValidator_Check() {
	v, err := drift.NewValidator()
	if err != nil {
		panic(err)
	}
	body := `{"data": [{
		"id": "9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b", "increment_id": 1205, "title": "Welcome call",
		"status": "skipped", "position": 1,
		"owners": {"users": [1234], "guests": [], "groups": []},
		"created_at": "2025-05-20T09:00:00Z", "last_updated": "2025-05-21T10:15:00Z",
		"sla_minutes": 30
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
	// warning listRunTasks /data/0/sla_minutes undocumented-field: field "sla_minutes" is not in the schema
	// drift listRunTasks /data/0/status enum: string "skipped" is not one of the allowed values ["not-started","in-progress","completed","auto-skipped","active"]
	// fails the check: true
}
