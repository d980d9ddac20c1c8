// Package mediatype reads the media type of a Content-Type header, so that
// the client and the drift check agree on which responses are JSON.
package mediatype

import (
	"errors"
	"mime"
	"strings"
)

// IsJSON reports whether the Content-Type header value ct names JSON:
// application/json, or a structured syntax type with the +json suffix
// (RFC 6839) such as application/problem+json. The comparison ignores case
// and white space, and parameters (charset=utf-8) do not count, not even a
// malformed one: the media type decides. A value that does not parse as a
// media type at all ("json", "application/ json") is not JSON.
func IsJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok || typ == "" {
		return false
	}
	if typ == "application" && sub == "json" {
		return true
	}
	name, found := strings.CutSuffix(sub, "+json")
	return found && name != ""
}
