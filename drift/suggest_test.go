package drift_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/speakeasy-api/openapi/overlay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/drift"
)

// observedOn is the day the tests' suggestions are made.
var observedOn = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// suggest checks each exchange with v, hands it to a Suggester, and returns
// the suggestion.
func suggest(t *testing.T, v *drift.Validator, exchanges ...drift.Exchange) *drift.Suggestion {
	t.Helper()
	s := drift.NewSuggester(v, observedOn)
	for i, ex := range exchanges {
		s.Add("exchange-"+string(rune('a'+i)), ex, v.Check(t.Context(), ex))
	}
	return s.Suggestion()
}

// orgTasks returns a GET of the organization's tasks answered with body.
func orgTasks(tb testing.TB, body any) drift.Exchange {
	tb.Helper()
	return exchange(tb, prodBase+orgTasksPath+"?page=1", 200, body)
}

// withTasks returns a conforming page of n tasks, each changed by edit.
func withTasks(n int, edit func(i int, task map[string]any)) map[string]any {
	p := page(n)
	for i := range n {
		edit(i, dataTask(p, i))
	}
	return p
}

// overlayText writes the suggestion as an overlay, which the overlay
// library must parse and validate.
func overlayText(t *testing.T, s *drift.Suggestion) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, s.WriteOverlay(&b, drift.OverlayInfo{Checked: "the test's exchanges", Spec: "0.2.0"}))
	o, err := overlay.ParseReader(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	require.NoError(t, o.Validate())
	assert.Equal(t, drift.OverlayVersion, o.Version)
	assert.Len(t, o.Actions, len(s.Actions))
	return b.String()
}

// applied applies the suggestion, as an overlay in strict mode, to a copy of
// openapi.yaml, and returns a validator of the result.
func applied(t *testing.T, s *drift.Suggestion, opts ...drift.Option) (*drift.Validator, []byte) {
	t.Helper()
	o, err := overlay.ParseReader(strings.NewReader(overlayText(t, s)))
	require.NoError(t, err)
	spec, err := os.ReadFile(filepath.Join("..", "openapi.yaml"))
	require.NoError(t, err)
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal(spec, &root))
	warnings, err := o.ApplyToStrict(&root)
	require.NoError(t, err, "warnings: %v", warnings)
	assert.Empty(t, warnings)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	require.NoError(t, enc.Encode(&root))
	v, err := drift.NewValidator(append(opts, drift.WithSpec(out.Bytes()))...)
	require.NoError(t, err, "the spec with the overlay applied loads and validates")
	return v, out.Bytes()
}

// rulesOf returns the rules of findings.
func rulesOf(findings []drift.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.Rule+" "+f.Pointer)
	}
	return out
}

// The same new field under both listings is one change: one action on the
// component schema they share, with the evidence of both.
func TestSuggestOneActionPerChangeNotPerOccurrence(t *testing.T) {
	add := func(i int, task map[string]any) { task["x_example_sla_minutes"] = i + 1 }
	s := suggest(t, validator,
		runTasks(t, 200, withTasks(3, add)),
		orgTasks(t, withTasks(4, add)))
	require.Len(t, s.Actions, 1, "actions: %+v", s.Actions)
	a := s.Actions[0]
	assert.Equal(t, drift.SuggestField, a.Kind)
	assert.Equal(t, "$.components.schemas.Task.properties", a.Target)
	assert.Equal(t, "x_example_sla_minutes", a.Name)
	assert.False(t, a.Breaking)
	assert.Equal(t, 7, a.Evidence.Occurrences)
	assert.Equal(t, 2, a.Evidence.Exchanges)
	assert.Equal(t, []string{"listOrgTasks", "listRunTasks"}, a.Evidence.Operations)
	assert.Equal(t, []string{"exchange-a", "exchange-b"}, a.Evidence.Sources)
	assert.Equal(t, "/data/0/x_example_sla_minutes", a.Evidence.Example)
	assert.Contains(t, a.Description, "7 occurrences in 2 exchanges of listOrgTasks and listRunTasks, e.g. /data/0/x_example_sla_minutes in exchange-a")
	assert.Equal(t, `add field "x_example_sla_minutes" to Task (integer)`, a.Summary)
}

// fieldSchema returns the schema an add-field action gives its field, as
// YAML.
func fieldSchema(t *testing.T, a drift.SuggestedAction) string {
	t.Helper()
	require.Equal(t, drift.SuggestField, a.Kind)
	require.Len(t, a.Update.Content, 2)
	return yamlText(t, a.Update.Content[1])
}

// yamlText writes a node as openapi.yaml is written (indent 2), with the
// lines of its descriptions joined, so that a test may look for a sentence.
func yamlText(t *testing.T, n *yaml.Node) string {
	t.Helper()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	require.NoError(t, enc.Encode(n))
	return joinWrapped(b.String())
}

// joinWrapped joins the lines of each literal block (`key: |`) into one.
func joinWrapped(text string) string {
	var out []string
	inBlock, first := "", false
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if inBlock != "" && trimmed != "" && strings.HasPrefix(line, inBlock) {
			if first {
				out, first = append(out, line), false
			} else {
				out[len(out)-1] += " " + trimmed
			}
			continue
		}
		inBlock = ""
		if strings.HasSuffix(trimmed, ": |") {
			inBlock, first = line[:len(line)-len(trimmed)]+"  ", true
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// The schema of a new field rests on every value seen, conservatively; the
// overlay, applied, makes the page conform, strictly.
func TestSuggestInfersAFieldFromEveryValue(t *testing.T) {
	cases := []struct {
		name   string
		values []any // one per task
		want   []string
		not    []string
	}{
		{name: "integers", values: []any{1, 2, 3}, want: []string{"type: integer\n"}, not: []string{"nullable", "format"}},
		{name: "integers and decimals", values: []any{1, 2.5, 3}, want: []string{"type: number\n", "format: double\n"}},
		{name: "with nulls", values: []any{"a", nil, "b"}, want: []string{"type: string\n", "nullable: true\n"}},
		{name: "only nulls", values: []any{nil, nil}, want: []string{"nullable: true\n", "Only null was seen"}, not: []string{"type:"}},
		{name: "date-times", values: []any{"2025-05-20T09:00:00Z", nil, "2025-05-21T10:15:00.000+02:00"},
			want: []string{"type: string\n", "format: date-time\n", "x-go-type: tolerant.Time\n", "path: github.com/tallyfy-go/tallyfy/tolerant\n", "nullable: true\n"}},
		{name: "one string that is not a date-time", values: []any{"2025-05-20T09:00:00Z", "2025-05-20 09:00:00"},
			want: []string{"type: string\n"}, not: []string{"format", "x-go-type"}},
		{name: "an impossible day", values: []any{"2025-02-30T09:00:00Z"}, want: []string{"type: string\n"}, not: []string{"format"}},
		{name: "free strings never make an enum", values: []any{"low", "low", "high"}, want: []string{"type: string\n"}, not: []string{"enum"}},
		{name: "mixed types", values: []any{"1", 1, true}, want: []string{"seen as boolean and integer and string, so its type is left open"}, not: []string{"type:"}},
		{name: "objects field by field", values: []any{
			map[string]any{"level": 1, "label": "a"},
			map[string]any{"level": 2.5, "since": "2025-05-20T09:00:00Z", "label": nil},
		}, want: []string{"type: object\n", "properties:\n", "label:\n    type: string\n    nullable: true\n",
			"level:\n    type: number\n    format: double\n", "since:\n    type: string\n    format: date-time\n"}, not: []string{"required"}},
		{name: "arrays from all their elements", values: []any{
			[]any{map[string]any{"id": 1}},
			[]any{},
			[]any{map[string]any{"id": 2, "note": "x"}, map[string]any{"id": 3}},
		}, want: []string{"type: array\n", "items:\n  type: object\n  properties:\n    id:\n      type: integer\n    note:\n      type: string\n"}},
		{name: "only empty arrays", values: []any{[]any{}, []any{}},
			want: []string{"type: array\n", "items: {}\n", "Only empty arrays were seen, so the type of its items is left open."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := withTasks(len(tc.values), func(i int, task map[string]any) { task["new_field"] = tc.values[i] })
			s := suggest(t, validator, runTasks(t, 200, body))
			require.Len(t, s.Actions, 1, "actions: %+v; declined: %+v", s.Actions, s.Declined)
			got := fieldSchema(t, s.Actions[0])
			for _, w := range tc.want {
				assert.Contains(t, got, w)
			}
			for _, n := range tc.not {
				assert.NotContains(t, got, n)
			}
			v, _ := applied(t, s, drift.Strict())
			findings := v.Check(t.Context(), runTasks(t, 200, body))
			assert.Empty(t, findings, "with the overlay applied, the page conforms, strictly")
		})
	}
}

// The kinds besides a new field: a new enum value, null where the schema
// is not nullable, a type the schema does not allow. Each overlay, applied,
// makes the exchange conform.
func TestSuggestEnumNullableAndWidening(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(i int, task map[string]any)
		kind     drift.SuggestionKind
		target   string
		actions  int
		update   string
		breaking bool
	}{
		{name: "a value outside an enum", edit: func(i int, task map[string]any) {
			if i > 0 {
				task["status"] = "x-example-paused"
			}
		}, kind: drift.SuggestEnumValue, target: "$.components.schemas.TaskStatus.enum", actions: 1, update: "- x-example-paused\n"},
		{name: "null where the schema is not nullable", edit: func(i int, task map[string]any) { task["title"] = nil },
			kind: drift.SuggestNullable, target: "$.components.schemas.Task.properties.title", actions: 1, update: "nullable: true\n", breaking: true},
		{name: "null on a field that refers to a component", edit: func(i int, task map[string]any) { task["owners"] = nil },
			kind: drift.SuggestNullable, target: "$.components.schemas.TaskOwners", actions: 1, update: "nullable: true\n", breaking: true},
		{name: "null on an optional field", edit: func(i int, task map[string]any) { task["status_label"] = nil },
			kind: drift.SuggestNullable, target: "$.components.schemas.Task.properties.status_label", actions: 1, update: "nullable: true\n"},
		{name: "a fraction in an integer", edit: func(i int, task map[string]any) { task["position"] = 1.5 },
			kind: drift.SuggestWidening, target: "$.components.schemas.Task.properties.position", actions: 1,
			update: "type: number\nformat: double\n", breaking: true},
		{name: "a string in an integer", edit: func(i int, task map[string]any) {
			if i == 1 {
				task["position"] = "2"
			}
		}, kind: drift.SuggestWidening, target: "$.components.schemas.Task.properties.position", actions: 2,
			update: "oneOf:\n  - type: integer\n  - type: string\n", breaking: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := withTasks(3, tc.edit)
			s := suggest(t, validator, runTasks(t, 200, body))
			require.Len(t, s.Actions, tc.actions, "actions: %+v; declined: %+v", s.Actions, s.Declined)
			last := s.Actions[len(s.Actions)-1]
			assert.Equal(t, tc.kind, last.Kind)
			assert.Equal(t, tc.breaking, last.Breaking)
			assert.Equal(t, tc.breaking, strings.Contains(last.Description, "Breaking for the generated Go type"))
			assert.True(t, strings.HasPrefix(last.Target, tc.target), "target %s", last.Target)
			assert.Equal(t, tc.update, yamlText(t, last.Update))
			if tc.actions == 2 {
				assert.True(t, s.Actions[0].Remove)
				assert.Equal(t, tc.target+".type", s.Actions[0].Target)
			}
			v, _ := applied(t, s)
			assert.Empty(t, rulesOf(v.Check(t.Context(), runTasks(t, 200, body))), "with the overlay applied, the page conforms")
		})
	}
}

// An undocumented field inside an include and inside a oneOf alternative
// joins the schema that lists its siblings, found through the $refs.
func TestSuggestFollowsRefsAndAlternatives(t *testing.T) {
	p := withTasks(2, func(i int, task map[string]any) {
		task["owners"].(map[string]any)["users"] = []any{map[string]any{"id": 7, "full_name": "Ada", "email_verified": true}}
	})
	pagination(p)["links"] = map[string]any{"next": nil, "first": "https://go.tallyfy.com/api/x?page=1"}
	s := suggest(t, validator, runTasks(t, 200, p))
	var targets []string
	for _, a := range s.Actions {
		targets = append(targets, a.Target+" "+a.Name)
	}
	assert.ElementsMatch(t, []string{
		"$.components.schemas.UserRef.properties email_verified",
		"$.components.schemas.PaginationLinks.properties first",
	}, targets, "declined: %+v", s.Declined)
	v, _ := applied(t, s, drift.Strict())
	assert.Empty(t, rulesOf(v.Check(t.Context(), runTasks(t, 200, p))))
}

// Findings a person must judge are declined, each with the reason.
func TestSuggestDeclinesWhatAPersonMustJudge(t *testing.T) {
	long := strings.Repeat("x", 101)
	body := withTasks(3, func(i int, task map[string]any) {
		switch i {
		case 0:
			delete(task, "title")
			task["created_at"] = "2025-05-20 09:00:00"
		case 1:
			task["task_type"] = long
			task["owners"] = "nobody"
		}
	})
	s := suggest(t, validator, runTasks(t, 200, body))
	assert.Empty(t, s.Actions)
	reasons := map[string]string{}
	for _, d := range s.Declined {
		reasons[d.Rule+" "+d.Pattern] = d.Reason
		assert.Equal(t, "listRunTasks", d.Operation)
		assert.Equal(t, 1, d.Count)
	}
	assert.Contains(t, reasons["required /data/*/title"], "left to a person")
	assert.Contains(t, reasons["format /data/*/created_at"], "loosening a format is left to a person")
	assert.Contains(t, reasons["enum /data/*/task_type"], "over 100 bytes")
	assert.Contains(t, reasons["type /data/*/owners"], "widening an object or array schema is left to a person")
	text := func() string {
		var b bytes.Buffer
		require.Error(t, s.WriteOverlay(&b, drift.OverlayInfo{}), "no overlay without an action")
		return b.String()
	}()
	assert.Empty(t, text)
}

// More new values of one enum than a closed list plausibly gains at once
// are free text: the ones past the bound are declined.
func TestSuggestBoundsTheValuesOfOneEnum(t *testing.T) {
	body := withTasks(25, func(i int, task map[string]any) { task["status"] = "state-" + string(rune('a'+i)) })
	pagination(body)["per_page"] = 25
	s := suggest(t, validator, runTasks(t, 200, body))
	assert.Len(t, s.Actions, 20)
	require.Len(t, s.Declined, 1)
	assert.Equal(t, 5, s.Declined[0].Count)
	assert.Contains(t, s.Declined[0].Reason, "looks like free text")
}

// No value of a response reaches the overlay but an enum value: not a
// new field's values, not a widened field's.
func TestSuggestPutsNoResponseValueInTheOverlay(t *testing.T) {
	const secret = "user-text-that-must-stay-out"
	body := withTasks(3, func(i int, task map[string]any) {
		task["notes"] = map[string]any{"text": secret, "tags": []any{secret}}
		task["position"] = secret
		task["status"] = "x-example-paused"
	})
	s := suggest(t, validator, runTasks(t, 200, body))
	require.NotEmpty(t, s.Actions)
	text := overlayText(t, s)
	assert.NotContains(t, text, secret)
	assert.Contains(t, text, "- x-example-paused\n", "an enum value is the one value that goes in")
}

// The overlay applies to openapi.yaml in strict mode, and an action whose
// target matches nothing is an error there.
func TestSuggestedOverlayTargetsExist(t *testing.T) {
	s := suggest(t, validator, runTasks(t, 200, withTasks(2, func(i int, task map[string]any) { task["x_example_sla_minutes"] = 1 })))
	applied(t, s)
	s.Actions[0].Target = "$.components.schemas.NoSuchSchema.properties"
	o, err := overlay.ParseReader(strings.NewReader(overlayText(t, s)))
	require.NoError(t, err)
	spec, err := os.ReadFile(filepath.Join("..", "openapi.yaml"))
	require.NoError(t, err)
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal(spec, &root))
	_, err = o.ApplyToStrict(&root)
	assert.ErrorContains(t, err, "did not match any targets")
}

// A Suggester takes exchanges from several goroutines (a live check's
// hook), and counts each of them once.
func TestSuggesterIsSafeForConcurrentUse(t *testing.T) {
	s := drift.NewSuggester(validator, observedOn)
	ex := runTasks(t, 200, withTasks(2, func(i int, task map[string]any) { task["x_example_sla_minutes"] = 1 }))
	findings := validator.Check(context.Background(), ex)
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			s.Add("concurrent", ex, findings)
		}()
	}
	for range 8 {
		<-done
	}
	got := s.Suggestion()
	require.Len(t, got.Actions, 1)
	assert.Equal(t, 16, got.Actions[0].Evidence.Occurrences)
	assert.Equal(t, 8, got.Actions[0].Evidence.Exchanges)
}
