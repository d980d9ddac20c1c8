package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documents show what this command does: its usage (docs/drift-check.md),
// a sample report (docs/drift-check.md) and the CI recipe (README.md, held
// by recipe_test.go). The tests here hold each to the command.

// driftCheckDoc is the drift check's reference, where the usage and the
// sample report live.
const driftCheckDoc = "docs/drift-check.md"

// readDoc returns a document of the repository, named from its root.
func readDoc(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(data)
}

// docSection returns the section of the document name under heading (a
// whole heading line, such as "## Usage"): its text up to the next heading
// of the same level or higher, outside fenced code blocks.
func docSection(t *testing.T, name, heading string) string {
	t.Helper()
	doc := readDoc(t, name)
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	require.True(t, ok, "%s has the section %q", name, heading)
	level := len(heading) - len(strings.TrimLeft(heading, "#"))
	fenced := false
	offset := 0
	for line := range strings.SplitAfterSeq(rest, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "```") {
			fenced = !fenced
		}
		if !fenced {
			hashes := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			if hashes > 0 && hashes <= level && strings.HasPrefix(trimmed[hashes:], " ") {
				return rest[:offset]
			}
		}
		offset += len(line)
	}
	return rest
}

// fencedBlock returns the first fenced code block of section whose body
// starts with start, from start to the closing fence (excluded).
func fencedBlock(t *testing.T, section, start string) string {
	t.Helper()
	_, block, ok := strings.Cut(section, "```\n"+start)
	require.True(t, ok, "the section has a code block that starts with %q", start)
	block, _, ok = strings.Cut(start+block, "```")
	require.True(t, ok, "the code block is closed")
	return block
}

// TestTheUsageBlockIsTheHelp holds the usage block of docs/drift-check.md
// to what --help prints, byte for byte, and holds that no other document
// has a copy of it to go stale.
func TestTheUsageBlockIsTheHelp(t *testing.T) {
	r := invoke(t, nil, "--help")
	require.Equal(t, exitConforms, r.code)
	require.Equal(t, usageText, r.stdout)

	usage := fencedBlock(t, docSection(t, driftCheckDoc, "## Usage"), "Usage: tallyfy-drift ")
	assert.Equal(t, usageText, usage, "%s's usage block is stale: copy the output of tallyfy-drift --help into it", driftCheckDoc)

	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	require.NoError(t, err)
	docs = append(docs, filepath.Join("..", "..", "README.md"))
	var copies []string
	for _, path := range docs {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		if strings.Contains(string(data), "Usage: tallyfy-drift [check]") {
			copies = append(copies, filepath.Base(path))
		}
	}
	assert.Equal(t, []string{filepath.Base(driftCheckDoc)}, copies, "the usage block lives in one document")
}

// TestTheDocsSampleIsTheGoldenReport holds the text report that
// docs/drift-check.md shows (from --replay cmd/tallyfy-drift/testdata/replay,
// run at the repository's root) to the golden file of that replay, so that
// the sample never shows a stale spec version, line or count.
func TestTheDocsSampleIsTheGoldenReport(t *testing.T) {
	sample := fencedBlock(t, docSection(t, driftCheckDoc, "## Findings"), "mode: replay (")

	golden, err := os.ReadFile(filepath.Join("testdata", "golden", "replay.text"))
	require.NoError(t, err)
	want := strings.Replace(string(golden), "in testdata/replay)", "in cmd/tallyfy-drift/testdata/replay)", 1)
	assert.Equal(t, want, sample, "%s's sample report is stale: copy testdata/golden/replay.text into it (with the folder as run from the repository's root)", driftCheckDoc)
}
