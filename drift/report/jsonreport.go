package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// The JSON report's shape. Its keys are pinned: CI scripts read them.
type jsonReport struct {
	Mode        Mode           `json:"mode"`
	Target      string         `json:"target"`
	SpecVersion string         `json:"spec_version"`
	SpecFile    string         `json:"spec_file,omitempty"`
	Error       string         `json:"error,omitempty"`
	Notes       []string       `json:"notes,omitempty"`
	Pace        *jsonPace      `json:"pace,omitempty"`
	Summary     jsonSummary    `json:"summary"`
	Checks      []jsonCheck    `json:"checks"`
	Groups      []jsonGroup    `json:"finding_groups"`
	Exchanges   []jsonExchange `json:"exchanges"`
}

// jsonPace is a live check's rate budget and its waits.
type jsonPace struct {
	Budget   string `json:"budget"`
	WaitedMS int64  `json:"waited_ms"`
}

// jsonSummary is the verdict, then the Summary's counts (its json keys).
type jsonSummary struct {
	Verdict Verdict `json:"verdict"`
	Summary
}

type jsonCheck struct {
	Name      string  `json:"name"`
	Result    Outcome `json:"result"`
	Reason    string  `json:"reason,omitempty"`
	Exchanges int     `json:"exchanges"`
}

type jsonGroup struct {
	Severity     string `json:"severity"`
	Operation    string `json:"operation"`
	Rule         string `json:"rule"`
	Pattern      string `json:"pattern"`
	Count        int    `json:"count"`
	Exchanges    int    `json:"exchanges"`
	FirstPointer string `json:"first_pointer"`
	FirstCheck   string `json:"first_check"`
	Message      string `json:"message"`
}

type jsonExchange struct {
	Check        string        `json:"check"`
	Name         string        `json:"name,omitempty"`
	Operation    string        `json:"operation"`
	Method       string        `json:"method"`
	URL          string        `json:"url"`
	Status       int           `json:"status"`
	Findings     []jsonFinding `json:"findings"`
	MoreFindings int           `json:"more_findings,omitempty"`
}

type jsonFinding struct {
	Severity string `json:"severity"`
	Pointer  string `json:"pointer"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// WriteJSON writes the report as one indented JSON document:
//
//	{"mode", "target", "spec_version", "error" (only when the check could
//	 not be completed), "notes" (only when there are any),
//	 "summary": {"checks", "passed", "drifted", "skipped", "errors",
//	             "exchanges", "drift", "warnings", "more_findings"},
//	 "checks": [{"name", "result", "reason", "exchanges"}],
//	 "finding_groups": [{"severity", "operation", "rule", "pattern", "count",
//	                     "exchanges", "first_pointer", "first_check", "message"}],
//	 "exchanges": [{"check", "name", "operation", "method", "url", "status",
//	                "findings": [{"severity", "pointer", "rule", "message"}],
//	                "more_findings"}]}
//
// summary.drift and summary.warnings count findings; summary.skipped counts
// planned checks that did not run whole; every finding is listed under its
// exchange. Strings are cut to a sane length; JSON escapes the rest.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Mode:        orNone(r.Mode),
		Target:      textcut.Cut(r.Target, maxTargetLen),
		SpecVersion: textcut.Cut(r.SpecVersion, maxNameLen),
		SpecFile:    textcut.Cut(r.SpecFile, maxTargetLen),
		Error:       textcut.Cut(r.Error, maxErrorLen),
		Summary:     jsonSummary{Verdict: r.Verdict(), Summary: r.Summary()},
		Checks:      make([]jsonCheck, 0, len(r.Checks)),
		Groups:      []jsonGroup{},
		Exchanges:   make([]jsonExchange, 0, len(r.Exchanges)),
	}
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, textcut.Cut(n, maxErrorLen))
	}
	if r.Pace != nil {
		out.Pace = &jsonPace{Budget: textcut.Cut(r.Pace.Budget, maxNameLen), WaitedMS: r.Pace.Waited.Milliseconds()}
	}
	for _, c := range r.Checks {
		jc := jsonCheck{Name: textcut.Cut(c.Name, maxNameLen), Result: r.Outcome(c), Exchanges: r.ExchangesOf(c.Name)}
		jc.Reason = textcut.Cut(firstNonEmpty(c.Error, c.Skipped), maxErrorLen)
		out.Checks = append(out.Checks, jc)
	}
	for _, g := range r.Groups() {
		out.Groups = append(out.Groups, jsonGroup{
			Severity: string(g.Severity), Operation: g.Operation, Rule: textcut.Cut(g.Rule, maxNameLen), Pattern: textcut.Cut(g.Pattern, maxPointerLen),
			Count: g.Count, Exchanges: g.Exchanges, FirstPointer: textcut.Cut(g.Example.Pointer, maxPointerLen),
			FirstCheck: textcut.Cut(g.Check, maxNameLen), Message: textcut.Cut(g.Example.Message, maxMessageLen),
		})
	}
	for _, ex := range r.Exchanges {
		je := jsonExchange{
			Check: textcut.Cut(ex.Check, maxNameLen), Name: textcut.Cut(ex.Name, maxNameLen), Operation: ex.Operation, Method: textcut.Cut(ex.Method, maxNameLen),
			URL: textcut.Cut(ex.URL, maxTargetLen), Status: ex.Status, MoreFindings: ex.MoreFindings,
			Findings: make([]jsonFinding, 0, len(ex.Findings)),
		}
		for _, f := range ex.Findings {
			je.Findings = append(je.Findings, jsonFinding{Severity: string(f.Severity), Pointer: textcut.Cut(f.Pointer, maxPointerLen),
				Rule: textcut.Cut(f.Rule, maxNameLen), Message: textcut.Cut(f.Message, maxMessageLen)})
		}
		out.Exchanges = append(out.Exchanges, je)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(escapeUnsafeJSON(buf.Bytes()))
	return err
}

// escapeUnsafeJSON escapes, as \uXXXX, the runes of encoded JSON that
// encoding/json leaves raw but that must not reach a terminal or a CI log
// (textcut.IsUnsafe): DEL, the C1 controls, bidi overrides and other
// invisible format characters, line and paragraph separators. They occur
// only in strings, where the escape means the same rune; the newlines of
// the indentation are kept.
func escapeUnsafeJSON(b []byte) []byte {
	if !bytes.ContainsFunc(b, func(r rune) bool { return r != '\n' && textcut.IsUnsafe(r) }) {
		return b
	}
	out := make([]byte, 0, len(b)+64)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == '\n' || !textcut.IsUnsafe(r) {
			out = append(out, b[:size]...)
		} else if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		b = b[size:]
	}
	return out
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
