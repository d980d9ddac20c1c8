package spec_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/spec"
)

func TestEmbeddedSpecIsOpenAPI303AndValid(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
}

func TestSpecFileMatchesEmbeddedSpec(t *testing.T) {
	loader := openapi3.NewLoader()
	fromFile, err := loader.LoadFromFile("../openapi.yaml")
	require.NoError(t, err)
	embedded, err := spec.GetSpec()
	require.NoError(t, err)
	a, err := json.Marshal(fromFile)
	require.NoError(t, err)
	b, err := json.Marshal(embedded)
	require.NoError(t, err)
	assert.JSONEq(t, string(a), string(b), "openapi.yaml differs from the spec embedded in spec/: run make generate")
}

func TestOperationsArePinned(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	run := doc.Paths.Find("/organizations/{org_id}/runs/{run_id}/tasks")
	require.NotNil(t, run)
	require.NotNil(t, run.Get)
	assert.Equal(t, "listRunTasks", run.Get.OperationID)
	org := doc.Paths.Find("/organizations/{org_id}/tasks")
	require.NotNil(t, org)
	require.NotNil(t, org.Get)
	assert.Equal(t, "listOrgTasks", org.Get.OperationID)
	for _, op := range []*openapi3.Operation{run.Get, org.Get} {
		for _, status := range []int{200, 401, 403, 404, 422, 429} {
			assert.NotNil(t, op.Responses.Status(status), "%s: status %d documented", op.OperationID, status)
		}
		rl := op.Responses.Status(429).Value
		assert.Contains(t, rl.Headers, "Retry-After")
		assert.Contains(t, rl.Headers, "X-RateLimit-Remaining")
	}
}

func TestTaskSchemaCoversTheFacts(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	task := doc.Components.Schemas["Task"].Value
	require.NotNil(t, task)
	assert.GreaterOrEqual(t, len(task.Properties), 30)
	assert.ElementsMatch(t,
		[]string{"id", "increment_id", "title", "status", "position", "owners", "created_at", "last_updated"},
		task.Required)
	for _, name := range []string{"deadline", "completed_at", "archived_at", "run_id", "step_id", "checklist_id", "is_approved", "started_at"} {
		require.Contains(t, task.Properties, name)
		assert.True(t, task.Properties[name].Value.Nullable, "%s is nullable", name)
	}
	status := doc.Components.Schemas["TaskStatus"].Value
	assert.Subset(t, status.Enum, []any{"not-started", "in-progress", "completed", "auto-skipped"})
	assert.NotContains(t, status.Enum, "overdue", "filter values are not stored statuses")
}
