package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/internal/standin"
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
	code := runWith(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr, fast)
	r := result{code, stdout.String(), stderr.String()}
	assert.NotContains(t, r.stdout, token, "the token never appears in output")
	assert.NotContains(t, r.stderr, token, "the token never appears in output")
	return r
}

func liveEnv(s *standin.Server) map[string]string {
	return map[string]string{
		"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": runID, "TALLYFY_BASE_URL": s.BaseURL(),
	}
}

func startStandIn(t *testing.T, cfg standin.Config) *standin.Server {
	t.Helper()
	cfg.Token, cfg.OrgID, cfg.RunID = token, org, runID
	if cfg.RunTasks == 0 {
		cfg.RunTasks, cfg.OrgTasks = 12, 15
	}
	s := standin.Start(cfg)
	t.Cleanup(s.Close)
	return s
}

func TestWithoutATokenTheEmbeddedRecordingsAreChecked(t *testing.T) {
	for _, args := range [][]string{nil, {"check"}} {
		r := invoke(t, nil, args...)
		assert.Equal(t, exitConforms, r.code, r.stdout+r.stderr)
		firstErr, _, _ := strings.Cut(r.stderr, "\n")
		assert.Contains(t, firstErr, "TALLYFY_ACCESS_TOKEN is not set: checking the 20 recordings embedded")
		firstOut, _, _ := strings.Cut(r.stdout, "\n")
		assert.Equal(t, "target: 20 recordings embedded in tallyfy-drift (TALLYFY_ACCESS_TOKEN not set)", firstOut)
		assert.Contains(t, r.stdout, "20 exchanges: 20 conform, 0 drift (0 findings), 0 warnings")
	}
}

func TestReplayReportsInEveryFormat(t *testing.T) {
	for _, format := range []string{"text", "json", "junit"} {
		t.Run(format, func(t *testing.T) {
			r := invoke(t, nil, "--replay", "testdata/replay", "--format", format)
			assert.Equal(t, exitDrift, r.code, r.stderr)
			golden(t, "replay."+format, r.stdout)
		})
	}
}

func TestStrictMakesUndocumentedFieldsDrift(t *testing.T) {
	r := invoke(t, nil, "--replay", "testdata/replay", "--format", "json")
	assert.Contains(t, r.stdout, `"severity": "warning"`)
	r = invoke(t, nil, "--replay", "testdata/replay", "--format", "json", "--strict")
	assert.NotContains(t, r.stdout, `"severity": "warning"`)
	var doc struct {
		Summary struct{ Drift, Warnings int } `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Zero(t, doc.Summary.Warnings)
	assert.Equal(t, 3, doc.Summary.Drift)
}

func TestLiveChecks(t *testing.T) {
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
	}{
		{name: "conforming API", wantCode: exitConforms,
			wantStdout: []string{"conform, 0 drift (0 findings)"},
			wantStderr: []string{"checking the live API at http://127.0.0.1:", "[ 1] listRunTasks"}},
		{name: "json on a conforming API", args: []string{"--format", "json"}, wantCode: exitConforms,
			wantStdout: []string{`"target": "http://127.0.0.1:`, `"drift": 0,`, `"operation": "listOrgTasks"`}},
		{name: "drifted field", standin: standin.Config{RunTasks: 12, OrgTasks: 15, Mutate: func(i int, task map[string]any) {
			if i == 0 {
				task["status"] = "paused"
			}
		}}, wantCode: exitDrift, wantStdout: []string{"/data/0/status: enum:"}},
		{name: "junit on a drifted field", standin: standin.Config{RunTasks: 12, OrgTasks: 15, Mutate: func(i int, task map[string]any) {
			if i == 0 {
				task["position"] = "first"
			}
		}}, args: []string{"--format", "junit"}, wantCode: exitDrift, wantStdout: []string{`<failure message="1 drift finding(s)" type="drift">/data/0/position: type:`}},
		{name: "bad token", env: func(e map[string]string) { e["TALLYFY_ACCESS_TOKEN"] = "wrong" }, wantCode: exitCannotCheck,
			wantStderr: []string{"could not check: run tasks, every page: the API refused the token"}},
		{name: "unknown org", args: []string{"--org", strings.Repeat("e", 32)}, wantCode: exitCannotCheck,
			wantStderr: []string{"the organization or run was not found"}},
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
			if tc.wantCode == exitCannotCheck {
				assert.Empty(t, r.stdout, "no report when the check could not run")
				assert.LessOrEqual(t, s.Requests(), 2, "the first exchange that cannot be checked ends the run")
			}
		})
	}
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
		"unknown flag":       {args: []string{"--colour"}, want: "flag provided but not defined: -colour"},
		"unknown format":     {args: []string{"--format", "yaml"}, want: `unknown format "yaml"`},
		"stray argument":     {args: []string{"check", "now"}, want: `unexpected argument "now"`},
		"bad timeout":        {args: []string{"--timeout", "-1s"}, want: "--timeout must be positive"},
		"record and replay":  {args: []string{"--record", "a", "--replay", "b"}, want: "cannot be used together"},
		"record, no token":   {args: []string{"--record", "a"}, want: "--record needs a live check"},
		"live without org":   {env: map[string]string{"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_RUN_ID": runID}, want: "needs --org"},
		"live without run":   {env: map[string]string{"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org}, want: "needs --run"},
		"missing replay dir": {args: []string{"--replay", "testdata/nope"}, want: "could not check"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := invoke(t, tc.env, tc.args...)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "a one-line reason: %q", r.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestHelp(t *testing.T) {
	r := invoke(t, nil, "--help")
	assert.Equal(t, exitConforms, r.code)
	assert.Contains(t, r.stdout, "--replay DIR")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/tallyfy-drift -update to create it")
	assert.Equal(t, string(want), got, "%s is stale; if the change is intended, rewrite it with: %s", path, "go test ./cmd/tallyfy-drift -update")
}
