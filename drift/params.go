package drift

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// QueryParameter is a query parameter of an operation as the spec
// documents it: what a planned check needs to ask for each of its values.
type QueryParameter struct {
	// Name is the parameter's name in the query, e.g. "status".
	Name string
	// Type is its schema's type: "string", "boolean", "integer", "array"
	// (sent comma-joined, for the parameters of this spec), or "".
	Type string
	// Enum lists the values the spec allows, in the spec's order, as they
	// are written in a query; for an array, the values of its items. Empty
	// when the spec lists none.
	Enum []string
}

// QueryParameters returns the query parameters of the operation whose
// operationId is operationID, in the spec's order, with the values each
// allows. It returns nil when the spec has no such operation. The live
// check builds its plan from it, so that a value added to the spec is
// asked for on the next run.
func (v *Validator) QueryParameters(operationID string) []QueryParameter {
	op := v.operationByID(operationID)
	if op == nil {
		return nil
	}
	var out []QueryParameter
	for _, ref := range op.Parameters {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		q := QueryParameter{Name: p.Name, Type: schemaType(s)}
		values := s.Enum
		if q.Type == openapi3.TypeArray && s.Items != nil && s.Items.Value != nil {
			values = s.Items.Value.Enum
		}
		for _, e := range values {
			q.Enum = append(q.Enum, fmt.Sprint(e))
		}
		out = append(out, q)
	}
	return out
}

// operationByID finds an operation of the spec by its operationId.
func (v *Validator) operationByID(id string) *openapi3.Operation {
	for _, path := range v.doc.Paths.InMatchingOrder() {
		for _, op := range v.doc.Paths.Value(path).Operations() {
			if op.OperationID == id {
				return op
			}
		}
	}
	return nil
}

// schemaType is a schema's single type, or "" when it has none or several.
func schemaType(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) != 1 {
		return ""
	}
	return (*s.Type)[0]
}
