package standin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, s *Server, path, token string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestTheStandInPaginatesIncludesAndRefuses(t *testing.T) {
	s := Start(Config{Token: "tok", OrgID: "o", RunID: "r", RunTasks: 25, OrgTasks: 30})
	defer s.Close()

	status, body := get(t, s, "/api/organizations/o/runs/r/tasks?page=3&with=step,tags", "tok")
	require.Equal(t, 200, status)
	data := body["data"].([]any)
	assert.Len(t, data, 5, "page 3 of 25 tasks at 10 a page")
	first := data[0].(map[string]any)
	assert.Equal(t, "Task 21", first["title"])
	assert.Contains(t, first["step"], "data", "includes come in Fractal wrappers")
	assert.Contains(t, first["tags"], "data")
	pagination := body["meta"].(map[string]any)["pagination"].(map[string]any)
	assert.EqualValues(t, 3, pagination["total_pages"])
	assert.Contains(t, pagination["links"], "previous")
	assert.NotContains(t, pagination["links"], "next")

	_, body = get(t, s, "/api/organizations/o/tasks?per_page=100", "tok")
	data = body["data"].([]any)
	require.Len(t, data, 30)
	assert.Nil(t, data[29].(map[string]any)["run_id"], "org tasks past the run's are one-off tasks")
	assert.Equal(t, []any{}, body["meta"].(map[string]any)["pagination"].(map[string]any)["links"], "one page: links is []")

	status, _ = get(t, s, "/api/organizations/o/tasks", "wrong")
	assert.Equal(t, 401, status)
	status, body = get(t, s, "/api/organizations/other/tasks", "tok")
	assert.Equal(t, 404, status)
	assert.Equal(t, "RESOURCE_NOT_FOUND", body["code"])
	status, _ = get(t, s, "/api/organizations/o/tasks?per_page=0", "tok")
	assert.Equal(t, 422, status)
	assert.Equal(t, 5, s.Requests())
}

func TestTaskFieldsKeepOnlyTheFieldsNamedThenMutate(t *testing.T) {
	s := Start(Config{OrgID: "o", RunID: "r", RunTasks: 2, TaskFields: []string{"id", "title", "step"},
		Mutate: func(i int, task map[string]any) { task["added"] = i }})
	defer s.Close()
	_, body := get(t, s, "/api/organizations/o/runs/r/tasks?with=step", "")
	task := body["data"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "title", "step", "added"}, keys(task))
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
