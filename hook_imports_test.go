package tallyfy

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The response hook lives in this package and the validator in package
// drift, so that a program importing only the client links neither
// kin-openapi nor the validator, hook or no hook.
func TestTheClientPackageImportsNoValidator(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/tallyfy-go/tallyfy", "go list ran on this package")
	for _, dep := range deps {
		assert.False(t, strings.HasPrefix(dep, "github.com/getkin/kin-openapi"), "imports %s", dep)
		assert.NotEqual(t, "github.com/tallyfy-go/tallyfy/drift", dep)
	}
}
