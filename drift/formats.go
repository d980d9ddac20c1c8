package drift

import (
	"errors"
	"regexp"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// formatValidators checks the string formats the spec uses, per validation.
//
// In kin-openapi v0.153, EnableFormatValidation changes nothing at
// validation time: "date" and "date-time" are checked because the package
// registers validators for them in its global SchemaStringFormats, which
// any other package in the process may redefine. Passing them per
// validation keeps the drift check's formats what this file says.
func formatValidators() openapi3.SchemaValidationOption {
	return openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
		"date":      rfc3339Date(regexp.MustCompile(openapi3.FormatOfStringDate), "date"),
		"date-time": rfc3339Date(regexp.MustCompile(openapi3.FormatOfStringDateTime), "date-time"),
	})
}

// rfc3339Date accepts strings that match re (which starts with a
// YYYY-MM-DD date) and whose day exists in its month, as RFC 3339 requires.
// Its errors never quote the value.
func rfc3339Date(re *regexp.Regexp, name string) openapi3.StringFormatValidator {
	errFormat := errors.New("not an RFC 3339 " + name)
	return openapi3.NewCallbackValidator(func(s string) error {
		if !re.MatchString(s) {
			return errFormat
		}
		if _, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)]); err != nil {
			return errFormat
		}
		return nil
	})
}
