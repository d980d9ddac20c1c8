package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// runCut makes the committed state the released baseline: it copies
// openapi.yaml, records Version and the commit, and empties both files of
// accepted breaks, the spec's and the Go API's (they are part of this
// release; git history keeps them).
// It refuses a tree with uncommitted changes, since the commit it records
// must be what was released.
func runCut(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cut", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	status, err := exec.CommandContext(ctx, "git", "status", "--porcelain").Output()
	if err != nil {
		return fmt.Errorf("git status: %w", err)
	}
	if len(bytes.TrimSpace(status)) > 0 {
		return errors.New("the tree has uncommitted changes: commit the release first, then cut the baseline from it")
	}
	head, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return fmt.Errorf("git rev-parse HEAD: %w", err)
	}
	version, versionFile, err := moduleVersion(".")
	if err != nil {
		return err
	}
	if _, err := parseSemver(version); err != nil {
		return fmt.Errorf("%s: %w", versionFile, err)
	}
	spec, err := os.ReadFile("openapi.yaml")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(baselineDir, 0o755); err != nil {
		return err
	}
	writes := []struct {
		name string
		data []byte
	}{
		{filepath.Join(baselineDir, "openapi.yaml"), spec},
		{filepath.Join(baselineDir, "VERSION"), []byte(version + "\n")},
		{filepath.Join(baselineDir, "COMMIT"), append(bytes.TrimSpace(head), '\n')},
	}
	for _, w := range writes {
		if err := os.WriteFile(w.name, w.data, 0o644); err != nil {
			return err
		}
	}
	for _, accepted := range []string{acceptedFile, acceptedAPIFile} {
		if err := keepHeaderOnly(accepted); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "release-baseline: %s is now v%s at %s; commit %s, %s and %s\n",
		baselineDir, version, strings.TrimSpace(string(head)), baselineDir, acceptedFile, acceptedAPIFile)
	return nil
}

// keepHeaderOnly drops the entries of an accepted-breaks file and keeps its
// leading comment block.
func keepHeaderOnly(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		out.WriteString(line + "\n")
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}
