package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The kinds of failure.
const (
	KindGate    = "gate"    // a make target failed
	KindTest    = "test"    // a test (or example, or fuzz seed) failed
	KindPackage = "package" // a package failed without a failing test: it did not build, or its binary failed
	KindGoTest  = "go test" // go test failed before any package ran
)

// Failure is one thing that failed, and what to do about it.
type Failure struct {
	Kind    string  `json:"kind"`
	Name    string  `json:"name"`              // the gate, test or package
	Package string  `json:"package,omitempty"` // the test's package, as a relative path ("./drift")
	Elapsed float64 `json:"elapsed,omitempty"` // a test's seconds
	Next    string  `json:"next"`              // the next command to run, or what to change
	Output  string  `json:"output"`            // what it printed (a gate's, a test's, or the package's)
}

// Package is how one package of go test ended.
type Package struct {
	Path    string  `json:"path"` // relative, "./drift"
	Passed  bool    `json:"passed"`
	Elapsed float64 `json:"elapsed"` // seconds, 0 when go test did not say
}

// result is what testrun found.
type result struct {
	Failures []Failure `json:"failures"`
	Packages []Package `json:"packages"`
}

// modulePrefix is the module path, which go test prints before every
// package; relative paths are shorter to read and to paste.
const modulePrefix = "github.com/tallyfy-go/tallyfy"

// relative turns an import path of the module into "./path" ("." for the
// root package).
func relative(pkg string) string {
	switch {
	case pkg == modulePrefix:
		return "."
	case strings.HasPrefix(pkg, modulePrefix+"/"):
		return "." + strings.TrimPrefix(pkg, modulePrefix)
	}
	return pkg
}

// toPass is a gate's own advice: releasecheck ends a failure with
// "spec-check: to pass: ...".
var toPass = regexp.MustCompile(`(?m)^[a-z-]+: to pass: (.+)$`)

// couldNotRun is releasecheck's line when a gate could not run at all.
var couldNotRun = regexp.MustCompile(`(?m)^releasecheck: (.+)$`)

// gateFailure says what to do about a failed gate: its own advice when it
// gives one, else the known remedy.
func gateFailure(gate, out string) Failure {
	f := Failure{Kind: KindGate, Name: gate, Output: out}
	if m := toPass.FindAllStringSubmatch(out, -1); m != nil {
		f.Next = m[len(m)-1][1]
		return f
	}
	if m := couldNotRun.FindStringSubmatch(out); m != nil {
		f.Next = "it could not run: " + m[1]
		return f
	}
	switch gate {
	case "check-generated":
		f.Next = "make generate, and commit gen/ and spec/"
	case "lint":
		f.Next = "gofmt -w the files it names, or fix what go vet says; then make lint"
	case "spec-drill":
		f.Next = "go test -tags specdrill -count=1 -v ./tools/specdrill (docs/release-gates.md, \"The spec drill\")"
	default:
		f.Next = "make " + gate
	}
	return f
}

var (
	// failLine is the line of a failed top-level test: "--- FAIL: TestX (0.12s)".
	failLine = regexp.MustCompile(`^--- FAIL: (\S+) \((\d+(?:\.\d+)?)s\)`)
	// pkgLine is the last line of a package: "ok  \tpath\t0.1s", "FAIL\tpath\t0.1s",
	// "FAIL\tpath [build failed]", "ok  \tpath\t(cached)".
	pkgLine = regexp.MustCompile(`^(ok|FAIL)\s+(\S+)(?:\s+(\d+(?:\.\d+)?)s)?`)
	// updateCommand is the command a golden file says rewrites it.
	updateCommand = regexp.MustCompile(`go test \S+ -update`)
)

// parseGoTest reads go test's text output (not -v) and returns the failed
// tests, and the packages that failed without one, and how each package
// ended. go test prints a package's output together, ending with its ok or
// FAIL line; a failed top-level test is its "--- FAIL: name (time)" line
// followed by its output (its subtests' lines indented), up to the next
// one or the package's lone "FAIL".
func parseGoTest(out string) ([]Failure, []Package) {
	var (
		failures []Failure
		packages []Package
		pending  []Failure       // failed tests of the package being printed
		block    strings.Builder // the package's lines so far
		current  *Failure        // the failed test whose output is being read
	)
	endTest := func() {
		if current != nil {
			pending = append(pending, *current)
			current = nil
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := pkgLine.FindStringSubmatch(line); m != nil && strings.Contains(m[2], "/") {
			endTest()
			elapsed, _ := strconv.ParseFloat(m[3], 64)
			pkg := relative(m[2])
			packages = append(packages, Package{Path: pkg, Passed: m[1] == "ok", Elapsed: elapsed})
			if m[1] == "FAIL" {
				failures = append(failures, packageFailures(pkg, pending, block.String()+line+"\n")...)
			}
			pending = pending[:0]
			block.Reset()
			continue
		}
		block.WriteString(line + "\n")
		switch m := failLine.FindStringSubmatch(line); {
		case m != nil:
			endTest()
			elapsed, _ := strconv.ParseFloat(m[2], 64)
			current = &Failure{Kind: KindTest, Name: m[1], Elapsed: elapsed, Output: line + "\n"}
		case line == "FAIL":
			endTest()
		case current != nil:
			current.Output += line + "\n"
		}
	}
	return failures, packages
}

// packageFailures are the failures of a failed package: its failed tests,
// each with the command that runs it alone (or the -update command of a
// golden file it names), or, when no test failed, the package itself.
func packageFailures(pkg string, tests []Failure, output string) []Failure {
	if len(tests) == 0 {
		return []Failure{{Kind: KindPackage, Name: pkg, Package: pkg, Output: output,
			Next: "go test " + pkg + " (it did not build, or its test binary failed: see its output above)"}}
	}
	var out []Failure
	for _, f := range tests {
		f.Package = pkg
		f.Next = fmt.Sprintf("go test %s -run '^%s$' -count=1 -v", pkg, regexp.QuoteMeta(f.Name))
		if update := updateCommand.FindString(f.Output); update != "" {
			f.Next = update + " (if the change is meant: read the diff first)"
		}
		out = append(out, f)
	}
	return out
}

// maxSummaryLines bounds the failures the summary lists one by one.
const maxSummaryLines = 12

// summary writes the last lines of a failed run: what failed, and the
// next command for each.
func (r result) summary(w io.Writer) {
	var gates, tests, packages []string
	for _, f := range r.Failures {
		switch f.Kind {
		case KindGate:
			gates = append(gates, f.Name)
		case KindTest:
			tests = append(tests, f.Package+" "+f.Name)
		default:
			packages = append(packages, f.Name)
		}
	}
	var parts []string
	if len(gates) > 0 {
		parts = append(parts, "gate(s) "+strings.Join(gates, ", "))
	}
	if len(tests) > 0 {
		parts = append(parts, fmt.Sprintf("%d test(s)", len(tests)))
	}
	if len(packages) > 0 {
		parts = append(parts, "package(s) "+strings.Join(packages, ", "))
	}
	fmt.Fprintf(w, "\n==== make test failed: %s. Next:\n", strings.Join(parts, "; "))
	for i, f := range r.Failures {
		if i == maxSummaryLines {
			fmt.Fprintf(w, "  … and %d more (above)\n", len(r.Failures)-i)
			break
		}
		name := f.Name
		if f.Kind == KindTest {
			name = f.Package + " " + f.Name
		}
		fmt.Fprintf(w, "  %-10s %s\n  %10s %s\n", f.Kind, name, "→", f.Next)
	}
}
