package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/cmd/tallyfy-drift/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	goldenfile "github.com/tallyfy-go/tallyfy/internal/testsupport/golden"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/recordings"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	token = "cli-token-abcdef0123456789-SECRET"
	org   = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	runID = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
)

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// invoke runs the command with args and an environment (nothing else of
// the process environment is seen), with retries shortened.
func invoke(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	fast := []tallyfy.Option{tallyfy.WithRetryPolicy(tallyfy.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})}
	if !slices.Contains(args, "--rate") {
		fast = append(fast, tallyfy.WithRateLimit(0, 0)) // the stand-ins do not limit; --rate tests set their own
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := runWith(context.Background(), args, lookup, &stdout, &stderr, fast)
	r := result{code, stdout.String(), stderr.String()}
	assert.NotContains(t, r.stdout, token, "the token never appears in output")
	assert.NotContains(t, r.stderr, token, "the token never appears in output")
	return r
}

// defaultPlan is what a live check of liveEnv plans with the embedded
// spec: its checks, in order, and the most planned requests it makes. The
// plan follows the spec, so the tests take its size from there.
func defaultPlan(t *testing.T) (checks []string, requests int) {
	t.Helper()
	v, err := drift.NewValidator()
	require.NoError(t, err)
	cfg := livecheck.Config{Validator: v, OrgID: org, RunID: runID}
	return livecheck.PlannedChecks(cfg), livecheck.PlannedRequests(cfg)
}

func liveEnv(s *standin.Server) map[string]string {
	return map[string]string{
		"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": runID, "TALLYFY_BASE_URL": s.BaseURL(),
	}
}

func startStandIn(t *testing.T, cfg standin.Config) *standin.Server {
	t.Helper()
	cfg.Token, cfg.OrgID, cfg.RunID = token, org, runID
	cfg.TaskFields = specfixture.TaskFields() // the stand-in conforms to the spec, whatever it holds
	if cfg.RunTasks == 0 {
		cfg.RunTasks, cfg.OrgTasks = 12, 15
	}
	s := standin.Start(cfg)
	t.Cleanup(s.Close)
	return s
}

// startDriftingStandIn starts a stand-in whose fourth run task has a
// status the spec does not list: one enum drift at /data/*/status.
func startDriftingStandIn(t *testing.T) *standin.Server {
	t.Helper()
	return startStandIn(t, standin.Config{Mutate: func(i int, task map[string]any) {
		if i == 3 {
			task["status"] = "paused"
		}
	}})
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestWithNothingLiveAskedForTheEmbeddedRecordingsAreChecked(t *testing.T) {
	recs, err := recordings.Load()
	require.NoError(t, err)
	n := len(recs)
	// Whether the recordings conform is the contract tests' to say
	// (TestRecordingsConformToTheSpec); the command must report what the
	// validator finds in them.
	v, err := drift.NewValidator()
	require.NoError(t, err)
	var drifted, driftFindings, warnings int
	for _, rec := range recs {
		findings := v.Check(t.Context(), drift.FromRecording(rec))
		if drift.HasDrift(findings) {
			drifted++
		}
		for _, f := range findings {
			if f.Severity == drift.SeverityDrift {
				driftFindings++
			} else {
				warnings++
			}
		}
	}
	wantCode := exitConforms
	if drifted > 0 {
		wantCode = exitDrift
	}
	for _, args := range [][]string{nil, {"check"}} {
		r := invoke(t, nil, args...)
		assert.Equal(t, wantCode, r.code, r.stdout+r.stderr)
		assert.Contains(t, firstLine(r.stderr), fmt.Sprintf("no live check asked for (TALLYFY_ACCESS_TOKEN, TALLYFY_ORG_ID and TALLYFY_RUN_ID are unset): checking the %d recordings embedded", n))
		assert.Equal(t, fmt.Sprintf("mode: embedded (%d recordings embedded in tallyfy-drift; no live check was asked for)", n), firstLine(r.stdout))
		assert.Contains(t, r.stdout, fmt.Sprintf("%d planned checks: %d passed, %d drifted, 0 skipped, 0 errors; %d exchanges, %d drift findings, %d warnings",
			n, n-drifted, drifted, n, driftFindings, warnings))
	}
}

// A live check asked for without a usable token is exit 2, never a silent
// check of the embedded recordings.
func TestNoSilentFallbackToOffline(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "token set but empty", env: map[string]string{"TALLYFY_ACCESS_TOKEN": ""},
			want: "TALLYFY_ACCESS_TOKEN is set but empty, which is what GitHub Actions passes for a secret that does not exist"},
		{name: "token set but empty, with --org", env: map[string]string{"TALLYFY_ACCESS_TOKEN": ""}, args: []string{"--org", org},
			want: "TALLYFY_ACCESS_TOKEN is set but empty"},
		{name: "token of spaces", env: map[string]string{"TALLYFY_ACCESS_TOKEN": " \n"}, want: "TALLYFY_ACCESS_TOKEN is set but empty"},
		{name: "--org without a token", args: []string{"--org", org},
			want: "a live check was asked for (--org) but TALLYFY_ACCESS_TOKEN is not set"},
		{name: "--run without a token", args: []string{"--run", runID},
			want: "a live check was asked for (--run) but TALLYFY_ACCESS_TOKEN is not set"},
		{name: "the variables without a token", env: map[string]string{"TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": ""},
			want: "a live check was asked for (TALLYFY_ORG_ID, TALLYFY_RUN_ID) but TALLYFY_ACCESS_TOKEN is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				r := invoke(t, tc.env, append(tc.args, "--format", format)...)
				assert.Equal(t, exitCannotCheck, r.code)
				assert.Contains(t, r.stderr, tc.want)
				assert.NotContains(t, r.stdout, "mode: embedded", "the recordings were not checked")
				assert.NotContains(t, r.stdout, `"mode": "embedded"`, "the recordings were not checked")
				if format == "json" {
					var doc struct{ Mode, Error string }
					require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc), "a document even on exit 2")
					assert.Equal(t, "none", doc.Mode)
					assert.Contains(t, doc.Error, tc.want)
				}
			}
		})
	}
}

func TestReplayReportsInEveryFormat(t *testing.T) {
	for _, format := range []string{"text", "json", "junit", "markdown"} {
		t.Run(format, func(t *testing.T) {
			r := invoke(t, nil, "--replay", "testdata/replay", "--format", format)
			assert.Equal(t, exitDrift, r.code, r.stderr)
			golden(t, "replay."+format, r.stdout)
		})
	}
	r := invoke(t, map[string]string{"TALLYFY_ACCESS_TOKEN": token}, "--replay", "testdata/replay")
	assert.Equal(t, "mode: replay (3 recordings in testdata/replay)", firstLine(r.stdout), "--replay wins over a token")
}

func TestStrictMakesUndocumentedFieldsDrift(t *testing.T) {
	type summary struct {
		Summary struct{ Drift, Warnings int } `json:"summary"`
	}
	var plain, strict summary
	r := invoke(t, nil, "--replay", "testdata/replay", "--format", "json")
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &plain))
	assert.Positive(t, plain.Summary.Warnings, "b-drifted.json has a field the spec lacks")
	r = invoke(t, nil, "--replay", "testdata/replay", "--format", "json", "--strict")
	assert.NotContains(t, r.stdout, `"severity": "warning"`)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &strict))
	assert.Zero(t, strict.Summary.Warnings)
	assert.Equal(t, plain.Summary.Drift+plain.Summary.Warnings, strict.Summary.Drift, "every warning became drift")
}

func TestLiveChecks(t *testing.T) {
	checks, _ := defaultPlan(t)
	cases := []struct {
		name       string
		standin    standin.Config
		env        func(map[string]string)
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
		// wantStderrRE matches Go's wording, which varies with where the time ran out.
		wantStderrRE string
		notStderr    string
	}{
		{name: "conforming API", wantCode: exitConforms,
			wantStdout: []string{"mode: live (the API at http://127.0.0.1:", fmt.Sprintf("%[1]d planned checks: %[1]d passed, 0 drifted, 0 skipped, 0 errors", len(checks))},
			wantStderr: []string{"checking the live API at http://127.0.0.1:", "[ 1] listRunTasks 200 pass"}},
		{name: "json on a conforming API", args: []string{"--format", "json"}, wantCode: exitConforms,
			wantStdout: []string{`"mode": "live"`, `"target": "the API at http://127.0.0.1:`, `"drift": 0,`, `"skipped": 0,`, `"operation": "listOrgTasks"`}},
		{name: "drifted field", standin: standin.Config{RunTasks: 12, OrgTasks: 15, Mutate: func(i int, task map[string]any) {
			if i == 0 {
				task["status"] = "paused"
			}
		}}, wantCode: exitDrift, wantStdout: []string{"DRIFT  listRunTasks  enum  /data/*/status  "}},
		{name: "junit on a drifted field", standin: standin.Config{RunTasks: 12, OrgTasks: 15, Mutate: func(i int, task map[string]any) {
			if i == 0 {
				task["position"] = "first"
			}
		}}, args: []string{"--format", "junit"}, wantCode: exitDrift, wantStdout: []string{`type="drift">listRunTasks type /data/*/position: `}},
		{name: "bad token", env: func(e map[string]string) { e["TALLYFY_ACCESS_TOKEN"] = "wrong" }, wantCode: exitCannotCheck,
			wantStdout: []string{"ERROR  run tasks, every page: the API refused the token (401)"},
			wantStderr: []string{"could not check: run tasks, every page: the API refused the token (401): check the TALLYFY_ACCESS_TOKEN secret; a personal access token stops working when its user logs out of Tallyfy",
				"[ 1] listRunTasks 401 error"},
			notStderr: " pass "},
		{name: "a server that echoes the token", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"token ` + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + ` expired"}`))
			return true
		}}, args: []string{"--format", "json"}, wantCode: exitCannotCheck,
			wantStdout: []string{`"error": "run tasks, every page: the API refused the token (401)`}},
		{name: "unknown org", args: []string{"--org", strings.Repeat("e", 32)}, wantCode: exitCannotCheck,
			wantStderr: []string{"the organization or run was not found (404): check the TALLYFY_ORG_ID (--org) and TALLYFY_RUN_ID (--run) variables"}},
		{name: "server errors", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusBadGateway)
			return true
		}}, wantCode: exitCannotCheck, wantStderr: []string{"the API kept failing: tallyfy: GET", "502 Bad Gateway"}},
		{name: "a server too slow for the timeout", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			<-r.Context().Done()
			return true
		}}, args: []string{"--timeout", "50ms"}, wantCode: exitCannotCheck, wantStderr: []string{"could not reach the API"}, wantStderrRE: `(?i)timeout|deadline exceeded`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startStandIn(t, tc.standin)
			env := liveEnv(s)
			if tc.env != nil {
				tc.env(env)
			}
			r := invoke(t, env, tc.args...)
			assert.Equal(t, tc.wantCode, r.code, "stderr: %s", r.stderr)
			for _, w := range tc.wantStdout {
				assert.Contains(t, r.stdout, w)
			}
			for _, w := range tc.wantStderr {
				assert.Contains(t, r.stderr, w)
			}
			if tc.wantStderrRE != "" {
				assert.Regexp(t, tc.wantStderrRE, r.stderr)
			}
			if tc.notStderr != "" {
				assert.NotContains(t, r.stderr, tc.notStderr)
			}
			if tc.wantCode == exitCannotCheck {
				assert.LessOrEqual(t, s.Requests(), 2, "the first exchange that cannot be checked ends the run")
				assert.Contains(t, r.stdout, "not run: the check ended at run tasks, every page", "the report lists what was not checked")
			}
		})
	}
}

// Against a flaky API, retries have their own allowance; once it is spent,
// the planned checks left are skipped, every format says so, and the run
// does not pass.
func TestSkippedChecksAreReportedAndDoNotPass(t *testing.T) {
	s := startStandIn(t, standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n%2 != 0 {
			return false
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}})
	r := invoke(t, liveEnv(s), "--format", "json")
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stderr, "planned checks were skipped: the check is not complete")
	var doc struct {
		Summary struct{ Checks, Passed, Skipped int }
		Checks  []struct{ Name, Result, Reason string }
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	checks, _ := defaultPlan(t)
	assert.Equal(t, len(checks), doc.Summary.Checks)
	assert.Positive(t, doc.Summary.Skipped)
	assert.Equal(t, doc.Summary.Checks, doc.Summary.Passed+doc.Summary.Skipped)
	require.Len(t, doc.Checks, len(checks), "every planned check is listed")
	last := doc.Checks[len(doc.Checks)-1]
	assert.Equal(t, "skipped", last.Result)
	assert.Equal(t, "not run: the retry allowance of 30 retries was spent (the API kept failing)", last.Reason)

	junit := invoke(t, liveEnv(s), "--format", "junit")
	assert.Equal(t, exitCannotCheck, junit.code)
	assert.Contains(t, junit.stdout, `<skipped message="not run: the retry allowance of 30 retries was spent (the API kept failing)"></skipped>`)
	text := invoke(t, liveEnv(s))
	assert.Regexp(t, `\nskip   \d+ checks, org tasks, .* to org tasks, one-off tasks: not run: the retry allowance of 30 retries was spent`, text.stdout,
		"the checks not run for one reason share a line")
}

func TestAnUnreachableAPIIsExit2(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	r := invoke(t, map[string]string{"TALLYFY_ACCESS_TOKEN": token}, "--base-url", "http://"+addr+"/api", "--org", org, "--run", runID)
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stderr, "could not reach the API")
}

func TestRecordSavesRedactedExchanges(t *testing.T) {
	s := startStandIn(t, standin.Config{})
	dir := filepath.Join(t.TempDir(), "live")
	r := invoke(t, liveEnv(s), "--record", dir)
	require.Equal(t, exitConforms, r.code, r.stderr)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Equal(t, s.Requests(), len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), token)
	}
	// What was recorded replays clean.
	r = invoke(t, nil, "--replay", dir)
	assert.Equal(t, exitConforms, r.code, r.stdout)
}

func TestUsageErrors(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"unknown flag":        {args: []string{"--colour"}, want: "flag provided but not defined: -colour"},
		"unknown format":      {args: []string{"--format", "yaml"}, want: `unknown format "yaml"`},
		"stray argument":      {args: []string{"check", "now"}, want: `unexpected argument "now"`},
		"timeout, no unit":    {args: []string{"--timeout", "5"}, want: `invalid value "5" for flag --timeout: write a duration with its unit, like 30s or 2m (got "5")`},
		"negative timeout":    {args: []string{"--timeout", "-1s"}, want: "must be positive"},
		"record and replay":   {args: []string{"--record", "a", "--replay", "b"}, want: "cannot be used with --org, --run or --record"},
		"replay and --org":    {args: []string{"--org", org, "--replay", "b"}, want: "cannot be used with --org, --run or --record"},
		"record, no token":    {args: []string{"--record", "a"}, want: "--record needs a live check"},
		"all pages, replay":   {args: []string{"--all-pages", "--replay", "b"}, want: "--all-pages walks the pages of the live API: it cannot be used with --replay"},
		"all pages, no token": {args: []string{"--all-pages"}, want: "--all-pages needs a live check: set TALLYFY_ACCESS_TOKEN"},
		"live without org":    {env: map[string]string{"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_RUN_ID": runID}, want: "needs --org"},
		"live without run":    {env: map[string]string{"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org}, want: "needs --run"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := invoke(t, tc.env, tc.args...)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "a one-line reason: %q", r.stderr)
			assert.Empty(t, r.stdout, "text: stderr says it all")
		})
	}
}

func TestAMissingReplayFolderIsNamed(t *testing.T) {
	r := invoke(t, nil, "--replay", "nosuchdir", "--format", "junit")
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stderr, "could not check: --replay nosuchdir: no such directory")
	assertJUnitError(t, r.stdout, "--replay nosuchdir: no such directory")
}

func TestHelp(t *testing.T) {
	r := invoke(t, nil, "--help")
	assert.Equal(t, exitConforms, r.code)
	assert.Contains(t, r.stdout, "--replay DIR")
	assert.Contains(t, r.stdout, "markdown")
	assert.Contains(t, r.stdout, "2 the check could not be completed")

	// docs_test.go holds docs/drift-check.md's usage block to --help.
}

func TestProgressVerdicts(t *testing.T) {
	driftAt := drift.Finding{Severity: drift.SeverityDrift, Rule: "enum", Pointer: "/data/0/status"}
	warnAt := drift.Finding{Severity: drift.SeverityWarning, Rule: drift.RuleUndocumentedField, Pointer: "/data/0/brand_new"}
	cases := []struct {
		status   int
		findings []drift.Finding
		want     string
	}{
		{status: 200, want: "pass"},
		{status: 200, findings: []drift.Finding{warnAt}, want: "warn"},
		{status: 200, findings: []drift.Finding{warnAt, driftAt}, want: "DRIFT"},
		{status: 401, want: "error"},
		{status: 404, want: "error"},
		{status: 422, want: "error"},
		{status: 429, want: "wait"},
		{status: 401, findings: []drift.Finding{driftAt}, want: "DRIFT"},
	}
	for _, tc := range cases {
		ex := report.Exchange{Status: tc.status, Findings: tc.findings}
		assert.Equal(t, tc.want, progressVerdict(ex), "status %d, %d findings", tc.status, len(tc.findings))
	}
}

// assertJUnitError checks that doc is valid JUnit XML with one <error>
// whose message holds want.
func assertJUnitError(t *testing.T, doc, want string) {
	t.Helper()
	var suites struct {
		Errors int `xml:"errors,attr"`
		Suites []struct {
			Cases []struct {
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal([]byte(doc), &suites), "valid XML: %q", doc)
	assert.Equal(t, 1, suites.Errors)
	var msgs []string
	for _, s := range suites.Suites {
		for _, c := range s.Cases {
			if c.Error != nil {
				msgs = append(msgs, c.Error.Message)
			}
		}
	}
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], want)
}

// assertValidJUnit checks that doc is JUnit XML with no <error>.
func assertValidJUnit(t *testing.T, doc string) {
	t.Helper()
	var suites struct {
		Tests  int `xml:"tests,attr"`
		Errors int `xml:"errors,attr"`
	}
	require.NoError(t, xml.Unmarshal([]byte(doc), &suites), "valid XML: %q", doc)
	assert.Positive(t, suites.Tests)
	assert.Zero(t, suites.Errors)
}

// golden compares got with testdata/golden/name (see package golden).
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", "golden", name), []byte(got), *update, "go test ./cmd/tallyfy-drift -update")
}
