package tallyfy

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/roundtrip"
)

// tolerantPage is a page whose every task carries values in a shape one of
// Tallyfy's sources documents but the spec does not: a started_at with a
// space (Tallyfy's Swagger), owners as objects (Tallyfy's org-task
// examples), is_completable as 0/1 (the older Swagger), thread, step, form
// field, asset subject and owner group IDs sent as numbers.
const tolerantPage = `{"data":[
{"id":"00000000000000000000000000000001","increment_id":1,"title":"Space-separated dates","status":"not-started","position":1,
 "owners":{"users":[1234,{"id":5678,"full_name":"Ada Lovelace","profile_pic":null}],"guests":[],"groups":[]},
 "started_at":"2025-04-16 09:00:00","deadline":"2025-04-18 17:00:00.000+02:00",
 "created_at":"2025-04-16 08:59:59","last_updated":"2025-04-16T09:00:00.000Z","is_completable":1},
{"id":"00000000000000000000000000000002","increment_id":2,"title":"Numeric IDs","status":"in-progress","position":2,
 "owners":{"users":[],"guests":[],"groups":[42,"7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29"]},"created_at":"2025-04-16T09:00:00Z","last_updated":"2025-04-16T09:00:00Z",
 "is_completable":0,
 "step":{"data":{"id":17,"title":"Call"}},
 "threads":{"data":[{"id":4411,"content":"int"},{"id":"7f3e2d1c0b9a8f7e6d5c4b3a29180716","content":"text"}]},
 "form_fields":{"data":[{"id":99,"label":"Plan"}]},
 "assets":{"data":[{"id":"2b3c4d5e6f708192a3b4c5d6e7f80912","subject":{"id":1205,"type":"Task"}}]}},
{"id":"00000000000000000000000000000003","increment_id":3,"title":"As the spec says","status":"completed","position":3,
 "owners":{"users":[1234],"guests":[],"groups":[]},"created_at":"2025-04-16T09:00:00Z","last_updated":"2025-04-16T09:00:00Z",
 "is_completable":true,"completed_at":null}
],"meta":{"pagination":{"total":3,"count":3,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`

func TestRunTasksYieldsEveryTaskOfAPageWithToleratedShapes(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, http.StatusOK, tolerantPage) })
	c, _ := newTestClient(t, s)

	var tasks []gen.Task
	for task, err := range c.RunTasks(context.Background(), testOrg, testRun, nil) {
		require.NoError(t, err)
		tasks = append(tasks, task)
	}
	require.Len(t, tasks, 3, "no task is lost to a tolerated shape")

	first := tasks[0]
	require.NotNil(t, first.StartedAt)
	assert.Equal(t, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC), first.StartedAt.Time, "no zone reads as UTC")
	require.NotNil(t, first.Deadline)
	assert.True(t, time.Date(2025, 4, 18, 15, 0, 0, 0, time.UTC).Equal(first.Deadline.Time))
	assert.Equal(t, time.Date(2025, 4, 16, 8, 59, 59, 0, time.UTC), first.CreatedAt.Time)
	require.Len(t, first.Owners.Users, 2)
	assert.Equal(t, 1234, first.Owners.Users[0].ID)
	assert.Equal(t, 5678, first.Owners.Users[1].ID)
	assert.Equal(t, "Ada Lovelace", first.Owners.Users[1].FullName)
	require.NotNil(t, first.IsCompletable)
	assert.True(t, first.IsCompletable.Bool)

	second := tasks[1]
	require.Len(t, second.Owners.Groups, 2)
	assert.Equal(t, "42", second.Owners.Groups[0].String())
	assert.Equal(t, "7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29", second.Owners.Groups[1].String())
	require.NotNil(t, second.IsCompletable)
	assert.False(t, second.IsCompletable.Bool)
	require.NotNil(t, second.Step)
	assert.Equal(t, "17", second.Step.Data.ID.String())
	require.NotNil(t, second.Threads)
	require.Len(t, second.Threads.Data, 2)
	assert.Equal(t, "4411", second.Threads.Data[0].ID.String())
	assert.Equal(t, "7f3e2d1c0b9a8f7e6d5c4b3a29180716", second.Threads.Data[1].ID.String())
	require.NotNil(t, second.FormFields)
	assert.Equal(t, "99", second.FormFields.Data[0].ID.String())
	require.NotNil(t, second.Assets)
	require.NotNil(t, second.Assets.Data[0].Subject)
	assert.Equal(t, "1205", second.Assets.Data[0].Subject.ID.String())

	third := tasks[2]
	assert.Equal(t, "As the spec says", third.Title)
	require.NotNil(t, third.IsCompletable)
	assert.True(t, third.IsCompletable.Bool)
	assert.Nil(t, third.CompletedAt)
}

func TestAPageWithToleratedShapesRoundTripsLosslessly(t *testing.T) {
	var page gen.TaskList
	require.NoError(t, json.Unmarshal([]byte(tolerantPage), &page))
	again, err := json.Marshal(page)
	require.NoError(t, err)
	lost, err := roundtrip.Lost([]byte(tolerantPage), again)
	require.NoError(t, err)
	assert.Empty(t, lost, "every value comes back in the shape it came in")
	assert.Contains(t, string(again), `"started_at":"2025-04-16 09:00:00"`)
	assert.Contains(t, string(again), `"is_completable":1`)
	assert.Contains(t, string(again), `"id":4411}`)
}
