// Command overlay folds an OpenAPI Overlay into openapi.yaml: the overlay
// that `tallyfy-drift --suggest` writes, after a person reviewed it, or any
// other (Overlay 1.0.0 or 1.1.0).
//
//	go run ./tools/overlay apply -overlay FILE [-spec openapi.yaml]
//	    [-reconciliation upstream/reconciliation.yaml] [-extract upstream/swagger-extract.json]
//
// `make apply-overlay OVERLAY=FILE` runs it. It applies the overlay with
// the library oapi-codegen applies overlays with
// (github.com/speakeasy-api/openapi/overlay), in strict mode: an action
// whose target matches nothing, or that changes nothing, is an error, and
// so is an action of the drift check that would add a field or an enum
// value the spec already has (the overlay was applied before). The spec is
// rewritten in place, its comments, key order and style kept (every line
// the overlay does not change stays byte for byte), and only when the
// result loads and validates as OpenAPI 3.0 with kin-openapi.
//
// It then keeps upstream/reconciliation.yaml whole: for each field or enum
// value the overlay adds that Tallyfy's Swagger lacks, it appends an
// observed entry ("observed in <check or recording>, <date>"); for each
// difference with the Swagger the overlay makes (a widened type), a
// difference entry; and it removes the entries of differences the overlay
// ends. Nothing is written unless all of it succeeds.
//
// Exit codes: 0 applied; 1 the overlay does not apply (an action matches
// nothing, the result is not a valid spec, or it leaves the reconciliation
// broken); 2 it could not run (usage, a file that cannot be read or
// written).
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
	"time"
)

// Exit codes.
const (
	exitApplied     = 0
	exitDoesNotFit  = 1
	exitCannotApply = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// clock dates the entries of an overlay written by hand; tests fix it.
var clock = time.Now

// errDoesNotFit marks an overlay that does not apply: exit 1.
var errDoesNotFit = errors.New("the overlay does not apply")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "apply" {
		fmt.Fprintln(stderr, "usage: overlay apply -overlay FILE [-spec openapi.yaml] [-reconciliation upstream/reconciliation.yaml] [-extract upstream/swagger-extract.json]")
		return exitCannotApply
	}
	fs := flag.NewFlagSet("overlay apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f files
	fs.StringVar(&f.overlay, "overlay", "", "the overlay to apply (required)")
	fs.StringVar(&f.spec, "spec", "openapi.yaml", "the spec to rewrite in place")
	fs.StringVar(&f.reconciliation, "reconciliation", "upstream/reconciliation.yaml", "the reviewed differences with Tallyfy's Swagger, to keep whole")
	fs.StringVar(&f.extract, "extract", "upstream/swagger-extract.json", "the extract of Tallyfy's Swagger")
	if err := fs.Parse(args[1:]); err != nil {
		return exitCannotApply
	}
	if f.overlay == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "overlay apply: -overlay FILE is required, and nothing else is an argument")
		return exitCannotApply
	}
	res, err := apply(ctx, f, clock())
	switch {
	case errors.Is(err, errDoesNotFit):
		fmt.Fprintf(stderr, "apply-overlay: %v\n", err)
		return exitDoesNotFit
	case err != nil:
		fmt.Fprintf(stderr, "apply-overlay: %v\n", err)
		return exitCannotApply
	}
	res.print(stdout, f)
	return exitApplied
}
