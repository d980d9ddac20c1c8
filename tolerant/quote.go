package tolerant

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// maxQuoted is how many bytes of a rejected value an error quotes, the
// marker of a cut included: the client's own limit for a quoted value, too
// little to hold an access token that a server put there.
const maxQuoted = 15

// decodeError says that the JSON value b is not one of the shapes what
// accepts, quoting at most maxQuoted bytes of b: a hostile or huge value
// never ends up whole in an error, a log line or a report.
func decodeError(typ string, b []byte, what string) error {
	return fmt.Errorf("tolerant: %s: want %s, got %s", typ, what, quotePrefix(b))
}

// quotePrefix returns the JSON value b cut to maxQuoted bytes (see
// textcut.Cut: a cut ends in "…") as printable text. Invalid UTF-8 and
// unprintable runes become "?": the text is for a message, not for
// decoding.
func quotePrefix(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, textcut.Cut(string(b), maxQuoted))
}

// jsonString returns the text of the JSON string literal b (quotes
// included, as encoding/json hands it to UnmarshalJSON). ok is false when b
// is not a string literal.
func jsonString(b []byte) (s string, ok bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			return unquoteSlow(b)
		}
	}
	if !utf8.Valid(inner) {
		return unquoteSlow(b)
	}
	return string(inner), true
}

// unquoteSlow decodes a string literal with escapes (or with bytes a JSON
// string may not hold, which it rejects) through encoding/json.
func unquoteSlow(b []byte) (string, bool) {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

// isNull reports whether b is the JSON literal null.
func isNull(b []byte) bool { return string(b) == "null" }

// isJSONInteger reports whether b is a JSON number without a sign, a
// fraction or an exponent: the shape of an ID sent as a number.
func isJSONInteger(b []byte) bool {
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(dst []byte, s string) []byte {
	b, err := json.Marshal(s)
	if err != nil { // a string always encodes; keep the compiler happy
		return append(dst, `""`...)
	}
	return append(dst, b...)
}
