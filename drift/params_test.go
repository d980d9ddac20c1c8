package drift_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

// param returns the parameter of ps named name.
func param(t *testing.T, ps []drift.QueryParameter, name string) drift.QueryParameter {
	t.Helper()
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	require.Failf(t, "no such parameter", "%s in %v", name, ps)
	return drift.QueryParameter{}
}

func TestQueryParametersListEachParameterWithItsValues(t *testing.T) {
	ps := validator.QueryParameters("listOrgTasks")
	require.NotEmpty(t, ps)
	for _, p := range ps {
		assert.NotContains(t, []string{"org_id", "X-Tallyfy-Client"}, p.Name, "path and header parameters are left out")
	}
	with := param(t, ps, "with")
	assert.Equal(t, "array", with.Type)
	assert.Contains(t, with.Enum, "selected_text_comment", "an array's values are its items'")
	archived := param(t, ps, "archived")
	assert.Equal(t, drift.QueryParameter{Name: "archived", Type: "string", Enum: []string{"true", "only"}}, archived)
	assert.Equal(t, drift.QueryParameter{Name: "is_oneoff", Type: "boolean"}, param(t, ps, "is_oneoff"))
	assert.Nil(t, validator.QueryParameters("getTask"), "an operation the spec does not have")
}

// addRunStatus returns openapi.yaml with value added, first, to the enum of
// listRunTasks' status filter: a copy of the spec as a maintainer edits it.
func addRunStatus(t *testing.T, value string) []byte {
	t.Helper()
	doc, err := os.ReadFile("../openapi.yaml")
	require.NoError(t, err)
	const enum = "enum: [complete, active,"
	require.Equal(t, 1, strings.Count(string(doc), enum), "the status enum of listRunTasks")
	return []byte(strings.Replace(string(doc), enum, "enum: ["+value+", complete, active,", 1))
}

// A value added to a copy of the spec is one of the values.
func TestQueryParametersFollowTheSpec(t *testing.T) {
	const added = "x_added_by_a_test" // a value no spec will have
	v, err := drift.NewValidator(drift.WithSpec(addRunStatus(t, added)))
	require.NoError(t, err)
	assert.Contains(t, param(t, v.QueryParameters("listRunTasks"), "status").Enum, added)
	assert.NotContains(t, param(t, validator.QueryParameters("listRunTasks"), "status").Enum, added)
}
