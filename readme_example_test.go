package tallyfy_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's first example is a whole program: it builds against this
// module as it stands. It is laid over the module as a package of its own
// (go build -overlay), so that nothing is written into the tree.
func TestTheReadmeFirstExampleBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: skipped with -short")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	program := firstGoProgram(string(readme))
	require.NotEmpty(t, program, "the README has a ```go block with package main")

	dir := t.TempDir()
	source := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(source, []byte(program), 0o600))
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	overlay, err := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(root, "internal", "readmeexample", "main.go"): source},
	})
	require.NoError(t, err)
	overlayFile := filepath.Join(dir, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o600))

	cmd := exec.Command("go", "build", "-overlay", overlayFile, "-o", filepath.Join(dir, "example"), "./internal/readmeexample")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's first example does not build:\n%s", out)
}

// firstGoProgram returns the first ```go block of markdown that is a whole
// program (package main), or "".
func firstGoProgram(markdown string) string {
	for _, block := range strings.Split(markdown, "```go\n")[1:] {
		code, _, _ := strings.Cut(block, "```")
		if strings.HasPrefix(code, "package main") {
			return code
		}
	}
	return ""
}
