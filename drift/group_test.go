package drift_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

// A group is an operation, a rule and a pointer pattern: the array indexes
// of a pointer and the severity of a finding do not part findings.
func TestGroupKeyOf(t *testing.T) {
	key := drift.GroupKey{Operation: "listRunTasks", Rule: "enum", Pattern: "/data/*/status"}
	for _, f := range []drift.Finding{
		{Operation: "listRunTasks", Rule: "enum", Pointer: "/data/3/status", Severity: drift.SeverityDrift},
		{Operation: "listRunTasks", Rule: "enum", Pointer: "/data/41/status", Severity: drift.SeverityWarning},
		{Rule: "enum", Pointer: "/data/0/status"}, // no route: the operation given stands in
	} {
		assert.Equal(t, key, drift.GroupKeyOf(f, "listRunTasks"), f.Pointer)
	}
	assert.Equal(t, "listOrgTasks", drift.GroupKeyOf(drift.Finding{Operation: "listOrgTasks"}, "listRunTasks").Operation,
		"the finding's own operation wins")
	assert.Equal(t, drift.GroupKey{Rule: drift.RuleRoute}, drift.GroupKeyOf(drift.Finding{Rule: drift.RuleRoute}, ""))
}

// The Observer keeps a group's severity as reports do: drift once one of
// its findings is. A findings-omitted finding is a warning when it counts
// warnings only, drift when it counts drift.
func TestObserverGroupTurnsDrift(t *testing.T) {
	crowded := func(status string) drift.Exchange {
		p := page(drift.MaxFindings + 1)
		for i := range drift.MaxFindings + 1 {
			dataTask(p, i)["brand_new"] = i
			dataTask(p, i)["also_new"] = i
			dataTask(p, i)["status"] = status
		}
		return runTasks(t, http.StatusOK, p)
	}
	o := newObserver(t, drift.SampleRate(1), drift.ReportTo(func(drift.FindingGroup) {}))
	for _, status := range []string{"completed", "paused"} {
		offer(o.Hook(), observedOf(crowded(status), "listRunTasks"))
	}
	closeObserver(t, o)
	var omitted []drift.FindingGroup
	for _, g := range o.Groups() {
		if g.Rule == drift.RuleFindingsOmitted {
			omitted = append(omitted, g)
		}
	}
	require.Len(t, omitted, 1, "one group, whatever the severity")
	assert.Equal(t, drift.SeverityDrift, omitted[0].Severity)
	assert.Equal(t, 2, omitted[0].Total)
}
