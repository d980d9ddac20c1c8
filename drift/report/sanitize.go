package report

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// Lengths that text from servers and files is cut to in a report: enough
// to read, too little to flood a CI log.
const (
	maxPointerLen = 200
	maxMessageLen = 300
	maxNameLen    = 120
	maxTargetLen  = 300
	maxErrorLen   = 600
)

// OneLine makes text from a server or a file safe to print on one line of
// a log, as the reports print such text: cut to at most max bytes, with
// control characters, bidi overrides and line separators escaped as \uXXXX.
func OneLine(s string, max int) string { return clean(s, max) }

// clean makes text from a server or a file safe to print on one line of a
// report: cut to at most max bytes, then every control character (ANSI
// escapes, newlines, tabs), every invisible format character (bidi
// overrides) and every line or paragraph separator escaped as \uXXXX. What
// comes out cannot start a line of its own, so it cannot fake a report line
// or a CI runner's command (GitHub's "::error::").
func clean(s string, max int) string {
	return printable(cut(s, max))
}

// cut shortens s to at most max bytes, ending in "…" (see textcut.Cut).
func cut(s string, max int) string { return textcut.Cut(s, max) }

// printable escapes the runes that must not reach a terminal or a log
// verbatim; see clean.
func printable(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
