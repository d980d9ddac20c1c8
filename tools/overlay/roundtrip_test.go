package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/speakeasy-api/openapi/overlay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// The loop, proved kind by kind: a copy of the recordings is changed to
// drift as the API might; tallyfy-drift --suggest writes the overlay;
// apply folds it into a copy of openapi.yaml (and its reconciliation);
// the same recordings, checked again with --spec, give no finding at all;
// oapi-codegen, run on the result into a temporary folder, gives the Go
// type the change calls for; and oasdiff rates the additive changes as
// not breaking, and the others as breaking, as the overlay marks them.

// oasdiffModule is the oasdiff the release gates run (Makefile, OASDIFF).
const oasdiffModule = "github.com/oasdiff/oasdiff@v1.37.0"

// oasdiffErr is oasdiff's level of a change that breaks clients.
const oasdiffErr = 3

type roundTrip struct {
	name   string
	what   string                               // what the mutation does, for the recording's provenance
	edits  map[string]func(body map[string]any) // recording name -> edit of its body
	strict bool                                 // an undocumented field is drift only with --strict
	rule   string                               // the findings' rule
	kind   drift.SuggestionKind                 // what the overlay does
	// actions is how many overlay actions the change takes.
	actions int
	// goType are lines the regenerated client has.
	goType []string
	// breaking: the overlay marks the change as breaking the Go type.
	breaking bool
	// oasdiff are the changes oasdiff rates as breaking (ERR), as the
	// release gate runs it; none for an additive change.
	oasdiff []string
	// observed and diffs are the reconciliation entries apply adds.
	observed, diffs []string
}

const (
	recRunPage = "01-run-tasks-page-1"
	recOrgPage = "13-org-tasks-oneoff-and-process"
)

// eachTask returns an edit that sets field on every task of a list body,
// to value(i) for the i-th.
func eachTask(field string, value func(i int) any) func(map[string]any) {
	return func(body map[string]any) {
		for i, task := range tasks(body) {
			task[field] = value(i)
		}
	}
}

func roundTrips() []roundTrip {
	always := func(v any) func(int) any { return func(int) any { return v } }
	return []roundTrip{
		{name: "a new object field, in both listings", what: "a new object field probe_sla on every task",
			edits: map[string]func(map[string]any){
				recRunPage: eachTask("probe_sla", func(i int) any { return map[string]any{"minutes": 30 + i, "breached": i == 1} }),
				recOrgPage: eachTask("probe_sla", func(i int) any { return map[string]any{"minutes": 45, "paused_at": nil} }),
			},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbeSLA *struct {", "Breached *bool `json:\"breached,omitempty\"`", "Minutes *int `json:\"minutes,omitempty\"`", "`json:\"probe_sla,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_sla"}},
		{name: "a new array field of objects", what: "a new field probe_checklist_items, an array of objects",
			edits: map[string]func(map[string]any){recRunPage: eachTask("probe_checklist_items", func(i int) any {
				return []any{map[string]any{"id": i, "done": true}, map[string]any{"id": i + 10, "done": false, "label": "Call back"}}
			})},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbeChecklistItems *[]struct {", "Done  *bool   `json:\"done,omitempty\"`", "`json:\"probe_checklist_items,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_checklist_items"}},
		{name: "an empty array", what: "a new field watchers, always an empty array",
			edits:  map[string]func(map[string]any){recRunPage: eachTask("probe_watchers", always([]any{}))},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbeWatchers *[]interface{} `json:\"probe_watchers,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_watchers"}},
		{name: "a field with nulls", what: "a new field priority, an integer or null",
			edits: map[string]func(map[string]any){recRunPage: eachTask("probe_priority", func(i int) any {
				if i == 0 {
					return nil
				}
				return i
			})},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbePriority *int `json:\"probe_priority,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_priority"}},
		{name: "a date-time field", what: "a new field probe_snoozed_until, a date-time",
			edits: map[string]func(map[string]any){recRunPage: eachTask("probe_snoozed_until", func(i int) any {
				return []string{"2025-06-01T09:00:00Z", "2025-06-02T17:30:00.000+02:00"}[i%2]
			})},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbeSnoozedUntil *tolerant.Time `json:\"probe_snoozed_until,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_snoozed_until"}},
		{name: "a number field of integers and decimals", what: "a new field score, 1 and 2.5",
			edits: map[string]func(map[string]any){recRunPage: eachTask("probe_score", func(i int) any {
				return []any{json.Number("1"), json.Number("2.5")}[i%2]
			})},
			strict: true, rule: drift.RuleUndocumentedField, kind: drift.SuggestField, actions: 1,
			goType:   []string{"ProbeScore *float64 `json:\"probe_score,omitempty\"`"},
			observed: []string{"Task(Task)/properties/probe_score"}},
		{name: "an enum value", what: "the task status probe-paused",
			edits: map[string]func(map[string]any){
				recRunPage: func(body map[string]any) { tasks(body)[0]["status"] = "probe-paused" },
				recOrgPage: func(body map[string]any) { tasks(body)[1]["status"] = "probe-paused" },
			},
			rule: "enum", kind: drift.SuggestEnumValue, actions: 1,
			goType:   []string{`TaskStatusProbePaused TaskStatus = "probe-paused"`},
			oasdiff:  []string{"response-property-enum-value-added"},
			observed: []string{"Task(Task)/properties/status/enum/probe-paused"}},
		{name: "null where the schema is not nullable", what: "a null title",
			edits: map[string]func(map[string]any){recRunPage: func(body map[string]any) { tasks(body)[1]["title"] = nil }},
			rule:  "nullable", kind: drift.SuggestNullable, actions: 1, breaking: true,
			goType:  []string{"Title *string `json:\"title\"`"},
			oasdiff: []string{"response-property-became-nullable"}},
		{name: "a type widening", what: "a task position as a string",
			edits: map[string]func(map[string]any){recRunPage: func(body map[string]any) { tasks(body)[1]["position"] = "2" }},
			rule:  "type", kind: drift.SuggestWidening, actions: 2, breaking: true,
			goType:  []string{"Position Task_Position `json:\"position\"`", "type TaskPosition0 = int", "type TaskPosition1 = string"},
			oasdiff: []string{"response-property-list-of-types-widened"}},
		{name: "an integer widened to a number", what: "a task position of 1.5",
			edits: map[string]func(map[string]any){recRunPage: func(body map[string]any) { tasks(body)[1]["position"] = json.Number("1.5") }},
			rule:  "type", kind: drift.SuggestWidening, actions: 1, breaking: true,
			goType:  []string{"Position float64 `json:\"position\"`"},
			oasdiff: []string{"response-property-type-generalized"},
			diffs:   []string{"Task(Task)/properties/position/type"}},
	}
}

func TestTheLoopRoundTripsEachKindOfDrift(t *testing.T) {
	for _, tc := range roundTrips() {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorkspace(t)
			base := w.conform(t)
			for name, edit := range tc.edits {
				w.mutate(t, name, tc.what, edit)
			}
			args := []string{"--replay", w.recordings, "--format", "json", "--spec", w.files.spec, "--suggest", w.files.overlay}
			if tc.strict {
				args = append(args, "--strict")
			}

			// The check drifts, and proposes the change.
			first := runDrift(t, args...)
			require.Equal(t, 1, first.code, "the mutated recordings drift (if openapi.yaml now describes what the test changes, "+
				"change something else): %s", first.stderr)
			assert.Contains(t, findingRules(t, first.stdout), tc.rule)
			assert.Contains(t, first.stderr, "tallyfy-drift: wrote ")
			o := parseOverlay(t, w.files.overlay)
			require.Len(t, o.Actions, tc.actions, "one change, %d actions", tc.actions)
			for _, a := range o.Actions {
				assert.Equal(t, string(tc.kind), a.Extensions[overlayExtension].(map[string]any)["kind"])
				assert.Equal(t, tc.breaking, strings.Contains(a.Description, "Breaking for the generated Go type"), a.Description)
			}

			// It applies, and keeps the reconciliation whole.
			res, err := apply(t.Context(), w.files, appliedOn)
			require.NoError(t, err)
			assert.Equal(t, tc.observed, entryKeys(res.observed), "observed entries")
			assert.Equal(t, tc.diffs, entryKeys(res.diffs), "difference entries")
			for _, e := range append(res.observed, res.diffs...) {
				assert.Contains(t, e.Source, "observed in ")
				assert.Contains(t, e.Source, ".json, 2")
			}
			assertReconciled(t, w)

			// The same recordings, against the new spec: nothing at all.
			second := runDrift(t, "--replay", w.recordings, "--format", "json", "--strict", "--spec", w.files.spec)
			assert.Equal(t, 0, second.code, "with the overlay applied the recordings conform: %s\n%s", second.stderr, findingRules(t, second.stdout))
			assert.Empty(t, findingRules(t, second.stdout))

			// The generated client has the new Go type.
			gen := regenerate(t, w.files.spec)
			for _, want := range tc.goType {
				if !strings.Contains(gen, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("the regenerated client has no %q; its Task is:\n%s", want, taskStruct(gen))
				}
			}

			// oasdiff agrees with the overlay on what breaks users.
			assert.Equal(t, tc.oasdiff, oasdiffBreaking(t, base, w.files.spec))
		})
	}
}

// conform folds into the workspace's spec what its recordings, not yet
// mutated, drift from, as the loop itself would, and returns a copy of the
// spec the round trip then starts from. Today the recordings conform and
// nothing changes; when openapi.yaml is in the middle of an edit (the
// spec drill), the round trip still proves its own kind of drift, not the
// edit's.
func (w *workspace) conform(t *testing.T) string {
	t.Helper()
	baseline := filepath.Join(w.dir, "baseline.overlay.yaml")
	first := runDrift(t, "--replay", w.recordings, "--format", "json", "--strict", "--spec", w.files.spec, "--suggest", baseline)
	if first.code == 1 {
		f := w.files
		f.overlay = baseline
		_, err := apply(t.Context(), f, appliedOn)
		require.NoError(t, err, "the recordings' own drift from openapi.yaml folds in")
		again := runDrift(t, "--replay", w.recordings, "--format", "json", "--strict", "--spec", w.files.spec)
		require.Equal(t, 0, again.code, "with their own drift folded in, the recordings conform: %s", again.stderr)
	} else {
		require.Equal(t, 0, first.code, "the recordings, not yet mutated: %s", first.stderr)
	}
	base := filepath.Join(w.dir, "base.openapi.yaml")
	copyFile(t, w.files.spec, base)
	return base
}

// findingRules lists the rules of a JSON report's findings.
func findingRules(t *testing.T, report string) []string {
	t.Helper()
	var doc struct {
		Exchanges []struct {
			Findings []struct{ Rule, Pointer string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(report), &doc), report)
	var out []string
	for _, ex := range doc.Exchanges {
		for _, f := range ex.Findings {
			out = append(out, f.Rule)
		}
	}
	return out
}

func parseOverlay(t *testing.T, path string) *overlay.Overlay {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err, "the overlay was written")
	o, err := overlay.ParseReader(strings.NewReader(string(data)))
	require.NoError(t, err)
	require.NoError(t, o.Validate())
	return o
}

func entryKeys(entries []upstream.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Key)
	}
	return out
}

// assertReconciled runs the upstream check on the workspace's files.
func assertReconciled(t *testing.T, w *workspace) {
	t.Helper()
	before := upstreamProblems(t, filepath.Join(root, "openapi.yaml"), filepath.Join(root, "upstream", "reconciliation.yaml"), w.files.extract)
	after := upstreamProblems(t, w.files.spec, w.files.reconciliation, w.files.extract)
	var added []string
	for key, text := range after {
		if _, had := before[key]; !had {
			added = append(added, text)
		}
	}
	assert.Empty(t, added, "the upstream check stays whole: the overlay leaves no difference unreconciled that the project did not have")
}

// upstreamProblems is what the upstream check says of spec with
// reconciliation, by key: empty when it passes.
func upstreamProblems(t *testing.T, spec, reconciliation, extract string) map[string]string {
	t.Helper()
	doc, err := loadSpec(t.Context(), mustRead(t, spec))
	require.NoError(t, err)
	up, err := upstream.LoadExtract(mustRead(t, extract))
	require.NoError(t, err)
	rec, err := upstream.ParseReconciliation(mustRead(t, reconciliation))
	require.NoError(t, err)
	problems := rec.Check(upstream.Compare(doc, up, upstream.Tallyfy))
	problems = append(problems, rec.CheckObserved(upstream.Additions(doc, up, upstream.Tallyfy))...)
	out := map[string]string{}
	for _, p := range problems {
		out[p.Key] = fmt.Sprint(p)
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// regenerate runs the pinned oapi-codegen, with the module's config, on
// spec into a temporary folder, and returns the generated client.
func regenerate(t *testing.T, spec string) string {
	t.Helper()
	dir := t.TempDir()
	config := string(mustRead(t, filepath.Join(root, "oapi-codegen.yaml")))
	config = regexp.MustCompile(`(?m)^output:.*$`).ReplaceAllString(config, "output: "+filepath.Join(dir, "client.gen.go"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(config), 0o600))
	out, err := exec.CommandContext(t.Context(), "go", "tool", "oapi-codegen", "-config", filepath.Join(dir, "config.yaml"), spec).CombinedOutput()
	require.NoError(t, err, "oapi-codegen: %s", out)
	return strings.Join(strings.Fields(string(mustRead(t, filepath.Join(dir, "client.gen.go")))), " ")
}

// taskStruct is the Task type of a generated client (its words), for a
// failure message.
func taskStruct(gen string) string {
	_, rest, ok := strings.Cut(gen, "type Task struct {")
	if !ok {
		return "(no Task type)"
	}
	body, _, _ := strings.Cut(rest, "} // ")
	return body
}

// oasdiffBreaking runs oasdiff breaking, as the release gate does, and
// returns the ids of the changes it rates as breaking (ERR), each once.
func oasdiffBreaking(t *testing.T, base, revision string) []string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "run", oasdiffModule, "breaking", base, revision, "-f", "json").Output()
	var stderr string
	if exit, ok := err.(*exec.ExitError); ok {
		stderr = string(exit.Stderr)
	}
	require.NoError(t, err, "oasdiff: %s", stderr)
	var changes []struct {
		ID    string `json:"id"`
		Level int    `json:"level"`
	}
	if strings.TrimSpace(string(out)) != "" {
		require.NoError(t, json.Unmarshal(out, &changes))
	}
	var ids []string
	for _, c := range changes {
		t.Logf("oasdiff: %s (level %d)", c.ID, c.Level)
		if c.Level >= oasdiffErr && !slices.Contains(ids, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}
