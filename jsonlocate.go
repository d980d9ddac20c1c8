package tallyfy

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
	"github.com/tallyfy-go/tallyfy/tolerant"
)

// misfit is the first value of a JSON document that does not unmarshal
// into the Go type meant for it.
type misfit struct {
	pointer  string // JSON pointer, relative to the document
	expected string // what the Go type wants there
	got      string // what kind of JSON value came
}

// maxLocateDepth bounds the walk; encoding/json itself stops at 10000.
const maxLocateDepth = 64

// locateMisfit finds, in raw (valid JSON that does not unmarshal into a
// value of type t), the deepest first value in document order that does not
// fit. encoding/json names the failing field without array indexes (and a
// *time.ParseError names nothing), so the walk unmarshals sub-values again
// until it reaches the one that fails by itself. It only runs for tasks that
// failed, and costs a few decodes of that task.
func locateMisfit(raw []byte, t reflect.Type) misfit {
	if m, ok := locate(raw, t, 0); ok {
		return m
	}
	return misfit{expected: describeType(t), got: jsonKind(raw)}
}

func locate(raw []byte, t reflect.Type, depth int) (misfit, bool) {
	raw = bytes.TrimSpace(raw)
	for t.Kind() == reflect.Pointer {
		if jsonKind(raw) == "null" {
			return misfit{}, false
		}
		t = t.Elem()
	}
	if fits(raw, t) {
		return misfit{}, false
	}
	leaf := misfit{expected: describeType(t), got: jsonKind(raw)}
	if depth >= maxLocateDepth || hasCustomUnmarshal(t) {
		return leaf, true
	}
	var child func(key string) (reflect.Type, bool)
	switch t.Kind() {
	case reflect.Struct:
		child = func(key string) (reflect.Type, bool) { return fieldType(t, key) }
	case reflect.Map:
		child = func(string) (reflect.Type, bool) { return t.Elem(), true }
	case reflect.Slice, reflect.Array:
		child = func(string) (reflect.Type, bool) { return t.Elem(), true }
	default:
		return leaf, true
	}
	found := false
	var inner misfit
	eachMember(raw, func(key string, value []byte) bool {
		ct, ok := child(key)
		if !ok {
			return true
		}
		if m, bad := locate(value, ct, depth+1); bad {
			inner, found = m, true
			inner.pointer = jsonptr.Join(key) + m.pointer
			return false
		}
		return true
	})
	if found {
		return inner, true
	}
	return leaf, true
}

// fits reports whether raw unmarshals into a new value of type t.
func fits(raw []byte, t reflect.Type) bool {
	return json.Unmarshal(raw, reflect.New(t).Interface()) == nil
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func hasCustomUnmarshal(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

// eachMember calls fn with the key and value of each member of a JSON
// object, or the index and value of each element of an array, in document
// order, until fn returns false. raw is valid JSON.
func eachMember(raw []byte, fn func(key string, value []byte) bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := tok.(string)
			var value json.RawMessage
			if dec.Decode(&value) != nil || !fn(key, value) {
				return
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			var value json.RawMessage
			if dec.Decode(&value) != nil || !fn(strconv.Itoa(i), value) {
				return
			}
		}
	}
}

// fieldType returns the type of the struct field that encoding/json fills
// from key: an exact name match first, then a case-insensitive one.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	var folded reflect.Type
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		} else if f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue // its fields are promoted, and listed on their own
		}
		if name == key {
			return f.Type, true
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = f.Type
		}
	}
	return folded, folded != nil
}

// tolerantAccepts says in JSON terms what each type of package tolerant
// accepts (its documentation has the sources).
var tolerantAccepts = map[reflect.Type]string{
	reflect.TypeFor[tolerant.Time]():    "a date-time (RFC 3339, or YYYY-MM-DD HH:MM:SS)",
	reflect.TypeFor[tolerant.ID]():      "a string or an unsigned integer",
	reflect.TypeFor[tolerant.Bool]():    "true, false, 0 or 1",
	reflect.TypeFor[tolerant.UserRef](): "an integer or a user object",
}

// describeType says in JSON terms what a Go type accepts.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 date-time"
	}
	if accepts, ok := tolerantAccepts[t]; ok {
		return accepts
	}
	if hasCustomUnmarshal(t) {
		return "a value " + t.String() + " accepts"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return t.String()
}

// jsonKind names the kind of a JSON value from its first byte.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
