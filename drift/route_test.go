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
