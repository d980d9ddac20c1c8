package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/cmd/tallyfy-drift/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/recording"
)

// checkLive checks the live API, one request at a time, with progress on
// stderr, saving each exchange with recorder when it is not nil. The
// report lists every planned check; one that makes the check impossible
// ends it, and the report carries the error. sug, when not nil, is given
// every checked exchange.
func checkLive(ctx context.Context, o *options, v *drift.Validator, recorder *recording.Writer, sug *drift.Suggester, stderr io.Writer, clientOpts []tallyfy.Option) *report.Report {
	target := redact.URLWithoutValues(o.baseURL) // a base URL given by hand may hold anything
	cfg := liveConfig(o, v, clientOpts)
	bound := fmt.Sprintf("at most %d planned requests", livecheck.PlannedRequests(cfg))
	if o.allPages {
		bound = "every page, with no bound on planned requests"
	}
	fmt.Fprintf(stderr, "tallyfy-drift: checking the live API at %s (%s, and %d retries)\n",
		textcut.Line(target, 300), bound, livecheck.DefaultMaxRetries)
	cfg.Recorder = recorder
	cfg.Suggester = sug
	cfg.Progress = progress(stderr)
	cfg.OnRetry = retryProgress(stderr)
	res, err := livecheck.Run(ctx, cfg)
	if res == nil {
		return &report.Report{Mode: report.ModeLive, Target: "the API at " + target, SpecVersion: v.SpecVersion(), Error: err.Error()}
	}
	for _, note := range res.Report.Notes {
		fmt.Fprintf(stderr, "tallyfy-drift: %s\n", textcut.Line(note, 600))
	}
	if recorder != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: saved %d redacted recordings in %s\n", res.Recorded, textcut.Line(o.recordDir, 300))
	}
	return res.Report
}

// liveConfig is the live check the options ask for (without its recorder
// and progress).
func liveConfig(o *options, v *drift.Validator, clientOpts []tallyfy.Option) livecheck.Config {
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
	if o.allPages {
		cfg.AllPages, cfg.MaxRequests = true, -1 // a negative MaxRequests is no bound
	}
	return cfg
}

// progress prints one line per exchange of a live check to stderr.
func progress(stderr io.Writer) func(report.Exchange) {
	n := 0
	return func(ex report.Exchange) {
		n++
		fmt.Fprintf(stderr, "  [%2d] %-12s %d %-5s ?%s\n", n, ex.Operation, ex.Status, progressVerdict(ex), textcut.Line(ex.Query(), 300))
	}
}

// retryProgress prints one line per retry of a live check to stderr: what
// failed the attempt and how long the client waits before the next one
// ("  retry  listRunTasks 429, waiting 2s before attempt 2").
func retryProgress(stderr io.Writer) func(livecheck.Retry) {
	return func(r livecheck.Retry) {
		what := cmp.Or(r.Operation, r.Method+" "+r.Path)
		why := strconv.Itoa(r.Status)
		if r.Status == 0 {
			why = "no response (" + cmp.Or(r.Error, "failed") + ")"
		}
		fmt.Fprintf(stderr, "  retry  %s %s, waiting %s before attempt %d\n",
			textcut.Line(what, 120), textcut.Line(why, 300), roundWait(r.Wait), r.Attempt+1)
	}
}

// roundWait is a wait as people read it: to the millisecond (to the
// microsecond below one).
func roundWait(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
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
