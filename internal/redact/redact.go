// Package redact is the one place where secrets (the access token) are
// removed from text: error bodies and messages, log lines, URLs, report
// findings and recordings all go through it.
//
// A secret is found in every form a server or a URL may give it: as is,
// JSON-escaped (any character as \uXXXX, "/" as \/) and URL-encoded (any
// byte as %XX, either case), and in mixtures of these. A secret of at least
// MinLength bytes is removed wherever it occurs; a shorter one only where it
// stands as a whole token (not inside a longer word), so that a short value
// never garbles a message by replacing every occurrence of a common letter.
package redact

import (
	"bytes"
	"fmt"
	"strings"
)

// Replacement is what a secret is replaced with.
const Replacement = "[redacted]"

// MinLength is the shortest secret removed wherever it occurs. Shorter
// secrets are removed only as whole tokens. Tallyfy's access tokens are far
// longer.
const MinLength = 16

// Token is the one rule that turns the access token as given (an
// environment variable, a pasted secret ending in a newline) into the value
// that is sent and scrubbed: surrounding white space is removed.
func Token(raw string) string { return strings.TrimSpace(raw) }

// Secrets removes a set of secrets from text. The zero value removes
// nothing. It is safe for concurrent use, and never formats its secrets.
type Secrets struct {
	values []string
}

// New returns the Secrets for values, each normalised by Token; empty
// values are left out.
func New(values ...string) Secrets {
	var s Secrets
	for _, v := range values {
		if v = Token(v); v != "" {
			s.values = append(s.values, v)
		}
	}
	return s
}

// String implements fmt.Stringer without the secrets.
func (s Secrets) String() string { return fmt.Sprintf("redact.Secrets{%d secrets}", len(s.values)) }

// Format implements fmt.Formatter without the secrets, whatever the verb.
func (s Secrets) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// Bytes returns b with every secret, in any of its forms, replaced by
// Replacement. When there is nothing to remove it returns b itself.
func (s Secrets) Bytes(b []byte) []byte {
	for _, v := range s.values {
		b = scrubOne(b, v)
	}
	return b
}

// Text returns str with every secret, in any of its forms, replaced.
func (s Secrets) Text(str string) string {
	if len(s.values) == 0 {
		return str
	}
	return string(s.Bytes([]byte(str)))
}

// scrubOne replaces every occurrence of secret in b.
func scrubOne(b []byte, secret string) []byte {
	var out []byte // nil until the first match
	var failed map[[2]int]bool
	last := 0
	for i := 0; i < len(b); i++ {
		if c := b[i]; c != secret[0] && c != '\\' && c != '%' {
			continue
		}
		end := matchAt(b, i, secret, 0, &failed)
		if end < 0 || (len(secret) < MinLength && !wholeToken(b, i, end)) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, Replacement...)
		last = end
		i = end - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// matchAt returns the end of the occurrence of secret[j:] that starts at
// b[i], reading each character as is, JSON-escaped or URL-encoded; -1 if
// there is none. A \ or % of the secret itself may be literal or start an
// escape: both are tried, and failed is the memo of the (i, j) pairs
// already known to fail, so that a secret full of them stays linear.
func matchAt(b []byte, i int, secret string, j int, failed *map[[2]int]bool) int {
	for j < len(secret) {
		if i >= len(b) {
			return -1
		}
		c := b[i]
		if c == secret[j] {
			if c != '\\' && c != '%' {
				i, j = i+1, j+1
				continue
			}
			// A literal \ or % of the secret, or the start of an escape.
			key := [2]int{i + 1, j + 1}
			if !(*failed)[key] {
				if end := matchAt(b, i+1, secret, j+1, failed); end >= 0 {
					return end
				}
				if *failed == nil {
					*failed = map[[2]int]bool{}
				}
				(*failed)[key] = true
			}
		}
		decoded, width := decodeEscape(b[i:])
		if width == 0 || !strings.HasPrefix(secret[j:], string(decoded)) {
			return -1
		}
		i, j = i+width, j+len(decoded)
	}
	return i
}

// wholeToken reports whether b[start:end] is not part of a longer token.
func wholeToken(b []byte, start, end int) bool {
	return (start == 0 || !tokenByte(b[start-1])) && (end == len(b) || !tokenByte(b[end]))
}

// tokenByte reports whether c can be part of a token (base64url, JWT,
// hex, and the characters of RFC 6750's b64token).
func tokenByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/=", c) >= 0
}

// decodeEscape decodes one escape at the start of b: %XX, \uXXXX (with a
// surrogate pair), \/, \" or \\. width is 0 when b does not start with one.
func decodeEscape(b []byte) (decoded []byte, width int) {
	switch {
	case len(b) >= 3 && b[0] == '%':
		hi, ok1 := unhex(b[1])
		lo, ok2 := unhex(b[2])
		if ok1 && ok2 {
			return []byte{hi<<4 | lo}, 3
		}
	case len(b) >= 2 && b[0] == '\\' && (b[1] == '/' || b[1] == '"' || b[1] == '\\'):
		return b[1:2], 2
	case len(b) >= 6 && b[0] == '\\' && b[1] == 'u':
		r, ok := hex4(b[2:6])
		if !ok {
			return nil, 0
		}
		if r >= 0xD800 && r < 0xDC00 && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
			if lo, ok := hex4(b[8:12]); ok && lo >= 0xDC00 && lo < 0xE000 {
				return []byte(string(rune((r-0xD800)<<10 + (lo - 0xDC00) + 0x10000))), 12
			}
		}
		return []byte(string(rune(r))), 6
	}
	return nil, 0
}

func hex4(b []byte) (int32, bool) {
	var r int32
	for _, c := range b[:4] {
		v, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | int32(v)
	}
	return r, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Contains reports whether b holds any of the secrets in any form.
func (s Secrets) Contains(b []byte) bool {
	for _, v := range s.values {
		if !bytes.Equal(scrubOne(b, v), b) {
			return true
		}
	}
	return false
}
