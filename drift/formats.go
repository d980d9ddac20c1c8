package drift

import (
	"errors"
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
		"date":      rfc3339Date(isDate, "date"),
		"date-time": rfc3339Date(isDateTime, "date-time"),
	})
}

// rfc3339Date accepts strings that have the shape match checks (which
// starts with a YYYY-MM-DD date) and whose day exists in its month, as RFC
// 3339 requires. Its errors never quote the value.
func rfc3339Date(match func(string) bool, name string) openapi3.StringFormatValidator {
	errFormat := errors.New("not an RFC 3339 " + name)
	return openapi3.NewCallbackValidator(func(s string) error {
		if !match(s) {
			return errFormat
		}
		if _, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)]); err != nil {
			return errFormat
		}
		return nil
	})
}

// isDate matches kin-openapi's FormatOfStringDate,
// ^[0-9]{4}-(0[1-9]|10|11|12)-(0[1-9]|[12][0-9]|3[01])$, without a regular
// expression: it runs on every date of every task.
func isDate(s string) bool {
	return len(s) == 10 && isDatePart(s)
}

// isDateTime matches kin-openapi's FormatOfStringDateTime:
// a date, then T([0-1][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?
// (Z|(\+|-)([0-1][0-9]|2[0-3]):[0-5][0-9]) to the end.
func isDateTime(s string) bool {
	if len(s) < len("2006-01-02T15:04:05Z") || !isDatePart(s) || s[10] != 'T' ||
		!isHour(s[11:13]) || s[13] != ':' || !isMinute(s[14:16]) || s[16] != ':' ||
		!(isMinute(s[17:19]) || s[17:19] == "60") {
		return false
	}
	rest := s[19:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	switch {
	case rest == "Z":
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-'):
		return isHour(rest[1:3]) && rest[3] == ':' && isMinute(rest[4:6])
	}
	return false
}

// isDatePart checks the YYYY-MM-DD that s starts with (len(s) >= 10).
func isDatePart(s string) bool {
	if !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) || s[4] != '-' || s[7] != '-' {
		return false
	}
	month, day := s[5:7], s[8:10]
	okMonth := (month[0] == '0' && month[1] >= '1' && month[1] <= '9') || month == "10" || month == "11" || month == "12"
	okDay := (day[0] == '0' && day[1] >= '1' && day[1] <= '9') || ((day[0] == '1' || day[0] == '2') && isDigit(day[1])) ||
		day == "30" || day == "31"
	return okMonth && okDay
}

// isHour matches [0-1][0-9]|2[0-3].
func isHour(s string) bool {
	return ((s[0] == '0' || s[0] == '1') && isDigit(s[1])) || (s[0] == '2' && s[1] >= '0' && s[1] <= '3')
}

// isMinute matches [0-5][0-9].
func isMinute(s string) bool { return s[0] >= '0' && s[0] <= '5' && isDigit(s[1]) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
