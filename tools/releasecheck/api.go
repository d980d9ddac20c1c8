package main

import (
	"archive/tar"
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

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// modulePath is the module whose Go API the gate holds.
const modulePath = "github.com/tallyfy-go/tallyfy"

func runAPI(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	base := fs.String("base", "", "the git revision to compare with (default the released commit in "+baselineDir+"/COMMIT)")
	apidiff := fs.String("apidiff", defaultApidiff, "apidiff, as module@version for go run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	releasedText, err := readBaselineVersion()
	if err != nil {
		return err
	}
	released, _ := parseSemver(releasedText)
	rev, label := *base, "v"+releasedText
	if rev == "" {
		b, err := os.ReadFile(filepath.Join(baselineDir, "COMMIT"))
		if err != nil {
			return fmt.Errorf("released commit: %w (run `make release-baseline` at a release)", err)
		}
		rev = strings.TrimSpace(string(b))
	} else {
		label = rev
	}
	currentText, versionFile, err := moduleVersion(".")
	if err != nil {
		return err
	}
	current, err := parseSemver(currentText)
	if err != nil {
		return fmt.Errorf("%s: %w", versionFile, err)
	}
	if current.less(released) {
		return fmt.Errorf("Version %s in %s is older than the released %s", current, versionFile, released)
	}

	changes, err := incompatibleChanges(ctx, *apidiff, rev)
	if err != nil {
		return err
	}
	return judgeAPI(stdout, changes, label, released, current, versionFile)
}

// judgeAPI prints the verdict: incompatible changes pass only with a
// version that may break.
func judgeAPI(w io.Writer, changes []string, label string, released, current semver, versionFile string) error {
	if len(changes) == 0 {
		fmt.Fprintf(w, "api-check: no incompatible Go API change against %s\n", label)
		return nil
	}
	fmt.Fprintf(w, "api-check: %d incompatible Go API change(s) against %s:\n", len(changes), label)
	for _, c := range changes {
		fmt.Fprintf(w, "  %s\n", c)
	}
	if current.allowsBreaking(released) {
		fmt.Fprintf(w, "api-check: allowed: Version %s (in %s) is a breaking bump from the released %s\n", current, versionFile, released)
		return nil
	}
	fmt.Fprintf(w, "\nThese break programs built against %s. Undo them, or bump Version in %s from %s to %s\n"+
		"(see the README, \"Versions and compatibility\").\n", released, versionFile, current, breakingBumpOf(released))
	return fmt.Errorf("api-check: %w", errBreaking)
}

// incompatibleChanges writes the module's API at rev with apidiff (from a
// copy of that revision's files, taken with git archive) and compares the
// working tree's module with it.
func incompatibleChanges(ctx context.Context, apidiff, rev string) ([]string, error) {
	dir, err := os.MkdirTemp("", "api-base-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := extractRevision(ctx, rev, filepath.Join(dir, "src")); err != nil {
		return nil, err
	}
	export := filepath.Join(dir, "base.export")
	write := exec.CommandContext(ctx, "go", "run", apidiff, "-m", "-w", export, modulePath)
	write.Dir = filepath.Join(dir, "src")
	write.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := write.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("apidiff -w at %s: %w: %s", rev, err, textcut.Cut(strings.TrimSpace(string(out)), 2000))
	}
	cmp := exec.CommandContext(ctx, "go", "run", apidiff, "-m", "-incompatible", export, modulePath)
	cmp.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmp.Stderr = &stderr
	out, err := cmp.Output()
	if err != nil {
		return nil, fmt.Errorf("apidiff: %w: %s", err, textcut.Cut(strings.TrimSpace(stderr.String()), 2000))
	}
	return parseApidiff(out), nil
}

// parseApidiff returns apidiff's change lines ("- ./gen.TaskStatusActive:
// removed"); in -incompatible mode every one of them is a break, except the
// new value of the root package's Version constant: changing it is what a
// release does, and counting it would make every patch release a break.
func parseApidiff(out []byte) []string {
	var changes []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		change, ok := strings.CutPrefix(line, "- ")
		if !ok || strings.HasPrefix(change, "Version: value changed") {
			continue
		}
		changes = append(changes, change)
	}
	return changes
}

// extractRevision writes the files of rev into dir. A revision the clone
// does not have is an error that says what to fetch: the check never skips.
func extractRevision(ctx context.Context, rev, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", rev)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("this clone does not have revision %s (%s). In a shallow clone (actions/checkout's default) "+
			"fetch it first, e.g. `git fetch --depth=1 origin %s`, or set fetch-depth: 0", rev, textcut.Cut(strings.TrimSpace(stderr.String()), 200), rev)
	}
	return untar(bytes.NewReader(out), dir)
}

// untar writes the regular files and folders of a tar stream under dir,
// refusing any name that would leave it.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(h.Name)
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("archive entry %q leaves the folder", h.Name)
		}
		target := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}
