// Command tallyfy-drift checks Tallyfy's task-list API against openapi.yaml
// and reports every difference, with the JSON pointer of each value.
//
// Usage:
//
//	tallyfy-drift [check] [flags]
//
// With TALLYFY_ACCESS_TOKEN set it checks the live API (bounded: about 60
// requests, one at a time); without it, it checks the recordings embedded in
// the binary, the same ones the contract tests use. The token is read from
// the environment only, never from a flag, and appears in no output.
//
// Exit codes: 0 everything conforms (warnings allowed); 1 drift found;
// 2 the check could not run (bad usage, 401/403, 404 on the org or run,
// network failure or timeout after retries, 5xx after retries).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
