package architecture_test

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientRuntimeModules is everything a program that imports only the
// client may require: the generated client's runtime and what it needs.
// A module added here is a cost every user pays; add one only when the
// client's own code needs it at run time.
var clientRuntimeModules = []string{
	"github.com/oapi-codegen/runtime",
	"github.com/google/uuid",
	"github.com/apapsch/go-jsonmerge/v2",
}

const modulePath = "github.com/tallyfy-go/tallyfy"

// consumerProgram is what a new user writes first: a client, a page, and
// the iterator over every task (it imports gen for the params type, which
// the client imports anyway).
const consumerProgram = `package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/gen"
)

func main() {
	ctx, org, run := context.Background(), os.Getenv("TALLYFY_ORG_ID"), os.Getenv("TALLYFY_RUN_ID")
	c, err := tallyfy.NewClient(os.Getenv("TALLYFY_ACCESS_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	page, resp, err := c.ListRunTasks(ctx, org, run, &gen.ListRunTasksParams{PerPage: new(100)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Data), "tasks on page 1 of", resp.TotalPages, "; requests left:", resp.Rate.Remaining)
	for task, err := range c.RunTasks(ctx, org, run, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(task.Title, task.Status)
	}
}
`

// TestConsumerFootprint writes a module that imports only the client,
// package tallyfy and its gen (replaced by this checkout), runs `go mod tidy` and `go build` on it
// with this module's go.sum, and checks that its go.mod and its binary
// hold nothing beyond clientRuntimeModules: no code generator, no
// kin-openapi, no YAML library.
func TestConsumerFootprint(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; the consumer footprint check needs it")
	}
	repo, err := filepath.Abs("..")
	require.NoError(t, err)
	repoSum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)

	dir := t.TempDir()
	writeFile(t, dir, "main.go", consumerProgram)
	writeFile(t, dir, "go.mod", "module example.com/consumer\n\ngo 1.26.0\n\n"+
		"require "+modulePath+" v0.0.0\n\nreplace "+modulePath+" => "+repo+"\n")
	// This module's checksums, so that what the cache holds is verified.
	writeFile(t, dir, "go.sum", string(repoSum))

	run := func(args ...string) (stdout, stderr string, err error) {
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GOFLAGS=-mod=mod", // and nothing else from the caller's GOFLAGS
			"GOSUMDB=off",      // no checksum database; go.sum above verifies
			"GOWORK=off",
			"GOTOOLCHAIN=local",
		)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err = cmd.Run()
		return out.String(), errOut.String(), err
	}

	// -e: the cache may lack modules that only the tests of dependencies
	// import, and a machine may have no way to fetch them. Those never become requirements; any other
	// failure does fail the check.
	stdout, stderr, err := run("mod", "edit", "-json", filepath.Join(repo, "go.mod"))
	require.NoError(t, err, "go mod edit: %s", stderr)
	require.Equal(t, modulePath, parseGoMod(t, stdout).Module.Path, "the repository root is one folder up")

	_, stderr, err = run("mod", "tidy", "-e")
	require.NoError(t, err, "go mod tidy: %s", stderr)
	for _, block := range unexpectedTidyErrors(stderr) {
		t.Errorf("go mod tidy: %s", block)
	}
	_, stderr, err = run("build", "-o", "consumer", ".")
	require.NoError(t, err, "go build: %s", stderr)

	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	stdout, stderr, err = run("mod", "edit", "-json")
	require.NoError(t, err, "go mod edit: %s", stderr)
	var required []string
	for _, r := range parseGoMod(t, stdout).Require {
		if r.Path != modulePath {
			required = append(required, r.Path)
		}
	}
	assert.Subset(t, clientRuntimeModules, required,
		"a program importing only the client requires more than the client's runtime needs:\n%s", gomod)

	bin := filepath.Join(dir, "consumer")
	info, err := buildinfo.ReadFile(bin)
	require.NoError(t, err)
	var linked []string
	for _, dep := range info.Deps {
		if dep.Path != modulePath {
			linked = append(linked, dep.Path)
		}
	}
	assert.Subset(t, clientRuntimeModules, linked, "modules linked into the consumer's binary")
	st, err := os.Stat(bin)
	require.NoError(t, err)
	t.Logf("a program importing only the client: %d requirements besides the client (%s), binary %.1f MB (%s/%s)",
		len(required), strings.Join(required, ", "), float64(st.Size())/1e6, info.GoVersion, goEnv(info, "GOARCH"))
}

// unexpectedTidyErrors returns the error blocks of go mod tidy's stderr
// other than progress lines and packages missing for a dependency's tests.
func unexpectedTidyErrors(stderr string) []string {
	var out []string
	for _, block := range strings.Split("\n"+stderr, "\ngo: ") {
		block = strings.TrimSpace(block)
		switch {
		case block == "",
			strings.HasPrefix(block, "downloading "),
			strings.HasPrefix(block, "finding module for package "),
			strings.Contains(block, " tested by\n"):
			continue
		}
		out = append(out, block)
	}
	return out
}

// goMod is the part of `go mod edit -json` this test reads.
type goMod struct {
	Module  struct{ Path string }
	Require []struct{ Path string }
}

func parseGoMod(t *testing.T, js string) goMod {
	t.Helper()
	var m goMod
	require.NoError(t, json.Unmarshal([]byte(js), &m))
	return m
}

func goEnv(info *buildinfo.BuildInfo, key string) string {
	i := slices.IndexFunc(info.Settings, func(s debug.BuildSetting) bool { return s.Key == key })
	if i < 0 {
		return "?"
	}
	return info.Settings[i].Value
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}
