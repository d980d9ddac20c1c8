package drift

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
)

func TestFormatValidators(t *testing.T) {
	dateTime := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "date-time"}
	date := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "date"}
	cases := []struct {
		schema *openapi3.Schema
		value  string
		ok     bool
	}{
		{dateTime, "2025-05-20T09:00:00Z", true},
		{dateTime, "2025-05-21T10:15:00.000Z", true},
		{dateTime, "2025-05-21T10:15:00+02:00", true},
		{dateTime, "yesterday", false},
		{dateTime, "2025-05-20", false},
		{dateTime, "2025-05-20 09:00:00", false},
		{dateTime, "2025-02-30T09:00:00Z", false},
		{date, "2024-02-29", true},
		{date, "2025-02-29", false},
		{date, "2025-05-20T09:00:00Z", false},
	}
	for _, tc := range cases {
		err := tc.schema.VisitJSON(tc.value, formatValidators())
		if tc.ok {
			assert.NoError(t, err, tc.value)
			continue
		}
		if assert.Error(t, err, tc.value) {
			assert.NotContains(t, err.Error(), tc.value, "the error does not quote the value")
		}
	}
}
