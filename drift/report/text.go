package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// TextOptions control the text report.
type TextOptions struct {
	// Color adds ANSI colours (use only when writing to a terminal).
	Color bool
}

const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// WriteText writes the report for people: the mode line, the spec, the
// error and the notes, one line per planned check (pass, DRIFT, skip with
// its reason, ERROR with its reason; consecutive checks that did not run
// for one reason share a line),
// the findings grouped by operation, rule and pointer pattern (at most
// MaxGroupsShown groups), and a summary. Text from servers and files is cut
// and escaped: every line the report prints is one of its own.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	paint := func(color, s string) string {
		if !opts.Color {
			return s
		}
		return color + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nspec: %s\n", textcut.Line(r.Headline(), maxTargetLen), textcut.Line(r.SpecLabel(), maxTargetLen))
	if pace := r.PaceLine(); pace != "" {
		fmt.Fprintf(&b, "pace: %s\n", textcut.Line(pace, maxTargetLen))
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "%s %s\n", paint(ansiRed, "error:"), textcut.Line(r.Error, maxErrorLen))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s %s\n", paint(ansiYellow, "note:"), textcut.Line(n, maxErrorLen))
	}
	if len(r.Checks) > 0 {
		b.WriteString("\nchecks:\n")
	}
	for _, c := range r.checkRuns(r.Checks) {
		name := textcut.Line(c.Name, maxNameLen)
		if c.n > 1 {
			fmt.Fprintf(&b, "%s  %d checks, %s to %s: %s\n", paint(ansiYellow, "skip "), c.n, name,
				textcut.Line(c.last, maxNameLen), textcut.Line(c.Skipped, maxErrorLen))
			continue
		}
		switch r.Outcome(c.PlannedCheck) {
		case Errored:
			fmt.Fprintf(&b, "%s  %s: %s\n", paint(ansiRed, "ERROR"), name, textcut.Line(c.Error, maxErrorLen))
		case Drifted:
			fmt.Fprintf(&b, "%s  %s%s\n", paint(ansiRed, "DRIFT"), name, exchangeCount(r.ExchangesOf(c.Name), c.Skipped))
		case Skipped:
			fmt.Fprintf(&b, "%s  %s: %s%s\n", paint(ansiYellow, "skip "), name, textcut.Line(c.Skipped, maxErrorLen), exchangeCount(r.ExchangesOf(c.Name), ""))
		default:
			fmt.Fprintf(&b, "%s  %s%s\n", paint(ansiGreen, "pass "), name, exchangeCount(r.ExchangesOf(c.Name), ""))
		}
	}
	groups := r.Groups()
	if len(groups) > 0 {
		b.WriteString("\nfindings, grouped by operation, rule and pointer pattern:\n")
	}
	shown, more := shownGroups(groups)
	for _, g := range shown {
		verdict := paint(ansiRed, "DRIFT")
		if g.Severity != drift.SeverityDrift {
			verdict = paint(ansiYellow, "warn ")
		}
		fmt.Fprintf(&b, "%s  %s  %s  %s  %s\n", verdict, textcut.Line(operationLabel(g.Operation), maxNameLen), textcut.Line(g.Rule, maxNameLen),
			textcut.Line(pointerLabel(g.Pattern), maxPointerLen), occurrences(g))
		fmt.Fprintf(&b, "         first %s in %s: %s\n", textcut.Line(pointerLabel(g.Example.Pointer), maxPointerLen),
			textcut.Line(g.Check, maxNameLen), textcut.Line(g.Example.Message, maxMessageLen))
	}
	if more != "" {
		b.WriteString(more + "\n")
	}
	s := r.Summary()
	line := "\n" + summaryLine(s) + "\n"
	if s.Drift > 0 || !r.Complete() {
		line = paint(ansiRed, line)
	}
	b.WriteString(line)
	_, err := io.WriteString(w, b.String())
	return err
}

// exchangeCount is " (3 exchanges)", with the reason a part was skipped.
func exchangeCount(n int, skipped string) string {
	var parts []string
	switch n {
	case 0:
	case 1:
		parts = append(parts, "1 exchange")
	default:
		parts = append(parts, fmt.Sprintf("%d exchanges", n))
	}
	if skipped != "" {
		parts = append(parts, "skipped: "+textcut.Line(skipped, maxErrorLen))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// occurrences is "1 finding" or "50 findings in 3 exchanges".
func occurrences(g drift.FindingGroup) string {
	s := "1 finding"
	if g.Count > 1 {
		s = fmt.Sprintf("%d findings", g.Count)
	}
	if g.Exchanges > 1 {
		s += fmt.Sprintf(" in %d exchanges", g.Exchanges)
	}
	return s
}

// summaryLine is the report's last line: checks by outcome, then exchanges
// and findings.
func summaryLine(s Summary) string {
	line := fmt.Sprintf("%d planned checks: %d passed, %d drifted, %d skipped, %d errors; %d exchanges, %d drift findings, %d warnings",
		s.Checks, s.Passed, s.Drifted, s.Skipped, s.Errors, s.Exchanges, s.Drift, s.Warnings)
	if s.MoreFindings > 0 {
		line += ", " + moreFindings(s.MoreFindings)
	}
	return line
}

// pointerLabel is a pointer as reports show it: "(exchange)" for "", a
// finding about the exchange as a whole.
func pointerLabel(p string) string { return cmp.Or(p, "(exchange)") }
