package drift

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A value's JSON kind is the schema type it can only match, but for
// numbers (integer or number) and null (nullable).
func TestSchemaTypeOf(t *testing.T) {
	cases := []struct {
		value any
		want  string
	}{
		{map[string]any{}, "object"},
		{[]any{}, "array"},
		{"s", "string"},
		{true, "boolean"},
		{json.Number("1"), ""},
		{1.5, ""},
		{nil, ""},
		{3, ""}, // not a decoded value: no type to rule out
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, schemaTypeOf(tc.value), "%#v", tc.value)
	}
}
