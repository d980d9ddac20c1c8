package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPICheckNeedsABreakingBumpForAnIncompatibleChange(t *testing.T) {
	r := newRepo(t)
	r.write("go.mod", "module "+modulePath+"\n\ngo 1.26.0\n")
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.0\"\n")
	r.write("api.go", "package tallyfy\n\n// Active is a status.\nconst Active = \"active\"\n\n// Done is a status.\nconst Done = \"done\"\n")
	released := r.commit("release 0.1.0")
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/baseline/COMMIT", released+"\n")
	r.commit("cut the baseline")

	code, out := r.check("api")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "no incompatible Go API change against v0.1.0")

	// Removing a constant breaks programs that use it.
	r.write("api.go", "package tallyfy\n\n// Done is a status.\nconst Done = \"done\"\n")
	r.commit("remove Active")
	code, out = r.check("api")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "Active: removed")
	assert.Contains(t, out, "bump Version in version.go from 0.1.0 to 0.2.0")

	// A breaking bump lets it pass, and the change is still listed.
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.2.0\"\n")
	code, out = r.check("api")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "Active: removed")
	assert.Contains(t, out, "allowed: Version 0.2.0")
}

func TestAPICheckNamesWhatToFetchWhenTheBaseIsMissing(t *testing.T) {
	r := newRepo(t)
	r.write("go.mod", "module "+modulePath+"\n\ngo 1.26.0\n")
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.0\"\n")
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/baseline/COMMIT", "0123456789abcdef0123456789abcdef01234567\n")
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
	r.write("version.go", "package tallyfy\n\n// Version is the module's version.\nconst Version = \"0.1.1\"\n")
	r.commit("patch release")

	code, out := r.check("api")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "no incompatible Go API change")
}

func TestJudgeAPIPassesWithoutChanges(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, judgeAPI(&buf, nil, "v0.1.0", semver{0, 1, 0}, semver{0, 1, 0}, "client.go"))
	assert.Contains(t, buf.String(), "no incompatible")
}
