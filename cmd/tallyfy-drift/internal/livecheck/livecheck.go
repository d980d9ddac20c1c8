// Package livecheck runs the live drift check: a bounded, planned series of
// requests to Tallyfy's API through the tallyfy client (retries and rate
// limits included), each exchange held against the spec by the shared
// drift.Validator. The tallyfy-drift command runs it; the contract tests'
// live suite runs that command (with --all-pages).
package livecheck

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/retrystatus"
	"github.com/tallyfy-go/tallyfy/recording"
)

// DefaultMaxRetries bounds the retries of one check (of a 429, a 502, 503
// or 504, or a failed connection). Retries have their own allowance: they
// never use up the planned requests, so a flaky API cannot shrink what is
// checked.
const DefaultMaxRetries = 30

// Config says what to check and how.
type Config struct {
	BaseURL string // the API's base URL, e.g. tallyfy.DefaultBaseURL
	Token   string // the access token; it appears in no output
	OrgID   string // required
	RunID   string // optional: without it, only organization tasks are checked

	Timeout time.Duration // per request; 0 means tallyfy.DefaultTimeout
	// MaxRequests bounds the planned requests (retries not included); 0
	// means the plan's own size (PlannedRequests), so that a default check
	// runs whole; negative means no bound. Checks it leaves out are
	// reported as skipped, with the reason.
	MaxRequests int
	// MaxRetries bounds the retries; 0 means DefaultMaxRetries, negative no
	// bound. Once it is spent, the checks left are reported as skipped.
	MaxRetries int
	// AllPages walks every page of the page walks; without it, they stop at
	// a few pages (10 for a run's default page size, 5 at per_page=100, 2
	// for the organization), so that a check stays bounded.
	AllPages bool
	// Validator checks every exchange; build it once per process.
	Validator *drift.Validator
	// Suggester, if set, is given every checked exchange (scrubbed of the
	// token) with its findings, to propose the change of the spec they
	// call for.
	Suggester *drift.Suggester
	// Recorder, if set, saves every exchange, redacted, as a recording.
	// When its MaxFile is 0, Run sets it to recording.MaxFileSize(MaxBody):
	// what a replay with the same body limit reads. An exchange whose
	// recording would be larger is checked but not saved, and the report
	// says so in a note; the check goes on. Any other error of Recorder
	// ends the check.
	Recorder *recording.Writer
	// Progress, if set, is told about each exchange as soon as it is checked.
	Progress func(ex report.Exchange)
	// OnRetry, if set, is told about each retry of the client (a 429, a
	// 502, 503 or 504, or a failed connection, tried again) before the
	// client waits for it. It takes the client's logger
	// (tallyfy.WithLogger), whatever ClientOptions say.
	OnRetry func(r Retry)
	// RateLimit and RatePer are the check's rate budget: at most
	// RateLimit requests in any window of RatePer, with the client's
	// pacing (tallyfy.WithRateLimit). A RateLimit of 0 means Tallyfy's
	// documented limit (tallyfy.DefaultRateLimit per DefaultRatePer);
	// negative turns pacing off. A check that shares a token with a
	// production program should take a part of the limit, not all of it.
	RateLimit int
	RatePer   time.Duration
	// ClientOptions are added to the client's options (tests shorten retries).
	ClientOptions []tallyfy.Option
	// Transport, if set, makes the HTTP requests (default http.DefaultTransport).
	Transport http.RoundTripper
	// MaxBody is the most bytes of one response body the check holds and
	// validates; 0 means recording.DefaultMaxBody. A larger body ends the
	// check with a *tallyfy.LimitError that names MaxBodyName.
	MaxBody int64
	// MaxBodyName is how errors name MaxBody (the command: "--max-body");
	// "" means "livecheck.Config.MaxBody".
	MaxBodyName string
}

// PlannedRequests returns the most planned requests a check of cfg makes:
// one per page it asks for, with the page caps of its walks (-1 with
// AllPages: the walks have no cap). The plan is built from the spec
// cfg.Validator holds, so the number follows the spec: it is the default
// of MaxRequests. It returns 0 without a Validator.
func PlannedRequests(cfg Config) int {
	if cfg.Validator == nil {
		return 0
	}
	return plannedRequests(plan(cfg.Validator, cfg.OrgID, cfg.RunID, cfg.AllPages))
}

// PlannedChecks returns the names of the planned checks of a check of cfg,
// in order, as its report lists them; nil without a Validator.
func PlannedChecks(cfg Config) []string {
	if cfg.Validator == nil {
		return nil
	}
	var names []string
	for _, s := range plan(cfg.Validator, cfg.OrgID, cfg.RunID, cfg.AllPages) {
		names = append(names, s.label)
	}
	return names
}

// AbortError is a check that could not be completed: the API refused the
// token (401/403), did not know the organization or run (404), kept failing
// (5xx or 429 after the retries), or could not be reached.
type AbortError struct {
	Reason string // one line, without the token; it says what to do
	Err    error  // the client's error, for errors.As
}

// Error implements error; it is the reason.
func (e *AbortError) Error() string { return e.Reason }

// Unwrap returns the underlying error.
func (e *AbortError) Unwrap() error { return e.Err }

// Result is what a check found.
type Result struct {
	// Report lists every planned check (passed, drifted, skipped with its
	// reason, or the error that ended the run) and every exchange.
	Report *report.Report
	// Recorded counts the exchanges Config.Recorder saved.
	Recorded int
}

// Run checks the live API. Every step of the plan appears in the report's
// checks. At the first exchange that makes the check impossible it returns
// an *AbortError together with the result so far: the failed step carries
// the error and the steps after it are skipped.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Validator == nil {
		return nil, errors.New("livecheck: no validator")
	}
	if cfg.OrgID == "" {
		return nil, &AbortError{Reason: "no organization ID to check (set TALLYFY_ORG_ID or --org)"}
	}
	steps := plan(cfg.Validator, cfg.OrgID, cfg.RunID, cfg.AllPages)
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = plannedRequests(steps)
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = tallyfy.DefaultTimeout
	}
	if cfg.Recorder != nil && cfg.Recorder.MaxFile == 0 {
		cfg.Recorder.MaxFile = recording.MaxFileSize(cmp.Or(cfg.MaxBody, recording.DefaultMaxBody))
	}
	r := planned(cfg, steps)
	x := &execution{cfg: cfg, res: &Result{Report: r}}
	x.meter = &meter{next: cfg.Transport, maxPlanned: cfg.MaxRequests, maxRetries: cfg.MaxRetries}
	hc := &http.Client{Transport: &recording.Transport{
		Next: x.meter, OnExchange: x.onExchange, MaxBody: cfg.MaxBody,
		TooLarge: func(max int64) error {
			return &tallyfy.LimitError{Limit: cmp.Or(cfg.MaxBodyName, "livecheck.Config.MaxBody"), Max: max}
		},
	}}
	if cfg.RateLimit == 0 {
		cfg.RateLimit, cfg.RatePer = tallyfy.DefaultRateLimit, tallyfy.DefaultRatePer
	}
	opts := append([]tallyfy.Option{
		tallyfy.WithBaseURL(cfg.BaseURL), tallyfy.WithHTTPClient(hc), tallyfy.WithTimeout(cfg.Timeout),
		tallyfy.WithRateLimit(cfg.RateLimit, cfg.RatePer),
	}, cfg.ClientOptions...)
	if cfg.OnRetry != nil {
		opts = append(opts, tallyfy.WithLogger(slog.New(retryHandler{x})))
	}
	client, err := tallyfy.NewClient(cfg.Token, opts...)
	if err != nil {
		notRun(r, err.Error())
		return x.res, &AbortError{Reason: err.Error(), Err: err}
	}
	x.client = client
	defer func() { r.Pace = paceOf(client.Pace()) }()

	var abort *AbortError
	notRun := ""
	for i, s := range steps {
		check := &r.Checks[i]
		if notRun != "" {
			check.Skipped = notRun
			continue
		}
		if s.skip != "" {
			check.Skipped = s.skip
			continue
		}
		stepErr, stopped := x.runStep(ctx, s)
		switch {
		case stopped != nil:
			// The budget or the retry allowance ran out during this step.
			check.Skipped = stopped.Error()
			notRun = "not run: " + stopped.Error()
			continue
		case stepErr != nil:
			if reason, ends := classify(ctx, s, stepErr); ends {
				check.Error = reason
				r.Error = s.label + ": " + reason
				abort = &AbortError{Reason: r.Error, Err: stepErr}
				notRun = "not run: the check ended at " + s.label
				continue
			}
		}
		if err := x.recordErr(); err != nil {
			check.Error = "saving a recording: " + err.Error()
			r.Error = check.Error
			abort = &AbortError{Reason: r.Error, Err: err}
			notRun = "not run: the check ended at " + s.label
		}
	}
	if abort != nil {
		return x.res, abort
	}
	return x.res, nil
}

// NotRun is the report of a check of cfg that could not start (an output
// that cannot be written, say): every planned check is listed, skipped as
// "not run: " + reason, and reason is the report's error.
func NotRun(cfg Config, reason string) *report.Report {
	var steps []step
	if cfg.Validator != nil {
		steps = plan(cfg.Validator, cfg.OrgID, cfg.RunID, cfg.AllPages)
	}
	r := planned(cfg, steps)
	notRun(r, reason)
	return r
}

// planned is the report of steps before they run: every step a planned
// check.
func planned(cfg Config, steps []step) *report.Report {
	r := &report.Report{Mode: report.ModeLive, Target: "the API at " + redact.URLWithoutValues(cfg.BaseURL)}
	if cfg.Validator != nil {
		r.SpecVersion = cfg.Validator.SpecVersion()
	}
	for _, s := range steps {
		r.Checks = append(r.Checks, report.PlannedCheck{Name: s.label})
	}
	return r
}

// notRun marks every check of r not run, for reason, the report's error.
func notRun(r *report.Report, reason string) {
	r.Error = reason
	for i := range r.Checks {
		r.Checks[i].Skipped = "not run: " + reason
	}
}

// paceOf is the report's account of the client's rate budget.
func paceOf(p tallyfy.Pace) *report.Pace {
	budget := "off"
	if p.Limit > 0 {
		budget = fmt.Sprintf("%d requests per %s", p.Limit, p.Per)
	}
	return &report.Pace{Budget: budget, Waited: p.Waited}
}

// runStep runs one step under its own context, which the meter cancels
// when the step may make no more requests. stopped is then the reason.
func (x *execution) runStep(ctx context.Context, s step) (err, stopped error) {
	stepCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	x.mu.Lock()
	x.ctx, x.current = stepCtx, s.label
	x.mu.Unlock()
	x.meter.startStep(cancel)
	err = s.run(x)
	var refused *budgetError
	if errors.As(context.Cause(stepCtx), &refused) && ctx.Err() == nil {
		return err, refused
	}
	return err, nil
}

// classify tells an error that ends the check from one whose exchange was
// checked (and reported) like any other. The reason says what to do.
func classify(ctx context.Context, s step, err error) (reason string, abort bool) {
	var decodeErr *tallyfy.DecodeError
	var pagErr *tallyfy.PaginationError
	var rateErr *tallyfy.RateLimitError
	var apiErr *tallyfy.APIError
	var limitErr *tallyfy.LimitError
	switch {
	case errors.As(err, &limitErr) && !errors.As(err, &apiErr):
		return limitErr.Error() + " (a response larger than the check holds)", true
	case errors.As(err, &decodeErr), errors.As(err, &pagErr):
		return "", false // the body was checked from its raw bytes
	case ctx.Err() != nil:
		return "interrupted: " + context.Cause(ctx).Error(), true
	case errors.As(err, &rateErr):
		return "still rate limited after the retries: " + rateErr.Error(), true
	case errors.As(err, &apiErr):
		switch code := apiErr.StatusCode; {
		case code == http.StatusUnauthorized:
			return "the API refused the token (401): check the TALLYFY_ACCESS_TOKEN secret; a personal access token " +
				"stops working when its user logs out of Tallyfy (" + apiErr.Error() + ")", true
		case code == http.StatusForbidden:
			return "the API refused the token access to the organization (403): check that TALLYFY_ORG_ID (--org) is an " +
				"organization the token's user belongs to (" + apiErr.Error() + ")", true
		case code == http.StatusNotFound && s.needsRun:
			return "the organization or run was not found (404): check the TALLYFY_ORG_ID (--org) and TALLYFY_RUN_ID (--run) " +
				"variables (" + apiErr.Error() + ")", true
		case code == http.StatusNotFound:
			return "the organization was not found (404): check the TALLYFY_ORG_ID (--org) variable (" + apiErr.Error() + ")", true
		case code >= 500:
			return "the API kept failing: " + apiErr.Error(), true
		}
		return "", false // 422 and other 4xx: checked against the spec
	default:
		return "could not reach the API: " + err.Error(), true
	}
}

// execution is the state of one Run.
type execution struct {
	cfg    Config
	client *tallyfy.Client
	res    *Result
	meter  *meter

	mu      sync.Mutex
	ctx     context.Context // the current step's
	current string          // the current step's label
	recErr  error
}

func (x *execution) onExchange(ex *recording.Exchange) {
	if retrystatus.Transient(ex.Response.Status) {
		// A gateway error is the infrastructure's, not the API's: the client
		// retries it, and one that outlives the retries ends the check.
		return
	}
	x.mu.Lock()
	ctx, check := x.ctx, x.current
	x.mu.Unlock()
	// The exchange is scrubbed before it is checked: a finding quotes a cut
	// value of the body, and a cut start of a long token would escape a
	// scrub of the finding. The entry is scrubbed too, for its URL.
	secrets := redact.New(x.cfg.Token)
	scrubbed := ex.Scrubbed(secrets)
	entry := report.Check(ctx, x.cfg.Validator, check, "", scrubbed).Scrubbed(secrets)
	if x.cfg.Suggester != nil {
		x.cfg.Suggester.Add(check, drift.FromRecording(scrubbed), entry.Findings)
	}
	x.mu.Lock()
	x.res.Report.Exchanges = append(x.res.Report.Exchanges, entry)
	if x.cfg.Recorder != nil && x.recErr == nil {
		_, err := x.cfg.Recorder.Write(ex, x.cfg.BaseURL)
		var tooLarge *recording.TooLargeError
		switch {
		case errors.As(err, &tooLarge):
			x.res.Report.Notes = append(x.res.Report.Notes, check+": "+x.tooLargeNote(tooLarge))
		case err != nil:
			x.recErr = err
		default:
			x.res.Recorded++
		}
	}
	x.mu.Unlock()
	if x.cfg.Progress != nil {
		x.cfg.Progress(entry)
	}
}

// tooLargeNote says that a recording was not saved, and, when its limit is
// the one Run derived from MaxBody, which setting raises it.
func (x *execution) tooLargeNote(err *recording.TooLargeError) string {
	if err.Max != recording.MaxFileSize(cmp.Or(x.cfg.MaxBody, recording.DefaultMaxBody)) {
		return err.Error()
	}
	return err.Error() + " (twice " + cmp.Or(x.cfg.MaxBodyName, "livecheck.Config.MaxBody") + ")"
}

// stepContext is the current step's context.
func (x *execution) stepContext() context.Context {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ctx
}

func (x *execution) recordErr() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.recErr
}

func (x *execution) runTasksPage(orgID, runID string, p gen.ListRunTasksParams) error {
	resp, err := x.client.Generated().ListRunTasks(x.stepContext(), orgID, runID, &p)
	return discard(resp, err)
}

func (x *execution) orgTasksPage(orgID string, p gen.ListOrgTasksParams) error {
	resp, err := x.client.Generated().ListOrgTasks(x.stepContext(), orgID, &p)
	return discard(resp, err)
}

func (x *execution) walkRunTasks(orgID, runID string, p gen.ListRunTasksParams, maxPages int) error {
	return x.walk(x.client.RunTasks(x.stepContext(), orgID, runID, &p), maxPages)
}

func (x *execution) walkOrgTasks(orgID string, p gen.ListOrgTasksParams, maxPages int) error {
	return x.walk(x.client.OrgTasks(x.stepContext(), orgID, &p), maxPages)
}

// walk consumes a task iterator, page after page, until maxPages exchanges
// were made: breaking out of the loop stops further pages. A task that does
// not fit the client's types (*tallyfy.TaskError) does not stop the walk:
// its page is checked from its raw bytes like any other.
// A maxPages of 0 or less walks every page.
func (x *execution) walk(seq iter.Seq2[gen.Task, error], maxPages int) error {
	start := x.meter.planned()
	for _, err := range seq {
		var taskErr *tallyfy.TaskError
		if errors.As(err, &taskErr) {
			continue
		}
		if err != nil {
			return err
		}
		if maxPages > 0 && x.meter.planned()-start >= maxPages {
			break
		}
	}
	return nil
}

func discard(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// String describes a result in one line, for logs.
func (r *Result) String() string {
	s := r.Report.Summary()
	return fmt.Sprintf("%d planned checks (%d skipped), %d exchanges, %d with drift (%d findings), %d warnings",
		s.Checks, s.Skipped, s.Exchanges, s.DriftExchanges, s.Drift, s.Warnings)
}
