package main

import (
	"bytes"
	"context"
	"encoding/json"
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

// Where the released baseline and the decisions live, relative to the
// module root.
const (
	baselineDir  = "release/baseline"
	baselineSpec = baselineDir + "/openapi.yaml"
	acceptedFile = "release/accepted-breaking.txt"
	// acceptedAPIFile records the accepted breaks of the Go API, in the
	// accepted-breaking file's format.
	acceptedAPIFile = "release/accepted-api-breaks.txt"
)

// oasdiffLevelErr is oasdiff's level of a change that breaks clients (ERR).
const oasdiffLevelErr = 3

// specChange is one change as `oasdiff breaking -f json` reports it.
type specChange struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Level     int    `json:"level"`
	Operation string `json:"operation"`
	Path      string `json:"path"`
}

// key is how the accepted-breaking file names the change.
func (c specChange) key() string {
	return normalizeSpace(fmt.Sprintf("%s %s [%s] %s", c.Operation, c.Path, c.ID, c.Text))
}

func runSpec(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("spec", flag.ContinueOnError)
	base := fs.String("base", "", "the spec to compare with: a file, or a git revision whose openapi.yaml is used (default "+baselineSpec+")")
	accepted := fs.String("accepted", acceptedFile, "the file of accepted breaking changes")
	oasdiff := fs.String("oasdiff", defaultOasdiff, "oasdiff, as module@version for go run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	revision := "openapi.yaml"
	if fs.NArg() > 0 {
		revision = fs.Arg(0)
	}
	baseFile, label, cleanup, err := resolveSpecBase(ctx, *base)
	if err != nil {
		return err
	}
	defer cleanup()

	changes, err := oasdiffBreaking(ctx, *oasdiff, baseFile, revision)
	if err != nil {
		return err
	}
	decisions, err := readDecisions(*accepted)
	if err != nil {
		return err
	}
	res := judgeSpec(changes, decisions)
	if *base != "" {
		// Against another base (a pull request's), the breaks since the
		// release are not all visible, and their entries are not stale.
		res.stale = nil
	}
	res.print(stdout, label, *accepted)
	if len(res.unrecorded) > 0 || len(res.stale) > 0 {
		return fmt.Errorf("spec-check: %w", errBreaking)
	}
	return nil
}

// resolveSpecBase finds the spec to compare with. An empty base is the
// released baseline; a path to a regular file is used as it is; anything
// else is a git revision, whose openapi.yaml is written to a temporary file.
// A revision that the clone does not have is an error that says what to
// fetch: the check never skips.
func resolveSpecBase(ctx context.Context, base string) (file, label string, cleanup func(), err error) {
	cleanup = func() {}
	if base == "" {
		version, verr := readBaselineVersion()
		if verr != nil {
			return "", "", cleanup, verr
		}
		if _, serr := regularFile(baselineSpec); serr != nil {
			return "", "", cleanup, fmt.Errorf("no released spec to compare with: %w (run `make release-baseline` at a release)", serr)
		}
		return baselineSpec, "the released spec v" + version + " (" + baselineSpec + ")", cleanup, nil
	}
	if info, serr := os.Stat(base); serr == nil {
		if !info.Mode().IsRegular() {
			return "", "", cleanup, fmt.Errorf("SPEC_BASE %q is not a regular file", base)
		}
		return base, base, cleanup, nil
	}
	out, gerr := exec.CommandContext(ctx, "git", "show", base+":openapi.yaml").Output()
	if gerr != nil {
		return "", "", cleanup, fmt.Errorf("SPEC_BASE=%s: this clone has no openapi.yaml at that revision. "+
			"In a shallow clone (actions/checkout's default) fetch it first, e.g. `git fetch --depth=1 origin %s` "+
			"(for a pull request, its base branch), or leave SPEC_BASE unset to compare with the released spec in %s",
			base, base, baselineSpec)
	}
	dir, derr := os.MkdirTemp("", "spec-base-")
	if derr != nil {
		return "", "", cleanup, derr
	}
	cleanup = func() { os.RemoveAll(dir) }
	file = filepath.Join(dir, "openapi.yaml")
	if werr := os.WriteFile(file, out, 0o600); werr != nil {
		cleanup()
		return "", "", func() {}, werr
	}
	return file, "openapi.yaml at " + base, cleanup, nil
}

// oasdiffBreaking runs `oasdiff breaking` and returns its ERR-level changes.
func oasdiffBreaking(ctx context.Context, oasdiff, base, revision string) ([]specChange, error) {
	cmd := exec.CommandContext(ctx, "go", "run", oasdiff, "breaking", base, revision, "-f", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("oasdiff breaking %s %s: %w: %s", base, revision, err, textcut.Cut(strings.TrimSpace(stderr.String()), 2000))
	}
	var all []specChange
	if len(bytes.TrimSpace(out)) > 0 {
		if err := json.Unmarshal(out, &all); err != nil {
			return nil, fmt.Errorf("oasdiff breaking: unexpected output: %w", err)
		}
	}
	var errs []specChange
	for _, c := range all {
		if c.Level >= oasdiffLevelErr {
			errs = append(errs, c)
		}
	}
	return errs, nil
}

// specResult is the verdict on the spec's breaking changes.
type specResult struct {
	recorded   []specChange // breaking, with a decision on record
	unrecorded []specChange // breaking, with no decision: the check fails
	stale      []string     // decisions naming a change that no longer exists: the check fails
}

func judgeSpec(changes []specChange, decisions []decision) specResult {
	known := map[string]bool{}
	for _, d := range decisions {
		for _, c := range d.changes {
			known[c] = true
		}
	}
	seen := map[string]bool{}
	var res specResult
	for _, c := range changes {
		k := c.key()
		seen[k] = true
		if known[k] {
			res.recorded = append(res.recorded, c)
		} else {
			res.unrecorded = append(res.unrecorded, c)
		}
	}
	for _, d := range decisions {
		for _, c := range d.changes {
			if !seen[c] {
				res.stale = append(res.stale, c)
			}
		}
	}
	slices.Sort(res.stale)
	return res
}

func (r specResult) print(w io.Writer, label, accepted string) {
	switch {
	case len(r.recorded)+len(r.unrecorded) == 0:
		fmt.Fprintf(w, "spec-check: no breaking change against %s\n", label)
	case len(r.unrecorded) == 0:
		fmt.Fprintf(w, "spec-check: %d breaking change(s) against %s, each on record in %s\n", len(r.recorded), label, accepted)
	default:
		fmt.Fprintf(w, "spec-check: %d breaking change(s) against %s, %d of them on record in %s\n",
			len(r.recorded)+len(r.unrecorded), label, len(r.recorded), accepted)
	}
	if len(r.unrecorded) > 0 {
		fmt.Fprintf(w, "\nThese break users of %s and have no decision on record. Either undo them, or add an entry\n"+
			"to %s (see the README, \"Changing the spec\"):\n\n", label, accepted)
		for _, c := range r.unrecorded {
			fmt.Fprintf(w, "- change: %s\n  reason: ...\n  source: ...\n", c.key())
		}
	}
	if len(r.stale) > 0 {
		fmt.Fprintf(w, "\nThese entries of %s name a change that no longer exists; remove them:\n\n", accepted)
		for _, s := range r.stale {
			fmt.Fprintf(w, "  change: %s\n", s)
		}
	}
	switch {
	case len(r.unrecorded) > 0 && len(r.stale) > 0:
		fmt.Fprintf(w, "\nspec-check: to pass: undo the changes or add the entries above, and remove the stale entries, in %s; then run make spec-check\n", accepted)
	case len(r.unrecorded) > 0:
		fmt.Fprintf(w, "\nspec-check: to pass: undo the changes, or add the entries above to %s; then run make spec-check\n", accepted)
	case len(r.stale) > 0:
		fmt.Fprintf(w, "\nspec-check: to pass: remove the stale entries from %s; then run make spec-check\n", accepted)
	}
}

// readBaselineVersion returns the released version recorded in the baseline.
func readBaselineVersion() (string, error) {
	b, err := os.ReadFile(filepath.Join(baselineDir, "VERSION"))
	if err != nil {
		return "", fmt.Errorf("released version: %w (run `make release-baseline` at a release)", err)
	}
	v := strings.TrimSpace(string(b))
	if _, err := parseSemver(v); err != nil {
		return "", fmt.Errorf("%s/VERSION: %w", baselineDir, err)
	}
	return v, nil
}

// regularFile returns the size of path, or an error if it is not a regular file.
func regularFile(path string) (int64, error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !info.Mode().IsRegular() {
		return 0, errors.New(path + " is not a regular file")
	}
	return info.Size(), nil
}
