package standin

import (
	"fmt"
	"time"
)

var epoch = time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)

func hexID(kind byte, i int) string { return fmt.Sprintf("%c%031x", 'a'+kind%6, i) }

func stamp(i, hours int) string {
	return epoch.Add(time.Duration(i)*time.Minute + time.Duration(hours)*time.Hour).Format(time.RFC3339)
}

var statuses = []string{"completed", "in-progress", "not-started", "not-started", "auto-skipped"}
var taskTypes = []string{"task", "approval", "expiring", "email", "expiring_email"}

// task builds task i: a process task of the stand-in's run, or a one-off task.
func (s *Server) task(i int, oneOff bool, includes map[string]bool) map[string]any {
	status := statuses[i%len(statuses)]
	t := map[string]any{
		"id":                          hexID(0, i+1),
		"increment_id":                1000 + i,
		"title":                       fmt.Sprintf("Task %d", i+1),
		"original_title":              fmt.Sprintf("Task %d", i+1),
		"run_id":                      s.cfg.RunID,
		"checklist_id":                hexID(2, 1),
		"step_id":                     hexID(3, i+1),
		"alias":                       fmt.Sprintf("task_%d", i+1),
		"status":                      status,
		"status_label":                status,
		"task_type":                   taskTypes[i%len(taskTypes)],
		"position":                    i + 1,
		"blueprint_position":          i + 1,
		"owners":                      map[string]any{"users": []any{1234}, "guests": []any{"client@example.com"}, "groups": []any{}},
		"deadline":                    stamp(i, 72),
		"started_at":                  stamp(i, 1),
		"is_soft_start_date":          false,
		"created_at":                  stamp(i, 0),
		"last_updated":                stamp(i, 2),
		"completed_at":                nil,
		"archived_at":                 nil,
		"starter_id":                  1234,
		"completer_id":                nil,
		"is_completable":              true,
		"is_approved":                 nil,
		"is_oneoff_task":              false,
		"everyone_must_complete":      false,
		"can_complete_only_assignees": false,
		"max_assignable":              0,
		"prevent_guest_comment":       false,
		"top_secret":                  false,
		"problem":                     false,
		"webhook":                     nil,
		"run_status":                  "active",
	}
	if status == "completed" {
		t["completed_at"] = stamp(i, 3)
		t["completer_id"] = 1234
	}
	if oneOff {
		t["run_id"], t["checklist_id"], t["step_id"], t["alias"] = nil, nil, nil, nil
		t["is_oneoff_task"] = true
		t["run_status"] = nil
	}
	s.addIncludes(t, i, oneOff, includes)
	return t
}

func (s *Server) addIncludes(t map[string]any, i int, oneOff bool, includes map[string]bool) {
	if includes["summary"] {
		t["summary"] = fmt.Sprintf("<p>What to do for task %d.</p>", i+1)
	}
	if includes["step"] && !oneOff {
		t["step"] = map[string]any{"data": map[string]any{
			"id": t["step_id"], "checklist_id": t["checklist_id"], "title": t["title"], "alias": t["alias"],
			"step_type": "task", "position": i + 1,
			"deadline": map[string]any{"value": 2, "unit": "days", "option": "from", "step": "start_run"},
		}}
	}
	if (includes["run"] || includes["run.checklist"]) && !oneOff {
		run := map[string]any{
			"id": s.cfg.RunID, "increment_id": 88, "checklist_id": hexID(2, 1), "checklist_title": "Client onboarding",
			"name": "Onboarding - Example Corp", "status": "active",
			"progress": map[string]any{"complete": 1, "total": 4, "percent": 25},
			"prerun":   []any{}, "started_by": 1234, "created_at": stamp(0, 0), "last_updated": stamp(0, 2),
		}
		if includes["run.checklist"] {
			run["checklist"] = map[string]any{"data": map[string]any{"id": hexID(2, 1), "title": "Client onboarding"}}
		}
		t["run"] = map[string]any{"data": run}
	}
	if includes["form_fields"] {
		t["form_fields"] = map[string]any{"data": []any{map[string]any{
			"id": hexID(4, i+1), "field_type": "text", "label": "Notes", "required": false, "field_value": "Called.",
		}}}
	}
	if includes["threads"] {
		t["threads"] = map[string]any{"data": []any{map[string]any{
			"id": hexID(1, 4400+i), "label": "comment", "sent_by": 1234, "content": "Done?", "created_at": stamp(i, 5),
		}}}
	}
	if includes["comments"] {
		t["comments"] = map[string]any{"data": []any{}}
	}
	if includes["activities"] {
		t["activities"] = map[string]any{"data": []any{}}
	}
	if includes["assets"] {
		t["assets"] = map[string]any{"data": []any{}}
	}
	if includes["tags"] {
		t["tags"] = map[string]any{"data": []any{map[string]any{"id": hexID(5, 1), "title": "VIP", "color": "#3fb65b"}}}
	}
}
