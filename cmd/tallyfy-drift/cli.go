package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/cmd/tallyfy-drift/internal/livecheck"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/recording"
)

// Exit codes; CI scripts depend on them.
const (
	exitConforms    = 0
	exitDrift       = 1
	exitCannotCheck = 2
)

// The environment the command reads.
const (
	envToken   = "TALLYFY_ACCESS_TOKEN"
	envOrg     = "TALLYFY_ORG_ID"
	envRun     = "TALLYFY_RUN_ID"
	envBaseURL = "TALLYFY_BASE_URL"
)

// options are the parsed command line and environment.
type options struct {
	mode                  report.Mode
	baseURL, orgID, runID string
	token                 string
	format                report.Format
	strict                bool
	timeout               time.Duration
	maxBody               int64 // --max-body: see maxBodyFlag
	allPages              bool  // --all-pages: walk every page, no bound on planned requests
	rate                  rateFlag
	recordDir, replayDir  string
	specFile              string // --spec: check against this spec, not the embedded one
	summaryFile           string // --summary: also append the Markdown report here
	suggestFile           string // --suggest: write the proposed spec change here, as an overlay
}

const usageText = `Usage: tallyfy-drift [check] [flags]

Checks Tallyfy's task-list API against the spec this binary was built from.
With TALLYFY_ACCESS_TOKEN set it checks the live API; with --replay, a folder
of recordings; with neither, and no live check asked for, the recordings
embedded in this binary.

Flags:
  --base-url URL    default $TALLYFY_BASE_URL, else https://go.tallyfy.com/api
  --org ID          default $TALLYFY_ORG_ID
  --run ID          default $TALLYFY_RUN_ID
  --format F        text | json | junit | markdown   (default text)
  --strict          undocumented fields count as drift
  --timeout D       per-request timeout, a duration like 30s or 2m (default 30s)
  --max-body SIZE   the most bytes of one response body held and validated,
                    like 64MiB (default 32MiB)
  --all-pages       walk every page of the page walks, with no bound on
                    planned requests; for a full contract run, not for CI
                    on every push
  --rate N/UNIT     the check's rate budget, like 600/min, 10/s or off
                    (default 600/min, Tallyfy's documented limit); take a
                    part of it when a production program shares the token
  --record DIR      also save the live exchanges, redacted, as recordings
  --replay DIR      check a folder of recordings instead of the live API
  --spec FILE       check against this OpenAPI 3.0 file (an edited openapi.yaml)
                    instead of the spec built in
  --summary FILE    also append the Markdown report to FILE
                    (in GitHub Actions: --summary "$GITHUB_STEP_SUMMARY")
  --suggest FILE    also write the change of the spec that the findings call
                    for to FILE, as an OpenAPI Overlay to review and apply
                    (make apply-overlay OVERLAY=FILE); no file when there is
                    nothing to suggest

Exit codes: 0 every planned check ran and conforms (warnings allowed),
1 drift found, 2 the check could not be completed (see stderr).
`

// usageError is a command line or environment that cannot run.
type usageError struct{ msg string }

// Error implements error.
func (e usageError) Error() string { return e.msg }

// durationFlag is a flag.Value for a duration that says how to write one.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("write a duration with its unit, like 30s or 2m (got %q)", s)
	}
	if d <= 0 {
		return fmt.Errorf("must be positive, like 30s (got %q)", s)
	}
	*f.d = d
	return nil
}

// parseOptions reads the command line and the environment, and decides the
// mode: live when a token is set, replay with --replay, and the embedded
// recordings only when nothing live was asked for.
func parseOptions(args []string, lookupEnv func(string) (string, bool)) (*options, error) {
	if len(args) > 0 && args[0] == "check" {
		args = args[1:]
	}
	getenv := func(k string) string { v, _ := lookupEnv(k); return v }
	fs := flag.NewFlagSet("tallyfy-drift", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := &options{timeout: 30 * time.Second}
	var format string
	fs.StringVar(&o.baseURL, "base-url", firstNonEmpty(getenv(envBaseURL), tallyfy.DefaultBaseURL), "")
	fs.StringVar(&o.orgID, "org", getenv(envOrg), "")
	fs.StringVar(&o.runID, "run", getenv(envRun), "")
	fs.StringVar(&format, "format", "text", "")
	fs.BoolVar(&o.strict, "strict", false, "")
	fs.Var(durationFlag{&o.timeout}, "timeout", "")
	o.maxBody = recording.DefaultMaxBody
	fs.Var(maxBodyFlag{&o.maxBody}, "max-body", "")
	fs.BoolVar(&o.allPages, "all-pages", false, "")
	o.rate = rateFlag{n: tallyfy.DefaultRateLimit, per: tallyfy.DefaultRatePer}
	fs.Var(&o.rate, "rate", "")
	fs.StringVar(&o.recordDir, "record", "", "")
	fs.StringVar(&o.replayDir, "replay", "", "")
	fs.StringVar(&o.specFile, "spec", "", "")
	fs.StringVar(&o.summaryFile, "summary", "", "")
	fs.StringVar(&o.suggestFile, "suggest", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return o, usageError{strings.Replace(err.Error(), "flag -", "flag --", 1)}
	}
	f, err := report.ParseFormat(format)
	if err != nil {
		return nil, usageError{err.Error()} // no format to write a report in
	}
	o.format = f
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if given["suggest"] {
		if err := checkOverlayPath(o.suggestFile); err != nil {
			return o, usageError{"--suggest " + err.Error()}
		}
	}

	token, tokenSet := lookupEnv(envToken)
	if tokenSet && redact.Token(token) == "" {
		return o, usageError{envToken + " is set but empty, which is what GitHub Actions passes for a secret that does not exist: " +
			"set it to a Tallyfy access token, or unset it to check the embedded recordings"}
	}
	o.token = redact.Token(token) // the one value sent, recorded and scrubbed
	var liveAsked []string
	for _, a := range []struct {
		flag, env string
	}{{"org", envOrg}, {"run", envRun}} {
		if given[a.flag] {
			liveAsked = append(liveAsked, "--"+a.flag)
		} else if _, set := lookupEnv(a.env); set {
			liveAsked = append(liveAsked, a.env)
		}
	}
	switch {
	case o.replayDir != "":
		if given["org"] || given["run"] || o.recordDir != "" {
			return o, usageError{"--replay checks recordings: it cannot be used with --org, --run or --record"}
		}
		if o.allPages {
			return o, usageError{"--all-pages walks the pages of the live API: it cannot be used with --replay"}
		}
		o.mode = report.ModeReplay
	case o.token != "":
		o.mode = report.ModeLive
		switch {
		case o.orgID == "":
			return o, usageError{"a live check needs --org (or " + envOrg + ")"}
		case o.runID == "":
			return o, usageError{"a live check needs --run (or " + envRun + ")"}
		}
	case o.recordDir != "":
		return o, usageError{"--record needs a live check: set " + envToken}
	case o.allPages:
		return o, usageError{"--all-pages needs a live check: set " + envToken}
	case len(liveAsked) > 0:
		return o, usageError{fmt.Sprintf("a live check was asked for (%s) but %s is not set: set it, or drop %s to check the embedded recordings",
			strings.Join(liveAsked, ", "), envToken, strings.Join(liveAsked, " and "))}
	default:
		o.mode = report.ModeEmbedded
	}
	return o, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// run is the whole command; it returns the exit code.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	return runWith(ctx, args, lookupEnv, stdout, stderr, nil)
}

// runWith is run with extra client options (tests shorten the retries).
//
// Whatever happens after the format is known, stdout gets a report in that
// format: a CI job that uploads it always finds a valid document, one that
// carries the error when the check could not be completed. (The text format
// leaves stdout empty when the command line itself is wrong: stderr says it.)
func runWith(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer, clientOpts []tallyfy.Option) int {
	o, err := parseOptions(args, lookupEnv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText)
		return exitConforms
	}
	if o != nil {
		stderr = redact.New(o.token).Writer(stderr) // each message is written whole, in one write
	}
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: %s (see tallyfy-drift --help)\n", textcut.Line(err.Error(), 600))
		if o != nil && o.format != "" {
			writeReport(stdout, stderr, lookupEnv, o, &report.Report{Mode: report.ModeNone, Error: err.Error()}, nil)
		}
		return exitCannotCheck
	}
	vopts := []drift.Option{drift.WithMaxBody(o.maxBody)}
	if o.strict {
		vopts = append(vopts, drift.Strict())
	}
	v, err := newValidator(o.specFile, vopts)
	if err != nil {
		// The check never started, so no mode ran: a report must not say
		// "mode: embedded" (or live) above an error about the spec.
		fmt.Fprintf(stderr, "tallyfy-drift: %s\n", textcut.Line(err.Error(), 600))
		writeReport(stdout, stderr, lookupEnv, o, &report.Report{Mode: report.ModeNone, Error: err.Error()}, nil)
		return exitCannotCheck
	}

	// The outputs are opened before the check: one that cannot be written
	// stops it before it starts, with every planned check not run.
	out, err := openOutputs(o)
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: %s\n", textcut.Line(err.Error(), 600))
		written := *o
		if out.summary == nil {
			written.summaryFile = "" // it could not be opened: not tried again
		}
		writeReport(stdout, stderr, lookupEnv, &written, notRun(o, v, err.Error()), out.summary)
		return exitCannotCheck
	}

	var sug *drift.Suggester
	if o.suggestFile != "" {
		sug = drift.NewSuggester(v, now())
	}
	var r *report.Report
	if o.mode == report.ModeLive {
		r = checkLive(ctx, o, v, out.recorder, sug, stderr, clientOpts)
	} else {
		r = checkRecordings(ctx, o, v, sug, stderr)
	}
	r.Error = redact.New(o.token).Text(r.Error) // should any error ever echo the token
	if r.Error != "" {
		fmt.Fprintf(stderr, "tallyfy-drift: could not check: %s\n", textcut.Line(r.Error, 600))
	} else if s := r.Summary(); s.Skipped > 0 {
		fmt.Fprintf(stderr, "tallyfy-drift: %d of %d planned checks were skipped: the check is not complete\n", s.Skipped, s.Checks)
	}
	suggested := true
	if sug != nil {
		suggested = writeSuggestion(stderr, o, r, sug.Suggestion())
	}
	if !writeReport(stdout, stderr, lookupEnv, o, r, out.summary) || !suggested {
		return exitCannotCheck
	}
	return exitCode(r)
}

// outputs are the files a check writes besides stdout, opened before it
// starts.
type outputs struct {
	summary  *os.File          // --summary, opened to append; nil without it
	recorder *recording.Writer // --record; nil without it
}

// openOutputs opens the --summary file and the --record folder (made if
// needed, and tried for writing). The error names the flag and the path;
// the summary, when it was opened, is returned with it, to say why.
func openOutputs(o *options) (outputs, error) {
	var out outputs
	if o.summaryFile != "" {
		f, err := os.OpenFile(o.summaryFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return out, fmt.Errorf("--summary %s: %w", o.summaryFile, describePathError(err))
		}
		out.summary = f
	}
	if o.recordDir != "" && o.mode == report.ModeLive {
		w, err := recording.NewWriter(o.recordDir, o.token)
		if err != nil {
			return out, fmt.Errorf("--record %s: %w", o.recordDir, describePathError(err))
		}
		out.recorder = w
	}
	return out, nil
}

// notRun is the report of a check that could not start for reason: every
// planned check is listed, not run, with the reason.
func notRun(o *options, v *drift.Validator, reason string) *report.Report {
	var r *report.Report
	if o.mode == report.ModeLive {
		r = livecheck.NotRun(liveConfig(o, v, nil), reason)
	} else {
		p := planRecordings(o, v)
		p.close()
		r = p.report
		for i := range r.Checks {
			r.Checks[i].Skipped = "not run: " + reason
		}
		if r.Error != "" {
			reason += "; and " + r.Error
		}
		r.Error = reason
	}
	return r
}

// now is the clock of the suggestions' dates; tests fix it.
var now = time.Now

// exitCode is 2 when the check could not be completed, else 1 on drift;
// then 2 when a planned check was skipped, else 0.
func exitCode(r *report.Report) int {
	switch r.Verdict() {
	case report.VerdictConforms:
		return exitConforms
	case report.VerdictDrift:
		return exitDrift
	}
	return exitCannotCheck
}

// writeReport appends r as Markdown to the --summary file (summary, or
// the file opened now when summary is nil), then writes it to stdout in
// the chosen format; false if either could not be written. The summary
// goes first so that the report on stdout carries its failure: its
// verdict is then "error", as the exit code says. A text report of a check
// that never started is left out: stderr said why.
func writeReport(stdout, stderr io.Writer, lookupEnv func(string) (string, bool), o *options, r *report.Report, summary *os.File) bool {
	r.SpecFile = o.specFile
	r = r.Scrubbed(redact.New(o.token)) // a finding may quote the token
	ok := true
	if o.summaryFile != "" {
		if err := appendMarkdown(summary, o.summaryFile, r); err != nil {
			msg := "writing the summary to " + o.summaryFile + ": " + describePathError(err).Error()
			fmt.Fprintf(stderr, "tallyfy-drift: %s\n", textcut.Line(msg, 600))
			if r.Error != "" {
				msg = r.Error + "; and " + msg
			}
			r.Error = msg
			ok = false
		}
	}
	if o.format != report.FormatText || r.Mode != report.ModeNone {
		if err := report.Write(stdout, r, o.format, report.TextOptions{Color: isTerminal(stdout, lookupEnv)}); err != nil {
			fmt.Fprintf(stderr, "tallyfy-drift: writing the report: %v\n", err)
			ok = false
		}
	}
	return ok
}

// appendMarkdown appends the Markdown report to f, or to the file at path
// when f is nil, as a GitHub job summary expects, and closes the file.
func appendMarkdown(f *os.File, path string, r *report.Report) error {
	if f == nil {
		var err error
		if f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
			return err
		}
	}
	if err := report.WriteMarkdown(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// isTerminal reports whether w is a terminal that wants colour.
func isTerminal(w io.Writer, lookupEnv func(string) (string, bool)) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	if _, noColor := lookupEnv("NO_COLOR"); noColor {
		return false
	}
	if term, _ := lookupEnv("TERM"); term == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
