package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const acceptedAPIHeader = "# accepted Go API breaks\n"

func TestAPICheckNeedsAnEntryAndABreakingBumpForAnIncompatibleChange(t *testing.T) {
	r := newRepo(t)
	r.write("go.mod", "module "+modulePath+"\n\ngo 1.26.0\n")
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.0\"\n")
	r.write("api.go", "package tallyfy\n\n// Active is a status.\nconst Active = \"active\"\n\n// Done is a status.\nconst Done = \"done\"\n")
	released := r.commit("release 0.1.0")
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/baseline/COMMIT", released+"\n")
	r.write(acceptedAPIFile, acceptedAPIHeader)
	r.commit("cut the baseline")

	code, out := r.check("api")
	require.Equal(t, exitOK, code, out)
	assert.Equal(t, "api-check: no incompatible Go API change against v0.1.0\n", out, "a green gate prints one line")

	// Removing a constant breaks programs that use it.
	r.write("api.go", "package tallyfy\n\n// Done is a status.\nconst Done = \"done\"\n")
	r.commit("remove Active")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "- change: Active: removed\n  reason: ...\n  source: ...\n", "the entry to add")
	assert.Contains(t, out, "bump Version in version.go from 0.1.0 to 0.2.0")

	// A breaking bump alone is no licence: the break is still not on record.
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.2.0\"\n")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "- change: Active: removed")
	assert.NotContains(t, out, "bump Version")

	// On record, with the bump, it passes in one line.
	r.write(acceptedAPIFile, acceptedAPIHeader+"- change: Active: removed\n  reason: nobody used it\n  source: the README\n")
	code, out = r.check("api")
	assert.Equal(t, exitOK, code, out)
	assert.Equal(t, "api-check: 1 incompatible Go API change(s) against v0.1.0, each on record in "+acceptedAPIFile+
		"; Version 0.2.0 allows them\n", out)

	// On record without the bump, it fails: the version must tell importers.
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.1\"\n")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "bump Version in version.go from 0.1.1 to 0.2.0")
	assert.NotContains(t, out, "- change:")

	// A further break after the bump fails until it is on record too.
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.2.0\"\n")
	r.write("api.go", "package tallyfy\n")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "- change: Done: removed")
	assert.Contains(t, out, "1 of them on record")

	// Undoing the changes leaves stale entries, which fail.
	r.write("api.go", "package tallyfy\n\n// Active is a status.\nconst Active = \"active\"\n\n// Done is a status.\nconst Done = \"done\"\n")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "no longer reports; remove them:\n\n  change: Active: removed\n")
	assert.Contains(t, out, "remove the stale entries from "+acceptedAPIFile)
}

func TestAPICheckNamesWhatToFetchWhenTheBaseIsMissing(t *testing.T) {
	r := newRepo(t)
	r.write("go.mod", "module "+modulePath+"\n\ngo 1.26.0\n")
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.0\"\n")
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/baseline/COMMIT", "0123456789abcdef0123456789abcdef01234567\n")
	r.write(acceptedAPIFile, acceptedAPIHeader)
	r.commit("a baseline this clone does not have")

	code, out := r.check("api")
	assert.Equal(t, exitError, code)
	assert.Contains(t, out, "git fetch --depth=1 origin 0123456789abcdef0123456789abcdef01234567")
}

func TestParseApidiffKeepsOnlyChangeLines(t *testing.T) {
	out := "Ignoring internal package github.com/tallyfy-go/tallyfy/internal/x\n" +
		"Incompatible changes:\n- Version: value changed from \"0.1.0\" to \"0.1.1\"\n- ./gen.TaskStatusActive: removed\n- ./gen.Thread.ID: changed from int to string\n"
	assert.Equal(t, []string{"./gen.TaskStatusActive: removed", "./gen.Thread.ID: changed from int to string"},
		parseApidiff([]byte(out)))
}

func TestAPICheckLetsAPatchReleaseChangeVersion(t *testing.T) {
	r := newRepo(t)
	r.write("go.mod", "module "+modulePath+"\n\ngo 1.26.0\n")
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.0\"\n")
	released := r.commit("release 0.1.0")
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/baseline/COMMIT", released+"\n")
	r.write(acceptedAPIFile, acceptedAPIHeader)
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.1\"\n")
	r.commit("patch release")

	code, out := r.check("api")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "no incompatible Go API change")
}

// apidiffOutput is what apidiff -incompatible writes for a module whose
// release had Active and Thread.ID int.
const apidiffOutput = "Ignoring internal package github.com/tallyfy-go/tallyfy/internal/x\n" +
	"Incompatible changes:\n- Version: value changed from \"0.1.0\" to \"0.2.0\"\n- ./gen.TaskStatusActive: removed\n" +
	"- ./gen.Thread.ID: changed from int to  string\n"

// verdict judges apidiff's output against entries and returns what the
// check prints and whether it fails.
func verdict(t *testing.T, entries string, atRelease bool, current semver) (string, bool) {
	t.Helper()
	decisions, err := parseDecisions(strings.NewReader(entries))
	require.NoError(t, err)
	res := judgeAPI(parseApidiff([]byte(apidiffOutput)), decisions, atRelease)
	res.bump = len(res.recorded)+len(res.unrecorded) > 0 && !current.allowsBreaking(semver{0, 1, 0})
	var buf bytes.Buffer
	res.print(&buf, apiLabels{base: "v0.1.0", released: semver{0, 1, 0}, current: current, versionFile: "client.go", accepted: acceptedAPIFile})
	return buf.String(), res.failed()
}

func TestJudgeAPI(t *testing.T) {
	const thread = "- change: ./gen.Thread.ID: changed from int to string\n  reason: the API sends text\n  source: README\n"
	const active = "- change: ./gen.TaskStatusActive: removed\n  reason: never sent\n  source: README\n"
	const gone = "- change: ./gen.Gone: removed\n  reason: r\n  source: s\n"

	t.Run("an unrecorded removal fails with the entry to add", func(t *testing.T) {
		out, failed := verdict(t, thread, true, semver{0, 2, 0})
		assert.True(t, failed)
		assert.Contains(t, out, "1 of them on record")
		assert.Contains(t, out, "- change: ./gen.TaskStatusActive: removed\n  reason: ...\n")
		assert.NotContains(t, out, "- change: ./gen.Thread.ID", "the recorded change is not asked for again")
		assert.True(t, strings.HasSuffix(out, "api-check: to pass: undo the change, or add the entries above to "+acceptedAPIFile+"; then run make api-check\n"), out)
	})
	t.Run("recorded changes pass in one line", func(t *testing.T) {
		out, failed := verdict(t, thread+active, true, semver{0, 2, 0})
		assert.False(t, failed)
		assert.Equal(t, "api-check: 2 incompatible Go API change(s) against v0.1.0, each on record in "+acceptedAPIFile+"; Version 0.2.0 allows them\n", out)
	})
	t.Run("a stale entry fails", func(t *testing.T) {
		out, failed := verdict(t, thread+active+gone, true, semver{0, 2, 0})
		assert.True(t, failed)
		assert.Contains(t, out, "  change: ./gen.Gone: removed\n")
		assert.Contains(t, out, "remove the stale entries")
	})
	t.Run("entries are not stale against another base", func(t *testing.T) {
		_, failed := verdict(t, thread+active+gone, false, semver{0, 2, 0})
		assert.False(t, failed)
	})
	t.Run("recorded changes without the bump fail", func(t *testing.T) {
		out, failed := verdict(t, thread+active, true, semver{0, 1, 1})
		assert.True(t, failed)
		assert.Contains(t, out, "bump Version in client.go from 0.1.1 to 0.2.0")
	})
	t.Run("no change passes in one line", func(t *testing.T) {
		res := judgeAPI(nil, nil, true)
		var buf bytes.Buffer
		res.print(&buf, apiLabels{base: "v0.1.0"})
		assert.False(t, res.failed())
		assert.Equal(t, "api-check: no incompatible Go API change against v0.1.0\n", buf.String())
	})
}
