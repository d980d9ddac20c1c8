package report_test

import (
	"fmt"
	"os"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
)

// A new field on every task of a page is one group, whatever the number of
// tasks: the pointer pattern has "*" for the array index.
func ExampleReport_Groups() {
	r := &report.Report{Mode: report.ModeReplay, Checks: []report.PlannedCheck{{Name: "page-1.json"}}}
	ex := report.Exchange{Check: "page-1.json", Operation: "listRunTasks", Status: 200}
	for i := range 50 {
		ex.Findings = append(ex.Findings, drift.Finding{Severity: drift.SeverityWarning, Rule: drift.RuleUndocumentedField,
			Pointer: fmt.Sprintf("/data/%d/brand_new", i), Message: `field "brand_new" is not in the schema`})
	}
	r.Exchanges = append(r.Exchanges, ex)
	for _, g := range r.Groups() {
		fmt.Println(g.Operation, g.Rule, g.Pattern, g.Count, g.Example.Pointer)
	}
	// Output:
	// listRunTasks undocumented-field /data/*/brand_new 50 /data/0/brand_new
}

// The first line of every text report names the mode; a planned check that
// did not run is listed with its reason, and the report does not pass.
func ExampleWriteText() {
	r := &report.Report{
		Mode: report.ModeLive, Target: "the API at https://go.tallyfy.com/api", SpecVersion: "0.2.0",
		Checks: []report.PlannedCheck{
			{Name: "org tasks, first pages"},
			{Name: "org tasks, one-off tasks", Skipped: "not run: the request budget of 1 planned requests was reached"},
		},
		Exchanges: []report.Exchange{{Check: "org tasks, first pages", Operation: "listOrgTasks", Status: 200}},
	}
	if err := report.WriteText(os.Stdout, r, report.TextOptions{}); err != nil {
		panic(err)
	}
	fmt.Println("complete:", r.Complete())
	// Output:
	// mode: live (the API at https://go.tallyfy.com/api)
	// spec: 0.2.0
	//
	// checks:
	// pass   org tasks, first pages (1 exchange)
	// skip   org tasks, one-off tasks: not run: the request budget of 1 planned requests was reached
	//
	// 2 planned checks: 1 passed, 0 drifted, 1 skipped, 0 errors; 1 exchanges, 0 drift findings, 0 warnings
	// complete: false
}

// The Markdown report is made for a CI job summary (in GitHub Actions,
// append it to $GITHUB_STEP_SUMMARY): the mode as a heading, the verdict,
// the finding groups as a table, the checks that did not pass, and every
// planned check in a folded list.
func ExampleWriteMarkdown() {
	r := &report.Report{
		Mode: report.ModeReplay, Target: "2 recordings in testdata", SpecVersion: "0.2.0",
		Checks: []report.PlannedCheck{{Name: "page-1.json"}, {Name: "page-2.json"}},
	}
	for _, name := range []string{"page-1.json", "page-2.json"} {
		ex := report.Exchange{Check: name, Operation: "listRunTasks", Status: 200}
		if name == "page-2.json" {
			ex.Findings = []drift.Finding{{Severity: drift.SeverityDrift, Rule: "enum", Pointer: "/data/4/status",
				Message: `string "paused" is not one of the allowed values`}}
		}
		r.Exchanges = append(r.Exchanges, ex)
	}
	if err := report.WriteMarkdown(os.Stdout, r); err != nil {
		panic(err)
	}
	// Output:
	// ### tallyfy-drift · mode: replay
	//
	// Checked `2 recordings in testdata` against spec `0.2.0`.
	//
	// **Drift found.**
	//
	// 2 planned checks: 1 passed, 1 drifted, 0 skipped, 0 errors; 2 exchanges, 1 drift findings, 0 warnings.
	//
	// #### Findings, grouped by operation, rule and pointer pattern
	//
	// | severity | operation | rule | pointer pattern | count | first pointer | in check | message |
	// |---|---|---|---|---|---|---|---|
	// | drift | `listRunTasks` | `enum` | `/data/*/status` | 1 finding | `/data/4/status` | `page-2.json` | `string "paused" is not one of the allowed values` |
	//
	// #### Checks that did not pass
	//
	// | result | check | exchanges | reason |
	// |---|---|---|---|
	// | drifted | `page-2.json` | 1 |  |
	//
	// <details><summary>All 2 planned checks</summary>
	//
	// | result | check | exchanges |
	// |---|---|---|
	// | passed | `page-1.json` | 1 |
	// | drifted | `page-2.json` | 1 |
	//
	// </details>
}
