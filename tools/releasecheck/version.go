package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// semver is a MAJOR.MINOR.PATCH version (a pre-release suffix is kept out
// of comparisons: the gate is about which number was bumped).
type semver struct{ major, minor, patch int }

func (v semver) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func parseSemver(s string) (semver, error) {
	core, _, _ := strings.Cut(strings.TrimPrefix(s, "v"), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return semver{}, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || (len(p) > 1 && p[0] == '0') {
			return semver{}, fmt.Errorf("version %q: %q is not a version number", s, p)
		}
		n[i] = v
	}
	return semver{n[0], n[1], n[2]}, nil
}

// less reports whether v orders before w.
func (v semver) less(w semver) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	return v.patch < w.patch
}

// allowsBreaking reports whether going from released to v is a bump that
// may break the Go API: the major version, or, before 1.0.0, the minor one
// (Go's module version rules: v0 makes no compatibility promise between
// minors; from v1 on, a break needs a new major version and module path).
func (v semver) allowsBreaking(released semver) bool {
	if v.major != released.major {
		return v.major > released.major
	}
	return v.major == 0 && v.minor > released.minor
}

// breakingBumpOf returns the smallest version after released that may break.
func breakingBumpOf(released semver) semver {
	if released.major == 0 {
		return semver{0, released.minor + 1, 0}
	}
	return semver{released.major + 1, 0, 0}
}

// moduleVersion finds `const Version = "..."` in the Go files of the
// package in dir (the module root: the package users import), and returns
// its value and the file that holds it.
func moduleVersion(dir string) (string, string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", "", err
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return "", "", err
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return "", "", err
		}
		if v, ok := versionConst(f); ok {
			return v, filepath.Base(name), nil
		}
	}
	return "", "", fmt.Errorf("no `const Version = \"...\"` in the Go files of %s", dir)
}

func versionConst(f *ast.File) (string, bool) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if name.Name != "Version" || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				if v, err := strconv.Unquote(lit.Value); err == nil {
					return v, true
				}
			}
		}
	}
	return "", false
}
