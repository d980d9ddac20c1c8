// Package gobuild builds a command of this module once per test binary,
// for the tests that run it as a real process: exit codes as a shell sees
// them, signals, the recipes of the README.
package gobuild

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// Binary is one command, built on first use into a temporary folder that
// Remove deletes. Its methods are safe for concurrent use.
type Binary struct {
	pkg, name string
	build     func() (string, error)
	mu        sync.Mutex
	dir       string
}

// New describes the command of package pkg (a go build argument such as
// "./cmd/tallyfy-drift", or "." for the package under test), built in dir
// (the module root, or "" for the test's own folder) into an executable
// called name.
func New(dir, pkg, name string) *Binary {
	b := &Binary{pkg: pkg, name: name}
	b.build = sync.OnceValues(func() (string, error) { return b.compile(dir) })
	return b
}

// Path builds the command the first time it is called, and returns the
// executable's path, or the build's error (with go build's output), every
// time.
func (b *Binary) Path() (string, error) { return b.build() }

// Remove deletes the folder the command was built into, if it was built.
// A test binary's TestMain calls it after m.Run.
func (b *Binary) Remove() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
		b.dir = ""
	}
}

func (b *Binary) compile(dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	out, err := os.MkdirTemp("", b.name+"-bin-")
	if err != nil {
		return "", err
	}
	b.mu.Lock()
	b.dir = out
	b.mu.Unlock()
	bin := filepath.Join(out, b.name)
	cmd := exec.Command(goTool, "build", "-o", bin, b.pkg)
	cmd.Dir = dir
	if output, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New("go build " + b.pkg + ": " + err.Error() + ": " + string(output))
	}
	return bin, nil
}
