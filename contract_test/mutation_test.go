package contracttest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

// The recordings the mutations start from: valid exchanges of each kind
// (a plain page, a page with an include, an organization page, the error
// bodies), so that each kind of drift is seen where the API would send it.
const (
	recPage1    = "01-run-tasks-page-1"
	recPage2    = "02-run-tasks-page-2"
	recPage3    = "03-run-tasks-page-3"
	recWithStep = "04-run-tasks-with-step"
	recWithRun  = "08-run-tasks-with-run"
	recNoPaging = "10-run-tasks-without-pagination"
	recOrgTasks = "13-org-tasks-oneoff-and-process"
	recInvalid  = "19-error-422-deadline-range"
	recLimited  = "20-error-429-rate-limited"
	recThreads  = "06-run-tasks-with-threads"
	recSwagger  = "22-run-tasks-swagger-form-fields-threads-assets"
)

// longValue is a 300-character value put into a wrong-typed field: a finding
// may quote a short scalar (an enum value, a date), never a long one, which
// could be a user's text in a CI log.
var longValue = strings.Repeat("0123456789", 30)

// maxQuotedRunes is the longest run of an inserted value a finding message
// may repeat (drift quotes at most 40 runes of a value).
const maxQuotedRunes = 40

// mutation is one kind of drift, made by changing a valid recording.
type mutation struct {
	name      string
	recording string
	mutate    func(tb testing.TB, ex *drift.Exchange)
	strict    bool // check with drift.Strict() rather than the default validator

	pointer  string
	rule     string
	severity drift.Severity

	// warningsUnder allows, besides the wanted finding, warnings below this
	// pointer: unwrapping an include leaves its fields where the wrapper
	// lists only "data".
	warningsUnder string

	// also are findings the mutation must cause besides the wanted one:
	// an empty page before the last breaks two pagination rules at once.
	also []findingKey

	// inserts is a long value the mutation puts in, which no message may
	// repeat; naming it makes sure the leak check sees it.
	inserts string

	// suggest is the kind of change of the spec a drift.Suggester proposes
	// for the finding (tallyfy-drift --suggest); whyNot, when it proposes
	// none, is (the start of) its reason. Every row has one of the two.
	suggest drift.SuggestionKind
	whyNot  string
}

// set returns a mutation that sets the body value at ptr.
func set(ptr string, value any) func(testing.TB, *drift.Exchange) {
	return func(tb testing.TB, ex *drift.Exchange) {
		ex.Body = withBody(tb, ex.Body, func(tb testing.TB, doc any) { setAt(tb, doc, ptr, value) })
	}
}

// remove returns a mutation that deletes the body member at ptr.
func remove(ptr string) func(testing.TB, *drift.Exchange) {
	return func(tb testing.TB, ex *drift.Exchange) {
		ex.Body = withBody(tb, ex.Body, func(tb testing.TB, doc any) { deleteAt(tb, doc, ptr) })
	}
}

// all returns a mutation that applies each of mutations in turn.
func all(mutations ...func(testing.TB, *drift.Exchange)) func(testing.TB, *drift.Exchange) {
	return func(tb testing.TB, ex *drift.Exchange) {
		for _, m := range mutations {
			m(tb, ex)
		}
	}
}

// unwrap returns a mutation that replaces the Fractal wrapper {"data": X}
// at ptr with X itself, as an API that stopped wrapping includes would.
func unwrap(ptr string) func(testing.TB, *drift.Exchange) {
	return func(tb testing.TB, ex *drift.Exchange) {
		ex.Body = withBody(tb, ex.Body, func(tb testing.TB, doc any) {
			setAt(tb, doc, ptr, valueAt(tb, doc, ptr+"/data"))
		})
	}
}

// The reasons a Suggester gives for what it leaves to a person, as the
// mutation rows name them.
const (
	byHandRequired = "a field that is missing may be Tallyfy's bug"
	byHandFormat   = "a value that breaks the spec's format may be Tallyfy's bug"
	byHandPattern  = "a value that breaks the spec's pattern may be Tallyfy's bug"
	byHandOneOf    = "the value fits none of the schema's alternatives"
	byHandPaging   = "a rule of pagination, which OpenAPI cannot state"
	byHandArray    = "widening an object or array schema is left to a person"
	byHandType     = "a change of the response's content-type is left to a person"
	byHandStatus   = "a change of the response's status is left to a person"
	byHandHeader   = "a change of the response's header is left to a person"
	byHandNotJSON  = "the body is not JSON: there is nothing to describe"
)

func mutations() []mutation {
	const drifted, warned = drift.SeverityDrift, drift.SeverityWarning
	const (
		field, enum, nullable, widen = drift.SuggestField, drift.SuggestEnumValue, drift.SuggestNullable, drift.SuggestWidening
	)
	return []mutation{
		// Enums: a value the spec does not list is drift, though the client decodes it.
		{name: "unknown task status", recording: recPage1, mutate: set("/data/0/status", "skipped"),
			pointer: "/data/0/status", rule: "enum", severity: drifted, suggest: enum},
		{name: "unknown task type on an org task", recording: recOrgTasks, mutate: set("/data/1/task_type", "accept_decline"),
			pointer: "/data/1/task_type", rule: "enum", severity: drifted, suggest: enum},
		{name: "unknown task type on a run task", recording: recPage1, mutate: set("/data/0/task_type", "standard"),
			pointer: "/data/0/task_type", rule: "enum", severity: drifted, suggest: enum},

		// Required fields: kin-openapi names the missing field itself.
		{name: "missing required title", recording: recPage1, mutate: remove("/data/0/title"),
			pointer: "/data/0/title", rule: "required", severity: drifted, whyNot: byHandRequired},
		{name: "missing required owners bucket", recording: recOrgTasks, mutate: remove("/data/0/owners/groups"),
			pointer: "/data/0/owners/groups", rule: "required", severity: drifted, whyNot: byHandRequired},
		{name: "missing required pagination count", recording: recPage1, mutate: remove("/meta/pagination/count"),
			pointer: "/meta/pagination/count", rule: "required", severity: drifted, whyNot: byHandRequired},
		{name: "422 without its field errors", recording: recInvalid, mutate: remove("/errors"),
			pointer: "/errors", rule: "required", severity: drifted, whyNot: byHandRequired},

		// Types.
		{name: "position as a long string", recording: recPage1, mutate: set("/data/1/position", longValue),
			pointer: "/data/1/position", rule: "type", severity: drifted, suggest: widen, inserts: longValue},
		{name: "increment_id as a fraction", recording: recOrgTasks, mutate: set("/data/2/increment_id", 1.5),
			pointer: "/data/2/increment_id", rule: "type", severity: drifted, suggest: widen},
		{name: "null title", recording: recPage1, mutate: set("/data/0/title", nil),
			pointer: "/data/0/title", rule: "nullable", severity: drifted, suggest: nullable},
		{name: "null owners", recording: recPage1, mutate: set("/data/0/owners", nil),
			pointer: "/data/0/owners", rule: "nullable", severity: drifted, suggest: nullable},
		{name: "owner neither an id nor a user", recording: recOrgTasks, mutate: set("/data/0/owners/users", []any{"ada@example.com"}),
			pointer: "/data/0/owners/users/0", rule: "oneOf", severity: drifted, whyNot: byHandOneOf},

		// Formats and patterns.
		{name: "date-time without T and zone", recording: recPage1, mutate: set("/data/0/created_at", "2025-05-20 09:00:00"),
			pointer: "/data/0/created_at", rule: "format", severity: drifted, whyNot: byHandFormat},
		{name: "impossible date", recording: recOrgTasks, mutate: set("/data/3/last_updated", "2025-02-30T10:00:00Z"),
			pointer: "/data/3/last_updated", rule: "format", severity: drifted, whyNot: byHandFormat},
		{name: "task id not 32 lowercase hex", recording: recPage1, mutate: set("/data/0/id", "9F2C1A7BE3D44C0F8A6B5E1D2C3F4A5B"),
			pointer: "/data/0/id", rule: "pattern", severity: drifted, whyNot: byHandPattern},
		{name: "org task id too short", recording: recOrgTasks, mutate: set("/data/1/id", "9f2c1a7b"),
			pointer: "/data/1/id", rule: "pattern", severity: drifted, whyNot: byHandPattern},
		{name: "run id of an include not hex", recording: recWithRun, mutate: set("/data/0/run/data/id", "run-1205"),
			pointer: "/data/0/run/data/id", rule: "pattern", severity: drifted, whyNot: byHandPattern},

		// Meta.
		{name: "pagination total as a string", recording: recPage1, mutate: set("/meta/pagination/total", "5"),
			pointer: "/meta/pagination/total", rule: "type", severity: drifted, suggest: widen},
		{name: "pagination links a non-empty array", recording: recPage1, mutate: set("/meta/pagination/links", []any{"next"}),
			pointer: "/meta/pagination/links", rule: "oneOf", severity: drifted, whyNot: byHandOneOf},
		{name: "pagination links a string", recording: recPage1, mutate: set("/meta/pagination/links", "https://go.tallyfy.com/api/next"),
			pointer: "/meta/pagination/links", rule: "oneOf", severity: drifted, whyNot: byHandOneOf},

		// Pagination semantics, which the schema cannot state: meta.pagination
		// agrees with itself, with the page's items and with the page asked for.
		{name: "list without meta", recording: recPage1, mutate: remove("/meta"),
			pointer: "/meta", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "count is not the number of items", recording: recPage1, mutate: set("/meta/pagination/count", 1),
			pointer: "/meta/pagination/count", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "count is more than per_page", recording: recPage1,
			mutate:  all(set("/meta/pagination/per_page", 1), set("/meta/pagination/total", 3)),
			pointer: "/meta/pagination/count", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "an empty page that claims 25 tasks", recording: recPage1,
			mutate:  all(set("/data", []any{}), set("/meta/pagination/count", 25)),
			pointer: "/meta/pagination/count", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging,
			also: []findingKey{{"/meta/pagination/total_pages", drift.RulePagination, drifted}}},
		{name: "an empty first page of 25 tasks", recording: recWithStep,
			mutate: all(set("/data", []any{}), set("/meta/pagination/count", 0), set("/meta/pagination/total", 25),
				set("/meta/pagination/total_pages", 3), set("/meta/pagination/links", map[string]any{"next": "https://go.tallyfy.com/api/x?page=2"})),
			pointer: "/meta/pagination/count", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging,
			also: []findingKey{{"/meta/pagination/total_pages", drift.RulePagination, drifted}}},
		{name: "current_page is not the page asked for", recording: recPage2, mutate: set("/meta/pagination/current_page", 1),
			pointer: "/meta/pagination/current_page", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "current_page 0", recording: recPage1, mutate: set("/meta/pagination/current_page", 0),
			pointer: "/meta/pagination/current_page", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "current_page past total_pages", recording: recNoPaging, mutate: set("/meta/pagination/current_page", 2),
			pointer: "/meta/pagination/current_page", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "total disagrees with total_pages and per_page", recording: recPage1, mutate: set("/meta/pagination/total", 50),
			pointer: "/meta/pagination/total", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "no links.next though a later page exists", recording: recPage1, mutate: set("/meta/pagination/links", []any{}),
			pointer: "/meta/pagination/links/next", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},
		{name: "links.next on the last page", recording: recPage3,
			mutate:  set("/meta/pagination/links", map[string]any{"next": "https://go.tallyfy.com/api/x?page=4"}),
			pointer: "/meta/pagination/links/next", rule: drift.RulePagination, severity: drifted, whyNot: byHandPaging},

		// Where openapi.yaml departs from Tallyfy's Swagger on purpose
		// (upstream/reconciliation.yaml), the Swagger's shape is drift, so
		// the check says which side the live API takes.
		{name: "thread id as an integer (the older Swagger subset)", recording: recThreads, mutate: set("/data/0/threads/data/0/id", 4411),
			pointer: "/data/0/threads/data/0/id", rule: "type", severity: drifted, suggest: widen},
		{name: "form field options as a string (the Swagger's Capture)", recording: recSwagger, mutate: set("/data/0/form_fields/data/0/options", "Basic,Pro"),
			pointer: "/data/0/form_fields/data/0/options", rule: "type", severity: drifted, whyNot: byHandArray},
		{name: "asset subject id as an integer (the Swagger's AssetSubject)", recording: recSwagger, mutate: set("/data/0/assets/data/0/subject/id", 4411),
			pointer: "/data/0/assets/data/0/subject/id", rule: "type", severity: drifted, suggest: widen},
		{name: "started_at in the Swagger's request-date shape", recording: recSwagger, mutate: set("/data/0/started_at", "2025-05-19 09:00:00"),
			pointer: "/data/0/started_at", rule: "format", severity: drifted, whyNot: byHandFormat},

		// Includes: each arrives wrapped as {"data": ...}.
		{name: "step include not wrapped", recording: recWithStep, mutate: unwrap("/data/0/step"),
			pointer: "/data/0/step/data", rule: "required", severity: drifted, whyNot: byHandRequired, warningsUnder: "/data/0/step/"},
		{name: "run include not wrapped", recording: recWithRun, mutate: unwrap("/data/1/run"),
			pointer: "/data/1/run/data", rule: "required", severity: drifted, whyNot: byHandRequired, warningsUnder: "/data/1/run/"},

		// The response around the body.
		{name: "HTML on a 200", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.ResponseHeader.Set("Content-Type", "text/html; charset=UTF-8")
			ex.Body = []byte("<!doctype html><html><body><p>Down for maintenance, back soon.</p></body></html>")
		}, pointer: "", rule: drift.RuleContentType, severity: drifted, whyNot: byHandType},
		{name: "text/html content type on a JSON 200", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.ResponseHeader.Set("Content-Type", "text/html")
		}, pointer: "", rule: drift.RuleContentType, severity: drifted, whyNot: byHandType},
		{name: "200 relabelled 500", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.Status = http.StatusInternalServerError
		}, pointer: "", rule: drift.RuleStatus, severity: drifted, whyNot: byHandStatus},
		{name: "200 relabelled 418", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.Status = http.StatusTeapot
		}, pointer: "", rule: drift.RuleStatus, severity: drifted, whyNot: byHandStatus},
		{name: "429 without Retry-After", recording: recLimited, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.ResponseHeader.Del("Retry-After")
		}, pointer: "Retry-After", rule: drift.RuleHeader, severity: drifted, whyNot: byHandHeader},
		{name: "HTML body labelled JSON", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.Body = []byte("<!doctype html><html><body><p>502 Bad Gateway from the load balancer</p></body></html>")
		}, pointer: "", rule: drift.RuleInvalidJSON, severity: drifted, whyNot: byHandNotJSON},
		{name: "JSON body cut short", recording: recPage1, mutate: func(_ testing.TB, ex *drift.Exchange) {
			ex.Body = ex.Body[:len(ex.Body)/2]
		}, pointer: "", rule: drift.RuleInvalidJSON, severity: drifted, whyNot: byHandNotJSON},

		// Additive change: a warning by default, drift when strict.
		{name: "undocumented field, default", recording: recPage1, mutate: set("/data/0/brand_new", 1),
			pointer: "/data/0/brand_new", rule: drift.RuleUndocumentedField, severity: warned, suggest: field},
		{name: "undocumented field, strict", recording: recPage1, mutate: set("/data/0/brand_new", 1), strict: true,
			pointer: "/data/0/brand_new", rule: drift.RuleUndocumentedField, severity: drifted, suggest: field},
		{name: "undocumented field in an include, strict", recording: recWithStep, mutate: set("/data/2/step/data/brand_new", true), strict: true,
			pointer: "/data/2/step/data/brand_new", rule: drift.RuleUndocumentedField, severity: drifted, suggest: field},
	}
}

// TestMutatedRecordingsAreCaught makes each kind of drift the API could show
// (a new enum value, a missing or null field, a changed type, a bad date,
// an unwrapped include, a wrong status, content type or header, a body that
// is not JSON, an extra field) by changing one valid recording, and checks
// that the validator reports it at the exact pointer with the expected rule
// and severity, and reports nothing else as drift. A check that passes
// recordings is only worth something if it also fails these.
func TestMutatedRecordingsAreCaught(t *testing.T) {
	cases := mutations()

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := embeddedRecording(t, tc.recording)
			original := exchangeOf(rec)
			ex := exchangeOf(rec)
			tc.mutate(t, &ex)

			v := defaultValidator(t)
			if tc.strict {
				v = strictValidator(t)
			}
			// The starting points conform (TestRecordingsConformToTheSpec
			// holds that, and is the test that fails when they do not): a
			// finding of the unmutated recording is not the mutation's, and
			// is left to that test, so that one edit of the spec fails one
			// test. Any other finding below is caused by the mutation.
			before := map[findingKey]bool{}
			for _, f := range v.Check(t.Context(), original) {
				before[keyOf(f)] = true
			}
			var findings []drift.Finding
			for _, f := range v.Check(t.Context(), ex) {
				if !before[keyOf(f)] {
					findings = append(findings, f)
				}
			}

			want := findingKey{tc.pointer, tc.rule, tc.severity}
			assert.Contains(t, keysOf(findings), want, "want %s: %s (%s); got:\n%s",
				tc.pointer, tc.rule, tc.severity, findingLines(findings))
			for _, also := range tc.also {
				assert.Contains(t, keysOf(findings), also, "want also %s: %s (%s); got:\n%s",
					also.Pointer, also.Rule, also.Severity, findingLines(findings))
			}
			for _, f := range findings {
				switch {
				case keyOf(f) == want, slices.Contains(tc.also, keyOf(f)):
				case f.Severity == drift.SeverityWarning && tc.warningsUnder != "" && strings.HasPrefix(f.Pointer, tc.warningsUnder):
				default:
					t.Errorf("finding not caused by this mutation alone: %s: %s: %s (%s)", f.Pointer, f.Rule, f.Message, f.Severity)
				}
			}

			// No message repeats a long value the mutation put in.
			inserted := insertedValues(t, original.Body, ex.Body)
			if tc.inserts != "" {
				require.Contains(t, inserted, tc.inserts, "the leak check must see the inserted value")
			}
			for _, f := range findings {
				assert.NotEmpty(t, f.Message, "%s: %s has no message", f.Pointer, f.Rule)
				assert.Equal(t, ex.Status, f.Status, "finding status")
				for _, s := range inserted {
					assert.False(t, quotesMoreThan(f.Message, s, maxQuotedRunes),
						"the message of %s: %s repeats more than %d runes of an inserted value: %s",
						f.Pointer, f.Rule, maxQuotedRunes, f.Message)
				}
			}
		})
	}
}

// TestMutationsSaySuggestedOrWhyNot holds the suggestion column of the
// mutation table: for the finding each row makes, a drift.Suggester
// proposes an overlay action of the row's kind, or none, for the row's
// reason. Every row says one or the other.
func TestMutationsSaySuggestedOrWhyNot(t *testing.T) {
	for _, tc := range mutations() {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, (tc.suggest == "") != (tc.whyNot == ""), "the row says what is suggested, or why nothing is")
			ex := exchangeOf(embeddedRecording(t, tc.recording))
			tc.mutate(t, &ex)
			v := defaultValidator(t)
			if tc.strict {
				v = strictValidator(t)
			}
			want := findingKey{tc.pointer, tc.rule, tc.severity}
			var findings []drift.Finding
			for _, f := range v.Check(t.Context(), ex) {
				if keyOf(f) == want {
					findings = append(findings, f)
				}
			}
			require.Len(t, findings, 1, "the row's finding")
			s := drift.NewSuggester(v, time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC))
			s.Add(tc.recording+".json", ex, findings)
			got := s.Suggestion()
			if tc.suggest != "" {
				require.NotEmpty(t, got.Actions, "declined: %+v", got.Declined)
				for _, a := range got.Actions {
					assert.Equal(t, tc.suggest, a.Kind)
				}
				assert.NoError(t, got.WriteOverlay(io.Discard, drift.OverlayInfo{Checked: tc.recording, Spec: v.SpecVersion()}))
				return
			}
			assert.Empty(t, got.Actions)
			require.Len(t, got.Declined, 1)
			assert.True(t, strings.HasPrefix(got.Declined[0].Reason, tc.whyNot), "reason %q", got.Declined[0].Reason)
		})
	}
}

// findingKey is what a mutation row compares of a finding.
type findingKey struct {
	Pointer  string
	Rule     string
	Severity drift.Severity
}

func keyOf(f drift.Finding) findingKey { return findingKey{f.Pointer, f.Rule, f.Severity} }

func keysOf(findings []drift.Finding) []findingKey {
	out := make([]findingKey, len(findings))
	for i, f := range findings {
		out[i] = keyOf(f)
	}
	return out
}

// insertedValues returns the long strings (over maxQuotedRunes runes) of the
// mutated body that the original does not have: the JSON string values and
// keys a mutation put in, or the whole body when it is no longer JSON.
func insertedValues(tb testing.TB, original, mutated []byte) []string {
	tb.Helper()
	before := longStrings(tb, original)
	var out []string
	for _, s := range longStrings(tb, mutated) {
		if !slices.Contains(before, s) {
			out = append(out, s)
		}
	}
	return out
}

// longStrings lists the strings of a body longer than maxQuotedRunes runes:
// every string and key of a JSON body, or the body itself when it is not JSON.
func longStrings(tb testing.TB, body []byte) []string {
	tb.Helper()
	var out []string
	add := func(s string) {
		if utf8.RuneCountInString(s) > maxQuotedRunes {
			out = append(out, s)
		}
	}
	if !json.Valid(body) {
		add(string(body))
		return out
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			add(v)
		case []any:
			for _, item := range v {
				walk(item)
			}
		case map[string]any:
			for k, item := range v {
				add(k)
				walk(item)
			}
		}
	}
	walk(decodeJSONValue(tb, body))
	return out
}

// quotesMoreThan reports whether msg holds more than n consecutive runes of s.
func quotesMoreThan(msg, s string, n int) bool {
	runes := []rune(s)
	for i := 0; i+n < len(runes); i++ {
		if strings.Contains(msg, string(runes[i:i+n+1])) {
			return true
		}
	}
	return false
}
