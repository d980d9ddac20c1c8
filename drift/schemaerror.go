package drift

import (
	"cmp"
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
)

// issue is a finding before the exchange's details are filled in.
type issue struct {
	pointer string
	rule    string
	message string
}

// schemaLeaves flattens err, an error of Schema.VisitJSON with MultiErrors,
// into its SchemaErrors. The alternatives tried by a failed oneOf, anyOf or
// allOf are not unpacked: the composite error, pointing at the value, is the
// leaf. other collects what is neither a MultiError nor a SchemaError.
//
// A type switch, not errors.As: MultiError.As would answer with its first
// element only.
func schemaLeaves(err error, leaves []*openapi3.SchemaError, other []error) ([]*openapi3.SchemaError, []error) {
	switch e := err.(type) {
	case nil:
	case openapi3.MultiError:
		for _, inner := range e {
			leaves, other = schemaLeaves(inner, leaves, other)
		}
	case *openapi3.SchemaError:
		leaves = append(leaves, e)
	default:
		other = append(other, err)
	}
	return leaves, other
}

// schemaIssue turns one SchemaError of a body or header into an issue whose
// rule is the keyword that failed and whose pointer is the instance path.
func schemaIssue(se *openapi3.SchemaError) issue {
	rule := cmp.Or(se.SchemaField, ruleSchema)
	return issue{pointer: jsonptr.Join(se.JSONPointer()...), rule: rule, message: schemaMessage(se)}
}

// schemaMessage says what a SchemaError means without the schema dump:
// kin-openapi's Reason (which never holds the value) and, where it helps,
// a short description of the offending value.
func schemaMessage(se *openapi3.SchemaError) string {
	reason := cmp.Or(se.Reason, `does not match "`+se.SchemaField+`"`)
	var format, pattern string
	var enum []any
	if se.Schema != nil {
		format, pattern, enum = se.Schema.Format, se.Schema.Pattern, se.Schema.Enum
	}
	switch se.SchemaField {
	case "type":
		return shortMessage("%s, got %s", reason, describe(se.Value))
	case "enum":
		allowed, _ := json.Marshal(enum)
		return shortMessage("%s is not one of the allowed values %s", describe(se.Value), allowed)
	case "nullable":
		return "value is null, but the schema is not nullable"
	case "format":
		return shortMessage("%s does not match the format %q", describe(se.Value), format)
	case "pattern":
		return shortMessage("%s does not match the pattern %q", describe(se.Value), pattern)
	case "oneOf", "anyOf", "allOf", "not":
		return shortMessage("%s (got %s)", reason, describe(se.Value))
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
		return shortMessage("%s, got %s", reason, describe(se.Value))
	default:
		return shortMessage("%s", reason)
	}
}
