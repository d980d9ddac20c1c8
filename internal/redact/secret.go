package redact

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Secret is the one secret a client sends (the access token): its value,
// for the Authorization header, and the Secrets that remove it, in any
// form, from everything shown. It formats as Replacement with every verb,
// so that a %+v of any value that holds it cannot print it.
type Secret struct {
	value string
	Secrets
	// names finds the secret, lowercased, in a lowercased header name: Go
	// changes the case of a header name as it reads it.
	names Secrets
}

// NewSecret holds token, normalised by Token.
func NewSecret(token string) Secret {
	token = Token(token)
	return Secret{value: token, Secrets: New(token), names: New(strings.ToLower(token))}
}

// Value returns the secret itself, for the one place that sends it.
func (s Secret) Value() string { return s.value }

// String implements fmt.Stringer without the secret.
func (s Secret) String() string { return Replacement }

// GoString implements fmt.GoStringer without the secret.
func (s Secret) GoString() string { return Replacement }

// Format implements fmt.Formatter without the secret, whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, Replacement) }

// Header returns a copy of h with the secret removed from every value,
// and without a header whose name holds the secret, in any case: such a
// header says nothing else.
func (s Secret) Header(h http.Header) http.Header {
	out := h.Clone()
	for name, values := range out {
		if s.names.Contains([]byte(strings.ToLower(name))) {
			delete(out, name)
			continue
		}
		for i, v := range values {
			values[i] = s.Text(v)
		}
	}
	return out
}

// Writer returns a writer that removes the secrets from each write before
// it reaches w. A secret split over two writes is not found: write each
// message whole, in one write.
func (s Secrets) Writer(w io.Writer) io.Writer { return secretsWriter{w: w, secrets: s} }

type secretsWriter struct {
	w       io.Writer
	secrets Secrets
}

// Write implements io.Writer; it reports len(p) when the scrubbed text was
// written.
func (sw secretsWriter) Write(p []byte) (int, error) {
	if _, err := sw.w.Write(sw.secrets.Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
