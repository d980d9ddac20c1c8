package gen_test

import (
	"encoding/json"
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

// Every map-typed property in the spec (an object with free-form content, or
// a named object that PHP builds from an array) is in the table above: a new
// one must accept `[]` too.
func TestNoMapPropertyIsLeftOut(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	var free []string
	for name, ref := range doc.Components.Schemas {
		for prop, p := range ref.Value.Properties {
			v := p.Value
			openContent := v.AdditionalProperties.Schema != nil || (v.AdditionalProperties.Has != nil && *v.AdditionalProperties.Has)
			if v.Type.Is(openapi3.TypeObject) && len(v.Properties) == 0 && openContent {
				free = append(free, name+"."+prop)
			}
		}
	}
	assert.Empty(t, free, "free-form object properties without the EmptyArray branch (give them oneOf [map, EmptyArray])")
}
