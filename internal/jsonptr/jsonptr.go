// Package jsonptr writes JSON pointers (RFC 6901), so that the client's
// errors, the drift check's findings and the round-trip check name a value
// in one notation.
package jsonptr

import "strings"

// escaper writes "~" as "~0" and "/" as "~1", in one pass: escaping "~"
// after "/" would turn "/" into "~01".
var escaper = strings.NewReplacer("~", "~0", "/", "~1")

// Escape returns token as a reference token of a JSON pointer: "~" becomes
// "~0" and "/" becomes "~1". Every other byte stays as it is.
func Escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return escaper.Replace(token)
}

// Join returns the JSON pointer of the tokens (object keys and array
// indexes, unescaped), each escaped: "" for none, the whole document.
func Join(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// Append returns the pointer of the member token of the value at ptr.
func Append(ptr, token string) string { return ptr + "/" + Escape(token) }
