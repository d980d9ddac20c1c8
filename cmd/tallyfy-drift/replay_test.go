package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/recording"
)

// copyRecording copies a recording of testdata/replay into dir as name.
func copyRecording(t *testing.T, dir, from, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "replay", from))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

// invokeBounded is invoke, failing the test if the command does not end
// within a generous bound (a FIFO would block it forever).
func invokeBounded(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- invoke(t, env, args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(time.Minute):
		require.FailNow(t, "the command did not end")
		return result{}
	}
}

// A replay reads only regular files inside its folder, each under the size
// limit, and names each file it refuses; the other files are still checked.
func TestReplayRefusesWhatIsNotARegularFile(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{name: "a FIFO", setup: func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "x.json"))
		}, want: "refusing x.json: it is a named pipe (FIFO), not a regular file"},
		{name: "a symlink to /dev/zero", setup: func(t *testing.T, dir string) {
			require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "x.json")))
		}, want: "refusing x.json: it is a symlink that leads out of the folder"},
		{name: "a symlink out of the folder", setup: func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "outside.json")
			copyRecording(t, filepath.Dir(outside), "a-conforming.json", "outside.json")
			require.NoError(t, os.Symlink(outside, filepath.Join(dir, "x.json")))
		}, want: "refusing x.json: it is a symlink that leads out of the folder"},
		{name: "a symlink inside to a FIFO", setup: func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "fifo"))
			require.NoError(t, os.Symlink("fifo", filepath.Join(dir, "x.json")))
		}, want: "refusing x.json: it is a named pipe (FIFO), not a regular file"},
		{name: "a dangling symlink", setup: func(t *testing.T, dir string) {
			require.NoError(t, os.Symlink("nowhere", filepath.Join(dir, "x.json")))
		}, want: "refusing x.json: it is a symlink to nothing"},
		{name: "a file over the limit", setup: func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "x.json"))
			require.NoError(t, err)
			require.NoError(t, f.Truncate(64<<20+1)) // sparse: no disk used
			require.NoError(t, f.Close())
		}, want: "refusing x.json: it is larger than 64 MiB (twice --max-body)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyRecording(t, dir, "a-conforming.json", "a.json")
			tc.setup(t, dir)
			r := invokeBounded(t, nil, "--replay", dir)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stderr, "could not check: 1 of 2 recordings could not be read; the first: "+tc.want)
			assert.Contains(t, r.stdout, "pass   a.json (1 exchange)", "the other files are still checked")
			assert.Contains(t, r.stdout, "ERROR  x.json: "+tc.want)
		})
	}
}

// The file limit follows --max-body: a recording that a capture under a
// limit wrote replays under the same limit, and a smaller limit refuses
// more.
func TestReplayFileLimitFollowsMaxBody(t *testing.T) {
	cases := []struct {
		maxBody string
		want    string // the error of x.json: refused, or read and not JSON
	}{
		{"1MiB", "refusing x.json: it is larger than 2 MiB (twice --max-body)"},
		{"2MiB", "recording x: invalid character"},
	}
	for _, tc := range cases {
		t.Run(tc.maxBody, func(t *testing.T) {
			dir := t.TempDir()
			copyRecording(t, dir, "a-conforming.json", "a.json")
			f, err := os.Create(filepath.Join(dir, "x.json"))
			require.NoError(t, err)
			require.NoError(t, f.Truncate(2<<20+1)) // sparse: no disk used
			require.NoError(t, f.Close())
			r := invokeBounded(t, nil, "--replay", dir, "--max-body", tc.maxBody)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stdout, "ERROR  x.json: "+tc.want)
			assert.Contains(t, r.stdout, "pass   a.json (1 exchange)")
		})
	}
}

func TestReplayFollowsASymlinkInsideTheFolder(t *testing.T) {
	dir := t.TempDir()
	copyRecording(t, dir, "a-conforming.json", "real")
	require.NoError(t, os.Symlink("real", filepath.Join(dir, "a.json")))
	r := invokeBounded(t, nil, "--replay", dir)
	assert.Equal(t, exitConforms, r.code, r.stderr)
	assert.Contains(t, r.stdout, "pass   a.json (1 exchange)")
}

func TestReplayOfAFolderWithNoRecordingsIsExit2(t *testing.T) {
	r := invoke(t, nil, "--replay", t.TempDir(), "--format", "junit")
	assert.Equal(t, exitCannotCheck, r.code)
	assertJUnitError(t, r.stdout, "no recordings (*.json) in ")
}

// slowReplayDir makes a folder of many recordings of a big page (hard
// links to one file, so it costs no disk), that takes the binary far longer
// to check than the test waits for a signal to take effect.
func slowReplayDir(t *testing.T, files int) string {
	t.Helper()
	cfg := standin.Config{OrgID: org, RunID: runID, RunTasks: 300}
	body, err := standin.RunTasksJSON(cfg, "per_page=300")
	require.NoError(t, err)
	data, err := recording.Encode(&recording.Exchange{
		Provenance: recording.Provenance{Kind: recording.KindHandMade, Source: "internal/testsupport/standin (generated)"},
		Request:    recording.Request{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/" + org + "/runs/" + runID + "/tasks?per_page=300"},
		Response:   recording.Response{Status: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: body},
	})
	require.NoError(t, err)
	dir := t.TempDir()
	first := filepath.Join(dir, "page-00000.json")
	require.NoError(t, os.WriteFile(first, data, 0o644))
	for i := 1; i < files; i++ {
		require.NoError(t, os.Link(first, filepath.Join(dir, fmt.Sprintf("page-%05d.json", i))))
	}
	return dir
}

// lineWatch is a writer that keeps what it is given and closes firstLine
// once a whole line has arrived.
type lineWatch struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	firstLine chan struct{}
	closed    bool
}

func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.closed && bytes.Contains(w.buf.Bytes(), []byte("\n")) {
		w.closed = true
		close(w.firstLine)
	}
	return len(p), nil
}

func (w *lineWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// SIGTERM during --replay ends the run between two files: exit 2, with the
// report written and the files not checked marked as skipped.
func TestSIGTERMStopsAReplay(t *testing.T) {
	bin := buildBinary(t)
	dir := slowReplayDir(t, 3000)
	cmd := exec.Command(bin, "--replay", dir, "--format", "json")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stdout bytes.Buffer
	stderr := &lineWatch{firstLine: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	require.NoError(t, cmd.Start())

	// Wait until the replay has started (its first line), then signal.
	select {
	case <-stderr.firstLine:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		require.FailNow(t, "the replay did not start", stderr.String())
	}
	require.Contains(t, stderr.String(), "checking the 3000 recordings in")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))

	p := waitBounded(t, cmd, &stdout, nil, time.Minute)
	assert.Equal(t, exitCannotCheck, p.code, stderr.String())
	assert.Contains(t, stderr.String(), "could not check: interrupted")
	assert.Contains(t, p.stdout, `"error": "interrupted: `)
	assert.Contains(t, p.stdout, `"reason": "not run: interrupted"`)
	assert.Contains(t, p.stdout, `"mode": "replay"`)
}
