package specfixture_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/specfixture"
)

func TestTaskIsAFreshCopyOfTheExample(t *testing.T) {
	a := specfixture.Task()
	a["title"] = "changed"
	b := specfixture.Task()
	assert.NotEqual(t, "changed", b["title"], "a copy per call")
	for name := range b {
		assert.Contains(t, specfixture.TaskFields(), name, "every field of the example is a property of Task")
	}
}

func TestTaskFieldsAreTheTaskProperties(t *testing.T) {
	fields := specfixture.TaskFields()
	for _, required := range []string{"id", "title", "status", "owners", "created_at", "last_updated"} {
		assert.Contains(t, fields, required)
	}
	assert.IsIncreasing(t, fields)
}
