//go:build specdrill

package specdrill_test

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the module's root, from this package's folder.
const root = "../.."

// The bounds that tell a test waiting on a timeout from a slow machine: a
// failed test fails at once, and no package comes near the 120 s a stuck
// Close once cost.
const (
	maxFailedTest = 10 * time.Second
	maxPackage    = 90 * time.Second
)

// failure is one failure of tools/testrun's JSON result.
type failure struct {
	Kind, Name, Package, Next, Output string
	Elapsed                           float64
}

// result is tools/testrun's JSON result.
type result struct {
	Failures []failure
	Packages []struct {
		Path    string
		Passed  bool
		Elapsed float64
	}
}

// want is a failure the drill expects: its kind and name ("gate api-check",
// "test ./contract_test TestRecordingsConformToTheSpec"), and what its
// output must say: the entry or command that resolves it.
type want struct {
	failure  string
	resolves []string
}

// edit is one kind of change a maintainer makes to openapi.yaml.
type edit struct {
	name string
	// from and to are a change of openapi.yaml: each from must occur once.
	from, to []string
	want     []want
}

// edits are the drill. The field removed is one Tallyfy's Swagger and the
// recordings have, so that the drill shows every test that may rightly
// fail; the type changed is one no recording has, so that it shows the
// gates alone.
var edits = []edit{
	{
		name: "an optional field added",
		from: []string{"        completion_progress:\n"},
		to: []string{"        sla_minutes:\n          type: integer\n          nullable: true\n" +
			"          description: Minutes left before the task's SLA is breached.\n        completion_progress:\n"},
		// Adding to a response is compatible for every gate, and the tests
		// follow the spec: after make generate, nothing fails.
	},
	{
		name: "an enum value added to a filter",
		from: []string{"enum: [complete, active, active_visible, incomplete, inprogress, not-started, hasproblem, overdue, due_soon]"},
		to:   []string{"enum: [complete, active, active_visible, incomplete, inprogress, not-started, hasproblem, overdue, due_soon, blocked]"},
		want: []want{{"test ./tools/internal/upstream TestOpenAPIAgreesWithTallyfysSwagger",
			[]string{"- key: listRunTasks/parameters/query/status/enum/blocked", "upstream/reconciliation.yaml"}}},
	},
	{
		name: "a field removed",
		from: []string{"        original_title:\n          type: string\n          nullable: true\n", "        original_title: Welcome call\n"},
		to:   []string{"", ""},
		want: []want{
			{"gate api-check", []string{"- change: ./gen.Task.OriginalTitle: removed", "release/accepted-api-breaks.txt"}},
			{"test ./tools/internal/upstream TestOpenAPIAgreesWithTallyfysSwagger",
				[]string{"- key: Task(Task)/properties/original_title", "upstream/reconciliation.yaml"}},
			{"test ./contract_test TestRecordingsConformToTheSpec",
				[]string{"listRunTasks undocumented-field /data/*/original_title", "change openapi.yaml"}},
		},
	},
	{
		name: "a type changed",
		from: []string{"        completion_progress:\n          type: number\n          format: double\n"},
		to:   []string{"        completion_progress:\n          type: string\n"},
		want: []want{
			{"gate spec-check", []string{"[response-property-type-changed] the `data/items/completion_progress` response's property",
				"release/accepted-breaking.txt"}},
			{"gate api-check", []string{"- change: ./gen.Task.CompletionProgress: changed from *float64 to *string",
				"release/accepted-api-breaks.txt"}},
		},
	},
}

// TestSpecDrill makes each edit on its own copy of the project, runs
// make generate, then the gates and go test through tools/testrun, and
// holds what failed to the edit's list. The API gate compares with the
// copy's commit before the edit (API_BASE=HEAD), so that it sees the
// edit's breaks alone; the spec gate compares with the released spec, as
// in CI. lint is left out: an edit of openapi.yaml cannot change it, and
// go vet costs as much as the tests.
func TestSpecDrill(t *testing.T) {
	for _, tool := range []string{"git", "make", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the spec drill needs %s on PATH: %v", tool, err)
		}
	}
	base := copyProject(t)
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "project")
			copyDir(t, base, dir)
			editSpec(t, dir, e)

			if e.name == "an optional field added" {
				// Before make generate, the generated code is stale, and the
				// gate says what to run.
				out, err := command(dir, "make", "-s", "check-generated")
				require.Error(t, err, "check-generated passes on a stale gen/:\n%s", out)
				assert.Contains(t, out, "run 'make generate'")
			}
			out, err := command(dir, "make", "-s", "generate")
			require.NoError(t, err, "make generate:\n%s", out)

			res, out := testrun(t, dir)
			assertFailures(t, e, res, out)

			if e.name == "a field removed" {
				// The removal passes api-check once it is on record.
				entry := "\n- change: ./gen.Task.OriginalTitle: removed\n  reason: the drill\n  source: the drill\n"
				appendFile(t, filepath.Join(dir, "release", "accepted-api-breaks.txt"), entry)
				out, err := command(dir, "make", "-s", "api-check")
				require.NoError(t, err, "api-check with the removal on record:\n%s", out)
				assert.Equal(t, 1, strings.Count(out, "\n"), "a green gate prints one line:\n%s", out)
			}
		})
	}
}

// assertFailures holds testrun's result to the edit's list: the same
// failures, each saying what resolves it, and no test or package that took
// as long as a wait on a timeout.
func assertFailures(t *testing.T, e edit, res result, out string) {
	t.Helper()
	var got, wanted []string
	byName := map[string]failure{}
	for _, f := range res.Failures {
		name := f.Kind + " " + f.Name
		if f.Kind == "test" {
			name = f.Kind + " " + f.Package + " " + f.Name
		}
		got = append(got, name)
		byName[name] = f
		if f.Kind == "test" {
			assert.Less(t, f.Elapsed, maxFailedTest.Seconds(), "%s took %.1fs: a wait on a timeout?", name, f.Elapsed)
		}
	}
	for _, w := range e.want {
		wanted = append(wanted, w.failure)
	}
	slices.Sort(got)
	slices.Sort(wanted)
	if !assert.Equal(t, wanted, got, "the failures of %q", e.name) {
		t.Logf("testrun's output, last lines:\n%s", lastLines(out, 60))
	}
	for _, w := range e.want {
		f, ok := byName[w.failure]
		if !ok {
			continue
		}
		for _, s := range w.resolves {
			assert.Contains(t, f.Output+f.Next, s, "%s does not say what resolves it", w.failure)
		}
		assert.NotEmpty(t, f.Next, "%s has no next command", w.failure)
	}
	if len(e.want) > 0 {
		assert.Contains(t, out, "==== make test failed:", "the run ends with the summary")
	}
	for _, p := range res.Packages {
		assert.Less(t, p.Elapsed, maxPackage.Seconds(), "%s took %.1fs: a wait on a timeout?", p.Path, p.Elapsed)
	}
	assert.NotEmpty(t, res.Packages, "go test ran")
}

// testrun runs the gates and every test of dir through tools/testrun and
// returns its JSON result and its output.
func testrun(t *testing.T, dir string) (result, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "result.json")
	out, err := command(dir, "go", "run", "./tools/testrun", "-make", "make",
		"-gates", "check-generated,spec-check,api-check", "-json", file,
		"--", "-count=1", "-timeout", "5m", "./...")
	data, rerr := os.ReadFile(file)
	require.NoError(t, rerr, "testrun wrote no result (%v):\n%s", err, lastLines(out, 60))
	var res result
	require.NoError(t, json.Unmarshal(data, &res))
	return res, out
}

// command runs name in dir, with API_BASE=HEAD (the copy's commit before
// the edit), and returns its output.
func command(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "API_BASE=HEAD", "SPEC_BASE=", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// copyProject copies the project's files (what git tracks, and new files
// it does not ignore, as the working tree has them) into a new git
// repository with one commit, and returns its folder. Builds in it use the
// shared module cache, offline.
func copyProject(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	require.NoError(t, err, "git ls-files")
	dir := filepath.Join(t.TempDir(), "base")
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		require.NoError(t, err)
		if !info.Mode().IsRegular() {
			continue
		}
		copyFile(t, src, filepath.Join(dir, name), info.Mode())
	}
	for _, args := range [][]string{
		{"init", "-q", "-b", "drill"},
		{"add", "-A"},
		{"-c", "user.name=drill", "-c", "user.email=drill@example.com", "commit", "-q", "-m", "before the edit"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	return dir
}

// copyDir copies the folder from (its git repository included) to to.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.CopyFS(to, os.DirFS(from)))
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	in, err := os.Open(src)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode.Perm()|0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// editSpec applies e to the copy's openapi.yaml.
func editSpec(t *testing.T, dir string, e edit) {
	t.Helper()
	path := filepath.Join(dir, "openapi.yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	spec := string(data)
	for i, from := range e.from {
		require.Equal(t, 1, strings.Count(spec, from), "the drill's edit %q needs openapi.yaml to hold %q once", e.name, from)
		spec = strings.Replace(spec, from, e.to[i], 1)
	}
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
