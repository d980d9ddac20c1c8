package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/speakeasy-api/openapi/overlay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// fixedNow fixes the date suggestions carry for the test.
func fixedNow(t *testing.T) {
	t.Helper()
	old := now
	now = func() time.Time { return time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

// readOverlay reads an overlay the command wrote, which the overlay
// library must parse and validate, and checks that it is a regular file
// of mode 0644.
func readOverlay(t *testing.T, path string) (*overlay.Overlay, string) {
	t.Helper()
	info, err := os.Lstat(path)
	require.NoError(t, err, "the overlay was written")
	assert.True(t, info.Mode().IsRegular())
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	o, err := overlay.ParseReader(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, o.Validate())
	return o, string(data)
}

// A replay that drifts writes the overlay of what it found, says so on
// stderr with the number of actions, lists what it left to a person, keeps
// the exit code of the check, and shows the actions in the job summary.
func TestSuggestWritesTheOverlayOfAReplay(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "drift.overlay.yaml")
	summary := filepath.Join(dir, "summary.md")
	r := invoke(t, nil, "--replay", "testdata/replay", "--suggest", file, "--summary", summary)
	assert.Equal(t, exitDrift, r.code, r.stderr)
	assert.Contains(t, r.stderr, "tallyfy-drift: wrote 2 overlay actions (2 changes of the spec) to "+file+
		"; review them, then: make apply-overlay OVERLAY="+file+"\n")
	assert.Contains(t, r.stderr, "tallyfy-drift: 1 finding group left to a person:\n  listRunTasks required /data/*/title (1): ")

	o, text := readOverlay(t, file)
	require.Len(t, o.Actions, 2)
	assert.Equal(t, drift.OverlayVersion, o.Version)
	assert.Equal(t, "$.components.schemas.Task.properties", o.Actions[0].Target)
	assert.Equal(t, "$.components.schemas.TaskStatus.enum", o.Actions[1].Target)
	words := strings.Join(strings.Fields(text), " ") // the descriptions are wrapped
	assert.Contains(t, words, "from 3 recordings in testdata/replay against spec 0.2.0, on 2025-06-02.")
	assert.Contains(t, words, "Seen by the drift check (rule undocumented-field) on 2025-06-02 in b-drifted.json.")

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "<details><summary>Proposed spec changes: 2 overlay actions in `"+file+"`</summary>")
	assert.Contains(t, string(md), "| `$.components.schemas.TaskStatus.enum` | `append \"paused\" to the enum of TaskStatus` |")
}

// A check with nothing to suggest writes no file, and says so. (A stand-in
// that conforms to the spec, whatever the spec holds, rather than the
// recordings: an edit of the spec may leave them something to suggest.)
func TestSuggestWritesNoFileWhenThereIsNothingToSuggest(t *testing.T) {
	file := filepath.Join(t.TempDir(), "drift.overlay.yaml")
	r := invoke(t, liveEnv(startStandIn(t, standin.Config{})), "--suggest", file)
	assert.Equal(t, exitConforms, r.code, r.stderr)
	assert.Contains(t, r.stderr, "tallyfy-drift: nothing to suggest: no finding calls for a change of the spec; "+file+" not written\n")
	assert.NoFileExists(t, file)
}

// A live check suggests too, from the exchanges scrubbed of the token: the
// token never reaches the overlay, even as a value the API put in an enum.
func TestSuggestOnALiveCheckNeverWritesTheToken(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 12, OrgTasks: 15, Mutate: func(i int, task map[string]any) {
		switch i {
		case 0:
			task["status"] = "paused"
		case 1:
			task["task_type"] = token
			task["x_example_sla_minutes"] = 30
		}
	}})
	file := filepath.Join(t.TempDir(), "drift.overlay.yaml")
	r := invoke(t, liveEnv(s), "--suggest", file)
	assert.Equal(t, exitDrift, r.code, r.stderr)
	_, text := readOverlay(t, file)
	assert.NotContains(t, text, token)
	assert.Contains(t, text, "- paused\n")
	assert.Contains(t, text, "x_example_sla_minutes:\n")
	assert.Contains(t, r.stderr, "the value held a secret, which was scrubbed")
}

// --suggest names a file the command may replace: a symlink, a folder, or
// a path in a folder that does not exist is exit 2 before anything is
// checked, with a message that says why.
func TestSuggestRefusesAPathItCannotWriteSafely(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere.yaml")
	require.NoError(t, os.WriteFile(target, []byte("keep\n"), 0o600))
	link := filepath.Join(dir, "link.yaml")
	require.NoError(t, os.Symlink(target, link))
	notDir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notDir, nil, 0o600))
	cases := []struct{ name, path, want string }{
		{"a symlink", link, "is a symlink: name the file itself"},
		{"a folder", dir, "is not a regular file"},
		{"a missing folder", filepath.Join(dir, "no", "such", "o.yaml"), "its folder"},
		{"a file as its folder", filepath.Join(notDir, "o.yaml"), "not a directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := invoke(t, nil, "--replay", "testdata/replay", "--suggest", tc.path)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stderr, "--suggest ")
			assert.Contains(t, r.stderr, tc.want)
			assert.NotContains(t, r.stderr, "checking the", "nothing was checked")
		})
	}
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep\n", string(data), "nothing was written through the link")
}

// A write that fails after the check (the folder went away) is exit 2,
// with the reason.
func TestSuggestWriteFailureIsExit2(t *testing.T) {
	v, err := drift.NewValidator()
	require.NoError(t, err)
	ex := drift.Exchange{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/" + org + "/tasks", Status: 200,
		ResponseHeader: map[string][]string{"Content-Type": {"application/json"}},
		Body:           []byte(`{"data": [], "meta": {"pagination": {"total": 0, "count": 0, "per_page": 10, "current_page": 1, "total_pages": 0, "links": []}, "brand_new": 1}}`)}
	sug := drift.NewSuggester(v, time.Now())
	sug.Add("a", ex, v.Check(t.Context(), ex))
	gone := filepath.Join(t.TempDir(), "gone")
	require.NoError(t, os.Mkdir(gone, 0o700))
	o := &options{suggestFile: filepath.Join(gone, "o.yaml")}
	require.NoError(t, os.Remove(gone))
	var stderr bytes.Buffer
	r := &report.Report{Target: "one exchange", SpecVersion: v.SpecVersion()}
	assert.False(t, writeSuggestion(&stderr, o, r, sug.Suggestion()))
	assert.Contains(t, stderr.String(), "tallyfy-drift: writing the overlay to "+o.suggestFile+": ")
	assert.Nil(t, r.Suggested, "the report does not claim an overlay that was not written")
	assert.True(t, strings.HasSuffix(stderr.String(), "\n"))
}

// An overlay that would hold the token is not written, whatever put it
// there; one that does not parse or validate as an overlay neither.
func TestValidOverlayRefusesTheTokenAndWhatIsNotAnOverlay(t *testing.T) {
	secrets := redact.New(token)
	good := "overlay: 1.1.0\ninfo: {title: t, version: \"1\"}\nactions:\n  - target: $.info\n    update: {x-note: n}\n"
	assert.NoError(t, validOverlay([]byte(good), secrets))
	assert.ErrorContains(t, validOverlay([]byte(strings.Replace(good, "x-note: n", "x-note: "+token, 1)), secrets), "would hold the access token")
	assert.ErrorContains(t, validOverlay([]byte("overlay: 1.1.0\ninfo: {title: t, version: \"1\"}\nactions: []\n"), secrets), "not valid")
	assert.ErrorContains(t, validOverlay([]byte("overlay: [\n"), secrets), "does not parse")
}
