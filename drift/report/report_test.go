package report

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	goldenfile "github.com/tallyfy-go/tallyfy/internal/testsupport/golden"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/recording"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const base = "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"

// add appends one checked exchange, made by planned check check, to r.
func add(r *Report, check, operation, rawURL string, status int, findings ...drift.Finding) {
	r.Exchanges = append(r.Exchanges, Exchange{
		Check: check, Operation: operation, Method: "GET", URL: rawURL, Status: status, Findings: findings,
	})
}

func driftAt(pointer, rule, message string) drift.Finding {
	return drift.Finding{Severity: drift.SeverityDrift, Pointer: pointer, Rule: rule, Message: message}
}

func warningAt(pointer string) drift.Finding {
	name := pointer[strings.LastIndex(pointer, "/")+1:]
	return drift.Finding{Severity: drift.SeverityWarning, Pointer: pointer, Rule: drift.RuleUndocumentedField,
		Message: fmt.Sprintf("field %q is not in the spec", name)}
}

// sample is a fixed live report with every kind of result: a check that
// passed over two pages, one that drifted twice, one with warnings only, a
// check that drifted at the same pointer pattern, an exchange with no route,
// and a skipped check.
func sample() *Report {
	r := &Report{Mode: ModeLive, Target: "the API at https://go.tallyfy.com/api", SpecVersion: "0.1.0"}
	run := base + "/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks"
	r.Checks = []PlannedCheck{
		{Name: "run tasks, every page"}, {Name: "run tasks, with=step"}, {Name: "org tasks, first pages"},
		{Name: "org tasks, status=active"}, {Name: "org tasks, projects"}, {Name: "org tasks, one-off tasks", Skipped: "the request budget of 5 requests was reached"},
	}
	add(r, "run tasks, every page", "listRunTasks", run+"?page=1", 200)
	add(r, "run tasks, every page", "listRunTasks", run+"?page=2", 200)
	add(r, "run tasks, with=step", "listRunTasks", run+"?with=step", 200,
		driftAt("/data/0/status", "enum", `value "paused" is not one of the allowed values`),
		driftAt("/meta/pagination/total", "type", "want integer, got string"),
		warningAt("/data/0/brand_new"), warningAt("/data/1/brand_new"), warningAt("/data/2/brand_new"))
	add(r, "org tasks, first pages", "listOrgTasks", base+"/tasks?page=1", 200, warningAt("/data/1/robot"))
	add(r, "org tasks, status=active", "listOrgTasks", base+"/tasks?status=active", 200,
		driftAt("/data/3/status", "enum", `value "paused" is not one of the allowed values`))
	add(r, "org tasks, projects", "", base+"/projects", 404,
		drift.Finding{Severity: drift.SeverityDrift, Rule: drift.RuleRoute, Message: "no operation of the spec matches GET /organizations/…/projects"})
	return r
}

// aborted is a live report that a 401 ended: the first check is the error,
// the rest were skipped.
func aborted() *Report {
	r := &Report{Mode: ModeLive, Target: "the API at http://127.0.0.1:1/api", SpecVersion: "0.1.0",
		Error: "run tasks, every page: the API refused the token (401)"}
	r.Checks = []PlannedCheck{
		{Name: "run tasks, every page", Error: "the API refused the token (401)"},
		{Name: "org tasks, first pages", Skipped: "not run: the check ended at run tasks, every page"},
	}
	add(r, "run tasks, every page", "listRunTasks", base+"/runs/x/tasks", 401)
	return r
}

// notStarted is a report of a check that could not start.
func notStarted() *Report {
	return &Report{Mode: ModeNone, Error: "TALLYFY_ACCESS_TOKEN is set but empty"}
}

// golden compares got with testdata/name (see package golden).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got, *update, "go test ./drift/report -update")
}

func TestSummary(t *testing.T) {
	s := sample().Summary()
	assert.Equal(t, Summary{Checks: 6, Passed: 2, Drifted: 3, Skipped: 1, Exchanges: 6, DriftExchanges: 3, Drift: 4, Warnings: 4}, s)
	assert.True(t, sample().HasDrift())
	assert.False(t, sample().Complete(), "a skipped check")
	assert.False(t, (&Report{}).HasDrift())
	assert.True(t, (&Report{Checks: []PlannedCheck{{Name: "a"}}}).Complete())
	assert.False(t, aborted().Complete())
	assert.Equal(t, Summary{Checks: 2, Errors: 1, Skipped: 1, Exchanges: 1}, aborted().Summary())
}

func TestOutcomes(t *testing.T) {
	r := sample()
	var got []Outcome
	for _, c := range r.Checks {
		got = append(got, r.Outcome(c))
	}
	assert.Equal(t, []Outcome{Passed, Drifted, Passed, Drifted, Drifted, Skipped}, got)
	// A check that drifted before the budget stopped it is drift, and not complete.
	r.Checks[1].Skipped = "stopped after 1 page"
	assert.Equal(t, Drifted, r.Outcome(r.Checks[1]))
	assert.Equal(t, Errored, aborted().Outcome(aborted().Checks[0]))
}

func TestFindingsAreGroupedByOperationRuleAndPattern(t *testing.T) {
	r := &Report{Mode: ModeLive}
	var many []drift.Finding
	for i := range 50 {
		many = append(many, warningAt(fmt.Sprintf("/data/%d/brand_new", i)))
	}
	add(r, "page 1", "listRunTasks", base+"/runs/r/tasks", 200, many...)
	for i := range 4 {
		add(r, fmt.Sprintf("status %d", i), "listOrgTasks", base+"/tasks", 200, driftAt(fmt.Sprintf("/data/%d/status", i+2), "enum", `value "paused"`))
	}
	add(r, "run status", "listRunTasks", base+"/runs/r/tasks", 200, driftAt("/data/7/status", "enum", `value "paused"`))

	groups := r.Groups()
	require.Len(t, groups, 3)
	assert.Equal(t, drift.FindingGroup{GroupKey: drift.GroupKey{Operation: "listOrgTasks", Rule: "enum", Pattern: "/data/*/status"},
		Severity: drift.SeverityDrift, Example: driftAt("/data/2/status", "enum", `value "paused"`), Check: "status 0",
		Count: 4, Total: 4, Exchanges: 4}, groups[0])
	assert.Equal(t, "listRunTasks", groups[1].Operation, "another operation is another group")
	assert.Equal(t, 1, groups[1].Count)
	assert.Equal(t, drift.SeverityWarning, groups[2].Severity, "drift comes first")
	assert.Equal(t, 50, groups[2].Count)
	assert.Equal(t, 1, groups[2].Exchanges)
	assert.Equal(t, "/data/0/brand_new", groups[2].Example.Pointer)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, TextOptions{}))
	assert.Equal(t, 1, strings.Count(text.String(), "brand_new  50 findings"), text.String())
	assert.Equal(t, 1, strings.Count(text.String(), "/data/*/status  4 findings in 4 exchanges"), text.String())
	assert.NotContains(t, text.String(), "/data/1/brand_new", "only the first concrete pointer is shown")

	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	assert.Equal(t, 50, strings.Count(js.String(), `"pointer": "/data/`)-5, "JSON keeps every occurrence")
	assert.Contains(t, js.String(), `"pattern": "/data/*/brand_new"`)
}

// A group is keyed without its severity: findings-omitted findings, drift
// or a warning by what they count, make one group, which is drift when one
// of them is, and shows a drift finding as its example.
func TestAGroupIsDriftWhenOneOfItsFindingsIs(t *testing.T) {
	omitted := func(severity drift.Severity, n int) drift.Finding {
		return drift.Finding{Severity: severity, Rule: drift.RuleFindingsOmitted, Omitted: n,
			Message: fmt.Sprintf("%d more findings not listed", n)}
	}
	r := &Report{Mode: ModeReplay}
	add(r, "page 1", "listRunTasks", base+"/runs/r/tasks", 200, omitted(drift.SeverityWarning, 5))
	add(r, "page 2", "listRunTasks", base+"/runs/r/tasks?page=2", 200, omitted(drift.SeverityDrift, 7))
	add(r, "page 3", "listRunTasks", base+"/runs/r/tasks?page=3", 200, omitted(drift.SeverityWarning, 9))
	groups := r.Groups()
	require.Len(t, groups, 1)
	assert.Equal(t, drift.SeverityDrift, groups[0].Severity)
	assert.Equal(t, omitted(drift.SeverityDrift, 7), groups[0].Example)
	assert.Equal(t, "page 2", groups[0].Check)
	assert.Equal(t, 3, groups[0].Count)
	assert.Equal(t, 3, groups[0].Exchanges)
}

func TestAtMostMaxGroupsAreShown(t *testing.T) {
	r := &Report{Mode: ModeReplay, Checks: []PlannedCheck{{Name: "big"}}}
	var fs []drift.Finding
	for i := range MaxGroupsShown + 7 {
		fs = append(fs, warningAt(fmt.Sprintf("/data/0/f%d", i)))
	}
	add(r, "big", "listRunTasks", base+"/tasks", 200, fs...)
	r.Exchanges[0].MoreFindings = 1234
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJUnit} {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, r, f, TextOptions{}))
		assert.Contains(t, buf.String(), "… 7 more finding groups", f)
		assert.Contains(t, buf.String(), "1234 more findings past the cap of 1000 per exchange", f)
		assert.NotContains(t, buf.String(), fmt.Sprintf("/data/0/f%d", MaxGroupsShown), f)
	}
	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	assert.Contains(t, js.String(), fmt.Sprintf("/data/0/f%d", MaxGroupsShown+6))
	assert.Contains(t, js.String(), `"more_findings": 1234`)
}

func TestTextReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, sample(), TextOptions{}))
	golden(t, "report.txt", buf.Bytes())
	first, _, _ := strings.Cut(buf.String(), "\n")
	assert.Equal(t, "mode: live (the API at https://go.tallyfy.com/api)", first)
	assert.Contains(t, buf.String(), "skip   org tasks, one-off tasks: the request budget of 5 requests was reached\n")
	assert.NotContains(t, buf.String(), "\x1b[", "no colour unless asked")

	buf.Reset()
	require.NoError(t, WriteText(&buf, sample(), TextOptions{Color: true}))
	assert.Contains(t, buf.String(), ansiRed+"DRIFT"+ansiReset)
}

func TestJSONReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, sample()))
	golden(t, "report.json", buf.Bytes())

	// The pinned keys.
	var doc struct {
		Mode        string `json:"mode"`
		Target      string `json:"target"`
		SpecVersion string `json:"spec_version"`
		Summary     struct {
			Checks, Passed, Drifted, Skipped, Errors, Exchanges, Drift, Warnings int
		} `json:"summary"`
		Checks []struct {
			Name, Result, Reason string
			Exchanges            int
		} `json:"checks"`
		Exchanges []struct {
			Check, Operation, Method, URL string
			Status                        int
			Findings                      []struct{ Severity, Pointer, Rule, Message string }
		} `json:"exchanges"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "live", doc.Mode)
	assert.Equal(t, 6, doc.Summary.Checks)
	assert.Equal(t, 1, doc.Summary.Skipped)
	assert.Equal(t, 4, doc.Summary.Drift)
	assert.Equal(t, 4, doc.Summary.Warnings)
	require.Len(t, doc.Checks, 6)
	assert.Equal(t, "skipped", doc.Checks[5].Result)
	assert.Equal(t, "the request budget of 5 requests was reached", doc.Checks[5].Reason)
	assert.Equal(t, 2, doc.Checks[0].Exchanges)
	require.Len(t, doc.Exchanges, 6)
	assert.Equal(t, "/data/0/status", doc.Exchanges[2].Findings[0].Pointer)
	assert.NotNil(t, doc.Exchanges[0].Findings, "findings is [] (not null) when there are none")
}

func TestJUnitReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, sample()))
	golden(t, "report.xml", buf.Bytes())

	var doc junitSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Suites, 1)
	suite := doc.Suites[0]
	assert.Equal(t, 6, suite.Tests)
	assert.Equal(t, 3, suite.Failures)
	assert.Equal(t, 1, suite.Skipped)
	require.Len(t, suite.Cases, 6)
	assert.Nil(t, suite.Cases[0].Failure)
	require.NotNil(t, suite.Cases[1].Failure)
	assert.Contains(t, suite.Cases[1].Failure.Text, "listRunTasks enum /data/*/status: 1 finding, first /data/0/status:")
	assert.Contains(t, suite.Cases[1].SystemOut, "warning listRunTasks undocumented-field /data/*/brand_new: 3 findings")
	assert.Nil(t, suite.Cases[2].Failure, "warnings do not fail")
	require.NotNil(t, suite.Cases[5].Skipped)
	assert.Equal(t, "the request budget of 5 requests was reached", suite.Cases[5].Skipped.Message)
}

func TestMarkdownReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteMarkdown(&buf, sample()))
	golden(t, "report.md", buf.Bytes())
	first, _, _ := strings.Cut(buf.String(), "\n")
	assert.Equal(t, "### tallyfy-drift · mode: live", first)
	assert.Contains(t, buf.String(), "| skipped | `org tasks, one-off tasks` | 0 | `the request budget of 5 requests was reached` |")
}

// Every format of a check that could not be completed, or never started,
// is a valid document that carries the error.
func TestReportsCarryTheErrorInEveryFormat(t *testing.T) {
	for name, r := range map[string]*Report{"aborted": aborted(), "not started": notStarted()} {
		t.Run(name, func(t *testing.T) {
			var js bytes.Buffer
			require.NoError(t, WriteJSON(&js, r))
			var doc struct {
				Mode, Error string
				Summary     struct{ Errors, Skipped int }
			}
			require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
			assert.Equal(t, r.Error, doc.Error)
			assert.Equal(t, string(r.Mode), doc.Mode)

			var x bytes.Buffer
			require.NoError(t, WriteJUnit(&x, r))
			var suites junitSuites
			require.NoError(t, xml.Unmarshal(x.Bytes(), &suites))
			assert.Equal(t, 1, suites.Errors)
			var errs []string
			for _, c := range suites.Suites[0].Cases {
				if c.Error != nil {
					errs = append(errs, c.Error.Message)
				}
			}
			require.Len(t, errs, 1)
			assert.Contains(t, r.Error, errs[0])

			for _, f := range []Format{FormatText, FormatMarkdown} {
				var buf bytes.Buffer
				require.NoError(t, Write(&buf, r, f, TextOptions{}))
				assert.Contains(t, buf.String(), r.Error, f)
			}
		})
	}
	var x bytes.Buffer
	require.NoError(t, WriteJUnit(&x, aborted()))
	assert.Contains(t, x.String(), `<skipped message="not run: the check ended at run tasks, every page">`)
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"text", "json", "junit", "markdown"} {
		f, err := ParseFormat(s)
		require.NoError(t, err)
		assert.Equal(t, Format(s), f)
	}
	_, err := ParseFormat("yaml")
	assert.ErrorContains(t, err, "unknown format")
}

// hostile is a report whose every server- or file-given string tries to
// forge report lines, drive a terminal, or issue CI runner commands.
func hostile() *Report {
	evil := "x\n::error::forged\r\n::add-mask::abc\x1b[31m\u202e|`<b>"
	r := &Report{Mode: ModeReplay, Target: "1 recording in " + evil, SpecVersion: "0.1.0"}
	r.Checks = []PlannedCheck{{Name: "rec" + evil}, {Name: "skipped" + evil, Skipped: "why" + evil}}
	add(r, "rec"+evil, "listRunTasks", base+"/tasks", 200,
		drift.Finding{Severity: drift.SeverityDrift, Pointer: "/data/0/a" + evil + strings.Repeat("p", 5000), Rule: "enum" + evil,
			Message: "value" + evil + strings.Repeat("m", 5000)})
	r.Exchanges[0].Name = "rec" + evil
	return r
}

func TestReportsCannotBeForged(t *testing.T) {
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJUnit} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, Write(&buf, hostile(), f, TextOptions{}))
			out := buf.String()
			assert.NotContains(t, out, "\x1b", "no raw escape")
			assert.NotContains(t, out, "\r")
			assert.NotContains(t, out, "\u202e", "no bidi override")
			for _, line := range strings.Split(out, "\n") {
				trimmed := strings.TrimSpace(line)
				assert.False(t, strings.HasPrefix(trimmed, "::"), "a line a CI runner reads as a command: %q", line)
				assert.LessOrEqual(t, len(line), 2500, "values are cut")
			}
			assert.Contains(t, out, "x ::error::forged", "the newline is folded: the command stays inside its line")
			assert.Contains(t, out, "…", "a long value is cut")
		})
	}
	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, hostile()))
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| ") {
			assert.NotContains(t, strings.ReplaceAll(line, `\|`, ""), "||", "no cell is split: %q", line)
		}
	}
	assert.NotContains(t, outsideCodeSpans(md.String()), "<b>", "server text stays inside code spans")
	assert.Contains(t, md.String(), "<b>", "the text is there, as code")

	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, hostile()))
	var doc struct {
		Exchanges []struct {
			Findings []struct{ Pointer, Message string }
		}
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	assert.LessOrEqual(t, len(doc.Exchanges[0].Findings[0].Pointer), maxPointerLen)
	assert.LessOrEqual(t, len(doc.Exchanges[0].Findings[0].Message), maxMessageLen)
}

// The JSON report is data, but it is printed to CI logs too: the runes
// encoding/json leaves raw (DEL, C1 controls such as the 8-bit CSI, bidi
// overrides, line separators, format characters past U+FFFF) are escaped,
// and decode back to the same text.
func TestTheJSONReportHoldsNoRawUnsafeRune(t *testing.T) {
	name := "a\x7fb\u009b31mc\u202ed\u2028e\U000E0001f"
	r := &Report{Mode: ModeReplay, Target: "t", SpecVersion: "0.1.0", Checks: []PlannedCheck{{Name: name, Error: "e"}}}
	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	assert.False(t, strings.ContainsFunc(js.String(), func(r rune) bool { return r != '\n' && textcut.IsUnsafe(r) }), js.String())
	var doc struct{ Checks []struct{ Name string } }
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	require.Len(t, doc.Checks, 1)
	assert.Equal(t, name, doc.Checks[0].Name)
}

func TestCheckMakesAnEntryFromARecording(t *testing.T) {
	v, err := drift.NewValidator()
	require.NoError(t, err)
	rec := &recording.Exchange{
		Request: recording.Request{Method: "GET", URL: base + "/tasks?page=1&access_token=secret"},
		Response: recording.Response{Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
			Body: []byte(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":10,"current_page":1,"total_pages":1,"links":[]}},"debug":1}`)},
	}
	got := Check(context.Background(), v, "org tasks", "r1", rec)
	assert.Equal(t, "org tasks", got.Check)
	assert.Equal(t, "r1", got.Name)
	assert.Equal(t, "listOrgTasks", got.Operation)
	assert.Equal(t, base+"/tasks?page=1", got.URL, "token-free")
	assert.Equal(t, 200, got.Status)
	require.Len(t, got.Findings, 1)
	assert.Equal(t, "/debug", got.Findings[0].Pointer)
	assert.False(t, got.HasDrift(), "an undocumented field is a warning")
}

func TestCheckCapsTheFindingsOfOneExchange(t *testing.T) {
	v, err := drift.NewValidator()
	require.NoError(t, err)
	body := `{"data":[` + strings.TrimSuffix(strings.Repeat("{},", 400), ",") +
		`],"meta":{"pagination":{"total":400,"count":400,"per_page":400,"current_page":1,"total_pages":1,"links":[]}}}`
	rec := &recording.Exchange{
		Request:  recording.Request{Method: "GET", URL: base + "/tasks"},
		Response: recording.Response{Status: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: []byte(body)},
	}
	got := Check(context.Background(), v, "empty tasks", "", rec)
	require.Len(t, got.Findings, drift.MaxFindings+1, "the validator's cap, and its findings-omitted finding")
	assert.Equal(t, drift.RuleFindingsOmitted, got.Findings[drift.MaxFindings].Rule)
	assert.Equal(t, got.Findings[drift.MaxFindings].Omitted, got.MoreFindings)
	assert.Positive(t, got.MoreFindings)

	r := &Report{Mode: ModeReplay, Checks: []PlannedCheck{{Name: "empty tasks"}}, Exchanges: []Exchange{got}}
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, TextOptions{}))
	assert.Contains(t, text.String(), fmt.Sprintf("%d more findings past the cap of %d per exchange", got.MoreFindings, drift.MaxFindings))
	assert.Less(t, text.Len(), 20_000, "grouped: a few lines, not one per finding")
}

// outsideCodeSpans drops every Markdown code span from s: a run of n
// backticks up to the next run of exactly n.
func outsideCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		fence := strings.Repeat("`", n)
		rest := s[i+n:]
		end := -1
		for j := 0; j+n <= len(rest); j++ {
			if rest[j:j+n] == fence && (j+n == len(rest) || rest[j+n] != '`') && (j == 0 || rest[j-1] != '`') {
				end = j
				break
			}
		}
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		i += n + end + n
	}
	return b.String()
}

// A check that ends at its first request leaves every later check "not
// run" for one reason: the text and Markdown reports say so once.
func TestChecksNotRunForOneReasonShareALine(t *testing.T) {
	const reason = "not run: the check ended at run tasks, every page"
	r := &Report{Mode: ModeLive, Error: "run tasks, every page: the API refused the token (401)"}
	r.Checks = []PlannedCheck{{Name: "run tasks, every page", Error: "the API refused the token (401)"}}
	for i := range 45 {
		r.Checks = append(r.Checks, PlannedCheck{Name: fmt.Sprintf("check %d", i+2), Skipped: reason})
	}
	r.Checks = append(r.Checks, PlannedCheck{Name: "after", Skipped: "another reason"})
	add(r, "run tasks, every page", "listRunTasks", base+"/runs/x/tasks", 401)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, TextOptions{}))
	assert.Equal(t, 1, strings.Count(text.String(), reason), text.String())
	assert.Contains(t, text.String(), "skip   45 checks, check 2 to check 46: "+reason+"\n")
	assert.Contains(t, text.String(), "skip   after: another reason\n", "a run of one is a check's own line")

	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, r))
	assert.Equal(t, 1, strings.Count(md.String(), reason), md.String())
	assert.Contains(t, md.String(), "| skipped | 45 checks, `check 2` to `check 46` | 0 | `"+reason+"` |\n")
	assert.Contains(t, md.String(), "| skipped | `after` | 0 | `another reason` |\n")
	assert.Contains(t, md.String(), "All 47 planned checks", "the folded list still names every check")
}
