package report

import (
	"github.com/tallyfy-go/tallyfy/drift"
)

// Group is every finding of one kind: the same operation, rule, severity
// and pointer pattern (drift.PointerPattern: array indexes as "*"). One new
// field on every task of every page is one group, not a line per task.
type Group struct {
	Severity  drift.Severity // drift, or warning for an additive change
	Operation string         // operationId, or "" when no route matched
	Rule      string         // the findings' rule (see drift.Finding.Rule)
	Pattern   string         // "/data/*/brand_new"
	// Count is the number of findings in the group; Exchanges the number of
	// exchanges they are spread over.
	Count, Exchanges int
	// First is the first finding of the group, with its concrete pointer
	// and message; FirstCheck names the planned check it came from.
	First      drift.Finding
	FirstCheck string
}

type groupKey struct {
	severity                 drift.Severity
	operation, rule, pattern string
}

// Groups returns the report's findings grouped, drift before warnings,
// each in the order its first finding was found.
func (r *Report) Groups() []Group { return groupFindings(r.Exchanges) }

// groupFindings groups the findings of exchanges; see Report.Groups.
func groupFindings(exchanges []Exchange) []Group {
	index := map[groupKey]int{}
	var groups []Group
	for _, ex := range exchanges {
		seen := map[int]bool{}
		for _, f := range ex.Findings {
			k := groupKey{f.Severity, ex.Operation, f.Rule, drift.PointerPattern(f.Pointer)}
			i, ok := index[k]
			if !ok {
				i = len(groups)
				index[k] = i
				groups = append(groups, Group{
					Severity: f.Severity, Operation: ex.Operation, Rule: f.Rule, Pattern: k.pattern,
					First: f, FirstCheck: ex.Check,
				})
			}
			groups[i].Count++
			if !seen[i] {
				seen[i] = true
				groups[i].Exchanges++
			}
		}
	}
	out := make([]Group, 0, len(groups))
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

// operationLabel is the group's operation, or "(no route)".
func (g Group) operationLabel() string {
	if g.Operation == "" {
		return "(no route)"
	}
	return g.Operation
}

// MaxGroupsShown bounds the finding groups the text, Markdown and JUnit
// reports list; the JSON report lists every finding.
const MaxGroupsShown = 50
