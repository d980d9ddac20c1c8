package report

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/recording"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const base = "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"

// sample is a fixed report with every kind of result: a pass, a drift with
// two findings, a warning only, and an exchange with no route.
func sample() *Report {
	r := &Report{Target: "embedded recordings", SpecVersion: "0.1.0"}
	add(r, "01-run-tasks-page-1", "listRunTasks", "GET", base+"/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks?page=1", 200, nil)
	add(r, "", "listRunTasks", "GET", base+"/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks?with=step,form_fields&page=1", 200, []drift.Finding{
		{Severity: drift.SeverityDrift, Pointer: "/data/0/status", Rule: "enum", Message: `value "paused" is not one of the allowed values`},
		{Severity: drift.SeverityDrift, Pointer: "/meta/pagination/total", Rule: "type", Message: "want integer, got string"},
		{Severity: drift.SeverityWarning, Pointer: "/data/0/brand_new", Rule: drift.RuleUndocumentedField, Message: `field "brand_new" is not in the spec`},
	})
	add(r, "", "listOrgTasks", "GET", base+"/tasks?page=1", 200, []drift.Finding{
		{Severity: drift.SeverityWarning, Pointer: "/data/1/robot", Rule: drift.RuleUndocumentedField, Message: `field "robot" is not in the spec`},
	})
	add(r, "", "", "GET", base+"/projects", 404, []drift.Finding{
		{Severity: drift.SeverityDrift, Rule: drift.RuleRoute, Message: "no operation of the spec matches GET /organizations/…/projects"},
	})
	return r
}

// add appends one checked exchange to r.
func add(r *Report, name, operation, method, rawURL string, status int, findings []drift.Finding) {
	r.Exchanges = append(r.Exchanges, Exchange{
		Name: name, Operation: operation, Method: method, URL: rawURL, Status: status, Findings: findings,
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./drift/report -update to create it")
	assert.Equal(t, string(want), string(got), "%s is stale; if the change is intended, rewrite it with: %s", path, "go test ./drift/report -update")
}

func TestSummary(t *testing.T) {
	s := sample().Summary()
	assert.Equal(t, Summary{Exchanges: 4, DriftExchanges: 2, Drift: 3, Warnings: 2}, s)
	assert.True(t, sample().HasDrift())
	assert.False(t, (&Report{}).HasDrift())
}

func TestTextReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, sample(), TextOptions{}))
	golden(t, "report.txt", buf.Bytes())
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
		Target      string `json:"target"`
		SpecVersion string `json:"spec_version"`
		Summary     struct {
			Exchanges, Drift, Warnings int
		} `json:"summary"`
		Exchanges []struct {
			Operation, Method, URL string
			Status                 int
			Findings               []struct{ Severity, Pointer, Rule, Message string }
		} `json:"exchanges"`
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	require.NoError(t, dec.Decode(&doc))
	assert.Equal(t, "embedded recordings", doc.Target)
	assert.Equal(t, 4, doc.Summary.Exchanges)
	assert.Equal(t, 3, doc.Summary.Drift)
	assert.Equal(t, 2, doc.Summary.Warnings)
	require.Len(t, doc.Exchanges, 4)
	assert.Equal(t, "/data/0/status", doc.Exchanges[1].Findings[0].Pointer)
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
	assert.Equal(t, 4, suite.Tests)
	assert.Equal(t, 2, suite.Failures)
	require.Len(t, suite.Cases, 4)
	assert.Nil(t, suite.Cases[0].Failure)
	require.NotNil(t, suite.Cases[1].Failure)
	assert.Contains(t, suite.Cases[1].Failure.Text, "/data/0/status: enum:")
	assert.Nil(t, suite.Cases[2].Failure, "warnings do not fail")
	assert.Contains(t, suite.Cases[2].SystemOut, "warning /data/1/robot")
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"text", "json", "junit"} {
		f, err := ParseFormat(s)
		require.NoError(t, err)
		assert.Equal(t, Format(s), f)
	}
	_, err := ParseFormat("yaml")
	assert.ErrorContains(t, err, "unknown format")
}

func TestTextReportEscapesControlCharacters(t *testing.T) {
	r := &Report{Target: "t", SpecVersion: "v"}
	add(r, "", "listRunTasks", "GET", base+"/tasks", 200, []drift.Finding{
		{Severity: drift.SeverityWarning, Pointer: "/data/0/a\nb\x1b[31m", Rule: drift.RuleUndocumentedField, Message: "field \"a\nb\" is not in the spec"},
	})
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, r, TextOptions{}))
	assert.NotContains(t, buf.String(), "\x1b")
	assert.Contains(t, buf.String(), `/data/0/a\u000ab\u001b[31m`)
	assert.Equal(t, 7, bytes.Count(buf.Bytes(), []byte("\n")), "header (3), exchange, finding, summary (2): the finding stays on one line")
}

func TestCheckMakesAnEntryFromARecording(t *testing.T) {
	v, err := drift.NewValidator()
	require.NoError(t, err)
	rec := &recording.Exchange{
		Request: recording.Request{Method: "GET", URL: base + "/tasks?page=1&access_token=secret"},
		Response: recording.Response{Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
			Body: []byte(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":10,"current_page":1,"total_pages":1,"links":[]}},"debug":1}`)},
	}
	got := Check(context.Background(), v, "r1", rec)
	assert.Equal(t, "r1", got.Name)
	assert.Equal(t, "listOrgTasks", got.Operation)
	assert.Equal(t, base+"/tasks?page=1", got.URL, "token-free")
	assert.Equal(t, 200, got.Status)
	require.Len(t, got.Findings, 1)
	assert.Equal(t, "/debug", got.Findings[0].Pointer)
	assert.False(t, got.HasDrift(), "an undocumented field is a warning")
}
