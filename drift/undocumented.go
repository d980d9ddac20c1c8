package drift

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tallyfy-go/tallyfy/internal/jsonkind"
	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// walker finds the fields of a decoded body that its schema does not list.
//
// An object schema that has properties and declares no
// additionalProperties lists its fields: any other key is undocumented.
// An object schema with additionalProperties (even {}) accepts any key.
// The walk follows properties, additionalProperties, array items and allOf;
// for oneOf and anyOf it follows the first alternative the value validates
// against, and none when none does (schema validation reports that).
// Values that do not have the schema's type are skipped: schema validation
// reports those too.
type walker struct {
	matchOptions []openapi3.SchemaValidationOption
	found        []issue

	// prefix is the pointer of the walked value in the body; tokens are the
	// reference tokens below it, pushed and popped as the walk descends, so
	// that a pointer string is only built for a field that is reported.
	prefix string
	tokens []string
}

func (w *walker) walk(schema *openapi3.Schema, value any) {
	if schema == nil || value == nil {
		return
	}
	for _, alternatives := range [][]*openapi3.SchemaRef{schema.OneOf, schema.AnyOf} {
		if alt := w.firstMatch(alternatives, value); alt != nil {
			w.walk(alt, value)
		}
	}
	switch value := value.(type) {
	case map[string]any:
		w.walkObject(schema, value)
	case []any:
		if schema.Items == nil {
			return
		}
		for i, item := range value {
			w.tokens = append(w.tokens, strconv.Itoa(i))
			w.walk(schema.Items.Value, item)
			w.tokens = w.tokens[:len(w.tokens)-1]
		}
	}
}

func (w *walker) walkObject(schema *openapi3.Schema, obj map[string]any) {
	shape := objectShapeOf(schema)
	for key, child := range obj {
		if len(key) > maxKeyBytes {
			w.found = append(w.found, issue{
				pointer: w.pointer(key),
				rule:    RuleLimit,
				message: shortMessage("a key of %d bytes, over the %d the check reads: its value is not checked", len(key), maxKeyBytes),
			})
			continue
		}
		if ref := shape.property(key); ref != nil {
			w.descend(ref.Value, key, child)
			continue
		}
		switch {
		case shape.extra != nil:
			w.descend(shape.extra, key, child)
		case shape.declared || !shape.listsFields():
			// additionalProperties: true accepts the key; false makes schema
			// validation report it; a schema listing no field says nothing.
		default:
			w.found = append(w.found, issue{
				pointer: w.pointer(key),
				rule:    RuleUndocumentedField,
				message: "field " + quote(key) + " is not in the schema",
			})
		}
	}
}

// pointer returns the pointer of the member key of the current object, cut
// to maxPointerBytes.
func (w *walker) pointer(key string) string {
	return textcut.Cut(w.prefix+jsonptr.Join(append(w.tokens, textcut.Cut(key, maxPointerBytes))...), maxPointerBytes)
}

// sorted returns what the walk found, by pointer then rule, each once: the
// walk visits object members in map order (and an object under a oneOf
// twice), and a capped list must not depend on it.
func (w *walker) sorted() []issue {
	slices.SortFunc(w.found, func(a, b issue) int {
		return cmp.Or(cmp.Compare(a.pointer, b.pointer), cmp.Compare(a.rule, b.rule))
	})
	return slices.CompactFunc(w.found, func(a, b issue) bool { return a.pointer == b.pointer && a.rule == b.rule })
}

// descend walks the member key of the current object.
func (w *walker) descend(schema *openapi3.Schema, key string, value any) {
	w.tokens = append(w.tokens, key)
	w.walk(schema, value)
	w.tokens = w.tokens[:len(w.tokens)-1]
}

// objectShape is what an object schema says about its keys: the properties
// it lists (its own, then those of its allOf parts), the schema of other
// keys when additionalProperties is a schema, and whether
// additionalProperties is declared at all.
type objectShape struct {
	props    []openapi3.Schemas // the schema's own first; no copy is made
	extra    *openapi3.Schema
	declared bool
}

func objectShapeOf(schema *openapi3.Schema) objectShape {
	var shape objectShape
	var add func(s *openapi3.Schema)
	add = func(s *openapi3.Schema) {
		if len(s.Properties) > 0 {
			shape.props = append(shape.props, s.Properties)
		}
		ap := s.AdditionalProperties
		if ap.Has != nil || ap.Schema != nil {
			shape.declared = true
		}
		if shape.extra == nil && ap.Schema != nil && ap.Schema.Value != nil {
			shape.extra = ap.Schema.Value
		}
		for _, part := range s.AllOf {
			if part != nil && part.Value != nil {
				add(part.Value)
			}
		}
	}
	add(schema)
	return shape
}

// property returns the schema of the listed property key, nil if unlisted.
func (s objectShape) property(key string) *openapi3.SchemaRef {
	for _, props := range s.props {
		if ref := props[key]; ref != nil && ref.Value != nil {
			return ref
		}
	}
	return nil
}

func (s objectShape) listsFields() bool { return len(s.props) > 0 }

// firstMatch returns the first alternative value validates against.
func (w *walker) firstMatch(alternatives []*openapi3.SchemaRef, value any) *openapi3.Schema {
	kind := schemaTypeOf(value)
	for _, alt := range alternatives {
		if alt == nil || alt.Value == nil {
			continue
		}
		if kind != "" && alt.Value.Type != nil && len(*alt.Value.Type) > 0 && !alt.Value.Type.Includes(kind) {
			continue // cannot match: no need to build its error
		}
		if alt.Value.VisitJSON(value, w.matchOptions...) == nil {
			return alt.Value
		}
	}
	return nil
}

// schemaTypeOf is the schema type a value can only match: its JSON kind
// (jsonkind.OfValue) when that names a schema type as well ("object",
// "array", "string", "boolean"); "" for a number (integer or number) and
// null (nullable), which only validation tells.
func schemaTypeOf(value any) string {
	switch kind := jsonkind.OfValue(value); kind {
	case openapi3.TypeObject, openapi3.TypeArray, openapi3.TypeString, openapi3.TypeBoolean:
		return kind
	}
	return ""
}
