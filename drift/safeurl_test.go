package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The cases live in package redact; this checks that findings use it.
func TestSafeURLDropsCredentials(t *testing.T) {
	got := SafeURL("https://ada:secret@go.tallyfy.com/api/x?access_token=abc&page=2#frag")
	assert.Equal(t, "https://go.tallyfy.com/api/x?page=2", got)
}
