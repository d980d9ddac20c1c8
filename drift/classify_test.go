package drift

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
)

// kin-openapi errors are classified by type and fields, never by message
// text: every Reason below is worded as no kin-openapi release words it,
// and the classification holds.
const reworded = "a reason worded as no release of kin-openapi words it"

func TestHeaderErrorsAreClassifiedByTypeAndFields(t *testing.T) {
	const name = "Retry-After"
	schemaErr := func(field string) *openapi3.SchemaError {
		return &openapi3.SchemaError{SchemaField: field, Reason: reworded, Value: "x"}
	}
	cases := []struct {
		name   string
		header http.Header
		err    error
		want   []issue
	}{
		{name: "no error", err: nil, want: nil},
		{name: "no cause, header absent: missing",
			err:  &openapi3filter.ResponseError{Reason: reworded},
			want: []issue{{pointer: name, rule: RuleHeader, message: `required header "Retry-After" is missing`}}},
		{name: "no cause, header present: does not match",
			header: http.Header{name: {"30"}},
			err:    &openapi3filter.ResponseError{Reason: reworded},
			want:   []issue{{pointer: name, rule: RuleHeader, message: `header "Retry-After" does not match the spec`}}},
		{name: "a schema violation",
			header: http.Header{name: {""}},
			err:    &openapi3filter.ResponseError{Reason: reworded, Err: schemaErr("minLength")},
			want:   []issue{{pointer: name, rule: RuleHeader, message: `header "Retry-After": ` + reworded}}},
		{name: "several schema violations",
			header: http.Header{name: {"x"}},
			err:    &openapi3filter.ResponseError{Reason: reworded, Err: openapi3.MultiError{schemaErr("minLength"), schemaErr("pattern")}},
			want: []issue{
				{pointer: name, rule: RuleHeader, message: `header "Retry-After": ` + reworded},
				{pointer: name, rule: RuleHeader, message: `header "Retry-After": string "x" does not match the pattern ""`},
			}},
		{name: "a value that does not parse",
			header: http.Header{name: {"many"}},
			err: &openapi3filter.ResponseError{Reason: reworded, Err: &openapi3filter.ParseError{
				Kind: openapi3filter.KindInvalidFormat, Value: "many", Reason: "an invalid integer"}},
			want: []issue{{pointer: name, rule: RuleHeader, message: `header "Retry-After" cannot be decoded: an invalid integer, got "many"`}}},
		{name: "errors in a MultiError",
			err: openapi3.MultiError{&openapi3filter.ResponseError{Reason: reworded}, &openapi3filter.ResponseError{Reason: reworded}},
			want: []issue{
				{pointer: name, rule: RuleHeader, message: `required header "Retry-After" is missing`},
				{pointer: name, rule: RuleHeader, message: `required header "Retry-After" is missing`},
			}},
		{name: "an error of another type", err: errors.New(reworded),
			want: []issue{{rule: ruleResponse, message: "the response does not match the spec"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header := tc.header
			if header == nil {
				header = http.Header{}
			}
			assert.Equal(t, tc.want, headerIssues(name, header, tc.err))
		})
	}
}

func TestRequestErrorsAreClassifiedByTypeAndFields(t *testing.T) {
	page := &openapi3.Parameter{In: "query", Name: "page"}
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{name: "required and missing",
			err:  &openapi3filter.RequestError{Parameter: page, Reason: reworded, Err: openapi3filter.ErrInvalidRequired},
			want: []string{`query parameter "page": is required but missing`}},
		{name: "empty",
			err:  &openapi3filter.RequestError{Parameter: page, Reason: reworded, Err: openapi3filter.ErrInvalidEmptyValue},
			want: []string{`query parameter "page": is empty`}},
		{name: "does not parse",
			err: &openapi3filter.RequestError{Parameter: page, Reason: reworded, Err: &openapi3filter.ParseError{
				Kind: openapi3filter.KindInvalidFormat, Value: "two", Reason: "an invalid integer"}},
			want: []string{`query parameter "page": cannot be decoded: an invalid integer, got "two"`}},
		{name: "a schema violation",
			err: &openapi3filter.RequestError{Parameter: page, Reason: reworded, Err: &openapi3.SchemaError{
				SchemaField: "minimum", Reason: "number must be at least 1", Value: json.Number("0")}},
			want: []string{`query parameter "page": number must be at least 1, got number 0`}},
		{name: "the security requirements", err: &openapi3filter.SecurityRequirementsError{},
			want: []string{"the request does not meet the security requirements"}},
		{name: "an error of another type", err: errors.New(reworded),
			want: []string{"the request does not match the operation"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, requestMessages(tc.err, nil))
		})
	}
}
