package gobuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildsOnceRunsAndRemoves(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/hello\n\ngo 1.26\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Print(\"hello\") }\n"), 0o600))

	b := New(src, ".", "hello")
	bin, err := b.Path()
	require.NoError(t, err)
	again, err := b.Path()
	require.NoError(t, err)
	assert.Equal(t, bin, again, "built once")

	out, err := exec.Command(bin).Output()
	require.NoError(t, err)
	assert.Equal(t, "hello", string(out))

	b.Remove()
	_, err = os.Stat(filepath.Dir(bin))
	assert.True(t, os.IsNotExist(err), "Remove deletes the build folder")
}

func TestABuildErrorCarriesGoBuildsOutput(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/broken\n\ngo 1.26\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() { undefinedName() }\n"), 0o600))

	b := New(src, ".", "broken")
	t.Cleanup(b.Remove)
	_, err := b.Path()
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "undefinedName"), err.Error())
}
