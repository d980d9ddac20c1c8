package tallyfy

import (
	"fmt"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// secret holds the access token. It formats as "[redacted]" with every verb,
// so a %+v of any value that holds it cannot print it.
type secret struct {
	value    string
	scrubber redact.Secrets
	// names finds the token, lowercased, in a lowercased header name:
	// Go changes the case of a header name as it reads it.
	names redact.Secrets
}

const redacted = redact.Replacement

// newSecret holds token, already normalised by redact.Token.
func newSecret(token string) secret {
	return secret{value: token, scrubber: redact.New(token), names: redact.New(strings.ToLower(token))}
}

// String implements fmt.Stringer without the token.
func (s secret) String() string { return redacted }

// GoString implements fmt.GoStringer without the token.
func (s secret) GoString() string { return redacted }

// Format implements fmt.Formatter.
func (s secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// scrub removes the token, in any form (see package redact), from b.
func (s secret) scrub(b []byte) []byte { return s.scrubber.Bytes(b) }

// text removes the token, in any form, from str.
func (s secret) text(str string) string { return s.scrubber.Text(str) }

// url returns a request URL as errors show it: without user info, fragment
// or credential parameters, and without the token in any form.
func (s secret) url(raw string) string { return s.scrubber.URL(raw) }

// inName reports whether a header name holds the token, in any case.
func (s secret) inName(name string) bool { return s.names.Contains([]byte(strings.ToLower(name))) }
