package drift

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// A finding's pointer names a value of the body; a suggestion changes the
// spec where that value's schema is written. locate walks the pointer
// through the schema and the body together, as the check did: through
// properties (the schema's own, then its allOf parts'), additionalProperties
// and items, into the oneOf or anyOf alternative the value takes, and
// through every $ref, so that a value reached through a component schema
// changes that component, once, for every operation that uses it.

// spot is a value of the body, its schema, and where the spec writes that
// schema, as an RFC 9535 JSONPath.
type spot struct {
	schema *openapi3.Schema
	loc    string // $.components.schemas.Task, or the inline path
	value  any

	// property is the object member the last step took ("" for an array
	// item or the body), and required whether its object requires it.
	property string
	required bool
	item     bool // the last step took an array item
	shared   bool // loc is a component schema, reached through a $ref
}

const componentSchemas = "#/components/schemas/"

// follow returns the spot of ref: the component it refers to, or inline,
// the schema written at loc. ok is false for a reference to anything but
// a component schema of the same document.
func follow(ref *openapi3.SchemaRef, loc string) (spot, bool) {
	if ref == nil || ref.Value == nil {
		return spot{}, false
	}
	if ref.Ref != "" {
		name, ok := strings.CutPrefix(ref.Ref, componentSchemas)
		if !ok || strings.Contains(name, "/") {
			return spot{}, false
		}
		return spot{schema: ref.Value, loc: "$.components.schemas" + member(name), shared: true}, true
	}
	return spot{schema: ref.Value, loc: loc}, true
}

// member is the JSONPath segment of the member name of an object: the
// dot shorthand for a plain name, else a quoted name in brackets.
func member(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || (i > 0 && '0' <= r && r <= '9')) {
			plain = false
			break
		}
	}
	if plain {
		return "." + name
	}
	var b strings.Builder
	b.WriteString("['")
	for _, r := range name {
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("']")
	return b.String()
}

// bodyRoot returns the spot of ex's body: the schema of its response (by
// operation, status and content type, as Check finds it) with where the
// spec writes it, and the body decoded; or why there is none.
func (v *Validator) bodyRoot(ex Exchange) (spot, string) {
	method := strings.ToUpper(ex.Method)
	match, _ := v.router.route(method, ex.URL)
	if match == nil {
		return spot{}, "the request matches no operation"
	}
	op := match.route.Operation
	key := strconv.Itoa(ex.Status)
	ref := op.Responses.Status(ex.Status)
	if ref == nil {
		key, ref = "default", op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return spot{}, "the status is not documented"
	}
	var loc string
	switch name, ok := strings.CutPrefix(ref.Ref, "#/components/responses/"); {
	case ok && !strings.Contains(name, "/"):
		loc = "$.components.responses" + member(name)
	case ref.Ref != "":
		return spot{}, "the response is a reference the suggestion cannot follow"
	default:
		loc = "$.paths" + member(match.route.Path) + member(strings.ToLower(method)) + ".responses" + member(key)
	}
	media := ref.Value.Content.Get(ex.ResponseHeader.Get("Content-Type"))
	if media == nil || media.Schema == nil {
		return spot{}, "the content type is not documented"
	}
	var mediaKey string
	for _, k := range slices.Sorted(maps.Keys(ref.Value.Content)) {
		if ref.Value.Content[k] == media {
			mediaKey = k
			break
		}
	}
	limit := cmpOr(v.maxBody, DefaultMaxBody)
	if int64(len(ex.Body)) > limit {
		return spot{}, "the body is over the validator's limit, so it was not checked"
	}
	root, ok := follow(media.Schema, loc+".content"+member(mediaKey)+".schema")
	if !ok {
		return spot{}, "the schema is a reference the suggestion cannot follow"
	}
	body, err := decodeJSON(ex.Body)
	if err != nil {
		return spot{}, "the body is not JSON"
	}
	root.value = body
	return root, ""
}

// cmpOr is cmp.Or for the limits: the first positive value.
func cmpOr(values ...int64) int64 {
	for _, v := range values {
		if v > 0 {
			return v
		}
	}
	return 0
}

// locate walks tokens from at, through the body and its schema, to the
// value they point to; or says why it cannot. It takes the oneOf or anyOf
// alternative of every value it passes, but not of the last: a finding
// about that value is about the schema that holds the alternatives.
func (v *Validator) locate(at spot, tokens []string) (spot, string) {
	for _, tok := range tokens {
		var why string
		if at, why = v.alternative(at); why != "" {
			return at, why
		}
		switch value := at.value.(type) {
		case map[string]any:
			child, ok := value[tok]
			if !ok {
				return at, "its pointer leads nowhere in the body"
			}
			next, ok := property(at, tok)
			if !ok {
				return at, "the schema does not describe " + textcut.Quote(tok, maxQuoted)
			}
			next.value = child
			at = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(value) || !isArrayIndex(tok) {
				return at, "its pointer leads nowhere in the body"
			}
			next, ok := follow(at.schema.Items, at.loc+".items")
			if !ok {
				return at, "the array's items have no schema the suggestion can follow"
			}
			next.value, next.item = value[i], true
			at = next
		default:
			return at, "its pointer leads nowhere in the body"
		}
	}
	return at, ""
}

// alternative returns the oneOf or anyOf alternative that at's value
// takes, and so on down; at itself when its schema has none. It is the
// alternative the check's walk of undocumented fields takes: the first the
// value validates against.
func (v *Validator) alternative(at spot) (spot, string) {
	for _, group := range []struct {
		name string
		refs openapi3.SchemaRefs
	}{{"oneOf", at.schema.OneOf}, {"anyOf", at.schema.AnyOf}} {
		if len(group.refs) == 0 || at.value == nil {
			continue
		}
		for i, ref := range group.refs {
			alt, ok := follow(ref, fmt.Sprintf("%s.%s[%d]", at.loc, group.name, i))
			if !ok || alt.schema.VisitJSON(at.value, v.matchOptions...) != nil {
				continue
			}
			alt.value, alt.property, alt.required, alt.item = at.value, at.property, at.required, at.item
			return v.alternative(alt)
		}
		return at, "the value fits none of the schema's " + group.name + " alternatives"
	}
	return at, ""
}

// property returns the spot of the member name of at's object schema:
// a property of its own, then of its allOf parts, else its
// additionalProperties schema.
func property(at spot, name string) (spot, bool) {
	if ref := at.schema.Properties[name]; ref != nil {
		next, ok := follow(ref, at.loc+".properties"+member(name))
		next.property, next.required = name, slices.Contains(at.schema.Required, name)
		return next, ok
	}
	for i, part := range at.schema.AllOf {
		if p, ok := follow(part, fmt.Sprintf("%s.allOf[%d]", at.loc, i)); ok {
			if next, ok := property(p, name); ok {
				next.required = next.required || slices.Contains(at.schema.Required, name)
				return next, true
			}
		}
	}
	if extra := at.schema.AdditionalProperties.Schema; extra != nil {
		next, ok := follow(extra, at.loc+".additionalProperties")
		next.property = name
		return next, ok
	}
	return spot{}, false
}

// lister returns the spot of the schema that lists at's properties, where a
// new field joins its siblings: at's own schema when it lists properties,
// else the first of its allOf parts that does (the order of the check's
// walk).
func lister(at spot) (spot, bool) {
	if len(at.schema.Properties) > 0 {
		return at, true
	}
	for i, part := range at.schema.AllOf {
		if p, ok := follow(part, fmt.Sprintf("%s.allOf[%d]", at.loc, i)); ok {
			if l, ok := lister(p); ok {
				return l, true
			}
		}
	}
	return spot{}, false
}

// schemaLabel names the schema at a JSONPath briefly: "Task" for
// $.components.schemas.Task.properties, "Task.title" for its title.
func schemaLabel(loc string) string {
	s := strings.TrimPrefix(loc, "$.components.schemas.")
	s = strings.TrimSuffix(s, ".properties")
	s = strings.ReplaceAll(s, ".properties.", ".")
	s = strings.ReplaceAll(s, ".properties[", "[")
	return textcut.Cut(s, maxNameShown)
}
