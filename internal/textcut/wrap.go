package textcut

import "strings"

// Wrap breaks text at white space into lines of at most width bytes where
// it can: a word longer than width stands on a line of its own, whole.
// The text's own line breaks count as spaces; an empty text gives no line.
func Wrap(text string, width int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = word
		case len(cur)+1+len(word) > width:
			lines = append(lines, cur)
			cur = word
		default:
			cur += " " + word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
