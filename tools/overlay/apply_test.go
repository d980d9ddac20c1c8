package main

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// suggestionFor checks a page of run tasks, each changed by edit, and
// writes the overlay the drift check suggests to w's overlay file.
func suggestionFor(t *testing.T, w *workspace, edit func(i int, task map[string]any)) {
	t.Helper()
	v, err := drift.NewValidator(drift.Strict())
	require.NoError(t, err)
	var tasks []string
	for i := range 3 {
		task := map[string]any{
			"id": "9f2c1a7be3d44c0f8a6b5e1d2c3f4a5" + string(rune('a'+i)), "increment_id": 1205 + i, "title": "Welcome call",
			"status": "completed", "position": i + 1, "owners": map[string]any{"users": []any{1234}, "guests": []any{}, "groups": []any{}},
			"created_at": "2025-05-20T09:00:00Z", "last_updated": "2025-05-21T10:15:00Z",
		}
		edit(i, task)
		tasks = append(tasks, string(mustJSON(t, task)))
	}
	ex := drift.Exchange{
		Method: http.MethodGet, URL: "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001/runs/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks",
		Status: http.StatusOK, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"data": [` + strings.Join(tasks, ",") + `], "meta": {"pagination": {"total": 3, "count": 3, "per_page": 10, "current_page": 1, "total_pages": 1, "links": []}}}`),
	}
	s := drift.NewSuggester(v, time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC))
	s.Add("hand-made-page.json", ex, v.Check(t.Context(), ex))
	var b bytes.Buffer
	require.NoError(t, s.Suggestion().WriteOverlay(&b, drift.OverlayInfo{Checked: "a hand-made page", Spec: v.SpecVersion()}))
	require.NoError(t, os.WriteFile(w.files.overlay, b.Bytes(), 0o644))
}

// removedLines returns the lines of before that after does not keep, in
// order, by a longest common subsequence of lines.
func removedLines(before, after string) []string {
	a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var removed []string
	i, j := 0, 0
	for i < len(a) {
		switch {
		case j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && lcs[i][j+1] >= lcs[i+1][j]:
			j++
		default:
			removed = append(removed, a[i])
			i++
		}
	}
	return removed
}

// enumLine returns the line of the flow-style enum of a component schema.
func enumLine(t *testing.T, spec, schema string) string {
	t.Helper()
	_, rest, ok := strings.Cut(spec, "\n    "+schema+":\n")
	require.True(t, ok, "openapi.yaml has the schema %s", schema)
	_, rest, ok = strings.Cut(rest, "\n      enum: [")
	require.True(t, ok, "%s has a flow-style enum", schema)
	line, _, _ := strings.Cut(rest, "\n")
	return "      enum: [" + line
}

// Applying keeps openapi.yaml's comments, key order and style: every line
// the overlay does not change stays byte for byte. Here a new field, an
// enum value, a nullable field and a widened one change two lines (the
// enum's, and the type the widening removes) and add the rest.
func TestApplyKeepsEveryLineItDoesNotChange(t *testing.T) {
	w := newWorkspace(t)
	suggestionFor(t, w, func(i int, task map[string]any) {
		task["probe_priority"] = i
		task["status_label"] = nil
		if i == 1 {
			task["status"] = "probe-paused"
			task["position"] = "2"
		}
	})
	before := string(mustRead(t, w.files.spec))
	res, err := apply(t.Context(), w.files, appliedOn)
	require.NoError(t, err)
	assert.Equal(t, 5, res.actions)
	after := string(mustRead(t, w.files.spec))
	enum := enumLine(t, before, "TaskStatus")
	assert.Equal(t, []string{
		"          type: integer", // position's, which the widening removes
		enum,
	}, removedLines(before, after))
	assert.Contains(t, after, strings.TrimSuffix(enum, "]")+", probe-paused]\n", "the flow style of the enum is kept")
	assert.Contains(t, after, "        status_label:\n          type: string\n          description: Human-readable status, e.g. `Active`. Its vocabulary is not documented.\n          nullable: true\n")
	info, err := os.Stat(w.files.spec)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), "the spec keeps its permissions")

	recBefore := string(mustRead(t, root+"/upstream/reconciliation.yaml"))
	recAfter := string(mustRead(t, w.files.reconciliation))
	assert.Empty(t, removedLines(recBefore, recAfter), "the reconciliation only gains lines")
	assert.True(t, strings.HasPrefix(recAfter, recBefore), "its entries are appended")
	assertReconciled(t, w)
}

// openapi.yaml, decoded into the tree the overlay library works on and
// written back unchanged, is byte for byte what it was: its comments, key
// order, quoting, flow lists and block texts survive an overlay.
func TestTheSpecRoundTripsByteForByte(t *testing.T) {
	spec := mustRead(t, root+"/openapi.yaml")
	var tree yaml.Node
	require.NoError(t, yaml.Unmarshal(spec, &tree))
	out, err := encodeSpec(&tree)
	require.NoError(t, err)
	assert.Equal(t, string(spec), string(out))
}

// Strict: an action whose target matches nothing is an error (exit 1),
// and nothing is written.
func TestApplyIsStrict(t *testing.T) {
	w := newWorkspace(t)
	require.NoError(t, os.WriteFile(w.files.overlay, []byte(`overlay: 1.1.0
info: {title: a typo, version: "1"}
actions:
  - target: $.components.schemas.Tsak.properties
    update: {probe_priority: {type: integer}}
`), 0o644))
	spec := mustRead(t, w.files.spec)
	code, _, stderr := runApply(t, w)
	assert.Equal(t, exitDoesNotFit, code)
	assert.Contains(t, stderr, `selector "$.components.schemas.Tsak.properties" did not match any targets`)
	assert.Equal(t, spec, mustRead(t, w.files.spec), "nothing is written")
}

// An overlay applied twice is refused the second time: its field is
// there already, its enum value would be listed twice.
func TestApplyRefusesAnOverlayAppliedTwice(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(i int, task map[string]any)
		want string
	}{
		{"a field", func(i int, task map[string]any) { task["probe_priority"] = i }, `adds the field "probe_priority" to $.components.schemas.Task.properties, which has it already`},
		{"an enum value", func(i int, task map[string]any) { task["status"] = "probe-paused" }, `lists "probe-paused" twice: was the overlay applied before?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorkspace(t)
			suggestionFor(t, w, tc.edit)
			code, stdout, stderr := runApply(t, w)
			require.Equal(t, exitApplied, code, stderr)
			assert.Contains(t, stdout, "apply-overlay: applied 1 action of ")
			once := mustRead(t, w.files.spec)
			code, _, stderr = runApply(t, w)
			assert.Equal(t, exitDoesNotFit, code)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, once, mustRead(t, w.files.spec))
		})
	}
}

// A result that is not a valid OpenAPI 3.0 document is refused.
func TestApplyRefusesAnInvalidSpec(t *testing.T) {
	w := newWorkspace(t)
	require.NoError(t, os.WriteFile(w.files.overlay, []byte(`overlay: 1.1.0
info: {title: a bad type, version: "1"}
actions:
  - target: $.components.schemas.Task.properties.position
    update: {type: whole-number}
`), 0o644))
	code, _, stderr := runApply(t, w)
	assert.Equal(t, exitDoesNotFit, code)
	assert.Contains(t, stderr, "with the overlay applied, "+w.files.spec+" is not valid")
}

// The reconciliation stays whole whatever the overlay does to a reviewed
// difference: a difference it ends loses its entry; one it changes gets
// a new entry; an overlay written by hand is named as the source.
func TestApplyKeepsTheReconciliationWhole(t *testing.T) {
	w := newWorkspace(t)
	require.NoError(t, os.WriteFile(w.files.overlay, []byte(`overlay: 1.1.0
info: {title: by hand, version: "1"}
actions:
  - target: $.components.schemas.ListMeta.properties
    update:
      Pagination: {$ref: '#/components/schemas/Pagination'}
  - target: $.components.schemas.Task.properties.started_at.format
    remove: true
  - target: $.components.schemas.Task.properties
    update:
      probe_priority: {type: integer}
`), 0o644))
	code, stdout, stderr := runApply(t, w)
	require.Equal(t, exitApplied, code, stderr)
	// The ListMeta property now reaches our Pagination for the Swagger's,
	// which requires nothing: each field ours requires is a new difference,
	// beside the changed format.
	assert.Contains(t, stdout, "added 1 observed and 6 difference entries, removed 2\n")
	rec := string(mustRead(t, w.files.reconciliation))
	parsed, err := upstream.ParseReconciliation([]byte(rec))
	require.NoError(t, err)
	keys := func(entries []upstream.Entry) []string {
		var out []string
		for _, e := range entries {
			out = append(out, e.Key+": "+e.Upstream+" / "+e.Ours)
		}
		return out
	}
	assert.NotContains(t, keys(parsed.Differences), "ListMeta(MetaListOnlyPagination)/properties/Pagination: object / absent", "the ended difference's entry is gone")
	assert.Contains(t, keys(parsed.Differences), "Task(Task)/properties/started_at/format: YYYY-mm-dd HH:ii:ss / absent")
	assert.Contains(t, keys(parsed.Differences), "Pagination(Pagination)/properties/total/required: optional / required")
	assert.Contains(t, keys(parsed.Observed), "Task(Task)/properties/probe_priority: absent / integer")
	assert.Contains(t, rec, "  - key: Task(Task)/properties/started_at/format\n    upstream: YYYY-mm-dd HH:ii:ss\n    ours: absent\n")
	assert.Contains(t, rec, "  - key: Task(Task)/properties/probe_priority\n    upstream: absent\n    ours: integer\n")
	assert.Contains(t, rec, "    source: observed in the overlay drift.overlay.yaml, 2025-06-03 (tallyfy-drift --suggest, make apply-overlay)\n")
	assert.Contains(t, rec, "      openapi.yaml differs here since the overlay named in source was applied:\n      write why, and what it rests on.\n",
		"an overlay written by hand leaves the reason to its author")
	removed := removedLines(string(mustRead(t, root+"/upstream/reconciliation.yaml")), rec)
	assert.Equal(t, "  - key: ListMeta(MetaListOnlyPagination)/properties/Pagination", removed[0])
	for _, line := range removed {
		assert.False(t, strings.HasPrefix(line, "#") || strings.HasPrefix(line, "  #"), "no comment is removed: %q", line)
	}
	assertReconciled(t, w)
}

// The command's usage errors are exit 2.
func TestApplyUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"apply"}, {"merge", "-overlay", "x"}, {"apply", "-overlay", "no-such-file.yaml"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, exitCannotApply, run(t.Context(), args, &stdout, &stderr), "%q", args)
		assert.NotEmpty(t, stderr.String())
	}
}

// runApply runs the command on w's files.
func runApply(t *testing.T, w *workspace) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"apply", "-overlay", w.files.overlay, "-spec", w.files.spec,
		"-reconciliation", w.files.reconciliation, "-extract", w.files.extract}, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}
