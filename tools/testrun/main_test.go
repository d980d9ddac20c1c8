package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goTestOutput is go test's output for a run with a failed test (with
// subtests), an example and a golden file, a package that did not build,
// and packages that passed.
const goTestOutput = `ok  	github.com/tallyfy-go/tallyfy	10.164s
--- FAIL: TestOpenAPIAgreesWithTallyfysSwagger (0.02s)
    spec_test.go:52: 
        	Error:      	openapi.yaml and Tallyfy's Swagger: 1 unreconciled difference(s):
--- FAIL: TestCheckFailsOnAnUnreconciledEdit (0.11s)
    --- FAIL: TestCheckFailsOnAnUnreconciledEdit/an_upstream_property_removed (0.01s)
        spec_test.go:160: should have 1 item(s)
FAIL
FAIL	github.com/tallyfy-go/tallyfy/tools/internal/upstream	0.195s
--- FAIL: TestTextReport (0.00s)
    report_test.go:90: testdata/report.txt is stale; if the change is intended, rewrite it with: go test ./drift/report -update
--- FAIL: ExampleObserver (0.01s)
got:
warning listRunTasks undocumented-field /data/*/x: 2
want:
nothing
FAIL
FAIL	github.com/tallyfy-go/tallyfy/drift/report	0.057s
# github.com/tallyfy-go/tallyfy/gen
gen/tallyfy.gen.go:12:2: undefined: x
FAIL	github.com/tallyfy-go/tallyfy/gen [build failed]
?   	github.com/tallyfy-go/tallyfy/recordings	[no test files]
ok  	github.com/tallyfy-go/tallyfy/spec	(cached)
FAIL
`

func TestParseGoTestNamesEachFailureAndItsNextCommand(t *testing.T) {
	failures, packages := parseGoTest(goTestOutput)
	type short struct{ Kind, Name, Package, Next string }
	var got []short
	for _, f := range failures {
		got = append(got, short{f.Kind, f.Name, f.Package, f.Next})
	}
	assert.Equal(t, []short{
		{KindTest, "TestOpenAPIAgreesWithTallyfysSwagger", "./tools/internal/upstream",
			"go test ./tools/internal/upstream -run '^TestOpenAPIAgreesWithTallyfysSwagger$' -count=1 -v"},
		{KindTest, "TestCheckFailsOnAnUnreconciledEdit", "./tools/internal/upstream",
			"go test ./tools/internal/upstream -run '^TestCheckFailsOnAnUnreconciledEdit$' -count=1 -v"},
		{KindTest, "TestTextReport", "./drift/report", "go test ./drift/report -update (if the change is meant: read the diff first)"},
		{KindTest, "ExampleObserver", "./drift/report", "go test ./drift/report -run '^ExampleObserver$' -count=1 -v"},
		{KindPackage, "./gen", "./gen", "go test ./gen (it did not build, or its test binary failed: see its output above)"},
	}, got)
	assert.Contains(t, failures[1].Output, "should have 1 item(s)", "a test's output holds its subtests'")
	assert.NotContains(t, failures[0].Output, "should have 1 item(s)")
	assert.Contains(t, failures[3].Output, "want:\nnothing\n")
	assert.Contains(t, failures[4].Output, "undefined: x")
	assert.InDelta(t, 0.11, failures[1].Elapsed, 1e-9)
	assert.Equal(t, []Package{
		{Path: ".", Passed: true, Elapsed: 10.164},
		{Path: "./tools/internal/upstream", Elapsed: 0.195},
		{Path: "./drift/report", Elapsed: 0.057},
		{Path: "./gen"},
		{Path: "./spec", Passed: true},
	}, packages)
}

func TestAGateSaysWhatToDo(t *testing.T) {
	api := "api-check: 1 incompatible Go API change(s) against v0.1.0, 0 of them on record in release/accepted-api-breaks.txt\n" +
		"\napi-check: to pass: undo the change, or add the entries above to release/accepted-api-breaks.txt; then run make api-check\n"
	assert.Equal(t, "undo the change, or add the entries above to release/accepted-api-breaks.txt; then run make api-check",
		gateFailure("api-check", api).Next, "its own advice")
	assert.Equal(t, "it could not run: this clone does not have revision abc",
		gateFailure("api-check", "releasecheck: this clone does not have revision abc\nexit status 2\n").Next)
	assert.Equal(t, "make generate, and commit gen/ and spec/", gateFailure("check-generated", "stale\n").Next)
}

func TestTheSummaryIsShortAndLast(t *testing.T) {
	failures, _ := parseGoTest(goTestOutput)
	r := result{Failures: append([]Failure{gateFailure("check-generated", "")}, failures...)}
	var buf bytes.Buffer
	r.summary(&buf)
	out := buf.String()
	assert.True(t, strings.HasPrefix(out, "\n==== make test failed: gate(s) check-generated; 4 test(s); package(s) ./gen. Next:\n"), out)
	assert.Contains(t, out, "  gate       check-generated\n           → make generate, and commit gen/ and spec/\n")
	assert.Contains(t, out, "  test       ./tools/internal/upstream TestOpenAPIAgreesWithTallyfysSwagger\n")
	assert.NotContains(t, out, "Error:", "no test output in the summary")
	assert.LessOrEqual(t, strings.Count(out, "\n"), 2+2*maxSummaryLines+1)
}

// A run whose gates and tests pass adds nothing to their output; one that
// fails ends with the summary and exit 1, and writes the JSON result.
func TestRunEndsWithTheSummaryOnlyOnFailure(t *testing.T) {
	for _, tool := range []string{"true", "false"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the test needs %s on PATH", tool)
		}
	}
	pkg := []string{"--", "-run", "^$", "../../internal/textcut"}
	var out bytes.Buffer
	code := run(context.Background(), append([]string{"-make", "true", "-gates", "lint"}, pkg...), &out, &out)
	assert.Equal(t, 0, code, out.String())
	assert.NotContains(t, out.String(), "make test failed")

	out.Reset()
	file := filepath.Join(t.TempDir(), "result.json")
	code = run(context.Background(), append([]string{"-make", "false", "-gates", "check-generated", "-after", "spec-drill", "-json", file}, pkg...), &out, &out)
	assert.Equal(t, 1, code, out.String())
	assert.Contains(t, out.String(), "==== make test failed: gate(s) check-generated, spec-drill. Next:")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var res result
	require.NoError(t, json.Unmarshal(data, &res))
	require.Len(t, res.Failures, 2)
	assert.Equal(t, "spec-drill", res.Failures[1].Name)
	require.Len(t, res.Packages, 1)
	assert.True(t, res.Packages[0].Passed)
}
