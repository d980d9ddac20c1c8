package drift

import (
	"regexp"
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

// isDate and isDateTime match exactly what kin-openapi's regular
// expressions match.
var dateFormatSeeds = []string{
	"2025-05-20", "2025-13-01", "2025-00-10", "2025-10-00", "2025-12-31", "2025-12-32", "2025-11-30", "0000-01-01",
	"2025-05-2", "2025-5-20", "20250520", "2025-05-20 ", " 2025-05-20", "2025-05-20\n", "2025/05/20", "２０２５-05-20",
	"2025-05-20T09:00:00Z", "2025-05-20T23:59:60Z", "2025-05-20T24:00:00Z", "2025-05-20T19:60:00Z", "2025-05-20T09:00:00.Z",
	"2025-05-20T09:00:00.123456789Z", "2025-05-20T09:00:00+23:59", "2025-05-20T09:00:00-24:00", "2025-05-20T09:00:00+0200",
	"2025-05-20T09:00:00", "2025-05-20t09:00:00Z", "2025-05-20T09:00:00z", "2025-05-20T09:00:00ZZ", "2025-05-20T9:00:00Z",
	"2025-05-20T09:00:00.5+02:00", "2025-05-20T09:00:00+02:00\n", "", "T", "2025-05-20T", "2025-05-20T09:00:00.",
}

func TestDateFormatsMatchTheRegularExpressions(t *testing.T) {
	date := regexp.MustCompile(openapi3.FormatOfStringDate)
	dateTime := regexp.MustCompile(openapi3.FormatOfStringDateTime)
	for _, s := range dateFormatSeeds {
		assert.Equal(t, date.MatchString(s), isDate(s), "date %q", s)
		assert.Equal(t, dateTime.MatchString(s), isDateTime(s), "date-time %q", s)
	}
}

func FuzzDateFormats(f *testing.F) {
	date := regexp.MustCompile(openapi3.FormatOfStringDate)
	dateTime := regexp.MustCompile(openapi3.FormatOfStringDateTime)
	for _, s := range dateFormatSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if date.MatchString(s) != isDate(s) {
			t.Fatalf("date %q: regexp %v", s, date.MatchString(s))
		}
		if dateTime.MatchString(s) != isDateTime(s) {
			t.Fatalf("date-time %q: regexp %v", s, dateTime.MatchString(s))
		}
	})
}
