package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specWithIDType is a one-operation spec whose response item id has the
// given type; integer -> string is an ERR-level change for oasdiff.
func specWithIDType(typ string) string {
	return `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: ` + typ + `}
`
}

const acceptedHeader = "# accepted breaking changes\n"

func TestSpecCheckFailsOnABreakingChangeTwoCommitsBack(t *testing.T) {
	r := newRepo(t)
	r.write("release/baseline/openapi.yaml", specWithIDType("integer"))
	r.write("release/baseline/VERSION", "0.1.0\n")
	r.write("release/accepted-breaking.txt", acceptedHeader)
	r.write("openapi.yaml", specWithIDType("integer"))
	r.commit("release 0.1.0")
	r.write("openapi.yaml", specWithIDType("string"))
	r.commit("retype id")
	r.write("README.md", "docs\n")
	r.commit("touch the docs")

	code, out := r.check("spec")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "against the released spec v0.1.0")
	want := "- change: GET /items [response-property-type-changed]"
	assert.Contains(t, out, want, "the message shows the entry to add")
	assert.Contains(t, out, "spec-check: to pass: undo the changes, or add the entries above to release/accepted-breaking.txt; then run make spec-check")

	// The same change, compared with the commit before it (a pull
	// request's base), fails too.
	code, out = r.check("spec", "-base", "HEAD~2")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "openapi.yaml at HEAD~2")

	// Recording the decision lets it pass.
	entry := out[strings.Index(out, "- change:"):]
	entry = entry[:strings.Index(entry, "\n")]
	r.write("release/accepted-breaking.txt", acceptedHeader+entry+"\n  reason: the API sends text\n  source: a capture\n")
	code, out = r.check("spec")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "1 breaking change(s) against the released spec v0.1.0 (release/baseline/openapi.yaml), each on record")
	assert.Equal(t, 1, strings.Count(out, "\n"), "a green gate prints one line: %s", out)

	// Against a base that already has the change (a pull request's), the
	// entry is not stale: the breaks since the release are not all visible.
	code, out = r.check("spec", "-base", "HEAD")
	assert.Equal(t, exitOK, code, out)

	// Undoing the change leaves a stale entry, which fails.
	r.write("openapi.yaml", specWithIDType("integer"))
	code, out = r.check("spec")
	assert.Equal(t, exitBreaking, code, out)
	assert.Contains(t, out, "no longer exists")
}

func TestSpecCheckNeverSkipsAMissingBase(t *testing.T) {
	r := newRepo(t)
	r.write("openapi.yaml", specWithIDType("integer"))
	r.write("release/accepted-breaking.txt", acceptedHeader)
	r.commit("no baseline yet")

	code, out := r.check("spec")
	assert.Equal(t, exitError, code)
	assert.Contains(t, out, "make release-baseline")

	code, out = r.check("spec", "-base", "0123456789abcdef0123456789abcdef01234567")
	assert.Equal(t, exitError, code)
	assert.Contains(t, out, "git fetch --depth=1 origin 0123456789abcdef0123456789abcdef01234567")
}

func TestJudgeSpecSortsChangesIntoRecordedUnrecordedAndStale(t *testing.T) {
	a := specChange{ID: "x", Text: "the  `a`\nchanged", Operation: "GET", Path: "/a"}
	b := specChange{ID: "y", Text: "b changed", Operation: "GET", Path: "/b"}
	res := judgeSpec([]specChange{a, b}, []decision{
		{changes: []string{"GET /a [x] the `a` changed", "GET /gone [z] old"}},
	})
	require.Len(t, res.recorded, 1)
	assert.Equal(t, a, res.recorded[0])
	require.Len(t, res.unrecorded, 1)
	assert.Equal(t, b, res.unrecorded[0])
	assert.Equal(t, []string{"GET /gone [z] old"}, res.stale)
}
