package drift

import (
	"context"
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// checkRequest holds the request's parameters against the operation. Every
// violation is a finding with rule "request"; the message names the
// parameter.
func (c *check) checkRequest(ctx context.Context, input *openapi3filter.RequestValidationInput) {
	err := openapi3filter.ValidateRequest(ctx, input)
	for _, msg := range requestMessages(err, nil) {
		c.drift(issue{rule: RuleRequest, message: msg})
	}
}

// requestMessages unpacks an error of ValidateRequest into short messages.
func requestMessages(err error, out []string) []string {
	switch e := err.(type) {
	case nil:
		return out
	case openapi3.MultiError:
		for _, inner := range e {
			out = requestMessages(inner, out)
		}
		return out
	case *openapi3filter.RequestError:
		return append(out, requestErrorMessages(e)...)
	case *openapi3filter.SecurityRequirementsError:
		return append(out, "the request does not meet the security requirements")
	default:
		return append(out, "the request does not match the operation")
	}
}

// requestErrorMessages describes one RequestError: one message per schema
// violation of the parameter, or one saying why it could not be checked.
func requestErrorMessages(e *openapi3filter.RequestError) []string {
	subject := "the request"
	switch {
	case e.Parameter != nil:
		subject = fmt.Sprintf("%s parameter %s", e.Parameter.In, quote(e.Parameter.Name))
	case e.RequestBody != nil:
		subject = "the request body"
	}
	leaves, other := schemaLeaves(e.Err, nil, nil)
	out := make([]string, 0, len(leaves)+1)
	for _, se := range leaves {
		out = append(out, shortMessage("%s: %s", subject, schemaMessage(se)))
	}
	if len(leaves) == 0 || len(other) > 0 {
		out = append(out, shortMessage("%s: %s", subject, requestReason(e)))
	}
	return out
}

// requestReason says why a parameter failed without echoing its value:
// kin-openapi's ParseError and strconv errors quote the value.
func requestReason(e *openapi3filter.RequestError) string {
	var parseErr *openapi3filter.ParseError
	switch {
	case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
		return "is required but missing"
	case errors.Is(e.Err, openapi3filter.ErrInvalidEmptyValue):
		return "is empty"
	case errors.As(e.Err, &parseErr):
		return parseReason(parseErr)
	case e.Reason != "":
		return e.Reason
	default:
		return "does not match the spec"
	}
}

// parseReason describes a ParseError by its innermost reason and, briefly
// quoted, the raw value.
func parseReason(pe *openapi3filter.ParseError) string {
	reason, value := "", any(nil)
	for pe != nil {
		if pe.Reason != "" {
			reason = pe.Reason
		}
		if pe.Value != nil {
			value = pe.Value
		}
		pe, _ = pe.Cause.(*openapi3filter.ParseError)
	}
	msg := "cannot be decoded"
	if reason != "" {
		msg += ": " + reason
	}
	if s, ok := value.(string); ok {
		msg += ", got " + quote(s)
	}
	return msg
}
