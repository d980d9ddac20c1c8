package main

import (
	"io/fs"
	"os"
)

// replayFS is the folder of a replay, as the fs.FS that reads it: a file
// is opened without blocking (see openNonBlocking), so that a FIFO put in
// place of a file between its check and its opening cannot hang the
// replay: the opened file is checked again, and refused.
type replayFS struct {
	root  *os.Root
	inner fs.FS // root.FS(): Stat, Lstat and ReadDir, which open nothing
}

func newReplayFS(root *os.Root) replayFS { return replayFS{root: root, inner: root.FS()} }

// Open implements fs.FS.
func (r replayFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := r.root.OpenFile(name, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Stat implements fs.StatFS.
func (r replayFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(r.inner, name) }

// Lstat implements fs.ReadLinkFS.
func (r replayFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(r.inner, name) }

// ReadLink implements fs.ReadLinkFS.
func (r replayFS) ReadLink(name string) (string, error) { return fs.ReadLink(r.inner, name) }

// ReadDir implements fs.ReadDirFS.
func (r replayFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.inner, name) }
