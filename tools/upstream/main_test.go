package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// A Swagger with the two operations and nothing else: not Tallyfy's file,
// so the command refuses it unless told -any-source.
const minimalSwagger = `{"swagger":"2.0","info":{"title":"T","version":"2"},"paths":{
 "/organizations/{org}/runs/{run_id}/tasks":{"get":{"operationId":"getProcessTasks","responses":{}}},
 "/organizations/{org}/tasks":{"get":{"operationId":"getAllTasks","responses":{}}}},
 "definitions":{"Step":{},"Run":{},"Checklist":{},"CaptureResponse":{},"Capture":{},"Thread":{},"Asset":{},"Tag":{},"error":{}}}`

func TestRun(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "swagger.json")
	require.NoError(t, os.WriteFile(src, []byte(minimalSwagger), 0o600))
	out := filepath.Join(dir, "extract.json")

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no -from", nil, 2, "-from is required"},
		{"a missing file", []string{"-from", filepath.Join(dir, "nope.json")}, 1, "no such file"},
		{"another file than the provenance names", []string{"-from", src, "-o", out}, 1, upstream.Source.SHA256},
		{"another file, accepted on request", []string{"-from", src, "-o", out, "-any-source"}, 0, "update upstream.Source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			assert.Equal(t, tc.wantCode, run(tc.args, &stderr))
			assert.Contains(t, stderr.String(), tc.wantErr)
		})
	}
	written, err := os.ReadFile(out)
	require.NoError(t, err)
	want, err := upstream.Extract([]byte(minimalSwagger), upstream.Tallyfy)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(written))
}
