package gen_test

import (
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
)

const (
	orgID = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	runID = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
)

func day(s string) *openapi_types.Date {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &openapi_types.Date{Time: d}
}

// The server URL ends in a slash, as gen.NewClient makes it: without one,
// URL resolution drops the last path segment ("/api").
func TestListRunTasksRequestSendsEveryParameter(t *testing.T) {
	params := &gen.ListRunTasksParams{
		Status:             new(gen.ListRunTasksParamsStatusIncomplete),
		Owners:             new([]int{12, 34}),
		Guests:             new([]string{"a@example.com", "b@example.com"}),
		Groups:             new([]string{"g1", "g2"}),
		Unassigned:         new(true),
		DeadlineStartRange: day("2025-05-01"),
		DeadlineEndRange:   day("2025-05-31"),
		DeadlineOn:         day("2025-05-15"),
		DeadlineBefore:     day("2025-06-01"),
		DeadlineAfter:      day("2025-04-30"),
		With:               new([]gen.ListRunTasksParamsWith{gen.ListRunTasksParamsWithStep, gen.ListRunTasksParamsWithFormFields}),
		Page:               new(2),
		PerPage:            new(50),
		Sort:               new(gen.ListRunTasksParamsSortMinusDeadline),
		WithoutPagination:  new(false),
		XTallyfyClient:     new("APIClient"),
	}
	req, err := gen.NewListRunTasksRequest("https://go.tallyfy.com/api/", orgID, runID, params)
	require.NoError(t, err)

	assert.Equal(t, "GET", req.Method)
	assert.Equal(t, "/api/organizations/"+orgID+"/runs/"+runID+"/tasks", req.URL.Path)
	assert.Equal(t,
		"status=incomplete&owners=12,34&guests=a%40example.com,b%40example.com&groups=g1,g2&unassigned=true"+
			"&deadline_start_range=2025-05-01&deadline_end_range=2025-05-31&deadline_on=2025-05-15"+
			"&deadline_before=2025-06-01&deadline_after=2025-04-30&with=step,form_fields"+
			"&page=2&per_page=50&sort=-deadline&without_pagination=false",
		req.URL.RawQuery)
	assert.Equal(t, "APIClient", req.Header.Get("X-Tallyfy-Client"))
}

func TestListOrgTasksRequestSendsEveryParameter(t *testing.T) {
	params := &gen.ListOrgTasksParams{
		Q:                  new("onboarding call"),
		Status:             new(gen.ListOrgTasksParamsStatusOverdue),
		Owners:             new([]int{7}),
		Guests:             new([]string{"c@example.com"}),
		Roles:              new([]string{"r1", "r2"}),
		Groups:             new([]string{"g1"}),
		Tag:                new("VIP"),
		Folder:             new("f1"),
		Created:            new("2025-01-01:2025-01-31"),
		IsOneoff:           new(true),
		Unassigned:         new(false),
		Archived:           new(gen.ListOrgTasksParamsArchivedOnly),
		DeadlineStartRange: day("2025-05-01"),
		DeadlineEndRange:   day("2025-05-31"),
		DeadlineOn:         day("2025-05-15"),
		DeadlineBefore:     day("2025-06-01"),
		DeadlineAfter:      day("2025-04-30"),
		With:               new([]gen.ListOrgTasksParamsWith{gen.ListOrgTasksParamsWithRun, gen.ListOrgTasksParamsWithRunChecklist, gen.ListOrgTasksParamsWithTags}),
		Page:               new(1),
		PerPage:            new(100),
		Sort:               new(gen.ListOrgTasksParamsSortMinusNewest),
		WithoutPagination:  new(true),
	}
	req, err := gen.NewListOrgTasksRequest("https://go.tallyfy.com/api/", orgID, params)
	require.NoError(t, err)

	assert.Equal(t, "/api/organizations/"+orgID+"/tasks", req.URL.Path)
	assert.Equal(t,
		"q=onboarding+call&status=overdue&owners=7&guests=c%40example.com&roles=r1,r2&groups=g1&tag=VIP&folder=f1"+
			"&created=2025-01-01%3A2025-01-31&is_oneoff=true&unassigned=false&archived=only"+
			"&deadline_start_range=2025-05-01&deadline_end_range=2025-05-31&deadline_on=2025-05-15"+
			"&deadline_before=2025-06-01&deadline_after=2025-04-30&with=run,run.checklist,tags"+
			"&page=1&per_page=100&sort=-newest&without_pagination=true",
		req.URL.RawQuery)
	assert.Empty(t, req.Header.Get("X-Tallyfy-Client"), "the generated client sends the header only when set")
}

func TestNilParamsSendNoQuery(t *testing.T) {
	req, err := gen.NewListOrgTasksRequest("https://go.tallyfy.com/api/", orgID, nil)
	require.NoError(t, err)
	assert.Empty(t, req.URL.RawQuery)
}
