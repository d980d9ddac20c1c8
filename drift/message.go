package drift

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

const (
	// maxQuoted caps a value quoted in a message, in runes: enough to show a
	// new enum value or a malformed date, too little to leak a user's text.
	maxQuoted = 40
	// maxMessage caps a whole message, in runes.
	maxMessage = 200
)

// truncate returns s cut to at most n runes, marking a cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n]) + "…"
}

// quote returns s quoted for a message, cut to maxQuoted runes.
func quote(s string) string {
	return strconv.Quote(truncate(s, maxQuoted))
}

// describe names a decoded JSON value for a message: scalars briefly
// quoted, containers by kind only.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		return "string " + quote(v)
	case json.Number:
		return "number " + truncate(v.String(), maxQuoted)
	case float64:
		return "number " + strconv.FormatFloat(v, 'g', -1, 64)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// shortMessage caps a finished message at maxMessage runes.
func shortMessage(format string, args ...any) string {
	return truncate(fmt.Sprintf(format, args...), maxMessage)
}
