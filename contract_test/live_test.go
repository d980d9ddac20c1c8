package contracttest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/internal/standin"
	"github.com/tallyfy-go/tallyfy/recording"
)

// The live suite's environment.
const (
	envToken   = "TALLYFY_ACCESS_TOKEN"
	envOrg     = "TALLYFY_ORG_ID"
	envRun     = "TALLYFY_RUN_ID"
	envBaseURL = "TALLYFY_BASE_URL" // optional, default tallyfy.DefaultBaseURL
	envRecord  = "TALLYFY_RECORD"   // optional: a folder to save the exchanges in, redacted
)

var sharedValidator = sync.OnceValues(func() (*drift.Validator, error) { return drift.NewValidator() })

// liveValidator is the validator of the live suite, built once per test
// binary. Undocumented fields are warnings here, as in tallyfy-drift.
func liveValidator(t *testing.T) *drift.Validator {
	t.Helper()
	v, err := sharedValidator()
	require.NoError(t, err)
	return v
}

// liveConfig reads the live suite's environment; ok is false when a
// required variable is unset.
func liveConfig(v *drift.Validator) (cfg livecheck.Config, ok bool, err error) {
	cfg = livecheck.Config{
		Token:     os.Getenv(envToken),
		OrgID:     os.Getenv(envOrg),
		RunID:     os.Getenv(envRun),
		BaseURL:   os.Getenv(envBaseURL),
		Validator: v,
		// The live suite walks every page of both endpoints, unbounded;
		// tallyfy-drift keeps to about 60 requests.
		AllPages:    true,
		MaxRequests: -1,
	}
	if cfg.Token == "" || cfg.OrgID == "" || cfg.RunID == "" {
		return cfg, false, nil
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = tallyfy.DefaultBaseURL
	}
	if dir := os.Getenv(envRecord); dir != "" {
		cfg.Recorder, err = recording.NewWriter(dir, cfg.Token)
	}
	return cfg, true, err
}

// liveDrift runs the live check and returns its drift findings, one line
// each ("operation query: pointer: rule: message"), and its warnings.
func liveDrift(ctx context.Context, cfg livecheck.Config) (drifts, warnings []string, err error) {
	res, err := livecheck.Run(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	for _, ex := range res.Report.Exchanges {
		for _, f := range ex.Findings {
			line := fmt.Sprintf("%s %d ?%s: %s: %s: %s", ex.Operation, ex.Status, ex.Query(), f.Pointer, f.Rule, f.Message)
			if f.Severity == drift.SeverityDrift {
				drifts = append(drifts, line)
			} else {
				warnings = append(warnings, line)
			}
		}
	}
	return drifts, warnings, nil
}

// TestLiveAPIConformsToTheSpec walks every page and every include of both
// endpoints of the API named by the environment, through the tallyfy
// client, and fails listing each finding by pointer, rule and message.
func TestLiveAPIConformsToTheSpec(t *testing.T) {
	v := liveValidator(t)
	cfg, ok, err := liveConfig(v)
	if !ok {
		t.Skipf("live suite skipped: set %s, %s and %s to check the live API (optionally %s and %s)",
			envToken, envOrg, envRun, envBaseURL, envRecord)
	}
	require.NoError(t, err)
	drifts, warnings, err := liveDrift(context.Background(), cfg)
	var abort *livecheck.AbortError
	if errors.As(err, &abort) {
		t.Fatalf("the live check could not run: %s", abort.Reason)
	}
	require.NoError(t, err)
	for _, w := range warnings {
		t.Logf("warning: %s", w)
	}
	if len(drifts) > 0 {
		t.Errorf("the live API drifted from openapi.yaml (%d findings):\n%s", len(drifts), strings.Join(drifts, "\n"))
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
	cfg, ok, err := liveConfig(liveValidator(t))
	require.True(t, ok)
	require.NoError(t, err)
	drifts, _, err := liveDrift(context.Background(), cfg)
	require.NoError(t, err)
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
