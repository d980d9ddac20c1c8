package drift

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRouteCandidates(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	r := v.router
	require.Equal(t, []int{5, 3}, r.segments, "the spec's paths: /organizations/{org_id}/runs/{run_id}/tasks and /organizations/{org_id}/tasks")

	cases := []struct {
		path string
		want []string
	}{
		{"/api/organizations/o/runs/r/tasks", []string{"/organizations/o/runs/r/tasks", "/runs/r/tasks"}},
		{"/organizations/o/tasks", []string{"/organizations/o/tasks"}},
		{"/custom/prefix/organizations/o/tasks", []string{"/custom/prefix/organizations/o/tasks", "/organizations/o/tasks"}},
		{"/a/custom/prefix/organizations/o/tasks", []string{"/custom/prefix/organizations/o/tasks", "/organizations/o/tasks"}},
		{"/tasks", []string{}},
		{"", []string{}},
		{"/a/b/", []string{"/a/b/"}},
		{strings.Repeat("/", 16000) + "organizations/o/tasks", []string{"///organizations/o/tasks", "/organizations/o/tasks"}},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, r.candidates(tc.path), "%.40q", tc.path)
	}
}

func TestOperationNamesTheRouteUnderAnyBase(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	const org = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	cases := map[string]string{
		"https://go.tallyfy.com/api/organizations/" + org + "/tasks?page=2":                                         "listOrgTasks",
		"https://api.tallyfy.com/organizations/" + org + "/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks":             "listRunTasks",
		"http://127.0.0.1:8080/custom/prefix/organizations/" + org + "/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks": "listRunTasks",
		"https://go.tallyfy.com/api/organizations/" + org + "/projects":                                             "",
		"::": "",
		"https://go.tallyfy.com/api" + strings.Repeat("/", 9000) + "/organizations/" + org + "/tasks": "",
	}
	for u, want := range cases {
		assert.Equal(t, want, v.Operation("get", u), u)
	}
	assert.Equal(t, "", v.Operation("DELETE", "https://go.tallyfy.com/api/organizations/"+org+"/tasks"))
}
