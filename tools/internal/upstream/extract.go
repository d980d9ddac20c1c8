package upstream

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/jsonnum"
)

// schemaFacts are the keys of a Swagger schema that the extract keeps:
// facts about names and types, never prose.
var schemaFacts = map[string]bool{
	"type": true, "format": true, "enum": true, "items": true, "properties": true,
	"additionalProperties": true, "$ref": true, "required": true, "allOf": true,
}

// parameterFacts are the keys of a Swagger parameter that the extract keeps.
var parameterFacts = map[string]bool{
	"name": true, "in": true, "required": true, "type": true, "format": true,
	"enum": true, "items": true, "collectionFormat": true, "schema": true,
}

// dateTemplatePrefix starts the example of the Swagger's date strings
// (Date: "YYYY-mm-ddTHH:ii:ssZ", RequestDate: "YYYY-mm-dd HH:ii:ss"). The
// Swagger states their shape only there, so the extract keeps the template
// as the string's format.
const dateTemplatePrefix = "YYYY-mm-dd"

// Extract reads Tallyfy's Swagger 2.0 and returns the extract the project
// keeps: the operations of m and every definition they or m's schemas reach, with only names, types, formats, enums and
// structure, and the provenance of the source. The provenance is Source
// with the SHA-256 of swagger itself, so an extract of another file never
// claims to come from the one Source names (and TestExtractCarriesItsProvenance
// fails until Source is updated). The output is stable: the same input
// gives the same bytes.
func Extract(swagger []byte, m Mapping) ([]byte, error) {
	value, err := jsonnum.Decode(swagger)
	if err != nil {
		return nil, fmt.Errorf("upstream swagger: not JSON: %w", err)
	}
	doc, ok := value.(map[string]any)
	if !ok {
		return nil, errors.New("upstream swagger: not a JSON object")
	}
	if doc["swagger"] != "2.0" {
		return nil, fmt.Errorf("upstream swagger: swagger is %v, want \"2.0\"", doc["swagger"])
	}
	definitions, _ := doc["definitions"].(map[string]any)
	sharedParams, _ := doc["parameters"].(map[string]any)

	paths := map[string]any{}
	refs := map[string]bool{}
	for _, pair := range m.Operations {
		path, method, op, err := findSwaggerOperation(doc, pair.Upstream)
		if err != nil {
			return nil, err
		}
		kept, err := keepOperation(op, sharedParams)
		if err != nil {
			return nil, fmt.Errorf("upstream swagger: %s: %w", pair.Upstream, err)
		}
		collectRefs(kept, refs)
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[method] = kept
	}
	for _, pair := range m.Schemas {
		refs[pair.Upstream] = true
	}

	kept := map[string]any{}
	queue := slices.Sorted(maps.Keys(refs))
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if _, done := kept[name]; done {
			continue
		}
		def, ok := definitions[name]
		if !ok {
			return nil, fmt.Errorf("upstream swagger: definition %q is referenced but not defined", name)
		}
		clean := keepSchema(def)
		kept[name] = clean
		found := map[string]bool{}
		collectRefs(clean, found)
		queue = append(queue, slices.Sorted(maps.Keys(found))...)
	}

	info, _ := doc["info"].(map[string]any)
	provenance := Source
	provenance.SHA256 = sha256Hex(swagger)
	out := map[string]any{
		"swagger":      "2.0",
		"info":         map[string]any{"title": info["title"], "version": info["version"]},
		"x-provenance": provenance,
		"paths":        paths,
		"definitions":  kept,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CheckSource returns an error unless swagger is byte for byte the file the
// extract's provenance names.
func CheckSource(swagger []byte) error {
	if got := sha256Hex(swagger); got != Source.SHA256 {
		return fmt.Errorf("upstream swagger: sha256 %s, want %s (%s@%s:%s)",
			got, Source.SHA256, Source.Repository, Source.Commit, Source.Path)
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func findSwaggerOperation(doc map[string]any, operationID string) (path, method string, op map[string]any, err error) {
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[p].(map[string]any)
		for _, m := range slices.Sorted(maps.Keys(item)) {
			o, ok := item[m].(map[string]any)
			if ok && o["operationId"] == operationID {
				return p, m, o, nil
			}
		}
	}
	return "", "", nil, fmt.Errorf("upstream swagger: no operation %q", operationID)
}

func keepOperation(op map[string]any, shared map[string]any) (map[string]any, error) {
	var params []any
	list, _ := op["parameters"].([]any)
	for _, p := range list {
		param, _ := p.(map[string]any)
		if ref, ok := param["$ref"].(string); ok {
			name, found := strings.CutPrefix(ref, "#/parameters/")
			shared, _ := shared[name].(map[string]any)
			if !found || shared == nil {
				return nil, fmt.Errorf("parameter reference %q is not defined", ref)
			}
			param = shared
		}
		if param == nil {
			return nil, errors.New("a parameter is not an object")
		}
		clean := map[string]any{}
		for k, v := range param {
			if !parameterFacts[k] {
				continue
			}
			if k == "schema" || k == "items" {
				v = keepSchema(v)
			}
			clean[k] = v
		}
		params = append(params, clean)
	}
	responses := map[string]any{}
	all, _ := op["responses"].(map[string]any)
	for status, r := range all {
		resp, _ := r.(map[string]any)
		clean := map[string]any{"description": ""}
		if schema, ok := resp["schema"]; ok {
			clean["schema"] = keepSchema(schema)
		}
		responses[status] = clean
	}
	return map[string]any{
		"operationId": op["operationId"],
		"parameters":  params,
		"responses":   responses,
	}, nil
}

// keepSchema returns a copy of a Swagger schema with only its facts.
func keepSchema(v any) any {
	schema, ok := v.(map[string]any)
	if !ok {
		return v
	}
	clean := map[string]any{}
	for k, val := range schema {
		if !schemaFacts[k] {
			continue
		}
		switch k {
		case "items", "additionalProperties":
			clean[k] = keepSchema(val)
		case "allOf":
			list, _ := val.([]any)
			kept := make([]any, 0, len(list))
			for _, s := range list {
				kept = append(kept, keepSchema(s))
			}
			clean[k] = kept
		case "properties":
			props, _ := val.(map[string]any)
			kept := make(map[string]any, len(props))
			for name, s := range props {
				kept[name] = keepSchema(s)
			}
			clean[k] = kept
		default:
			clean[k] = val
		}
	}
	if example, ok := schema["example"].(string); ok && schema["type"] == "string" && schema["format"] == nil &&
		strings.HasPrefix(example, dateTemplatePrefix) {
		clean["format"] = example
	}
	return clean
}

// collectRefs adds the names of the definitions that v references.
func collectRefs(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if ref, ok := val.(string); ok && k == "$ref" {
				if name, found := strings.CutPrefix(ref, "#/definitions/"); found {
					into[name] = true
				}
				continue
			}
			collectRefs(val, into)
		}
	case []any:
		for _, val := range x {
			collectRefs(val, into)
		}
	}
}
