package gen_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/spec"
)

// PHP encodes an empty map as `[]`. Every property that holds a map
// accepts it, in the spec (so the drift check does not report it) and in
// the generated types (so decoding does not fail); a filled map still
// decodes as the object.
func TestEveryMapAcceptsPHPsEmptyArray(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	cases := []struct {
		schema   string // component schema holding the map
		property string
		filled   string // a JSON value of the map with content
		decode   func(t *testing.T, body []byte) (empty, filled func() error)
	}{
		{"Error", "errors", `{"per_page":["too small"]}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Error
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Errors)
			return emptyOf(v.Errors.AsEmptyArray), errOf(v.Errors.AsFieldErrors)
		}},
		{"ValidationError", "errors", `{"per_page":["too small"]}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.ValidationError
			require.NoError(t, json.Unmarshal(body, &v))
			return emptyOf(v.Errors.AsEmptyArray), errOf(v.Errors.AsFieldErrors)
		}},
		{"Run", "progress", `{"complete":1,"total":4,"percent":25}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Run
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Progress)
			return emptyOf(v.Progress.AsEmptyArray), errOf(v.Progress.AsRunProgress)
		}},
		{"Run", "whole_progress", `{"complete":1,"total":4,"percent":25}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Run
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.WholeProgress)
			return emptyOf(v.WholeProgress.AsEmptyArray), errOf(v.WholeProgress.AsRunProgress)
		}},
		{"Run", "prerun", `{"50fa03d072403ef8342be3b7831ad28a":"Acme"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Run
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Prerun)
			return emptyOf(v.Prerun.AsEmptyArray), errOf(v.Prerun.AsRunPrerun0)
		}},
		{"Task", "taskdata", `{"50fa03d072403ef8342be3b7831ad28a":"Acme"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Task
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.TaskData)
			return emptyOf(v.TaskData.AsEmptyArray), errOf(v.TaskData.AsTaskTaskdata0)
		}},
		{"Step", "start_date", `{"value":2,"unit":"days"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Step
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.StartDate)
			return emptyOf(v.StartDate.AsEmptyArray), errOf(v.StartDate.AsRelativeDate)
		}},
		{"Step", "deadline", `{"value":2,"unit":"days","option":"from","step":"start_run"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Step
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Deadline)
			return emptyOf(v.Deadline.AsEmptyArray), errOf(v.Deadline.AsRelativeDate)
		}},
		{"Step", "bp_to_launch", `{"id":"2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b","tasks_within_process":true}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Step
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.BpToLaunch)
			return emptyOf(v.BpToLaunch.AsEmptyArray), errOf(v.BpToLaunch.AsStepLaunch)
		}},
		{"ThenAction", "deadline", `{"value":2,"unit":"days"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.ThenAction
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Deadline)
			return emptyOf(v.Deadline.AsEmptyArray), errOf(v.Deadline.AsRelativeDate)
		}},
		{"Pagination", "links", `{"next":"https://go.tallyfy.com/api/x?page=2"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.Pagination
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Links)
			return emptyOf(v.Links.AsEmptyArray), errOf(v.Links.AsPaginationLinks)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.schema+"."+tc.property, func(t *testing.T) {
			ref := doc.Components.Schemas[tc.schema]
			require.NotNil(t, ref, tc.schema)
			prop := ref.Value.Properties[tc.property]
			require.NotNil(t, prop, tc.property)
			for _, value := range []string{`[]`, tc.filled} {
				var decoded any
				require.NoError(t, json.Unmarshal([]byte(value), &decoded))
				assert.NoError(t, prop.Value.VisitJSON(decoded, openapi3.MultiErrors()), "the spec accepts %s", value)
			}
			assert.Error(t, prop.Value.VisitJSON([]any{"x"}), "a non-empty array is not a map")

			body := func(value string) []byte {
				return []byte(`{"id":"x","title":"x","` + tc.property + `":` + value + `}`)
			}
			empty, _ := tc.decode(t, body(`[]`))
			assert.NoError(t, empty(), "[] decodes as the empty array")
			_, filled := tc.decode(t, body(tc.filled))
			assert.NoError(t, filled(), "a filled map decodes as the object")
		})
	}
}

func emptyOf(as func() (gen.EmptyArray, error)) func() error {
	return func() error {
		v, err := as()
		if err == nil && len(v) != 0 {
			return assert.AnError
		}
		return err
	}
}

func errOf[T any](as func() (T, error)) func() error {
	return func() error {
		_, err := as()
		return err
	}
}

// An element of a list of maps is a map too: PHP sends an empty one as
// `[]`, beside filled ones. The spec accepts it, and the generated element
// type decodes both.
func TestEveryListOfMapsAcceptsPHPsEmptyArrayAsAnElement(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	cases := []struct {
		schema   string // component schema holding the list
		property string
		filled   string // a filled element
		decode   func(t *testing.T, body []byte) (empty, filled func() error)
	}{
		{"KickoffField", "options", `{"id":1,"text":"Yes"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.KickoffField
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Options)
			require.Len(t, *v.Options, 2)
			return emptyOf((*v.Options)[0].AsEmptyArray), errOf((*v.Options)[1].AsKickoffFieldOptions0)
		}},
		{"FormField", "columns", `{"label":"Amount"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.FormField
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotNil(t, v.Columns)
			require.Len(t, *v.Columns, 2)
			return emptyOf((*v.Columns)[0].AsEmptyArray), errOf((*v.Columns)[1].AsFormFieldColumns0)
		}},
		{"ActivityList", "data", `{"action":"completed"}`, func(t *testing.T, body []byte) (func() error, func() error) {
			var v gen.ActivityList
			require.NoError(t, json.Unmarshal(body, &v))
			require.Len(t, v.Data, 2)
			return emptyOf(v.Data[0].AsEmptyArray), errOf(v.Data[1].AsActivityListData0)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.schema+"."+tc.property+"[]", func(t *testing.T) {
			ref := doc.Components.Schemas[tc.schema]
			require.NotNil(t, ref, tc.schema)
			prop := ref.Value.Properties[tc.property]
			require.NotNil(t, prop, tc.property)
			list := `[[],` + tc.filled + `]`
			var decoded any
			require.NoError(t, json.Unmarshal([]byte(list), &decoded))
			assert.NoError(t, prop.Value.VisitJSON(decoded, openapi3.MultiErrors()), "the spec accepts %s", list)
			assert.Error(t, prop.Value.VisitJSON([]any{[]any{"x"}}), "a non-empty array is not a map")

			empty, filled := tc.decode(t, []byte(`{"id":"x","title":"x","`+tc.property+`":`+list+`}`))
			assert.NoError(t, empty(), "[] decodes as the empty array")
			assert.NoError(t, filled(), "a filled map decodes as the object")
		})
	}
}

// Every map-typed value in the spec (an object with free-form content: a
// property, an array's items, a map's values, at any depth) accepts `[]`
// through a oneOf with EmptyArray, or is listed here with the reason it is
// left as it is. TestEveryMapAcceptsPHPsEmptyArray and
// TestEveryListOfMapsAcceptsPHPsEmptyArrayAsAnElement decode each one that
// accepts it.
var mapsThatAreNeverEmpty = map[string]string{}

func TestNoMapIsLeftOut(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	var free []string
	for name, ref := range doc.Components.Schemas {
		// A component is checked where it is used, not as a definition.
		free = append(free, freeFormMaps(name, ref.Value, true)...)
	}
	for at := range mapsThatAreNeverEmpty {
		assert.Contains(t, free, at, "a stale entry of mapsThatAreNeverEmpty")
	}
	var unwrapped []string
	for _, at := range free {
		if _, ok := mapsThatAreNeverEmpty[at]; !ok {
			unwrapped = append(unwrapped, at)
		}
	}
	assert.Empty(t, unwrapped, "free-form objects without the EmptyArray branch (give them oneOf [map, EmptyArray])")
}

// freeFormMaps lists, by path, the free-form objects that s holds (its
// properties, items and map values, recursively, through inline schemas
// and oneOf, anyOf and allOf branches) that do not sit beside an
// EmptyArray branch. wrapped says whether s itself sits beside one.
func freeFormMaps(path string, s *openapi3.Schema, wrapped bool) []string {
	if s == nil {
		return nil
	}
	var out []string
	openContent := s.AdditionalProperties.Schema != nil || (s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has)
	if !wrapped && openContent && len(s.Properties) == 0 {
		out = append(out, path)
	}
	child := func(at string, ref *openapi3.SchemaRef, wrapped bool) {
		if ref == nil || ref.Value == nil {
			return
		}
		if ref.Ref != "" { // a component: its own content is walked from its root
			v := ref.Value
			vOpen := v.AdditionalProperties.Schema != nil || (v.AdditionalProperties.Has != nil && *v.AdditionalProperties.Has)
			if !wrapped && vOpen && len(v.Properties) == 0 {
				out = append(out, at)
			}
			return
		}
		out = append(out, freeFormMaps(at, ref.Value, wrapped)...)
	}
	for name, p := range s.Properties {
		child(path+"."+name, p, false)
	}
	child(path+"[]", s.Items, false)
	child(path+"{}", s.AdditionalProperties.Schema, false)
	for _, branches := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
		besideEmpty := slices.ContainsFunc(branches, func(b *openapi3.SchemaRef) bool {
			return b.Ref == "#/components/schemas/EmptyArray"
		})
		for _, b := range branches {
			child(path, b, wrapped || besideEmpty)
		}
	}
	return out
}

func TestFreeFormMapsFindsEveryUnwrappedMap(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    EmptyArray: {type: array, maxItems: 0, items: {}}
    Map: {type: object, additionalProperties: {}}
    Thing:
      type: object
      properties:
        wrapped:
          oneOf: [{$ref: '#/components/schemas/Map'}, {$ref: '#/components/schemas/EmptyArray'}]
        byRef: {$ref: '#/components/schemas/Map'}
        nested:
          type: object
          properties:
            inner: {type: object, additionalProperties: {type: string}}
        list: {type: array, items: {type: object, additionalProperties: true}}
        values: {type: object, additionalProperties: {type: object, additionalProperties: {}}}
        record: {type: object, properties: {id: {type: string}}}
`))
	require.NoError(t, err)
	got := freeFormMaps("Thing", doc.Components.Schemas["Thing"].Value, true)
	assert.ElementsMatch(t, []string{"Thing.byRef", "Thing.nested.inner", "Thing.list[]", "Thing.values", "Thing.values{}"}, got)
}
