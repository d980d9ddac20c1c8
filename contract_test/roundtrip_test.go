package contracttest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/roundtrip"
)

// generatedTypeFor returns a new value of the generated type that a body of
// the given status decodes into, as the spec documents it: a task list on
// 200, a validation error on 422, the error shape on any other 4xx.
func generatedTypeFor(tb testing.TB, status int) any {
	tb.Helper()
	switch {
	case status == http.StatusOK:
		return new(gen.TaskList)
	case status == http.StatusUnprocessableEntity:
		return new(gen.ValidationError)
	case status >= 400 && status < 500:
		return new(gen.Error)
	}
	require.FailNowf(tb, "no generated type", "status %d has no documented body", status)
	return nil
}

// lostInRoundTrip decodes body into the generated type for status with
// encoding/json, encodes it again, and returns what the re-encoding lost.
func lostInRoundTrip(tb testing.TB, status int, body []byte) []roundtrip.Diff {
	tb.Helper()
	target := generatedTypeFor(tb, status)
	require.NoError(tb, json.Unmarshal(body, target), "decode into %T", target)
	reencoded, err := json.Marshal(target)
	require.NoError(tb, err, "re-encode %T", target)
	lost, err := roundtrip.Lost(body, reencoded)
	require.NoError(tb, err)
	return lost
}

// diffLines names each lost value by its pointer, one a line.
func diffLines(diffs []roundtrip.Diff) string {
	lines := make([]string, len(diffs))
	for i, d := range diffs {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// TestRecordingsSurviveTheGeneratedTypes checks that the generated types hold
// every value the recordings have. Without additionalProperties the
// generated structs drop a field the spec does not declare, silently; a
// user's code would never see it. Decoding each recorded body and encoding
// it again names any such field, and any value whose Go type cannot carry
// it (a number cut to an int, a union that re-encodes differently).
//
// A field the spec does not declare at all is TestRecordingsConformToTheSpec's
// finding (the strict validator reports it at the same pointer), so it is
// left to that test: one edit of the spec fails one test.
func TestRecordingsSurviveTheGeneratedTypes(t *testing.T) {
	v := strictValidator(t)
	for _, rec := range embeddedRecordings(t) {
		t.Run(rec.Name, func(t *testing.T) {
			body := rec.Response.BodyBytes()
			require.True(t, json.Valid(body), "the recorded body is not JSON")
			undocumented := map[string]bool{}
			for _, f := range v.Check(t.Context(), drift.FromRecording(rec)) {
				if f.Rule == drift.RuleUndocumentedField {
					undocumented[f.Pointer] = true
				}
			}
			var lost []roundtrip.Diff
			for _, d := range lostInRoundTrip(t, rec.Response.Status, body) {
				if !undocumented[d.Pointer] {
					lost = append(lost, d)
				}
			}
			assert.Empty(t, lost, "decoding into the generated type and re-encoding lost:\n%s", diffLines(lost))
		})
	}
}

// TestRoundTripNamesAFieldTheSpecLacks proves that the round-trip check can
// fail, and that it names what is lost: a field the spec does not declare,
// on a task and inside an include, is reported by its pointer.
func TestRoundTripNamesAFieldTheSpecLacks(t *testing.T) {
	cases := []struct {
		name      string
		recording string
		pointer   string
	}{
		{"on a task", "01-run-tasks-page-1", "/data/0/brand_new_field"},
		{"inside the step include", "04-run-tasks-with-step", "/data/1/step/data/brand_new_field"},
		{"on an error body", "18-error-404-resource-not-found", "/brand_new_field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := embeddedRecording(t, tc.recording)
			body := withBody(t, rec.Response.BodyBytes(), func(tb testing.TB, doc any) {
				setAt(tb, doc, tc.pointer, "a value the generated types have no field for")
			})
			// What the unchanged recording loses is TestRecordingsSurviveTheGeneratedTypes'
			// to report: only what the added field loses counts here.
			before := lostInRoundTrip(t, rec.Response.Status, rec.Response.BodyBytes())
			var lost []roundtrip.Diff
			for _, d := range lostInRoundTrip(t, rec.Response.Status, body) {
				if !slices.Contains(before, d) {
					lost = append(lost, d)
				}
			}
			assert.Equal(t, []roundtrip.Diff{{Pointer: tc.pointer, Problem: "missing"}}, lost,
				"lost:\n%s", diffLines(lost))
		})
	}
}
