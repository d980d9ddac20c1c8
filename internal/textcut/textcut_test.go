package textcut

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCut(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short enough", "abc", 3, "abc"},
		{"empty", "", 0, ""},
		{"cut with the marker inside the limit", "abcdefgh", 7, "abcd…"},
		{"no room for the marker", "abcdefgh", 2, "ab"},
		{"zero", "abc", 0, ""},
		{"negative", "abc", -1, ""},
		{"empty and negative", "", -1, ""},
		{"exactly the marker", "abcdefgh", 3, "…"},
		{"a two-byte rune is not split", "aébcd", 5, "a…"},
		{"a two-byte rune fits whole", "éabcd", 5, "é…"},
		{"a three-byte rune is not split", "ab€cdef", 7, "ab…"},
		{"a four-byte rune is not split", "a😀bcdef", 7, "a…"},
		{"a four-byte rune fits whole", "a😀bcdef", 8, "a😀…"},
		{"invalid bytes are kept", "\xff\xfe\xfdabc", 5, "\xff\xfe…"},
		{"stray continuation bytes are kept", "\x80\x80\x80\x80\x80\x80", 5, "\x80\x80…"},
		{"a truncated sequence in the input is kept", "a\xe2\x82bcdef", 6, "a\xe2\x82…"},
		{"an encoded U+FFFD is a rune like any other", "a\uFFFDbcdef", 5, "a…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Cut(tc.in, tc.limit)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, len(got), max(tc.limit, 0), "the limit holds for the whole result")
		})
	}
}

func TestCutNeverSplitsARune(t *testing.T) {
	s := strings.Repeat("aé€😀", 8)
	for limit := range len(s) + 2 {
		got := Cut(s, limit)
		assert.True(t, utf8.ValidString(got), "limit %d: %q", limit, got)
		assert.LessOrEqual(t, len(got), limit)
		if len(s) > limit && limit >= len(Marker) {
			assert.True(t, strings.HasSuffix(got, Marker), "limit %d: %q", limit, got)
			assert.True(t, strings.HasPrefix(s, strings.TrimSuffix(got, Marker)), "limit %d: %q", limit, got)
			assert.Greater(t, len(got), limit-utf8.UTFMax, "limit %d: cut no more than one rune short", limit)
		}
	}
}

func TestQuote(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short enough", "2026-01-01", 12, `"2026-01-01"`},
		{"the marker goes after the quote", "2026-01-01T09:00:00", 12, `"2026-01-0"…`},
		{"escapes do not count", "a\nb", 3, `"a\nb"`},
		{"a rune is not split", "ab€cdef", 6, `"ab"…`},
		{"no room", "abcdef", 2, `""…`},
		{"empty and negative", "", -1, `""`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Quote(tc.in, tc.limit))
		})
	}
}

func FuzzCut(f *testing.F) {
	f.Add("aé€😀", 5)
	f.Add("\xff\x80\x80€", 4)
	f.Add("", -3)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		got := Cut(s, limit)
		require.LessOrEqual(t, len(got), max(limit, 0))
		if len(s) <= max(limit, 0) {
			require.Equal(t, s, got)
			return
		}
		prefix, marked := strings.CutSuffix(got, Marker)
		require.True(t, strings.HasPrefix(s, prefix))
		require.Equal(t, limit >= len(Marker), marked, "the marker, when there is room")
		if utf8.ValidString(s) {
			require.True(t, utf8.ValidString(got), "%q", got)
		}
	})
}

func TestLine(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"plain text is kept", "no route matches", 100, "no route matches"},
		{"white space runs fold into one space", "  two\n\tlines \r\n here  ", 100, "two lines here"},
		{"a CI command cannot start a line", "ok\n::error::forged", 100, "ok ::error::forged"},
		{"ANSI escapes are escaped", "red \x1b[31mtext", 100, `red \u001b[31mtext`},
		{"bidi overrides are escaped", "a\u202eb", 100, `a\u202eb`},
		{"line separators are escaped, not folded", "a\u2028b", 100, `a\u2028b`},
		{"DEL and C1 controls are escaped", "a\x7fb\u0085c", 100, `a\u007fb\u0085c`},
		{"the cut comes last and holds the limit", "abc\ndefghij", 8, "abc d…"},
		{"UTF-8 is never split", "ab€cdef", 7, "ab…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Line(tc.in, tc.limit)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, len(got), tc.limit)
			assert.NotContains(t, got, "\n")
		})
	}
	long := strings.Repeat("x ", 1<<20)
	assert.Len(t, Line(long, 100), 100, "a long text is cut without being copied whole")
}

func TestIsUnsafe(t *testing.T) {
	for _, r := range "\n\t\x1b\x7f\u0085\u009b\u202e\u200b\u2028\u2029\U000E0001" {
		assert.True(t, IsUnsafe(r), "%U", r)
	}
	for _, r := range "a é€😀|`<" {
		assert.False(t, IsUnsafe(r), "%U", r)
	}
}
