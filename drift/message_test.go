package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTruncate(t *testing.T) {
	assert.Equal(t, "abc", truncate("abc", 3))
	assert.Equal(t, "ab…", truncate("abc", 2))
	assert.Equal(t, "żó…", truncate("żółw", 2), "cuts runes, not bytes")
	assert.Equal(t, `"0123456789012345678901234567890123456789…"`, quote("0123456789012345678901234567890123456789X"))
}
