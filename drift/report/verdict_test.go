package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

func TestVerdictOrdersErrorDriftIncompleteConforms(t *testing.T) {
	drifted := Exchange{Check: "a", Findings: []drift.Finding{{Severity: drift.SeverityDrift, Rule: "enum"}}}
	warned := Exchange{Check: "a", Findings: []drift.Finding{{Severity: drift.SeverityWarning, Rule: drift.RuleUndocumentedField}}}
	tests := []struct {
		name   string
		report Report
		want   Verdict
	}{
		{name: "every check passed", report: Report{Checks: []PlannedCheck{{Name: "a"}}, Exchanges: []Exchange{warned}}, want: VerdictConforms},
		{name: "drift", report: Report{Checks: []PlannedCheck{{Name: "a"}}, Exchanges: []Exchange{drifted}}, want: VerdictDrift},
		{name: "a skipped check", report: Report{Checks: []PlannedCheck{{Name: "a"}, {Name: "b", Skipped: "budget"}}}, want: VerdictIncomplete},
		{name: "drift wins over a skip", report: Report{Checks: []PlannedCheck{{Name: "a"}, {Name: "b", Skipped: "budget"}}, Exchanges: []Exchange{drifted}}, want: VerdictDrift},
		{name: "an error wins over drift", report: Report{Checks: []PlannedCheck{{Name: "a"}}, Exchanges: []Exchange{drifted}, Error: "401"}, want: VerdictError},
		{name: "a run that never started", report: Report{Mode: ModeNone, Error: "bad flag"}, want: VerdictError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.report.Verdict())
		})
	}
}

// A tool that reads only the JSON summary sees a run that could not check
// as what it is, not as zero findings.
func TestTheJSONSummaryCarriesTheVerdict(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, &Report{Mode: ModeNone, Error: "TALLYFY_ACCESS_TOKEN is set but empty"}))
	var got struct {
		Summary struct {
			Verdict Verdict `json:"verdict"`
		} `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, VerdictError, got.Summary.Verdict)
}

// A note (a recording not saved) is in every format, as one safe line,
// scrubbed of secrets, and changes no verdict.
func TestNotesAreInEveryFormatAndChangeNoVerdict(t *testing.T) {
	r := &Report{Mode: ModeLive, Checks: []PlannedCheck{{Name: "a"}}, Exchanges: []Exchange{{Check: "a"}},
		Notes: []string{"a: recording not saved\n::error::forged SECRET"}}
	assert.Equal(t, VerdictConforms, r.Verdict())
	r = r.Scrubbed(redact.New("SECRET"))
	for _, format := range []Format{FormatText, FormatMarkdown, FormatJSON, FormatJUnit} {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, r, format, TextOptions{}), format)
		out := buf.String()
		assert.Contains(t, out, "a: recording not saved", format)
		assert.NotContains(t, out, "SECRET", format)
		assert.NotContains(t, out, "\n::error::", format)
	}
}
