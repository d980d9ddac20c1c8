package spec_test

import (
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/spec"
)

// goTypeOf is the x-go-type of a schema, "" when it has none.
func goTypeOf(s *openapi3.Schema) string {
	v, _ := s.Extensions["x-go-type"].(string)
	return v
}

// dateTimes returns the path of every date-time schema inside s (inline
// schemas only: every component is walked on its own), with its x-go-type.
func dateTimes(path string, s *openapi3.Schema, found map[string]string) {
	if s == nil {
		return
	}
	if s.Format == "date-time" {
		found[path] = goTypeOf(s)
	}
	inline := func(p string, ref *openapi3.SchemaRef) {
		if ref != nil && ref.Ref == "" {
			dateTimes(p, ref.Value, found)
		}
	}
	for name, prop := range s.Properties {
		inline(path+"."+name, prop)
	}
	inline(path+"[]", s.Items)
	for _, alternatives := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
		for _, alt := range alternatives {
			inline(path+"|", alt)
		}
	}
	inline(path+"{}", s.AdditionalProperties.Schema)
}

// TestEveryResponseDateTimeDecodesTolerantly keeps a date-time added to the
// spec from decoding strictly: each one must be a tolerant.Time, or one
// value in the space-separated shape that Tallyfy's Swagger documents would
// cost its whole task.
func TestEveryResponseDateTimeDecodesTolerantly(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	found := map[string]string{}
	for name, ref := range doc.Components.Schemas {
		dateTimes(name, ref.Value, found)
	}
	require.NotEmpty(t, found)
	var strict []string
	for path, goType := range found {
		if goType != "tolerant.Time" {
			strict = append(strict, path)
		}
	}
	sort.Strings(strict)
	assert.Empty(t, strict, "date-times without x-go-type: tolerant.Time")
}

// TestValuesWhoseSourcesDisagreeDecodeTolerantly pins the x-go-type of each
// property whose shape Tallyfy's sources disagree on.
func TestValuesWhoseSourcesDisagreeDecodeTolerantly(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	cases := []struct {
		schema string
		path   []string // property names from the schema down; "[]" for items
		goType string
	}{
		{"TaskOwnerUser", nil, "tolerant.UserRef"},
		{"Task", []string{"is_completable"}, "tolerant.Bool"},
		{"Thread", []string{"id"}, "tolerant.ID"},
		{"Step", []string{"id"}, "tolerant.ID"},
		{"FormField", []string{"id"}, "tolerant.ID"},
		{"Asset", []string{"subject", "id"}, "tolerant.ID"},
		{"TaskOwners", []string{"groups", "[]"}, "tolerant.ID"},
	}
	for _, tc := range cases {
		t.Run(tc.schema, func(t *testing.T) {
			ref := doc.Components.Schemas[tc.schema]
			require.NotNil(t, ref, "schema %s", tc.schema)
			s := ref.Value
			for _, name := range tc.path {
				next := s.Items
				if name != "[]" {
					next = s.Properties[name]
				}
				require.NotNil(t, next, "%s has no %s", tc.schema, name)
				s = next.Value
			}
			assert.Equal(t, tc.goType, goTypeOf(s))
			imp, _ := s.Extensions["x-go-type-import"].(map[string]any)
			assert.Equal(t, "github.com/tallyfy-go/tallyfy/tolerant", imp["path"])
		})
	}
}
