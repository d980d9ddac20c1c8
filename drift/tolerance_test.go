package drift_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/spec"
)

// threadIDInTheOtherShape returns thread ID 4411 in the shape the spec does
// not give Thread.id: "4411" (a numeric string) while the spec says
// integer, 4411 while it says string. Tallyfy's sources disagree on it, so
// the client takes either and the drift check must flag the one that is
// not the spec's.
func threadIDInTheOtherShape(t *testing.T) any {
	t.Helper()
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	thread := doc.Components.Schemas["Thread"]
	require.NotNil(t, thread)
	if thread.Value.Properties["id"].Value.Type.Is("integer") {
		return "4411"
	}
	return 4411
}

// TestValuesTheClientToleratesAreStillDrift holds the two halves of "the
// client is tolerant, the check is strict" together: a page with a
// space-separated date-time, IDs in the shape the spec does not declare and
// a boolean sent as 1 decodes through the generated types without error,
// and the validator reports each of those values at its JSON pointer.
func TestValuesTheClientToleratesAreStillDrift(t *testing.T) {
	p := page(3)
	dataTask(p, 0)["started_at"] = "2025-04-16 09:00:00"
	dataTask(p, 1)["is_completable"] = 1
	dataTask(p, 2)["step"] = map[string]any{"data": map[string]any{"id": 17, "title": "Call the client"}}
	dataTask(p, 2)["threads"] = map[string]any{"data": []any{map[string]any{"id": threadIDInTheOtherShape(t), "content": "Called"}}}
	ex := runTasks(t, http.StatusOK, p)

	var decoded gen.TaskList
	require.NoError(t, json.Unmarshal(ex.Body, &decoded), "the client decodes every tolerated shape")
	require.Len(t, decoded.Data, 3)
	require.NotNil(t, decoded.Data[0].StartedAt)
	assert.Equal(t, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC), decoded.Data[0].StartedAt.Time)
	require.NotNil(t, decoded.Data[1].IsCompletable)
	assert.True(t, decoded.Data[1].IsCompletable.Bool)
	require.NotNil(t, decoded.Data[2].Step)
	assert.Equal(t, "17", decoded.Data[2].Step.Data.ID.String())
	require.NotNil(t, decoded.Data[2].Threads)
	assert.Equal(t, "4411", decoded.Data[2].Threads.Data[0].ID.String())

	findings := validator.Check(context.Background(), ex)
	assert.Equal(t, []at{
		drifted("/data/0/started_at", "format"),
		drifted("/data/1/is_completable", "type"),
		drifted("/data/2/step/data/id", "type"),
		drifted("/data/2/threads/data/0/id", "type"),
	}, project(findings))
	assert.True(t, drift.HasDrift(findings))
}
