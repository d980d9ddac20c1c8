package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// root is the module's root, from this package's folder.
var root = filepath.Join("..", "..")

// appliedOn is the day the tests apply overlays on, for entries of
// overlays without the drift check's extension.
var appliedOn = time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)

// builtDrift is tallyfy-drift, built once per test binary.
var builtDrift = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "overlay-test-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "tallyfy-drift")
	out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "tallyfy-drift")).CombinedOutput()
	if err != nil {
		return "", errors.New("go build: " + err.Error() + ": " + string(out))
	}
	return bin, nil
})

// binDir is the folder builtDrift built into; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	clock = func() time.Time { return appliedOn }
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// drifted is a finished run of tallyfy-drift.
type drifted struct {
	code           int
	stdout, stderr string
}

// runDrift runs the built tallyfy-drift with args and no token, bounded
// in time.
func runDrift(t *testing.T, args ...string) drifted {
	t.Helper()
	bin, err := builtDrift()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return drifted{code, stdout.String(), stderr.String()}
}

// workspace is a copy, in a temporary folder, of what a maintainer's
// clone holds for the loop: openapi.yaml, upstream/ and the recordings.
type workspace struct {
	dir        string
	recordings string
	files      files
}

// newWorkspace copies openapi.yaml, upstream/ and recordings/*.json into a
// temporary folder.
func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	dir := t.TempDir()
	w := &workspace{dir: dir, recordings: filepath.Join(dir, "recordings")}
	w.files = files{
		overlay:        filepath.Join(dir, "drift.overlay.yaml"),
		spec:           filepath.Join(dir, "openapi.yaml"),
		reconciliation: filepath.Join(dir, "upstream", "reconciliation.yaml"),
		extract:        filepath.Join(dir, "upstream", "swagger-extract.json"),
	}
	copyFile(t, filepath.Join(root, "openapi.yaml"), w.files.spec)
	copyFile(t, filepath.Join(root, "upstream", "reconciliation.yaml"), w.files.reconciliation)
	copyFile(t, filepath.Join(root, "upstream", "swagger-extract.json"), w.files.extract)
	names, err := filepath.Glob(filepath.Join(root, "recordings", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		copyFile(t, name, filepath.Join(w.recordings, filepath.Base(name)))
	}
	return w
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, data, 0o644))
}

// mutate changes the body of the recording name (without .json) in the
// workspace with edit, and says so in its provenance: the drift is the
// test's, made by hand.
func (w *workspace) mutate(t *testing.T, name, what string, edit func(body map[string]any)) {
	t.Helper()
	path := filepath.Join(w.recordings, name+".json")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rec map[string]any
	require.NoError(t, dec.Decode(&rec))
	prov := rec["provenance"].(map[string]any)
	prov["note"] = strings.TrimSpace(prov["note"].(string) + " Changed by hand by a round-trip test of tools/overlay, to make drift: " + what + ".")
	edit(rec["response"].(map[string]any)["body"].(map[string]any))
	out, err := json.MarshalIndent(rec, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// tasks returns the tasks of a list body.
func tasks(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, item := range body["data"].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}
