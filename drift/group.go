package drift

import (
	"cmp"
	"time"
)

// GroupKey is what makes findings one group: the same operation, rule and
// pointer pattern. The Observer and the drift check's reports (package
// drift/report) both group findings by it; GroupKeyOf computes it.
type GroupKey struct {
	// Operation is the operationId of the findings' exchanges, e.g.
	// "listRunTasks"; "" when no route matched.
	Operation string
	// Rule is the findings' rule (see Finding.Rule).
	Rule string
	// Pattern is the findings' pointer with array indexes as "*" (see
	// PointerPattern), e.g. "/data/*/brand_new".
	Pattern string
}

// GroupKeyOf returns the key of the group f belongs to. operation stands
// in for f.Operation when that is empty (no route matched): the name the
// caller knows the exchange by, or "".
func GroupKeyOf(f Finding, operation string) GroupKey {
	return GroupKey{Operation: cmp.Or(f.Operation, operation), Rule: f.Rule, Pattern: PointerPattern(f.Pointer)}
}

// compare orders keys by operation, rule, then pattern.
func (k GroupKey) compare(other GroupKey) int {
	return cmp.Or(cmp.Compare(k.Operation, other.Operation), cmp.Compare(k.Rule, other.Rule), cmp.Compare(k.Pattern, other.Pattern))
}

// FindingGroup is the findings that share a GroupKey: one new field on
// every task of every page is one group, not a finding per task. An
// Observer reports a group when it first sees it, and again after
// RepeatAfter; a report of a drift check (package drift/report) lists each
// group once, with every finding counted. Each field says which of the two
// fills it.
type FindingGroup struct {
	// GroupKey is the group's operation, rule and pointer pattern (both).
	GroupKey
	// Severity is the findings' severity (both); drift when they differ,
	// as a findings-omitted finding is drift or a warning by what it
	// counts.
	Severity Severity
	// Example is one finding of the group, with its concrete pointer,
	// message, status and URL (both). In the Observer, a finding of the
	// response that led to this report; in a report, the group's first
	// finding of its severity.
	Example Finding
	// Check names the planned check that Example came from (reports only;
	// "" in the Observer).
	Check string
	// Count is how many findings the group counts (both): in a report,
	// all of them; in the Observer, those since the group's last report,
	// this report's response included (in a first report, the findings of
	// the response it was first seen in).
	Count int
	// Total is how many findings of the group came in all (both): since
	// the Observer started; in a report, the same as Count.
	Total int
	// Exchanges is how many exchanges the findings are spread over
	// (reports only; 0 in the Observer).
	Exchanges int
	// FirstSeen and LastSeen are when responses with the group's findings
	// arrived, by the Observer's clock (the Observer only; zero in a
	// report).
	FirstSeen, LastSeen time.Time
}
