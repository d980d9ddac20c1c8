package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failures is a T that keeps what a comparison reports.
type failures struct {
	messages []string
	stopped  bool
}

func (f *failures) Helper() {}
func (f *failures) Errorf(format string, args ...any) {
	f.messages = append(f.messages, fmt.Sprintf(format, args...))
}
func (f *failures) FailNow() { f.stopped = true }

// A golden file that no longer matches fails with the command that
// rewrites it, as the README's "Changing the spec" section promises.
func TestAStaleGoldenFileNamesTheCommandThatRewritesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.txt")
	require.NoError(t, os.WriteFile(path, []byte("spec: 0.1.0\n"), 0o600))
	const rewrite = "go test ./drift/report -update"

	var f failures
	Check(&f, path, []byte("spec: 0.2.0\n"), false, rewrite)
	require.Len(t, f.messages, 1)
	assert.Contains(t, f.messages[0], path+" is stale; if the change is intended, rewrite it with: "+rewrite)

	f = failures{}
	Check(&f, path, []byte("spec: 0.1.0\n"), false, rewrite)
	assert.Empty(t, f.messages, "a golden file that matches passes")

	f = failures{}
	Check(&f, filepath.Join(t.TempDir(), "missing.txt"), []byte("x"), false, rewrite)
	require.NotEmpty(t, f.messages)
	assert.Contains(t, f.messages[0], "run "+rewrite+" to create it")
	assert.True(t, f.stopped)
}

func TestUpdateRewritesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.txt")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o600))
	var f failures
	Check(&f, path, []byte("new\n"), true, "go test ./x -update")
	assert.Empty(t, f.messages)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(data))
}

// A stale file's failure shows the first line that differs.
func TestAStaleGoldenFileShowsTheFirstDifference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.txt")
	require.NoError(t, os.WriteFile(path, []byte("mode: replay\nspec: 0.1.0\nend\n"), 0o600))
	var f failures
	Check(&f, path, []byte("mode: replay\nspec: 0.2.0\nend\n"), false, "go test ./x -update")
	require.Len(t, f.messages, 1)
	assert.Contains(t, f.messages[0], "line 2:\n  want \"spec: 0.1.0\"\n  got  \"spec: 0.2.0\"")
	assert.False(t, f.stopped, "a stale file does not stop the test")

	f = failures{}
	Check(&f, path, []byte("mode: replay\nspec: 0.1.0\nend\nmore\n"), false, "go test ./x -update")
	require.Len(t, f.messages, 1)
	assert.Contains(t, f.messages[0], "line 4:\n  want \"\"\n  got  \"more\"")

	f = failures{}
	Check(&f, path, []byte("mode: replay"), false, "go test ./x -update")
	require.Len(t, f.messages, 1)
	assert.Contains(t, f.messages[0], "line 2:\n  want \"spec: 0.1.0\"\n  got  (no such line)")
}
