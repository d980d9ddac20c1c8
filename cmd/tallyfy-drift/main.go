// Command tallyfy-drift checks Tallyfy's task-list API against openapi.yaml
// and reports every difference, with the JSON pointer of each value.
//
// Usage:
//
//	tallyfy-drift [check] [flags]
//
// With TALLYFY_ACCESS_TOKEN set it checks the live API (bounded: at most 60
// planned requests, one at a time, and 30 retries apart from them; with
// --all-pages, every page of the page walks, with no bound on planned
// requests, for a full contract run rather than CI on every push); with
// --replay, a folder of recordings; with neither, and no live check asked
// for (no --org, --run, TALLYFY_ORG_ID or TALLYFY_RUN_ID), the recordings
// embedded in the binary, the same ones the contract tests use. A token
// variable that is set but empty is an error, never a quiet offline check.
// The token is read from the environment only, never from a flag, and
// appears in no output.
//
// With --suggest FILE, it also writes the change of the spec that the
// findings call for (a field to add, an enum value to append, a schema to
// make nullable or to widen) to FILE as an OpenAPI Overlay, for a person to
// review and `make apply-overlay OVERLAY=FILE` to fold into openapi.yaml;
// when nothing calls for a change, it writes no file and says so on
// stderr. The exit code is the check's.
//
// Every report (text, json, junit, markdown) starts with the mode that ran
// and lists every planned check as passed, drifted, skipped (with why) or
// error; it is written even when the check could not be completed.
//
// Exit codes: 0 every planned check ran and conforms (warnings allowed);
// 1 drift found; 2 the check could not be completed (bad usage, an empty
// or refused token, a --summary file or --record folder that cannot be
// written, 404 on the org or run, network failure or timeout after
// retries, 5xx after retries, a planned check skipped, an unreadable
// recording, a signal). The verdict of every report is the one the exit
// code says.
//
// The module's docs/drift-check.md is the command's reference (flags, modes,
// reports, recordings), and its README shows the GitHub Actions recipe.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
