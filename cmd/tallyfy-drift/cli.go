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
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
)

// Exit codes; CI scripts depend on them.
const (
	exitConforms    = 0
	exitDrift       = 1
	exitCannotCheck = 2
)

// options are the parsed command line and environment.
type options struct {
	baseURL, orgID, runID string
	token                 string
	format                report.Format
	strict                bool
	timeout               time.Duration
	recordDir, replayDir  string
}

const usageText = `Usage: tallyfy-drift [check] [flags]

Checks Tallyfy's task-list API against the spec this binary was built from.
With TALLYFY_ACCESS_TOKEN set it checks the live API; without it, the
recordings embedded in this binary.

Flags:
  --base-url URL    default $TALLYFY_BASE_URL, else https://go.tallyfy.com/api
  --org ID          default $TALLYFY_ORG_ID
  --run ID          default $TALLYFY_RUN_ID
  --format F        text | json | junit   (default text)
  --strict          undocumented fields count as drift
  --timeout D       per-request timeout (default 30s)
  --record DIR      also save the live exchanges, redacted, as recordings
  --replay DIR      check a folder of recordings instead of the live API

Exit codes: 0 conforms (warnings allowed), 1 drift found, 2 could not check.
`

// usageError is a command line that cannot run.
type usageError struct{ msg string }

// Error implements error.
func (e usageError) Error() string { return e.msg }

func parseOptions(args []string, getenv func(string) string) (*options, error) {
	if len(args) > 0 && args[0] == "check" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("tallyfy-drift", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := &options{token: getenv("TALLYFY_ACCESS_TOKEN")}
	var format string
	fs.StringVar(&o.baseURL, "base-url", firstNonEmpty(getenv("TALLYFY_BASE_URL"), tallyfy.DefaultBaseURL), "")
	fs.StringVar(&o.orgID, "org", getenv("TALLYFY_ORG_ID"), "")
	fs.StringVar(&o.runID, "run", getenv("TALLYFY_RUN_ID"), "")
	fs.StringVar(&format, "format", "text", "")
	fs.BoolVar(&o.strict, "strict", false, "")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "")
	fs.StringVar(&o.recordDir, "record", "", "")
	fs.StringVar(&o.replayDir, "replay", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	f, err := report.ParseFormat(format)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	o.format = f
	switch {
	case o.timeout <= 0:
		return nil, usageError{"--timeout must be positive"}
	case o.recordDir != "" && o.replayDir != "":
		return nil, usageError{"--record and --replay cannot be used together"}
	case o.recordDir != "" && o.token == "":
		return nil, usageError{"--record needs a live check: set TALLYFY_ACCESS_TOKEN"}
	case o.live() && o.orgID == "":
		return nil, usageError{"a live check needs --org (or TALLYFY_ORG_ID)"}
	case o.live() && o.runID == "":
		return nil, usageError{"a live check needs --run (or TALLYFY_RUN_ID)"}
	}
	return o, nil
}

// live reports whether the options ask for a check of the live API.
func (o *options) live() bool { return o.token != "" && o.replayDir == "" }

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// run is the whole command; it returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, getenv, stdout, stderr, nil)
}

// runWith is run with extra client options (tests shorten the retries).
func runWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, clientOpts []tallyfy.Option) int {
	o, err := parseOptions(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText)
		return exitConforms
	}
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: %v (see tallyfy-drift --help)\n", err)
		return exitCannotCheck
	}
	var vopts []drift.Option
	if o.strict {
		vopts = append(vopts, drift.Strict())
	}
	v, err := drift.NewValidator(vopts...)
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: %v\n", err)
		return exitCannotCheck
	}

	var r *report.Report
	if o.live() {
		r, err = checkLive(ctx, o, v, stderr, clientOpts)
	} else {
		r, err = checkRecordings(ctx, o, v, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: could not check: %s\n", scrub(err.Error(), o.token))
		return exitCannotCheck
	}
	if err := report.Write(stdout, r, o.format, report.TextOptions{Color: isTerminal(stdout, getenv)}); err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: writing the report: %v\n", err)
		return exitCannotCheck
	}
	if r.HasDrift() {
		return exitDrift
	}
	return exitConforms
}

// scrub removes the token from a message, should any error ever echo it.
func scrub(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[redacted]")
}

// isTerminal reports whether w is a terminal that wants colour.
func isTerminal(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok || getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
