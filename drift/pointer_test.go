package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestJoinPointer(t *testing.T) {
	assert.Equal(t, "", joinPointer(nil))
	assert.Equal(t, "/data/0/title", joinPointer([]string{"data", "0", "title"}))
	assert.Equal(t, "/a~1b/c~0d", joinPointer([]string{"a/b", "c~d"}))
}
