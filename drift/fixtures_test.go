package drift_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
)

// Ids in recordings are 32 lowercase hex characters, as the spec's path
// patterns require.
const (
	orgID = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001"
	runID = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
)

const (
	prodBase     = "https://go.tallyfy.com/api"
	runTasksPath = "/organizations/" + orgID + "/runs/" + runID + "/tasks"
	orgTasksPath = "/organizations/" + orgID + "/tasks"
)

// validator is shared by the tests, as it is meant to be shared by callers.
var validator = mustValidator()

func mustValidator(opts ...drift.Option) *drift.Validator {
	v, err := drift.NewValidator(opts...)
	if err != nil {
		panic(err)
	}
	return v
}

// task returns a task of the run that conforms to the spec: the spec's
// Task example (so that the fixture follows the spec, whatever fields it
// gains or loses), with i making its id, title and position unique.
func task(i int) map[string]any {
	t := specfixture.Task()
	t["id"] = fmt.Sprintf("9f2c1a7be3d44c0f8a6b5e1d2c3f%04x", i)
	t["increment_id"] = 1205 + i
	t["title"] = fmt.Sprintf("Welcome call %d", i)
	t["run_id"] = runID
	t["position"] = i + 1
	return t
}

// page returns a conforming page of n tasks, the last page (links []).
func page(n int) map[string]any {
	data := make([]any, n)
	for i := range data {
		data[i] = task(i)
	}
	return map[string]any{
		"data": data,
		"meta": map[string]any{
			"pagination": map[string]any{
				"total": n, "count": n, "per_page": 10, "current_page": 1, "total_pages": 1,
				"links": []any{},
			},
		},
	}
}

// dataTask returns task i of a page built by page.
func dataTask(p map[string]any, i int) map[string]any {
	return p["data"].([]any)[i].(map[string]any)
}

// pagination returns meta.pagination of a page built by page.
func pagination(p map[string]any) map[string]any {
	return p["meta"].(map[string]any)["pagination"].(map[string]any)
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return b
}

// exchange returns a GET of url answered with status and a JSON body.
func exchange(tb testing.TB, url string, status int, body any) drift.Exchange {
	tb.Helper()
	return drift.Exchange{
		Method:         http.MethodGet,
		URL:            url,
		RequestHeader:  http.Header{"Accept": {"application/json"}, "X-Tallyfy-Client": {"APIClient"}},
		Status:         status,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body:           mustJSON(tb, body),
	}
}

// runTasks returns a GET of a run's tasks, answered with status and body.
func runTasks(tb testing.TB, status int, body any) drift.Exchange {
	tb.Helper()
	return exchange(tb, prodBase+runTasksPath+"?page=1&per_page=10", status, body)
}
