// Package report gathers the results of a drift check and writes them as
// text (for people), Markdown (for a CI job summary), JSON (for scripts) or
// JUnit XML (for CI systems).
//
// A report lists every planned check with its outcome (passed, drifted,
// skipped with a reason, or error), the exchanges the checks made, and the
// findings, grouped by operation, rule and pointer pattern. A check that
// could not run still gives a complete report that carries the error.
//
//	r := &report.Report{Mode: report.ModeReplay, Target: "3 recordings", SpecVersion: v.SpecVersion()}
//	r.Checks = append(r.Checks, report.PlannedCheck{Name: name})
//	r.Exchanges = append(r.Exchanges, report.Check(ctx, v, name, name, rec))
//	err := report.Write(os.Stdout, r, report.FormatJSON, report.TextOptions{})
//
// Every format starts with the mode and says the verdict (Report.Verdict:
// conforms, drift, incomplete or error, as tallyfy-drift's exit code says
// it); a live check's report also says its rate budget and how long its
// requests waited (Pace). Text from servers and files is escaped in every
// format (no control characters, bidi overrides or line separators, so no
// forged line in a CI log), cut to a few hundred bytes, and scrubbed of the
// token (Report.Scrubbed); the text, Markdown and JUnit reports list at
// most MaxGroupsShown finding groups and count the rest. The JSON report's
// keys are pinned: CI scripts read them.
//
// # Where each part lives
//
//   - report.go: Report and what it holds (Mode, PlannedCheck, Exchange,
//     Pace), and what it comes to (Outcome, Summary, Verdict).
//   - check.go: Check, one recording or capture held against the spec as a
//     report's Exchange.
//   - group.go: Report.Groups, the findings grouped by drift.GroupKey, and
//     MaxGroupsShown.
//   - format.go: Format, ParseFormat and Write; text.go (WriteText,
//     TextOptions), markdown.go (WriteMarkdown), jsonreport.go (WriteJSON)
//     and junit.go (WriteJUnit), one format each.
//   - sanitize.go: the escaping and the lengths that text from servers and
//     files is cut to; scrub.go: Report.Scrubbed, the token removed.
//
// The module's docs/drift-check.md describes each format as tallyfy-drift
// writes it.
package report

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Mode says what a check looked at.
type Mode string

// The modes of a check.
const (
	// ModeLive is a check of the live API.
	ModeLive Mode = "live"
	// ModeReplay is a check of a folder of recordings (--replay).
	ModeReplay Mode = "replay"
	// ModeEmbedded is a check of the recordings built into the binary, made
	// only when no live check was asked for.
	ModeEmbedded Mode = "embedded"
	// ModeNone is a check that could not start (bad usage, a missing token).
	ModeNone Mode = "none"
)

// orNone is m, or ModeNone for a report that names no mode.
func orNone(m Mode) Mode { return cmp.Or(m, ModeNone) }

// SpecLabel is the spec as reports name it: its version, then the file it
// came from when it is not the one built in ("0.2.0 from edited.yaml").
func (r *Report) SpecLabel() string {
	if r.SpecFile == "" {
		return r.SpecVersion
	}
	return r.SpecVersion + " from " + r.SpecFile
}

// Report is the result of one drift check.
type Report struct {
	// Mode says what was checked; the first line of every format names it.
	Mode Mode
	// Target says which API or recordings: "the API at https://…", "3
	// recordings in testdata/replay".
	Target string
	// SpecVersion is info.version of the spec the check used.
	SpecVersion string
	// SpecFile is the file the spec was read from (tallyfy-drift --spec),
	// or "" for the spec built into the binary. Reports name it, since an
	// edited openapi.yaml usually keeps the version of the one built in.
	SpecFile string
	// Checks are the planned checks, in plan order: for a live check the
	// steps of the plan, for recordings one per file.
	Checks []PlannedCheck
	// Exchanges are the checked exchanges, in the order they were checked.
	Exchanges []Exchange
	// Error, when set, is why the check could not be completed: the run
	// ended early, or never started.
	Error string
	// Notes are what a reader must know that is neither a finding nor an
	// error, and that changes no verdict: a recording that was not saved
	// (tallyfy-drift --record), say. Every format lists them.
	Notes []string
	// Pace, for a live check, is the rate budget its requests took their
	// turns from and how long they waited for them; nil otherwise.
	Pace *Pace
	// Suggested is the change of the spec the check proposed and wrote as
	// an OpenAPI Overlay (tallyfy-drift --suggest); nil when none was.
	Suggested *Suggested
}

// Suggested is an overlay a check wrote: where, and its actions.
type Suggested struct {
	// File is where the overlay was written, as the command line named it.
	File string
	// Actions are the overlay's actions, in order; reports show each
	// one's target and summary.
	Actions []drift.SuggestedAction
}

// Pace is the rate budget of a live check (tallyfy-drift --rate).
type Pace struct {
	// Budget says the budget as it was set: "600 requests per 1m0s", or
	// "off".
	Budget string
	// Waited is how long the check's requests waited for their turns, a
	// 429's pause included: the time the check left to other programs
	// that share the token.
	Waited time.Duration
}

// PaceLine is the pace of a live check on one line; "" when r has none.
func (r *Report) PaceLine() string {
	if r.Pace == nil {
		return ""
	}
	return fmt.Sprintf("rate budget %s; waited %s for turns", r.Pace.Budget, r.Pace.Waited.Round(time.Millisecond))
}

// PlannedCheck is one planned part of a check: one request, a page walk, or
// one recording. Its outcome follows from its exchanges, Skipped and Error.
type PlannedCheck struct {
	// Name names the check in every format: a recording's file name, or
	// what a live request asks for ("run tasks, with=step").
	Name string
	// Skipped, when set, says why the check (or the rest of it) did not run.
	Skipped string
	// Error, when set, says why the check failed in a way that ended the run.
	Error string
}

// Outcome is what became of a planned check.
type Outcome string

// The outcomes of a planned check.
const (
	Passed  Outcome = "passed"  // it ran whole; no drift
	Drifted Outcome = "drifted" // an exchange drifted from the spec
	Skipped Outcome = "skipped" // it (or part of it) did not run; see PlannedCheck.Skipped
	Errored Outcome = "error"   // it could not be completed; see PlannedCheck.Error
)

// Exchange is one checked request and response, with what the check found.
type Exchange struct {
	Check     string          // the name of the planned check that made it
	Name      string          // recording name, or empty for a live exchange
	Operation string          // operationId, or "" when no route matched
	Method    string          // the request's method
	URL       string          // token-free
	Status    int             // the response's status code
	Findings  []drift.Finding // what the validator found, in its order
	// MoreFindings counts the findings of this exchange that the validator
	// left out past drift.MaxFindings (Findings then ends with one finding of
	// rule drift.RuleFindingsOmitted).
	MoreFindings int
}

// Summary counts a report's checks, exchanges and findings. Its JSON form
// is the JSON report's "summary" (but for the verdict), whose keys are
// pinned: CI scripts read them.
type Summary struct {
	Checks  int `json:"checks"`  // planned checks
	Passed  int `json:"passed"`  // checks that passed
	Drifted int `json:"drifted"` // checks with drift
	Skipped int `json:"skipped"` // checks (or parts) that did not run
	Errors  int `json:"errors"`  // checks that could not be completed

	Exchanges      int `json:"exchanges"`     // exchanges checked
	DriftExchanges int `json:"-"`             // exchanges with at least one drift finding
	Drift          int `json:"drift"`         // drift findings (listed)
	Warnings       int `json:"warnings"`      // warning findings (listed)
	MoreFindings   int `json:"more_findings"` // findings left out by the per-exchange cap
}

// Summary counts the report.
func (r *Report) Summary() Summary {
	s := Summary{Checks: len(r.Checks), Exchanges: len(r.Exchanges)}
	for _, ex := range r.Exchanges {
		if ex.HasDrift() {
			s.DriftExchanges++
		}
		s.MoreFindings += ex.MoreFindings
		for _, f := range ex.Findings {
			if f.Severity == drift.SeverityDrift {
				s.Drift++
			} else {
				s.Warnings++
			}
		}
	}
	for _, c := range r.Checks {
		switch r.Outcome(c) {
		case Passed:
			s.Passed++
		case Drifted:
			s.Drifted++
		case Skipped:
			s.Skipped++
		case Errored:
			s.Errors++
		}
	}
	return s
}

// Outcome says what became of planned check c: an error wins, then drift
// in any of its exchanges, then a skip; otherwise it passed.
func (r *Report) Outcome(c PlannedCheck) Outcome {
	switch {
	case c.Error != "":
		return Errored
	case r.checkDrifted(c.Name):
		return Drifted
	case c.Skipped != "":
		return Skipped
	}
	return Passed
}

// ExchangesOf returns how many exchanges planned check name made.
func (r *Report) ExchangesOf(name string) int { return len(r.exchangesOf(name)) }

// exchangesOf returns the exchanges planned check name made.
func (r *Report) exchangesOf(name string) []Exchange {
	var out []Exchange
	for _, ex := range r.Exchanges {
		if ex.Check == name {
			out = append(out, ex)
		}
	}
	return out
}

func (r *Report) checkDrifted(name string) bool {
	return slices.ContainsFunc(r.Exchanges, func(ex Exchange) bool { return ex.Check == name && ex.HasDrift() })
}

// HasDrift reports whether any exchange drifted from the spec.
func (r *Report) HasDrift() bool { return r.Summary().Drift > 0 }

// Complete reports whether every planned check ran whole and nothing
// ended the check early: a report that is not complete checked less than
// it planned to, and must not pass.
func (r *Report) Complete() bool {
	s := r.Summary()
	return r.Error == "" && s.Skipped == 0 && s.Errors == 0
}

// Verdict is what a check comes to, in one word; tallyfy-drift's exit code
// follows it (0 conforms, 1 drift, 2 error or incomplete).
type Verdict string

// The verdicts, in the order they win: an error over drift, drift over an
// incomplete check.
const (
	VerdictError      Verdict = "error"      // the check could not be completed
	VerdictDrift      Verdict = "drift"      // an exchange drifted from the spec
	VerdictIncomplete Verdict = "incomplete" // a planned check was skipped or failed
	VerdictConforms   Verdict = "conforms"   // every planned check ran and passed
)

// Verdict says what the check comes to.
func (r *Report) Verdict() Verdict {
	switch {
	case r.Error != "":
		return VerdictError
	case r.HasDrift():
		return VerdictDrift
	case !r.Complete():
		return VerdictIncomplete
	}
	return VerdictConforms
}

// Headline is the report's first line: the mode and the target, e.g.
// "mode: live (the API at https://go.tallyfy.com/api)".
func (r *Report) Headline() string {
	mode := orNone(r.Mode)
	if r.Target == "" {
		return "mode: " + string(mode)
	}
	return "mode: " + string(mode) + " (" + r.Target + ")"
}

// HasDrift reports whether the exchange has a drift finding.
func (e Exchange) HasDrift() bool { return drift.HasDrift(e.Findings) }

// Query returns the exchange's query string ("" if none), for short labels.
func (e Exchange) Query() string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return ""
	}
	return u.RawQuery
}

// Path returns the exchange's URL path.
func (e Exchange) Path() string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return e.URL
	}
	return u.Path
}
