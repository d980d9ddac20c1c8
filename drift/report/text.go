package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/tallyfy-go/tallyfy/drift"
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

// WriteText writes one line per exchange (operation, query, status, pass
// or drift), each finding below it as "pointer: rule: message", and a
// summary line.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	paint := func(color, s string) string {
		if !opts.Color {
			return s
		}
		return color + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "target: %s\nspec: %s\n\n", r.Target, r.SpecVersion)
	for _, ex := range r.Exchanges {
		verdict := paint(ansiGreen, "pass ")
		switch {
		case ex.HasDrift():
			verdict = paint(ansiRed, "DRIFT")
		case len(ex.Findings) > 0:
			verdict = paint(ansiYellow, "warn ")
		}
		query := ex.Query()
		if query == "" {
			query = "-"
		}
		fmt.Fprintf(&b, "%s  %-13s %d  %s", verdict, ex.operationLabel(), ex.Status, query)
		if ex.Name != "" {
			fmt.Fprintf(&b, "  (%s)", ex.Name)
		}
		b.WriteByte('\n')
		for _, f := range ex.Findings {
			marker := "  "
			if f.Severity == drift.SeverityWarning {
				marker = "  warning "
			}
			fmt.Fprintf(&b, "      %s%s: %s: %s\n", marker, printable(pointerLabel(f.Pointer)), printable(f.Rule), printable(f.Message))
		}
	}
	s := r.Summary()
	line := fmt.Sprintf("\n%d exchanges: %d conform, %d drift (%d findings), %d warnings\n",
		s.Exchanges, s.Exchanges-s.DriftExchanges, s.DriftExchanges, s.Drift, s.Warnings)
	if s.Drift > 0 {
		line = paint(ansiRed, line)
	}
	b.WriteString(line)
	_, err := io.WriteString(w, b.String())
	return err
}

func pointerLabel(p string) string {
	if p == "" {
		return "(exchange)"
	}
	return p
}

// printable escapes control characters (a body's keys and values reach
// pointers and messages), so that a finding stays on its line and cannot
// drive the terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
