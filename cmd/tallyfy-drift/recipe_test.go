package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// recipeRunLines returns the run: lines of the GitHub Actions recipe in the
// README's job 2, "Check for drift in CI", in order. (docs/drift-check.md
// links to it rather than keep a copy.)
func recipeRunLines(t *testing.T) []string {
	t.Helper()
	section := docSection(t, "README.md", "### 2. Check for drift in CI")
	_, block, ok := strings.Cut(section, "```yaml\n")
	require.True(t, ok, "the section has a yaml recipe")
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	for _, m := range regexp.MustCompile(`(?m)^\s+run: (.+)$`).FindAllStringSubmatch(block, -1) {
		require.NotEqual(t, "|", strings.TrimSpace(m[1]), "the test runs one-line run: steps")
		lines = append(lines, strings.TrimSpace(m[1]))
	}
	return lines
}

// TestTheREADMERecipeKeepsTheExitCodes runs the README's CI recipe, line for
// line, against stand-ins of the API: the exit codes 0, 1 and 2 reach the
// shell as they are, and drift.xml is valid JUnit every time, with the
// <error> when the check could not be completed. On drift the overlay the
// recipe uploads is there, and the job summary lists its actions.
func TestTheREADMERecipeKeepsTheExitCodes(t *testing.T) {
	lines := recipeRunLines(t)
	require.Len(t, lines, 2, "a build step and a check step")
	// The build line is mirrored by buildBinary (go build -o into a
	// temporary folder); the check line is run as it is written.
	require.Equal(t, "go build -o tallyfy-drift ./cmd/tallyfy-drift", lines[0])
	checkLine := lines[1]
	require.Contains(t, checkLine, "./tallyfy-drift ")
	bin := buildBinary(t)

	conforming := startStandIn(t, standin.Config{})
	drifting := startDriftingStandIn(t)
	cases := []struct {
		name      string
		server    *standin.Server
		token     string
		wantCode  int
		wantError string // in the JUnit <error>, when wantCode is 2
		wantMD    string
		overlay   bool // the check writes drift.overlay.yaml
	}{
		{name: "a conforming API", server: conforming, token: token, wantCode: 0, wantMD: "**Everything conforms.**"},
		{name: "a drifting API", server: drifting, token: token, wantCode: 1, wantMD: "| drift | `listRunTasks` | `enum` | `/data/*/status` |", overlay: true},
		{name: "a stand-in that answers 401", server: conforming, token: "revoked-token", wantCode: 2,
			wantError: "the API refused the token (401)", wantMD: "**The check could not be completed:**"},
		{name: "a missing secret", server: conforming, token: "", wantCode: 2,
			wantError: "TALLYFY_ACCESS_TOKEN is set but empty", wantMD: "**The check could not be completed:**"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			placeBinary(t, bin, filepath.Join(work, "tallyfy-drift"))
			summary := filepath.Join(work, "summary.md")
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", checkLine)
			cmd.Dir = work
			cmd.Env = []string{
				"PATH=" + os.Getenv("PATH"),
				"GITHUB_STEP_SUMMARY=" + summary,
				"TALLYFY_ACCESS_TOKEN=" + tc.token,
				"TALLYFY_ORG_ID=" + org,
				"TALLYFY_RUN_ID=" + runID,
				"TALLYFY_BASE_URL=" + tc.server.BaseURL(),
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			p := waitBounded(t, cmd, &stdout, &stderr, 2*time.Minute)
			assert.Equal(t, tc.wantCode, p.code, "stderr: %s", p.stderr)

			junit, err := os.ReadFile(filepath.Join(work, "drift.xml"))
			require.NoError(t, err)
			if tc.wantCode == exitCannotCheck {
				assertJUnitError(t, string(junit), tc.wantError)
			} else {
				assertValidJUnit(t, string(junit))
			}
			md, err := os.ReadFile(summary)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(md), "### tallyfy-drift · mode: "), "the job summary starts with the mode")
			assert.Contains(t, string(md), tc.wantMD)
			overlay := filepath.Join(work, "drift.overlay.yaml")
			if tc.overlay {
				readOverlay(t, overlay)
				assert.Contains(t, string(md), "<details><summary>Proposed spec changes: 1 overlay action in `drift.overlay.yaml`</summary>")
			} else {
				assert.NoFileExists(t, overlay)
			}
		})
	}
}
