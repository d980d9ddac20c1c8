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
	"slices"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// modulePath is the module whose Go API the gate holds.
const modulePath = "github.com/tallyfy-go/tallyfy"

func runAPI(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	base := fs.String("base", "", "the git revision to compare with (default the released commit in "+baselineDir+"/COMMIT)")
	accepted := fs.String("accepted", acceptedAPIFile, "the file of accepted Go API breaks")
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
	decisions, err := readDecisions(*accepted)
	if err != nil {
		return err
	}

	changes, err := incompatibleChanges(ctx, *apidiff, rev)
	if err != nil {
		return err
	}
	res := judgeAPI(changes, decisions, *base == "")
	res.bump = len(changes) > 0 && !current.allowsBreaking(released)
	res.print(stdout, apiLabels{base: label, released: released, current: current, versionFile: versionFile, accepted: *accepted})
	if res.failed() {
		return fmt.Errorf("api-check: %w", errBreaking)
	}
	return nil
}

// apiResult is the verdict on the Go API's incompatible changes.
type apiResult struct {
	recorded   []string // incompatible, with an entry on record
	unrecorded []string // incompatible, with no entry: the check fails
	stale      []string // entries naming a change apidiff no longer reports: the check fails
	bump       bool     // there are changes, and Version is not a breaking bump: the check fails
}

// judgeAPI sorts apidiff's changes by the accepted entries. An entry is a
// change line exactly as apidiff writes it (white space folded), never a
// pattern, so that it cannot cover a later, unrelated break. Stale entries
// are judged only against the released commit (atRelease): against another
// base, such as a pull request's, the breaks since the release are not all
// visible, and their entries are not stale.
func judgeAPI(changes []string, decisions []decision, atRelease bool) apiResult {
	known := map[string]bool{}
	for _, d := range decisions {
		for _, c := range d.changes {
			known[c] = true
		}
	}
	seen := map[string]bool{}
	var res apiResult
	for _, c := range changes {
		k := normalizeSpace(c)
		seen[k] = true
		if known[k] {
			res.recorded = append(res.recorded, c)
		} else {
			res.unrecorded = append(res.unrecorded, c)
		}
	}
	if atRelease {
		for _, d := range decisions {
			for _, c := range d.changes {
				if !seen[c] {
					res.stale = append(res.stale, c)
				}
			}
		}
		slices.Sort(res.stale)
	}
	return res
}

func (r apiResult) failed() bool { return len(r.unrecorded) > 0 || len(r.stale) > 0 || r.bump }

// apiLabels are the names the verdict uses.
type apiLabels struct {
	base              string // what was compared with: "v0.1.0", or a revision
	released, current semver
	versionFile       string // the file that holds Version
	accepted          string // the accepted-breaks file
}

// print writes the verdict: one line when the check passes; when it fails,
// what is wrong and, last, what to do.
func (r apiResult) print(w io.Writer, l apiLabels) {
	n := len(r.recorded) + len(r.unrecorded)
	if !r.failed() {
		if n == 0 {
			fmt.Fprintf(w, "api-check: no incompatible Go API change against %s\n", l.base)
			return
		}
		fmt.Fprintf(w, "api-check: %d incompatible Go API change(s) against %s, each on record in %s; Version %s allows them\n",
			n, l.base, l.accepted, l.current)
		return
	}
	fmt.Fprintf(w, "api-check: %d incompatible Go API change(s) against %s, %d of them on record in %s\n", n, l.base, len(r.recorded), l.accepted)
	var next []string
	if len(r.unrecorded) > 0 {
		fmt.Fprintf(w, "\nThese break programs built against %s and are not on record. Undo them, or add an entry\n"+
			"to %s saying why importers are better off and where the change is documented\n"+
			"(see docs/release-gates.md):\n\n", l.base, l.accepted)
		for _, c := range r.unrecorded {
			fmt.Fprintf(w, "- change: %s\n  reason: ...\n  source: ...\n", c)
		}
		next = append(next, "undo the change, or add the entries above to "+l.accepted)
	}
	if len(r.stale) > 0 {
		fmt.Fprintf(w, "\nThese entries of %s name a change apidiff no longer reports; remove them:\n\n", l.accepted)
		for _, s := range r.stale {
			fmt.Fprintf(w, "  change: %s\n", s)
		}
		next = append(next, "remove the stale entries from "+l.accepted)
	}
	if r.bump {
		fmt.Fprintf(w, "\nAn entry records why; the version tells importers. Version %s in %s does not allow a break\n"+
			"from the released %s (see the README, \"Versions and compatibility\").\n", l.current, l.versionFile, l.released)
		next = append(next, fmt.Sprintf("bump Version in %s from %s to %s", l.versionFile, l.current, breakingBumpOf(l.released)))
	}
	fmt.Fprintf(w, "\napi-check: to pass: %s; then run make api-check\n", strings.Join(next, "; "))
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
