package tallyfy

import (
	"bytes"
	"fmt"
)

// secret holds the access token. It formats as "[redacted]" with every verb,
// so a %+v of any value that holds it cannot print it.
type secret struct{ value string }

const redacted = "[redacted]"

// String implements fmt.Stringer without the token.
func (s secret) String() string { return redacted }

// GoString implements fmt.GoStringer without the token.
func (s secret) GoString() string { return redacted }

// Format implements fmt.Formatter.
func (s secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// scrub replaces every occurrence of the token in b.
func (s secret) scrub(b []byte) []byte {
	if s.value == "" || !bytes.Contains(b, []byte(s.value)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(s.value), []byte(redacted))
}
