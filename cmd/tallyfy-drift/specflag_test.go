package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/spec"
)

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// writeSpec writes the embedded spec, with edit applied, as a JSON file.
func writeSpec(t *testing.T, edit func(t *testing.T, doc *openapi3.T)) string {
	t.Helper()
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	edit(t, doc)
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "edited.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// --spec replays the recordings against an edited spec: an edit that a
// recording breaks is drift (exit 1); the spec as it is conforms (exit 0).
func TestSpecFlagChecksAgainstThatFile(t *testing.T) {
	unchanged := writeSpec(t, func(*testing.T, *openapi3.T) {})
	r := invoke(t, nil, "--spec", unchanged)
	assert.Equal(t, exitConforms, r.code, r.stdout+r.stderr)
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	assert.Contains(t, r.stdout, "spec: "+doc.Info.Version+" from "+unchanged, "the report names the file checked against")
	r = invoke(t, nil, "--format", "json", "--spec", unchanged)
	assert.Contains(t, r.stdout, `"spec_file": `+strconvQuote(unchanged))
	r = invoke(t, nil)
	assert.NotContains(t, r.stdout, " from ", "the built-in spec is named by its version alone")

	withoutCompleted := writeSpec(t, func(t *testing.T, doc *openapi3.T) {
		status := doc.Components.Schemas["TaskStatus"]
		require.NotNil(t, status)
		before := len(status.Value.Enum)
		status.Value.Enum = slices.DeleteFunc(status.Value.Enum, func(v any) bool { return v == "completed" })
		require.Len(t, status.Value.Enum, before-1, "the spec lists the task status completed")
	})
	for _, args := range [][]string{
		{"--spec", withoutCompleted},
		{"check", "--spec", withoutCompleted, "--replay", filepath.Join("testdata", "replay")},
	} {
		r = invoke(t, nil, args...)
		assert.Equal(t, exitDrift, r.code, r.stdout+r.stderr)
		assert.Contains(t, r.stdout, `string "completed" is not one of the allowed values`)
	}
}

// A --spec file that cannot be used stops the check (exit 2) with a line
// that names the file.
func TestSpecFlagFileThatCannotBeUsed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	huge := filepath.Join(dir, "huge.yaml")
	f, err := os.Create(huge)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(maxSpecBytes+1))
	require.NoError(t, f.Close())

	cases := []struct {
		name string
		path string
		says string
	}{
		{"missing", filepath.Join(dir, "missing.yaml"), "no such file"},
		{"a folder", dir, "not a regular file"},
		{"too large", huge, "over the"},
		{"not YAML", write("broken.yaml", "{{{ not: [yaml"), "does not load"},
		{"not OpenAPI 3.0", write("swagger.json", `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`), "needs OpenAPI 3.0"},
		{"invalid", write("invalid.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: strnig}}}}}}}}\n"), "not valid"},
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		cases = append(cases, struct{ name, path, says string }{"a device", "/dev/null", "not a regular file"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := invoke(t, nil, "--spec", tc.path)
			assert.Equal(t, exitCannotCheck, r.code, r.stdout+r.stderr)
			line := firstLine(r.stderr)
			assert.Contains(t, line, tc.path, "names the file")
			assert.Contains(t, line, tc.says)
			assert.Equal(t, 1, strings.Count(strings.TrimSpace(r.stderr), "\n")+1, "one line: %s", r.stderr)
		})
	}
}

// A --spec that cannot be read stops the check before any mode runs: no
// report says "mode: embedded" (or replay, or live) above its error.
func TestASpecThatCannotBeReadRunsNoMode(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	api := startStandIn(t, standin.Config{})
	for _, env := range []map[string]string{nil, liveEnv(api)} {
		r := invoke(t, env, "--spec", missing)
		assert.Equal(t, exitCannotCheck, r.code)
		assert.NotContains(t, r.stdout, "mode: embedded")
		assert.NotContains(t, r.stdout, "mode: live")
		assert.Contains(t, r.stderr, "--spec \""+missing+"\": no such file")

		r = invoke(t, env, "--spec", missing, "--format", "json")
		doc := parseReport(t, r.stdout)
		assert.Equal(t, "none", doc.Mode)
		assert.Equal(t, "error", doc.Summary.Verdict)
		assert.Contains(t, doc.Error, "no such file")
	}
	assert.Zero(t, api.Requests())
}
