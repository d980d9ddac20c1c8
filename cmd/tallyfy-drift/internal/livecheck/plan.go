package livecheck

import (
	"github.com/tallyfy-go/tallyfy/gen"
)

// step is one part of a live check: one request, or a walk over pages.
type step struct {
	label    string
	needsRun bool // the step lists a run's tasks: a 404 may be the run's
	run      func(x *execution) error
}

// Page caps keep a check bounded: with them, the plan makes at most
// DefaultMaxRequests requests.
const (
	maxRunPagesDefault = 10 // pages walked at the default page size
	maxRunPagesBig     = 5  // pages walked at per_page=100
	maxOrgPages        = 2
)

// plan lists the requests of a live check, in order. With allPages, the
// page walks have no cap.
func plan(orgID, runID string, allPages bool) []step {
	var steps []step
	if runID != "" {
		steps = append(steps, runSteps(orgID, runID, allPages)...)
	}
	return append(steps, orgSteps(orgID, allPages)...)
}

// pageCap is cap, or 0 (no cap) with allPages.
func pageCap(cap int, allPages bool) int {
	if allPages {
		return 0
	}
	return cap
}

func runSteps(orgID, runID string, allPages bool) []step {
	runPage := func(label string, p gen.ListRunTasksParams) step {
		return step{label: "run tasks, " + label, needsRun: true, run: func(x *execution) error {
			return x.runTasksPage(orgID, runID, p)
		}}
	}
	steps := []step{
		{label: "run tasks, every page", needsRun: true, run: func(x *execution) error {
			return x.walkRunTasks(orgID, runID, gen.ListRunTasksParams{}, pageCap(maxRunPagesDefault, allPages))
		}},
		{label: "run tasks, every page at per_page=100", needsRun: true, run: func(x *execution) error {
			return x.walkRunTasks(orgID, runID, gen.ListRunTasksParams{PerPage: new(100)}, pageCap(maxRunPagesBig, allPages))
		}},
	}
	all := runIncludes()
	for _, inc := range all {
		steps = append(steps, runPage("with="+string(inc), gen.ListRunTasksParams{With: &[]gen.ListRunTasksParamsWith{inc}}))
	}
	steps = append(steps, runPage("every include", gen.ListRunTasksParams{With: &all}))
	for _, s := range runStatuses() {
		steps = append(steps, runPage("status="+string(s), gen.ListRunTasksParams{Status: new(s)}))
	}
	for _, s := range []gen.ListRunTasksParamsSort{gen.ListRunTasksParamsSortDeadline, gen.ListRunTasksParamsSortMinusDeadline} {
		steps = append(steps, runPage("sort="+string(s), gen.ListRunTasksParams{Sort: new(s)}))
	}
	return append(steps, runPage("without_pagination", gen.ListRunTasksParams{WithoutPagination: new(true)}))
}

func orgSteps(orgID string, allPages bool) []step {
	orgPage := func(label string, p gen.ListOrgTasksParams) step {
		return step{label: "org tasks, " + label, run: func(x *execution) error {
			return x.orgTasksPage(orgID, p)
		}}
	}
	steps := []step{{label: "org tasks, first pages", run: func(x *execution) error {
		return x.walkOrgTasks(orgID, gen.ListOrgTasksParams{}, pageCap(maxOrgPages, allPages))
	}}}
	all := orgIncludes()
	for _, inc := range all {
		steps = append(steps, orgPage("with="+string(inc), gen.ListOrgTasksParams{With: &[]gen.ListOrgTasksParamsWith{inc}}))
	}
	steps = append(steps, orgPage("every include", gen.ListOrgTasksParams{With: &all}))
	for _, s := range orgStatuses() {
		steps = append(steps, orgPage("status="+string(s), gen.ListOrgTasksParams{Status: new(s)}))
	}
	for _, s := range []gen.ListOrgTasksParamsSort{gen.ListOrgTasksParamsSortNewest, gen.ListOrgTasksParamsSortMinusNewest} {
		steps = append(steps, orgPage("sort="+string(s), gen.ListOrgTasksParams{Sort: new(s)}))
	}
	return append(steps, orgPage("one-off tasks", gen.ListOrgTasksParams{IsOneoff: new(true)}))
}

func runIncludes() []gen.ListRunTasksParamsWith {
	return []gen.ListRunTasksParamsWith{
		gen.ListRunTasksParamsWithStep, gen.ListRunTasksParamsWithThreads, gen.ListRunTasksParamsWithComments,
		gen.ListRunTasksParamsWithAssets, gen.ListRunTasksParamsWithFormFields, gen.ListRunTasksParamsWithActivities,
		gen.ListRunTasksParamsWithRun, gen.ListRunTasksParamsWithRunChecklist, gen.ListRunTasksParamsWithSummary,
	}
}

func orgIncludes() []gen.ListOrgTasksParamsWith {
	return []gen.ListOrgTasksParamsWith{
		gen.ListOrgTasksParamsWithRun, gen.ListOrgTasksParamsWithRunChecklist, gen.ListOrgTasksParamsWithStep,
		gen.ListOrgTasksParamsWithThreads, gen.ListOrgTasksParamsWithAssets, gen.ListOrgTasksParamsWithFormFields,
		gen.ListOrgTasksParamsWithTags, gen.ListOrgTasksParamsWithSummary, gen.ListOrgTasksParamsWithSelectedTextComment,
	}
}

func runStatuses() []gen.ListRunTasksParamsStatus {
	return []gen.ListRunTasksParamsStatus{
		gen.ListRunTasksParamsStatusComplete, gen.ListRunTasksParamsStatusActive, gen.ListRunTasksParamsStatusActiveVisible,
		gen.ListRunTasksParamsStatusIncomplete, gen.ListRunTasksParamsStatusInprogress, gen.ListRunTasksParamsStatusNotStarted,
		gen.ListRunTasksParamsStatusHasproblem, gen.ListRunTasksParamsStatusOverdue, gen.ListRunTasksParamsStatusDueSoon,
	}
}

func orgStatuses() []gen.ListOrgTasksParamsStatus {
	return []gen.ListOrgTasksParamsStatus{
		gen.ListOrgTasksParamsStatusActive, gen.ListOrgTasksParamsStatusComplete, gen.ListOrgTasksParamsStatusIncomplete,
		gen.ListOrgTasksParamsStatusInprogress, gen.ListOrgTasksParamsStatusOverdue, gen.ListOrgTasksParamsStatusDueSoon,
		gen.ListOrgTasksParamsStatusHasproblem, gen.ListOrgTasksParamsStatusNotStarted,
	}
}
