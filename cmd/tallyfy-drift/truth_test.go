package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/recordings"
)

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Mode    string `json:"mode"`
	Error   string `json:"error"`
	Summary struct {
		Verdict string `json:"verdict"`
		Checks  int    `json:"checks"`
		Skipped int    `json:"skipped"`
		Errors  int    `json:"errors"`
	} `json:"summary"`
	Checks []struct{ Name, Result, Reason string } `json:"checks"`
}

func parseReport(t *testing.T, stdout string) jsonReport {
	t.Helper()
	var doc jsonReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	return doc
}

// verdictOf is the verdict the exit code says.
var verdictOf = map[int][]string{exitConforms: {"conforms"}, exitDrift: {"drift"}, exitCannotCheck: {"error", "incomplete"}}

// assertNotRun checks a report of a check that did not start for a reason
// that says want: an error, and every planned check listed, not run, with
// the reason.
func assertNotRun(t *testing.T, r result, checks int, want string) {
	t.Helper()
	assert.Equal(t, exitCannotCheck, r.code, r.stderr)
	doc := parseReport(t, r.stdout)
	assert.Equal(t, "error", doc.Summary.Verdict, "the report agrees with the exit code")
	assert.Contains(t, doc.Error, want)
	assert.Equal(t, checks, doc.Summary.Checks)
	require.Len(t, doc.Checks, checks, "every planned check is listed")
	var others []string
	for _, c := range doc.Checks {
		if c.Result != "skipped" || !strings.HasPrefix(c.Reason, "not run: ") || !strings.Contains(c.Reason, want) {
			others = append(others, c.Name+": "+c.Result+": "+c.Reason)
		}
	}
	assert.Empty(t, others, "every check is skipped: not run: …%s…", want)
	assert.Contains(t, r.stderr, want)
}

// A regular file, for paths "under" it that cannot exist.
func regularFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(path, []byte("x"), 0o600))
	return path
}

// --summary to a path that cannot be written was exit 2 with a JSON report
// that said "conforms": the summary is opened before the check, and a
// check that cannot write it does not run; every planned check is listed,
// not run, with the reason.
func TestASummaryThatCannotBeOpenedStopsTheCheckBeforeItStarts(t *testing.T) {
	bad := filepath.Join(regularFile(t), "summary.md")
	recs, err := recordings.Load()
	require.NoError(t, err)

	s := startStandIn(t, standin.Config{})
	r := invoke(t, liveEnv(s), "--summary", bad, "--format", "json")
	assertNotRun(t, r, len(livePlanChecks(t)), "--summary "+bad+": not a directory")
	assert.Zero(t, s.Requests(), "no request was made")

	r = invoke(t, nil, "--summary", bad, "--format", "json")
	assertNotRun(t, r, len(recs), "--summary "+bad+": not a directory")

	r = invoke(t, nil, "--summary", t.TempDir(), "--format", "junit")
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stdout, "is a directory")
}

// A summary that fails as it is written (a full disk) is carried into the
// report on stdout: its verdict is "error", as the exit code says.
func TestASummaryThatFailsToWriteIsInTheReport(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	r := invoke(t, nil, "--summary", "/dev/full", "--format", "json")
	assert.Equal(t, exitCannotCheck, r.code)
	doc := parseReport(t, r.stdout)
	assert.Equal(t, "error", doc.Summary.Verdict)
	assert.Contains(t, doc.Error, "writing the summary to /dev/full: no space left on device")
	assert.Contains(t, r.stderr, "writing the summary to /dev/full: no space left on device")
}

// --record into a path under a regular file was exit 2 with no check
// listed: every planned check is listed, not run, with the reason, and no
// request is made.
func TestARecordFolderThatCannotBeMadeListsEveryCheckNotRun(t *testing.T) {
	bad := filepath.Join(regularFile(t), "live")
	s := startStandIn(t, standin.Config{})
	for _, format := range []string{"json", "text"} {
		r := invoke(t, liveEnv(s), "--record", bad, "--format", format)
		if format == "json" {
			assertNotRun(t, r, len(livePlanChecks(t)), "--record "+bad+": not a directory")
			continue
		}
		assert.Equal(t, exitCannotCheck, r.code)
		checks := livePlanChecks(t)
		assert.Contains(t, r.stdout, fmt.Sprintf("skip   %d checks, %s to %s: not run: --record %s: not a directory",
			len(checks), checks[0], checks[len(checks)-1], bad), "every planned check, on one line")
	}
	assert.Zero(t, s.Requests(), "no request was made")
}

// A record folder that exists but cannot be written to is found before
// the first request, not after it.
func TestARecordFolderThatCannotBeWrittenStopsTheCheckBeforeItStarts(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	s := startStandIn(t, standin.Config{})
	r := invoke(t, liveEnv(s), "--record", dir, "--format", "json")
	assertNotRun(t, r, len(livePlanChecks(t)), "--record "+dir+": permission denied")
	assert.Zero(t, s.Requests(), "no request was made")
}

// A folder named like a recording in a replay was skipped without a word:
// it is named, as the error of its planned check, and the run exits 2.
func TestAFolderNamedLikeARecordingIsNamed(t *testing.T) {
	dir := t.TempDir()
	copyRecording(t, dir, "a-conforming.json", "a.json")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "x.json"), 0o700))
	r := invokeBounded(t, nil, "--replay", dir, "--format", "json")
	assert.Equal(t, exitCannotCheck, r.code)
	doc := parseReport(t, r.stdout)
	assert.Equal(t, "error", doc.Summary.Verdict)
	require.Len(t, doc.Checks, 2)
	assert.Equal(t, "passed", doc.Checks[0].Result)
	assert.Equal(t, "error", doc.Checks[1].Result)
	assert.Equal(t, "refusing x.json: it is a directory, not a recording", doc.Checks[1].Reason)
	assert.Contains(t, r.stderr, "refusing x.json: it is a directory")
}

// Whatever happens, the verdict of the JSON report is the one the exit
// code says.
func TestTheVerdictAlwaysMatchesTheExitCode(t *testing.T) {
	bad := filepath.Join(regularFile(t), "x")
	s := startStandIn(t, standin.Config{})
	for _, args := range [][]string{
		{}, {"--summary", bad}, {"--replay", bad}, {"--replay", filepath.Join("testdata", "replay")}, {"--spec", bad},
	} {
		r := invoke(t, nil, append(args, "--format", "json")...)
		assert.Contains(t, verdictOf[r.code], parseReport(t, r.stdout).Summary.Verdict, fmt.Sprint(args))
	}
	for _, args := range [][]string{{}, {"--record", bad}, {"--summary", bad}} {
		r := invoke(t, liveEnv(s), append(args, "--format", "json")...)
		assert.Contains(t, verdictOf[r.code], parseReport(t, r.stdout).Summary.Verdict, fmt.Sprint(args))
	}
}

// A summary that can be written says why the check did not start when the
// --record folder cannot be made; one that cannot be opened is tried once.
func TestTheSummarySaysWhyTheCheckDidNotStart(t *testing.T) {
	bad := filepath.Join(regularFile(t), "live")
	summary := filepath.Join(t.TempDir(), "summary.md")
	s := startStandIn(t, standin.Config{})
	r := invoke(t, liveEnv(s), "--record", bad, "--summary", summary)
	assert.Equal(t, exitCannotCheck, r.code)
	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "**The check could not be completed:** `--record "+bad+": not a directory`")

	r = invoke(t, nil, "--summary", bad)
	assert.NotContains(t, r.stdout+r.stderr, "writing the summary", "no second try")
	assert.Equal(t, 1, strings.Count(r.stderr, "not a directory"), r.stderr)
}

// livePlanChecks is the live check's plan with the embedded spec: the
// plan follows the spec, so its size is taken from there.
func livePlanChecks(t *testing.T) []string {
	t.Helper()
	checks, _ := defaultPlan(t)
	return checks
}
