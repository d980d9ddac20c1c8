// Command releasecheck holds a change against what users of the last
// release have, so that `make test` fails on a change that breaks them
// without a decision on record:
//
//	releasecheck spec   openapi.yaml against the released spec (oasdiff):
//	                    every breaking change must be listed, with its
//	                    reason, in release/accepted-breaking.txt
//	releasecheck api    the module's Go API against the released commit
//	                    (apidiff): every incompatible change must be listed,
//	                    with its reason, in release/accepted-api-breaks.txt,
//	                    and Version must be the bump that
//	                    docs/release-gates.md, "Versions and compatibility",
//	                    describes
//	releasecheck cut    makes the current state the released baseline
//
// A check that passes prints one line; one that fails prints what it found
// and ends with what to do.
//
// The released baseline lives in release/baseline: openapi.yaml (a copy, so
// that the spec check works in a shallow clone), VERSION and COMMIT. It is
// run from the module root by the Makefile's spec-check, api-check and
// release-baseline targets; oasdiff and apidiff run at pinned versions
// through `go run`, so that neither joins the module's requirements.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes: 0 the change is safe or its breaks are on record, 1 it breaks
// users without a decision on record, 2 the check could not run.
const (
	exitOK       = 0
	exitBreaking = 1
	exitError    = 2
)

// Default pinned tools. The Makefile passes the same values.
const (
	defaultOasdiff = "github.com/oasdiff/oasdiff@v1.37.0"
	defaultApidiff = "golang.org/x/exp/cmd/apidiff@v0.0.0-20261113113407-e3970619a1a4"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errBreaking is returned by a check that found an unrecorded break.
var errBreaking = errors.New("breaking change without a decision on record")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: releasecheck spec|api|cut [flags]")
		return exitError
	}
	var err error
	switch args[0] {
	case "spec":
		err = runSpec(ctx, args[1:], stdout)
	case "api":
		err = runAPI(ctx, args[1:], stdout)
	case "cut":
		err = runCut(ctx, args[1:], stdout)
	default:
		err = fmt.Errorf("unknown command %q: want spec, api or cut", args[0])
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errBreaking):
		fmt.Fprintln(stderr, err)
		return exitBreaking
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	default:
		fmt.Fprintln(stderr, "releasecheck:", err)
		return exitError
	}
}
