package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failures is a goldenT that keeps what a golden comparison reports.
type failures struct{ messages []string }

func (f *failures) Helper() {}
func (f *failures) Errorf(format string, args ...any) {
	f.messages = append(f.messages, fmt.Sprintf(format, args...))
}
func (f *failures) FailNow() {}

// A golden file that no longer matches fails with the command that
// rewrites it, as the README's "Changing the spec" section promises.
func TestAStaleGoldenFileNamesTheCommandThatRewritesIt(t *testing.T) {
	if *update {
		t.Skip("with -update, golden files are rewritten, never stale")
	}
	path := filepath.Join(t.TempDir(), "replay.text")
	require.NoError(t, os.WriteFile(path, []byte("spec: 0.1.0\n"), 0o600))

	var f failures
	goldenAt(&f, path, "spec: 0.2.0\n")
	require.Len(t, f.messages, 1)
	assert.Contains(t, f.messages[0], path+" is stale; if the change is intended, rewrite it with: go test ./cmd/tallyfy-drift -update")

	f = failures{}
	goldenAt(&f, path, "spec: 0.1.0\n")
	assert.Empty(t, f.messages, "a golden file that matches passes")
}
