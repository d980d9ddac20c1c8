package upstream_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

var testMapping = upstream.Mapping{
	Operations: []upstream.OperationPair{{Ours: "listThings", Upstream: "getThings"}},
	Schemas:    []upstream.SchemaPair{{Ours: "Extra", Upstream: "ExtraDef", Why: "an include"}},
}

// swaggerDoc is a Swagger 2.0 document with one operation, getThings, whose
// 200 response is a Thing; params and defs are JSON fragments.
func swaggerDoc(path, params, defs string) []byte {
	return fmt.Appendf(nil, `{"swagger":"2.0","info":{"title":"t","version":"1"},
	"paths":{%q:{"get":{"operationId":"getThings","parameters":[%s],
	"responses":{"200":{"description":"","schema":{"$ref":"#/definitions/Thing"}}}}}},
	"definitions":{"ExtraDef":{"properties":{"id":{"type":"string"}}},%s}}`, path, params, defs)
}

// oursDoc is an OpenAPI 3 document with one operation, listThings, whose 200
// response is a Thing; params and schemas are JSON fragments.
func oursDoc(path, params, schemas string) []byte {
	return fmt.Appendf(nil, `{"openapi":"3.0.3","info":{"title":"t","version":"1"},
	"paths":{%q:{"get":{"operationId":"listThings","parameters":[%s],
	"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}}}}},
	"components":{"schemas":{"Extra":{"type":"object","properties":{"id":{"type":"string"}}},%s}}}`, path, params, schemas)
}

const (
	upPath   = "/orgs/{org}/things"
	oursPath = "/orgs/{org_id}/things"
	upOrg    = `{"name":"org","in":"path","required":true,"type":"string"}`
	oursOrg  = `{"name":"org_id","in":"path","required":true,"schema":{"type":"string"}}`
)

func TestCompare(t *testing.T) {
	cases := []struct {
		name              string
		upPath, oursPath  string
		upParams, upDefs  string
		oursParams, oSchs string
		want              []upstream.Difference
	}{
		{
			name:       "the same facts: no difference (path parameters matched by position)",
			upParams:   upOrg + `,{"name":"q","in":"query","type":"string"}`,
			upDefs:     `"Thing":{"properties":{"id":{"type":"string"},"n":{"type":"integer"}}}`,
			oursParams: oursOrg + `,{"name":"q","in":"query","schema":{"type":"string"}}`,
			oSchs:      `"Thing":{"type":"object","properties":{"id":{"type":"string"},"n":{"type":"integer"},"ours_only":{"type":"string"}}}`,
		},
		{
			name:       "a parameter missing, one optional that upstream requires",
			upParams:   upOrg + `,{"name":"q","in":"query","type":"string"},{"name":"all","in":"query","required":true,"type":"boolean"}`,
			upDefs:     `"Thing":{"properties":{}}`,
			oursParams: oursOrg + `,{"name":"all","in":"query","schema":{"type":"boolean"}}`,
			oSchs:      `"Thing":{"type":"object"}`,
			want: []upstream.Difference{
				{Key: "listThings/parameters/query/all/required", Upstream: "required", Ours: "optional"},
				{Key: "listThings/parameters/query/q", Upstream: "string", Ours: "absent"},
			},
		},
		{
			name:       "enum values only one side lists",
			upParams:   upOrg + `,{"name":"sort","in":"query","type":"string","enum":["a","b"]}`,
			upDefs:     `"Thing":{"properties":{}}`,
			oursParams: oursOrg + `,{"name":"sort","in":"query","schema":{"type":"string","enum":["a","-a"]}}`,
			oSchs:      `"Thing":{"type":"object"}`,
			want: []upstream.Difference{
				{Key: "listThings/parameters/query/sort/enum/-a", Upstream: "absent", Ours: "lists it"},
				{Key: "listThings/parameters/query/sort/enum/b", Upstream: "lists it", Ours: "absent"},
			},
		},
		{
			name:       "a comma-joined string is our comma-joined array; its enum values are split",
			upParams:   upOrg + `,{"name":"with","in":"query","type":"string","enum":["x","y","x,y,z"]}`,
			upDefs:     `"Thing":{"properties":{}}`,
			oursParams: oursOrg + `,{"name":"with","in":"query","style":"form","explode":false,"schema":{"type":"array","items":{"type":"string","enum":["x","y"]}}}`,
			oSchs:      `"Thing":{"type":"object"}`,
			want: []upstream.Difference{
				{Key: "listThings/parameters/query/with/enum/z", Upstream: "lists it", Ours: "absent"},
			},
		},
		{
			name:       "an exploded array is not a comma-joined string",
			upParams:   upOrg + `,{"name":"with","in":"query","type":"string"}`,
			upDefs:     `"Thing":{"properties":{}}`,
			oursParams: oursOrg + `,{"name":"with","in":"query","schema":{"type":"array","items":{"type":"string"}}}`,
			oSchs:      `"Thing":{"type":"object"}`,
			want: []upstream.Difference{
				{Key: "listThings/parameters/query/with/type", Upstream: "string", Ours: "array"},
			},
		},
		{
			name:       "properties: missing, retyped, untyped, wrong item type, items dropped",
			upParams:   upOrg,
			upDefs:     `"Thing":{"properties":{"gone":{"type":"boolean"},"id":{"type":"string"},"to":{"type":"array","items":{"type":"integer"}},"any":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}}}}`,
			oursParams: oursOrg,
			oSchs:      `"Thing":{"type":"object","properties":{"id":{"type":"integer"},"to":{"type":"array","items":{"type":"string"}},"any":{"nullable":true},"tags":{"type":"array"}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/any/type", Upstream: "string", Ours: "any type"},
				{Key: "Thing(Thing)/properties/gone", Upstream: "boolean", Ours: "absent"},
				{Key: "Thing(Thing)/properties/id/type", Upstream: "string", Ours: "integer"},
				{Key: "Thing(Thing)/properties/tags/items", Upstream: "string", Ours: "any items"},
				{Key: "Thing(Thing)/properties/to/items/type", Upstream: "integer", Ours: "string"},
			},
		},
		{
			name:       "required: a property only one side requires, either way; one ours lacks is its own difference",
			upParams:   upOrg,
			upDefs:     `"Thing":{"required":["id","gone","unlisted"],"properties":{"id":{"type":"string"},"n":{"type":"integer"},"m":{"type":"string"},"gone":{"type":"string"}}}`,
			oursParams: oursOrg,
			oSchs:      `"Thing":{"type":"object","required":["n","ours_only"],"properties":{"id":{"type":"string"},"n":{"type":"integer"},"m":{"type":"string"},"ours_only":{"type":"string"}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/gone", Upstream: "string", Ours: "absent"},
				{Key: "Thing(Thing)/properties/id/required", Upstream: "required", Ours: "optional"},
				{Key: "Thing(Thing)/properties/n/required", Upstream: "optional", Ours: "required"},
				{Key: "Thing(Thing)/properties/unlisted/required", Upstream: "required", Ours: "optional"},
			},
		},
		{
			name:       "required in a oneOf branch",
			upParams:   upOrg,
			upDefs:     `"Thing":{"properties":{"m":{"required":["k"],"properties":{"k":{"type":"integer"}}}}}`,
			oursParams: oursOrg,
			oSchs: `"Empty":{"type":"array","maxItems":0,"items":{}},"M":{"type":"object","properties":{"k":{"type":"integer"}}},
				"Thing":{"type":"object","properties":{"m":{"oneOf":[{"$ref":"#/components/schemas/M"},{"$ref":"#/components/schemas/Empty"}]}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/m/properties/k/required", Upstream: "required", Ours: "optional"},
			},
		},
		{
			name:     "date templates: the Z form is date-time, the space form is not",
			upParams: upOrg,
			upDefs: `"Date":{"type":"string","format":"YYYY-mm-ddTHH:ii:ssZ"},"RequestDate":{"type":"string","format":"YYYY-mm-dd HH:ii:ss"},
				"Thing":{"properties":{"a":{"$ref":"#/definitions/Date"},"b":{"$ref":"#/definitions/RequestDate"},"c":{"$ref":"#/definitions/Date"}}}`,
			oursParams: oursOrg,
			oSchs:      `"Thing":{"type":"object","properties":{"a":{"type":"string","format":"date-time"},"b":{"type":"string","format":"date-time"},"c":{"type":"string"}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/b/format", Upstream: "YYYY-mm-dd HH:ii:ss", Ours: "date-time"},
				{Key: "Thing(Thing)/properties/c/format", Upstream: "YYYY-mm-ddTHH:ii:ssZ", Ours: "absent"},
			},
		},
		{
			name:       "oneOf: compatible when a branch has the type, and compared in that branch",
			upParams:   upOrg,
			upDefs:     `"Thing":{"properties":{"m":{"properties":{"k":{"type":"integer"}}},"s":{"type":"string"}}}`,
			oursParams: oursOrg,
			oSchs: `"Empty":{"type":"array","maxItems":0,"items":{}},"M":{"type":"object","properties":{"k":{"type":"string"}}},
				"Thing":{"type":"object","properties":{"m":{"oneOf":[{"$ref":"#/components/schemas/M"},{"$ref":"#/components/schemas/Empty"}]},
				"s":{"oneOf":[{"type":"object"},{"$ref":"#/components/schemas/Empty"}]}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/m/properties/k/type", Upstream: "integer", Ours: "string"},
				{Key: "Thing(Thing)/properties/s/type", Upstream: "string", Ours: "object or array"},
			},
		},
		{
			name:       "a schema of ours typed only through allOf",
			upParams:   upOrg,
			upDefs:     `"Thing":{"properties":{"s":{"type":"string"}}}`,
			oursParams: oursOrg,
			oSchs:      `"S":{"type":"string"},"Thing":{"type":"object","properties":{"s":{"allOf":[{"$ref":"#/components/schemas/S"}]}}}`,
			want: []upstream.Difference{
				{Key: "Thing(Thing)/properties/s/type", Upstream: "string", Ours: "no type of its own (allOf)"},
			},
		},
		{
			name:       "a pair of named schemas is compared once, on its own key",
			upParams:   upOrg,
			upDefs:     `"Owner":{"properties":{"name":{"type":"string"}}},"Thing":{"properties":{"a":{"$ref":"#/definitions/Owner"},"b":{"$ref":"#/definitions/Owner"}}}`,
			oursParams: oursOrg,
			oSchs:      `"Person":{"type":"object"},"Thing":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/Person"},"b":{"$ref":"#/components/schemas/Person"}}}`,
			want: []upstream.Difference{
				{Key: "Person(Owner)/properties/name", Upstream: "string", Ours: "absent"},
			},
		},
		{
			name:       "another path",
			upPath:     "/orgs/{org}/items",
			upParams:   upOrg,
			upDefs:     `"Thing":{"properties":{}}`,
			oursParams: oursOrg,
			oSchs:      `"Thing":{"type":"object"}`,
			want: []upstream.Difference{
				{Key: "listThings/path", Upstream: "GET /orgs/{org}/items", Ours: "GET /orgs/{org_id}/things"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			up, ours := tc.upPath, tc.oursPath
			if up == "" {
				up = upPath
			}
			if ours == "" {
				ours = oursPath
			}
			upDoc, err := upstream.LoadExtract(swaggerDoc(up, tc.upParams, tc.upDefs))
			require.NoError(t, err)
			oursDoc, err := openapi3.NewLoader().LoadFromData(oursDoc(ours, tc.oursParams, tc.oSchs))
			require.NoError(t, err)
			got := upstream.Compare(oursDoc, upDoc, testMapping)
			if len(tc.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCompareComparesTheMappedIncludeSchemas(t *testing.T) {
	upDoc, err := upstream.LoadExtract([]byte(strings.Replace(string(swaggerDoc(upPath, upOrg, `"Thing":{"properties":{}}`)),
		`"ExtraDef":{"properties":{"id":{"type":"string"}}}`, `"ExtraDef":{"properties":{"id":{"type":"string"},"more":{"type":"integer"}}}`, 1)))
	require.NoError(t, err)
	oursDoc, err := openapi3.NewLoader().LoadFromData(oursDoc(oursPath, oursOrg, `"Thing":{"type":"object"}`))
	require.NoError(t, err)
	assert.Equal(t, []upstream.Difference{{Key: "Extra(ExtraDef)/properties/more", Upstream: "integer", Ours: "absent"}},
		upstream.Compare(oursDoc, upDoc, testMapping))
}

func TestCompareNamesAMissingOperation(t *testing.T) {
	upDoc, err := upstream.LoadExtract(swaggerDoc(upPath, upOrg, `"Thing":{"properties":{}}`))
	require.NoError(t, err)
	oursDoc, err := openapi3.NewLoader().LoadFromData(
		[]byte(strings.Replace(string(oursDoc(oursPath, oursOrg, `"Thing":{"type":"object"}`)), "listThings", "other", 1)))
	require.NoError(t, err)
	assert.Equal(t, []upstream.Difference{{Key: "listThings", Upstream: "operation getThings", Ours: "absent"}},
		upstream.Compare(oursDoc, upDoc, testMapping))
}

// Additions lists what only ours has where the Swagger describes the same
// thing: a property the definition lacks, and the enum values of a schema
// that has no enum in the Swagger. A property only one side types
// differently, or an enum the Swagger has too, is Compare's.
func TestAdditionsListWhatOnlyOursHas(t *testing.T) {
	upDoc, err := upstream.LoadExtract(swaggerDoc(upPath, upOrg,
		`"Thing":{"properties":{"id":{"type":"string"},"state":{"type":"string"},"kind":{"type":"string","enum":["a"]}}}`))
	require.NoError(t, err)
	oursDoc, err := openapi3.NewLoader().LoadFromData(oursDoc(oursPath, oursOrg,
		`"Thing":{"type":"object","properties":{"id":{"type":"string"},"state":{"type":"string","enum":["open","closed"]},`+
			`"kind":{"type":"string","enum":["a","b"]},"priority":{"type":"integer","nullable":true},"tags":{"type":"array","items":{"type":"string"}}}}`))
	require.NoError(t, err)
	assert.Equal(t, []upstream.Difference{
		{Key: "Thing(Thing)/properties/priority", Upstream: "absent", Ours: "integer"},
		{Key: "Thing(Thing)/properties/state/enum/closed", Upstream: "absent", Ours: "lists it"},
		{Key: "Thing(Thing)/properties/state/enum/open", Upstream: "absent", Ours: "lists it"},
		{Key: "Thing(Thing)/properties/tags", Upstream: "absent", Ours: "array of string"},
	}, upstream.Additions(oursDoc, upDoc, testMapping))
	assert.Equal(t, []upstream.Difference{{Key: "Thing(Thing)/properties/kind/enum/b", Upstream: "absent", Ours: "lists it"}},
		upstream.Compare(oursDoc, upDoc, testMapping), "an enum value beyond the Swagger's enum stays a difference")
}
