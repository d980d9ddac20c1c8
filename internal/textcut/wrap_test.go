package textcut

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWrapKeepsEachLineWithinWidthAndEveryWord(t *testing.T) {
	text := "the quick brown fox jumps over the lazy dog and keeps running"
	lines := Wrap(text, 16)
	for _, line := range lines {
		assert.LessOrEqual(t, len(line), 16, line)
	}
	assert.Equal(t, strings.Fields(text), strings.Fields(strings.Join(lines, " ")))
	assert.Greater(t, len(lines), 1)
}

func TestWrapLeavesALongWordWholeOnItsOwnLine(t *testing.T) {
	assert.Equal(t, []string{"a", "averyveryverylongword", "b"}, Wrap("a averyveryverylongword b", 8))
}

func TestWrapOfBlankTextIsNoLine(t *testing.T) {
	assert.Empty(t, Wrap(" \n\t ", 10))
}
