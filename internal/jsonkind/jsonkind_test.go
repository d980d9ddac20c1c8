package jsonkind

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Of and OfValue name a value alike, raw or decoded.
func TestOfAndOfValueAgree(t *testing.T) {
	for _, raw := range []string{`{"a":1}`, `[1]`, `"s"`, `1.5`, `-2`, `true`, `false`, `null`, " \n\t{}"} {
		var v any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if !assert.NoError(t, dec.Decode(&v), raw) {
			continue
		}
		assert.Equal(t, OfValue(v), Of([]byte(raw)), raw)
	}
	assert.Equal(t, "", Of([]byte("  ")))
	assert.Equal(t, "number", OfValue(float64(3)))
	assert.Equal(t, "int", OfValue(3))
}
