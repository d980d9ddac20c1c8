package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/speakeasy-api/openapi/overlay"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// --suggest FILE writes the change of the spec that the findings call for
// (drift.Suggester) to FILE, as an OpenAPI Overlay, when there is one: a
// check with nothing to suggest writes no file, and says so on stderr. The
// overlay is checked with the overlay library oapi-codegen applies
// overlays with before it is written, and written whole or not at all
// (a temporary file in the same folder, renamed), never through a symlink.

// maxDeclinedLines bounds the declined finding groups stderr lists.
const maxDeclinedLines = 10

// checkOverlayPath says why path cannot take the overlay, before the check
// runs: its folder must exist, and the path, if it exists, must be a
// regular file (it is replaced, never written through a symlink).
func checkOverlayPath(path string) error {
	if path == "" {
		return errors.New("needs a file to write the overlay to")
	}
	if info, err := os.Lstat(path); err == nil {
		if err := replaceable(info); err != nil {
			return fmt.Errorf("%q: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%q: %w", path, describePathError(err))
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("%q: its folder %q: %w", path, dir, describePathError(err))
	case !info.IsDir():
		return fmt.Errorf("%q: %q is not a folder", path, dir)
	}
	return nil
}

// replaceable says why an existing file may not be replaced by the overlay.
func replaceable(info fs.FileInfo) error {
	switch m := info.Mode(); {
	case m&fs.ModeSymlink != 0:
		return errors.New("is a symlink: name the file itself (the overlay is never written through a link)")
	case !m.IsRegular():
		return errors.New("is not a regular file")
	}
	return nil
}

// writeSuggestion writes the suggestion to the --suggest file when it has
// actions, says on stderr what it wrote (or that there was nothing to
// suggest), and puts the actions in r for the Markdown report. It returns
// false when the overlay could not be written.
func writeSuggestion(stderr io.Writer, o *options, r *report.Report, s *drift.Suggestion) bool {
	file := textcut.Line(o.suggestFile, 300)
	if len(s.Actions) == 0 {
		fmt.Fprintf(stderr, "tallyfy-drift: nothing to suggest: no finding calls for a change of the spec; %s not written\n", file)
		writeDeclined(stderr, s.Declined)
		return true
	}
	spec := r.SpecVersion
	if o.specFile != "" {
		spec += " from " + o.specFile
	}
	var buf bytes.Buffer
	err := s.WriteOverlay(&buf, drift.OverlayInfo{Checked: r.Target, Spec: spec, Apply: "make apply-overlay OVERLAY=" + o.suggestFile})
	if err == nil {
		err = validOverlay(buf.Bytes(), redact.New(o.token))
	}
	if err == nil {
		err = replaceFile(o.suggestFile, buf.Bytes())
	}
	if err != nil {
		fmt.Fprintf(stderr, "tallyfy-drift: writing the overlay to %s: %s\n", file, textcut.Line(err.Error(), 600))
		return false
	}
	changes := map[string]bool{}
	for _, a := range s.Actions {
		changes[string(a.Kind)+" "+a.Target+" "+a.Name] = true
	}
	fmt.Fprintf(stderr, "tallyfy-drift: wrote %s (%s of the spec) to %s; review them, then: make apply-overlay OVERLAY=%s\n",
		plural(len(s.Actions), "overlay action"), plural(len(changes), "change"), file, file)
	writeDeclined(stderr, s.Declined)
	r.Suggested = &report.Suggested{File: o.suggestFile, Actions: s.Actions}
	return true
}

// writeDeclined lists on stderr the finding groups no action answers, and why.
func writeDeclined(w io.Writer, declined []drift.Declined) {
	if len(declined) == 0 {
		return
	}
	fmt.Fprintf(w, "tallyfy-drift: %s left to a person:\n", plural(len(declined), "finding group"))
	for i, d := range declined {
		if i == maxDeclinedLines {
			fmt.Fprintf(w, "  … and %d more\n", len(declined)-i)
			break
		}
		fmt.Fprintf(w, "  %s %s %s (%d): %s\n", cmpOr(d.Operation, "-"), d.Rule, textcut.Line(d.Pattern, 200), d.Count, textcut.Line(d.Reason, 300))
	}
}

// plural writes "1 change", "2 changes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// validOverlay holds the overlay to what its appliers accept: the overlay
// library's parse and validation. It must not hold a secret.
func validOverlay(data []byte, secrets redact.Secrets) error {
	if secrets.Contains(data) {
		return errors.New("it would hold the access token: not written")
	}
	o, err := overlay.ParseReader(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("the overlay does not parse: %w", err)
	}
	if err := o.Validate(); err != nil {
		return fmt.Errorf("the overlay is not valid: %w", err)
	}
	return nil
}

// replaceFile writes data to path whole or not at all: to a temporary file
// in the same folder, then renamed over path. A rename replaces a symlink
// rather than following it, so nothing is ever written through one.
func replaceFile(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return describePathError(err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if info, lerr := os.Lstat(path); lerr == nil {
			err = replaceable(info)
		}
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return describePathError(err)
	}
	return nil
}
