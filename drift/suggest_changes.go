package drift

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// The changes a Suggester proposes, one constructor per rule it answers,
// and the overlay actions of each change.

// fieldChange is the change an undocumented field at tokens calls for: the
// field joins the properties of the schema that lists its siblings. It
// returns the field's value too, which the change's schema is inferred from.
func (s *Suggester) fieldChange(root spot, tokens []string) (*change, any, string) {
	if len(tokens) == 0 {
		return nil, nil, "its pointer names no field"
	}
	name := tokens[len(tokens)-1]
	parent, why := s.v.locate(root, tokens[:len(tokens)-1])
	if why == "" {
		parent, why = s.v.alternative(parent)
	}
	if why != "" {
		return nil, nil, why
	}
	obj, ok := parent.value.(map[string]any)
	if !ok {
		return nil, nil, "its pointer does not lead to a member of an object"
	}
	value, ok := obj[name]
	if !ok {
		return nil, nil, "its pointer leads nowhere in the body"
	}
	holder, ok := lister(parent)
	if !ok {
		return nil, nil, "the object's schema lists no properties to add the field to"
	}
	if _, listed := property(parent, name); listed {
		return nil, nil, "the schema already describes the field"
	}
	return &change{kind: SuggestField, target: holder.loc + ".properties", name: name, schema: schemaLabel(holder.loc)}, value, ""
}

// enumChange is the change a value outside an enum calls for: the value is
// appended to the enum. A value too long, with control characters, or of
// another type than the enum's, is text rather than a new member.
func (s *Suggester) enumChange(root spot, tokens []string) (*change, string) {
	at, why := s.v.locate(root, tokens)
	if why != "" {
		return nil, why
	}
	if len(at.schema.Enum) == 0 {
		return nil, "the schema at the pointer has no enum of its own"
	}
	switch value := at.value.(type) {
	case string:
		if len(value) > maxEnumValueBytes {
			return nil, fmt.Sprintf("the value is over %d bytes: text, not a member of a closed list", maxEnumValueBytes)
		}
		if strings.ContainsFunc(value, textcut.IsUnsafe) {
			return nil, "the value holds control or format characters"
		}
		if strings.Contains(value, redact.Replacement) {
			return nil, "the value held a secret, which was scrubbed"
		}
	case json.Number, bool:
	default:
		return nil, "the value is not a string, number or boolean"
	}
	if t := at.schema.Type; t != nil && len(t.Slice()) > 0 && !t.Includes(valueType(at.value)) &&
		!(t.Is(openapi3.TypeNumber) && valueType(at.value) == openapi3.TypeInteger) {
		return nil, "the value is not of the enum's type"
	}
	name := jsonText(at.value)
	for _, old := range at.schema.Enum {
		if jsonText(old) == name {
			return nil, "the enum lists the value"
		}
	}
	target := at.loc + ".enum"
	if c := s.changes[string(SuggestEnumValue)+"\x00"+target+"\x00"+name]; c == nil {
		n := 0
		for _, c := range s.changes {
			if c.kind == SuggestEnumValue && c.target == target {
				n++
			}
		}
		if n >= maxNewEnumValues {
			return nil, fmt.Sprintf("more than %d new values of one enum: it looks like free text", maxNewEnumValues)
		}
	}
	return &change{kind: SuggestEnumValue, target: target, name: name, value: at.value, at: at, schema: schemaLabel(at.loc)}, ""
}

// nullableChange is the change a null where the schema is not nullable
// calls for: the schema becomes nullable.
func (s *Suggester) nullableChange(root spot, tokens []string) (*change, string) {
	at, why := s.v.locate(root, tokens)
	if why != "" {
		return nil, why
	}
	if at.value != nil {
		return nil, "the value is not null"
	}
	return &change{kind: SuggestNullable, target: at.loc, name: at.property, at: at, schema: schemaLabel(at.loc)}, ""
}

// wideningChange is the change a value of a type the schema does not allow
// calls for: the schema widens to take it. Only a schema of one scalar type
// and no keyword that holds other schemas or a closed list widens; any
// other is left to a person.
func (s *Suggester) wideningChange(root spot, tokens []string) (*change, any, string) {
	at, why := s.v.locate(root, tokens)
	if why != "" {
		return nil, nil, why
	}
	sc := at.schema
	if sc.Type == nil || len(sc.Type.Slice()) != 1 {
		return nil, nil, "the schema states no single type to widen"
	}
	switch t := sc.Type.Slice()[0]; {
	case t == openapi3.TypeObject || t == openapi3.TypeArray:
		return nil, nil, "widening an object or array schema is left to a person (the spec's way with PHP's empty [] is a oneOf with EmptyArray)"
	case len(sc.Enum) > 0:
		return nil, nil, "the schema is an enum: widening it is left to a person"
	case len(sc.OneOf)+len(sc.AnyOf)+len(sc.AllOf) > 0 || sc.Not != nil:
		return nil, nil, "the schema is composed of others: widening it is left to a person"
	}
	if at.value == nil {
		return nil, nil, "the value is null"
	}
	return &change{kind: SuggestWidening, target: at.loc, name: at.property, at: at, schema: schemaLabel(at.loc)}, at.value, ""
}

// valueType is the schema type of a decoded JSON value, integer for a
// whole number.
func valueType(v any) string {
	switch v := v.(type) {
	case json.Number:
		if isIntegerText(string(v)) {
			return openapi3.TypeInteger
		}
		return openapi3.TypeNumber
	case float64:
		return openapi3.TypeNumber
	case nil:
		return "null"
	}
	return schemaTypeOf(v)
}

// actions returns the overlay actions of a change: one, or two for a
// widening into a oneOf (remove the type, then add the alternatives).
func (s *Suggester) actions(c *change) []SuggestedAction {
	ev := c.evidence.done()
	a := SuggestedAction{Kind: c.kind, Target: c.target, Name: c.name, Evidence: ev}
	evidence := s.evidenceText(ev)
	switch c.kind {
	case SuggestField:
		what := c.values.summary()
		note := c.values.notes()
		seenIn := ev.Sources[0]
		if more := len(ev.Sources) - 1 + ev.MoreSources; more > 0 {
			seenIn += fmt.Sprintf(" and %d more", more)
		}
		desc := fmt.Sprintf("Not described by Tallyfy's documentation or Swagger: the drift check saw it on %s, in %s.",
			s.observed, seenIn)
		field := c.values.node(s.dateTime, strings.TrimSpace(desc+" "+note))
		a.Update = mapNode(keyValue{c.name, field})
		a.Summary = fmt.Sprintf("add field %s to %s (%s)", quoteName(c.name), c.schema, what)
		a.Description = paragraphs(
			fmt.Sprintf("Add the field %s to %s, as %s. It is not required, and has no enum. %s", codeName(c.name), c.schema, what, note),
			evidence)
	case SuggestEnumValue:
		a.Update = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{valueNode(c.value)}}
		a.Summary = fmt.Sprintf("append %s to the enum of %s", c.name, c.schema)
		a.Description = paragraphs(
			fmt.Sprintf("Append %s to the enum of %s. The Go client decodes any value already; the generated type gains a constant. %s",
				c.name, c.schema, gateNote("a new value of a response enum")),
			evidence)
	case SuggestNullable:
		a.Update = mapNode(keyValue{"nullable", boolNode(true)})
		a.Breaking = c.at.required || c.at.item
		a.Summary = fmt.Sprintf("make %s nullable", c.schema)
		var notes []string
		if c.at.shared {
			notes = append(notes, "It is a component schema: every field that refers to it becomes nullable.")
		}
		if a.Breaking {
			notes = append(notes, "Breaking for the generated Go type: a required field or an array item that may be null becomes a pointer.")
			a.Summary += " (breaking for the Go type)"
		}
		notes = append(notes, gateNote("a response field that becomes nullable"))
		a.Description = paragraphs(
			fmt.Sprintf("Make %s nullable: null was seen where the schema does not allow it. %s", c.schema, strings.Join(notes, " ")),
			evidence)
	case SuggestWidening:
		return s.widening(c, a, evidence)
	}
	a.Summary = textcut.Line(a.Summary, 2*maxNameShown)
	return []SuggestedAction{a}
}

// widening returns the actions of a widening: integer to number, or the
// old type and the types seen as a oneOf.
func (s *Suggester) widening(c *change, a SuggestedAction, evidence string) []SuggestedAction {
	old := c.at.schema.Type.Slice()[0]
	kinds := c.values.kinds()
	oldBranch := typeNode(old, "")
	if old == openapi3.TypeInteger && slices.Contains(kinds, openapi3.TypeNumber) {
		old, oldBranch = openapi3.TypeNumber, typeNode(openapi3.TypeNumber, "double")
	}
	var extra []string
	for _, k := range kinds {
		if k != old {
			extra = append(extra, k)
		}
	}
	a.Breaking = true
	goType := ""
	if xt, ok := c.at.schema.Extensions["x-go-type"].(string); ok {
		goType = fmt.Sprintf(" Its x-go-type keeps the Go type %s: check that it decodes the new type.", textcut.Line(xt, maxNameShown))
	}
	if len(extra) == 0 { // integer to number
		a.Update = mapNode(keyValue{"type", strNode(openapi3.TypeNumber)}, keyValue{"format", strNode("double")})
		a.Summary = textcut.Line(fmt.Sprintf("widen %s from integer to number (breaking for the Go type)", c.schema), 2*maxNameShown)
		a.Description = paragraphs(
			fmt.Sprintf("Widen %s from integer to number: numbers with a fraction were seen. Breaking for the generated Go type: an int becomes a float64.%s %s",
				c.schema, goType, gateNote("a widened response type")),
			evidence)
		return []SuggestedAction{a}
	}
	branches := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{oldBranch}}
	for _, k := range extra {
		branches.Content = append(branches.Content, c.values.kindNode(k, s.dateTime))
	}
	types := strings.Join(append([]string{old}, extra...), " or ")
	what := fmt.Sprintf("Widen %s from %s to %s: values of another type were seen. Two actions: remove its type, then give the types as a oneOf. "+
		"Breaking for the generated Go type: it becomes a union.%s %s", c.schema, c.at.schema.Type.Slice()[0], types, goType, gateNote("a widened response type"))
	remove := a
	remove.Target, remove.Remove = c.target+".type", true
	remove.Summary = textcut.Line(fmt.Sprintf("widen %s to %s, 1 of 2: remove its type (breaking for the Go type)", c.schema, types), 2*maxNameShown)
	remove.Description = paragraphs(what, evidence)
	a.Update = mapNode(keyValue{"oneOf", branches})
	a.Summary = textcut.Line(fmt.Sprintf("widen %s to %s, 2 of 2: the types as a oneOf (breaking for the Go type)", c.schema, types), 2*maxNameShown)
	a.Description = remove.Description
	return []SuggestedAction{remove, a}
}

// gateNote says that the release gate counts a change as breaking, and
// what to do: oasdiff rates what counts as breaking for a client of the
// response, whatever the Go client makes of it.
func gateNote(what string) string {
	return "The release gate (make spec-check, oasdiff) counts " + what +
		" as breaking for clients: record the decision in release/accepted-breaking.txt."
}

// quoteName quotes a field name for a summary, cut.
func quoteName(name string) string { return textcut.Quote(name, maxNameShown) }

// codeName shows a field name as Markdown code in a description, cut.
func codeName(name string) string {
	name = textcut.Line(name, maxNameShown)
	if strings.Contains(name, "`") {
		return textcut.Quote(name, maxNameShown)
	}
	return "`" + name + "`"
}

// paragraphs joins paragraphs with a blank line, each trimmed.
func paragraphs(ps ...string) string {
	var out []string
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}
