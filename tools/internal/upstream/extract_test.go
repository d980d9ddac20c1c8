package upstream_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// swaggerEnvVar names a copy of Tallyfy's Swagger 2.0; without it, the test
// looks next to the repository, where CI keeps the reference files.
const swaggerEnvVar = "TALLYFY_SWAGGER"

var defaultSwaggerPath = filepath.Join("..", "..", "..", "..", "shared", "reference", "tallyfy-swagger-2.0.json")

const proseSwagger = `{"swagger":"2.0","info":{"title":"T","version":"2","description":"lorem ipsum dolor"},
 "parameters":{"org":{"name":"org","in":"path","required":true,"type":"string","description":"Org"}},
 "paths":{"/orgs/{org}/things":{"get":{"operationId":"getThings","summary":"lorem","description":"lorem","tags":["x"],
   "parameters":[{"$ref":"#/parameters/org"},{"name":"s","in":"query","type":"string","enum":["a"],"description":"lorem"}],
   "responses":{"200":{"description":"lorem","schema":{"$ref":"#/definitions/Thing"}}}}},
  "/other":{"get":{"operationId":"other","responses":{"200":{"description":"","schema":{"$ref":"#/definitions/Unused"}}}}}},
 "definitions":{
  "Thing":{"description":"lorem","properties":{"id":{"type":"string","example":"<Id>"},"at":{"$ref":"#/definitions/Date"},"list":{"type":"array","items":{"$ref":"#/definitions/Item"}}}},
  "Item":{"properties":{"n":{"type":"integer","example":1}}},
  "Date":{"type":"string","example":"YYYY-mm-ddTHH:ii:ssZ"},
  "ExtraDef":{"properties":{"id":{"type":"string"}}},
  "Unused":{"properties":{"x":{"type":"string"}}}}}`

func TestExtractKeepsOnlyTheFacts(t *testing.T) {
	out, err := upstream.Extract([]byte(proseSwagger), testMapping)
	require.NoError(t, err)
	text := string(out)
	for _, prose := range []string{"lorem", "<Id>", `"example"`, `"tags"`, `"summary"`} {
		assert.NotContains(t, text, prose)
	}

	var doc struct {
		Paths       map[string]map[string]json.RawMessage `json:"paths"`
		Definitions map[string]json.RawMessage            `json:"definitions"`
		Provenance  upstream.Provenance                   `json:"x-provenance"`
	}
	require.NoError(t, json.Unmarshal(out, &doc))
	want := upstream.Source
	sum := sha256.Sum256([]byte(proseSwagger))
	want.SHA256 = hex.EncodeToString(sum[:])
	assert.Equal(t, want, doc.Provenance, "the provenance names the file the extract was made from")
	assert.Equal(t, []string{"/orgs/{org}/things"}, keys(doc.Paths), "only the mapped operation")
	assert.ElementsMatch(t, []string{"Thing", "Item", "Date", "ExtraDef"}, keys(doc.Definitions), "what the operation and the schema pairs reach")
	assert.JSONEq(t, `{"type":"string","format":"YYYY-mm-ddTHH:ii:ssZ"}`, string(doc.Definitions["Date"]), "the date template becomes the format")
	assert.Contains(t, string(doc.Paths["/orgs/{org}/things"]["get"]), `"name": "org"`, "a shared parameter is inlined")

	again, err := upstream.Extract([]byte(proseSwagger), testMapping)
	require.NoError(t, err)
	assert.Equal(t, out, again, "the same input gives the same bytes")

	converted, err := upstream.LoadExtract(out)
	require.NoError(t, err)
	assert.Contains(t, converted.Components.Schemas, "Thing")
}

func TestExtractRejectsWhatItCannotUse(t *testing.T) {
	cases := []struct{ name, swagger, wantErr string }{
		{"not JSON", "{", "not JSON"},
		{"not Swagger 2.0", `{"swagger":"3.0"}`, `want "2.0"`},
		{"no such operation", strings.Replace(proseSwagger, "getThings", "renamed", 1), `no operation "getThings"`},
		{"a dangling reference", strings.Replace(proseSwagger, `"Item":{`, `"Renamed":{`, 1), `definition "Item" is referenced but not defined`},
		{"an undefined shared parameter", strings.Replace(proseSwagger, `"parameters":{"org":`, `"parameters":{"organization":`, 1), `parameter reference "#/parameters/org"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := upstream.Extract([]byte(tc.swagger), testMapping)
			assert.ErrorContains(t, err, tc.wantErr)
		})
	}
}

// The committed extract is exactly what the extract command makes of
// Tallyfy's file. Runs where a copy of the file is at hand.
func TestCommittedExtractIsRebuiltFromTheUpstreamFile(t *testing.T) {
	path := os.Getenv(swaggerEnvVar)
	if path == "" {
		path = defaultSwaggerPath
	}
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("no copy of Tallyfy's Swagger at %s: set %s to its path to check that %s is rebuilt from it",
			path, swaggerEnvVar, extractPath)
	}
	require.NoError(t, err)
	require.NoError(t, upstream.CheckSource(src), "the file is not the one the provenance names")
	rebuilt, err := upstream.Extract(src, upstream.Tallyfy)
	require.NoError(t, err)
	committed, err := os.ReadFile(extractPath)
	require.NoError(t, err)
	assert.Equal(t, string(rebuilt), string(committed),
		"%s is stale: run go run ./tools/upstream -from %s", extractPath, path)
}

func TestCheckSourceRefusesAnotherFile(t *testing.T) {
	assert.ErrorContains(t, upstream.CheckSource([]byte(proseSwagger)), upstream.Source.SHA256)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
