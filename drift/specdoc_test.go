package drift_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/spec"
)

// specWithout returns the embedded spec as a JSON document, with value
// taken out of the enum of the named component schema.
func specWithout(tb testing.TB, schema, value string) []byte {
	tb.Helper()
	doc, err := spec.GetSpec()
	require.NoError(tb, err)
	ref := doc.Components.Schemas[schema]
	require.NotNil(tb, ref, "schema %s", schema)
	before := len(ref.Value.Enum)
	ref.Value.Enum = slices.DeleteFunc(ref.Value.Enum, func(v any) bool { return v == value })
	require.Len(tb, ref.Value.Enum, before-1, "%s lists %q", schema, value)
	out, err := json.Marshal(doc)
	require.NoError(tb, err)
	return out
}

// A spec given WithSpec is the one exchanges are held against.
func TestWithSpecHoldsExchangesAgainstThatSpec(t *testing.T) {
	p := page(2)
	dataTask(p, 1)["status"] = "completed"
	ex := runTasks(t, http.StatusOK, p)
	require.Empty(t, validator.Check(context.Background(), ex), "conforms to the embedded spec")

	file, err := os.ReadFile("../openapi.yaml")
	require.NoError(t, err)
	fromFile, err := drift.NewValidator(drift.WithSpec(file))
	require.NoError(t, err)
	assert.Empty(t, fromFile.Check(context.Background(), ex), "openapi.yaml is the embedded spec")
	assert.Equal(t, validator.SpecVersion(), fromFile.SpecVersion())

	edited, err := drift.NewValidator(drift.WithSpec(specWithout(t, "TaskStatus", "completed")))
	require.NoError(t, err)
	assert.Equal(t, []at{drifted("/data/1/status", "enum")}, project(edited.Check(context.Background(), ex)))
}

func TestWithSpecRejectsADocumentItCannotUse(t *testing.T) {
	cases := []struct {
		name     string
		document string
		says     string
	}{
		{"empty", " \n", "is empty"},
		{"not YAML", "{{{ not: [yaml", "does not load"},
		{"not an object", "- a\n- b\n", "does not load"},
		{"OpenAPI 3.1", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {description: ok}}}}}\n", "needs OpenAPI 3.0"},
		{"Swagger 2.0", `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`, "needs OpenAPI 3.0"},
		{"no paths", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "no paths"},
		{"invalid schema", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: strnig}}}}}}}}\n", "not valid"},
		{"a reference to another file", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: 'other.yaml#/X'}}}}}}}}\n", "does not load"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := drift.NewValidator(drift.WithSpec([]byte(tc.document)))
			assert.Nil(t, v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.says)
			assert.LessOrEqual(t, len(err.Error()), 300, "a short error")
			assert.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}
