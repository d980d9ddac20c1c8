// Package livecheck runs the live drift check: a bounded, planned series of
// requests to Tallyfy's API through the tallyfy client (retries and rate
// limits included), each exchange held against the spec by the shared
// drift.Validator. The contract tests' live suite and the tallyfy-drift
// command both use it.
package livecheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"sync"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/recording"
)

// DefaultMaxRequests bounds the requests of one check (retries included).
const DefaultMaxRequests = 60

// Config says what to check and how.
type Config struct {
	BaseURL string // the API's base URL, e.g. tallyfy.DefaultBaseURL
	Token   string // the access token; it appears in no output
	OrgID   string // required
	RunID   string // optional: without it, only organization tasks are checked

	Timeout     time.Duration // per request; 0 means tallyfy.DefaultTimeout
	MaxRequests int           // 0 means DefaultMaxRequests; negative means no bound
	// AllPages walks every page of the page walks; without it, they stop at
	// a few pages (10 for a run's default page size, 5 at per_page=100, 2
	// for the organization), so that a check stays bounded.
	AllPages  bool
	Validator *drift.Validator
	// Recorder, if set, saves every exchange, redacted, as a recording.
	Recorder *recording.Writer
	// Progress, if set, is told about each exchange as soon as it is checked.
	Progress func(ex report.Exchange)
	// ClientOptions are added to the client's options (tests shorten retries).
	ClientOptions []tallyfy.Option
	// Transport, if set, makes the HTTP requests (default http.DefaultTransport).
	Transport http.RoundTripper
}

// AbortError is a check that could not be completed: the API refused the
// token (401/403), did not know the organization or run (404), kept failing
// (5xx or 429 after the retries), or could not be reached.
type AbortError struct {
	Reason string // one line, without the token
	Err    error
}

// Error implements error; it is the reason.
func (e *AbortError) Error() string { return e.Reason }

// Unwrap returns the underlying error.
func (e *AbortError) Unwrap() error { return e.Err }

// Result is what a check found.
type Result struct {
	Report *report.Report
	// Skipped counts planned steps left out once MaxRequests was reached.
	Skipped int
}

// Run checks the live API. It returns an *AbortError, with the exchanges
// checked so far, at the first exchange that makes the check impossible.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Validator == nil {
		return nil, errors.New("livecheck: no validator")
	}
	if cfg.OrgID == "" {
		return nil, &AbortError{Reason: "no organization ID to check (set TALLYFY_ORG_ID or --org)"}
	}
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = tallyfy.DefaultTimeout
	}
	x := &execution{
		ctx: ctx,
		cfg: cfg,
		res: &Result{Report: &report.Report{Target: drift.SafeURL(cfg.BaseURL), SpecVersion: cfg.Validator.SpecVersion()}},
	}
	hc := &http.Client{Transport: &recording.Transport{Next: cfg.Transport, OnExchange: x.onExchange}}
	opts := append([]tallyfy.Option{
		tallyfy.WithBaseURL(cfg.BaseURL), tallyfy.WithHTTPClient(hc), tallyfy.WithTimeout(cfg.Timeout),
	}, cfg.ClientOptions...)
	client, err := tallyfy.NewClient(cfg.Token, opts...)
	if err != nil {
		return nil, &AbortError{Reason: err.Error(), Err: err}
	}
	x.client = client

	steps := plan(cfg.OrgID, cfg.RunID, cfg.AllPages)
	for i, s := range steps {
		if cfg.MaxRequests > 0 && x.requests() >= cfg.MaxRequests {
			x.res.Skipped = len(steps) - i
			break
		}
		if err := s.run(x); err != nil {
			if reason, abort := classify(ctx, err); abort {
				return x.res, &AbortError{Reason: s.label + ": " + reason, Err: err}
			}
		}
		if err := x.recordErr(); err != nil {
			return x.res, &AbortError{Reason: "saving a recording: " + err.Error(), Err: err}
		}
	}
	return x.res, nil
}

// classify tells an error that ends the check from one whose exchange was
// checked (and reported) like any other.
func classify(ctx context.Context, err error) (reason string, abort bool) {
	var decodeErr *tallyfy.DecodeError
	var rateErr *tallyfy.RateLimitError
	var apiErr *tallyfy.APIError
	switch {
	case errors.As(err, &decodeErr):
		return "", false // the body was checked from its raw bytes
	case errors.As(err, &rateErr):
		return "still rate limited after the retries: " + rateErr.Error(), true
	case errors.As(err, &apiErr):
		switch code := apiErr.StatusCode; {
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			return "the API refused the token: " + apiErr.Error(), true
		case code == http.StatusNotFound:
			return "the organization or run was not found: " + apiErr.Error(), true
		case code >= 500:
			return "the API kept failing: " + apiErr.Error(), true
		}
		return "", false // 422 and other 4xx: checked against the spec
	case ctx.Err() != nil:
		return "interrupted: " + ctx.Err().Error(), true
	default:
		return "could not reach the API: " + err.Error(), true
	}
}

// execution is the state of one Run.
type execution struct {
	ctx    context.Context
	cfg    Config
	client *tallyfy.Client
	res    *Result

	mu        sync.Mutex
	exchanges int
	recErr    error
}

func (x *execution) onExchange(ex *recording.Exchange) {
	if transient(ex.Response.Status) {
		// A gateway error is the infrastructure's, not the API's: the client
		// retries it, and one that outlives the retries ends the check.
		x.mu.Lock()
		x.exchanges++
		x.mu.Unlock()
		return
	}
	entry := report.Check(x.ctx, x.cfg.Validator, "", ex)
	x.mu.Lock()
	x.exchanges++
	x.res.Report.Exchanges = append(x.res.Report.Exchanges, entry)
	if x.cfg.Recorder != nil && x.recErr == nil {
		_, x.recErr = x.cfg.Recorder.Write(ex, x.cfg.BaseURL)
	}
	x.mu.Unlock()
	if x.cfg.Progress != nil {
		x.cfg.Progress(entry)
	}
}

func (x *execution) requests() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.exchanges
}

func (x *execution) recordErr() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.recErr
}

func (x *execution) runTasksPage(orgID, runID string, p gen.ListRunTasksParams) error {
	resp, err := x.client.ClientInterface.ListRunTasks(x.ctx, orgID, runID, &p)
	return discard(resp, err)
}

func (x *execution) orgTasksPage(orgID string, p gen.ListOrgTasksParams) error {
	resp, err := x.client.ClientInterface.ListOrgTasks(x.ctx, orgID, &p)
	return discard(resp, err)
}

func (x *execution) walkRunTasks(orgID, runID string, p gen.ListRunTasksParams, maxPages int) error {
	return x.walk(x.client.RunTasks(x.ctx, orgID, runID, &p), maxPages)
}

func (x *execution) walkOrgTasks(orgID string, p gen.ListOrgTasksParams, maxPages int) error {
	return x.walk(x.client.OrgTasks(x.ctx, orgID, &p), maxPages)
}

// walk consumes a task iterator, page after page, until maxPages exchanges
// were made: breaking out of the loop stops further pages.
// A maxPages of 0 or less walks every page.
func (x *execution) walk(seq iter.Seq2[gen.Task, error], maxPages int) error {
	start := x.requests()
	for _, err := range seq {
		if err != nil {
			return err
		}
		if maxPages > 0 && x.requests()-start >= maxPages {
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
	return fmt.Sprintf("%d exchanges, %d with drift (%d findings), %d warnings", s.Exchanges, s.DriftExchanges, s.Drift, s.Warnings)
}

// transient reports the statuses the client retries as passing failures.
func transient(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}
