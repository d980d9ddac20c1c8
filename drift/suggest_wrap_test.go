package drift

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescriptionWrapKeepsParagraphsAndIndentsListItems(t *testing.T) {
	text := "Observed on 2026-12-06 in a response that the spec did not describe, so a reviewer should look.\n" +
		"- first item whose words run on well past the width of one line of text\n" +
		"- second"
	lines := strings.Split(wrap(text, 40), "\n")
	for _, line := range lines {
		assert.LessOrEqual(t, len(line), 40, line)
	}
	assert.Equal(t, strings.Fields(text), strings.Fields(strings.Join(lines, " ")), "no word is lost")
	var items, continued int
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "- "):
			items++
		case strings.HasPrefix(line, "  "):
			continued++
		}
	}
	assert.Equal(t, 2, items, "each list item starts its own line")
	assert.Positive(t, continued, "a long item continues indented under its text")
	assert.Equal(t, "- second", lines[len(lines)-1])
}
