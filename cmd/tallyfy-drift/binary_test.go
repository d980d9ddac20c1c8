package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/gobuild"
)

// builtBinary is tallyfy-drift built once per test binary with go build,
// as the README's CI recipe builds it; tests that need a real process (exit
// codes as a shell sees them, signals) run it. TestMain removes it.
var builtBinary = gobuild.New("", ".", "tallyfy-drift")

func TestMain(m *testing.M) {
	code := m.Run()
	builtBinary.Remove()
	os.Exit(code)
}

// buildBinary returns the path of the built tallyfy-drift.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := builtBinary.Path()
	require.NoError(t, err)
	return bin
}

// process is a finished run of a real process.
type process struct {
	code           int
	stdout, stderr string
}

// waitBounded waits for cmd (already started) at most limit, killing it
// after that and failing the test. stdout and stderr are the buffers the
// command writes to (stderr may be nil when the test watches it itself).
func waitBounded(t *testing.T, cmd *exec.Cmd, stdout, stderr *bytes.Buffer, limit time.Duration) process {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else {
			require.NoError(t, err)
		}
		p := process{code: code, stdout: stdout.String()}
		if stderr != nil {
			p.stderr = stderr.String()
		}
		return p
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		require.FailNow(t, "the process did not end in time")
		return process{}
	}
}

// placeBinary puts the built binary at path: a hard link, or a copy.
func placeBinary(t *testing.T, bin, path string) {
	t.Helper()
	if os.Link(bin, path) == nil {
		return
	}
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o755))
}
