package livecheck

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/recording"
)

const (
	token = "live-token-0123456789-SECRET"
	org   = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	run   = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
)

var validator = sync.OnceValues(func() (*drift.Validator, error) { return drift.NewValidator() })

func newConfig(t *testing.T, s *standin.Server) Config {
	t.Helper()
	v, err := validator()
	require.NoError(t, err)
	return Config{
		BaseURL: s.BaseURL(), Token: token, OrgID: org, RunID: run, Validator: v,
		RateLimit:     -1, // the stand-ins do not limit
		ClientOptions: []tallyfy.Option{tallyfy.WithRetryPolicy(tallyfy.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})},
	}
}

func startStandIn(t *testing.T, cfg standin.Config) *standin.Server {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = token
	}
	if cfg.OrgID == "" {
		cfg.OrgID, cfg.RunID = org, run
	}
	cfg.TaskFields = specfixture.TaskFields() // the stand-in conforms to the spec, whatever it holds
	s := standin.Start(cfg)
	t.Cleanup(s.Close)
	return s
}

func findingLines(r *report.Report) []string {
	var out []string
	for _, ex := range r.Exchanges {
		for _, f := range ex.Findings {
			out = append(out, ex.Operation+" "+ex.Query()+" "+f.Pointer+": "+f.Rule+": "+f.Message)
		}
	}
	return out
}

func TestAConformingAPIPasses(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 25, OrgTasks: 40})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err)
	assert.Empty(t, findingLines(res.Report))
	assert.Zero(t, res.Report.Summary().Skipped)
	assert.True(t, res.Report.Complete())
	assert.Equal(t, report.ModeLive, res.Report.Mode)

	n := len(res.Report.Exchanges)
	assert.Equal(t, s.Requests(), n, "every request was checked")
	assert.LessOrEqual(t, n, PlannedRequests(newConfig(t, s)))
	queries := queriesOf(res.Report)
	for _, want := range []string{"page=3", "per_page=100", "with=step,threads,comments", "without_pagination=true", "is_oneoff=true"} {
		assert.Contains(t, queries["listRunTasks"]+queries["listOrgTasks"], want)
	}
	assert.NotContains(t, queries["listRunTasks"], "page=4", "a run of 25 tasks has 3 pages")
	v, err := validator()
	require.NoError(t, err)
	assertEveryValueAskedFor(t, v, queries)
}

// queriesOf returns the queries of a report's exchanges, one a line, by
// operation.
func queriesOf(r *report.Report) map[string]string {
	out := map[string]string{}
	for _, ex := range r.Exchanges {
		out[ex.Operation] += ex.Query() + "\n"
	}
	return out
}

// assertEveryValueAskedFor holds the queries of a check to the spec v
// holds: every value of every query parameter of both operations (each
// include, each filter value, each sort order) was asked for on its own.
func assertEveryValueAskedFor(t *testing.T, v *drift.Validator, queries map[string]string) {
	t.Helper()
	asked := 0
	for _, op := range []string{"listRunTasks", "listOrgTasks"} {
		for _, p := range v.QueryParameters(op) {
			for _, value := range p.Enum {
				want := url.Values{p.Name: {value}}.Encode()
				assert.Regexp(t, `(^|\n|&)`+regexp.QuoteMeta(want)+`($|\n|&)`, queries[op], "%s: %s", op, want)
				asked++
			}
		}
	}
	assert.Greater(t, asked, 30, "the spec lists the values of status, with, sort and archived")
}

// A value added to the spec is asked for on the next run: the plan is
// built from the spec the validator holds, and the value is sent through
// the typed client though the generated code does not name it.
func TestAValueAddedToTheSpecIsPlanned(t *testing.T) {
	doc, err := os.ReadFile("../../../../openapi.yaml")
	require.NoError(t, err)
	const enum = "enum: [complete, active,"
	require.Equal(t, 1, strings.Count(string(doc), enum), "the status enum of listRunTasks")
	const added = "x_added_by_a_test" // a value no spec will have
	edited := strings.Replace(string(doc), enum, "enum: ["+added+", complete, active,", 1)
	v, err := drift.NewValidator(drift.WithSpec([]byte(edited)))
	require.NoError(t, err)

	s := startStandIn(t, standin.Config{RunTasks: 5, OrgTasks: 5})
	cfg := newConfig(t, s)
	cfg.Validator = v
	assert.Contains(t, PlannedChecks(cfg), "run tasks, status="+added)
	assert.Equal(t, PlannedRequests(newConfig(t, s))+1, PlannedRequests(cfg), "the bound follows the plan")

	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	assert.True(t, res.Report.Complete())
	queries := queriesOf(res.Report)
	assert.Contains(t, queries["listRunTasks"], "status="+added+"\n")
	assertEveryValueAskedFor(t, v, queries)
}

// A parameter the generated client has no field for (a spec given with
// --spec that gen was not regenerated from) is planned and skipped, saying
// why: the check does not pass on less than the spec asks for.
func TestAParameterTheClientCannotSendIsSkipped(t *testing.T) {
	_, err := withParam[struct{ Other *string }]("status", []string{"x"})
	assert.ErrorContains(t, err, `has no field for query parameter "status" of the spec (run make generate)`)
	_, err = withParam[struct {
		Status *int `form:"status,omitempty"`
	}]("status", []string{"x"})
	assert.ErrorContains(t, err, `cannot carry the values of query parameter "status"`)

	steps := valueSteps([]drift.QueryParameter{{Name: "colour", Type: "string", Enum: []string{"red"}}}, "run tasks, ",
		func(string, struct{}) step { panic("not planned as a page") })
	require.Len(t, steps, 1)
	assert.Equal(t, "run tasks, colour=red", steps[0].label)
	assert.Contains(t, steps[0].skip, `not run: struct {} has no field for query parameter "colour" of the spec (run make generate)`)
	assert.Zero(t, plannedRequests(steps))
}

func TestADriftedFieldIsReportedAtItsPointer(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Mutate: func(i int, task map[string]any) {
		if i == 1 {
			task["status"] = "paused"
			task["brand_new"] = true
		}
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err)
	lines := findingLines(res.Report)
	assert.Contains(t, strings.Join(lines, "\n"), "/data/1/status: enum:")
	assert.Contains(t, strings.Join(lines, "\n"), "/data/1/brand_new: undocumented-field:")
	assert.True(t, res.Report.HasDrift())
}

func TestChecksThatCannotRunEndAtOnce(t *testing.T) {
	cases := []struct {
		name       string
		standin    standin.Config
		mutate     func(*Config)
		wantReason string
		maxReqs    int
	}{
		{name: "bad token", mutate: func(c *Config) { c.Token = "wrong" }, maxReqs: 1,
			wantReason: "the API refused the token (401): check the TALLYFY_ACCESS_TOKEN secret; a personal access token stops working when its user logs out of Tallyfy"},
		{name: "unknown run", mutate: func(c *Config) { c.RunID = strings.Repeat("f", 32) }, maxReqs: 1,
			wantReason: "not found (404): check the TALLYFY_ORG_ID (--org) and TALLYFY_RUN_ID (--run) variables"},
		{name: "unknown org, no run", mutate: func(c *Config) { c.OrgID, c.RunID = strings.Repeat("f", 32), "" }, maxReqs: 1,
			wantReason: "the organization was not found (404): check the TALLYFY_ORG_ID (--org) variable"},
		{name: "no access", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":true,"message":"You don't have application's permissions for this organization!"}`))
			return true
		}}, wantReason: "(403): check that TALLYFY_ORG_ID (--org) is an organization the token's user belongs to", maxReqs: 1},
		{name: "server down", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}}, wantReason: "kept failing", maxReqs: 2},
		{name: "rate limited", standin: standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`))
			return true
		}}, wantReason: "rate limited", maxReqs: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startStandIn(t, tc.standin)
			cfg := newConfig(t, s)
			if tc.mutate != nil {
				tc.mutate(&cfg)
			}
			res, err := Run(context.Background(), cfg)
			var abort *AbortError
			require.ErrorAs(t, err, &abort, "%v", err)
			assert.Contains(t, abort.Reason, tc.wantReason)
			assert.NotContains(t, abort.Reason, token)
			assert.Equal(t, tc.maxReqs, s.Requests(), "the first exchange that cannot be checked ends the run")
			require.NotNil(t, res)

			// The report says so: the step that failed, and every step after it skipped.
			r := res.Report
			assert.Equal(t, abort.Reason, r.Error)
			require.NotEmpty(t, r.Checks)
			assert.Equal(t, report.Errored, r.Outcome(r.Checks[0]))
			for _, c := range r.Checks[1:] {
				assert.Equal(t, report.Skipped, r.Outcome(c), c.Name)
				assert.Equal(t, "not run: the check ended at "+r.Checks[0].Name, c.Skipped)
			}
		})
	}
}

func TestAnUnreachableAPIEndsTheCheck(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	v, err := validator()
	require.NoError(t, err)
	_, err = Run(context.Background(), Config{BaseURL: "http://" + addr + "/api", Token: token, OrgID: org, Validator: v,
		ClientOptions: []tallyfy.Option{tallyfy.WithRetryPolicy(tallyfy.NoRetries())}})
	var abort *AbortError
	require.ErrorAs(t, err, &abort)
	assert.Contains(t, abort.Reason, "could not reach the API")
}

func TestABodyTheClientCannotDecodeIsDriftNotACrash(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 2 {
			return false
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>maintenance</html>"))
		return true
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err, "the check goes on")
	lines := findingLines(res.Report)
	require.Len(t, lines, 1)
	assert.Contains(t, lines[0], "content-type")
	assert.Equal(t, s.Requests(), len(res.Report.Exchanges))
}

func TestA429IsWaitedOutAndChecked(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 0 {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`))
		return true
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err)
	assert.Empty(t, findingLines(res.Report))
	assert.Equal(t, 429, res.Report.Exchanges[0].Status)
	assert.Equal(t, 200, res.Report.Exchanges[1].Status)
}

func TestTheRequestBudgetIsKeptAndWhatItLeftOutIsSkipped(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3})
	cfg := newConfig(t, s)
	cfg.MaxRequests = 5
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, 5, s.Requests())
	r := res.Report
	assert.False(t, r.Complete())
	sum := r.Summary()
	assert.Len(t, PlannedChecks(newConfig(t, s)), sum.Checks, "every planned check is in the report")
	assert.Equal(t, 5, sum.Passed, "the two walks of 1 page, and three single pages")
	assert.Equal(t, sum.Checks-5, sum.Skipped)
	assert.Equal(t, "the request budget of 5 planned requests was reached", r.Checks[5].Skipped)
	assert.Equal(t, "not run: the request budget of 5 planned requests was reached", r.Checks[len(r.Checks)-1].Skipped)
}

// A flaky API is retried, and the retries do not eat the planned checks:
// every check of the plan runs, the organization's included.
func TestRetriesDoNotEatPlannedChecks(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 25, OrgTasks: 40, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n%4 != 0 {
			return false
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err)
	r := res.Report
	assert.True(t, r.Complete(), "%s", res)
	sum := r.Summary()
	assert.Len(t, PlannedChecks(newConfig(t, s)), sum.Passed)
	assert.Greater(t, s.Requests(), PlannedRequests(newConfig(t, s)), "retries came on top of the planned requests")
	ops := map[string]int{}
	for _, ex := range r.Exchanges {
		ops[ex.Operation]++
	}
	assert.Greater(t, ops["listOrgTasks"], 20)
}

// Once the retry allowance is spent, the step in progress and the ones
// after it are skipped, saying why: the check is not complete.
func TestASpentRetryAllowanceSkipsTheRest(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n%2 != 0 {
			return false
		}
		w.WriteHeader(http.StatusBadGateway)
		return true
	}})
	cfg := newConfig(t, s)
	cfg.MaxRetries = 3
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err, "a spent allowance skips, it does not abort")
	r := res.Report
	assert.Equal(t, 7, s.Requests(), "4 planned requests and 3 retries")
	sum := r.Summary()
	assert.Equal(t, 3, sum.Passed)
	assert.Equal(t, sum.Checks-3, sum.Skipped)
	assert.Equal(t, "the retry allowance of 3 retries was spent (the API kept failing)", r.Checks[3].Skipped)
	assert.False(t, r.Complete())
}

func TestExchangesAreRecordedRedacted(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 12, OrgTasks: 3, Mutate: func(i int, task map[string]any) {
		task["owners"].(map[string]any)["guests"] = []any{"real.person@acme.io"}
	}})
	dir := t.TempDir()
	w, err := recording.NewWriter(dir, token)
	require.NoError(t, err)
	cfg := newConfig(t, s)
	cfg.Recorder = w
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Len(t, files, len(res.Report.Exchanges))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), token)
		assert.NotContains(t, string(data), "acme.io")
		assert.NotContains(t, string(data), `"Authorization":`)
		assert.NotContains(t, string(data), "Bearer")
	}
	recs, err := recording.LoadDir(os.DirFS(dir), ".")
	require.NoError(t, err)
	assert.Equal(t, recording.KindCapture, recs[0].Provenance.Kind)

	// The recordings replay clean: the redaction kept them valid.
	v, err := validator()
	require.NoError(t, err)
	for _, rec := range recs {
		assert.Empty(t, v.Check(context.Background(), drift.FromRecording(rec)), rec.Name)
	}
}

func TestAGatewayErrorThatRecoversIsNotDrift(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 0 {
			return false
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	require.NoError(t, err)
	assert.Empty(t, findingLines(res.Report), "the 503 was retried, not checked")
	assert.Equal(t, s.Requests()-1, len(res.Report.Exchanges))
}

func TestAConnectionDroppedMidBodyEndsTheCheck(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "5000")
		_, _ = w.Write([]byte(`{"data":[{"id":`))
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
		return true
	}})
	res, err := Run(context.Background(), newConfig(t, s))
	var abort *AbortError
	require.ErrorAs(t, err, &abort, "%v", err)
	assert.Contains(t, abort.Reason, "could not reach the API")
	assert.Empty(t, res.Report.Exchanges, "a cut body is not checked as invalid JSON")
}

// A cancelled context (a signal to the command) ends the check at once:
// the step in progress is the error, the rest are skipped.
func TestACancelledContextEndsTheCheck(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 3 {
			cancel()
			<-r.Context().Done() // the client gives up on this request
			return true
		}
		return false
	}})
	res, err := Run(ctx, newConfig(t, s))
	var abort *AbortError
	require.ErrorAs(t, err, &abort)
	assert.Contains(t, abort.Reason, "run tasks, with=threads: interrupted: context canceled")
	r := res.Report
	assert.Equal(t, 3, r.Summary().Passed)
	assert.Equal(t, report.Errored, r.Outcome(r.Checks[3]))
	assert.Equal(t, r.Summary().Checks-4, r.Summary().Skipped)
	assert.Equal(t, 4, s.Requests(), "no request after the cancel")
}

// A configuration the client refuses ends the check before any request;
// every planned check is reported as not run.
func TestABadBaseURLRunsNothing(t *testing.T) {
	v, err := validator()
	require.NoError(t, err)
	res, err := Run(context.Background(), Config{BaseURL: "ftp://example.com/api", Token: token, OrgID: org, RunID: run, Validator: v})
	var abort *AbortError
	require.ErrorAs(t, err, &abort)
	r := res.Report
	assert.Equal(t, abort.Reason, r.Error)
	sum := r.Summary()
	assert.Positive(t, sum.Checks)
	assert.Equal(t, sum.Checks, sum.Skipped, "nothing passed")
	assert.False(t, r.Complete())
}
