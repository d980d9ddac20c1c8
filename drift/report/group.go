package report

import (
	"cmp"
	"fmt"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Groups returns the report's findings grouped by drift.GroupKey
// (operation, rule and pointer pattern): one new field on every task of
// every page is one group, not a line per task. Each group has its
// Severity, Example (its first finding of that severity), Check (the
// planned check the example came from), Count and Total (every finding of
// the group) and Exchanges. Drift comes before warnings, each in the order
// its first finding was found.
func (r *Report) Groups() []drift.FindingGroup { return groupFindings(r.Exchanges) }

// groupFindings groups the findings of exchanges; see Report.Groups.
func groupFindings(exchanges []Exchange) []drift.FindingGroup {
	index := map[drift.GroupKey]int{}
	var groups []drift.FindingGroup
	for _, ex := range exchanges {
		seen := map[int]bool{}
		for _, f := range ex.Findings {
			k := drift.GroupKeyOf(f, ex.Operation)
			i, ok := index[k]
			if !ok {
				i = len(groups)
				index[k] = i
				groups = append(groups, drift.FindingGroup{GroupKey: k, Severity: f.Severity, Example: f, Check: ex.Check})
			}
			g := &groups[i]
			if f.Severity == drift.SeverityDrift && g.Severity != drift.SeverityDrift {
				// The group fails the check: its example is a finding that does.
				g.Severity, g.Example, g.Check = f.Severity, f, ex.Check
			}
			g.Count++
			g.Total++
			if !seen[i] {
				seen[i] = true
				g.Exchanges++
			}
		}
	}
	out := make([]drift.FindingGroup, 0, len(groups))
	for _, sev := range []drift.Severity{drift.SeverityDrift, drift.SeverityWarning} {
		for _, g := range groups {
			if g.Severity == sev {
				out = append(out, g)
			}
		}
	}
	for _, g := range groups {
		if g.Severity != drift.SeverityDrift && g.Severity != drift.SeverityWarning {
			out = append(out, g)
		}
	}
	return out
}

// operationLabel is an operation as reports show it: "(no route)" for "".
func operationLabel(operation string) string { return cmp.Or(operation, "(no route)") }

// MaxGroupsShown bounds the finding groups the text, Markdown and JUnit
// reports list; the JSON report lists every finding.
const MaxGroupsShown = 50

// shownGroups returns the groups the text, Markdown and JUnit reports
// list, at most MaxGroupsShown, and the note that says how many more there
// are ("" when none).
func shownGroups(groups []drift.FindingGroup) (shown []drift.FindingGroup, more string) {
	if len(groups) <= MaxGroupsShown {
		return groups, ""
	}
	return groups[:MaxGroupsShown], fmt.Sprintf("… %d more finding groups (the JSON report lists every finding)", len(groups)-MaxGroupsShown)
}

// moreFindings is the note on findings the validator left out, past
// drift.MaxFindings per exchange.
func moreFindings(n int) string {
	return fmt.Sprintf("%d more findings past the cap of %d per exchange", n, drift.MaxFindings)
}

// checkRun is one row of a report's list of checks: one planned check, or
// a run of consecutive checks that did not run at all, for one reason. A
// check that ends on a 401 leaves every later check "not run" with the
// same reason: the text and Markdown reports say that once, not 45 times.
type checkRun struct {
	PlannedCheck        // the first check of the run
	n            int    // the checks in the run
	last         string // the name of the last, when n > 1
}

// checkRuns folds consecutive checks that were skipped whole (no exchange,
// no error) with the same reason into one run each; every other check is a
// run of its own.
func (r *Report) checkRuns(checks []PlannedCheck) []checkRun {
	var out []checkRun
	for _, c := range checks {
		if n := len(out); n > 0 && r.skippedWhole(c) && r.skippedWhole(out[n-1].PlannedCheck) && out[n-1].Skipped == c.Skipped {
			out[n-1].n++
			out[n-1].last = c.Name
			continue
		}
		out = append(out, checkRun{PlannedCheck: c, n: 1})
	}
	return out
}

// skippedWhole reports whether c did not run at all.
func (r *Report) skippedWhole(c PlannedCheck) bool {
	return r.Outcome(c) == Skipped && r.ExchangesOf(c.Name) == 0
}
