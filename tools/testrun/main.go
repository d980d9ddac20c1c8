// Command testrun is `make test`: it runs the gates (make targets such as
// check-generated, lint, spec-check, api-check and spec-drill) and then
// `go test ./...`, every one of them even when an earlier one fails, with
// their output as they print it. When something failed it ends with a
// short summary: which gate, package or test failed, and the next command
// to run (the gate's own advice, `make generate`, the `-update` command of
// a golden file, or the `go test -run` that runs the failed test alone).
// When everything passed it adds nothing.
//
//	go run ./tools/testrun [-make make] [-gates a,b] [-after c] [-json file] [-- go test flags and packages]
//
// With -json it also writes what failed as JSON, for the spec drill
// (tools/specdrill), which runs it on copies of the project. Exit codes: 0
// everything passed, 1 something failed, 2 testrun could not run.
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
	"os/signal"
	"strings"
	"syscall"
)

// defaultGates are the make targets that run before the tests, in order.
const defaultGates = "check-generated,lint,spec-check,api-check"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	makeCmd := fs.String("make", "make", "the make command that runs the gates")
	gates := fs.String("gates", defaultGates, "the make targets to run before the tests, comma-separated (empty: none)")
	after := fs.String("after", "", "the make targets to run after the tests, comma-separated")
	jsonOut := fs.String("json", "", "also write the failures as JSON to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	testArgs := fs.Args()
	if len(testArgs) == 0 {
		testArgs = []string{"./..."}
	}

	var res result
	runGates := func(list string) bool {
		for _, gate := range strings.Split(list, ",") {
			if gate = strings.TrimSpace(gate); gate == "" {
				continue
			}
			out, err := stream(ctx, stdout, *makeCmd, "-s", gate)
			if ctx.Err() != nil {
				return false
			}
			if err != nil {
				res.Failures = append(res.Failures, gateFailure(gate, out))
			}
		}
		return true
	}
	if !runGates(*gates) {
		fmt.Fprintln(stderr, "testrun: interrupted")
		return 2
	}
	out, err := stream(ctx, stdout, "go", append([]string{"test"}, testArgs...)...)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "testrun: interrupted")
		return 2
	}
	failures, packages := parseGoTest(out)
	res.Packages = packages
	res.Failures = append(res.Failures, failures...)
	if err != nil && len(failures) == 0 {
		res.Failures = append(res.Failures, Failure{Kind: KindGoTest, Name: "go test", Output: lastLines(out, 20),
			Next: "read the go test output above: it failed before any package ran"})
	}
	if !runGates(*after) {
		fmt.Fprintln(stderr, "testrun: interrupted")
		return 2
	}
	if *jsonOut != "" {
		b, jerr := json.MarshalIndent(res, "", "  ")
		if jerr == nil {
			jerr = os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
		}
		if jerr != nil {
			fmt.Fprintln(stderr, "testrun: writing the JSON result:", jerr)
			return 2
		}
	}
	if len(res.Failures) == 0 {
		return 0
	}
	res.summary(stdout)
	return 1
}

// stream runs a command, writing its output (stdout and stderr together)
// to w as it comes, and returns it.
func stream(ctx context.Context, w io.Writer, name string, args ...string) (string, error) {
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	out := io.MultiWriter(w, &buf)
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	return buf.String(), err
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
