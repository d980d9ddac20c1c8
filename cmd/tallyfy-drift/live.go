package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/cmd/tallyfy-drift/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/recording"
)

// checkLive checks the live API, one request at a time, with progress on
// stderr. The report lists every planned check; one that makes the check
// impossible ends it, and the report carries the error.
func checkLive(ctx context.Context, o *options, v *drift.Validator, stderr io.Writer, clientOpts []tallyfy.Option) *report.Report {
	target := redact.URLWithoutValues(o.baseURL) // a base URL given by hand may hold anything
	cfg := livecheck.Config{
		BaseURL:       o.baseURL,
		Token:         o.token,
		OrgID:         o.orgID,
		RunID:         o.runID,
		Timeout:       o.timeout,
		MaxBody:       o.maxBody,
		MaxBodyName:   "--max-body",
		Validator:     v,
		RateLimit:     o.rate.limit(),
		RatePer:       o.rate.per,
		ClientOptions: clientOpts,
	}
	bound := fmt.Sprintf("at most %d planned requests", livecheck.PlannedRequests(cfg))
	if o.allPages {
		cfg.AllPages, cfg.MaxRequests = true, -1 // a negative MaxRequests is no bound
		bound = "every page, with no bound on planned requests"
	}
	fmt.Fprintf(stderr, "tallyfy-drift: checking the live API at %s (%s, and %d retries)\n",
		textcut.Line(target, 300), bound, livecheck.DefaultMaxRetries)
	failed := func(err error) *report.Report {
		return &report.Report{Mode: report.ModeLive, Target: "the API at " + target, SpecVersion: v.SpecVersion(), Error: err.Error()}
	}
	if o.recordDir != "" {
		w, err := recording.NewWriter(o.recordDir, o.token)
		if err != nil {
			return failed(err)
		}
		cfg.Recorder = w
	}
	n := 0
	cfg.Progress = func(ex report.Exchange) {
		n++
		fmt.Fprintf(stderr, "  [%2d] %-12s %d %-5s ?%s\n", n, ex.Operation, ex.Status, progressVerdict(ex), textcut.Line(ex.Query(), 300))
	}
	res, err := livecheck.Run(ctx, cfg)
	if res == nil {
		return failed(err)
	}
	if o.recordDir != "" {
		fmt.Fprintf(stderr, "tallyfy-drift: saved %d redacted recordings in %s\n", len(res.Report.Exchanges), textcut.Line(o.recordDir, 300))
	}
	return res.Report
}

// progressVerdict says what one exchange showed: pass only for a 2xx that
// conforms; an error status is never a pass, even when its body conforms.
func progressVerdict(ex report.Exchange) string {
	switch {
	case ex.HasDrift():
		return "DRIFT"
	case ex.Status == http.StatusTooManyRequests:
		return "wait"
	case ex.Status >= 400:
		return "error"
	case len(ex.Findings) > 0:
		return "warn"
	}
	return "pass"
}
