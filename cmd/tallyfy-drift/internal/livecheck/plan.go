package livecheck

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/gen"
)

// step is one part of a live check: one request, or a walk over pages.
type step struct {
	label    string
	needsRun bool // the step lists a run's tasks: a 404 may be the run's
	// pages is the most planned requests the step makes: 1 for one page,
	// the cap of a walk, 0 for a walk without a cap.
	pages int
	// skip, when set, is why the step cannot run: the spec asks for a
	// parameter the generated client cannot send. It is reported skipped.
	skip string
	run  func(x *execution) error
}

// Page caps keep a check bounded: with them, the plan makes at most
// plannedRequests requests.
const (
	maxRunPagesDefault = 10 // pages walked at the default page size
	maxRunPagesBig     = 5  // pages walked at per_page=100
	maxOrgPages        = 2
)

// The operations the plan asks for, by operationId.
const (
	opRunTasks = "listRunTasks"
	opOrgTasks = "listOrgTasks"
)

// plan lists the steps of a live check, in order. It is built from the
// spec v holds, so that a value added to the spec is asked for on the next
// run: for each operation, the page walks, then one page per value the spec
// lists for a query parameter (each include alone and all of them
// together, each value of each filter, each sort order), then the flags
// (without_pagination for a run, is_oneoff for the organization). With
// allPages, the page walks have no cap.
func plan(v *drift.Validator, orgID, runID string, allPages bool) []step {
	var steps []step
	if runID != "" {
		steps = append(steps, runSteps(v, orgID, runID, allPages)...)
	}
	return append(steps, orgSteps(v, orgID, allPages)...)
}

// plannedRequests is the most planned requests steps make, or -1 when a
// walk has no cap.
func plannedRequests(steps []step) int {
	n := 0
	for _, s := range steps {
		switch {
		case s.skip != "":
		case s.pages == 0:
			return -1
		default:
			n += s.pages
		}
	}
	return n
}

// pageCap is cap, or 0 (no cap) with allPages.
func pageCap(cap int, allPages bool) int {
	if allPages {
		return 0
	}
	return cap
}

func runSteps(v *drift.Validator, orgID, runID string, allPages bool) []step {
	const prefix = "run tasks, "
	page := func(label string, p gen.ListRunTasksParams) step {
		return step{label: prefix + label, needsRun: true, pages: 1, run: func(x *execution) error {
			return x.runTasksPage(orgID, runID, p)
		}}
	}
	walk := func(label string, p gen.ListRunTasksParams, pages int) step {
		return step{label: prefix + label, needsRun: true, pages: pages, run: func(x *execution) error {
			return x.walkRunTasks(orgID, runID, p, pages)
		}}
	}
	steps := []step{
		walk("every page", gen.ListRunTasksParams{}, pageCap(maxRunPagesDefault, allPages)),
		walk("every page at per_page=100", gen.ListRunTasksParams{PerPage: new(100)}, pageCap(maxRunPagesBig, allPages)),
	}
	steps = append(steps, valueSteps(v.QueryParameters(opRunTasks), prefix, page)...)
	return append(steps, page("without_pagination", gen.ListRunTasksParams{WithoutPagination: new(true)}))
}

func orgSteps(v *drift.Validator, orgID string, allPages bool) []step {
	const prefix = "org tasks, "
	page := func(label string, p gen.ListOrgTasksParams) step {
		return step{label: prefix + label, pages: 1, run: func(x *execution) error {
			return x.orgTasksPage(orgID, p)
		}}
	}
	pages := pageCap(maxOrgPages, allPages)
	steps := []step{{label: prefix + "first pages", pages: pages, run: func(x *execution) error {
		return x.walkOrgTasks(orgID, gen.ListOrgTasksParams{}, pages)
	}}}
	steps = append(steps, valueSteps(v.QueryParameters(opOrgTasks), prefix, page)...)
	return append(steps, page("one-off tasks", gen.ListOrgTasksParams{IsOneoff: new(true)}))
}

// valueSteps plans one page per value the spec lists for a query parameter
// of params: each include (with=) alone, then all of them together; each
// value of each filter, in the spec's order; each sort order. P is the
// operation's generated parameters; a value is sent through the typed
// client, converted to the parameter's generated type, which takes a value
// the generated code does not name yet. A parameter the generated client
// has no field for (a spec given with --spec that gen was not regenerated
// from) is planned, and skipped with the reason.
func valueSteps[P any](params []drift.QueryParameter, prefix string, page func(label string, p P) step) []step {
	var includes, filters, sorts []step
	one := func(label, name string, values ...string) step {
		p, err := withParam[P](name, values)
		if err != nil {
			return step{label: prefix + label, skip: "not run: " + err.Error()}
		}
		return page(label, p)
	}
	for _, q := range params {
		if len(q.Enum) == 0 {
			continue
		}
		switch q.Name {
		case "with":
			for _, v := range q.Enum {
				includes = append(includes, one("with="+v, q.Name, v))
			}
			includes = append(includes, one("every include", q.Name, q.Enum...))
		case "sort":
			for _, v := range q.Enum {
				sorts = append(sorts, one("sort="+v, q.Name, v))
			}
		default:
			for _, v := range q.Enum {
				filters = append(filters, one(q.Name+"="+v, q.Name, v))
			}
		}
	}
	return append(append(includes, filters...), sorts...)
}

// withParam returns parameters P (a generated parameters struct) with the
// field of query parameter name set: to values[0] for a single value, to
// every value for a list (sent comma-joined). The field is the one whose
// form tag names the parameter, as oapi-codegen writes it.
func withParam[P any](name string, values []string) (P, error) {
	var p P
	rv := reflect.ValueOf(&p).Elem()
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("form"), ","); tag != name {
			continue
		}
		if f.Type.Kind() != reflect.Pointer {
			break
		}
		switch elem := f.Type.Elem(); {
		case elem.Kind() == reflect.String && len(values) == 1:
			v := reflect.New(elem)
			v.Elem().SetString(values[0])
			rv.Field(i).Set(v)
			return p, nil
		case elem.Kind() == reflect.Slice && elem.Elem().Kind() == reflect.String:
			list := reflect.MakeSlice(elem, len(values), len(values))
			for j, value := range values {
				list.Index(j).SetString(value)
			}
			v := reflect.New(elem)
			v.Elem().Set(list)
			rv.Field(i).Set(v)
			return p, nil
		}
		return p, fmt.Errorf("%s.%s (%s) cannot carry the values of query parameter %q", rt, f.Name, f.Type, name)
	}
	return p, fmt.Errorf("%s has no field for query parameter %q of the spec (run make generate)", rt, name)
}
