package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuoteCutsAValueWithTheMarkerOutsideTheQuotes(t *testing.T) {
	assert.Equal(t, `"0123456789012345678901234567890123456789"`, quote("0123456789012345678901234567890123456789"))
	assert.Equal(t, `"0123456789012345678901234567890123456"…`, quote("0123456789012345678901234567890123456789X"))
	assert.Equal(t, `"żółw żółw żółw żółw żó"…`, quote("żółw żółw żółw żółw żółw żółw żółw"),
		"cut in bytes, never inside a rune")
}
