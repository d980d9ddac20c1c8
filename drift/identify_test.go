package drift_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

func TestOperationNamesTheRouteUnderAnyBase(t *testing.T) {
	v, err := drift.NewValidator()
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

func TestSafeURLDropsCredentials(t *testing.T) {
	assert.Equal(t, "https://go.tallyfy.com/api/x?page=1", drift.SafeURL("https://user:pw@go.tallyfy.com/api/x?page=1&access_token=abc#frag"))
}
