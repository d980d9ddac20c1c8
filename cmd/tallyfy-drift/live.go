package main

import (
	"context"
	"fmt"
	"io"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/recording"
)

// checkLive checks the live API, one request at a time, with progress on
// stderr. It fails at the first exchange that makes the check impossible.
func checkLive(ctx context.Context, o *options, v *drift.Validator, stderr io.Writer, clientOpts []tallyfy.Option) (*report.Report, error) {
	target := drift.SafeURL(o.baseURL)
	fmt.Fprintf(stderr, "tallyfy-drift: checking the live API at %s (at most %d requests)\n", target, livecheck.DefaultMaxRequests)
	cfg := livecheck.Config{
		BaseURL:       o.baseURL,
		Token:         o.token,
		OrgID:         o.orgID,
		RunID:         o.runID,
		Timeout:       o.timeout,
		Validator:     v,
		ClientOptions: clientOpts,
	}
	if o.recordDir != "" {
		w, err := recording.NewWriter(o.recordDir, o.token)
		if err != nil {
			return nil, err
		}
		cfg.Recorder = w
	}
	n := 0
	cfg.Progress = func(ex report.Exchange) {
		n++
		verdict := "pass"
		switch {
		case ex.HasDrift():
			verdict = "DRIFT"
		case len(ex.Findings) > 0:
			verdict = "warn"
		}
		fmt.Fprintf(stderr, "  [%2d] %-12s %d %-5s ?%s\n", n, ex.Operation, ex.Status, verdict, ex.Query())
	}
	res, err := livecheck.Run(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if res.Skipped > 0 {
		fmt.Fprintf(stderr, "tallyfy-drift: request budget reached: %d planned checks left out\n", res.Skipped)
	}
	if o.recordDir != "" {
		fmt.Fprintf(stderr, "tallyfy-drift: saved %d redacted recordings in %s\n", len(res.Report.Exchanges), o.recordDir)
	}
	return res.Report, nil
}
