package architecture_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rule is one row of the import-rule table of docs/architecture.md. It
// holds the non-test imports of its package, with everything those
// imports import in turn (the package's Deps in go list).
//
// Packages are named by their path in the module ("drift/report"); the
// root package is "tallyfy"; "x/..." is x and every package below it;
// "..." is every package of the module. A path whose first element holds
// a dot is another module's ("github.com/getkin/kin-openapi/..."). "std"
// is the standard library, and "internal helpers" the packages under
// internal/ but outside internal/testsupport.
type rule struct {
	pkg string // the package the row holds
	// only, when set, lists everything it may depend on. What an allowed
	// package depends on in turn is allowed with it: its own row holds that.
	only []string
	not  []string // what it must not depend on
}

// Deny lists that several rows share.
var (
	belowTheClient = []string{"tallyfy", "drift/...", "cmd/...", "tools/..."}
	notTheTools    = []string{"tools/..."}
	notThePrograms = []string{"cmd/...", "tools/..."}
	notTheChecks   = []string{"tallyfy", "drift/...", "cmd/..."}
	helperOnly     = []string{"std", "internal helpers"}
)

// rules is the import-rule table of docs/architecture.md, row for row.
// Every package of the module has a row of its own besides the first,
// which holds them all.
var rules = []rule{
	{pkg: "...", not: []string{"internal/testsupport/..."}},

	// The ground floor: small types and helpers.
	{pkg: "tolerant", only: []string{"std", "internal/textcut"}},
	{pkg: "internal/bytesize", only: helperOnly},
	{pkg: "internal/inflate", only: helperOnly},
	{pkg: "internal/jsonkind", only: helperOnly},
	{pkg: "internal/jsonnum", only: helperOnly},
	{pkg: "internal/jsonptr", only: helperOnly},
	{pkg: "internal/mediatype", only: helperOnly},
	{pkg: "internal/pagination", only: helperOnly},
	{pkg: "internal/progress", only: helperOnly},
	{pkg: "internal/redact", only: helperOnly},
	{pkg: "internal/retrystatus", only: helperOnly},
	{pkg: "internal/textcut", only: helperOnly},

	// Generated from openapi.yaml.
	{pkg: "gen", only: []string{"std", "tolerant", "github.com/oapi-codegen/runtime/..."}},
	{pkg: "spec", not: []string{"tallyfy", "drift/...", "gen"}},

	// What importers get.
	{pkg: "tallyfy", not: []string{"spec", "drift/...", "recording", "recordings", "github.com/getkin/kin-openapi/...", "tools/...", "cmd/..."}},

	// Recordings and the checks.
	{pkg: "recording", not: belowTheClient},
	{pkg: "recordings", not: belowTheClient},
	{pkg: "drift", not: append([]string{"drift/report"}, notThePrograms...)},
	{pkg: "drift/report", not: notThePrograms},

	// The programs.
	{pkg: "cmd/tallyfy-drift", not: notTheTools},
	{pkg: "cmd/tallyfy-drift/internal/livecheck", not: notTheTools},
	{pkg: "tools/overlay", not: notTheChecks},
	{pkg: "tools/releasecheck", not: notTheChecks},
	{pkg: "tools/upstream", not: notTheChecks},
	{pkg: "tools/internal/upstream", not: notTheChecks},
	{pkg: "tools/testrun", not: notTheChecks},

	// The tests' own packages.
	{pkg: "internal/testsupport", only: helperOnly},
	{pkg: "internal/testsupport/gobuild", only: helperOnly},
	{pkg: "internal/testsupport/golden", only: helperOnly},
	{pkg: "internal/testsupport/hostile", only: helperOnly},
	{pkg: "internal/testsupport/roundtrip", only: helperOnly},
	{pkg: "internal/testsupport/specfixture", only: []string{"std", "internal helpers", "spec"}},
	{pkg: "internal/testsupport/standin", only: helperOnly},
	{pkg: "contract_test", only: []string{"std"}},
	{pkg: "architecture", only: []string{"std"}},
	{pkg: "tools/specdrill", only: []string{"std"}},
}

// TestImportRules lists the module's packages with go list and holds each
// to its rows of the table: a package that depends on what a row forbids,
// or that no row places, fails the test.
func TestImportRules(t *testing.T) {
	l := listModule(t)
	problems := l.violations(rules)
	problems = append(problems, l.unplaced(rules)...)
	problems = append(problems, l.emptyRows(rules)...)
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.Log("the rules are the table of docs/architecture.md; change both, on purpose")
	}
}

// TestTheRulesAreTheDocumentedTable holds the rules above to the table in
// docs/architecture.md, row for row: the packages and the rule.
func TestTheRulesAreTheDocumentedTable(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "architecture.md"))
	require.NoError(t, err)
	rows := tableRows(t, string(doc), "## The import rules")
	var want []string
	for _, r := range rules {
		want = append(want, r.pkg+" | "+r.text())
	}
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(backticked(row[0]), ", ")+" | "+row[len(row)-1])
	}
	assert.Equal(t, want, got, "the rules of layering_test.go and the table of docs/architecture.md (package | rule) differ")
}

// The checker reports a package that depends on what its row forbids,
// naming the package, the forbidden import, the way to it and the rule.
// What an allowed package brings with it is not reported, nor what only a
// forbidden one brings: the first forbidden step is the one to undo.
func TestTheCheckerReportsABrokenRule(t *testing.T) {
	l := fabricated(map[string][]string{
		"tallyfy":                         {"gen", "internal/textcut", "net/http"},
		"tolerant":                        {"internal/textcut", "encoding/json", "gen"},
		"internal/textcut":                {"strings"},
		"gen":                             {"github.com/oapi-codegen/runtime", "net/http"},
		"github.com/oapi-codegen/runtime": {"github.com/google/uuid", "encoding/json"},
		"github.com/google/uuid":          {"crypto/rand"},
		"encoding/json":                   {},
		"net/http":                        {},
		"strings":                         {},
		"crypto/rand":                     {},
	})
	assert.Equal(t, []string{
		"tolerant depends on gen, through tolerant → gen; its rule (tolerant): only the standard library and `internal/textcut`",
	}, l.violations(rules))
}

// A deny rule reports a forbidden package however deep it is; a package
// that depends on a test stand-in breaks the first row.
func TestTheCheckerReportsAForbiddenDependency(t *testing.T) {
	l := fabricated(map[string][]string{
		"tallyfy":                                {"internal/redact", "internal/testsupport/standin"},
		"internal/redact":                        {"strings"},
		"internal/testsupport/standin":           {"net/http"},
		"drift":                                  {"tallyfy", "github.com/getkin/kin-openapi/openapi3"},
		"recording":                              {"drift"},
		"github.com/getkin/kin-openapi/openapi3": {"strings"},
		"net/http":                               {},
		"strings":                                {},
	})
	const testsupportRule = "its rule (...): not `internal/testsupport/...`"
	assert.ElementsMatch(t, []string{
		"drift depends on internal/testsupport/standin, through drift → tallyfy → internal/testsupport/standin; " + testsupportRule,
		"recording depends on internal/testsupport/standin, through recording → drift → tallyfy → internal/testsupport/standin; " + testsupportRule,
		"recording depends on drift, through recording → drift; its rule (recording): not `tallyfy`, `drift/...`, `cmd/...` or `tools/...`",
		"tallyfy depends on internal/testsupport/standin, through tallyfy → internal/testsupport/standin; " + testsupportRule,
	}, l.violations(rules))
}

// A package that no row places is reported, and so is a row's package
// that no longer exists.
func TestTheCheckerReportsAnUnplacedPackage(t *testing.T) {
	l := fabricated(map[string][]string{"tallyfy": {}, "newthing": {"strings"}, "strings": {}})
	assert.Equal(t, []string{
		"newthing has no row in the import rules: place it in the table of docs/architecture.md and in the rules of architecture/layering_test.go",
	}, l.unplaced(rules))
	assert.Contains(t, l.emptyRows(rules), "the import rules have a row for gen, which is no package of the module")
}

// module is the path of the module the rules hold.
const module = "github.com/tallyfy-go/tallyfy"

// goPackage is what go list -json says of a package, as far as the rules
// read it.
type goPackage struct {
	ImportPath string
	Standard   bool
	Module     *struct{ Path string }
	Imports    []string
	Deps       []string
}

// layout is every package of the module with every package they depend
// on, by import path.
type layout struct {
	pkgs map[string]*goPackage
}

// listModule lists the module's packages and their dependencies (not those
// of their tests) with go list, from the module root.
func listModule(t *testing.T) *layout {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the import rules are read with the go command")
	cmd := exec.Command(goCmd, "list", "-deps", "-json=ImportPath,Standard,Module,Imports,Deps", "./...")
	cmd.Dir = ".." // the module root
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "go list: %s", stderr.String())
	l := &layout{pkgs: map[string]*goPackage{}}
	dec := json.NewDecoder(&stdout)
	for {
		var p goPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		l.pkgs[p.ImportPath] = &p
	}
	require.Contains(t, l.pkgs, module, "go list ran at the module root")
	return l
}

// fabricated is a layout from a made-up import graph: each package's
// imports, named as the rules name them; a path without a dot in its first
// element and not of the module's own folders is standard.
func fabricated(imports map[string][]string) *layout {
	own := func(name string) bool {
		first, _, _ := strings.Cut(name, "/")
		return name == "tallyfy" || (!strings.Contains(first, ".") && !isStd(name))
	}
	full := func(name string) string {
		switch {
		case name == "tallyfy":
			return module
		case own(name):
			return module + "/" + name
		}
		return name
	}
	l := &layout{pkgs: map[string]*goPackage{}}
	for name, imps := range imports {
		p := &goPackage{ImportPath: full(name), Standard: isStd(name)}
		if own(name) {
			p.Module = &struct{ Path string }{module}
		}
		for _, imp := range imps {
			p.Imports = append(p.Imports, full(imp))
		}
		l.pkgs[p.ImportPath] = p
	}
	for _, p := range l.pkgs { // Deps: everything reachable through Imports
		seen := map[string]bool{}
		var walk func(string)
		walk = func(path string) {
			for _, imp := range l.pkgs[path].Imports {
				if !seen[imp] {
					seen[imp] = true
					walk(imp)
				}
			}
		}
		walk(p.ImportPath)
		for d := range seen {
			p.Deps = append(p.Deps, d)
		}
		slices.Sort(p.Deps)
	}
	return l
}

// isStd tells the standard packages of the fabricated layouts.
func isStd(name string) bool {
	return slices.Contains([]string{"encoding/json", "net/http", "strings", "crypto/rand"}, name)
}

// own lists the module's packages, sorted.
func (l *layout) own() []*goPackage {
	var out []*goPackage
	for _, p := range l.pkgs {
		if p.Module != nil && p.Module.Path == module {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *goPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	return out
}

// matches reports whether the package at path is what pattern names.
func (l *layout) matches(pattern, path string) bool {
	switch pattern {
	case "std":
		p := l.pkgs[path]
		return p != nil && p.Standard
	case "internal helpers":
		return l.matches("internal/...", path) && !l.matches("internal/testsupport/...", path)
	case "...":
		p := l.pkgs[path]
		return p != nil && p.Module != nil && p.Module.Path == module
	}
	full := pattern
	if first, _, _ := strings.Cut(pattern, "/"); !strings.Contains(first, ".") {
		full = module + "/" + pattern
	}
	if pattern == "tallyfy" {
		full = module
	}
	if base, ok := strings.CutSuffix(full, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == full
}

// matchesAny reports whether one of patterns names the package at path.
func (l *layout) matchesAny(patterns []string, path string) bool {
	return slices.ContainsFunc(patterns, func(pattern string) bool { return l.matches(pattern, path) })
}

// violations lists, one line each, every dependency of a package of the
// module that a row holding the package forbids.
func (l *layout) violations(rules []rule) []string {
	var out []string
	for _, p := range l.own() {
		for _, r := range rules {
			if !l.matches(r.pkg, p.ImportPath) {
				continue
			}
			allowed := map[string]bool{}
			if r.only != nil {
				for _, d := range p.Deps {
					if l.matchesAny(r.only, d) {
						allowed[d] = true
						if dp := l.pkgs[d]; dp != nil {
							for _, dd := range dp.Deps {
								allowed[dd] = true
							}
						}
					}
				}
			}
			forbidden := map[string]bool{}
			for _, d := range p.Deps {
				if (r.only != nil && !allowed[d]) || l.matchesAny(r.not, d) {
					forbidden[d] = true
				}
			}
			for _, d := range p.Deps {
				if !forbidden[d] {
					continue
				}
				way := l.way(p.ImportPath, d)
				if slices.ContainsFunc(way[1:len(way)-1], func(step string) bool { return forbidden[step] }) {
					continue // reached through a forbidden package, which is reported
				}
				out = append(out, fmt.Sprintf("%s depends on %s, through %s; its rule (%s): %s",
					name(p.ImportPath), name(d), wayText(way), r.pkg, r.text()))
			}
		}
	}
	return out
}

// unplaced lists every package of the module that has no row of its own.
func (l *layout) unplaced(rules []rule) []string {
	var out []string
	for _, p := range l.own() {
		if !slices.ContainsFunc(rules, func(r rule) bool { return r.pkg == name(p.ImportPath) }) {
			out = append(out, name(p.ImportPath)+" has no row in the import rules: place it in the table of "+
				"docs/architecture.md and in the rules of architecture/layering_test.go")
		}
	}
	return out
}

// emptyRows lists the rows whose package is no package of the
// module: a row about a package that moved or went away misleads.
func (l *layout) emptyRows(rules []rule) []string {
	var out []string
	for _, r := range rules {
		if !slices.ContainsFunc(l.own(), func(p *goPackage) bool { return l.matches(r.pkg, p.ImportPath) }) {
			out = append(out, "the import rules have a row for "+r.pkg+", which is no package of the module")
		}
	}
	return out
}

// way is the shortest chain of imports from one package to another, both
// included; just the two when go list gave no chain.
func (l *layout) way(from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var chain []string
			for at := to; at != ""; at = prev[at] {
				chain = append(chain, at)
			}
			slices.Reverse(chain)
			return chain
		}
		if p := l.pkgs[cur]; p != nil {
			for _, imp := range p.Imports {
				if _, seen := prev[imp]; !seen {
					prev[imp] = cur
					queue = append(queue, imp)
				}
			}
		}
	}
	return []string{from, to}
}

// wayText writes a chain of imports as "a → b → c".
func wayText(way []string) string {
	names := make([]string, len(way))
	for i, path := range way {
		names[i] = name(path)
	}
	return strings.Join(names, " → ")
}

// name is how the rules and their messages name a package.
func name(path string) string {
	if path == module {
		return "tallyfy"
	}
	if rest, ok := strings.CutPrefix(path, module+"/"); ok {
		return rest
	}
	return path
}

// text is the rule as the table of docs/architecture.md writes it.
func (r rule) text() string {
	words := func(patterns []string, last string) string {
		var ws []string
		for _, p := range patterns {
			switch p {
			case "std":
				ws = append(ws, "the standard library")
			case "internal helpers":
				ws = append(ws, "the internal helpers")
			default:
				ws = append(ws, "`"+p+"`")
			}
		}
		if len(ws) < 2 {
			return strings.Join(ws, "")
		}
		return strings.Join(ws[:len(ws)-1], ", ") + " " + last + " " + ws[len(ws)-1]
	}
	var parts []string
	if r.only != nil {
		parts = append(parts, "only "+words(r.only, "and"))
	}
	if r.not != nil {
		parts = append(parts, "not "+words(r.not, "or"))
	}
	return strings.Join(parts, "; ")
}

// tableRows returns the cells of the rows of the first table after heading
// in a Markdown document, without its header and separator rows.
func tableRows(t *testing.T, doc, heading string) [][]string {
	t.Helper()
	_, section, ok := strings.Cut(doc, "\n"+heading+"\n")
	require.True(t, ok, "docs/architecture.md has the section %q", heading)
	var rows [][]string
	inTable := false
	for line := range strings.Lines(section) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	require.GreaterOrEqual(t, len(rows), 2, "a table with a header under %q", heading)
	return rows[2:]
}

var backtickedRE = regexp.MustCompile("`([^`]+)`")

// backticked returns the backticked words of a table cell: the packages.
func backticked(cell string) []string {
	var out []string
	for _, m := range backtickedRE.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}
