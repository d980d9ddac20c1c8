package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBasePathCandidates(t *testing.T) {
	assert.Equal(t, []string{"/api/organizations/o/tasks", "/organizations/o/tasks", "/o/tasks", "/tasks"},
		basePathCandidates("/api/organizations/o/tasks"))
	assert.Equal(t, []string{"/"}, basePathCandidates(""))
	assert.Equal(t, []string{"/a/"}, basePathCandidates("/a/"), "a trailing slash is left to the router")
}
