// Command upstream rebuilds upstream/swagger-extract.json from a copy of
// Tallyfy's Swagger 2.0 (tallyfy/documentation at commit 5e9c7201054b,
// src/content/docs/pro/assets/swagger.json).
//
//	go run ./tools/upstream -from swagger.json [-o upstream/swagger-extract.json]
//
// It refuses a file that is not byte for byte that commit's file, unless
// -any-source is given (to try a newer Swagger). The extract's provenance
// then records that file's SHA-256, so the test of the committed extract's
// provenance fails until upstream.Source names the new file.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("extract", flag.ContinueOnError)
	flags.SetOutput(stderr)
	from := flags.String("from", "", "path of Tallyfy's Swagger 2.0 JSON (required)")
	out := flags.String("o", "upstream/swagger-extract.json", "where to write the extract")
	anySource := flags.Bool("any-source", false, "accept a file other than the one the provenance names")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *from == "" {
		fmt.Fprintln(stderr, "extract: -from is required")
		flags.Usage()
		return 2
	}
	src, err := os.ReadFile(*from)
	if err != nil {
		fmt.Fprintln(stderr, "extract:", err)
		return 1
	}
	if err := upstream.CheckSource(src); err != nil {
		if !*anySource {
			fmt.Fprintln(stderr, "extract:", err)
			return 1
		}
		fmt.Fprintln(stderr, "extract: warning:", err, "- the extract records this file's SHA-256; "+
			"update upstream.Source (repository, commit, path, SHA-256) before committing it")
	}
	extract, err := upstream.Extract(src, upstream.Tallyfy)
	if err != nil {
		fmt.Fprintln(stderr, "extract:", err)
		return 1
	}
	if err := os.WriteFile(*out, extract, 0o644); err != nil {
		fmt.Fprintln(stderr, "extract:", err)
		return 1
	}
	fmt.Fprintf(stderr, "extract: wrote %s (%d bytes)\n", *out, len(extract))
	return 0
}
