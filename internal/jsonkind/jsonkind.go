// Package jsonkind names the kind of a JSON value ("object", "array",
// "string", "number", "boolean", "null") in one vocabulary, so that the
// client's errors and the drift check's findings say "got string" alike,
// whether they hold the raw bytes or the decoded value.
package jsonkind

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Of names the kind of the JSON value raw from its first byte; "" for
// input that is empty or only white space. raw is not validated.
func Of(raw []byte) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
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

// OfValue names the kind of a value that encoding/json decoded into an
// interface: map[string]any, []any, string, json.Number, float64, bool or
// nil. Any other Go type is named by its type.
func OfValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
