package redact

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A Secret never formats its value, whatever the verb, and hands it out
// only through Value.
func TestSecretNeverFormatsItsValue(t *testing.T) {
	s := NewSecret(" " + secret + "\n")
	assert.Equal(t, secret, s.Value(), "normalised as Token does")
	holder := struct{ Token Secret }{s}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, holder), "SECRET", verb)
		assert.NotContains(t, fmt.Sprintf(verb, s), "SECRET", verb)
	}
}

// Header scrubs every value, and drops a header named after the secret,
// whatever the case Go gave the name; h itself is left as it was.
func TestSecretHeader(t *testing.T) {
	s := NewSecret(secret)
	h := http.Header{}
	h.Set("X-Echo", "Bearer "+secret)
	h.Set("X-Request-Id", "abc")
	h[http.CanonicalHeaderKey("x-"+secret)] = []string{"1"}
	got := s.Header(h)
	assert.Equal(t, "Bearer [redacted]", got.Get("X-Echo"))
	assert.Equal(t, "abc", got.Get("X-Request-Id"))
	assert.Len(t, got, 2, "the header named after the secret is gone")
	assert.Equal(t, "Bearer "+secret, h.Get("X-Echo"), "the original is not changed")
}

func TestSecretsWriter(t *testing.T) {
	var buf bytes.Buffer
	w := New(secret).Writer(&buf)
	n, err := fmt.Fprintf(w, "refused %s\n", secret)
	assert.NoError(t, err)
	assert.Equal(t, len("refused "+secret+"\n"), n, "the length written is the caller's")
	assert.Equal(t, "refused [redacted]\n", buf.String())
}
