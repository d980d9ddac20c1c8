package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// `make drift` ran `go run`, which turns every non-zero exit code into 1:
// a check that could not be completed looked like drift. It now builds the
// binary and runs it, so that the tool's own code reaches make (make says
// "Error 2", and exits non-zero, as make does for any failed recipe).
func TestMakeDriftKeepsTheExitCode(t *testing.T) {
	makeTool, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make here")
	}
	if testing.Short() {
		t.Skip("builds the command")
	}
	conforming := startStandIn(t, standin.Config{})
	drifting := startDriftingStandIn(t)
	cases := []struct {
		name     string
		server   *standin.Server
		token    string
		wantCode int
	}{
		{"a conforming API", conforming, token, exitConforms},
		{"a drifting API", drifting, token, exitDrift},
		{"a stand-in that answers 401", conforming, "revoked-token", exitCannotCheck},
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(makeTool, "--no-print-directory", "-C", root, "drift")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "TALLYFY_") && !strings.HasPrefix(kv, "MAKEFLAGS=") && !strings.HasPrefix(kv, "MFLAGS=") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, "TALLYFY_ACCESS_TOKEN="+tc.token, "TALLYFY_ORG_ID="+org, "TALLYFY_RUN_ID="+runID,
				"TALLYFY_BASE_URL="+tc.server.BaseURL())
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			p := waitBounded(t, cmd, &stdout, &stderr, 5*time.Minute)
			if tc.wantCode == exitConforms {
				assert.Equal(t, 0, p.code, p.stderr)
				return
			}
			assert.NotZero(t, p.code)
			assert.Contains(t, p.stderr, "drift] Error "+string(rune('0'+tc.wantCode)), "make names the tool's own exit code: %s", p.stderr)
			assert.Contains(t, p.stderr, "tallyfy-drift exited "+string(rune('0'+tc.wantCode)))
		})
	}
}
