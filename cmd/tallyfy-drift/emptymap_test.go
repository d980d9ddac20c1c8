package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// PHP sends an empty map as `[]`, in a list of maps too: a kick-off
// field's options, a table field's columns, the activities include's
// records. A stand-in that sends `[]` beside a filled map in each of them
// conforms (it drifted, and the client failed the task, when those
// elements had to be objects).
func TestAnEmptyMapInAListOfMapsConforms(t *testing.T) {
	const hex = "0123456789abcdef0123456789abcdef"
	s := startStandIn(t, standin.Config{RunTasks: 2, OrgTasks: 2, Mutate: func(i int, task map[string]any) {
		if i != 0 {
			return
		}
		task["form_fields"] = map[string]any{"data": []any{
			map[string]any{"id": hex, "columns": []any{[]any{}, map[string]any{"label": "Amount"}}},
		}}
		task["run"] = map[string]any{"data": map[string]any{"id": hex, "checklist": map[string]any{"data": map[string]any{
			"id": hex, "prerun": []any{map[string]any{"id": hex, "options": []any{[]any{}, map[string]any{"id": 1, "text": "Yes"}}}},
		}}}}
		task["activities"] = map[string]any{"data": []any{[]any{}, map[string]any{"action": "completed"}}}
	}})
	r := invoke(t, liveEnv(s), "--strict")
	assert.Equal(t, exitConforms, r.code, r.stdout)
}
