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

// unescaper reads "~1" as "/" and "~0" as "~", in one pass: reading "~0"
// first would turn "~01" into "/".
var unescaper = strings.NewReplacer("~1", "/", "~0", "~")

// Split returns the reference tokens of ptr, unescaped: none for "", the
// whole document. ok is false when ptr is not a JSON pointer: it does not
// start with "/", or holds a "~" not followed by "0" or "1".
func Split(ptr string) (tokens []string, ok bool) {
	if ptr == "" {
		return nil, true
	}
	if ptr[0] != '/' {
		return nil, false
	}
	tokens = strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		if !strings.Contains(t, "~") {
			continue
		}
		for j := 0; j < len(t); j++ {
			if t[j] == '~' && (j+1 == len(t) || (t[j+1] != '0' && t[j+1] != '1')) {
				return nil, false
			}
		}
		tokens[i] = unescaper.Replace(t)
	}
	return tokens, true
}
