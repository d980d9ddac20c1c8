package drift_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A long value from a body (user data) must never reach a message whole.
func TestMessagesNeverCarryLongValues(t *testing.T) {
	secret := "S" + strings.Repeat("e", 498) + "T"
	p := page(1)
	tk := dataTask(p, 0)
	tk["position"] = secret   // type
	tk["status"] = secret     // enum
	tk["created_at"] = secret // format
	tk["id"] = secret         // pattern
	tk["title"] = []any{secret}
	pagination(p)["links"] = secret // oneOf

	findings := validator.Check(context.Background(), runTasks(t, http.StatusOK, p))
	require.Len(t, findings, 6)
	for _, f := range findings {
		assert.LessOrEqual(t, len([]rune(f.Message)), 200, f.Message)
		assert.NotContains(t, f.Message, secret[:maxQuotedPlusOne], "%s: at most 40 characters of a value", f.Pointer)
		assert.NotContains(t, f.Message, "T\"", "the end of the value is cut")
	}
}

const maxQuotedPlusOne = 41

// Every message is one line that is safe to print, whatever the exchange
// holds: a method with a newline and a CI command is named in its route
// finding folded into the line.
func TestMessagesAreOneSafeLine(t *testing.T) {
	ex := runTasks(t, http.StatusOK, page(1))
	ex.Method = "P\n::error::\u202e"
	findings := validator.Check(context.Background(), ex)
	require.NotEmpty(t, findings)
	for _, f := range findings {
		assert.NotContains(t, f.Message, "\n", f.Message)
		assert.NotContains(t, f.Message, "\u202e", f.Message)
	}
	assert.Contains(t, findings[0].Message, "method P ::ERR", findings[0].Message)
}
