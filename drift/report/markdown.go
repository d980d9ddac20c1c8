package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown, for a CI
// job summary (append it to $GITHUB_STEP_SUMMARY): the mode as a heading,
// the verdict and the notes, the finding groups as a table (at most
// MaxGroupsShown), the checks that did not pass (consecutive checks that
// did not run for one reason in one row), the spec changes the check
// proposed (in a folded list, target and summary of each overlay action,
// at most MaxGroupsShown), and every planned check in a folded list.
// Text from servers and files is cut, escaped and shown as code, so it can
// neither format the page nor break a table.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	s := r.Summary()
	fmt.Fprintf(&b, "### tallyfy-drift · mode: %s\n\n", orNone(r.Mode))
	if r.Target != "" {
		fmt.Fprintf(&b, "Checked %s against spec %s.\n\n", mdCode(r.Target, maxTargetLen), mdCode(r.SpecLabel(), maxTargetLen))
	}
	if pace := r.PaceLine(); pace != "" {
		fmt.Fprintf(&b, "Pace: %s.\n\n", mdCode(pace, maxTargetLen))
	}
	switch {
	case r.Error != "":
		fmt.Fprintf(&b, "**The check could not be completed:** %s\n\n", mdCode(r.Error, maxErrorLen))
	case s.Drift > 0:
		b.WriteString("**Drift found.**\n\n")
	case !r.Complete():
		b.WriteString("**Not every planned check ran.**\n\n")
	default:
		b.WriteString("**Everything conforms.**\n\n")
	}
	fmt.Fprintf(&b, "%s.\n", summaryLine(s))
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", mdCode(n, maxErrorLen))
	}

	groups := r.Groups()
	if len(groups) > 0 {
		b.WriteString("\n#### Findings, grouped by operation, rule and pointer pattern\n\n")
		b.WriteString("| severity | operation | rule | pointer pattern | count | first pointer | in check | message |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|\n")
	}
	shown, more := shownGroups(groups)
	for _, g := range shown {
		sev := "drift"
		if g.Severity != drift.SeverityDrift {
			sev = "warning"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", sev, mdCode(operationLabel(g.Operation), maxNameLen),
			mdCode(g.Rule, maxNameLen), mdCode(pointerLabel(g.Pattern), maxPointerLen), occurrences(g),
			mdCode(pointerLabel(g.Example.Pointer), maxPointerLen), mdCode(g.Check, maxNameLen), mdCode(g.Example.Message, maxMessageLen))
	}
	if more != "" {
		fmt.Fprintf(&b, "\n%s.\n", more)
	}

	var notPassed []PlannedCheck
	for _, c := range r.Checks {
		if r.Outcome(c) != Passed {
			notPassed = append(notPassed, c)
		}
	}
	if len(notPassed) > 0 {
		b.WriteString("\n#### Checks that did not pass\n\n| result | check | exchanges | reason |\n|---|---|---|---|\n")
		for _, c := range r.checkRuns(notPassed) {
			name := mdCode(c.Name, maxNameLen)
			if c.n > 1 {
				name = fmt.Sprintf("%d checks, %s to %s", c.n, name, mdCode(c.last, maxNameLen))
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", r.Outcome(c.PlannedCheck), name, r.ExchangesOf(c.Name),
				mdCode(firstNonEmpty(c.Error, c.Skipped), maxErrorLen))
		}
	}
	writeSuggested(&b, r.Suggested)
	if len(r.Checks) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>All %d planned checks</summary>\n\n| result | check | exchanges |\n|---|---|---|\n", len(r.Checks))
		for _, c := range r.Checks {
			fmt.Fprintf(&b, "| %s | %s | %d |\n", r.Outcome(c), mdCode(c.Name, maxNameLen), r.ExchangesOf(c.Name))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSuggested writes the overlay actions a check proposed as a folded
// table: each action's target and summary, and the command that applies
// them.
func writeSuggested(b *strings.Builder, sug *Suggested) {
	if sug == nil || len(sug.Actions) == 0 {
		return
	}
	noun := "actions"
	if len(sug.Actions) == 1 {
		noun = "action"
	}
	fmt.Fprintf(b, "\n<details><summary>Proposed spec changes: %d overlay %s in %s</summary>\n\n| target | change |\n|---|---|\n",
		len(sug.Actions), noun, mdCode(sug.File, maxNameLen))
	for i, a := range sug.Actions {
		if i == MaxGroupsShown {
			fmt.Fprintf(b, "\n… %d more actions (the overlay lists every one).\n", len(sug.Actions)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s |\n", mdCode(a.Target, maxPointerLen), mdCode(a.Summary, maxMessageLen))
	}
	fmt.Fprintf(b, "\nReview the overlay, then fold it into openapi.yaml: %s.\n\n</details>\n",
		mdCode("make apply-overlay OVERLAY="+sug.File, maxTargetLen))
}

// mdCode shows text from a server or a file as a Markdown code span: one
// safe line (textcut.Line), fenced by more backticks than it holds, with
// "|" escaped so that it cannot end a table cell. "" stays "".
func mdCode(s string, max int) string {
	s = textcut.Line(s, max)
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
