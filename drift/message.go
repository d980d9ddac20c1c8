package drift

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

const (
	// maxQuoted caps a value quoted in a message, in bytes: enough to show
	// a new enum value or a malformed date, too little to leak a user's text.
	maxQuoted = 40
	// maxMessage caps a whole message, in bytes.
	maxMessage = 200
)

// quote returns s quoted for a message, cut to maxQuoted bytes.
func quote(s string) string {
	return textcut.Quote(s, maxQuoted)
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
		return "number " + textcut.Cut(v.String(), maxQuoted)
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

// shortMessage formats a message as one safe line of at most maxMessage
// bytes (textcut.Line).
func shortMessage(format string, args ...any) string {
	return textcut.Line(fmt.Sprintf(format, args...), maxMessage)
}
