// Package textcut shortens text for errors, messages and reports by one
// rule: a bound in bytes that holds for the whole result, a cut that never
// splits a UTF-8 sequence, and one marker, "…", that says text was left
// out.
package textcut

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Marker ends a text that was cut.
const Marker = "…"

// Cut returns s when it is at most limit bytes long. Otherwise it returns
// the longest prefix of s that leaves room for Marker and does not end
// inside a UTF-8 sequence, followed by Marker: at most limit bytes in all.
// Below len(Marker) bytes there is no room for the marker, and the prefix
// comes alone. Bytes that are not UTF-8 are kept as they are; only a
// sequence that the cut would split is left out whole.
func Cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	if limit < len(Marker) {
		return s[:boundary(s, max(limit, 0))]
	}
	return s[:boundary(s, limit-len(Marker))] + Marker
}

// Quote returns s as a Go string literal (strconv.Quote) of at most limit
// bytes of s, cut as by Cut but with Marker after the closing quote, so
// that what stands between the quotes is the value's own text:
// "2026-01-01T0"…. Escaping can make the literal longer than limit.
func Quote(s string, limit int) string {
	if len(s) <= max(limit, 0) {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:boundary(s, max(limit-len(Marker), 0))]) + Marker
}

// boundary returns where to cut s, at most n bytes in: n itself, or the
// start of the UTF-8 sequence that a cut at n would split. n < len(s).
func boundary(s string, n int) int {
	if n <= 0 {
		return 0
	}
	if utf8.RuneStart(s[n]) {
		return n
	}
	for i := n - 1; i >= 0 && i > n-utf8.UTFMax; i-- {
		if !utf8.RuneStart(s[i]) {
			continue
		}
		if r, size := utf8.DecodeRuneInString(s[i:]); (r != utf8.RuneError || size > 1) && i+size > n {
			return i // a valid sequence that the cut would split
		}
		return n
	}
	return n
}

// Line returns s as one line that is safe to print in an error, a log or a
// report, at most limit bytes long: every run of white space (newlines
// and tabs included) becomes one space and the ends are trimmed; every
// other control character (ANSI escapes), invisible format character
// (bidi overrides) and line or paragraph separator is escaped as \uXXXX;
// then the text is cut as by Cut. What comes out cannot start a line of
// its own, so it cannot fake a line of a report or a CI runner's command
// (GitHub's "::error::").
func Line(s string, limit int) string {
	if !strings.ContainsFunc(s, IsUnsafe) && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return Cut(s, limit)
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) && r != '\u2028' && r != '\u2029' && r != '\u0085':
			space = b.Len() > 0
			continue
		case space:
			b.WriteByte(' ')
			space = false
		}
		if IsUnsafe(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
		if b.Len() > limit+utf8.UTFMax {
			break // the rest would be cut
		}
	}
	return Cut(b.String(), limit)
}

// IsUnsafe reports whether r must not reach a terminal or a log as is:
// control characters, invisible format characters and line or paragraph
// separators. Line escapes them; a writer of another format (JSON, whose
// encoder leaves most of them raw) escapes them by the same rule.
func IsUnsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
