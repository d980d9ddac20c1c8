package drift

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// shape is what every value seen of one field says about its schema: how
// many of each kind, and for objects and arrays, the shape of their fields
// and items. It holds counts only, never a value.
type shape struct {
	seen                                    int
	null, boolean, integer, decimal, object int
	str, array                              int
	notDateTime                             int               // strings that are not RFC 3339 date-times
	fields                                  map[string]*shape // of the objects, field by field
	items                                   *shape            // of every array's elements; nil when none was seen
	open                                    bool              // too deep or too wide to describe: left open
}

// The bounds of inference: an object deeper or wider than this is left open.
const (
	maxShapeDepth  = 8
	maxShapeFields = 100
)

// add takes one more value, depth levels below the field.
func (sh *shape) add(v any, depth int) {
	sh.seen++
	switch v := v.(type) {
	case nil:
		sh.null++
	case bool:
		sh.boolean++
	case json.Number:
		if isIntegerText(string(v)) {
			sh.integer++
		} else {
			sh.decimal++
		}
	case float64:
		if v == math.Trunc(v) {
			sh.integer++
		} else {
			sh.decimal++
		}
	case string:
		sh.str++
		if !isDateTimeValue(v) {
			sh.notDateTime++
		}
	case map[string]any:
		sh.object++
		if depth >= maxShapeDepth {
			sh.open = true
			return
		}
		if sh.fields == nil {
			sh.fields = map[string]*shape{}
		}
		for k, child := range v {
			f := sh.fields[k]
			if f == nil {
				if len(sh.fields) >= maxShapeFields || len(k) > maxKeyBytes {
					sh.open = true
					continue
				}
				f = &shape{}
				sh.fields[k] = f
			}
			f.add(child, depth+1)
		}
	case []any:
		sh.array++
		if depth >= maxShapeDepth {
			sh.open = true
			return
		}
		for _, item := range v {
			if sh.items == nil {
				sh.items = &shape{}
			}
			sh.items.add(item, depth+1)
		}
	}
}

// isIntegerText reports whether a JSON number is written without a
// fraction or an exponent.
func isIntegerText(s string) bool { return !strings.ContainsAny(s, ".eE") }

// isDateTimeValue reports whether s is a date-time as the check's format
// validator reads one (RFC 3339, a day that exists).
func isDateTimeValue(s string) bool {
	if !isDateTime(s) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)])
	return err == nil
}

// kinds lists the schema types of the values other than null, in a fixed
// order: integers and decimals together are one kind, number.
func (sh *shape) kinds() []string {
	var out []string
	if sh.boolean > 0 {
		out = append(out, openapi3.TypeBoolean)
	}
	switch {
	case sh.decimal > 0:
		out = append(out, openapi3.TypeNumber)
	case sh.integer > 0:
		out = append(out, openapi3.TypeInteger)
	}
	if sh.str > 0 {
		out = append(out, openapi3.TypeString)
	}
	if sh.object > 0 {
		out = append(out, openapi3.TypeObject)
	}
	if sh.array > 0 {
		out = append(out, openapi3.TypeArray)
	}
	return out
}

// summary says in a few words what the values make of the field:
// "integer, nullable", "array of object", "string (date-time)".
func (sh *shape) summary() string {
	kinds := sh.kinds()
	var s string
	switch len(kinds) {
	case 0:
		s = "type left open (only null seen)"
	case 1:
		s = sh.kindSummary(kinds[0])
	default:
		s = "type left open (" + strings.Join(kinds, " and ") + " seen)"
	}
	if sh.null > 0 && len(kinds) > 0 {
		s += ", nullable"
	}
	return s
}

func (sh *shape) kindSummary(kind string) string {
	switch kind {
	case openapi3.TypeString:
		if sh.notDateTime == 0 {
			return "string (date-time)"
		}
	case openapi3.TypeArray:
		if sh.items == nil {
			return "array, items left open (only empty arrays seen)"
		}
		return "array of " + sh.items.summary()
	case openapi3.TypeObject:
		if len(sh.fields) == 0 {
			return "object, fields left open"
		}
		return fmt.Sprintf("object of %d fields", len(sh.fields))
	}
	return kind
}

// notes says what the field's schema leaves open, and why, for its
// description: a type seen in more than one kind, an array only ever seen
// empty, an object too deep or wide to describe.
func (sh *shape) notes() string {
	kinds := sh.kinds()
	var notes []string
	switch {
	case len(kinds) == 0:
		notes = append(notes, "Only null was seen, so its type is left open.")
	case len(kinds) > 1:
		notes = append(notes, fmt.Sprintf("It was seen as %s, so its type is left open.", strings.Join(kinds, " and ")))
	case kinds[0] == openapi3.TypeArray && sh.items == nil:
		notes = append(notes, "Only empty arrays were seen, so the type of its items is left open.")
	case kinds[0] == openapi3.TypeObject && len(sh.fields) == 0 && !sh.open:
		notes = append(notes, "Only empty objects were seen, so its fields are left open.")
	}
	if sh.open {
		notes = append(notes, fmt.Sprintf("Its values nest deeper than %d levels or have more than %d fields: what lies past that is left open.",
			maxShapeDepth, maxShapeFields))
	}
	return strings.Join(notes, " ")
}

// node is the schema the values call for, with description (if any).
func (sh *shape) node(dateTime []keyValue, description string) *yaml.Node {
	kinds := sh.kinds()
	var n *yaml.Node
	if len(kinds) == 1 {
		n = sh.kindNode(kinds[0], dateTime)
	} else {
		n = mapNode()
	}
	if sh.null > 0 {
		setKey(n, "nullable", boolNode(true), "properties", "items")
	}
	if description == "" {
		description = sh.notes() // below the field a change adds: only what is left open
	}
	if description != "" {
		setKey(n, "description", textNode(description), "properties", "items")
	}
	return n
}

// kindNode is the schema of the values of one kind: its type, and for a
// string format date-time when every string is one, for an object its
// fields, for an array its items.
func (sh *shape) kindNode(kind string, dateTime []keyValue) *yaml.Node {
	switch kind {
	case openapi3.TypeNumber:
		return typeNode(kind, "double")
	case openapi3.TypeString:
		n := typeNode(kind, "")
		if sh.notDateTime == 0 {
			setKey(n, "format", strNode("date-time"))
			for _, kv := range dateTime {
				setKey(n, kv.key, anyNode(kv.value))
			}
		}
		return n
	case openapi3.TypeObject:
		n := typeNode(kind, "")
		if len(sh.fields) > 0 {
			props := mapNode()
			for _, name := range slices.Sorted(maps.Keys(sh.fields)) {
				setKey(props, name, sh.fields[name].node(dateTime, ""))
			}
			setKey(n, "properties", props)
		}
		return n
	case openapi3.TypeArray:
		n := typeNode(kind, "")
		if sh.items == nil {
			setKey(n, "items", mapNode())
		} else {
			setKey(n, "items", sh.items.node(dateTime, ""))
		}
		return n
	}
	return typeNode(kind, "")
}

// typeNode is {type: kind}, with format when it is not "".
func typeNode(kind, format string) *yaml.Node {
	n := mapNode(keyValue{"type", strNode(kind)})
	if format != "" {
		setKey(n, "format", strNode(format))
	}
	return n
}

// dateTimeExtensions are the extensions that the spec's date-times carry
// for the generated Go type (x-go-type and x-go-type-import): those of
// the most common x-go-type among the component schemas' date-time
// properties; none when they carry none.
func dateTimeExtensions(doc *openapi3.T) []keyValue {
	if doc.Components == nil {
		return nil
	}
	type seen struct {
		count int
		ext   map[string]any
	}
	byType := map[string]*seen{}
	var order []string
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		for _, pname := range slices.Sorted(maps.Keys(ref.Value.Properties)) {
			p := ref.Value.Properties[pname]
			if p == nil || p.Value == nil || p.Value.Format != "date-time" {
				continue
			}
			goType, ok := p.Value.Extensions["x-go-type"].(string)
			if !ok {
				continue
			}
			if byType[goType] == nil {
				byType[goType] = &seen{ext: p.Value.Extensions}
				order = append(order, goType)
			}
			byType[goType].count++
		}
	}
	if len(order) == 0 {
		return nil
	}
	best := slices.MaxFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(byType[a].count, byType[b].count), cmp.Compare(b, a))
	})
	out := []keyValue{{"x-go-type", best}}
	if imp, ok := byType[best].ext["x-go-type-import"]; ok {
		out = append(out, keyValue{"x-go-type-import", imp})
	}
	return out
}
