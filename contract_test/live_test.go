package contracttest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/gobuild"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// The live suite's environment.
const (
	envToken   = "TALLYFY_ACCESS_TOKEN"
	envOrg     = "TALLYFY_ORG_ID"
	envRun     = "TALLYFY_RUN_ID"
	envBaseURL = "TALLYFY_BASE_URL" // optional, default tallyfy.DefaultBaseURL
	envRecord  = "TALLYFY_RECORD"   // optional: a folder to save the exchanges in, redacted
)

// tallyfy-drift's exit codes (see its package doc).
const (
	exitConforms    = 0
	exitDrift       = 1
	exitCannotCheck = 2
)

// driftBinary is tallyfy-drift, built once per test binary with go build
// from the module root, as the README's CI recipe builds it. The live
// suite runs it, so that it checks the API exactly as the command does.
// TestMain removes it.
var driftBinary = gobuild.New("..", "./cmd/tallyfy-drift", "tallyfy-drift")

func TestMain(m *testing.M) {
	code := m.Run()
	driftBinary.Remove()
	os.Exit(code)
}

// liveArgs reads the live suite's environment and returns tallyfy-drift's
// command line for it: every page of both endpoints, unbounded (a plain
// tallyfy-drift run keeps to the page caps of its plan), a JSON report, and the
// recordings when TALLYFY_RECORD names a folder. ok is false when a
// required variable is unset. The command itself reads the token, the
// organization, the run and the base URL from the environment.
func liveArgs() (args []string, ok bool) {
	for _, name := range []string{envToken, envOrg, envRun} {
		if os.Getenv(name) == "" {
			return nil, false
		}
	}
	args = []string{"check", "--all-pages", "--format", "json"}
	if dir := os.Getenv(envRecord); dir != "" {
		args = append(args, "--record", dir)
	}
	return args, true
}

// liveReport is what the live suite reads of tallyfy-drift's JSON report
// (see report.WriteJSON).
type liveReport struct {
	Error  string `json:"error"`
	Checks []struct {
		Name   string `json:"name"`
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"checks"`
	Exchanges []struct {
		Operation string `json:"operation"`
		URL       string `json:"url"`
		Status    int    `json:"status"`
		Findings  []struct {
			Severity string `json:"severity"`
			Pointer  string `json:"pointer"`
			Rule     string `json:"rule"`
			Message  string `json:"message"`
		} `json:"findings"`
	} `json:"exchanges"`
}

// liveRun is one finished run of tallyfy-drift.
type liveRun struct {
	code   int
	report liveReport
	stderr string // the progress, one line per exchange, and any error
}

// runLive runs tallyfy-drift with args against the API the environment
// names and reads its report.
func runLive(t *testing.T, args []string) liveRun {
	t.Helper()
	bin, err := driftBinary.Path()
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	run := liveRun{stderr: stderr.String()}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		run.code = exitErr.ExitCode()
	} else {
		require.NoError(t, err, "running tallyfy-drift: %s", run.stderr)
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &run.report),
		"tallyfy-drift (exit %d) wrote no JSON report: %s", run.code, run.stderr)
	return run
}

// findingLines returns the report's drift findings, one line each
// ("operation status ?query: pointer: rule: message"), and its warnings.
func (r liveReport) findingLines() (drifts, warnings []string) {
	for _, ex := range r.Exchanges {
		query := ""
		if u, err := url.Parse(ex.URL); err == nil {
			query = u.RawQuery
		}
		for _, f := range ex.Findings {
			line := fmt.Sprintf("%s %d ?%s: %s: %s: %s", ex.Operation, ex.Status, query, f.Pointer, f.Rule, f.Message)
			if f.Severity == string(drift.SeverityDrift) {
				drifts = append(drifts, line)
			} else {
				warnings = append(warnings, line)
			}
		}
	}
	return drifts, warnings
}

// incomplete says why a check could not be completed: the error that
// ended it, and every planned check that did not run whole.
func (r liveReport) incomplete() string {
	reasons := []string{}
	if r.Error != "" {
		reasons = append(reasons, r.Error)
	}
	for _, c := range r.Checks {
		if c.Result == "skipped" || c.Result == "error" {
			reasons = append(reasons, c.Name+": "+c.Result+": "+c.Reason)
		}
	}
	return strings.Join(reasons, "\n")
}

// TestLiveAPIConformsToTheSpec runs tallyfy-drift --all-pages against the
// API named by the environment: it walks every page and every include of
// both endpoints through the tallyfy client. The test fails listing each
// finding by pointer, rule and message.
func TestLiveAPIConformsToTheSpec(t *testing.T) {
	args, ok := liveArgs()
	if !ok {
		t.Skipf("live suite skipped: set %s, %s and %s to check the live API (optionally %s and %s)",
			envToken, envOrg, envRun, envBaseURL, envRecord)
	}
	run := runLive(t, args)
	t.Logf("tallyfy-drift %s:\n%s", strings.Join(args, " "), run.stderr)
	if run.code == exitCannotCheck {
		t.Fatalf("the live check could not run:\n%s", run.report.incomplete())
	}
	drifts, warnings := run.report.findingLines()
	for _, w := range warnings {
		t.Logf("warning: %s", w)
	}
	if len(drifts) > 0 {
		t.Errorf("the live API drifted from openapi.yaml (%d findings):\n%s", len(drifts), strings.Join(drifts, "\n"))
		assert.Equal(t, exitDrift, run.code, "tallyfy-drift's exit code on drift")
	} else {
		assert.Equal(t, exitConforms, run.code, "tallyfy-drift's exit code without drift")
	}
}

// startStandIn starts a stand-in API on loopback and points the live
// suite's environment at it.
func startStandIn(t *testing.T, cfg standin.Config) *standin.Server {
	t.Helper()
	cfg.Token, cfg.OrgID, cfg.RunID = "standin-token-SECRET", "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c", "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
	s := standin.Start(cfg)
	t.Cleanup(s.Close)
	t.Setenv(envToken, cfg.Token)
	t.Setenv(envOrg, cfg.OrgID)
	t.Setenv(envRun, cfg.RunID)
	t.Setenv(envBaseURL, s.BaseURL())
	t.Setenv(envRecord, "") // never record a stand-in into a caller's folder of captures
	return s
}

// The live suite, pointed at a stand-in that answers correctly, passes.
func TestLiveSuitePassesAgainstAConformingStandIn(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 123, OrgTasks: 131})
	dir := t.TempDir()
	t.Setenv(envRecord, dir)
	t.Run("Live", TestLiveAPIConformsToTheSpec)
	// 13 + 2 pages of run tasks, 14 of org tasks, and the single pages.
	assert.Greater(t, s.Requests(), 70, "the suite walked every page, include and filter")
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, files, s.Requests(), "TALLYFY_RECORD saved every exchange")
}

// The live suite, pointed at a stand-in that drifts, names the pointer of
// the drifted field.
func TestLiveSuiteNamesTheDriftedPointer(t *testing.T) {
	startStandIn(t, standin.Config{RunTasks: 12, OrgTasks: 12, Mutate: func(i int, task map[string]any) {
		if i == 11 {
			task["deadline"] = "next Tuesday"
		}
	}})
	args, ok := liveArgs()
	require.True(t, ok)
	run := runLive(t, args)
	require.Equal(t, exitDrift, run.code, "%s\n%s", run.report.incomplete(), run.stderr)
	drifts, _ := run.report.findingLines()
	require.NotEmpty(t, drifts)
	for _, d := range drifts {
		assert.Contains(t, d, "/deadline: format:", "only the drifted field is reported")
	}
	joined := strings.Join(drifts, "\n")
	// Task 12 is the 2nd task of page 2 at 10 a page, the 12th of one page.
	assert.Contains(t, joined, "listRunTasks 200 ?page=2: /data/1/deadline: format:")
	assert.Contains(t, joined, "listOrgTasks 200 ?page=2: /data/1/deadline: format:")
	assert.Contains(t, joined, "listRunTasks 200 ?without_pagination=true: /data/11/deadline: format:")
}
