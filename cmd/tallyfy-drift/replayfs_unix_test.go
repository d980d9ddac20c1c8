//go:build unix

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statsRegular is a replayFS whose Stat says every file is a small regular
// file: what a replay sees when a FIFO takes a file's place between the
// check and the opening.
type statsRegular struct{ replayFS }

type regularInfo struct{ fs.FileInfo }

func (regularInfo) Mode() fs.FileMode { return 0o600 }
func (regularInfo) Size() int64       { return 1 }

func (s statsRegular) Stat(name string) (fs.FileInfo, error) {
	info, err := s.replayFS.Lstat(name)
	return regularInfo{info}, err
}

// A FIFO that slips past the check is opened without waiting for a
// writer, checked again once open, and refused: the replay never hangs.
func TestAFIFOSwappedInAfterTheCheckIsRefusedNotWaitedOn(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	t.Cleanup(func() {
		// Release a reader left waiting (without the fix), so the test ends.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			_ = f.Close()
		}
	})
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })

	done := make(chan error, 1)
	go func() {
		_, err := readRecording(statsRegular{newReplayFS(root)}, "x.json", 64<<20)
		done <- err
	}()
	select {
	case err := <-done:
		assert.EqualError(t, err, "refusing x.json: it is a named pipe (FIFO), not a regular file")
	case <-time.After(time.Minute):
		require.FailNow(t, "opening the FIFO blocked the replay")
	}
}
