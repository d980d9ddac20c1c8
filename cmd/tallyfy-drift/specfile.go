package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tallyfy-go/tallyfy/drift"
)

// maxSpecBytes bounds a --spec file: openapi.yaml is a few dozen KB.
const maxSpecBytes = 4 << 20

// newValidator builds the validator from the embedded spec, or from the
// file --spec names. Every error names the file.
func newValidator(specFile string, opts []drift.Option) (*drift.Validator, error) {
	if specFile == "" {
		return drift.NewValidator(opts...)
	}
	document, err := readSpecFile(specFile)
	if err != nil {
		return nil, fmt.Errorf("--spec %q: %w", specFile, err)
	}
	v, err := drift.NewValidator(append(opts, drift.WithSpec(document))...)
	if err != nil {
		return nil, fmt.Errorf("--spec %q: %w", specFile, err)
	}
	return v, nil
}

// readSpecFile reads a spec file a user names: a regular file (not a
// folder, a device or a pipe, which could block or never end) of at most
// maxSpecBytes.
func readSpecFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, describePathError(err)
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > maxSpecBytes {
		return nil, fmt.Errorf("%d bytes, over the %d a spec may have", info.Size(), maxSpecBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, describePathError(err)
	}
	defer f.Close()
	// Stat again what was opened: the path may have changed in between.
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	document, err := io.ReadAll(io.LimitReader(f, maxSpecBytes+1))
	if err != nil {
		return nil, describePathError(err)
	}
	if len(document) > maxSpecBytes {
		return nil, fmt.Errorf("over the %d bytes a spec may have", maxSpecBytes)
	}
	return document, nil
}

// describePathError says why a file could not be read, without repeating
// its path (the caller names it once).
func describePathError(err error) error {
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}
